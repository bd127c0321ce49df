"""Grades of media items: what each image or video is, confirmed by analysts before lists use it.

A media item is graded once. An analyst grades it while assessing a page (or a known-hash match
pre-grades it); other analysts confirm; once HOTLINE_GRADE_CONFIRMATIONS analysts in all stand
behind it, the grade is confirmed and the hash list takes it. A confirmed grade later overturned
is withdrawn with a reason, never deleted, so that the lists can publish its removal.

How grades follow the page's assessment (the rules the console relies on):
- An item has at most one live grade (proposed or confirmed); a graded item is not graded again.
- Grades of a url's items that no assessment holds yet (an analyst's grades made on the case page,
  and known-hash pre-grades) join the assessment the analyst submits; the submitter stands behind
  each of them (a pre-grade they accept gets their confirmation).
- A second analyst confirming the assessment, or a senior upholding it, confirms every grade it
  holds; with HOTLINE_GRADE_CONFIRMATIONS supporters a grade is confirmed.
- A senior overruling the assessment withdraws the proposed grades it holds: they were made or
  accepted by the overruled analyst, so the items are graded afresh when next seen.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.accounts.models import User
from hotline.assessment.errors import AlreadyDecided, InvalidGrade, NotAllowed
from hotline.assessment.transitions import move_status
from hotline.assessment.vocabulary import AgeBand, GradeBasis, GradeCategory, GradeStatus, Sex
from hotline.audit.log import record

if TYPE_CHECKING:
    from hotline.assessment.models import Assessment
    from hotline.capture.models import MediaItem

LEGAL_CATEGORIES = (GradeCategory.A, GradeCategory.B, GradeCategory.C)
LIVE_STATUSES = (GradeStatus.PROPOSED, GradeStatus.CONFIRMED)
FLAG_FIELDS = ("self_generated", "commercial", "ai_generated")


class MediaGradeQuerySet(models.QuerySet["MediaGrade"]):
    def confirmed(self) -> "MediaGradeQuerySet":
        return self.filter(status=GradeStatus.CONFIRMED)

    def withdrawn(self) -> "MediaGradeQuerySet":
        return self.filter(status=GradeStatus.WITHDRAWN)

    def live(self) -> "MediaGradeQuerySet":
        """Grades that still stand: proposed or confirmed."""
        return self.filter(status__in=LIVE_STATUSES)


class MediaGrade(models.Model):
    """One classification of one media item, by an analyst or by a match with a known grade."""

    media_item = models.ForeignKey(
        "capture.MediaItem", on_delete=models.PROTECT, related_name="grades"
    )
    # The page assessment in which it was graded; empty for a grade made outside one.
    assessment = models.ForeignKey(
        "assessment.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="media_grades",
    )
    # Empty when the grade came from a known-hash match rather than a person.
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    basis = models.CharField(max_length=12, choices=GradeBasis.choices, default=GradeBasis.ANALYST)
    category = models.CharField(max_length=12, choices=GradeCategory.choices)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, blank=True)
    self_generated = models.BooleanField(default=False)
    commercial = models.BooleanField(default=False)
    ai_generated = models.BooleanField(default=False)
    # For a known-hash pre-grade: the confirmed grade it matched, how, and how far (PDQ bits).
    matched_grade = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="matches"
    )
    match_kind = models.CharField(max_length=10, blank=True)
    match_distance = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=GradeStatus.choices, default=GradeStatus.PROPOSED
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = MediaGradeQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        # Pre-grading counts grades by status before each capture (an index-only count).
        indexes = [models.Index(fields=["status"], name="media_grade_status")]
        constraints = [
            # The hash list holds one grade per item: a second would contradict or repeat it.
            models.UniqueConstraint(
                fields=["media_item"],
                condition=Q(status=GradeStatus.CONFIRMED),
                name="one_confirmed_grade_per_media_item",
            ),
            # A graded item is never graded again, so two analysts (or a retried pre-grading)
            # cannot leave it two standing grades.
            models.UniqueConstraint(
                fields=["media_item"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_grade_per_media_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} for media item {self.media_item_id}"

    @property
    def is_illegal(self) -> bool:
        return self.category in LEGAL_CATEGORIES

    def supporters(self) -> set[int]:
        """The analysts standing behind this grade: who made it and who confirmed it."""
        people = set(self.confirmations.values_list("analyst_id", flat=True))
        if self.analyst_id is not None:
            people.add(self.analyst_id)
        return people

    def confirm(self, by: User) -> "MediaGradeConfirmation":
        """`by` agrees; the grade is confirmed once enough analysts stand behind it."""
        if not by.is_analyst:
            raise NotAllowed(_("Only analysts confirm grades."))
        if self.status != GradeStatus.PROPOSED:
            raise AlreadyDecided(_("This grade is no longer waiting for confirmation."))
        if by.pk in self.supporters():
            raise NotAllowed(
                _("You already stand behind this grade: another analyst must confirm it.")
            )
        with transaction.atomic():
            confirmation = self.confirmations.create(analyst=by)
            if len(self.supporters()) >= settings.HOTLINE_GRADE_CONFIRMATIONS:
                self._move(GradeStatus.PROPOSED, GradeStatus.CONFIRMED, confirmed_at=timezone.now())
            self.audit("media_grade.confirmed", by)
        return confirmation

    def withdraw(self, by: User, reason: str) -> None:
        """Overturn the grade; its removal is published, and its history kept."""
        if not reason.strip():
            raise InvalidGrade({"reason": _("Say why this grade is withdrawn.")})
        if self.status == GradeStatus.WITHDRAWN:
            raise AlreadyDecided(_("This grade is already withdrawn."))
        with transaction.atomic():
            self._move(
                self.status,
                GradeStatus.WITHDRAWN,
                withdrawn_at=timezone.now(),
                withdrawn_reason=reason.strip(),
            )
            self.audit("media_grade.withdrawn", by, reason=reason.strip())
            self._withdraw_proposed_matches(by)

    def _withdraw_proposed_matches(self, by: User) -> None:
        """Pre-grades copied from this grade that nobody has confirmed yet copy nothing now;
        those analysts confirmed stand on their own."""
        reason = _("The known grade it matched was withdrawn.")
        for match in self.matches.filter(status=GradeStatus.PROPOSED):
            match.withdraw(by, reason)

    def _move(self, from_status: str, to_status: str, **changes: object) -> None:
        """Change status only if nobody changed it since it was read."""
        refusal = _("This grade was decided by someone else meanwhile.")
        move_status(self, from_status, refusal, status=to_status, **changes)

    @classmethod
    def grade_item(cls, item: "MediaItem", analyst: User, **fields: Any) -> "MediaGrade":
        """An analyst's grade of an item nobody has graded; refused if it is graded already."""
        problems = classification_problems(fields)
        if problems:
            raise InvalidGrade(problems)
        try:
            with transaction.atomic():
                grade = cls.objects.create(media_item=item, analyst=analyst, **fields)
                grade.audit("media_grade.graded", analyst, category=grade.category)
        except IntegrityError:
            raise AlreadyDecided(
                _("This item was graded by someone else meanwhile. Nothing was changed.")
            ) from None
        return grade

    @classmethod
    def join(cls, assessment: "Assessment", item_ids: list[int]) -> None:
        """Grades of these items that no assessment holds yet join it, and its analyst stands
        behind each (accepting a pre-grade or another analyst's grade confirms it)."""
        waiting = cls.objects.filter(
            media_item_id__in=item_ids, assessment__isnull=True, status=GradeStatus.PROPOSED
        )
        for grade in waiting:
            cls.objects.filter(pk=grade.pk).update(assessment=assessment)
            grade.assessment = assessment
            if assessment.analyst_id not in grade.supporters():
                grade.confirm(assessment.analyst)

    @classmethod
    def confirm_held(cls, assessment: "Assessment", by: User) -> None:
        """`by` confirmed the assessment, and so every grade it holds that they do not yet back."""
        for grade in assessment.media_grades.filter(status=GradeStatus.PROPOSED):
            if by.pk not in grade.supporters():
                grade.confirm(by)

    @classmethod
    def withdraw_held(cls, assessment: "Assessment", by: User) -> None:
        """The assessment was overruled: the grades made or accepted in it no longer stand."""
        reason = _("The assessment of the page they were graded in was overruled.")
        for grade in assessment.media_grades.filter(status=GradeStatus.PROPOSED):
            grade.withdraw(by, reason)

    def audit(self, action: str, actor: User | None, **detail: object) -> None:
        record(
            action,
            actor=actor,
            target=self,
            detail={"media_item": self.media_item_id, "status": self.status, **detail},
        )


