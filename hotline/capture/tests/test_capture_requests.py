"""Which urls a report asks to capture, and what asking costs on the path of filing a report."""

import pytest
from django.utils import timezone
from django_tasks import default_task_backend

from hotline.capture.models import Capture
from hotline.capture.tasks import request_captures
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
    settings, django_assert_num_queries
):
    settings.TASKS = DUMMY
    first, second = _url("first"), _url("second")

    with django_assert_num_queries(0):
        request_captures([first.pk, second.pk], new={first.pk, second.pk})

    assert sorted(_enqueued()) == [first.pk, second.pk]


@pytest.mark.django_db
def test_a_known_url_captured_recently_is_not_queued_again(settings, django_assert_num_queries):
    settings.TASKS = DUMMY
    fresh, known = _url("fresh"), _url("known")
    now = timezone.now()
    Capture.objects.create(url=known, started_at=now, finished_at=now, status="failed")

    with django_assert_num_queries(1):
        request_captures([fresh.pk, known.pk], new={fresh.pk})

    assert _enqueued() == [fresh.pk]
