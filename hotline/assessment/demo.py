"""Captured cases for `hotline demo`: a sample of the demo's urls captured, and their media graded
as the assessments already recorded imply.

Confirmed urls get analysts' grades that a second analyst confirmed (so the hash list has entries);
the worst item carries the url's own grade, so the page is as bad as its worst item, as the case
page derives it. Urls waiting for a second analyst get proposed grades; pages found not illegal get
items graded so; unreachable urls get a failed capture. Queued urls are captured last, showing
some pictures already graded elsewhere (the same bytes) or softened copies of them, which the real
pre-grading, run by the capture, matches by PDQ; the rest wait for an analyst.
"""

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet

from hotline.assessment import pregrading
from hotline.assessment.grade import Grade
from hotline.assessment.media_grades import MediaGrade, MediaGradeConfirmation
from hotline.assessment.models import Assessment, Confirmation
from hotline.assessment.vocabulary import (
    AgeBand,
    AssessmentStatus,
    GradeCategory,
    GradeStatus,
    Outcome,
    Sex,
)
from hotline.capture.demo import (
    DemoCapturer,
    benign_picture,
    failed_capture,
    near_copy,
    network_for,
)
from hotline.capture.models import Capture, MediaItem
from hotline.intake.models import Url, UrlState

# How many urls of each kind are captured, at most.
CONFIRMED_CAPTURED = 16
NOT_ILLEGAL_CAPTURED = 4
UNREACHABLE_CAPTURED = 3
AWAITING_CAPTURED = 3
QUEUED_CAPTURED = 10
SEVERITY: list[str] = [GradeCategory.A, GradeCategory.B, GradeCategory.C]
AGES = list(AgeBand.values)


@dataclass
class CaptureRun:
    """One demo's captures: the capturer, its generator, and the pictures graded so far."""

    rng: random.Random
    capturer: DemoCapturer = field(default_factory=DemoCapturer)
    # The bytes of each picture a confirmed grade now covers, by SHA-256.
    graded: dict[str, bytes] = field(default_factory=dict)

    def capture(self, url: Url, pictures: Sequence[bytes]) -> Capture:
        network = network_for(url.host)
        started_at = url.first_reported_at + timedelta(minutes=self.rng.uniform(1, 20))
        hosting = network.hosting(network.address(self.rng))
        return self.capturer.capture(url, started_at, hosting, pictures)

    def remember(self, items: Sequence[MediaItem], pictures: Sequence[bytes]) -> None:
        """Keep the bytes of the pictures the capture showed (a direct image link shows one)."""
        shown = {item.sha256 for item in items}
        for data in pictures:
            sha256 = hashlib.sha256(data).hexdigest()
            if sha256 in shown:
                self.graded[sha256] = data

    def fresh_pictures(self, low: int = 1, high: int = 4) -> list[bytes]:
        return [benign_picture(self.rng) for _ in range(self.rng.randint(low, high))]


@dataclass(frozen=True)
class CapturedPage:
    """An assessed page captured, and the status its items' grades take."""

    assessment: Assessment
    items: list[MediaItem]
    pictures: list[bytes]
    status: str


def capture_cases(rng: random.Random) -> int:
    """Capture and grade a sample of the demo's urls; how many captures were recorded.

    Every assessed page is captured before any grade is confirmed, so that pre-grading (which
    matches confirmed grades only) leaves their items to the analysts' grades.
    """
    run = CaptureRun(rng)
    waiting = Assessment.objects.filter(status=AssessmentStatus.AWAITING_CONFIRMATION)
    confirmed, proposed = GradeStatus.CONFIRMED, GradeStatus.PROPOSED
    pages = [
        *_capture(run, _final(Outcome.CONFIRMED), CONFIRMED_CAPTURED, confirmed),
        *_capture(run, waiting, AWAITING_CAPTURED, proposed),
        # Final at once: the items' grades stay proposed, as no second analyst looks at them.
        *_capture(run, _final(Outcome.NOT_ILLEGAL), NOT_ILLEGAL_CAPTURED, proposed, most=2),
    ]
    _grade_pages(run, pages)
    pregrading.known_grades.read_all_next()  # the grades above are dated in the past
    count = len(pages) + _capture_unreachable(run)
    return count + _capture_queued(run)


def _sample(run: CaptureRun, assessments: QuerySet[Assessment], size: int) -> list[Assessment]:
    found = list(assessments.select_related("url", "analyst").order_by("pk"))
    return run.rng.sample(found, min(size, len(found)))


def _final(outcome: str) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        status=AssessmentStatus.CONFIRMED, outcome=outcome, supersedes__isnull=True
    )


