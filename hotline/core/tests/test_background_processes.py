"""`hotline serve` and `hotline run-schedule` as real processes against a database of their own.

With either task backend, `hotline serve --no-web` starts the matching worker and the scheduler:
a report filed on the site is captured, and the periodic jobs are enqueued once although two
schedulers run.
"""

import os
import signal
import time
from pathlib import Path

import pytest

from hotline.capture.tests.media_site import serve_site
from hotline.capture.tests.servers import LocalServer
from hotline.core.management.commands.serve import worker_command
from hotline.core.schedule import registered
from hotline.core.tests.services import wait_for

FILE_REPORT = """
from hotline.intake.models import Channel
from hotline.intake.services import file_report
from hotline.intake.submission import read_submission
submission = read_submission(urls=[{url!r}], where_seen="web_page", content_kind="images")
print(json.dumps(file_report(submission, channel=Channel.WEB_FORM).report.pk))
"""

CAPTURES = "SELECT status FROM capture_capture"
MEDIA_ITEMS = "SELECT count(*) FROM capture_mediaitem"
TASKS = "SELECT task_path FROM django_tasks_database_dbtaskresult"

SCHEDULED = """
from django_tasks_db.models import DBTaskResult
from hotline.core.models import ScheduledJob
paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
print(json.dumps([sorted(paths), sorted(ScheduledJob.objects.values_list("name", flat=True))]))
"""


@pytest.fixture
def site():
    server = LocalServer()
    yield serve_site(server)
    server.close()


def test_each_task_backend_has_its_worker_command(settings):
    settings.RQ_QUEUES = {"default": {}}
    assert worker_command("django_tasks_db.DatabaseBackend") == ["db_worker", "--queue-name", "*"]
    assert worker_command("django_tasks_rq.RQBackend") == [
        "rqworker",
        "--job-class",
        "django_tasks_rq.Job",
        "default",
    ]
    assert worker_command("django_tasks.backends.immediate.ImmediateBackend") is None


def test_serve_without_web_captures_a_report_with_the_database_worker(hotline_site, site):
    hotline_site.extra.update(HOTLINE_CAPTURE_ON_REPORT="true", HOTLINE_SCHEDULE_TICK_SECONDS="1")
    hotline_site.start("serve", "--no-web")
    hotline_site.python(FILE_REPORT.format(url=site.url("/page")))
    assert wait_for(lambda: hotline_site.query(CAPTURES)) == [("fetched",)]
    assert hotline_site.query(MEDIA_ITEMS) == [(5,)]


def test_serve_without_web_captures_a_report_with_an_rq_worker_and_redis(
    hotline_site, site, rq_backend
):
    hotline_site.extra.update(
        HOTLINE_CAPTURE_ON_REPORT="true",
        HOTLINE_TASK_BACKEND="django_tasks_rq.RQBackend",
        HOTLINE_REDIS_URL=rq_backend.url,
    )
    hotline_site.start("serve", "--no-web")
    hotline_site.python(FILE_REPORT.format(url=site.url("/page")))
    assert wait_for(lambda: hotline_site.query(CAPTURES)) == [("fetched",)]
    assert hotline_site.query(MEDIA_ITEMS) == [(5,)]


def test_two_schedulers_enqueue_each_periodic_job_once(hotline_site):
    expected = sorted(job.task.module_path for job in registered())
    schedulers = [hotline_site.start("run-schedule", "--tick", "1") for _ in range(2)]
    wait_for(lambda: len(hotline_site.query(TASKS)) >= len(expected))
    # Several more ticks of each scheduler: none may enqueue a job again.
    time.sleep(3)
    assert all(scheduler.poll() is None for scheduler in schedulers)
    paths, names = hotline_site.python(SCHEDULED)
    assert paths == expected
    assert names == sorted(job.name for job in registered())


def test_serve_without_web_stops_with_an_error_when_its_worker_dies(hotline_site):
    serve = hotline_site.start("serve", "--no-web")
    children = wait_for(lambda: _children(serve.pid) if len(_children(serve.pid)) == 2 else None)
    worker, scheduler = children
    os.kill(worker, signal.SIGKILL)
    assert serve.wait(timeout=60) == 1
    assert not Path(f"/proc/{scheduler}").exists() or _state(scheduler) == "Z"


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
