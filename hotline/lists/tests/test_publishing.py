import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import override_settings

from hotline.accounts.models import User
from hotline.assessment.media_grades import MediaGrade
from hotline.audit.models import AuditEntry
from hotline.lists import sources
from hotline.lists.models import ListEntry, ListVersion, PublishedList
from hotline.lists.publishing import Publication, publish
from hotline.lists.versions import changes_between, entries_at, latest_version

pytestmark = pytest.mark.django_db


def test_first_publish_lists_every_confirmed_grade_as_version_one(
    make_grade: Callable[..., MediaGrade],
) -> None:
    grades = [make_grade() for _ in range(3)]

    publication = publish("hashes")

    assert (publication.version, publication.changed, publication.added) == (1, True, 3)
    listed = {entry.key for entry in entries_at("hashes", 1)}
    assert listed == {grade.media_item.sha256 for grade in grades}
    assert PublishedList.objects.get(name="hashes").entry_count == 3


def test_publishing_an_unchanged_list_creates_no_new_version(
    make_grade: Callable[..., MediaGrade],
) -> None:
    make_grade()
    publish("hashes")

    again = publish("hashes")

    assert (again.version, again.changed) == (1, False)
    assert ListVersion.objects.filter(list__name="hashes").count() == 1


def test_an_empty_list_is_not_published(db: None) -> None:
    assert publish("keywords").changed is False
    assert latest_version("keywords") == 0


def test_a_withdrawn_grade_leaves_the_list_with_its_reason(
    make_grade: Callable[..., MediaGrade], analyst: User
) -> None:
    kept, withdrawn = make_grade(), make_grade()
    publish("hashes")

    withdrawn.withdraw(analyst, "sample reason: graded in error")
    publication = publish("hashes")

    assert (publication.version, publication.removed) == (2, 1)
    entry = ListEntry.objects.get(key=withdrawn.media_item.sha256)
    assert (entry.removed_in, entry.removal_reason) == (2, "sample reason: graded in error")
    assert [e.key for e in entries_at("hashes", 2)] == [kept.media_item.sha256]
    assert len(entries_at("hashes", 1)) == 2, "version 1 is immutable"


def test_a_regraded_item_is_replaced_under_a_new_id_and_the_old_entry_removed(
    make_grade: Callable[..., MediaGrade], analyst: User
) -> None:
    first = make_grade(category="C")
    publish("hashes")
    old = ListEntry.objects.get()
    first.withdraw(analyst, "sample reason")
    make_grade(item=first.media_item, category="A")

    publish("hashes")

    delta = {(e.pk, e.removed_in) for e in changes_between("hashes", 1, 2)}
    new = ListEntry.objects.exclude(pk=old.pk).get()
    assert delta == {(old.pk, 2), (new.pk, None)}
    assert new.data["category"] == "A"


def test_entries_keep_their_ids_across_versions(make_grade: Callable[..., MediaGrade]) -> None:
    make_grade()
    publish("hashes")
    first_ids = [entry.pk for entry in entries_at("hashes", 1)]
    make_grade()

    publish("hashes")

    assert [entry.pk for entry in entries_at("hashes", 2)][:1] == first_ids


def test_only_categories_a_b_and_c_enter_the_hash_list(
    make_grade: Callable[..., MediaGrade],
) -> None:
    listed = make_grade(category="C")
    make_grade(category="npi")
    make_grade(category="not_illegal")
    make_grade(category="A", status="proposed", confirmed_at=None)

    publish("hashes")

    assert [entry.key for entry in entries_at("hashes", 1)] == [listed.media_item.sha256]


@override_settings(HOTLINE_LIST_CHUNK_SIZE=100)
def test_a_publish_interrupted_halfway_leaves_the_previous_version_current(
    make_grade: Callable[..., MediaGrade], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_grade()
    publish("hashes")
    for _ in range(250):
        make_grade()

    def failing_rows() -> Iterator[sources.Row]:
        for number, row in enumerate(sources.hash_rows()):
            if number == 200:  # two batches of new entries are already written by now
                raise RuntimeError("sample failure")
            yield row

    monkeypatch.setitem(sources.SOURCES, "hashes", failing_rows)
    with pytest.raises(RuntimeError):
        publish("hashes")

    assert latest_version("hashes") == 1
    assert ListEntry.objects.count() == 1
    assert not ListVersion.objects.filter(number=2).exists()


@override_settings(HOTLINE_LIST_CHUNK_SIZE=100)
def test_a_list_larger_than_a_batch_is_compared_page_by_page(
    make_grade: Callable[..., MediaGrade], analyst: User
) -> None:
    grades = [make_grade() for _ in range(230)]
    publish("hashes")
    for grade in grades[::3]:
        grade.withdraw(analyst, "sample reason")

    publication = publish("hashes")

    assert (publication.added, publication.removed) == (0, 77)
    assert entries_at("hashes", 2).count() == 153


def test_publishing_twice_in_a_row_is_serialised_by_the_list_lock(
    make_grade: Callable[..., MediaGrade],
) -> None:
    """On SQLite, two publishes cannot overlap (one writer); each sees the other's result."""
    make_grade()
    versions = [publish("hashes").version, publish("hashes").version]
    make_grade()
    versions.append(publish("hashes").version)

    assert versions == [1, 1, 2]
    assert list(ListVersion.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_a_manager_publishing_is_audited_even_when_nothing_changed(
    make_grade: Callable[..., MediaGrade], manager: User
) -> None:
    make_grade()
    publish("hashes", by=manager)
    publish("hashes", by=manager)

    actions = list(AuditEntry.objects.filter(actor_id=manager.pk).values_list("action", flat=True))
    assert actions == ["lists.published", "lists.publish_unchanged"]


@pytest.mark.postgres
def test_concurrent_publishes_of_one_list_write_one_version(
    transactional_db: None, make_grade: Callable[..., MediaGrade]
) -> None:
    for _ in range(50):
        make_grade()
    start = threading.Barrier(2)
    results: list[Publication] = []

    def publish_in_thread() -> None:
        try:
            start.wait()
            results.append(publish("hashes"))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted((r.version, r.changed) for r in results) == [(1, False), (1, True)]
    assert ListEntry.objects.count() == 50
    assert ListVersion.objects.count() == 1
