"""A url's assessment derived from the grades of the media items its latest capture showed.

The page is as bad as its worst item: the most severe category, the youngest age band among the
items of categories A to C, their flags OR-ed; NPI if no item is A to C but one is NPI, else not
illegal. The analyst may submit something else, with a reason (Assessment.submit checks it).
"""

from collections.abc import Iterable

from hotline.assessment.grade import Grade
from hotline.assessment.media_grades import FLAG_FIELDS, LEGAL_CATEGORIES, MediaGrade
from hotline.assessment.vocabulary import AgeBand, GradeCategory, Outcome, Sex
from hotline.capture.models import Capture, CaptureStatus, MediaItem
from hotline.intake.models import Url

SEVERITY: list[str] = [GradeCategory.A, GradeCategory.B, GradeCategory.C]
AGE_ORDER: list[str] = list(AgeBand.values)


def latest_capture(url: Url) -> Capture | None:
    """The url's newest capture, fetched or failed."""
    return Capture.objects.filter(url=url).order_by("-started_at", "-pk").first()


def latest_fetched(url: Url) -> Capture | None:
    return (
        Capture.objects.filter(url=url, status=CaptureStatus.FETCHED)
        .order_by("-started_at", "-pk")
        .first()
    )


def case_items(url: Url) -> list[MediaItem]:
    """The media items of the url's latest fetched capture, in the order the page showed them."""
    capture = latest_fetched(url)
    return capture_items(capture) if capture is not None else []


def capture_items(capture: Capture) -> list[MediaItem]:
    """The capture's media items, each once, in the order the page showed them."""
    links = capture.media.filter(media_item__isnull=False).select_related("media_item")
    items: dict[int, MediaItem] = {}
    for link in links.order_by("pk"):
        assert link.media_item is not None
        items.setdefault(link.media_item.pk, link.media_item)
    return list(items.values())


def case_item_ids(url: Url) -> list[int]:
    return [item.pk for item in case_items(url)]


def live_grades(item_ids: Iterable[int]) -> dict[int, MediaGrade]:
    """The standing grade of each graded item, by item id."""
    grades = MediaGrade.objects.live().filter(media_item_id__in=list(item_ids))
    return {grade.media_item_id: grade for grade in grades}


def derive(grades: Iterable[MediaGrade]) -> Grade | None:
    """The url's grade its items' grades imply; None when no item is graded."""
    graded = list(grades)
    if not graded:
        return None
    illegal = [grade for grade in graded if grade.category in LEGAL_CATEGORIES]
    if not illegal:
        npi = any(grade.category == GradeCategory.NPI for grade in graded)
        return Grade(outcome=Outcome.NPI if npi else Outcome.NOT_ILLEGAL)
    flags = {flag: any(getattr(grade, flag) for grade in illegal) for flag in FLAG_FIELDS}
    return Grade(
        outcome=Outcome.CONFIRMED,
        category=min((grade.category for grade in illegal), key=SEVERITY.index),
        age_band=min((grade.age_band for grade in illegal), key=AGE_ORDER.index),
        sex=combined_sex(grade.sex for grade in illegal),
        self_generated=flags["self_generated"],
        commercial=flags["commercial"],
        ai_generated=flags["ai_generated"],
    )


def combined_sex(sexes: Iterable[str]) -> str:
    """Girls and boys across items make "both"; an unidentifiable item adds nothing known."""
    known = set(sexes) - {Sex.UNIDENTIFIABLE}
    if not known:
        return Sex.UNIDENTIFIABLE
    if Sex.BOTH in known or {Sex.GIRLS, Sex.BOYS} <= known:
        return Sex.BOTH
    return known.pop()


def derived_for(url: Url) -> Grade | None:
    return derive(live_grades(case_item_ids(url)).values())
