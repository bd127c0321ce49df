"""HTTPS to a pinned address: the socket goes to the checked IP, TLS still speaks to the name."""

import ssl
from collections.abc import Iterator
from dataclasses import replace

import pytest
import trustme

from hotline.capture.errors import ConnectionFailed
from hotline.capture.fetcher import Fetcher
from hotline.capture.tests.conftest import TableResolver
from hotline.capture.tests.servers import LocalServer, respond


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def tls_server(authority: trustme.CA, name: str, server_names: list[str]) -> LocalServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(name).configure_cert(context)
    context.sni_callback = lambda _socket, server_name, _context: server_names.append(server_name)
    local = LocalServer(tls=context)
    local.routes["/"] = respond(200, b"over TLS")
    return local


@pytest.fixture
def server_names() -> list[str]:
    return []


@pytest.fixture
def pinned_server(authority, server_names) -> Iterator[LocalServer]:
    local = tls_server(authority, "pinned.test", server_names)
    yield local
    local.close()


@pytest.fixture
def trusting(policy, authority, tmp_path) -> Fetcher:
    """A fetcher that trusts the test's certificate authority and knows pinned.test."""
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    resolver = TableResolver({"pinned.test": ["127.0.0.1"]})
    return Fetcher(replace(policy, ca_file=str(ca_file)), resolver=resolver)


def test_tls_to_a_pinned_address_still_verifies_and_names_the_host(
    pinned_server, trusting, server_names
) -> None:
    result = trusting.fetch(pinned_server.url("/", host="pinned.test"))

    assert (result.status, result.body, result.peer_ip) == (200, b"over TLS", "127.0.0.1")
    assert server_names == ["pinned.test"]
    assert pinned_server.requests[0][1]["Host"] == f"pinned.test:{pinned_server.port}"


def test_a_certificate_for_another_name_is_refused(authority, trusting, server_names) -> None:
    other = tls_server(authority, "other.test", server_names)
    try:
        with pytest.raises(ConnectionFailed, match=r"certificate verify failed.*pinned\.test"):
            trusting.fetch(other.url("/", host="pinned.test"))
    finally:
        other.close()
    assert other.requests == []


def test_a_certificate_from_an_unknown_authority_is_refused_by_default(
    pinned_server, policy
) -> None:
    fetcher = Fetcher(policy, resolver=TableResolver({"pinned.test": ["127.0.0.1"]}))

    with pytest.raises(ConnectionFailed, match="certificate verify failed"):
        fetcher.fetch(pinned_server.url("/", host="pinned.test"))


def test_without_verification_any_certificate_is_accepted(pinned_server, policy) -> None:
    resolver = TableResolver({"pinned.test": ["127.0.0.1"]})
    fetcher = Fetcher(replace(policy, verify_tls=False), resolver=resolver)

    assert fetcher.fetch(pinned_server.url("/", host="pinned.test")).body == b"over TLS"
