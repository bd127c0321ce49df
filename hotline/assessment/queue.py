"""The assessment queue, read in a fixed number of queries whatever its length.

Rows come in the order of the `url_queue_order` index (state, -priority, first_reported_at). The
page is found by walking only that index for its ids, so a deep page never joins the rows it
skips, and the queue's length is counted only up to QUEUE_COUNT_LIMIT.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from hotline.accounts.models import User
from hotline.assessment.claims import QUEUE_ORDER, Claim, active_claim, lapse_cutoff
from hotline.assessment.media_grades import LIVE_STATUSES
from hotline.assessment.paging import Page
from hotline.assessment.vocabulary import GradeBasis
from hotline.capture.models import Capture, CaptureMedia
from hotline.intake.models import Url, UrlState

QUEUE_COUNT_LIMIT = 10_000
ROW_FIELDS = (
    "id",
    "canonical",
    "host",
    "state",
    "report_count",
    "source_count",
    "priority",
    "first_reported_at",
    "claimed_at",
    "claimed_by__id",
    "claimed_by__username",
)


@dataclass(frozen=True)
class CaptureSummary:
    """The latest capture of a queued url, as the queue shows it."""

    capture: Capture
    media: int
    pregraded: int


@dataclass(frozen=True)
class QueueRow:
    url: Url
    claim: Claim | None
    capture: CaptureSummary | None = None


@dataclass(frozen=True)
class QueueSize:
    """How many urls wait, counted up to a limit so that a huge backlog costs no more."""

    counted: int
    at_least: bool


def queued() -> QuerySet[Url]:
    return Url.objects.filter(state=UrlState.QUEUED)


def queue_size() -> QueueSize:
    counted = queued()[: QUEUE_COUNT_LIMIT + 1].count()
    return QueueSize(min(counted, QUEUE_COUNT_LIMIT), counted > QUEUE_COUNT_LIMIT)


def queue_page(number: int, size: int, now: datetime | None = None) -> Page[QueueRow]:
    """Page `number` (from 1) of the queue; one query for the page and one row to spare."""
    start = (number - 1) * size
    ids = queued().order_by(*QUEUE_ORDER).values("id")[start : start + size + 1]
    urls = list(
        Url.objects.filter(id__in=ids)
        .select_related("claimed_by")
        .only(*ROW_FIELDS)
        .order_by(*QUEUE_ORDER)
    )
    cutoff = lapse_cutoff(now)
    captures = capture_summaries([url.pk for url in urls[:size]])
    rows = [QueueRow(url, active_claim(url, cutoff), captures.get(url.pk)) for url in urls[:size]]
    return Page(number, rows, has_next=len(urls) > size)


def capture_summaries(url_ids: list[int]) -> dict[int, CaptureSummary]:
    """The latest capture of each url, with its media and pre-graded counts: three queries."""
    latest: dict[int, Capture] = {}
    captures = Capture.objects.filter(url_id__in=url_ids).order_by("url_id", "-started_at", "-pk")
    for capture in captures.defer("headers", "redirects"):
        latest.setdefault(capture.url_id, capture)
    if not latest:
        return {}
    links = CaptureMedia.objects.filter(
        capture_id__in=[capture.pk for capture in latest.values()], media_item__isnull=False
    )
    media = dict(
        links.values("capture_id")
        .annotate(count=Count("media_item", distinct=True))
        .values_list("capture_id", "count")
    )
    pregraded = dict(
        links.filter(
            media_item__grades__basis=GradeBasis.KNOWN_MATCH,
            media_item__grades__status__in=LIVE_STATUSES,
        )
        .values("capture_id")
        .annotate(count=Count("media_item", distinct=True))
        .values_list("capture_id", "count")
    )
    return {
        url_id: CaptureSummary(capture, media.get(capture.pk, 0), pregraded.get(capture.pk, 0))
        for url_id, capture in latest.items()
    }


def held_by(analyst: User) -> list[Url]:
    """The urls the analyst holds at any step, so they can go back to them."""
    return list(
        Url.objects.filter(claimed_by=analyst, claimed_at__gte=lapse_cutoff())
        .only("id", "host", "state", "claimed_at")
        .order_by("claimed_at")
    )
