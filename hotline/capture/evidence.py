"""The evidence store: each image or video kept once, by its SHA-256, and encrypted at rest.

A blob is sealed with AES-256-GCM under a data key of its own, with its SHA-256 as associated
data so that no ciphertext can stand in for another's. The data key is kept in the blob's row,
wrapped by the master key (keys.py); the ciphertext goes to the configured store (blobstore.py)
under a random name. Plaintext is never written anywhere.

Storing is safe to retry and to race: the row is written only once the ciphertext is durable, so
a worker killed before that leaves no row, and the retry stores afresh; when two workers store the
same new bytes at once, the unique SHA-256 lets one row win and the other worker removes its own
ciphertext. A ciphertext whose row never came (a killed worker, a rolled-back transaction) can
never be decrypted, since its data key died with it; the retention sweep removes it.
"""

import hashlib
import secrets
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.capture.blobstore import configured_store, new_name
from hotline.capture.evidence_errors import (
    EvidenceCorrupt,
    EvidenceDeleted,
    EvidenceError,
    EvidenceMissing,
)
from hotline.capture.keys import Keyring
from hotline.capture.mediatypes import sniff
from hotline.capture.models import EvidenceBlob

NONCE_BYTES = 12


@dataclass(frozen=True)
class _Sealed:
    """What a new blob's row records about its ciphertext."""

    size: int
    content_type: str
    storage_name: str
    wrapped_key: bytes
    key_id: str
    nonce: bytes


def configured_keyring() -> Keyring:
    return Keyring(settings.HOTLINE_EVIDENCE_MASTER_KEYS)


def _associated_data(sha256: str) -> bytes:
    return f"hotline evidence v1 {sha256}".encode()


def store(data: bytes) -> EvidenceBlob:
    """The blob holding `data`: stored now, unless it already is, when nothing is written."""
    sha256 = hashlib.sha256(data).hexdigest()
    blob = _seen_again(sha256)
    if blob is not None:
        return blob
    sealed, ciphertext = _seal(data, sha256)
    backend = configured_store()
    backend.write(sealed.storage_name, ciphertext)
    try:
        blob = _record(sha256, sealed)
    except BaseException:
        backend.delete(sealed.storage_name)
        raise
    if blob is None:
        backend.delete(sealed.storage_name)
        return EvidenceBlob.objects.get(sha256=sha256)
    return blob


def _seal(data: bytes, sha256: str) -> tuple[_Sealed, bytes]:
    """The row's fields for `data` under a fresh data key, and the ciphertext."""
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = secrets.token_bytes(NONCE_BYTES)
    key_id, wrapped_key = configured_keyring().wrap(data_key)
    ciphertext = AESGCM(data_key).encrypt(nonce, data, _associated_data(sha256))
    return _Sealed(len(data), sniff(data), new_name(), wrapped_key, key_id, nonce), ciphertext


def _seen_again(sha256: str) -> EvidenceBlob | None:
    """The stored blob of these bytes, marked as seen now; None when new, or deleted by retention.

    Marking it in the same statement that finds it means retention, which only deletes blobs not
    seen for days, can no longer delete it under the caller.
    """
    live = EvidenceBlob.objects.filter(sha256=sha256, deleted_at__isnull=True)
    if live.update(last_seen_at=timezone.now()):
        return EvidenceBlob.objects.get(sha256=sha256)
    return None


def _record(sha256: str, sealed: _Sealed) -> EvidenceBlob | None:
    """The row for a durable ciphertext; None when another worker recorded these bytes first.

    Bytes seen again after retention deleted them are evidence again: their row takes the new
    ciphertext and key.
    """
    now = timezone.now()
    fields: dict[str, Any] = {**asdict(sealed), "last_seen_at": now}
    deleted = EvidenceBlob.objects.filter(sha256=sha256, deleted_at__isnull=False)
    if deleted.update(**fields, deleted_at=None, deletion_reason=""):
        return EvidenceBlob.objects.get(sha256=sha256)
    try:
        with transaction.atomic():
            return EvidenceBlob.objects.create(sha256=sha256, created_at=now, **fields)
    except IntegrityError:
        return None


def open_blob(blob: EvidenceBlob) -> bytes:
    """The bytes that were stored, after checking that they are exactly those.

    Raises EvidenceDeleted, MasterKeyMissing, EvidenceMissing or EvidenceCorrupt, each naming
    the blob.
    """
    if blob.deleted_at is not None:
        raise EvidenceDeleted(
            f"blob {blob.sha256}: retention deleted its content on "
            f"{blob.deleted_at:%Y-%m-%d} ({blob.deletion_reason}); its hashes remain"
        )
    try:
        data = _decrypt(blob)
    except EvidenceError as error:
        raise type(error)(f"blob {blob.sha256}: {error}") from None
    if hashlib.sha256(data).hexdigest() != blob.sha256:
        raise EvidenceCorrupt(f"blob {blob.sha256}: the decrypted bytes have another SHA-256")
    return data


def _decrypt(blob: EvidenceBlob) -> bytes:
    data_key = configured_keyring().unwrap(blob.key_id, bytes(blob.wrapped_key))
    try:
        ciphertext = configured_store().read(blob.storage_name)
    except FileNotFoundError:
        raise EvidenceMissing(f"its ciphertext {blob.storage_name} is not in storage") from None
    try:
        return AESGCM(data_key).decrypt(
            bytes(blob.nonce), ciphertext, _associated_data(blob.sha256)
        )
    except InvalidTag:
        raise EvidenceCorrupt("its ciphertext failed the integrity check") from None
