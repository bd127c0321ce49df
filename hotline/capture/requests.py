"""Capture requests: what filing a report asks of capture, and how those asks become tasks.

Filing a report only marks its urls (`Url.capture_requested_at`), in the statements that store
the report: it writes no task, so a report costs less and is accepted even while the task backend
(Redis) is down. The scheduler's dispatcher then queues a capture task for each marked url, in
priority order, and clears the marks in the same transaction: a request is either still marked or
queued, never lost and never queued twice, however many dispatchers run.
"""

from collections.abc import Collection
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from hotline.capture.models import Capture
from hotline.capture.tasks import capture_url_task
from hotline.intake.models import Url

# A burst of reports is queued a batch per transaction; this many batches per dispatch at most,
# so that one dispatch cannot hold the scheduler for long.
MAX_BATCHES = 20


def request_recaptures(url_ids: Collection[int], now: datetime) -> None:
    """Ask for a new capture of each known url not captured within HOTLINE_RECAPTURE_AFTER_HOURS.

    A url already waiting for its capture keeps its earlier request. One plain UPDATE: it runs on
    the path of filing a report, where the ORM's two queries cost a millisecond of CPU each.
    """
    if not url_ids:
        return
    since = now - timedelta(hours=settings.HOTLINE_RECAPTURE_AFTER_HOURS)
    adapt = connection.ops.adapt_datetimefield_value
    placeholders = ", ".join(["%s"] * len(url_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            _REQUEST_RECAPTURES_SQL % {"ids": placeholders},
            [adapt(now), *url_ids, adapt(since)],
        )


_REQUEST_RECAPTURES_SQL = (
    # Only table names are formatted in; every value is a parameter.
    f"UPDATE {Url._meta.db_table} SET capture_requested_at = %%s"  # noqa: S608
    " WHERE id IN (%(ids)s) AND capture_requested_at IS NULL AND NOT EXISTS ("
    f" SELECT 1 FROM {Capture._meta.db_table} AS capture"
    f" WHERE capture.url_id = {Url._meta.db_table}.id AND capture.started_at >= %%s)"
)


def dispatch_capture_requests(batch: int | None = None) -> int:
    """Queue the capture of every url whose capture was requested; how many were queued."""
    size = batch or settings.HOTLINE_CAPTURE_DISPATCH_BATCH
    total = 0
    for _ in range(MAX_BATCHES):
        queued = _dispatch_batch(size)
        total += queued
        if queued < size:
            break
    return total


def _dispatch_batch(size: int) -> int:
    with transaction.atomic():
        # SKIP LOCKED: two dispatchers share the requests instead of queueing them twice.
        marked = Url.objects.select_for_update(skip_locked=True).filter(
            capture_requested_at__isnull=False
        )
        requests = list(
            marked.order_by("-priority", "capture_requested_at").values_list(
                "pk", "capture_requested_at"
            )[:size]
        )
        for url_id, requested_at in requests:
            assert requested_at is not None  # the filter above
            # Enqueued before the marks are cleared, with any backend: if Redis refuses, the
            # transaction rolls back and the requests wait for the next dispatch. The urls are
            # already committed, so a worker may start at once; a task queued twice after a
            # failed commit captures once (capture_url_task checks for a capture since then).
            capture_url_task.enqueue(url_id, requested_at.isoformat())
        Url.objects.filter(pk__in=[url_id for url_id, _ in requests]).update(
            capture_requested_at=None
        )
    return len(requests)
