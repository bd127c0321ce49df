"""A worker that dies while storing evidence: no half-written blob, and a retry finishes the job.

A write cut short is a real one: the process's file size limit (RLIMIT_FSIZE) makes the kernel
refuse the write partway, as a full disk would.
"""

import os
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from hotline.capture.blobstore import configured_store
from hotline.capture.evidence import open_blob, store
from hotline.capture.models import EvidenceBlob
from hotline.capture.retention import stray_names
from hotline.capture.tests.evidence_samples import files_under, sample_bytes

pytestmark = pytest.mark.django_db

LARGE = 256 * 1024


@contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Writes past `limit` bytes fail with EFBIG instead of the signal that would kill pytest."""
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    previous_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, previous_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, previous_limit)
        signal.signal(signal.SIGXFSZ, previous_handler)


def test_a_write_cut_short_leaves_no_row_and_no_file(evidence_dir):
    data = sample_bytes() * (LARGE // 40)
    with file_size_limit(LARGE // 2), pytest.raises(OSError, match="too large"):
        store(data)
    assert not EvidenceBlob.objects.exists()
    assert files_under(evidence_dir) == []


def test_a_retry_after_a_write_cut_short_stores_the_blob_once(evidence_dir):
    data = sample_bytes() * (LARGE // 40)
    with file_size_limit(LARGE // 2), pytest.raises(OSError, match="too large"):
        store(data)
    blob = store(data)
    assert open_blob(blob) == data
    assert EvidenceBlob.objects.count() == 1
    assert len(files_under(evidence_dir)) == 1


def test_a_temporary_file_left_by_a_killed_worker_is_never_read(evidence_dir):
    data = sample_bytes()
    shard = evidence_dir / "ab" / "cd"
    shard.mkdir(parents=True)
    (shard / ".partial-killedworker").write_bytes(b"half a ciphertext")
    blob = store(data)
    assert open_blob(blob) == data
    assert blob.storage_name != "ab/cd/.partial-killedworker"


def capture_that_dies(data: bytes) -> None:
    with transaction.atomic():
        store(data)
        raise RuntimeError("the worker died before the capture committed")


def test_a_capture_rolled_back_after_storing_is_stored_again_on_retry(evidence_dir):
    data = sample_bytes()
    with pytest.raises(RuntimeError, match="worker died"):
        capture_that_dies(data)
    assert not EvidenceBlob.objects.exists()
    [orphan] = files_under(evidence_dir)
    blob = store(data)
    assert open_blob(blob) == data
    assert EvidenceBlob.objects.count() == 1
    later = timezone.now() + timedelta(days=2)
    orphan_name = orphan.relative_to(evidence_dir).as_posix()
    assert list(stray_names(configured_store(), later)) == [orphan_name]


def test_files_of_a_store_in_progress_are_not_strays(evidence_dir):
    shard = evidence_dir / "ab" / "cd"
    shard.mkdir(parents=True)
    (shard / ".partial-stillwriting").write_bytes(b"part of a ciphertext")
    (shard / ("e" * 32)).write_bytes(b"a ciphertext whose row is being written")
    assert list(stray_names(configured_store(), timezone.now())) == []
    old = (timezone.now() - timedelta(days=2)).timestamp()
    for path in shard.iterdir():
        os.utime(path, (old, old))
    assert sorted(stray_names(configured_store(), timezone.now())) == [
        "ab/cd/.partial-stillwriting",
        f"ab/cd/{'e' * 32}",
    ]
