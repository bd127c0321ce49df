"""Filing a report: the one path by which the form and the API put reports and urls in the queue."""

import secrets
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hotline.capture.requests import request_recaptures
from hotline.core.task_results import enqueue_once_committed
from hotline.intake import statements
from hotline.intake.models import Report, ReportingSource
from hotline.intake.submission import Submission, SubmittedUrl
from hotline.intake.tasks import send_report_confirmation

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 12
REFERENCE_ATTEMPTS = 3


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
    report = Report(
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
    weight = source.priority_weight if source is not None else 0
    if _filed_at_once(report, submission.urls, weight):
        return report
    with transaction.atomic():
        _store_report_and_urls(report, submission.urls, source, weight)
        if report.contact_email:
            # The email goes out only if the report is kept.
            enqueue_once_committed(send_report_confirmation, report.pk)
    return report


def _filed_at_once(report: Report, urls: Sequence[SubmittedUrl], weight: int) -> bool:
    """File the usual report, one address never seen before and no email to send, in a single
    statement on PostgreSQL; False, with nothing written, for any other report."""
    if connection.vendor != "postgresql" or len(urls) != 1 or report.contact_email:
        return False
    # Alone, the statement commits itself. Inside a caller's transaction it gets a savepoint,
    # so that a refused INSERT (a token used already) leaves that transaction usable.
    within = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with within:
        return statements.insert_report_if_new_url(report, urls[0], weight)


def _store_report_and_urls(
    report: Report, urls: Sequence[SubmittedUrl], source: ReportingSource | None, weight: int
) -> None:
    """Store the report, create the urls never seen before, count it on the others, and link it
    to each.

    Urls are created and then locked in hash order, so that concurrent reports naming the same
    urls wait for each other instead of deadlocking, and no count is lost. A url this report
    created is inserted already counted (and its capture requested), and cannot have been named
    before: a report of new urls is three statements.
    """
    ordered = sorted(urls, key=lambda item: item.canonical_hash)
    created = statements.insert_report_and_new_urls(report, ordered, weight)
    known = [item for item in ordered if item.canonical_hash not in created]
    if not known:
        return
    known_ids = _count_known_urls(known, source, weight, report.received_at)
    statements.link_urls(report, known, known_ids)
    if settings.HOTLINE_CAPTURE_ON_REPORT:
        request_recaptures(known_ids.values(), report.received_at)


def _count_known_urls(
    known: Sequence[SubmittedUrl], source: ReportingSource | None, weight: int, now: datetime
) -> dict[str, int]:
    """Count one more report on each url that existed before; their ids by canonical hash."""
    rows = statements.lock_urls([item.canonical_hash for item in known])
    named_before = statements.named_before([pk for pk, _ in rows], source)
    for already_named in (False, True):
        ids = [pk for pk, _ in rows if (pk in named_before) == already_named]
        if ids:
            statements.count_one_more_report(
                ids, now, 0 if already_named else weight, not already_named
            )
    return {canonical_hash: pk for pk, canonical_hash in rows}
