"""Filing a report: the one path by which the form and the API put reports and urls in the queue."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hotline.capture.tasks import request_captures
from hotline.core.task_results import enqueue_once_committed
from hotline.intake.models import Report, ReportedUrl, ReportingSource, Url
from hotline.intake.submission import Submission, SubmittedUrl
from hotline.intake.tasks import send_report_confirmation

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 12
REFERENCE_ATTEMPTS = 3
MAX_SOURCE_WEIGHT = 32767
REPORT_COUNT_CAP = 100


@dataclass(frozen=True)
class FiledReport:
    report: Report
    created: bool


def new_reference() -> str:
    """60 random bits: not guessable, not sequential, easy to read out over the phone."""
    # One draw of 60 bits, read 5 at a time: a choice per character costs a system call each.
    bits = secrets.randbits(5 * REFERENCE_LENGTH)
    return "HL-" + "".join(
        CROCKFORD_ALPHABET[bits >> 5 * index & 31] for index in range(REFERENCE_LENGTH)
    )


def file_report(
    submission: Submission,
    *,
    channel: str,
    source: ReportingSource | None = None,
    submission_token: str | None = None,
    language: str = "",
) -> FiledReport:
    """Store a report and queue its urls; the same submission token always gives the same report.

    A second submission with a token already used fails on the unique index, even while the first
    is still being written, and is answered with the first report.
    """
    attempts_left = REFERENCE_ATTEMPTS
    while True:
        try:
            report = _file_new_report(submission, channel, source, submission_token, language)
            return FiledReport(report, created=True)
        except IntegrityError:
            attempts_left -= 1
            existing = _report_with_token(submission_token)
            if existing is not None:
                return FiledReport(existing, created=False)
            if attempts_left == 0:
                raise


def _report_with_token(submission_token: str | None) -> Report | None:
    if submission_token is None:
        return None
    return Report.objects.filter(submission_token=submission_token).first()


def _file_new_report(
    submission: Submission,
    channel: str,
    source: ReportingSource | None,
    submission_token: str | None,
    language: str,
) -> Report:
    with transaction.atomic():
        report = Report.objects.create(
            reference=new_reference(),
            received_at=timezone.now(),
            where_seen=submission.where_seen,
            content_kind=submission.content_kind,
            description=submission.description,
            contact_email=submission.contact_email,
            source=source,
            channel=channel,
            submission_token=submission_token,
            language=language,
        )
        url_ids, new_url_ids = _count_urls(submission.urls, source, report.received_at)
        ReportedUrl.objects.bulk_create(
            ReportedUrl(
                report=report, url_id=url_ids[item.canonical_hash], submitted=item.submitted
            )
            for item in submission.urls
        )
        if report.contact_email:
            # The email goes out only if the report is kept.
            enqueue_once_committed(send_report_confirmation, report.pk)
        if settings.HOTLINE_CAPTURE_ON_REPORT:
            request_captures(sorted(url_ids.values()), new=new_url_ids)
    return report


def _count_urls(
    urls: Sequence[SubmittedUrl], source: ReportingSource | None, now: datetime
) -> tuple[dict[str, int], set[int]]:
    """Create the urls never seen before and count this report on every url.

    Returns the url ids by canonical hash, and the ids of the urls this report created.

    Rows are created and then locked in hash order, so that concurrent reports naming the same
    urls wait for each other instead of deadlocking, and no count is lost. A url this report
    created is inserted already counted, and cannot have been named before: the common case
    costs one statement.
    """
    ordered = sorted(urls, key=lambda item: item.canonical_hash)
    weight = source.priority_weight if source is not None else 0
    created = _create_counted_urls(ordered, now, weight)
    rows = _lock_known_urls(
        [item.canonical_hash for item in ordered if item.canonical_hash not in created]
    )
    named_before = _named_before([pk for pk, _ in rows], source)
    for already_named in (False, True):
        ids = [pk for pk, _ in rows if (pk in named_before) == already_named]
        if ids:
            _count_one_more_report(ids, now, 0 if already_named else weight, not already_named)
    ids_by_hash = created | {canonical_hash: pk for pk, canonical_hash in rows}
    return ids_by_hash, set(created.values())


def _create_counted_urls(
    ordered: Sequence[SubmittedUrl], now: datetime, weight: int
) -> dict[str, int]:
    """Insert the urls not yet known, counted once by this report; their ids by canonical hash.

    Plain SQL because the ORM's bulk insert cannot skip existing rows and return the ids of
    those it created. The values repeat what counting a new url gives (Url.compute_priority()).
    """
    first = Url(report_count=1, source_count=1, source_weight=min(weight, MAX_SOURCE_WEIGHT))
    when = connection.ops.adapt_datetimefield_value(now)
    parameters: list[Any] = []
    for item in ordered:
        parameters += [item.canonical.url, item.canonical_hash, item.canonical.host, first.state]
        parameters += [first.report_count, first.source_count, first.source_weight]
        parameters += [first.compute_priority(), when, when]
    placeholders = ", ".join([_NEW_URL_ROW] * len(ordered))
    with connection.cursor() as cursor:
        cursor.execute(_CREATE_URLS_SQL % {"rows": placeholders}, parameters)
        return {canonical_hash: pk for pk, canonical_hash in cursor.fetchall()}


def _lock_known_urls(hashes: list[str]) -> list[tuple[int, str]]:
    """Lock the urls that existed before this report, in hash order; the id and hash of each."""
    if not hashes:
        return []
    known = Url.objects.select_for_update().filter(canonical_hash__in=hashes)
    return list(known.order_by("canonical_hash").values_list("pk", "canonical_hash"))


_NEW_URL_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
_CREATE_URLS_SQL = (
    # Only constants are formatted in; every value is a parameter.
    f"INSERT INTO {Url._meta.db_table}"  # noqa: S608
    " (canonical, canonical_hash, host, state, report_count, source_count, source_weight,"
    " priority, first_reported_at, last_reported_at) VALUES %(rows)s"
    " ON CONFLICT (canonical_hash) DO NOTHING RETURNING id, canonical_hash"
)


def _named_before(url_ids: list[int], source: ReportingSource | None) -> set[int]:
    """The urls this source named in an earlier report; the public counts as one source.

    A query of its own, after the rows are locked, so that it sees every report committed
    while this one waited for the lock.
    """
    if not url_ids:
        return set()
    same_source = Q(report__source__isnull=True) if source is None else Q(report__source=source)
    named = Exists(ReportedUrl.objects.filter(same_source, url=OuterRef("pk")))
    return set(Url.objects.filter(named, pk__in=url_ids).values_list("pk", flat=True))


def _count_one_more_report(
    url_ids: list[int], now: datetime, weight: int, new_source: bool
) -> None:
    """One UPDATE counting one more report on each url, computed from the current values.

    Plain SQL because building the same statement from F(), Least() and Greatest() costs
    about a millisecond of CPU per report, the largest single cost of filing one. The priority
    repeats Url.compute_priority() over the new values, because an UPDATE reads every column as
    it was before the statement.
    """
    placeholders = ", ".join(["%s"] * len(url_ids))
    parameters = [
        int(new_source),
        weight,
        connection.ops.adapt_datetimefield_value(now),
        REPORT_COUNT_CAP,
        int(new_source),
        weight,
        *url_ids,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(connection.vendor) % {"ids": placeholders}, parameters)


@cache
def _count_sql(vendor: str) -> str:
    least, greatest = ("MIN", "MAX") if vendor == "sqlite" else ("LEAST", "GREATEST")
    weight = f"{least}(source_weight + %%s, {MAX_SOURCE_WEIGHT})"
    return (
        # Only constants and SQL function names are formatted in; every value is a parameter.
        f"UPDATE {Url._meta.db_table} SET"  # noqa: S608
        " report_count = report_count + 1,"
        " source_count = source_count + %%s,"
        f" source_weight = {weight},"
        f" last_reported_at = {greatest}(last_reported_at, %%s),"
        f" priority = {least}(report_count + 1, %%s)"
        f" + 10 * {greatest}(source_count + %%s - 1, 0) + {weight}"
        " WHERE id IN (%(ids)s)"
    )
