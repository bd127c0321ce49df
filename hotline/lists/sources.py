"""What each list should hold now, read from the rest of Hotline in key order.

Each source yields (key, data) sorted by key, a page at a time (keyset paging: each page is its
own short query), so publishing compares it with the listed entries without holding either side
in memory. Keys are lowercase hex of equal length, so every database sorts them as Python does.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus, GradeStatus, Outcome
from hotline.lists.mapping import LISTED_CATEGORIES, classify
from hotline.lists.models import Keyword, KeywordStatus, ListName
from hotline.takedown.models import CaseState

Row = tuple[str, dict[str, Any]]


def live_confirmed_urls() -> QuerySet[Assessment]:
    """Counting assessments that confirmed a url whose content is not known to be removed.

    The one place the URL list's removal rule lives: a takedown case marked removed (its rechecks
    found the content gone) takes the url off; a case reopened because it came back puts it on.
    """
    return Assessment.objects.filter(
        status=AssessmentStatus.CONFIRMED, outcome=Outcome.CONFIRMED
    ).exclude(url__takedown__state=CaseState.REMOVED)


def pages(queryset: QuerySet[Any], key_field: str) -> Iterator[Any]:
    """Every row of `queryset` in `key_field` order, fetched a page at a time."""
    size = settings.HOTLINE_LIST_CHUNK_SIZE
    ordered = queryset.order_by(key_field)
    last: str | None = None
    while True:
        page = ordered if last is None else ordered.filter(**{f"{key_field}__gt": last})
        rows = list(page[:size])
        yield from rows
        if len(rows) < size:
            return
        last = _field(rows[-1], key_field)


def _field(row: Any, path: str) -> str:
    for name in path.split("__"):
        row = getattr(row, name)
    return str(row)


def hash_rows() -> Iterator[Row]:
    grades = (
        MediaGrade.objects.confirmed()
        .filter(category__in=LISTED_CATEGORIES)
        .select_related("media_item")
    )
    for grade in pages(grades, "media_item__sha256"):
        yield grade.media_item.sha256, hash_data(grade)


def hash_data(grade: MediaGrade) -> dict[str, Any]:
    item = grade.media_item
    classification = classify(grade.category, grade.age_band, grade.ai_generated)
    assert classification is not None  # hash_rows takes listed categories only
    return {
        "md5": item.md5,
        "sha1": item.sha1,
        "sha256": item.sha256,
        "pdq": item.pdq,
        "category": grade.category,
        "age_band": grade.age_band,
        "sex": grade.sex,
        "self_generated": grade.self_generated,
        "commercial": grade.commercial,
        "ai_generated": grade.ai_generated,
        "interpol_baseline": classification.interpol_baseline,
        "industry": classification.industry,
    }


def url_rows() -> Iterator[Row]:
    assessments = live_confirmed_urls().select_related("url")
    for assessment in pages(assessments, "url__canonical_hash"):
        url = assessment.url
        yield url.canonical_hash, {"url": url.canonical, "category": assessment.category}


def keyword_rows() -> Iterator[Row]:
    approved = Keyword.objects.filter(status=KeywordStatus.APPROVED)
    # Few enough to sort in memory; the key is a hash, so the order is not the term's.
    for key, term in sorted((keyword.list_key, keyword.term) for keyword in approved):
        yield key, {"term": term}


def hash_removal_reasons(keys: list[str]) -> dict[str, str]:
    """Why each SHA-256 left the hash list: the reason its grade was withdrawn, if it was."""
    withdrawn = (
        MediaGrade.objects.filter(status=GradeStatus.WITHDRAWN, media_item__sha256__in=keys)
        .order_by("withdrawn_at")
        .values_list("media_item__sha256", "withdrawn_reason")
    )
    return dict(withdrawn)


def url_removal_reasons(keys: list[str]) -> dict[str, str]:
    removed = Assessment.objects.filter(
        url__canonical_hash__in=keys, url__takedown__state=CaseState.REMOVED
    ).values_list("url__canonical_hash", flat=True)
    return {key: _("The content was removed.") for key in removed}


def keyword_removal_reasons(keys: list[str]) -> dict[str, str]:
    wanted = set(keys)
    retired = Keyword.objects.filter(status=KeywordStatus.RETIRED).order_by("retired_at")
    return {keyword.list_key: keyword.reason for keyword in retired if keyword.list_key in wanted}


SOURCES: dict[str, Callable[[], Iterator[Row]]] = {
    ListName.HASHES: hash_rows,
    ListName.URLS: url_rows,
    ListName.KEYWORDS: keyword_rows,
}
REMOVAL_REASONS: dict[str, Callable[[list[str]], dict[str, str]]] = {
    ListName.HASHES: hash_removal_reasons,
    ListName.URLS: url_removal_reasons,
    ListName.KEYWORDS: keyword_removal_reasons,
}