def _capture(
    run: CaptureRun, assessments: QuerySet[Assessment], size: int, status: str, most: int = 4
) -> list[CapturedPage]:
    pages = []
    for assessment in _sample(run, assessments, size):
        pictures = run.fresh_pictures(1, most)
        items = _items(run.capture(assessment.url, pictures))
        pages.append(CapturedPage(assessment, items, pictures, status))
    return pages


def _grade_pages(run: CaptureRun, pages: Sequence[CapturedPage]) -> None:
    """Each page's items graded; a confirmed page's by the second analyst too."""
    checkers = dict(
        Confirmation.objects.filter(
            assessment__in=[page.assessment for page in pages], agrees=True
        ).values_list("assessment_id", "analyst_id")
    )
    for page in pages:
        grades = _grade(run, page.assessment, page.items, page.status)
        if page.status == GradeStatus.CONFIRMED:
            _confirm(grades, checkers[page.assessment.pk], page.assessment)
            run.remember(page.items, page.pictures)


def _capture_unreachable(run: CaptureRun) -> int:
    chosen = _sample(run, _final(Outcome.UNREACHABLE), UNREACHABLE_CAPTURED)
    for assessment in chosen:
        url = assessment.url
        failed_capture(url, url.first_reported_at + timedelta(minutes=run.rng.uniform(1, 20)))
    return len(chosen)


def _capture_queued(run: CaptureRun) -> int:
    """Queued pages showing, in turn, a graded picture as it was, a softened copy of one, or only
    new pictures; the capture's pre-grading matches the copies."""
    queued = list(Url.objects.filter(state=UrlState.QUEUED).order_by("pk"))
    chosen = run.rng.sample(queued, min(QUEUED_CAPTURED, len(queued)))
    matchable = _matchable(run)
    for position, url in enumerate(chosen):
        pictures = run.fresh_pictures(0, 2)
        if matchable and position % 3 == 0:
            pictures.append(run.rng.choice(matchable))
        elif matchable and position % 3 == 1:
            pictures.append(near_copy(run.rng.choice(matchable), run.rng))
        run.capture(url, pictures or run.fresh_pictures(1, 1))
    return len(chosen)


def _matchable(run: CaptureRun) -> list[bytes]:
    """Graded pictures that PDQ can match: clear enough (a smooth gradient is not)."""
    clear = MediaItem.objects.filter(
        sha256__in=list(run.graded), pdq_quality__gte=settings.HOTLINE_PDQ_MIN_QUALITY
    ).values_list("sha256", flat=True)
    return [run.graded[sha256] for sha256 in sorted(clear)]


def _items(capture: Capture) -> list[MediaItem]:
    links = capture.media.select_related("media_item").order_by("pk")
    return [link.media_item for link in links if link.media_item is not None]


def _grade(
    run: CaptureRun, assessment: Assessment, items: Sequence[MediaItem], status: str
) -> list[MediaGrade]:
    """Each item's grade, the first carrying the url's own; the page's derived grade noted."""
    url_grade = assessment.grade
    decided = assessment.decided_at if status == GradeStatus.CONFIRMED else None
    grades = MediaGrade.objects.bulk_create(
        MediaGrade(
            media_item=item,
            assessment=assessment,
            analyst=assessment.analyst,
            status=status,
            created_at=assessment.created_at,
            confirmed_at=decided,
            **_item_classification(run.rng, url_grade, worst=index == 0),
        )
        for index, item in enumerate(items)
    )
    Assessment.objects.filter(pk=assessment.pk).update(derived=url_grade.as_fields())
    return grades


def _item_classification(rng: random.Random, url_grade: Grade, worst: bool) -> dict[str, object]:
    """The url's grade for its worst item; the others no worse, so the page derives the same."""
    if url_grade.outcome != Outcome.CONFIRMED:
        return {"category": GradeCategory.NOT_ILLEGAL}
    fields = {name: getattr(url_grade, name) for name in ("category", "age_band", "sex")}
    if worst:
        flags = ("self_generated", "commercial", "ai_generated")
        return {**fields, **{flag: getattr(url_grade, flag) for flag in flags}}
    return {
        "category": rng.choice(SEVERITY[SEVERITY.index(url_grade.category) :]),
        "age_band": rng.choice(AGES[AGES.index(url_grade.age_band) :]),
        "sex": rng.choice((url_grade.sex, Sex.UNIDENTIFIABLE)),
    }


def _confirm(grades: Sequence[MediaGrade], checker_id: int, assessment: Assessment) -> None:
    """The second analyst who confirmed the url stands behind each of its items' grades."""
    confirmed_at = assessment.decided_at or assessment.created_at
    MediaGradeConfirmation.objects.bulk_create(
        MediaGradeConfirmation(grade=grade, analyst_id=checker_id, created_at=confirmed_at)
        for grade in grades
    )
