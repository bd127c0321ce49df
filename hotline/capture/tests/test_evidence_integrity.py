"""Reading evidence back refuses anything that is not exactly what was stored, and says why."""

import shutil

import pytest

from hotline.capture.evidence import open_blob, store
from hotline.capture.evidence_errors import EvidenceCorrupt, EvidenceMissing, MasterKeyMissing
from hotline.capture.keys import key_id
from hotline.capture.models import EvidenceBlob
from hotline.capture.tests.conftest import master_key
from hotline.capture.tests.evidence_samples import sample_bytes, sample_png

pytestmark = pytest.mark.django_db


def test_a_tampered_ciphertext_is_refused(evidence_dir):
    blob = store(sample_png())
    path = evidence_dir / blob.storage_name
    ciphertext = bytearray(path.read_bytes())
    ciphertext[len(ciphertext) // 2] ^= 0x01
    path.write_bytes(bytes(ciphertext))
    with pytest.raises(EvidenceCorrupt, match=f"blob {blob.sha256}: .*integrity check"):
        open_blob(blob)


def test_a_truncated_ciphertext_is_refused(evidence_dir):
    blob = store(sample_png())
    path = evidence_dir / blob.storage_name
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(EvidenceCorrupt):
        open_blob(blob)


def test_one_blobs_ciphertext_cannot_stand_in_for_anothers(evidence_dir):
    first, second = store(sample_bytes("first")), store(sample_bytes("second"))
    shutil.copyfile(evidence_dir / first.storage_name, evidence_dir / second.storage_name)
    with pytest.raises(EvidenceCorrupt):
        open_blob(second)


def test_a_blob_whose_recorded_hash_was_changed_is_refused(evidence_dir):
    blob = store(sample_bytes())
    blob.sha256 = "0" * 64
    with pytest.raises(EvidenceCorrupt, match="0" * 64):
        open_blob(blob)


def test_a_tampered_wrapped_key_is_refused(evidence_dir):
    blob = store(sample_bytes())
    wrapped = bytearray(blob.wrapped_key)
    wrapped[0] ^= 0x80
    EvidenceBlob.objects.filter(pk=blob.pk).update(wrapped_key=bytes(wrapped))
    blob.refresh_from_db()
    with pytest.raises(EvidenceCorrupt, match="wrapped data key failed"):
        open_blob(blob)


def test_the_wrong_master_key_names_the_key_that_is_needed(evidence_dir, settings):
    blob = store(sample_bytes())
    original = blob.key_id
    other = master_key()
    settings.HOTLINE_EVIDENCE_MASTER_KEYS = [other]
    with pytest.raises(MasterKeyMissing) as refused:
        open_blob(blob)
    assert f"master key {original}, which is not configured" in str(refused.value)
    assert f"configured: {key_id(other)}" in str(refused.value)


def test_a_missing_file_is_reported_as_missing(evidence_dir):
    blob = store(sample_bytes())
    (evidence_dir / blob.storage_name).unlink()
    with pytest.raises(EvidenceMissing, match=blob.storage_name):
        open_blob(blob)


def test_a_storage_name_pointing_outside_the_store_is_never_followed(evidence_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.write_bytes(b"not evidence")
    blob = store(sample_bytes())
    blob.storage_name = "../outside"
    with pytest.raises(EvidenceCorrupt, match="not an evidence storage name"):
        open_blob(blob)
