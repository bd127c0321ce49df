"""Periodic jobs: a registry apps fill from `AppConfig.ready()`, and the loop that enqueues them.

    from hotline.core.schedule import PeriodicJob, register
    register(PeriodicJob("recheck-notices", lambda: timedelta(hours=settings.X), recheck_task))

The task takes no arguments. The interval is a timedelta or a callable read at every tick, so a
setting changed in a test (or by a restart) applies at once. Any number of schedulers may run, on
any number of machines: each run of a job is claimed by a conditional UPDATE of the job's
`ScheduledJob` row, and only the scheduler whose UPDATE moved the row enqueues it.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task

from hotline.core.models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dispatcher:
    """Work the scheduler does itself every HOTLINE_DISPATCH_SECONDS: moving requests the web
    processes wrote to the database into the task queue. `run` returns how many it moved, and
    must be safe with several schedulers running it at once."""

    name: str
    run: Callable[[], int]


@dataclass(frozen=True)
class PeriodicJob:
    """A task without arguments enqueued once every `interval`."""

    name: str
    interval: Callable[[], timedelta] | timedelta
    task: Task[[], Any]

    def current_interval(self) -> timedelta:
        return self.interval if isinstance(self.interval, timedelta) else self.interval()


JOBS: dict[str, PeriodicJob] = {}
DISPATCHERS: dict[str, Dispatcher] = {}


def register(job: PeriodicJob) -> PeriodicJob:
    """Add `job` to the schedule; registering the same name twice with another task is an error."""
    known = JOBS.get(job.name)
    if known is not None and known.task.module_path != job.task.module_path:
        raise ValueError(f"periodic job {job.name!r} is already registered for another task")
    JOBS[job.name] = job
    return job


def register_dispatcher(dispatcher: Dispatcher) -> Dispatcher:
    DISPATCHERS[dispatcher.name] = dispatcher
    return dispatcher


def dispatch() -> dict[str, int]:
    """Run every dispatcher once; how many requests each moved (a failed one is logged)."""
    moved = {}
    for name, dispatcher in sorted(DISPATCHERS.items()):
        try:
            moved[name] = dispatcher.run()
        except Exception:
            logger.exception("dispatcher %s failed", name)
    return moved


def registered() -> list[PeriodicJob]:
    return sorted(JOBS.values(), key=lambda job: job.name)


def claim(job: PeriodicJob, now: datetime) -> bool:
    """Move the job's row to `now` if its last run is older than its interval; True if moved."""
    ScheduledJob.objects.get_or_create(name=job.name)
    due = Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - job.current_interval())
    return ScheduledJob.objects.filter(due, name=job.name).update(last_enqueued_at=now) == 1


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose interval has passed; the names of those this call enqueued.

    Claim and enqueue share a transaction: when the task backend refuses the job (Redis down),
    the claim rolls back and the next tick tries again.
    """
    now = now or timezone.now()
    enqueued = []
    for job in registered():
        try:
            with transaction.atomic():
                if claim(job, now):
                    job.task.enqueue()
                    enqueued.append(job.name)
        except Exception:
            logger.exception("could not enqueue periodic job %s", job.name)
    return enqueued


def run_forever(
    tick: timedelta, stop: threading.Event | None = None, dispatch_every: timedelta | None = None
) -> None:
    """Run the dispatchers every `dispatch_every` and enqueue due jobs every `tick`, until `stop`
    is set."""
    stop = stop or threading.Event()
    period = (dispatch_every or tick).total_seconds()
    next_jobs = time.monotonic()
    while not stop.is_set():
        for name, moved in dispatch().items():
            if moved:
                logger.info("dispatcher %s queued %d", name, moved)
        if time.monotonic() >= next_jobs:
            for name in enqueue_due():
                logger.info("enqueued periodic job %s", name)
            next_jobs = time.monotonic() + tick.total_seconds()
        stop.wait(period)
