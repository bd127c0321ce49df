from django.conf import settings
from django.db import models

from hotline.assessment.vocabulary import AgeBand, AssessmentStatus, Category, Outcome, Sex
from hotline.intake.models import Url


class Assessment(models.Model):
    """One analyst's outcome for a url. Only assessments a second analyst confirmed count."""

    url = models.ForeignKey(Url, on_delete=models.PROTECT, related_name="assessments")
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    category = models.CharField(max_length=1, choices=Category.choices, blank=True)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, blank=True)
    self_generated = models.BooleanField(default=False)
    commercial = models.BooleanField(default=False)
    ai_generated = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=24,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.AWAITING_CONFIRMATION,
    )
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for url {self.url_id}"


class Confirmation(models.Model):
    """A second analyst's agreement with, or dispute of, an assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="confirmations"
    )
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agrees = models.BooleanField()
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{'agrees' if self.agrees else 'disputes'} #{self.assessment_id}"
