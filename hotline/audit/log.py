"""Appending to and verifying the tamper-evident audit log."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from hotline.audit.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64


def entry_digest(entry: AuditEntry) -> str:
    """The hash of an entry's content chained to its predecessor."""
    content = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def record(
    action: str,
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Runs in its own savepoint so that the chain tip is locked briefly."""
    object_type, object_id = _target(target)
    is_person = actor is not None and actor.is_authenticated
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor.pk if is_person and actor is not None else None,
            actor_username=actor.get_username() if is_person and actor is not None else "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=json.loads(json.dumps(detail or {}, default=str)),
            prev_hash=head.entry_hash,
        )
        entry.entry_hash = entry_digest(entry)
        entry.save()
        head.seq, head.entry_hash = entry.seq, entry.entry_hash
        head.save(update_fields=["seq", "entry_hash"])
    return entry


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    message: str


def verify_chain() -> Iterator[AuditProblem]:
    """Yield every break in the chain: altered content, missing or reordered entries, a cut tail."""
    expected_seq, prev_hash = 1, GENESIS_HASH
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            yield AuditProblem(expected_seq, f"entries {expected_seq}..{entry.seq - 1} are missing")
        if entry.prev_hash != prev_hash:
            yield AuditProblem(entry.seq, "does not follow the previous entry's hash")
        if entry_digest(entry) != entry.entry_hash:
            yield AuditProblem(entry.seq, "content was altered after it was written")
        expected_seq, prev_hash = entry.seq + 1, entry.entry_hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.entry_hash != prev_hash):
        yield AuditProblem(
            head.seq, f"the log ends at {expected_seq - 1} but had {head.seq} entries"
        )
