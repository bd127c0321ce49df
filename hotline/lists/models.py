"""Lists published to members as numbered versions, the members and their keys, and keywords.

A list's entries are never edited: an entry enters in one version (`added_in`) and may leave in a
later one (`removed_in`, with a reason). Version v is every entry with added_in <= v and
(removed_in is null or removed_in > v); the delta since s is what was added or removed in (s, v].
So a published version never changes, and an entry keeps its id for as long as it is listed.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import User
from hotline.audit.log import record


class ListName(models.TextChoices):
    HASHES = "hashes", _("Hash list")
    URLS = "urls", _("URL list")
    KEYWORDS = "keywords", _("Keyword list")


class Scope(models.TextChoices):
    """What a member key may do: download one of the lists, or use the match API."""

    HASHES = "hashes", _("Download the hash list")
    URLS = "urls", _("Download the URL list")
    KEYWORDS = "keywords", _("Download the keyword list")
    MATCH = "match", _("Match hashes")


class PublishedList(models.Model):
    """One list and its latest published version; publishing locks this row."""

    name = models.CharField(max_length=12, choices=ListName.choices, unique=True)
    latest_version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    entry_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.get_name_display())


class ListVersion(models.Model):
    """A published version: written in the same transaction as its entries."""

    list = models.ForeignKey(PublishedList, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    entry_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["list", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["list", "number"], name="one_version_number_per_list"),
        ]

    def __str__(self) -> str:
        return f"{self.list.name} v{self.number}"


class ListEntry(models.Model):
    """One entry of a list, from the version that added it to the version that removed it.

    `key` identifies what the entry is about (a SHA-256, a url's canonical hash, a term's hash);
    `data` holds the fields members receive, frozen when the entry was added.
    """

    list = models.ForeignKey(PublishedList, on_delete=models.PROTECT, related_name="entries")
    key = models.CharField(max_length=64)
    data = models.JSONField()
    added_in = models.PositiveIntegerField()
    removed_in = models.PositiveIntegerField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            # A version is read in id order through this index: no sort, so rows stream at once.
            models.Index(fields=["list", "id"], name="list_entry_in_order"),
            models.Index(fields=["list", "added_in"], name="list_entry_added"),
            models.Index(fields=["list", "removed_in"], name="list_entry_removed"),
            models.Index(fields=["list", "key"], name="list_entry_key"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["list", "key"],
                condition=Q(removed_in__isnull=True),
                name="one_listed_entry_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_id}:{self.key[:16]} (v{self.added_in})"


class KeywordStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETIRED = "retired", _("Retired")


LIVE_KEYWORD_STATUSES = (KeywordStatus.PROPOSED, KeywordStatus.APPROVED)


class Keyword(models.Model):
    """A term an analyst proposes for the keyword list; a second analyst reviews it."""

    term = models.CharField(max_length=200)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=KeywordStatus.choices, default=KeywordStatus.PROPOSED
    )
    # Why it was rejected or retired; a retired term's removal is published with it.
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(status__in=LIVE_KEYWORD_STATUSES),
                name="one_live_keyword_per_term",
            ),
        ]

    def __str__(self) -> str:
        return self.term

    @staticmethod
    def normalise(term: str) -> str:
        return " ".join(term.split()).casefold()

    @property
    def list_key(self) -> str:
        return hashlib.sha256(self.term.encode()).hexdigest()

    @classmethod
    def propose(cls, term: str, by: User) -> "Keyword":
        normalised = cls.normalise(term)
        if not normalised:
            raise KeywordRefused(_("Enter a term."))
        live = cls.objects.filter(term=normalised, status__in=LIVE_KEYWORD_STATUSES)
        if live.exists():
            raise KeywordRefused(_("This term is already on the list or waiting for review."))
        keyword = cls.objects.create(term=normalised, proposed_by=by)
        keyword.audit("lists.keyword.proposed", by)
        return keyword

    def review(self, by: User, approve: bool, reason: str = "") -> None:
        """A second analyst approves the term for the next publish, or rejects it."""
        if self.status != KeywordStatus.PROPOSED:
            raise KeywordRefused(_("This term was already reviewed."))
        if by.pk == self.proposed_by_id:
            raise KeywordRefused(_("Another analyst must review the term you proposed."))
        if not approve and not reason.strip():
            raise KeywordRefused(_("Say why the term is rejected."))
        self.status = KeywordStatus.APPROVED if approve else KeywordStatus.REJECTED
        self.reviewed_by, self.reviewed_at, self.reason = by, timezone.now(), reason.strip()
        self.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
        self.audit("lists.keyword.reviewed", by, status=self.status)

    def retire(self, by: User, reason: str) -> None:
        """Take an approved term off; the next publish removes it with the reason."""
        if self.status != KeywordStatus.APPROVED:
            raise KeywordRefused(_("Only an approved term can be retired."))
        if not reason.strip():
            raise KeywordRefused(_("Say why the term is retired."))
        self.status, self.reason = KeywordStatus.RETIRED, reason.strip()
        self.retired_by, self.retired_at = by, timezone.now()
        self.save(update_fields=["status", "reason", "retired_by", "retired_at"])
        self.audit("lists.keyword.retired", by)

    def audit(self, action: str, by: User, **detail: object) -> None:
        record(action, actor=by, target=self, detail={"term": self.term, **detail})


class Member(models.Model):
    """An organisation that receives lists; it must accept the terms before it downloads."""

    name = models.CharField(max_length=200, unique=True)
    contact_email = models.EmailField(blank=True)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberKey(models.Model):
    """A member's API key, sent as a bearer token. Only its SHA-256 is stored."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="keys")
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.member} key {self.prefix}…"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class Download(models.Model):
    """One list download by a member: which list, which version, full or since which version."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="downloads")
    key = models.ForeignKey(MemberKey, on_delete=models.PROTECT, related_name="downloads")
    list_name = models.CharField(max_length=12, choices=ListName.choices)
    version = models.PositiveIntegerField()
    since = models.PositiveIntegerField(null=True, blank=True)
    format = models.CharField(max_length=4)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.member} {self.list_name} v{self.version}"


class KeywordRefused(ValueError):
    """A keyword change the rules do not allow; the message says why, for the analyst."""
