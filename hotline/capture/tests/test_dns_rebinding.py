"""DNS rebinding: a name that answers one address when checked and another when connected to.

The fetcher resolves each name once per connection, inside the connect, and connects to the very
address it checked; nothing downstream (the C library's resolver included) sees the name again.
"""

import re
from ipaddress import ip_address

import pytest

from hotline.capture.addresses import IPAddress
from hotline.capture.errors import BlockedAddress
from hotline.capture.fetcher import Fetcher
from hotline.capture.tests.servers import redirect, respond


class RebindingResolver:
    """A DNS server under an attacker's control: each lookup gets the next answer in turn."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.lookups = 0

    def __call__(self, host: str, timeout: float) -> list[IPAddress]:
        answer = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        return [ip_address(answer)]


def test_the_address_checked_is_the_address_connected_to(server, policy, network) -> None:
    server.routes["/"] = respond(200, b"pinned")
    resolver = RebindingResolver("127.0.0.1", "10.0.0.1")

    result = Fetcher(policy, resolver=resolver).fetch(server.url("/", host="rebind.test"))

    assert (result.body, result.peer_ip) == (b"pinned", "127.0.0.1")
    assert resolver.lookups == 1
    assert not network.reached("10.0.0.1")


def test_a_name_that_rebinds_before_the_next_connection_is_refused_then(
    server, policy, network
) -> None:
    server.routes["/"] = redirect("/inside")
    server.routes["/inside"] = respond(200, b"must not be fetched")
    resolver = RebindingResolver("127.0.0.1", "10.0.0.1")

    refusal = re.escape("rebind.test resolves to 10.0.0.1, a private address")
    with pytest.raises(BlockedAddress, match=refusal):
        Fetcher(policy, resolver=resolver).fetch(server.url("/", host="rebind.test"))
    assert [path for path, _headers in server.requests] == ["/"]
    assert not network.reached("10.0.0.1")


def test_the_system_resolver_never_sees_a_reported_host_name(server, policy, network) -> None:
    server.routes["/"] = respond(200, b"ok")
    resolver = RebindingResolver("127.0.0.1")

    Fetcher(policy, resolver=resolver).fetch(server.url("/", host="only-ours.test"))

    assert network.lookups == ["127.0.0.1"]
