"""Finding the hosting provider of a url in the directory managers keep: by domain, IP range, AS.

The most specific rule wins: the url's host name or a parent domain (a file host's own domain),
then the narrowest IP range holding the address, then the AS number.
"""

import ipaddress

from hotline.takedown.models import Provider, ProviderRule, RuleKind


def find_provider(host: str, ip: str | None, asn: int | None) -> Provider | None:
    return (
        _by_domain(host)
        or (_by_network(ip) if ip else None)
        or (_by_asn(asn) if asn is not None else None)
    )


def parent_domains(host: str) -> list[str]:
    """`a.b.example.com` gives itself, `b.example.com`, `example.com` (not the bare TLD)."""
    labels = host.lower().rstrip(".").split(".")
    return [".".join(labels[start:]) for start in range(max(len(labels) - 1, 1))]


def _by_domain(host: str) -> Provider | None:
    names = parent_domains(host)
    rules = ProviderRule.objects.filter(kind=RuleKind.DOMAIN, value__in=names)
    found = {rule.value: rule for rule in rules.select_related("provider")}
    return next((found[name].provider for name in names if name in found), None)


def _by_network(ip: str) -> Provider | None:
    address = ipaddress.ip_address(ip)
    best: tuple[int, Provider] | None = None
    rules = ProviderRule.objects.filter(kind=RuleKind.NETWORK).select_related("provider")
    for rule in rules:
        network = ipaddress.ip_network(rule.value)
        inside = address.version == network.version and address in network
        if inside and (best is None or network.prefixlen > best[0]):
            best = (network.prefixlen, rule.provider)
    return best[1] if best else None


def _by_asn(asn: int) -> Provider | None:
    rule = (
        ProviderRule.objects.filter(kind=RuleKind.ASN, value=str(asn))
        .select_related("provider")
        .first()
    )
    return rule.provider if rule else None
