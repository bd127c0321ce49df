"""The per-process index of the published hash list: built once, then kept at the latest version."""

import hashlib
import logging
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from hotline.lists import matching
from hotline.lists.matching import DigestTable, HashQuery, digest_prefix, find, service
from hotline.lists.models import PublishedList
from hotline.lists.publishing import publish

PDQ_A = "f" * 64
PDQ_B = "0" * 64


def near(pdq: str, bits: int) -> str:
    """`pdq` with its first `bits` bits flipped."""
    value = int(pdq, 16) ^ (((1 << bits) - 1) << (256 - bits))
    return f"{value:064x}"


@pytest.fixture(autouse=True)
def fresh_index(settings):
    settings.HOTLINE_MATCH_VERSION_CHECK_SECONDS = 0
    service.reset()
    yield
    service.reset()


def test_the_index_holds_the_latest_published_version(make_grade):
    make_grade()
    make_grade()
    publish("hashes")
    index = service.index()
    assert index.version == 1
    assert len(index) == 2


def test_an_empty_list_gives_an_empty_index_at_version_zero_built_once(db):
    version, matches = find([HashQuery("pdq", PDQ_A)], 31)
    assert (version, matches) == (0, [])
    find([HashQuery("pdq", PDQ_A)], 31)
    assert service.builds == 1


def test_a_near_pdq_matches_with_its_distance_and_a_far_one_does_not(make_media_item, make_grade):
    grade = make_grade(make_media_item(pdq=PDQ_A))
    publish("hashes")
    version, matches = find([HashQuery("pdq", near(PDQ_A, 9)), HashQuery("pdq", PDQ_B)], 31)
    assert version == 1
    assert [(m.query, m.distance, m.entry.data["sha256"]) for m in matches] == [
        (0, 9, grade.media_item.sha256)
    ]


def test_digests_match_exactly(make_grade):
    item = make_grade().media_item
    publish("hashes")
    queries = [HashQuery(kind, getattr(item, kind)) for kind in ("md5", "sha1", "sha256")]
    _version, matches = find(queries, 31)
    assert [(m.query, m.distance) for m in matches] == [(0, 0), (1, 0), (2, 0)]


def test_a_digest_sharing_only_its_first_bytes_with_an_entry_is_not_a_match(make_grade):
    item = make_grade().media_item
    publish("hashes")
    lookalike = item.md5[:16] + ("0" if item.md5[16] != "0" else "1") + item.md5[17:]
    assert find([HashQuery("md5", lookalike)], 31)[1] == []


def test_a_new_version_is_applied_to_the_same_index_without_a_rebuild(make_media_item, make_grade):
    first = make_grade(make_media_item(pdq=PDQ_A))
    publish("hashes")
    index = service.index()
    first.withdraw(first.analyst, "sample reason")
    make_grade(make_media_item(pdq=PDQ_B))
    publish("hashes")

    version, matches = find([HashQuery("pdq", PDQ_A), HashQuery("pdq", PDQ_B)], 31)
    assert version == 2
    assert [m.query for m in matches] == [1]
    assert service.index() is index
    assert service.builds == 1


def test_the_version_is_checked_at_most_every_few_seconds(settings, make_media_item, make_grade):
    settings.HOTLINE_MATCH_VERSION_CHECK_SECONDS = 3600
    make_grade(make_media_item(pdq=PDQ_A))
    publish("hashes")
    assert service.index().version == 1
    make_grade(make_media_item(pdq=PDQ_B))
    publish("hashes")
    assert service.index().version == 1


def test_the_build_logs_its_progress(caplog, make_grade):
    for _ in range(3):
        make_grade()
    publish("hashes")
    with caplog.at_level(logging.INFO, logger="hotline.lists.matching"):
        service.index()
    messages = [record.getMessage() for record in caplog.records]
    assert "hash list index: reading 3 of 3 entries (100%)" in messages
    assert "hash list index: indexing 3 of 3 PDQ hashes (100%)" in messages
    assert any("built in" in message for message in messages)


def test_progress_is_reported_every_five_percent():
    lines: list[str] = []
    progress = matching.ProgressLog("reading", "entries", lines.append)
    for done in range(0, 1001, 10):
        progress(done, 1000)
    assert len(lines) == 21
    assert lines[-1] == "hash list index: reading 1000 of 1000 entries (100%)"


def test_the_build_index_command_prints_progress_and_timing(make_grade):
    make_grade()
    publish("hashes")
    out = StringIO()
    call_command("build_index", stdout=out)
    printed = out.getvalue()
    assert "reading 1 of 1 entries (100%)" in printed
    assert "hash list version 1: 1 entries, 1 PDQ hashes, 3 digests" in printed
    assert "MiB" in printed


def test_a_digest_table_finds_every_entry_under_a_shared_prefix():
    table = DigestTable()
    digests = [hashlib.md5(str(n).encode(), usedforsecurity=False).hexdigest() for n in range(50)]
    table.add(np.arange(50, dtype=np.int64), np.array([digest_prefix(d) for d in digests]))
    table.add(np.array([99], dtype=np.int64), np.array([digest_prefix(digests[7])]))
    assert sorted(table.candidates(digests[7])) == [7, 99]
    table.remove([7])
    assert table.candidates(digests[7]) == [99]
    assert len(table) == 50


@pytest.mark.django_db(transaction=True)
def test_a_web_worker_can_build_the_index_in_the_background(make_grade):
    PublishedList.objects.get_or_create(name="hashes")
    make_grade()
    publish("hashes")
    matching.warm_up_in_background().join(timeout=60)
    assert service.builds == 1
    assert service.index().version == 1
