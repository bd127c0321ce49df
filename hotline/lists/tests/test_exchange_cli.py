"""The real `threatexchange` command line fetches the hash list through hotline_exchange.

A live server serves the hash list, published from benign generated pictures labelled with
confirmed grades; the CLI runs in a subprocess with its own home and state directory.
"""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotline.capture.extraction import MediaKind
from hotline.capture.pipeline import media_item_for
from hotline.lists.models import Download, PublishedList
from hotline.lists.publishing import publish
from hotline.lists.tests.match_support import altered, picture, png

THREATEXCHANGE = Path(sys.executable).with_name("threatexchange")
COLLAB = "Hotline hashes"
Signal = tuple[str, str, frozenset[str]]


class Cli:
    """`threatexchange` with its state in a temporary directory and a member key."""

    def __init__(self, home: Path, key: str) -> None:
        self.env = {
            **os.environ,
            "HOME": str(home),
            "TX_STATEDIR": str(home / "state"),
            "TX_HOTLINE_KEY": key,
        }

    def __call__(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own virtualenv's command, fixed arguments
            [str(THREATEXCHANGE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"threatexchange {args}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def signals(self) -> set[Signal]:
        rows = csv.DictReader(io.StringIO(self("dataset", "--print-signals", "--csv")))
        return {
            (row["signal_type"], row["signal_str"], frozenset(row["tags"].split())) for row in rows
        }


@pytest.fixture
def hash_list(transactional_db) -> None:
    # A transactional test empties every table after it runs, the rows of the lists' data
    # migration included.
    PublishedList.objects.get_or_create(name="hashes")


@pytest.fixture
def cli(tmp_path, live_server, hash_list, make_key) -> Cli:
    _key, clear = make_key(("hashes",))
    cli = Cli(tmp_path, clear)
    cli("config", "extensions", "add", "hotline_exchange")
    cli("config", "collab", "edit", "hotline", COLLAB, "--create", "--url", live_server.url)
    return cli


def expected_signals() -> set[Signal]:
    """What the CLI should hold: the PDQ, MD5 and SHA-256 of every entry, tagged with its grade."""
    from hotline.lists.versions import entries_at, latest_version

    signals = set()
    for entry in entries_at("hashes", latest_version("hashes")):
        data = entry.data
        tags = {f"category:{data['category']}", f"industry:{data['industry']}"}
        tags |= {f"age_band:{data['age_band']}", f"sex:{data['sex']}"}
        tags |= {"interpol_baseline"} if data["interpol_baseline"] else set()
        for name, kind in (("pdq", "pdq"), ("video_md5", "md5"), ("video_sha256", "sha256")):
            signals.add((name, data[kind], frozenset(tags)))
    return signals


def test_the_threatexchange_cli_fetches_the_hash_list_then_its_delta(
    cli, make_grade, make_media_item
):
    first = make_grade(media_item_for(png(picture(1)), MediaKind.IMAGE), age_band="14-15")
    make_grade(media_item_for(png(picture(2)), MediaKind.IMAGE), category="C")
    publish("hashes")

    cli("fetch")
    assert cli.signals() == expected_signals()
    assert len(expected_signals()) == 6

    first.withdraw(first.analyst, "sample reason")
    make_grade(make_media_item(), sex="boys")
    publish("hashes")

    cli("fetch")
    fetched = cli.signals()
    assert fetched == expected_signals()
    assert first.media_item.pdq not in {value for _kind, value, _tags in fetched}

    cli("fetch")
    assert cli.signals() == fetched
    downloads = Download.objects.order_by("at").values_list("version", "since")
    assert list(downloads) == [(1, None), (2, 1), (2, 2)]


def test_the_threatexchange_cli_matches_a_near_duplicate_with_the_fetched_list(
    cli, make_grade, tmp_path
):
    make_grade(media_item_for(png(picture(3)), MediaKind.IMAGE))
    # pytx's PDQ index, once saved and loaded, finds nothing while it holds a single hash
    # (facebook/ThreatExchange#1318): a second entry keeps this test about our exchange.
    make_grade(media_item_for(png(picture(4)), MediaKind.IMAGE))
    publish("hashes")
    cli("fetch")
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(altered(picture(3)))

    printed = cli("match", "photo", str(copy))

    assert "pdq" in printed
    assert COLLAB in printed


def test_a_revoked_key_fails_the_fetch_with_the_hotlines_reason(
    tmp_path, live_server, hash_list, make_key, make_grade
):
    from hotline.lists.keys import revoke_key

    member_key, clear = make_key(("hashes",))
    make_grade()
    publish("hashes")
    cli = Cli(tmp_path, clear)
    cli("config", "extensions", "add", "hotline_exchange")
    cli("config", "collab", "edit", "hotline", COLLAB, "--create", "--url", live_server.url)
    revoke_key(member_key)

    done = subprocess.run(  # noqa: S603
        [str(THREATEXCHANGE), "-v", "fetch"],
        env=cli.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "This key has been revoked." in done.stderr
