"""The grading vocabulary of DESIGN.md, shared by assessments now and media grades later."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    NPI = "npi", _("Non-photographic (NPI)")
    NOT_ILLEGAL = "not_illegal", _("Not illegal")
    OFF_REMIT = "off_remit", _("Off remit")
    UNREACHABLE = "unreachable", _("Unreachable")


class Category(models.TextChoices):
    A = "A", _("Category A")
    B = "B", _("Category B")
    C = "C", _("Category C")


class AgeBand(models.TextChoices):
    """Ordered youngest first; the order is what 'youngest age band' means."""

    AGE_0_2 = "0-2", _("0-2")
    AGE_3_6 = "3-6", _("3-6")
    AGE_7_10 = "7-10", _("7-10")
    AGE_11_13 = "11-13", _("11-13")
    AGE_14_15 = "14-15", _("14-15")
    AGE_16_17 = "16-17", _("16-17")


class Sex(models.TextChoices):
    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    BOTH = "both", _("Both")
    UNIDENTIFIABLE = "unidentifiable", _("Unidentifiable")


class AssessmentStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting a second analyst")
    CONFIRMED = "confirmed", _("Confirmed by a second analyst")
    DISPUTED = "disputed", _("Disputed")
    OVERRULED = "overruled", _("Overruled by a senior analyst")


class GradeCategory(models.TextChoices):
    """What one media item is; A-C are the legal categories, then what is not classified."""

    A = "A", _("Category A")
    B = "B", _("Category B")
    C = "C", _("Category C")
    NPI = "npi", _("Non-photographic (NPI)")
    NOT_ILLEGAL = "not_illegal", _("Not illegal")


class GradeBasis(models.TextChoices):
    ANALYST = "analyst", _("Graded by an analyst")
    KNOWN_MATCH = "known_match", _("Matched a known grade")


class GradeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
