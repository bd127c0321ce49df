"""The default resolver, dnspython, asking a DNS server that the test runs on 127.0.0.1."""

import re
import time
from collections.abc import Iterator
from ipaddress import ip_address

import pytest

from hotline.capture.addresses import DnsResolver
from hotline.capture.errors import BlockedAddress, DnsFailure
from hotline.capture.fetcher import Fetcher
from hotline.capture.tests.servers import DnsServer, respond

TABLE = {
    "site.test": ["127.0.0.1"],
    "named.test": ["127.0.0.1"],
    "both.test": ["127.0.0.1", "::1"],
    "mixed.test": ["127.0.0.1", "10.0.0.1"],
    "six.test": ["::1"],
}


@pytest.fixture
def dns_server() -> Iterator[DnsServer]:
    local = DnsServer(TABLE, silent=["silent.test"], silent_aaaa=["site.test"])
    yield local
    local.close()


@pytest.fixture
def dns_resolver(dns_server) -> DnsResolver:
    return DnsResolver(nameservers=["127.0.0.1"], port=dns_server.port)


def test_a_name_resolves_to_all_its_ipv4_and_ipv6_addresses(dns_resolver) -> None:
    assert dns_resolver("both.test", 2) == [ip_address("127.0.0.1"), ip_address("::1")]
    assert dns_resolver("six.test", 2) == [ip_address("::1")]


def test_an_unknown_name_is_no_such_host(dns_resolver) -> None:
    with pytest.raises(DnsFailure, match=re.escape("nowhere.test: no such host")):
        dns_resolver("nowhere.test", 2)


def test_a_dns_server_that_does_not_answer_times_out_within_the_limit(dns_resolver) -> None:
    started = time.monotonic()
    timed_out = re.escape("silent.test: DNS lookup timed out after 0.5 s")
    with pytest.raises(DnsFailure, match=timed_out):
        dns_resolver("silent.test", 0.5)
    assert time.monotonic() - started < 1.5


def test_an_unanswered_aaaa_query_keeps_the_ipv4_answer(dns_resolver) -> None:
    started = time.monotonic()

    assert dns_resolver("site.test", 0.5) == [ip_address("127.0.0.1")]
    assert time.monotonic() - started < 1


def test_a_fetch_resolves_through_dns_and_connects_to_the_answer(
    server, policy, dns_server, dns_resolver, network
) -> None:
    server.routes["/"] = respond(200, b"found through DNS")

    result = Fetcher(policy, resolver=dns_resolver).fetch(server.url("/", host="named.test"))

    assert (result.body, result.peer_ip) == (b"found through DNS", "127.0.0.1")
    assert dns_server.questions == ["named.test.", "named.test."]
    assert "named.test" not in network.lookups


def test_a_dns_answer_with_one_private_address_among_others_is_refused(
    server, policy, dns_resolver, network
) -> None:
    server.routes["/"] = respond(200, b"must not be fetched")

    with pytest.raises(BlockedAddress, match=re.escape("mixed.test resolves to 10.0.0.1")):
        Fetcher(policy, resolver=dns_resolver).fetch(server.url("/", host="mixed.test"))
    assert server.requests == []
    assert not network.reached("10.0.0.1")
