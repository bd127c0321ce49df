"""Which urls a report asks to capture, and how the dispatcher turns those asks into tasks."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from hotline.capture.models import Capture
from hotline.capture.requests import dispatch_capture_requests
from hotline.capture.tasks import capture_url_task
from hotline.core.schedule import dispatch
from hotline.intake.models import Channel, Url
from hotline.intake.services import file_report
from hotline.intake.submission import read_submission

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

pytestmark = pytest.mark.django_db
# Inside the test's own transaction, filing's atomic block is a savepoint and its release.
SAVEPOINT_STATEMENTS = 2


@pytest.fixture(autouse=True)
def capture_on(settings):
    settings.HOTLINE_CAPTURE_ON_REPORT = True
    settings.TASKS = DUMMY


def report(*addresses: str) -> None:
    submission = read_submission(urls=list(addresses), where_seen="web_page", content_kind="images")
    file_report(submission, channel=Channel.WEB_FORM)


def url(address: str) -> Url:
    return Url.objects.get(canonical=address)


def enqueued() -> list[tuple[int, str]]:
    """(url id, requested at) of the capture tasks queued on this test's dummy backend."""
    results = default_task_backend.results  # type: ignore[attr-defined]
    return [tuple(result.args) for result in results]


def test_filing_a_report_requests_each_new_url_and_queues_no_task(django_assert_num_queries):
    # The report, its new urls (already requested) and its links: three statements, no task.
    with django_assert_num_queries(3 + SAVEPOINT_STATEMENTS):
        report("https://one.example.com/", "https://two.example.com/")

    assert enqueued() == []
    assert Url.objects.filter(capture_requested_at__isnull=False).count() == 2


def test_the_dispatcher_queues_each_request_once_and_clears_it(
    django_capture_on_commit_callbacks,
):
    report("https://one.example.com/")
    requested_at = url("https://one.example.com/").capture_requested_at
    assert requested_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_capture_requests() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_capture_requests() == 0

    assert enqueued() == [(url("https://one.example.com/").pk, requested_at.isoformat())]
    assert url("https://one.example.com/").capture_requested_at is None


def test_the_dispatcher_queues_the_highest_priority_urls_first(
    django_capture_on_commit_callbacks,
):
    report("https://low.example.com/")
    for _ in range(3):
        report("https://high.example.com/")
    Url.objects.update(capture_requested_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_capture_requests(batch=1) == 2

    first, second = (url_id for url_id, _ in enqueued())
    assert (first, second) == (
        url("https://high.example.com/").pk,
        url("https://low.example.com/").pk,
    )


def test_a_known_url_captured_recently_is_not_requested_again(django_capture_on_commit_callbacks):
    report("https://known.example.com/")
    known = url("https://known.example.com/")
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_capture_requests()
    now = timezone.now()
    Capture.objects.create(url=known, started_at=now, finished_at=now, status="failed")

    report("https://known.example.com/")

    assert url("https://known.example.com/").capture_requested_at is None


def test_a_known_url_captured_long_ago_is_requested_again(settings):
    settings.HOTLINE_RECAPTURE_AFTER_HOURS = 24
    report("https://old.example.com/")
    old = url("https://old.example.com/")
    Url.objects.update(capture_requested_at=None)
    long_ago = timezone.now() - timedelta(hours=25)
    Capture.objects.create(url=old, started_at=long_ago, finished_at=long_ago, status="fetched")

    report("https://old.example.com/")

    assert url("https://old.example.com/").capture_requested_at is not None


def test_a_url_waiting_for_its_capture_keeps_its_first_request():
    report("https://waiting.example.com/")
    first = url("https://waiting.example.com/").capture_requested_at

    report("https://waiting.example.com/")

    assert url("https://waiting.example.com/").capture_requested_at == first


def test_a_report_rolled_back_leaves_no_request():
    def report_then_fail() -> None:
        with transaction.atomic():
            report("https://rolled-back.example.com/")
            raise RuntimeError("the report is rolled back")

    with pytest.raises(RuntimeError):
        report_then_fail()

    assert not Url.objects.exists()
    assert dispatch_capture_requests() == 0


def test_nothing_is_requested_when_capture_on_report_is_off(settings):
    settings.HOTLINE_CAPTURE_ON_REPORT = False
    report("https://off.example.com/")
    assert url("https://off.example.com/").capture_requested_at is None


def test_the_scheduler_runs_the_capture_dispatcher(django_capture_on_commit_callbacks):
    report("https://scheduled.example.com/")
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch()["capture-requests"] == 1
    assert [url_id for url_id, _ in enqueued()] == [url("https://scheduled.example.com/").pk]


def test_with_the_database_backend_the_tasks_are_written_in_the_dispatcher_transaction(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report("https://same-transaction.example.com/")

    with django_capture_on_commit_callbacks() as callbacks:
        dispatch_capture_requests()

    assert callbacks == []
    queued = DBTaskResult.objects.get(task_path=capture_url_task.module_path)
    assert queued.args_kwargs["args"][0] == url("https://same-transaction.example.com/").pk
