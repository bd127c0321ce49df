"""`hotline apply-retention`: the content of evidence no case holds is deleted; its hashes stay."""

import io
import os
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from hotline.accounts.models import User
from hotline.audit.models import AuditEntry
from hotline.capture.blobstore import configured_store
from hotline.capture.evidence import open_blob, store
from hotline.capture.evidence_errors import EvidenceDeleted
from hotline.capture.models import EvidenceBlob
from hotline.capture.retention import (
    HOLDS,
    Policy,
    check_holds,
    delete_expired,
    unheld_referrers,
)
from hotline.capture.tests.evidence_samples import files_under, sample_bytes

pytestmark = pytest.mark.django_db


def last_seen_days_ago(days: int, label: str = "sample") -> EvidenceBlob:
    blob = store(sample_bytes(label))
    seen = timezone.now() - timedelta(days=days)
    EvidenceBlob.objects.filter(pk=blob.pk).update(last_seen_at=seen)
    blob.refresh_from_db()
    return blob


def apply_retention(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_old_blobs_lose_their_content_and_keep_their_hashes(evidence_dir, settings):
    settings.HOTLINE_EVIDENCE_RETENTION_DAYS = 365
    old, recent = last_seen_days_ago(400, "old"), last_seen_days_ago(300, "recent")
    assert "deleted the content of 1 blobs" in apply_retention()
    old.refresh_from_db()
    assert old.deleted_at is not None
    assert old.deletion_reason == "retention: not stored for 365 days and held by no open case"
    assert (old.storage_name, bytes(old.wrapped_key), old.key_id) == ("", b"", "")
    assert EvidenceBlob.objects.filter(sha256=old.sha256, size=old.size).exists()
    assert [path.relative_to(evidence_dir).as_posix() for path in files_under(evidence_dir)] == [
        recent.storage_name
    ]
    recent.refresh_from_db()
    assert recent.deleted_at is None
    assert open_blob(recent)


def test_opening_a_deleted_blob_says_when_and_why(evidence_dir):
    blob = last_seen_days_ago(400)
    apply_retention()
    blob.refresh_from_db()
    with pytest.raises(EvidenceDeleted, match=f"blob {blob.sha256}: retention deleted .* remain"):
        open_blob(blob)


def test_blobs_a_hold_still_needs_are_kept(evidence_dir):
    needed, unneeded = last_seen_days_ago(400, "needed"), last_seen_days_ago(400, "unneeded")
    policy = Policy(365, timezone.now(), {"capture.SomeReferrer": lambda cutoff: {needed.sha256}})
    deleted = delete_expired(policy, configured_store(), batch_size=10, progress=lambda *_: None)
    assert deleted == 1
    assert list(EvidenceBlob.objects.filter(deleted_at__isnull=True)) == [needed]
    assert EvidenceBlob.objects.get(pk=unneeded.pk).deleted_at is not None


def test_a_model_pointing_at_evidence_without_a_hold_stops_retention():
    # User stands in for a future media item: other models point at it, as they will at blobs.
    assert "otp_totp.TOTPDevice" in unheld_referrers({}, User)
    assert unheld_referrers(HOLDS) == []
    with pytest.raises(ImproperlyConfigured, match="add a hold"):
        check_holds({}, model=User)


def test_a_dry_run_counts_and_deletes_nothing(evidence_dir):
    blob = last_seen_days_ago(400)
    assert "would delete the content of 1 blobs" in apply_retention("--dry-run")
    blob.refresh_from_db()
    assert blob.deleted_at is None
    assert open_blob(blob)
    assert not AuditEntry.objects.filter(action="evidence.retention_applied").exists()


def test_zero_days_keeps_all_evidence(evidence_dir, settings):
    settings.HOTLINE_EVIDENCE_RETENTION_DAYS = 0
    blob = last_seen_days_ago(4000)
    assert "all evidence is kept" in apply_retention()
    blob.refresh_from_db()
    assert blob.deleted_at is None


def test_progress_is_shown_batch_by_batch(evidence_dir):
    for label in ("a", "b", "c"):
        last_seen_days_ago(400, label)
    output = apply_retention("--batch-size", "2")
    assert "deleted 2 of 3" in output
    assert "deleted 3 of 3" in output
    assert files_under(evidence_dir) == []


def test_retention_is_audited_with_its_counts(evidence_dir, settings):
    settings.HOTLINE_EVIDENCE_RETENTION_DAYS = 30
    last_seen_days_ago(31)
    apply_retention()
    entry = AuditEntry.objects.get(action="evidence.retention_applied")
    assert (entry.detail["days"], entry.detail["deleted"], entry.detail["strays"]) == (30, 1, 0)


def test_bytes_seen_again_after_deletion_are_evidence_again(evidence_dir):
    data = sample_bytes()
    blob = store(data)
    EvidenceBlob.objects.filter(pk=blob.pk).update(last_seen_at=timezone.now() - timedelta(400))
    apply_retention()
    again = store(data)
    assert (again.pk, again.created_at, again.deleted_at) == (blob.pk, blob.created_at, None)
    assert open_blob(again) == data


def test_stray_files_older_than_a_day_are_removed(evidence_dir):
    blob = store(sample_bytes())
    shard = evidence_dir / "ab" / "cd"
    shard.mkdir(parents=True)
    old, fresh = shard / ".partial-killed", shard / ("f" * 32)
    old.write_bytes(b"half a ciphertext")
    fresh.write_bytes(b"a ciphertext whose row is being written")
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(old, (two_days_ago, two_days_ago))
    os.utime(evidence_dir / blob.storage_name, (two_days_ago, two_days_ago))
    assert "would remove 1 stray files" in apply_retention("--dry-run")
    assert old.exists()
    assert "removed 1 stray files" in apply_retention()
    assert not old.exists()
    assert fresh.exists()
    assert open_blob(blob)
