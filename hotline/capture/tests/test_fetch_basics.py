"""A plain fetch: what it sends, what it records, and the URLs it refuses to request at all."""

import re
import socket
from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured

from hotline.capture.errors import ConnectionFailed, ProxyRequired, UnsupportedScheme
from hotline.capture.fetcher import Fetcher, FetchPolicy
from hotline.capture.tests.conftest import TableResolver
from hotline.capture.tests.servers import LocalServer, respond

PAGE = b"<html><body><p>A neutral test page.</p></body></html>"


def test_a_fetch_records_status_headers_with_duplicates_peer_and_body(server, fetcher) -> None:
    server.routes["/page"] = respond(
        200,
        PAGE,
        [("Content-Type", "text/html"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
    )

    result = fetcher.fetch(server.url("/page"))

    assert result.status == 200
    assert result.url == server.url("/page")
    assert result.header("set-cookie") == ["a=1", "b=2"]
    assert ("Content-Type", "text/html") in result.headers
    assert result.peer_ip == "127.0.0.1"
    assert result.http_version == "HTTP/1.1"
    assert result.body == result.raw_body == PAGE
    assert result.redirects == ()
    assert not result.truncated
    assert 0 < result.elapsed_s < 5


def test_an_error_status_is_a_result_not_an_exception(server, fetcher) -> None:
    server.routes["/gone"] = respond(410, b"gone")

    result = fetcher.fetch(server.url("/gone"))

    assert (result.status, result.body) == (410, b"gone")


def test_the_request_carries_the_configured_user_agent_and_offered_codings(server, policy) -> None:
    server.routes["/"] = respond(204)
    fetcher = Fetcher(replace(policy, user_agent="HotlineTest/1.0"), resolver=TableResolver())

    fetcher.fetch(server.url("/"))

    [(_path, headers)] = server.requests
    assert headers["User-Agent"] == "HotlineTest/1.0"
    assert headers["Accept-Encoding"] == "gzip, deflate, br"
    assert headers["Host"] == f"127.0.0.1:{server.port}"


def test_a_host_name_is_sent_as_the_host_while_its_checked_address_is_connected_to(
    server, policy
) -> None:
    server.routes["/"] = respond(200, b"named")
    fetcher = Fetcher(policy, resolver=TableResolver({"site.test": ["127.0.0.1"]}))

    result = fetcher.fetch(server.url("/", host="site.test"))

    assert result.peer_ip == "127.0.0.1"
    assert server.requests[0][1]["Host"] == f"site.test:{server.port}"


def test_a_server_on_ipv6_loopback_is_fetched(fetcher) -> None:
    six = LocalServer("::1")
    try:
        six.routes["/"] = respond(200, b"six")
        result = fetcher.fetch(six.url("/"))
    finally:
        six.close()

    assert (result.body, result.peer_ip) == (b"six", "::1")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example/file",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "gopher://example.com/",
        "/relative/path",
    ],
)
def test_only_http_and_https_urls_are_fetched(fetcher, network, url: str) -> None:
    with pytest.raises(UnsupportedScheme, match="only http and https"):
        fetcher.fetch(url)
    assert network.connections == []


def test_an_onion_address_without_a_proxy_is_refused_clearly(fetcher, network) -> None:
    with pytest.raises(ProxyRequired, match="onion service: set HOTLINE_FETCH_PROXY"):
        fetcher.fetch("http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/")
    assert network.connections == []


def test_a_refused_connection_is_reported_as_such(fetcher) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]

    with pytest.raises(ConnectionFailed, match=re.escape("127.0.0.1")):
        fetcher.fetch(f"http://127.0.0.1:{port}/")


def test_the_policy_comes_from_the_settings(settings) -> None:
    settings.HOTLINE_FETCH_MAX_REDIRECTS = 3
    settings.HOTLINE_FETCH_USER_AGENT = "Configured/2.0"
    settings.HOTLINE_FETCH_PROXY = "socks5h://127.0.0.1:9050"

    policy = FetchPolicy.from_settings()

    assert (policy.max_redirects, policy.user_agent) == (3, "Configured/2.0")
    assert policy.proxy == "socks5h://127.0.0.1:9050"
    assert policy.allow_loopback is False


@pytest.mark.parametrize(
    "proxy", ["socks5://127.0.0.1:9050", "http://127.0.0.1:3128", "socks5h://127.0.0.1"]
)
def test_a_proxy_that_is_not_socks5h_with_a_port_is_a_configuration_error(
    policy, proxy: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape("socks5h://127.0.0.1:9050")):
        Fetcher(replace(policy, proxy=proxy))
