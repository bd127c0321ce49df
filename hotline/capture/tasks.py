"""Background work of capture: thin wrappers over the pipeline, safe to run again."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django_tasks import task

from hotline.capture import pipeline


@task()
def capture_url_task(url_id: int, requested_at: str | None = None) -> int | None:
    """Capture the url; the capture's id, or None when a capture since `requested_at` answered.

    Without `requested_at` (an ISO 8601 time) it always captures anew. With it, a retry of a
    task that had already finished, or the second of two reports' requests, captures nothing.
    """
    requested = datetime.fromisoformat(requested_at) if requested_at else None
    if not pipeline.capture_due(url_id, requested):
        return None
    return pipeline.capture_url(url_id).pk


def request_captures(url_ids: Iterable[int]) -> None:
    """Enqueue a capture of each url not captured within HOTLINE_RECAPTURE_AFTER_HOURS."""
    now = timezone.now()
    for url_id in pipeline.urls_due(url_ids, now):
        capture_url_task.enqueue(url_id, now.isoformat())
