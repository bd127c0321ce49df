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


class CaptureStatus(models.TextChoices):
    FETCHED = "fetched", "Fetched"
    FAILED = "failed", "Failed"


class Capture(models.Model):
    """One sandboxed fetch of a url: what came back, from where, and the media it showed.

    Every capture is a new row, even of a url captured before: a later capture is evidence of
    the page's later state, and the row is written only once the capture is complete.
    """

    url = models.ForeignKey("intake.Url", on_delete=models.PROTECT, related_name="captures")
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CaptureStatus.choices)
    # Why no response could be had (the fetcher's message); empty for a fetched page.
    error = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.TextField(blank=True)
    # Each redirect hop: {"url", "status", "location", "peer_ip"}; their headers are in the WARC.
    redirects = models.JSONField(default=list, blank=True)
    # The final response's headers as [name, value] pairs, duplicates and order kept.
    headers = models.JSONField(default=list, blank=True)
    peer_ip = models.GenericIPAddressField(null=True, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    country_name = models.CharField(max_length=100, blank=True)
    asn = models.PositiveBigIntegerField(null=True, blank=True)
    as_name = models.CharField(max_length=200, blank=True)
    hosting_source = models.CharField(max_length=20, blank=True)
    hosting_database = models.CharField(max_length=200, blank=True)
    hosting_note = models.TextField(blank=True)
    title = models.TextField(blank=True)
    warc = models.ForeignKey(
        EvidenceBlob, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Distinct media URLs the page named, and how many of them were stored as media items.
    media_found = models.PositiveIntegerField(default=0)
    media_stored = models.PositiveIntegerField(default=0)
    # The fetcher cut the page's body short (its reason is in the WARC).
    truncated = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"capture {self.pk} of url {self.url_id}"


class MediaKindChoice(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"


class MediaItem(models.Model):
    """One image or video, stored once by its SHA-256 and linked to every capture that showed it.

    Digests are always known; perceptual hashes only when hashcore could read the content, and
    `hash_error` says why not otherwise (the bytes are kept as evidence all the same).
    """

    blob = models.OneToOneField(EvidenceBlob, on_delete=models.PROTECT, related_name="media_item")
    kind = models.CharField(max_length=5, choices=MediaKindChoice.choices)
    md5 = models.CharField(max_length=32, db_index=True)
    sha1 = models.CharField(max_length=40, db_index=True)
    sha256 = models.CharField(max_length=64, unique=True)
    pdq = models.CharField(max_length=64, blank=True, db_index=True)
    pdq_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    # The PDQ hashes of the eight rotations and flips, in hashcore.Dihedral's order.
    dihedral = models.JSONField(default=list, blank=True)
    # Animated images: [{"index", "pdq", "quality"}] for every frame.
    frames = models.JSONField(default=list, blank=True)
    # Videos: [{"frame", "timestamp", "pdq", "quality"}].
    vpdq = models.JSONField(default=list, blank=True)
    format = models.CharField(max_length=20, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    hash_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:16]}"


class CaptureMedia(models.Model):
    """One media URL a capture found: where on the page, and what fetching it gave.

    `media_item` is empty when nothing was stored: the fetch failed or was not a whole file.
    """

    capture = models.ForeignKey(Capture, on_delete=models.CASCADE, related_name="media")
    media_item = models.ForeignKey(
        MediaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="appearances"
    )
    source_url = models.TextField()
    # Its SHA-256, for the unique index: a URL may be longer than an index entry can hold.
    source_url_hash = models.CharField(max_length=64)
    found_in = models.CharField(max_length=100)
    fetch_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # Extraction lists each URL once, so a capture names a URL (and its item) once.
            models.UniqueConstraint(
                fields=["capture", "source_url_hash"], name="capture_media_once_per_url"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_url} in capture {self.capture_id}"
