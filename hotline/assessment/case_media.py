"""What the case page shows of the url's latest capture: its facts, and its media items, each
either graded (collapsed, with its grade and, for a pre-grade, the match it came from) or waiting
for a grade. No item's bytes are part of the page: previews and reveals are separate requests."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from hotline.assessment.derivation import (
    capture_items,
    derive,
    latest_capture,
    latest_fetched,
    live_grades,
)
from hotline.assessment.grade import Grade
from hotline.assessment.item_forms import MediaGradeForm
from hotline.assessment.media_grades import MediaGrade, MediaGradeConfirmation
from hotline.assessment.vocabulary import GradeBasis
from hotline.capture.models import Capture, CaptureMedia, MediaItem, MediaKindChoice
from hotline.intake.models import Url


@dataclass(frozen=True)
class ItemView:
    item: MediaItem
    grade: MediaGrade | None
    form: MediaGradeForm | None

    @property
    def is_video(self) -> bool:
        return self.item.kind == MediaKindChoice.VIDEO

    @property
    def is_pregrade(self) -> bool:
        return self.grade is not None and self.grade.basis == GradeBasis.KNOWN_MATCH


@dataclass(frozen=True)
class CaseMedia:
    capture: Capture | None
    fetched: Capture | None
    items: list[ItemView]
    derived: Grade | None

    @property
    def graded(self) -> int:
        return sum(1 for view in self.items if view.grade is not None)

    @property
    def pregraded(self) -> int:
        return sum(1 for view in self.items if view.is_pregrade)

    @property
    def waiting(self) -> list[ItemView]:
        return [view for view in self.items if view.grade is None]


def case_media(url: Url, gradable: bool, bound: MediaGradeForm | None = None) -> CaseMedia:
    """The latest capture and its items; grade forms for ungraded items when `gradable`."""
    fetched = latest_fetched(url)
    items = capture_items(fetched) if fetched else []
    grades = _grades([item.pk for item in items])
    views = [
        ItemView(item, grades.get(item.pk), _form(item, grades, gradable, bound)) for item in items
    ]
    return CaseMedia(latest_capture(url), fetched, views, derive(grades.values()))


def case_item(case_pk: int, item_pk: int) -> MediaItem:
    """The item, if a capture of the case showed it; 404 otherwise, whatever the item."""
    link = CaptureMedia.objects.filter(capture__url_id=case_pk, media_item_id=item_pk)
    if not link.exists():
        raise Http404("No such media item in this case.")
    return MediaItem.objects.select_related("blob").get(pk=item_pk)


def _grades(item_ids: list[int]) -> dict[int, MediaGrade]:
    """Standing grades with who made and confirmed them, and the known grade a pre-grade matched."""
    confirmations = MediaGradeConfirmation.objects.select_related("analyst")
    grades = live_grades(item_ids)
    related = (
        MediaGrade.objects.filter(pk__in=[grade.pk for grade in grades.values()])
        .select_related("analyst", "matched_grade", "matched_grade__analyst")
        .prefetch_related(
            Prefetch("confirmations", queryset=confirmations),
            Prefetch("matched_grade__confirmations", queryset=confirmations),
        )
    )
    return {grade.media_item_id: grade for grade in related}


def _form(
    item: MediaItem, grades: dict[int, MediaGrade], gradable: bool, bound: MediaGradeForm | None
) -> MediaGradeForm | None:
    if not gradable or item.pk in grades:
        return None
    if bound is not None and bound.item_pk == item.pk:
        return bound
    return MediaGradeForm(item_pk=item.pk)
