"""The sweep: a url whose capture task was lost (Redis flushed, worker killed) is requested
again, and the dispatcher queues it as it queues a report's request."""

from datetime import timedelta

import django_rq
import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hotline.capture.models import Capture
from hotline.capture.requests import dispatch_capture_requests
from hotline.capture.tasks import capture_url_task, sweep_lost_captures, sweep_lost_captures_now
from hotline.capture.tests.media_site import reported
from hotline.intake.models import Url

pytestmark = pytest.mark.django_db

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOST_AFTER = timedelta(minutes=10)


def url_reported(minutes_ago: int, name: str = "page") -> int:
    when = timezone.now() - timedelta(minutes=minutes_ago)
    return reported(f"http://127.0.0.1:9/{name}", when).pk


def requested_urls() -> list[int]:
    requested = Url.objects.filter(capture_requested_at__isnull=False)
    return sorted(requested.values_list("pk", flat=True))


def queued_urls() -> list[int]:
    rows = DBTaskResult.objects.filter(
        task_path=capture_url_task.module_path, status=TaskResultStatus.READY
    )
    return sorted(row["args"][0] for row in rows.values_list("args_kwargs", flat=True))


@pytest.fixture
def database_backend(settings):
    settings.TASKS = DATABASE


def test_a_url_long_reported_with_no_capture_and_no_task_is_requested_then_queued_again(
    database_backend,
):
    lost = url_reported(minutes_ago=30)
    assert sweep_lost_captures_now(timezone.now(), LOST_AFTER) == [lost]
    assert (requested_urls(), queued_urls()) == ([lost], [])

    assert dispatch_capture_requests() == 1
    assert (requested_urls(), queued_urls()) == ([], [lost])


def test_a_url_the_sweep_requested_is_not_requested_twice(database_backend):
    lost = url_reported(minutes_ago=30)
    assert sweep_lost_captures_now(timezone.now(), LOST_AFTER) == [lost]
    assert sweep_lost_captures_now(timezone.now(), LOST_AFTER) == []
    assert dispatch_capture_requests() == 1


def test_urls_reported_recently_captured_or_still_queued_are_left_alone(database_backend):
    url_reported(minutes_ago=2, name="recent")
    captured = url_reported(minutes_ago=30, name="captured")
    now = timezone.now()
    Capture.objects.create(url_id=captured, started_at=now, finished_at=now, status="failed")
    waiting = url_reported(minutes_ago=30, name="waiting")
    capture_url_task.enqueue(waiting, now.isoformat())

    assert sweep_lost_captures_now(now, LOST_AFTER) == []
    assert (requested_urls(), queued_urls()) == ([], [waiting])


def test_a_task_running_for_longer_than_allowed_is_failed_and_its_url_queued_again(
    database_backend,
):
    url = url_reported(minutes_ago=60)
    capture_url_task.enqueue(url)
    # A worker claimed the task 30 minutes ago and was killed: django-tasks-db keeps it RUNNING.
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=30)
    )

    assert sweep_lost_captures_now(timezone.now(), LOST_AFTER) == [url]

    lost_run = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert lost_run.exception_class_path == "hotline.core.task_results.WorkerLost"
    assert dispatch_capture_requests() == 1
    assert queued_urls() == [url]


def test_a_task_still_running_within_the_allowed_time_is_not_duplicated(database_backend):
    url = url_reported(minutes_ago=60)
    capture_url_task.enqueue(url)
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=3)
    )
    assert sweep_lost_captures_now(timezone.now(), LOST_AFTER) == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_a_capture_job_lost_when_redis_was_flushed_is_queued_again(rq_backend):
    url = url_reported(minutes_ago=30)
    capture_url_task.enqueue(url)
    queue = django_rq.get_queue("default")
    assert sweep_lost_captures_now(timezone.now(), LOST_AFTER) == []

    queue.connection.flushall()
    assert sweep_lost_captures_now(timezone.now(), LOST_AFTER) == [url]
    assert dispatch_capture_requests() == 1
    assert [job.args[0] for job in queue.get_jobs()] == [url]


def test_the_periodic_sweep_does_nothing_while_capture_on_report_is_off(database_backend, settings):
    url_reported(minutes_ago=30)
    settings.HOTLINE_CAPTURE_ON_REPORT = False
    assert sweep_lost_captures.call() == 0
    settings.HOTLINE_CAPTURE_ON_REPORT = True
    assert sweep_lost_captures.call() == 1
