"""What the task backend still holds for a task: the arguments of its waiting and running runs.

The Tasks API has no way to list results, so this reads each backend's own records: the
database backend's result rows, or RQ's queue and started-job registry. A run that started
before `stale_before` is not counted as running: its worker was killed or lost.
"""

from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import Task, TaskResultStatus


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it."""


def enqueued_in_the_database(task: Task[Any, Any]) -> bool:
    """Whether `task` is enqueued by a write in the caller's database transaction."""
    return _backend_module(task).startswith("django_tasks_db")


def enqueue_once_committed(task: Task[Any, Any], *args: Any) -> None:
    """Enqueue `task` so that it runs only if the caller's transaction commits, after it has.

    The database backend writes the task in the caller's transaction, at no extra commit, and its
    worker sees it only with the data; any other backend (Redis) could start the task before the
    commit, so it is enqueued on commit instead.
    """
    if enqueued_in_the_database(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(partial(task.enqueue, *args))


def pending_arguments(task: Task[Any, Any], stale_before: datetime) -> list[list[Any]]:
    """The positional arguments of every run of `task` that waits, or runs and is not stale."""
    backend = _backend_module(task)
    if backend.startswith("django_tasks_db"):
        return _database_pending(task, stale_before)
    if backend.startswith("django_tasks_rq"):
        return _rq_pending(task, stale_before)
    return []


def fail_stale_runs(task: Task[Any, Any], stale_before: datetime) -> int:
    """Mark the database backend's runs of `task` still RUNNING since before `stale_before` as
    failed (their worker was killed: django-tasks-db never looks at them again); how many.

    One conditional UPDATE, so that a run finishing meanwhile keeps its own outcome.
    """
    from django_tasks_db.models import DBTaskResult

    stale = DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.RUNNING, started_at__lt=stale_before
    )
    return stale.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{WorkerLost.__qualname__}: {WorkerLost.__doc__}",
    )


def _database_pending(task: Task[Any, Any], stale_before: datetime) -> list[list[Any]]:
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    waiting = Q(status=TaskResultStatus.READY)
    running = Q(status=TaskResultStatus.RUNNING, started_at__gte=stale_before)
    rows = DBTaskResult.objects.filter(waiting | running, task_path=task.module_path)
    return [list(row["args"]) for row in rows.values_list("args_kwargs", flat=True)]


def _rq_pending(task: Task[Any, Any], stale_before: datetime) -> list[list[Any]]:
    import django_rq
    from rq.job import Job

    queue = django_rq.get_queue(task.queue_name)
    ids = [
        *queue.get_job_ids(),
        *queue.scheduled_job_registry.get_job_ids(),
        *queue.started_job_registry.get_job_ids(),
    ]
    jobs = Job.fetch_many(ids, connection=queue.connection)
    return [
        list(job.args)
        for job in jobs
        if job is not None and job.func_name == task.module_path and _not_stale(job, stale_before)
    ]


def _not_stale(job: Any, stale_before: datetime) -> bool:
    # RQ keeps its times in aware UTC.
    return job.started_at is None or bool(job.started_at >= stale_before)


def _backend_module(task: Task[Any, Any]) -> str:
    return type(task_backends[task.backend]).__module__
