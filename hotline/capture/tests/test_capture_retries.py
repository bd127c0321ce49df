"""The capture task: safe to run again, and run for the urls a report names."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.capture.models import Capture, EvidenceBlob, MediaItem
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


def report(*urls: str) -> None:
    """File a report, then queue the captures it asked for, as the scheduler would."""
    submission = read_submission(urls=list(urls), where_seen="web_page", content_kind="images")
    file_report(submission, channel=Channel.WEB_FORM)
    dispatch_capture_requests()


def test_the_task_run_twice_stores_no_media_and_no_blob_twice(site):
    url = reported(site.url("/page"))
    capture_url_task.enqueue(url.pk)
    items, blobs = MediaItem.objects.count(), EvidenceBlob.objects.count()
    capture_url_task.enqueue(url.pk)
    assert MediaItem.objects.count() == items == 5
    # Only the second capture's own WARC is new: it records the page at a later moment.
    assert EvidenceBlob.objects.count() == blobs + 1
    assert Capture.objects.filter(url=url).count() == 2


def test_a_retry_of_a_task_that_had_finished_captures_nothing_again(site):
    url = reported(site.url("/page"))
    requested_at = timezone.now().isoformat()
    first = capture_url_task.enqueue(url.pk, requested_at)
    retry = capture_url_task.enqueue(url.pk, requested_at)
    assert first.return_value == Capture.objects.get(url=url).pk
    assert retry.return_value is None


def test_a_task_for_a_url_that_is_gone_does_nothing(site):
    assert capture_url_task.enqueue(987654).return_value is None


def test_filing_a_report_captures_each_new_url(site, settings):
    settings.HOTLINE_CAPTURE_ON_REPORT = True
    report(site.url("/page"), site.url("/og.jpg"))
    assert Capture.objects.count() == 2
    assert MediaItem.objects.count() == 5
    assert {capture.url.canonical for capture in Capture.objects.all()} == {
        site.url("/page"),
        site.url("/og.jpg"),
    }


def test_a_later_report_captures_again_only_once_the_last_capture_is_old_enough(site, settings):
    settings.HOTLINE_CAPTURE_ON_REPORT = True
    settings.HOTLINE_RECAPTURE_AFTER_HOURS = 24
    for _ in range(2):
        report(site.url("/og.jpg"))
    assert Capture.objects.count() == 1
    Capture.objects.update(started_at=timezone.now() - timedelta(hours=25))
    report(site.url("/og.jpg"))
    assert Capture.objects.count() == 2
    assert Url.objects.get().report_count == 3


def test_reports_capture_nothing_when_capture_on_report_is_off(site, settings):
    settings.HOTLINE_CAPTURE_ON_REPORT = False
    report(site.url("/page"))
    assert not Capture.objects.exists()
