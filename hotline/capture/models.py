from django.db import models
from django.utils import timezone


class EvidenceBlob(models.Model):
    """One image or video, stored once: its SHA-256 names it, its ciphertext lives in storage.

    Retention deletes the ciphertext and the wrapped data key but keeps the row, so the hash and
    the dates stay known. Media items of later issues point here.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    # Sniffed from the first bytes; informational only, never trusted to decide anything.
    content_type = models.CharField(max_length=100, blank=True)
    # A random name, so that neither the storage nor a listing of it reveals a hash.
    storage_name = models.CharField(max_length=100, blank=True, db_index=True)
    # The blob's own AES-256 data key, wrapped by the master key named by `key_id`.
    wrapped_key = models.BinaryField(max_length=40)
    key_id = models.CharField(max_length=16, db_index=True, blank=True)
    nonce = models.BinaryField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    # Every store of the same bytes moves this on; retention counts its days from here, so a blob
    # a capture has just stored again is never deleted under it.
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deletion_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"evidence {self.sha256[:16]}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
