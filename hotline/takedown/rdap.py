"""The abuse contact of a network from RDAP, fetched through Hotline's one fetcher.

RDAP is HTTP with JSON: the fetcher (SSRF-safe, with limits) asks `HOTLINE_TAKEDOWN_RDAP_URL`
followed by the address, following the bootstrap service's redirect to the registry, and
ipwhois parses the answer. What it finds enters the directory as a *suggested* contact, which
managers see marked as such. No answer, or no abuse address in it, leaves the case in the
"no contact found" queue.
"""

import json
import logging
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any

from django.conf import settings
from ipwhois.exceptions import InvalidEntityObject, InvalidNetworkObject  # type: ignore[import-untyped]
from ipwhois.rdap import _RDAPEntity, _RDAPNetwork  # type: ignore[import-untyped]

from hotline.capture.addresses import address_problem
from hotline.capture.errors import FetchError
from hotline.capture.fetcher import Fetcher, FetchPolicy

logger = logging.getLogger(__name__)
MAX_RDAP_BYTES = 512 * 1024


@dataclass(frozen=True)
class RdapContact:
    network_name: str
    cidr: str
    country_code: str
    abuse_email: str


def look_up(ip: str, fetcher: Fetcher | None = None) -> RdapContact | None:
    """The abuse contact RDAP gives for `ip`, or None when RDAP is off, unreachable or silent."""
    if not settings.HOTLINE_TAKEDOWN_RDAP or not _registered(ip):
        return None
    fetcher = fetcher or Fetcher(FetchPolicy.from_settings())
    try:
        result = fetcher.fetch(
            settings.HOTLINE_TAKEDOWN_RDAP_URL + ip, max_body_bytes=MAX_RDAP_BYTES
        )
    except FetchError as error:
        logger.info("RDAP look-up of %s failed: %s", ip, error)
        return None
    if result.status != 200:
        return None
    try:
        return parse(json.loads(result.body))
    except (ValueError, InvalidNetworkObject, InvalidEntityObject):
        return None


def _registered(ip: str) -> bool:
    """Only public addresses are in the registries (loopback too when tests allow fetching it)."""
    allow_loopback = settings.HOTLINE_FETCH_ALLOW_LOOPBACK
    return address_problem(ip_address(ip), allow_loopback=allow_loopback) is None


def parse(answer: dict[str, Any]) -> RdapContact | None:
    """The network and its abuse contact from an RDAP IP network object (RFC 9083)."""
    network = _RDAPNetwork(answer)
    network.parse()
    email = _abuse_email(answer.get("entities") or [])
    if not email:
        return None
    facts = network.vars
    return RdapContact(
        network_name=str(facts.get("name") or facts.get("handle") or ""),
        cidr=str(facts.get("cidr") or "").split(",")[0].strip(),
        country_code=str(facts.get("country") or "")[:2].upper(),
        abuse_email=email,
    )


def _abuse_email(entities: list[dict[str, Any]]) -> str:
    """The first email of an entity with the abuse role, looking inside nested entities too."""
    for raw in entities:
        entity = _RDAPEntity(raw)
        entity.parse()
        contact = entity.vars.get("contact") or {}
        emails = contact.get("email") or []
        if "abuse" in (entity.vars.get("roles") or []) and emails:
            return str(emails[0]["value"]).strip()
        nested = _abuse_email(raw.get("entities") or [])
        if nested:
            return nested
    return ""
