import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WhereSeen(models.TextChoices):
    WEB_PAGE = "web_page", _("A web page")
    SOCIAL_MEDIA = "social_media", _("Social media")
    CHAT = "chat", _("Chat or messaging")
    ONLINE_GAME = "online_game", _("An online game")
    EMAIL = "email", _("Email")
    FILE_SHARING = "file_sharing", _("File sharing or peer-to-peer")
    OTHER = "other", _("Somewhere else")


class ContentKind(models.TextChoices):
    IMAGES = "images", _("Images")
    VIDEOS = "videos", _("Videos")
    TEXT = "text", _("Text")
    OTHER = "other", _("Something else")


class SourceKind(models.TextChoices):
    PUBLIC = "public", _("Member of the public")
    PARTNER_HOTLINE = "partner_hotline", _("Partner hotline")
    PLATFORM = "platform", _("Platform or service provider")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other organisation")


class Channel(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    API = "api", _("API")


class ReportingSource(models.Model):
    """An organisation that files reports through the API with its own key."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    priority_weight = models.PositiveSmallIntegerField(
        default=0, help_text=_("Added to the queue priority of every address this source reports.")
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceApiKey(models.Model):
    """A key a reporting source sends as a bearer token. Only its SHA-256 is stored."""

    source = models.ForeignKey(ReportingSource, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.source} key {self.prefix}…"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class UrlState(models.TextChoices):
    QUEUED = "queued", _("Awaiting assessment")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting a second analyst")
    DISPUTED = "disputed", _("Disputed, with a senior analyst")
    ASSESSED = "assessed", _("Assessed")


class Url(models.Model):
    """A canonical web address under assessment; every report naming it points here."""

    canonical = models.TextField()
    canonical_hash = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, db_index=True)
    state = models.CharField(max_length=24, choices=UrlState.choices, default=UrlState.QUEUED)
    report_count = models.PositiveIntegerField(default=0)
    source_count = models.PositiveIntegerField(default=0)
    source_weight = models.PositiveSmallIntegerField(default=0)
    priority = models.IntegerField(default=0)
    first_reported_at = models.DateTimeField()
    last_reported_at = models.DateTimeField()
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set when a report asks for a capture, cleared when the scheduler queues the capture task:
    # filing a report writes no task, and a request is never lost with a task backend that is down.
    capture_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["state", "-priority", "first_reported_at"], name="url_queue_order"
            ),
            models.Index(
                fields=["capture_requested_at"],
                condition=models.Q(capture_requested_at__isnull=False),
                name="url_capture_requested",
            ),
        ]

    def __str__(self) -> str:
        return self.canonical

    @staticmethod
    def hash_canonical(canonical: str) -> str:
        return hashlib.sha256(canonical.encode()).hexdigest()

    def compute_priority(self) -> int:
        """More reports and more independent sources raise a url; trusted sources add weight."""
        return min(self.report_count, 100) + 10 * max(self.source_count - 1, 0) + self.source_weight


class Report(models.Model):
    """What one person or organisation submitted; nothing identifies an anonymous reporter."""

    reference = models.CharField(max_length=24, unique=True)
    received_at = models.DateTimeField(db_index=True)
    where_seen = models.CharField(max_length=20, choices=WhereSeen.choices)
    content_kind = models.CharField(max_length=20, choices=ContentKind.choices)
    description = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    source = models.ForeignKey(
        ReportingSource, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    urls: "models.ManyToManyField[Url, ReportedUrl]" = models.ManyToManyField(
        Url, through="ReportedUrl", related_name="reports"
    )

    def __str__(self) -> str:
        return self.reference


class ReportedUrl(models.Model):
    """One address as a report gave it, linked to its canonical url."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reported_urls")
    url = models.ForeignKey(Url, on_delete=models.PROTECT, related_name="reported_urls")
    submitted = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "url"], name="one_link_per_report_and_url")
        ]

    def __str__(self) -> str:
        return self.submitted
