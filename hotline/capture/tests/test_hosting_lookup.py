"""Where an address is hosted, from offline data only: geoip2fast's own file, or MaxMind's.

The addresses looked up are well-known public DNS resolvers, whose networks do not move, and
addresses from documentation and reserved ranges. The MaxMind files are written by the tests
with made-up answers (documentation AS numbers), so a passing test proves which data answered.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from hotline.capture import hosting as hosting_module
from hotline.capture.hosting import Hosting, hosting_database, lookup_hosting

BUNDLED = "geoip2fast 1.2.2: MAXMIND:GeoLite2-CountryASN-IPv4IPv6-en-20240618"


def write_mmdb(path: Path, kind: str, networks: dict[str, dict[str, object]]) -> str:
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type=kind, languages=["en"])
    for network, record in networks.items():
        writer.insert_network(IPSet([network]), record)
    writer.to_db_file(str(path))
    return str(path)


def country(code: str, name: str) -> dict[str, object]:
    return {"iso_code": code, "names": {"en": name}}


@pytest.fixture
def maxmind(tmp_path, settings) -> None:
    """MaxMind files with made-up answers for networks of Quad9 and Google."""
    settings.HOTLINE_GEOIP_COUNTRY_DB = write_mmdb(
        tmp_path / "country.mmdb",
        "GeoLite2-Country",
        {
            "9.9.9.0/24": {"country": country("NL", "Netherlands")},
            "8.8.4.0/24": {"registered_country": country("SE", "Sweden")},
            "2620:fe::/48": {"country": country("CH", "Switzerland")},
        },
    )
    settings.HOTLINE_GEOIP_ASN_DB = write_mmdb(
        tmp_path / "asn.mmdb",
        "GeoLite2-ASN",
        {
            "9.9.9.0/24": {
                "autonomous_system_number": 64500,
                "autonomous_system_organization": "Example Resolvers",
            },
            "2620:fe::/48": {"autonomous_system_number": 64501},
        },
    )


def test_a_public_resolver_is_located_from_the_data_geoip2fast_ships() -> None:
    assert lookup_hosting("8.8.8.8") == Hosting(
        ip="8.8.8.8",
        country_code="US",
        country_name="United States",
        asn=None,
        as_name="GOOGLE",
        source="geoip2fast",
        database=BUNDLED,
    )


@pytest.mark.parametrize(
    ("ip", "code", "as_name"),
    [
        ("9.9.9.9", "US", "QUAD9-AS-1"),
        ("2001:4860:4860::8888", "US", "GOOGLE"),
        ("2606:4700:4700::1111", "US", "CLOUDFLARENET"),
    ],
)
def test_ipv4_and_ipv6_addresses_both_have_a_country_and_network(ip, code, as_name) -> None:
    hosting = lookup_hosting(ip)

    assert (hosting.country_code, hosting.as_name, hosting.note) == (code, as_name, "")


def test_an_ipv4_mapped_address_is_looked_up_as_the_ipv4_address_it_carries() -> None:
    hosting = lookup_hosting("::ffff:8.8.8.8")

    assert (hosting.ip, hosting.country_code, hosting.as_name) == ("::ffff:8.8.8.8", "US", "GOOGLE")
    assert hosting.note == "looked up as 8.8.8.8, the IPv4 address it carries"


@pytest.mark.parametrize(
    ("ip", "what"),
    [
        ("10.1.2.3", "a private address"),
        ("192.0.2.7", "a documentation address"),
        ("203.0.113.9", "a documentation address"),
        ("127.0.0.1", "a loopback address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("100.64.0.1", "a carrier-grade NAT address"),
        ("::1", "a loopback address"),
        ("fe80::1", "a link-local address"),
        ("2001:db8::1", "a documentation address"),
        ("::ffff:192.168.1.1", "a private address inside an IPv6 address"),
    ],
)
def test_an_address_not_on_the_internet_has_no_hosting_and_a_note_saying_why(ip, what) -> None:
    assert lookup_hosting(ip) == Hosting(
        ip=ip, note=f"{ip} is {what}, so no network on the internet hosts it"
    )


def test_something_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 address"):
        lookup_hosting("example.org")


def test_a_lookup_neither_connects_nor_resolves_anything(network) -> None:
    lookup_hosting("1.1.1.1")
    lookup_hosting("2001:4860:4860::8844")

    assert (network.connections, network.lookups) == ([], [])


def test_the_bundled_data_is_loaded_once_and_shared() -> None:
    assert hosting_database() is hosting_database()


def test_importing_geoip2fast_leaves_the_environment_of_child_processes_alone() -> None:
    # A fresh interpreter: in this one geoip2fast may have been imported already.
    script = (
        "import os, django; django.setup()\n"
        "from hotline.capture.hosting import lookup_hosting\n"
        "lookup_hosting('8.8.8.8')\n"
        "print(os.environ.get('PYTHONWARNINGS'), os.environ.get('PYTHONIOENCODING'))\n"
    )
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHONWARNINGS", "PYTHONIOENCODING")
    }
    environment["DJANGO_SETTINGS_MODULE"] = "hotline.test_settings"

    finished = subprocess.run(  # noqa: S603 - this interpreter, with a fixed script
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )

    assert finished.stdout.strip() == "None None"


def test_maxmind_files_when_configured_give_the_country_and_as_number(maxmind) -> None:
    hosting = lookup_hosting("9.9.9.9")

    assert hosting.country_code == "NL"
    assert hosting.country_name == "Netherlands"
    assert (hosting.asn, hosting.as_name) == (64500, "Example Resolvers")
    assert hosting.source == "maxmind"
    assert hosting.database.startswith("GeoLite2-Country built 20")
    assert "; GeoLite2-ASN built 20" in hosting.database


def test_maxmind_ipv6_data_is_used_for_ipv6_addresses(maxmind) -> None:
    hosting = lookup_hosting("2620:fe::fe")

    assert (hosting.country_code, hosting.asn, hosting.as_name) == ("CH", 64501, "")


def test_the_registered_country_stands_in_when_maxmind_has_no_country(maxmind) -> None:
    assert lookup_hosting("8.8.4.4").country_code == "SE"


def test_an_address_missing_from_the_maxmind_files_says_so(maxmind) -> None:
    hosting = lookup_hosting("1.1.1.1")

    assert (hosting.country_code, hosting.asn, hosting.source) == ("", None, "maxmind")
    assert hosting.note == "not in the data"


def test_threads_that_look_up_at_once_in_a_fresh_process_share_one_load(monkeypatch) -> None:
    # As in a process that has not loaded the data yet; loading takes long enough to race.
    monkeypatch.setattr(hosting_module, "_databases", {})
    start = threading.Barrier(4)
    loaded = []

    def first_lookup() -> None:
        start.wait()
        loaded.append(hosting_database())

    threads = [threading.Thread(target=first_lookup) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(loaded) == 4
    assert all(database is loaded[0] for database in loaded)


def test_configuring_only_one_maxmind_file_is_refused(settings, tmp_path) -> None:
    settings.HOTLINE_GEOIP_COUNTRY_DB = write_mmdb(tmp_path / "c.mmdb", "GeoLite2-Country", {})

    with pytest.raises(ImproperlyConfigured, match="Set both HOTLINE_GEOIP_COUNTRY_DB and"):
        lookup_hosting("9.9.9.9")


def test_a_missing_maxmind_file_is_refused_naming_its_setting(settings, tmp_path) -> None:
    settings.HOTLINE_GEOIP_COUNTRY_DB = write_mmdb(tmp_path / "c.mmdb", "GeoLite2-Country", {})
    settings.HOTLINE_GEOIP_ASN_DB = str(tmp_path / "absent.mmdb")

    with pytest.raises(ImproperlyConfigured, match=r"HOTLINE_GEOIP_ASN_DB: .*absent\.mmdb cannot"):
        lookup_hosting("9.9.9.9")


def test_a_file_that_is_not_a_maxmind_database_is_refused(settings, tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("Neutral text, not a database.")
    settings.HOTLINE_GEOIP_COUNTRY_DB = str(tmp_path / "notes.txt")
    settings.HOTLINE_GEOIP_ASN_DB = write_mmdb(tmp_path / "a.mmdb", "GeoLite2-ASN", {})

    with pytest.raises(ImproperlyConfigured, match=r"HOTLINE_GEOIP_COUNTRY_DB: .* cannot be read"):
        lookup_hosting("9.9.9.9")


def test_the_two_maxmind_files_given_the_wrong_way_round_are_refused(settings, tmp_path) -> None:
    settings.HOTLINE_GEOIP_COUNTRY_DB = write_mmdb(tmp_path / "a.mmdb", "GeoLite2-ASN", {})
    settings.HOTLINE_GEOIP_ASN_DB = write_mmdb(tmp_path / "c.mmdb", "GeoLite2-Country", {})

    with pytest.raises(
        ImproperlyConfigured, match=r"COUNTRY_DB: .* is a GeoLite2-ASN database, not a Country or"
    ):
        lookup_hosting("9.9.9.9")
