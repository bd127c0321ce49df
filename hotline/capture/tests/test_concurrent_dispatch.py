"""Dispatchers running at the same moment share the capture requests. Needs PostgreSQL.

On SQLite one write transaction runs at a time, so there is no race to lose; these tests are
deselected there (see conftest.py) and run in CI's PostgreSQL phase.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hotline.capture.requests import dispatch_capture_requests
from hotline.capture.tasks import capture_url_task
from hotline.intake.models import Url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DISPATCHERS = 4
REQUESTS = 400


def test_simultaneous_dispatchers_queue_each_request_exactly_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    Url.objects.bulk_create(
        Url(
            canonical=f"https://example.com/{n}",
            canonical_hash=Url.hash_canonical(f"https://example.com/{n}"),
            host="example.com",
            first_reported_at=now,
            last_reported_at=now,
            capture_requested_at=now,
        )
        for n in range(REQUESTS)
    )
    start = threading.Barrier(DISPATCHERS)

    def dispatch(_: int) -> int:
        start.wait(timeout=30)
        try:
            return dispatch_capture_requests(batch=25)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=DISPATCHERS) as pool:
        counts = list(pool.map(dispatch, range(DISPATCHERS)))

    queued = DBTaskResult.objects.filter(task_path=capture_url_task.module_path)
    url_ids = [row["args"][0] for row in queued.values_list("args_kwargs", flat=True)]
    assert sum(counts) == len(url_ids) == REQUESTS
    assert sorted(url_ids) == sorted(Url.objects.values_list("pk", flat=True))
    assert not Url.objects.filter(capture_requested_at__isnull=False).exists()
