"""Fetching through a socks5h proxy, as the hotline reaches onion services through Tor."""

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest

from hotline.capture.errors import BlockedAddress, ConnectionFailed
from hotline.capture.fetcher import Fetcher
from hotline.capture.tests.conftest import TableResolver
from hotline.capture.tests.servers import SocksServer, respond

ONION = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion"


@pytest.fixture
def socks() -> Iterator[SocksServer]:
    proxy = SocksServer()
    yield proxy
    proxy.close()


@pytest.fixture
def proxied(policy, socks, resolver) -> Fetcher:
    return Fetcher(replace(policy, proxy=f"socks5h://127.0.0.1:{socks.port}"), resolver=resolver)


def test_an_onion_service_is_fetched_through_the_proxy_which_resolves_its_name(
    server, socks, proxied, resolver
) -> None:
    server.routes["/"] = respond(200, b"onion page", close=True)

    result = proxied.fetch(server.url("/", host=ONION))

    assert (result.status, result.body) == (200, b"onion page")
    assert socks.targets == [(ONION, server.port)]
    assert resolver.lookups == []
    assert result.peer_ip is None
    assert server.requests[0][1]["Host"] == f"{ONION}:{server.port}"


def test_a_private_address_written_in_the_url_is_refused_before_the_proxy(
    proxied, socks, network
) -> None:
    with pytest.raises(BlockedAddress, match=re.escape("10.0.0.1 is a private address")):
        proxied.fetch("http://10.0.0.1/")
    assert socks.targets == []
    assert network.connections == []


def test_a_proxy_that_is_not_running_is_a_connection_failure(policy, socks) -> None:
    port = socks.port
    socks.close()
    fetcher = Fetcher(
        replace(policy, proxy=f"socks5h://127.0.0.1:{port}"), resolver=TableResolver()
    )

    with pytest.raises(ConnectionFailed, match="Connection refused"):
        fetcher.fetch(f"http://{ONION}/")
