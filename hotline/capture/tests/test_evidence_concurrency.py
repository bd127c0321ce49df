"""Workers storing the same bytes at the same moment: one row, one file. Needs PostgreSQL.

SQLite runs one write transaction at a time, so there the same code has no race to lose, and its
in-memory test database refuses concurrent connections: these tests are deselected on SQLite
(see conftest.py) and run in CI's PostgreSQL phase.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from hotline.capture.evidence import open_blob, store
from hotline.capture.models import EvidenceBlob
from hotline.capture.tests.evidence_samples import files_under, sample_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 8
# Large enough that every worker has checked for the row before any has written its ciphertext.
SIZE = 4 * 1024 * 1024


def store_at_once(data: bytes) -> list[EvidenceBlob]:
    start = threading.Barrier(WORKERS)

    def worker(_: int) -> EvidenceBlob:
        start.wait(timeout=30)
        try:
            return store(data)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(worker, range(WORKERS)))


def test_simultaneous_stores_of_new_bytes_make_one_row_and_one_file(evidence_dir):
    data = sample_bytes() * (SIZE // 40)
    blobs = store_at_once(data)
    assert {blob.pk for blob in blobs} == {EvidenceBlob.objects.get().pk}
    [path] = files_under(evidence_dir)
    assert path.relative_to(evidence_dir).as_posix() == EvidenceBlob.objects.get().storage_name
    assert open_blob(EvidenceBlob.objects.get()) == data


def test_simultaneous_stores_of_deleted_bytes_revive_the_row_once(evidence_dir):
    data = sample_bytes() * (SIZE // 40)
    blob = store(data)
    EvidenceBlob.objects.filter(pk=blob.pk).update(
        deleted_at=timezone.now() - timedelta(days=1), storage_name="", wrapped_key=b""
    )
    (evidence_dir / blob.storage_name).unlink()
    store_at_once(data)
    revived = EvidenceBlob.objects.get()
    assert revived.deleted_at is None
    assert [path.relative_to(evidence_dir).as_posix() for path in files_under(evidence_dir)] == [
        revived.storage_name
    ]
    assert open_blob(revived) == data
