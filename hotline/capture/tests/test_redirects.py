"""Redirects: each hop recorded and checked again, so no redirect leads inside the network."""

import re
from dataclasses import replace

import pytest

from hotline.capture.errors import BlockedAddress, TooManyRedirects, UnsupportedScheme
from hotline.capture.fetcher import Fetcher
from hotline.capture.tests.conftest import TableResolver
from hotline.capture.tests.servers import redirect, respond


def test_the_whole_redirect_chain_is_recorded(server, fetcher) -> None:
    server.routes["/start"] = redirect("/middle", 301)
    server.routes["/middle"] = redirect(server.url("/end"), 307)
    server.routes["/end"] = respond(200, b"arrived")

    result = fetcher.fetch(server.url("/start"))

    assert (result.status, result.body, result.url) == (200, b"arrived", server.url("/end"))
    assert [(hop.url, hop.status, hop.location) for hop in result.redirects] == [
        (server.url("/start"), 301, "/middle"),
        (server.url("/middle"), 307, server.url("/end")),
    ]
    assert {hop.peer_ip for hop in result.redirects} == {"127.0.0.1"}
    assert ("Location", "/middle") in result.redirects[0].headers


def test_a_redirect_to_another_named_host_resolves_and_checks_that_host(server, policy) -> None:
    resolver = TableResolver({"first.test": ["127.0.0.1"], "second.test": ["127.0.0.1"]})
    server.routes["/"] = redirect(server.url("/next", host="second.test"))
    server.routes["/next"] = respond(200, b"second")

    result = Fetcher(policy, resolver=resolver).fetch(server.url("/", host="first.test"))

    assert result.body == b"second"
    assert resolver.lookups == ["first.test", "second.test"]


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "a cloud metadata address"),
        ("http://[::ffff:192.168.1.1]:8080/", "a private address inside an IPv6"),
        ("http://0.0.0.0:22/", "a 'this network' address"),
    ],
)
def test_a_redirect_to_an_internal_address_is_refused_without_connecting(
    server, fetcher, network, location: str, message: str
) -> None:
    server.routes["/"] = redirect(location)

    with pytest.raises(BlockedAddress, match=re.escape(message)):
        fetcher.fetch(server.url("/"))
    assert set(network.connections) == {"127.0.0.1"}


def test_a_redirect_to_a_name_resolving_inside_the_network_is_refused(
    server, policy, network
) -> None:
    server.routes["/"] = redirect("http://metadata.internal/computeMetadata/v1/")
    resolver = TableResolver({"metadata.internal": ["169.254.169.254"]})

    refusal = re.escape("metadata.internal resolves to 169.254.169.254")
    with pytest.raises(BlockedAddress, match=refusal):
        Fetcher(policy, resolver=resolver).fetch(server.url("/"))
    assert set(network.connections) == {"127.0.0.1"}


def test_a_redirect_loop_stops_at_the_limit(server, policy) -> None:
    server.routes["/loop"] = redirect("/loop")
    fetcher = Fetcher(replace(policy, max_redirects=4), resolver=TableResolver())

    with pytest.raises(TooManyRedirects, match="more than 4 redirects"):
        fetcher.fetch(server.url("/loop"))
    assert len(server.requests) == 5


def test_a_chain_as_long_as_the_limit_is_followed(server, policy) -> None:
    for step in range(3):
        server.routes[f"/{step}"] = redirect(f"/{step + 1}")
    server.routes["/3"] = respond(200, b"end of chain")
    fetcher = Fetcher(replace(policy, max_redirects=3), resolver=TableResolver())

    assert len(fetcher.fetch(server.url("/0")).redirects) == 3


@pytest.mark.parametrize(
    "location",
    [
        "javascript:alert(document.cookie)",
        "file:///etc/passwd",
        "ftp://ftp.example/pub/",
        "gopher://127.0.0.1:6379/_INFO",
        "dict://127.0.0.1:11211/stat",
    ],
)
def test_a_redirect_to_another_scheme_is_refused(server, fetcher, location: str) -> None:
    server.routes["/"] = redirect(location)

    with pytest.raises(UnsupportedScheme, match="only http and https"):
        fetcher.fetch(server.url("/"))
    assert len(server.requests) == 1


def test_a_redirect_status_without_a_location_is_the_final_response(server, fetcher) -> None:
    server.routes["/"] = respond(302, b"nowhere to go")

    result = fetcher.fetch(server.url("/"))

    assert (result.status, result.body, result.redirects) == (302, b"nowhere to go", ())
