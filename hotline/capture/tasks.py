"""Background work of capture: thin wrappers over the pipeline, safe to run again."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from hotline.capture import pipeline
from hotline.core.schedule import PeriodicJob
from hotline.core.task_results import fail_stale_runs, pending_arguments
from hotline.intake.models import Url


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


def sweep_lost_captures_now(now: datetime, lost_after: timedelta) -> list[int]:
    """Request again the capture of every url reported over `lost_after` ago with no capture
    and no capture task waiting or running (one running that long is taken as lost); their ids.

    The url is marked as a report marks it, and the scheduler's dispatcher queues it
    (`hotline.capture.requests`): one way into the queue, in priority order, that survives the
    task backend being down.
    """
    cutoff = now - lost_after
    fail_stale_runs(capture_url_task, cutoff)
    waiting = {args[0] for args in pending_arguments(capture_url_task, cutoff) if args}
    # A url whose request the dispatcher has not queued yet is waiting, not lost.
    unanswered = Url.objects.filter(
        first_reported_at__lt=cutoff, captures__isnull=True, capture_requested_at__isnull=True
    )
    lost = sorted(set(unanswered.values_list("pk", flat=True)) - waiting)
    Url.objects.filter(pk__in=lost, capture_requested_at__isnull=True).update(
        capture_requested_at=now
    )
    return lost


@task()
def sweep_lost_captures() -> int:
    """The periodic sweep: how many captures it requested again (none while capture is off)."""
    if not settings.HOTLINE_CAPTURE_ON_REPORT:
        return 0
    lost_after = timedelta(minutes=settings.HOTLINE_CAPTURE_LOST_AFTER_MINUTES)
    return len(sweep_lost_captures_now(timezone.now(), lost_after))


@task()
def apply_retention_task() -> None:
    """The periodic run of `hotline apply-retention`, with its audit and stray-file clean-up."""
    call_command("apply_retention")


def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob(
            "capture-sweep",
            lambda: timedelta(minutes=settings.HOTLINE_CAPTURE_SWEEP_INTERVAL_MINUTES),
            sweep_lost_captures,
        ),
        PeriodicJob(
            "apply-retention",
            lambda: timedelta(hours=settings.HOTLINE_RETENTION_INTERVAL_HOURS),
            apply_retention_task,
        ),
    ]
