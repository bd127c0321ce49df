"""Background work of capture: thin wrappers over the pipeline, safe to run again."""

from collections.abc import Collection, Iterable
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


def request_captures(url_ids: Iterable[int], *, new: Collection[int] = ()) -> None:
    """Enqueue a capture of each url not captured within HOTLINE_RECAPTURE_AFTER_HOURS.

    Urls in `new` were created by the caller just now, so nothing can have captured them: they
    skip the look-up, which is most of the cost on the path of filing a report.
    """
    now = timezone.now()
    known = set(url_ids)
    due = sorted(known & set(new)) + pipeline.urls_due(known - set(new), now)
    for url_id in due:
        capture_url_task.enqueue(url_id, now.isoformat())
