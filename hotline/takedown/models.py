"""Takedown: the directory of hosting providers and partners, cases, notices and their history.

A confirmed url gets one `TakedownCase`, routed by where its content is hosted: a notice to the
hosting provider's abuse contact (the hotline's own country), or a referral to the partner hotline
of the hosting country, or else to law enforcement. Every email is a `Notice` listing its urls.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    HOTLINE = "hotline", _("Partner hotline")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")


class Partner(models.Model):
    """A partner hotline for a country, or the law-enforcement contact (no country needed)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    country_code = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, such as FR.")
    )
    email = models.EmailField(_("email"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "country_code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_code or self.get_kind_display()})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.country_code = self.country_code.upper()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ContactStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    SUGGESTED = "suggested", _("Suggested by RDAP")
    BOUNCING = "bouncing", _("Bouncing")
    NONE = "none", _("No contact")


USABLE_CONTACTS = (ContactStatus.CONFIRMED, ContactStatus.SUGGESTED)


class Provider(models.Model):
    """A hosting provider and its abuse contact, found by the rules that point at it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    abuse_email = models.EmailField(_("abuse email"), blank=True)
    contact_status = models.CharField(
        _("contact"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.NONE
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    country_code = models.CharField(_("country"), max_length=2, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_usable_contact(self) -> bool:
        return bool(self.abuse_email) and self.contact_status in USABLE_CONTACTS


class RuleKind(models.TextChoices):
    DOMAIN = "domain", _("Domain")
    NETWORK = "network", _("IP range")
    ASN = "asn", _("AS number")


class ProviderRule(models.Model):
    """One way of recognising a provider: a domain (and its subdomains), an IP range, an AS."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind"), max_length=10, choices=RuleKind.choices)
    value = models.CharField(_("value"), max_length=255)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="one_provider_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.value = normalised_rule(self.kind, self.value)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        self.value = normalised_rule(self.kind, self.value)


def normalised_rule(kind: str, value: str) -> str:
    """The rule's value in the one spelling look-ups compare with; ValidationError if invalid."""
    value = value.strip().lower()
    try:
        if kind == RuleKind.NETWORK:
            return str(ipaddress.ip_network(value, strict=False))
        if kind == RuleKind.ASN:
            return str(int(value.removeprefix("as")))
    except ValueError:
        raise ValidationError({"value": _("%(value)s is not valid.") % {"value": value}}) from None
    if kind == RuleKind.DOMAIN and (not value or "/" in value or " " in value):
        raise ValidationError({"value": _("Give a domain name such as example.com.")})
    return value.rstrip(".")


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("Notice to a hosting provider")
    REFERRAL = "referral", _("Referral to a partner")
    ESCALATION = "escalation", _("Escalation to law enforcement")


class NoticeTemplate(models.Model):
    """The subject and body of one kind of email in one language, editable by managers."""

    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_template_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"

    def clean(self) -> None:
        from hotline.takedown.templating import check_template

        check_template(self.subject, "subject")
        check_template(self.body, "body")


class Route(models.TextChoices):
    UNROUTED = "", _("Not routed yet")
    PROVIDER = "provider", _("Notice to the hosting provider")
    PARTNER = "partner", _("Referral to a partner hotline")
    POLICE = "police", _("Referral to law enforcement")


class CaseState(models.TextChoices):
    AWAITING_HOSTING = "awaiting_hosting", _("Waiting for a capture to show the hosting")
    NO_CONTACT = "no_contact", _("No contact found")
    HELD = "held", _("Held for law enforcement")
    DUE = "due", _("Notice due")
    NOTIFIED = "notified", _("Notified, rechecking")
    REMOVED = "removed", _("Removed")


# States in which the case still waits for its content to go.
OPEN_STATES = (
    CaseState.AWAITING_HOSTING,
    CaseState.NO_CONTACT,
    CaseState.HELD,
    CaseState.DUE,
    CaseState.NOTIFIED,
)


class TakedownCase(models.Model):
    """The takedown of one confirmed url: where it goes, what was sent, what the checks saw."""

    url = models.OneToOneField("intake.Url", on_delete=models.PROTECT, related_name="takedown")
    assessment = models.ForeignKey(
        "assessment.Assessment", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=20, choices=CaseState.choices, default=CaseState.AWAITING_HOSTING
    )
    route = models.CharField(max_length=10, choices=Route.choices, blank=True)
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    capture = models.ForeignKey(
        "capture.Capture", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country_code = models.CharField(max_length=2, blank=True)
    asn = models.PositiveBigIntegerField(null=True, blank=True)
    peer_ip = models.GenericIPAddressField(null=True, blank=True)
    # Where the confirmed content was served from: a check redirected elsewhere finds it gone.
    expected_final_url = models.TextField(blank=True)
    # When the next notice (first, repeat, or after a reopening) may go; None when none is due.
    notice_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    pending_notice = models.ForeignKey(
        "Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notice_failures = models.PositiveSmallIntegerField(default=0)
    notice_count = models.PositiveSmallIntegerField(default=0)
    first_notified_at = models.DateTimeField(null=True, blank=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_sent_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check = models.CharField(max_length=12, blank=True)
    last_check_detail = models.CharField(max_length=300, blank=True)
    consecutive_absent = models.PositiveSmallIntegerField(default=0)
    absent_since = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    removed_before_notice = models.BooleanField(default=False)
    reopened_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["next_check_at"], name="takedown_next_check")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"TD-{self.pk:06d}"

    @property
    def is_referral(self) -> bool:
        return self.route in (Route.PARTNER, Route.POLICE)

    @property
    def hours_to_removal(self) -> float | None:
        if self.removed_at is None or self.first_notified_at is None:
            return None
        return (self.removed_at - self.first_notified_at).total_seconds() / 3600


class NoticeStatus(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will be retried")
    BOUNCED = "bounced", _("Bounced")


class Notice(models.Model):
    """One email as sent (or attempted): to whom, what it said, which urls, and what happened."""

    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    recipient = models.EmailField()
    language = models.CharField(max_length=10)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.SENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    cases: "models.ManyToManyField[TakedownCase, NoticeCase]" = models.ManyToManyField(
        TakedownCase, through="NoticeCase", related_name="notices"
    )

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"N-{self.pk:06d}"


class NoticeCase(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE)
    case = models.ForeignKey(TakedownCase, on_delete=models.CASCADE)
    # 1 for the first notice of the url, 2 for the first repeat, and so on.
    number = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "case"], name="a_url_once_per_notice")
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} in notice {self.notice_id}"


class CaseEvent(models.Model):
    """What happened to a case, in order, for its history on the console."""

    case = models.ForeignKey(TakedownCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} on {self.case_id}"
