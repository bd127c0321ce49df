"""Master key rotation: every blob's data key re-wrapped by the newest master key.

Only the 40-byte wrapped keys in the database change; no ciphertext is read or rewritten. Each
batch commits on its own and rows already under the newest key are not selected, so a rotation
that was stopped resumes where it was when run again.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from hotline.audit.log import record
from hotline.capture.evidence_errors import EvidenceCorrupt, MasterKeyMissing
from hotline.capture.keys import Keyring
from hotline.capture.models import EvidenceBlob

Progress = Callable[[int, int], None]


@dataclass
class Rotation:
    to_key_id: str
    total: int
    from_key_ids: list[str]
    rewrapped: int = 0
    # The SHA-256 of blobs whose wrapped key failed its integrity check and so stayed as it was.
    corrupt: list[str] = field(default_factory=list)


def stale_blobs(keyring: Keyring) -> QuerySet[EvidenceBlob]:
    """Blobs with content whose data key another master key than the newest wrapped."""
    live = EvidenceBlob.objects.filter(deleted_at__isnull=True)
    return live.exclude(key_id=keyring.current_id)


def rotate_master_key(keyring: Keyring, *, batch_size: int, progress: Progress) -> Rotation:
    """Re-wrap every stale data key; `progress(done, total)` follows each batch. Audited."""
    stale = stale_blobs(keyring)
    from_key_ids = sorted(set(stale.values_list("key_id", flat=True)))
    missing = [key_id for key_id in from_key_ids if key_id not in keyring.ids]
    if missing:
        raise MasterKeyMissing(
            f"blobs are wrapped by master key(s) {', '.join(missing)}, which are not configured: "
            "keep the old keys below the new one until the rotation is done"
        )
    rotation = Rotation(keyring.current_id, stale.count(), from_key_ids)
    after = 0
    while (last := _rewrap_batch(stale.filter(pk__gt=after), keyring, batch_size, rotation)) > 0:
        after = last
        progress(rotation.rewrapped + len(rotation.corrupt), rotation.total)
    _audit(rotation)
    return rotation


def _rewrap_batch(
    stale: QuerySet[EvidenceBlob], keyring: Keyring, size: int, into: Rotation
) -> int:
    """Re-wrap the next `size` stale blobs; the last primary key done, or 0 when none were left."""
    with transaction.atomic():
        batch = list(stale.select_for_update().order_by("pk")[:size])
        rewrapped = [blob for blob in batch if _rewrap(blob, keyring, into)]
        EvidenceBlob.objects.bulk_update(rewrapped, ["key_id", "wrapped_key"])
    into.rewrapped += len(rewrapped)
    return batch[-1].pk if batch else 0


def _rewrap(blob: EvidenceBlob, keyring: Keyring, into: Rotation) -> bool:
    try:
        data_key = keyring.unwrap(blob.key_id, bytes(blob.wrapped_key))
    except EvidenceCorrupt:
        into.corrupt.append(blob.sha256)
        return False
    blob.key_id, blob.wrapped_key = keyring.wrap(data_key)
    return True


def _audit(rotation: Rotation) -> None:
    record(
        "evidence.key_rotated",
        detail={
            "to_key_id": rotation.to_key_id,
            "from_key_ids": rotation.from_key_ids,
            "rewrapped": rotation.rewrapped,
            "corrupt": len(rotation.corrupt),
        },
    )
