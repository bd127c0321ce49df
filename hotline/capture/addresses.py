"""Which IP addresses a reported URL may lead the fetcher to, and how host names are resolved.

A reported URL is chosen by whoever reports it, so it may point at the hotline's own network, the
cloud provider's metadata service, or a name whose DNS answer changes from one lookup to the next.
The fetcher therefore resolves each host itself, refuses the whole answer if any address in it is
not public, and connects only to an address it checked (see network.py).
"""

import time
from collections.abc import Callable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

import dns.exception
import dns.resolver

from hotline.capture.errors import BlockedAddress, DnsFailure

IPAddress = IPv4Address | IPv6Address

# Given a host name and the seconds it may take, every address the name resolves to.
Resolver = Callable[[str, float], Sequence[IPAddress]]

# Named apart from their ranges so that a refusal says what the target really was.
CLOUD_METADATA = frozenset(
    ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)

LOOPBACK = (IPv4Network("127.0.0.0/8"), IPv6Network("::1/128"))

# IANA's special-purpose IPv4 ranges that are not globally reachable, plus multicast and the
# reserved class E; anything else in IPv4 is public.
_BLOCKED_IPV4 = (
    (IPv4Network("0.0.0.0/8"), "a 'this network' address"),
    (IPv4Network("10.0.0.0/8"), "a private address"),
    (IPv4Network("100.64.0.0/10"), "a carrier-grade NAT address"),
    (IPv4Network("127.0.0.0/8"), "a loopback address"),
    (IPv4Network("169.254.0.0/16"), "a link-local address"),
    (IPv4Network("172.16.0.0/12"), "a private address"),
    (IPv4Network("192.0.0.0/24"), "an IETF protocol address"),
    (IPv4Network("192.0.2.0/24"), "a documentation address"),
    (IPv4Network("192.88.99.0/24"), "a 6to4 relay address"),
    (IPv4Network("192.168.0.0/16"), "a private address"),
    (IPv4Network("198.18.0.0/15"), "a benchmarking address"),
    (IPv4Network("198.51.100.0/24"), "a documentation address"),
    (IPv4Network("203.0.113.0/24"), "a documentation address"),
    (IPv4Network("224.0.0.0/4"), "a multicast address"),
    (IPv4Network("240.0.0.0/4"), "a reserved address"),
)

# Only 2000::/3 is allocated for global unicast; these are its ranges that are not reachable.
_GLOBAL_UNICAST = IPv6Network("2000::/3")
_BLOCKED_IPV6 = (
    (IPv6Network("2001::/23"), "an IETF protocol address (Teredo, ORCHID, benchmarking)"),
    (IPv6Network("2001:db8::/32"), "a documentation address"),
    (IPv6Network("3fff::/20"), "a documentation address"),
)
_NOT_GLOBAL_IPV6 = (
    (IPv6Network("::/128"), "the unspecified address"),
    (IPv6Network("::1/128"), "a loopback address"),
    (IPv6Network("fc00::/7"), "a private (unique local) address"),
    (IPv6Network("fe80::/10"), "a link-local address"),
    (IPv6Network("fec0::/10"), "a site-local address"),
    (IPv6Network("ff00::/8"), "a multicast address"),
)
# IPv6 ranges whose last 32 bits name an IPv4 address that the packets end up at.
_NAT64 = IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 address really reaches, if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why the fetcher must not connect to `address` ("a private address"), or None if it may."""
    if address in CLOUD_METADATA:
        return "a cloud metadata address"
    if allow_loopback and is_loopback(address):
        return None
    if isinstance(address, IPv4Address):
        return _ipv4_problem(address)
    inner = embedded_ipv4(address)
    if inner is not None:
        problem = address_problem(inner, allow_loopback=allow_loopback)
        return None if problem is None else f"{problem} inside an IPv6 address"
    return _ipv6_problem(address)


def is_public_address(address: IPAddress) -> bool:
    return address_problem(address) is None


def is_loopback(address: IPAddress) -> bool:
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in LOOPBACK)


def _ipv4_problem(address: IPv4Address) -> str | None:
    return next((why for network, why in _BLOCKED_IPV4 if address in network), None)


def _ipv6_problem(address: IPv6Address) -> str | None:
    if address not in _GLOBAL_UNICAST:
        named = (why for network, why in _NOT_GLOBAL_IPV6 if address in network)
        return next(named, "a reserved address")
    return next((why for network, why in _BLOCKED_IPV6 if address in network), None)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a URL's host names directly, or None for a host name to resolve.

    Only the standard spellings count; "2130706433" or "0x7f.1" are names here, so they go to
    DNS (which has no such names) instead of to the C library, which would read them as 127.0.0.1.
    """
    try:
        return ip_address(host.strip("[]"))
    except ValueError:
        return None


def checked_addresses(
    host: str, addresses: Sequence[IPAddress], *, allow_loopback: bool
) -> list[IPAddress]:
    """`addresses` if every one may be reached; one bad address in an answer refuses them all."""
    if not addresses:
        raise DnsFailure(f"{host} has no address")
    for address in addresses:
        problem = address_problem(address, allow_loopback=allow_loopback)
        if problem is not None:
            raise _refusal(host, address, problem)
    return list(addresses)


def _refusal(host: str, address: IPAddress, problem: str) -> BlockedAddress:
    if parse_ip_literal(host) == address:
        return BlockedAddress(f"{address} is {problem}")
    return BlockedAddress(f"{host} resolves to {address}, {problem}")


class DnsResolver:
    """Resolves A and AAAA records with dnspython, never through the C library's resolver.

    dnspython reads /etc/resolv.conf unless `nameservers` is given; it does not read /etc/hosts,
    so no local override can point a reported name at an internal machine.
    """

    def __init__(self, nameservers: Sequence[str] | None = None, port: int = 53) -> None:
        self.resolver = dns.resolver.Resolver(configure=nameservers is None)
        if nameservers is not None:
            self.resolver.nameservers = list(nameservers)
            self.resolver.port = port

    def __call__(self, host: str, timeout: float) -> list[IPAddress]:
        ends = time.monotonic() + timeout
        addresses = self._lookup(host, "A", timeout)
        try:
            addresses += self._lookup(host, "AAAA", max(ends - time.monotonic(), 0.01))
        except DnsFailure:
            # Some DNS servers drop AAAA queries; the IPv4 answer is then enough.
            if not addresses:
                raise
        return addresses

    def _lookup(self, host: str, record_type: str, timeout: float) -> list[IPAddress]:
        try:
            answer = self.resolver.resolve(host, record_type, lifetime=timeout, search=False)
        except dns.resolver.NoAnswer:
            return []
        except dns.resolver.NXDOMAIN:
            raise DnsFailure(f"{host}: no such host") from None
        except dns.exception.Timeout:
            raise DnsFailure(f"{host}: DNS lookup timed out after {timeout:g} s") from None
        except dns.exception.DNSException as error:
            raise DnsFailure(f"{host}: DNS lookup failed ({error})") from None
        return [ip_address(record.address) for record in answer]
