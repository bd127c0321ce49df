"""Captures through RQ and a real Redis: enqueued once the report commits, run by an RQ worker."""

import django_rq
import pytest
from django_tasks_rq import Job
from rq import SimpleWorker

from hotline.capture.models import Capture, CaptureStatus, MediaItem
from hotline.capture.tasks import capture_url_task
from hotline.capture.tests.media_site import Site, reported, serve_site
from hotline.intake.models import Channel
from hotline.intake.services import file_report
from hotline.intake.submission import read_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(server, policy, evidence_dir) -> Site:
    return serve_site(server)


def work_off_queue() -> None:
    """Run every queued job in this process and thread, as an RQ worker would, then stop."""
    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def queued() -> int:
    return django_rq.get_queue("default").count


def test_a_report_is_queued_in_redis_only_once_it_commits_then_captured_by_a_worker(
    site, settings, rq_backend, django_capture_on_commit_callbacks
):
    settings.HOTLINE_CAPTURE_ON_REPORT = True
    submission = read_submission(
        urls=[site.url("/page")], where_seen="web_page", content_kind="images"
    )
    with django_capture_on_commit_callbacks(execute=True):
        file_report(submission, channel=Channel.WEB_FORM)
        assert queued() == 0
    assert queued() == 1

    work_off_queue()

    capture = Capture.objects.get()
    assert capture.status == CaptureStatus.FETCHED
    assert capture.url.canonical == site.url("/page")
    assert MediaItem.objects.count() == 5
    assert queued() == 0


def test_the_result_of_a_capture_run_by_an_rq_worker_is_read_back_from_redis(site, rq_backend):
    url = reported(site.url("/og.jpg"))
    result = capture_url_task.enqueue(url.pk)
    work_off_queue()
    result.refresh()
    assert result.return_value == Capture.objects.get(url=url).pk
