from collections.abc import Callable

import pytest

from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus, Outcome
from hotline.intake.models import Url
from hotline.lists.models import ListEntry
from hotline.lists.publishing import publish
from hotline.lists.sources import live_confirmed_urls
from hotline.lists.versions import entries_at
from hotline.takedown.models import CaseState, TakedownCase

pytestmark = pytest.mark.django_db


def _mark_removed(url: Url) -> TakedownCase:
    assessment = Assessment.objects.get(url=url)
    return TakedownCase.objects.create(url=url, assessment=assessment, state=CaseState.REMOVED)


def test_confirmed_urls_enter_the_url_list(make_confirmed_url: Callable[..., Url]) -> None:
    url = make_confirmed_url(category="A")

    publish("urls")

    assert [entry.data for entry in entries_at("urls", 1)] == [
        {"url": url.canonical, "category": "A"}
    ]


def test_urls_not_confirmed_by_a_second_analyst_or_not_illegal_stay_off(
    make_confirmed_url: Callable[..., Url],
) -> None:
    waiting, not_illegal = make_confirmed_url(), make_confirmed_url()
    Assessment.objects.filter(url=waiting).update(status=AssessmentStatus.AWAITING_CONFIRMATION)
    Assessment.objects.filter(url=not_illegal).update(outcome=Outcome.NOT_ILLEGAL, category="")

    assert publish("urls").changed is False


def test_a_url_whose_content_was_removed_leaves_the_list(
    make_confirmed_url: Callable[..., Url],
) -> None:
    kept, removed = make_confirmed_url(), make_confirmed_url()
    publish("urls")

    _mark_removed(removed)
    publish("urls")

    entry = ListEntry.objects.get(key=removed.canonical_hash)
    assert (entry.removed_in, entry.removal_reason) == (2, "The content was removed.")
    assert [e.key for e in entries_at("urls", 2)] == [kept.canonical_hash]


def test_a_takedown_still_open_keeps_the_url_listed(
    make_confirmed_url: Callable[..., Url],
) -> None:
    url = make_confirmed_url()
    case = _mark_removed(url)
    case.state = CaseState.NOTIFIED
    case.save()

    assert list(live_confirmed_urls().values_list("url", flat=True)) == [url.pk]
