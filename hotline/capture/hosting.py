"""Where an address is hosted: its country and network (autonomous system), from offline data.

Notices go to the host's abuse contact and referrals to the partner in the host's country, so
every capture records the hosting of the address the fetcher connected to. Nothing here uses the
network: the data is the file geoip2fast ships (MaxMind GeoLite2 country and AS names, as old as
that release, without AS numbers), or MaxMind .mmdb files named by HOTLINE_GEOIP_COUNTRY_DB and
HOTLINE_GEOIP_ASN_DB, which a hotline keeps up to date itself. Either is loaded once per process,
on the first lookup. Host names are resolved by addresses.DnsResolver, not here.
"""

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from ipaddress import IPv6Address, ip_address
from pathlib import Path
from typing import Any, Literal, Protocol

import maxminddb
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hotline.capture.addresses import IPAddress, address_problem, embedded_ipv4

Source = Literal["geoip2fast", "maxmind", ""]

GEOIP2FAST_FILE = "geoip2fast-asn-ipv6.dat.gz"


@dataclass(frozen=True)
class Hosting:
    """What the data says of one address; `database` names the data (and its date) that said it."""

    ip: str
    country_code: str = ""
    country_name: str = ""
    asn: int | None = None
    as_name: str = ""
    source: Source = ""
    database: str = ""
    note: str = ""


class HostingDatabase(Protocol):
    source: Source
    database: str

    def lookup(self, ip: str, address: IPAddress) -> Hosting: ...


def lookup_hosting(ip: str) -> Hosting:
    """The hosting of `ip`; empty, with a note saying why, for an address not on the internet.

    Raises ValueError if `ip` is not an IP address, and ImproperlyConfigured if the configured
    MaxMind files cannot be read.
    """
    address = ip_address(ip)
    problem = address_problem(address)
    if problem is not None:
        return Hosting(ip=ip, note=f"{ip} is {problem}, so no network on the internet hosts it")
    inner = embedded_ipv4(address) if isinstance(address, IPv6Address) else None
    if inner is None:
        return hosting_database().lookup(ip, address)
    found = hosting_database().lookup(ip, inner)
    return _with_note(found, f"looked up as {inner}, the IPv4 address it carries")


_loading = threading.Lock()
_databases: dict[tuple[str, str], HostingDatabase] = {}


def hosting_database() -> HostingDatabase:
    """The configured database, opened on first use; every later call gets the same one."""
    key = (settings.HOTLINE_GEOIP_COUNTRY_DB, settings.HOTLINE_GEOIP_ASN_DB)
    database = _databases.get(key)
    if database is None:
        with _loading:
            # Threads that waited for the lock find the database the first one loaded.
            database = _databases.get(key)
            if database is None:
                database = _databases[key] = _open_database(*key)
    return database


def _open_database(country_file: str, asn_file: str) -> HostingDatabase:
    if bool(country_file) != bool(asn_file):
        raise ImproperlyConfigured(
            "Set both HOTLINE_GEOIP_COUNTRY_DB and HOTLINE_GEOIP_ASN_DB, or neither"
        )
    if country_file:
        return MaxMindDatabase(country_file, asn_file)
    return Geoip2fastDatabase()


class Geoip2fastDatabase:
    """geoip2fast's own country and AS name data for IPv4 and IPv6 (about 110 MB in memory)."""

    source: Source = "geoip2fast"

    def __init__(self) -> None:
        geoip2fast = _import_geoip2fast()
        data_file = Path(geoip2fast.__file__).parent / GEOIP2FAST_FILE
        # A full path: given a bare name, geoip2fast would first look in the working directory.
        self.reader = geoip2fast.GeoIP2Fast(geoip2fast_data_file=str(data_file))
        self.database = f"geoip2fast {geoip2fast.__version__}: {self.reader.source_info}"

    def lookup(self, ip: str, address: IPAddress) -> Hosting:
        found = self.reader.lookup(str(address))
        # geoip2fast answers "--" for networks it does not know, with the reason as the name.
        known = found.country_code not in ("", "--")
        hosting = Hosting(
            ip=ip,
            country_code=str(found.country_code) if known else "",
            country_name=str(found.country_name) if known else "",
            as_name="" if found.asn_name == "<unknown>" else str(found.asn_name),
            source=self.source,
            database=self.database,
        )
        return (
            hosting
            if known
            else _with_note(hosting, f"no country in the data: {found.country_name}")
        )


def _import_geoip2fast() -> Any:
    """geoip2fast, imported without the environment variables it sets for every child process."""
    touched = ("PYTHONWARNINGS", "PYTHONIOENCODING")
    before = {name: os.environ.get(name) for name in touched}
    try:
        import geoip2fast
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return geoip2fast


class MaxMindDatabase:
    """MaxMind's (or a compatible) Country or City database, and its ASN database."""

    source: Source = "maxmind"

    def __init__(self, country_file: str, asn_file: str) -> None:
        self.countries = _open_mmdb("HOTLINE_GEOIP_COUNTRY_DB", country_file, "Country", "City")
        self.networks = _open_mmdb("HOTLINE_GEOIP_ASN_DB", asn_file, "ASN", "ISP")
        self.database = f"{_described(self.countries)}; {_described(self.networks)}"

    def lookup(self, ip: str, address: IPAddress) -> Hosting:
        place = _mapping(self.countries.get(address))
        network = _mapping(self.networks.get(address))
        # Where the address is used, or else where the network that holds it is registered.
        country = _mapping(place.get("country")) or _mapping(place.get("registered_country"))
        number = network.get("autonomous_system_number")
        hosting = Hosting(
            ip=ip,
            country_code=_text(country.get("iso_code")),
            country_name=_text(_mapping(country.get("names")).get("en")),
            asn=number if isinstance(number, int) else None,
            as_name=_text(network.get("autonomous_system_organization")),
            source=self.source,
            database=self.database,
        )
        if not place and not network:
            return _with_note(hosting, "not in the data")
        return hosting


def _open_mmdb(setting: str, path: str, *kinds: str) -> maxminddb.Reader:
    try:
        reader = maxminddb.open_database(path)
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as error:
        raise ImproperlyConfigured(
            f"{setting}: {path} cannot be read as a MaxMind database ({error})"
        ) from error
    kind = reader.metadata().database_type
    if not any(word in kind for word in kinds):
        reader.close()
        wanted = " or ".join(kinds)
        raise ImproperlyConfigured(f"{setting}: {path} is a {kind} database, not a {wanted} one")
    return reader


def _described(reader: maxminddb.Reader) -> str:
    metadata = reader.metadata()
    built = datetime.fromtimestamp(metadata.build_epoch, UTC).date()
    return f"{metadata.database_type} built {built.isoformat()}"


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _with_note(hosting: Hosting, note: str) -> Hosting:
    return replace(hosting, note="; ".join(part for part in (hosting.note, note) if part))
