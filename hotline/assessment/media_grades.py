"""Grades of media items: what each image or video is, confirmed by analysts before lists use it.

A media item is graded once. An analyst grades it while assessing a page (or a known-hash match
pre-grades it); other analysts confirm; once HOTLINE_GRADE_CONFIRMATIONS analysts in all stand
behind it, the grade is confirmed and the hash list takes it. A confirmed grade later overturned
is withdrawn with a reason, never deleted, so that the lists can publish its removal.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.accounts.models import User
from hotline.assessment.errors import AlreadyDecided, InvalidGrade, NotAllowed
from hotline.assessment.vocabulary import AgeBand, GradeBasis, GradeCategory, GradeStatus, Sex
from hotline.audit.log import record

LEGAL_CATEGORIES = (GradeCategory.A, GradeCategory.B, GradeCategory.C)


class MediaGradeQuerySet(models.QuerySet["MediaGrade"]):
    def confirmed(self) -> "MediaGradeQuerySet":
        return self.filter(status=GradeStatus.CONFIRMED)

    def withdrawn(self) -> "MediaGradeQuerySet":
        return self.filter(status=GradeStatus.WITHDRAWN)


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
        constraints = [
            # The hash list holds one grade per item: a second would contradict or repeat it.
            models.UniqueConstraint(
                fields=["media_item"],
                condition=Q(status=GradeStatus.CONFIRMED),
                name="one_confirmed_grade_per_media_item",
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

    def _move(self, from_status: str, to_status: str, **changes: object) -> None:
        """Change status only if nobody changed it since it was read."""
        updated = MediaGrade.objects.filter(pk=self.pk, status=from_status).update(
            status=to_status, **changes
        )
        if not updated:
            raise AlreadyDecided(_("This grade was decided by someone else meanwhile."))
        self.status = to_status
        for name, value in changes.items():
            setattr(self, name, value)

    def audit(self, action: str, actor: User | None, **detail: object) -> None:
        record(
            action,
            actor=actor,
            target=self,
            detail={"media_item": self.media_item_id, "status": self.status, **detail},
        )


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