def classification_problems(fields: dict[str, Any]) -> dict[str, str]:
    """What is wrong with an item's classification, by field; empty when it may be saved.

    Categories A to C need the youngest age band and the sex; NPI and not illegal take neither
    (nor flags), as a url's outcome other than confirmed does.
    """
    if fields.get("category") not in GradeCategory.values:
        return {"category": _("Choose what this item is.")}
    if fields["category"] in LEGAL_CATEGORIES:
        missing = {
            "age_band": (AgeBand, _("Choose the age band of the youngest child.")),
            "sex": (Sex, _("Choose the sex of the children shown.")),
        }
        return {
            name: message
            for name, (choices, message) in missing.items()
            if fields.get(name) not in choices.values
        }
    stray = [name for name in ("age_band", "sex", *FLAG_FIELDS) if fields.get(name)]
    return dict.fromkeys(stray, _("Leave this empty: only categories A to C are classified."))


class MediaGradeConfirmation(models.Model):
    """One more analyst's agreement with a media grade."""

    grade = models.ForeignKey(MediaGrade, on_delete=models.PROTECT, related_name="confirmations")
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["grade", "analyst"], name="one_confirmation_per_analyst_per_grade"
            ),
        ]

    def __str__(self) -> str:
        return f"confirmation of media grade {self.grade_id}"
