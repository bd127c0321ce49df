from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.accounts.models import User
from hotline.assessment import claims
from hotline.assessment.derivation import case_item_ids, derive, live_grades
from hotline.assessment.errors import AlreadyDecided, InvalidGrade, NotAllowed
from hotline.assessment.grade import Grade
from hotline.assessment.media_grades import MediaGrade, MediaGradeConfirmation
from hotline.assessment.signals import assessment_counted
from hotline.assessment.transitions import move_status
from hotline.assessment.vocabulary import AgeBand, AssessmentStatus, Category, Outcome, Sex
from hotline.audit.log import record
from hotline.intake.models import Url, UrlState

OPEN_STATUSES = (AssessmentStatus.AWAITING_CONFIRMATION, AssessmentStatus.DISPUTED)


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
    # The grade the url's graded media items implied when it was submitted (empty if none was),
    # and why the analyst chose another: a page is as bad as its worst item unless they say why.
    derived = models.JSONField(default=dict, blank=True)
    override_reason = models.TextField(blank=True)
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
        indexes = [
            models.Index(fields=["status", "decided_at"]),
            models.Index(fields=["status", "created_at"], name="assessment_status_created"),
        ]
        constraints = [
            # Figures count confirmed assessments: one per url, or a url would count twice.
            models.UniqueConstraint(
                fields=["url"],
                condition=Q(status=AssessmentStatus.CONFIRMED),
                name="one_confirmed_assessment_per_url",
            ),
            # The database refuses a second open assessment even if two submissions race.
            models.UniqueConstraint(
                fields=["url"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_assessment_per_url",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for url {self.url_id}"

    @property
    def grade(self) -> Grade:
        return Grade.of(self)

    @classmethod
    def submit(
        cls, url: Url, analyst: User, grade: Grade, override_reason: str = ""
    ) -> "Assessment":
        """The first analyst's outcome; final at once unless a second analyst must confirm it.

        It takes in the grades of the url's media items (see media_grades); a grade other than
        the one they imply needs a reason.
        """
        grade.require_valid()
        item_ids = case_item_ids(url)
        derived = derive(live_grades(item_ids).values())
        override_reason = override_reason.strip()
        if derived is not None and not grade.same_classification(derived) and not override_reason:
            raise InvalidGrade(
                {"override_reason": _("Say why the page differs from the grades of its items.")}
            )
        final = not grade.needs_second_analyst()
        status = AssessmentStatus.CONFIRMED if final else AssessmentStatus.AWAITING_CONFIRMATION
        next_state = UrlState.ASSESSED if final else UrlState.AWAITING_CONFIRMATION
        with transaction.atomic():
            claims.advance(url, analyst, UrlState.QUEUED, next_state)
            assessment = cls.objects.create(
                url=url,
                analyst=analyst,
                status=status,
                decided_at=timezone.now() if final else None,
                derived=derived.as_fields() if derived else {},
                override_reason=override_reason if derived else "",
                **grade.as_fields(),
            )
            assessment.audit("assessment.submitted", analyst, outcome=grade.outcome)
            if derived is not None and override_reason:
                assessment.audit("assessment.overridden", analyst, reason=override_reason)
            MediaGrade.join(assessment, item_ids)
            if final:
                assessment.announce_counted()
        return assessment

    @classmethod
    def open_for(cls, url: Url) -> "Assessment | None":
        """The assessment waiting on a second analyst or a senior, if any."""
        return (
            cls.objects.select_related("analyst").filter(url=url, status__in=OPEN_STATUSES).first()
        )

    @classmethod
    def check_can_take(cls, url: Url, person: User) -> "Assessment | None":
        """Refuse unless the url's current step is one `person` may do; its open assessment."""
        if url.state == UrlState.QUEUED:
            if not person.is_analyst:
                raise NotAllowed(_("Only analysts assess cases."))
            return None
        if url.state == UrlState.ASSESSED:
            raise AlreadyDecided(_("This case is already assessed; there is nothing left to do."))
        assessment = cls.open_for(url)
        if assessment is None:
            raise AlreadyDecided(_("This case has no assessment waiting for a decision."))
        if assessment.status == AssessmentStatus.DISPUTED:
            assessment.check_can_resolve(person)
        else:
            assessment.check_can_confirm(person)
        return assessment

    def check_can_confirm(self, person: User) -> None:
        if self.status != AssessmentStatus.AWAITING_CONFIRMATION:
            raise AlreadyDecided(_("This assessment is no longer waiting for a second analyst."))
        if not person.is_analyst:
            raise NotAllowed(_("Only analysts confirm assessments."))
        if person.pk == self.analyst_id:
            raise NotAllowed(_("You made this assessment: another analyst must confirm it."))

    def check_can_resolve(self, person: User) -> None:
        if self.status != AssessmentStatus.DISPUTED:
            raise AlreadyDecided(_("This assessment is not disputed."))
        if not person.is_senior_analyst:
            raise NotAllowed(_("Only a senior analyst resolves a dispute."))
        if person.pk == self.analyst_id:
            raise NotAllowed(_("You made this assessment: another senior analyst must decide."))
        dispute = self.dispute()
        if dispute is not None and person.pk == dispute.analyst_id:
            raise NotAllowed(_("You disputed this assessment: another senior analyst must decide."))

    def dispute(self) -> "Confirmation | None":
        """The second analyst's disagreement that sent this assessment to a senior."""
        disputes = self.confirmations.select_related("analyst")
        return disputes.filter(agrees=False, resolves_dispute=False).first()

    def confirm(self, by: User) -> "Confirmation":
        """A second analyst agrees: the assessment counts from now on."""
        self.check_can_confirm(by)
        with transaction.atomic():
            claims.advance(self.url, by, UrlState.AWAITING_CONFIRMATION, UrlState.ASSESSED)
            self._move(AssessmentStatus.AWAITING_CONFIRMATION, AssessmentStatus.CONFIRMED)
            confirmation = self.confirmations.create(analyst=by, agrees=True)
            self.audit("assessment.confirmed", by)
            MediaGrade.confirm_held(self, by)
            self.announce_counted()
        return confirmation

    def disagree(self, by: User, reason: str) -> "Confirmation":
        """A second analyst disputes the assessment; a senior analyst will decide."""
        self.check_can_confirm(by)
        if not reason.strip():
            raise InvalidGrade({"reason": _("Say why you disagree with this assessment.")})
        with transaction.atomic():
            claims.advance(self.url, by, UrlState.AWAITING_CONFIRMATION, UrlState.DISPUTED)
            self._move(
                AssessmentStatus.AWAITING_CONFIRMATION, AssessmentStatus.DISPUTED, decided=False
            )
            confirmation = self.confirmations.create(
                analyst=by, agrees=False, reason=reason.strip()
            )
            self.audit("assessment.disputed", by, reason=reason.strip())
        return confirmation

    def uphold(self, by: User) -> "Confirmation":
        """A senior analyst sides with the first analyst: the original grade counts."""
        self.check_can_resolve(by)
        with transaction.atomic():
            claims.advance(self.url, by, UrlState.DISPUTED, UrlState.ASSESSED)
            self._move(AssessmentStatus.DISPUTED, AssessmentStatus.CONFIRMED)
            confirmation = self.confirmations.create(analyst=by, agrees=True, resolves_dispute=True)
            self.audit("assessment.upheld", by)
            MediaGrade.confirm_held(self, by)
            self.announce_counted()
        return confirmation

    def overrule(self, by: User, new_grade: Grade) -> "Assessment":
        """A senior analyst replaces the grade: the new assessment counts, the original not."""
        self.check_can_resolve(by)
        new_grade.require_valid()
        if new_grade.same_classification(self.grade):
            raise InvalidGrade(
                {"outcome": _("This is the original grade: uphold it instead of overruling it.")}
            )
        with transaction.atomic():
            claims.advance(self.url, by, UrlState.DISPUTED, UrlState.ASSESSED)
            self._move(AssessmentStatus.DISPUTED, AssessmentStatus.OVERRULED)
            replacement = Assessment.objects.create(
                url=self.url,
                analyst=by,
                supersedes=self,
                status=AssessmentStatus.CONFIRMED,
                decided_at=timezone.now(),
                **new_grade.as_fields(),
            )
            self.audit("assessment.overruled", by, replacement=replacement.pk)
            MediaGrade.withdraw_held(self, by)
            replacement.announce_counted()
        return replacement

    def _move(self, from_status: str, to_status: str, *, decided: bool = True) -> None:
        """Change status only if nobody changed it since it was read."""
        changes: dict[str, Any] = {"status": to_status}
        if decided:
            changes["decided_at"] = timezone.now()
        refusal = _("This assessment was decided by someone else meanwhile.")
        move_status(self, from_status, refusal, **changes)

    def announce_counted(self) -> None:
        assessment_counted.send(sender=Assessment, assessment=self)

    def audit(self, action: str, actor: User, **detail: object) -> None:
        record(
            action,
            actor=actor,
            target=self,
            detail={"url": self.url_id, "status": self.status, **detail},
        )


class Confirmation(models.Model):
    """A second analyst's agreement with, or dispute of, an assessment.

    A senior analyst upholding a disputed assessment is recorded as an agreement that
    `resolves_dispute`; overruling it creates a new assessment that supersedes it instead.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="confirmations"
    )
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agrees = models.BooleanField()
    reason = models.TextField(blank=True)
    resolves_dispute = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{'agrees' if self.agrees else 'disputes'} #{self.assessment_id}"


# Registered with the app here; their rules live in their own modules.
from hotline.assessment.exposure import MediaReveal  # noqa: E402

__all__ = ["Assessment", "Confirmation", "MediaGrade", "MediaGradeConfirmation", "MediaReveal"]
