"""Storing evidence: once per SHA-256, encrypted, and given back exactly as it was."""

import hashlib
import re
import stat

import pytest

from hotline.capture.evidence import open_blob, store
from hotline.capture.models import EvidenceBlob
from hotline.capture.tests.evidence_samples import files_under, sample_bytes, sample_png

pytestmark = pytest.mark.django_db


def test_stored_bytes_come_back_unchanged(evidence_dir):
    image = sample_png()
    blob = store(image)
    blob.refresh_from_db()
    assert open_blob(blob) == image
    assert blob.sha256 == hashlib.sha256(image).hexdigest()
    assert (blob.size, blob.content_type) == (len(image), "image/png")


def test_the_same_bytes_stored_twice_make_one_row_and_one_file(evidence_dir):
    image = sample_png()
    first = store(image)
    [path] = files_under(evidence_dir)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    second = store(image)
    assert second.pk == first.pk
    assert EvidenceBlob.objects.count() == 1
    assert files_under(evidence_dir) == [path]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_storing_the_same_bytes_again_marks_the_blob_as_seen_again(evidence_dir):
    data = sample_bytes()
    blob = store(data)
    EvidenceBlob.objects.filter(pk=blob.pk).update(last_seen_at="2020-01-01T00:00:00Z")
    again = store(data)
    assert again.last_seen_at > blob.created_at


def test_no_plaintext_reaches_the_evidence_directory(evidence_dir):
    marker = "BENIGN-MARKER-5f0c1e"
    store(sample_png(marker))
    store(f"plain text holding {marker}".encode())
    files = files_under(evidence_dir)
    assert len(files) == 2
    for path in files:
        assert marker.encode() not in path.read_bytes()
        assert b"PNG" not in path.read_bytes()


def test_each_blob_has_its_own_data_key_and_nonce(evidence_dir):
    first, second = store(sample_bytes("one")), store(sample_bytes("two"))
    assert bytes(first.wrapped_key) != bytes(second.wrapped_key)
    assert bytes(first.nonce) != bytes(second.nonce)
    assert len(bytes(first.wrapped_key)) == 40
    assert len(bytes(first.nonce)) == 12


def test_files_are_named_at_random_so_a_listing_reveals_no_hash(evidence_dir):
    blob = store(sample_png())
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}", blob.storage_name)
    assert blob.storage_name[-32:] not in blob.sha256
    [path] = files_under(evidence_dir)
    assert path.relative_to(evidence_dir).as_posix() == blob.storage_name


def test_the_evidence_directory_is_closed_to_other_users(evidence_dir):
    store(sample_bytes())
    assert stat.S_IMODE(evidence_dir.stat().st_mode) == 0o700
    [path] = files_under(evidence_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_media_types_are_sniffed_from_the_bytes_not_trusted_from_a_server(evidence_dir):
    assert store(b"\xff\xd8\xff\xe0 a benign jpeg header").content_type == "image/jpeg"
    assert store(b"GIF89a benign").content_type == "image/gif"
    assert store(b"RIFF\x00\x00\x00\x00WEBPVP8 benign").content_type == "image/webp"
    assert store(b"\x00\x00\x00\x18ftypisom benign").content_type == "video/mp4"
    assert store(b"\x00\x00\x00\x18ftypheic benign").content_type == "image/heic"
    assert store(b"just some text").content_type == ""
