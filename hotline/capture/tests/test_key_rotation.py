"""`hotline rotate-key`: every data key re-wrapped by the newest master key, no blob rewritten."""

import io

import pytest
from django.core.management import CommandError, call_command

from hotline.audit.models import AuditEntry
from hotline.capture.evidence import configured_keyring, open_blob, store
from hotline.capture.keys import key_id
from hotline.capture.models import EvidenceBlob
from hotline.capture.rotation import rotate_master_key
from hotline.capture.tests.conftest import master_key
from hotline.capture.tests.evidence_samples import files_under, sample_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_key(evidence_dir, settings):
    return settings.HOTLINE_EVIDENCE_MASTER_KEYS[0]


def put_new_key_first(settings, old_key: bytes) -> bytes:
    """A new master key put first, the old one kept below it, as an operator rotates."""
    key = master_key()
    settings.HOTLINE_EVIDENCE_MASTER_KEYS = [key, old_key]
    return key


def stored_under_old_key(count: int) -> dict[str, bytes]:
    return {store(data).sha256: data for data in (sample_bytes(str(n)) for n in range(count))}


def rotate(**options) -> str:
    out = io.StringIO()
    call_command("rotate_key", stdout=out, **options)
    return out.getvalue()


def snapshot(evidence_dir) -> dict[str, tuple[bytes, int]]:
    return {
        str(path): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in files_under(evidence_dir)
    }


def test_new_blobs_are_wrapped_by_the_first_key(old_key, settings):
    new = put_new_key_first(settings, old_key)
    assert store(sample_bytes()).key_id == key_id(new)


def test_rotation_rewraps_every_blob_without_rewriting_its_file(evidence_dir, settings, old_key):
    stored = stored_under_old_key(3)
    files_before = snapshot(evidence_dir)
    new = put_new_key_first(settings, old_key)
    output = rotate(batch_size=2)
    assert "re-wrapped 2 of 3" in output
    assert "re-wrapped 3 of 3" in output
    assert set(EvidenceBlob.objects.values_list("key_id", flat=True)) == {key_id(new)}
    assert snapshot(evidence_dir) == files_before
    settings.HOTLINE_EVIDENCE_MASTER_KEYS = [new]
    for blob in EvidenceBlob.objects.all():
        assert open_blob(blob) == stored[blob.sha256]


def test_a_stopped_rotation_resumes_with_the_blobs_left(old_key, settings):
    stored_under_old_key(3)
    new = put_new_key_first(settings, old_key)

    def stop_after_first_batch(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotate_master_key(configured_keyring(), batch_size=1, progress=stop_after_first_batch)
    assert EvidenceBlob.objects.filter(key_id=key_id(new)).count() == 1
    output = rotate(batch_size=1)
    assert "re-wrapped 2 of 2" in output
    assert "2 blobs re-wrapped" in output
    assert set(EvidenceBlob.objects.values_list("key_id", flat=True)) == {key_id(new)}
    assert "0 blobs re-wrapped" in rotate()


def test_rotation_without_the_old_key_refuses_and_changes_nothing(old_key, settings):
    stored_under_old_key(2)
    settings.HOTLINE_EVIDENCE_MASTER_KEYS = [master_key()]
    with pytest.raises(CommandError, match=f"master key\\(s\\) {key_id(old_key)}, which are not"):
        rotate()
    assert set(EvidenceBlob.objects.values_list("key_id", flat=True)) == {key_id(old_key)}


def test_rotation_is_audited_with_its_counts(old_key, settings):
    stored_under_old_key(2)
    new = put_new_key_first(settings, old_key)
    rotate()
    entry = AuditEntry.objects.get(action="evidence.key_rotated")
    assert entry.detail == {
        "to_key_id": key_id(new),
        "from_key_ids": [key_id(old_key)],
        "rewrapped": 2,
        "corrupt": 0,
    }


def test_a_blob_with_a_damaged_wrapped_key_is_named_and_the_others_rotate(old_key, settings):
    stored_under_old_key(3)
    new = put_new_key_first(settings, old_key)
    damaged = EvidenceBlob.objects.order_by("pk")[1]
    EvidenceBlob.objects.filter(pk=damaged.pk).update(wrapped_key=b"\x00" * 40)
    with pytest.raises(CommandError, match=damaged.sha256):
        rotate()
    assert EvidenceBlob.objects.filter(key_id=key_id(new)).count() == 2
    assert EvidenceBlob.objects.get(pk=damaged.pk).key_id == key_id(old_key)
