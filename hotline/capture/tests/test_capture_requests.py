"""Which urls a report asks to capture, and what asking costs on the path of filing a report."""

import pytest
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from hotline.capture.models import Capture
from hotline.capture.tasks import capture_url_task, request_captures
from hotline.intake.models import Url

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _url(name: str) -> Url:
    now = timezone.now()
    return Url.objects.create(
        canonical=f"https://{name}.example.com/",
        canonical_hash=Url.hash_canonical(name),
        host=f"{name}.example.com",
        first_reported_at=now,
        last_reported_at=now,
    )


def _enqueued() -> list[int]:
    """Url ids of the capture tasks queued on this test's fresh dummy backend."""
    return [result.args[0] for result in default_task_backend.results]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_urls_a_report_just_created_are_queued_without_looking_up_captures(
    settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    first, second = _url("first"), _url("second")

    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(0):
        request_captures([first.pk, second.pk], new={first.pk, second.pk})

    assert sorted(_enqueued()) == [first.pk, second.pk]


@pytest.mark.django_db
def test_a_known_url_captured_recently_is_not_queued_again(
    settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    fresh, known = _url("fresh"), _url("known")
    now = timezone.now()
    Capture.objects.create(url=known, started_at=now, finished_at=now, status="failed")

    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(1):
        request_captures([fresh.pk, known.pk], new={fresh.pk})

    assert _enqueued() == [fresh.pk]


@pytest.mark.django_db
def test_captures_are_queued_only_once_the_report_commits(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    url = _url("later")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request_captures([url.pk], new={url.pk})
        assert _enqueued() == []

    assert len(callbacks) == 1
    assert _enqueued() == [url.pk]


@pytest.mark.django_db
def test_with_the_database_backend_captures_are_queued_in_the_report_transaction(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    url = _url("same-transaction")

    with django_capture_on_commit_callbacks() as callbacks:
        request_captures([url.pk], new={url.pk})

    assert callbacks == []
    queued = DBTaskResult.objects.get(task_path=capture_url_task.module_path)
    assert queued.args_kwargs["args"][0] == url.pk
