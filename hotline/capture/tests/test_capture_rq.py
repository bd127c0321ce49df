"""Captures through RQ and a real Redis: queued by the dispatcher once the report commits, run
by an RQ worker."""

import django_rq
import pytest
import redis
from django_tasks_rq import Job
from rq import SimpleWorker

from hotline.capture.models import Capture, CaptureStatus, MediaItem
from hotline.capture.requests import dispatch_capture_requests
from hotline.capture.tasks import capture_url_task
from hotline.capture.tests.media_site import Site, reported, serve_site
from hotline.intake.models import Channel, Url
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


def test_a_report_is_queued_in_redis_by_the_dispatcher_then_captured_by_a_worker(
    site, settings, rq_backend
):
    settings.HOTLINE_CAPTURE_ON_REPORT = True
    submission = read_submission(
        urls=[site.url("/page")], where_seen="web_page", content_kind="images"
    )
    file_report(submission, channel=Channel.WEB_FORM)
    assert queued() == 0
    assert dispatch_capture_requests() == 1
    assert queued() == 1

    work_off_queue()

    capture = Capture.objects.get()
    assert capture.status == CaptureStatus.FETCHED
    assert capture.url.canonical == site.url("/page")
    assert MediaItem.objects.count() == 5
    assert queued() == 0


def test_reports_are_accepted_while_redis_is_down_and_queued_once_it_is_back(
    site, settings, rq_backend
):
    settings.HOTLINE_CAPTURE_ON_REPORT = True
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:9/0"}}
    submission = read_submission(
        urls=[site.url("/page")], where_seen="web_page", content_kind="images"
    )
    file_report(submission, channel=Channel.WEB_FORM)
    with pytest.raises(redis.ConnectionError):
        dispatch_capture_requests()
    assert Url.objects.get().capture_requested_at is not None

    settings.RQ_QUEUES = {"default": {"URL": rq_backend.url}}
    assert dispatch_capture_requests() == 1
    assert queued() == 1
    assert Url.objects.get().capture_requested_at is None


def test_the_result_of_a_capture_run_by_an_rq_worker_is_read_back_from_redis(site, rq_backend):
    url = reported(site.url("/og.jpg"))
    result = capture_url_task.enqueue(url.pk)
    work_off_queue()
    result.refresh()
    assert result.return_value == Capture.objects.get(url=url).pk
