"""The Python API the matching index builds on."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from hotline.accounts.models import User
from hotline.assessment.media_grades import MediaGrade
from hotline.capture.models import MediaItem
from hotline.core.schedule import enqueue_due
from hotline.lists.models import ListEntry
from hotline.lists.publishing import publish
from hotline.lists.tasks import publish_list_task
from hotline.lists.versions import PdqChange, hash_pdq_changes, hash_pdqs, latest_version

pytestmark = pytest.mark.django_db


def test_the_hash_pdqs_of_the_latest_version_with_their_entry_ids(
    make_grade: Callable[..., MediaGrade], make_media_item: Callable[..., MediaItem]
) -> None:
    with_pdq = make_grade()
    make_grade(item=make_media_item(pdq=""))
    assert list(hash_pdqs()) == []
    publish("hashes")

    entry = ListEntry.objects.get(key=with_pdq.media_item.sha256)
    assert list(hash_pdqs()) == [(entry.pk, with_pdq.media_item.pdq)]
    assert latest_version("hashes") == 1


def test_the_pdq_changes_since_a_version(
    make_grade: Callable[..., MediaGrade], analyst: User
) -> None:
    gone = make_grade()
    publish("hashes")
    old_entry = ListEntry.objects.get()
    new = make_grade()
    gone.withdraw(analyst, "sample reason")
    publish("hashes")

    new_entry = ListEntry.objects.get(key=new.media_item.sha256)
    assert list(hash_pdq_changes(1)) == [
        PdqChange(old_entry.pk, gone.media_item.pdq, "remove"),
        PdqChange(new_entry.pk, new.media_item.pdq, "add"),
    ]
    assert list(hash_pdq_changes(2)) == []
    assert [change.op for change in hash_pdq_changes(0)] == ["add"]


def test_the_publish_task_returns_the_version_members_can_read(
    make_grade: Callable[..., MediaGrade],
) -> None:
    make_grade()

    result = publish_list_task.enqueue("hashes")

    assert result.return_value == 1


@override_settings(HOTLINE_LIST_KEYWORDS_PUBLISH_DAYS=30, HOTLINE_LIST_HASHES_PUBLISH_HOURS=12)
def test_the_schedule_publishes_hashes_twice_a_day_and_keywords_monthly(
    make_grade: Callable[..., MediaGrade],
) -> None:
    make_grade()
    start = timezone.now()

    first = enqueue_due(start)
    later = enqueue_due(start + timedelta(hours=13))

    assert {"publish-hash-list", "publish-url-list", "publish-keyword-list"} <= set(first)
    assert latest_version("hashes") == 1
    assert "publish-hash-list" in later
    assert "publish-keyword-list" not in later
