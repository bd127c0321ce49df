"""Retention: the content of evidence no case needs any more is deleted; its hashes stay.

A blob expires when nothing has stored its bytes for HOTLINE_EVIDENCE_RETENTION_DAYS days and no
hold claims it. Its ciphertext is deleted and its wrapped data key erased, so a copy left in a
backup can no longer be decrypted either; the row keeps the SHA-256, size and dates.

A hold is a function given the cutoff that returns the SHA-256 values (a collection, or a
`values("...sha256")` queryset) its model still needs: for media items, those of cases still open
or closed after the cutoff. HOLDS maps each model that points at EvidenceBlob, by its label, to
its hold. Retention refuses to run while a model points at EvidenceBlob without one, so a new kind
of reference can never let evidence be deleted under an open case.

The same run removes stray files: ciphertext that no row names (a worker killed between writing
and recording it, a capture rolled back, a retention run stopped between its two steps) and
temporary files of writes that never finished. None of them can be decrypted.
"""

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import QuerySet

from hotline.audit.log import record
from hotline.capture.blobstore import BlobStore
from hotline.capture.models import EvidenceBlob

Hold = Callable[[datetime], "QuerySet[Any] | Collection[str]"]
Progress = Callable[[int, int], None]

HOLDS: dict[str, Hold] = {}
# A file written this recently may belong to a store() still recording its row.
STRAY_GRACE = timedelta(days=1)
REASON = "retention: not stored for {days} days and held by no open case"


def unheld_referrers(
    holds: Mapping[str, Hold], model: type[models.Model] = EvidenceBlob
) -> list[str]:
    """The labels of models pointing at `model` that have no hold."""
    labels = {
        relation.related_model._meta.label
        for relation in model._meta.related_objects
        if not isinstance(relation.related_model, str)
    }
    return sorted(labels - set(holds))


def expired_blobs(cutoff: datetime, holds: Iterable[Hold]) -> QuerySet[EvidenceBlob]:
    """Blobs with content, not stored since `cutoff`, that no hold claims."""
    blobs = EvidenceBlob.objects.filter(deleted_at__isnull=True, last_seen_at__lt=cutoff)
    for hold in holds:
        blobs = blobs.exclude(sha256__in=hold(cutoff))
    return blobs


@dataclass(frozen=True)
class Policy:
    days: int
    now: datetime
    holds: Mapping[str, Hold]

    @property
    def cutoff(self) -> datetime:
        return self.now - timedelta(days=self.days)


def check_holds(holds: Mapping[str, Hold], model: type[models.Model] = EvidenceBlob) -> None:
    """Refuse to go on while a model points at `model` without a hold."""
    unheld = unheld_referrers(holds, model)
    if unheld:
        raise ImproperlyConfigured(
            f"retention cannot tell which evidence {', '.join(unheld)} still need: add a hold "
            "for each to hotline.capture.retention.HOLDS"
        )


def delete_expired(policy: Policy, store: BlobStore, *, batch_size: int, progress: Progress) -> int:
    """Delete the content of every expired blob, in batches; how many were deleted."""
    expired = expired_blobs(policy.cutoff, policy.holds.values())
    total, deleted = expired.count(), 0
    reason = REASON.format(days=policy.days)
    while names := _discard_batch(expired, policy.now, reason, batch_size):
        for name in names:
            store.delete(name)
        deleted += len(names)
        progress(deleted, total)
    return deleted


def _discard_batch(
    expired: QuerySet[EvidenceBlob], now: datetime, reason: str, size: int
) -> list[str]:
    """Erase the next batch's keys and names and return the names, whose files go after commit.

    The rows are locked while chosen, so a store() of the same bytes either marks one as seen
    first, and it is no longer chosen, or waits and then stores the bytes afresh.
    """
    with transaction.atomic():
        batch = list(
            expired.select_for_update().order_by("pk").values_list("pk", "storage_name")[:size]
        )
        EvidenceBlob.objects.filter(pk__in=[pk for pk, _ in batch]).update(
            deleted_at=now,
            deletion_reason=reason,
            storage_name="",
            key_id="",
            wrapped_key=b"",
            nonce=b"",
        )
    return [name for _, name in batch]


def stray_names(store: BlobStore, now: datetime) -> Iterator[str]:
    """Stored names that no blob row names, last written before the grace period."""
    entries = iter(store.entries())
    while chunk := list(islice(entries, 1000)):
        old = {name for name, written in chunk if written < now - STRAY_GRACE}
        recorded = EvidenceBlob.objects.filter(storage_name__in=old).values_list(
            "storage_name", flat=True
        )
        yield from sorted(old - set(recorded))


def audit(policy: Policy, deleted: int, strays: int) -> None:
    record(
        "evidence.retention_applied",
        detail={"days": policy.days, "cutoff": policy.cutoff, "deleted": deleted, "strays": strays},
    )
