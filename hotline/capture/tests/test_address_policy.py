"""Which addresses the fetcher may reach: public ones only, loopback only when a setting allows."""

import re
from dataclasses import replace
from ipaddress import ip_address

import pytest

from hotline.capture.addresses import address_problem, is_public_address
from hotline.capture.errors import BlockedAddress, FetchError
from hotline.capture.fetcher import Fetcher, FetchPolicy
from hotline.capture.tests.conftest import TableResolver

REFUSED = {
    "10.0.0.1": "private",
    "172.16.5.4": "private",
    "192.168.1.1": "private",
    "127.0.0.1": "loopback",
    "127.255.0.9": "loopback",
    "169.254.169.254": "cloud metadata",
    "169.254.170.2": "cloud metadata",
    "100.100.100.200": "cloud metadata",
    "fd00:ec2::254": "cloud metadata",
    "169.254.1.1": "link-local",
    "100.64.0.1": "carrier-grade NAT",
    "0.0.0.0": "this network",  # noqa: S104 (an address to refuse, not one to bind)
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "255.255.255.255": "reserved",
    "240.0.0.1": "reserved",
    "198.18.0.1": "benchmarking",
    "192.0.2.1": "documentation",
    "203.0.113.7": "documentation",
    "192.0.0.8": "IETF protocol",
    "::1": "loopback",
    "::": "unspecified",
    "fe80::1": "link-local",
    "fc00::1": "private",
    "fd12:3456::1": "private",
    "fec0::1": "site-local",
    "ff02::1": "multicast",
    "::ffff:10.0.0.1": "private address inside an IPv6",
    "::ffff:127.0.0.1": "loopback address inside an IPv6",
    "::ffff:169.254.169.254": "cloud metadata",
    "::10.0.0.1": "reserved",
    "2002:a00:1::": "private address inside an IPv6",
    "64:ff9b::a00:1": "private address inside an IPv6",
    "64:ff9b::a9fe:101": "link-local address inside an IPv6",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2": "Teredo",
    "2001:db8::1": "documentation",
    "100::1": "reserved",
}

PUBLIC = [
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "2a00:1450:4009:81f::200e",
    "::ffff:8.8.8.8",
    "2002:808:808::1",
    "64:ff9b::808:808",
]


@pytest.mark.parametrize(("address", "reason"), REFUSED.items())
def test_every_non_public_address_is_refused_with_its_reason(address: str, reason: str) -> None:
    problem = address_problem(ip_address(address))
    assert problem is not None
    assert reason in problem
    assert not is_public_address(ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_problem(ip_address(address)) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_allowing_loopback_allows_loopback_only(address: str) -> None:
    assert address_problem(ip_address(address), allow_loopback=True) is None


@pytest.mark.parametrize("address", ["10.0.0.1", "169.254.169.254", "fd00:ec2::254", "0.0.0.0"])  # noqa: S104
def test_allowing_loopback_still_refuses_private_and_metadata_addresses(address: str) -> None:
    assert address_problem(ip_address(address), allow_loopback=True) is not None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
        ("http://[::ffff:10.0.0.1]/", "a private address inside an IPv6 address"),
        ("http://[fd00:ec2::254]/", "a cloud metadata address"),
        ("https://192.168.0.1:8443/admin", "192.168.0.1 is a private address"),
    ],
)
def test_a_url_naming_a_private_address_is_refused_without_connecting(
    fetcher: Fetcher, network, url: str, message: str
) -> None:
    with pytest.raises(BlockedAddress, match=re.escape(message)):
        fetcher.fetch(url)
    assert network.connections == []


def test_loopback_is_refused_unless_the_setting_allows_it(server, settings) -> None:
    server.routes["/"] = lambda handler: handler.send_error(500)
    settings.HOTLINE_FETCH_ALLOW_LOOPBACK = False
    fetcher = Fetcher(FetchPolicy.from_settings(), resolver=TableResolver())

    with pytest.raises(BlockedAddress, match=re.escape("127.0.0.1 is a loopback address")):
        fetcher.fetch(server.url("/"))
    assert server.requests == []


def test_loopback_is_fetched_when_the_setting_allows_it(server, settings) -> None:
    server.routes["/"] = lambda handler: handler.send_error(418)
    settings.HOTLINE_FETCH_ALLOW_LOOPBACK = True
    fetcher = Fetcher(FetchPolicy.from_settings(), resolver=TableResolver())

    assert fetcher.fetch(server.url("/")).status == 418


def test_a_name_resolving_to_a_private_address_is_refused(policy, network) -> None:
    resolver = TableResolver({"intranet.example": ["10.1.2.3"]})

    with pytest.raises(BlockedAddress, match=r"intranet.example resolves to 10.1.2.3, a private"):
        Fetcher(policy, resolver=resolver).fetch("http://intranet.example/")
    assert network.connections == []


def test_an_answer_mixing_public_and_private_addresses_is_refused_whole(policy, network) -> None:
    resolver = TableResolver({"mixed.example": ["93.184.215.14", "169.254.169.254"]})

    refusal = re.escape("169.254.169.254, a cloud metadata address")
    with pytest.raises(BlockedAddress, match=refusal):
        Fetcher(policy, resolver=resolver).fetch("http://mixed.example/")
    assert network.connections == []


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "0177.0.0.1", "127.1"])
def test_unusual_spellings_of_loopback_are_names_for_dns_not_addresses(
    policy, server, network, host: str
) -> None:
    """The C library reads these as 127.0.0.1; the fetcher never lets it see them."""
    resolver = TableResolver()
    fetcher = Fetcher(replace(policy, allow_loopback=False), resolver=resolver)

    with pytest.raises(FetchError, match=r"no such host|Invalid IPv4 address"):
        fetcher.fetch(server.url("/", host=host))
    assert server.requests == []
    assert network.lookups == []
