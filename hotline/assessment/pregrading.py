"""Known-hash pre-grading: a new capture's media items matched against the hotline's own
confirmed grades, so that analysts confirm a page instead of looking at pictures again.

For each media item of the capture with no standing grade: the same MD5 or SHA-1 as a confirmed
item is an exact match; otherwise the nearest confirmed picture within
HOTLINE_PDQ_MATCH_THRESHOLD bits over the item's eight rotations and flips, when both pictures
have a PDQ quality of at least HOTLINE_PDQ_MIN_QUALITY. A match makes a proposed grade copying
the known classification (basis "known_match"). An item already graded (the same SHA-256) is
simply shown as graded. Pre-grading runs inside the capture's transaction, and an item with a
standing grade is skipped, so a retried capture adds nothing.
"""

import threading
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from hashcore.index import IndexMatch, PDQIndex
from hotline.assessment.media_grades import FLAG_FIELDS, MediaGrade
from hotline.assessment.vocabulary import GradeBasis
from hotline.capture.models import Capture, MediaItem

CLASSIFICATION = ("category", "age_band", "sex", *FLAG_FIELDS)


class KnownGrades:
    """The PDQ hashes of confirmed grades held in memory, one per process, following the
    database: a cheap marker query tells whether grades were confirmed or withdrawn since the
    last look, and only the difference is added or removed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index = PDQIndex(max_radius=31)
        self._marker: tuple[Any, ...] | None = None
        self._held: set[int] = set()

    def index(self) -> PDQIndex:
        marker = _marker()
        with self._lock:
            if self._index.max_radius < settings.HOTLINE_PDQ_MATCH_THRESHOLD:
                self._index = PDQIndex(settings.HOTLINE_PDQ_MATCH_THRESHOLD)
                self._marker, self._held = None, set()
            if marker != self._marker:
                self._follow()
                self._marker = marker
            return self._index

    def _follow(self) -> None:
        wanted = set(_indexable().values_list("pk", flat=True))
        gone = self._held - wanted
        if gone:
            self._index.remove(sorted(gone))
        added = wanted - self._held
        new = _hashes(added)
        if new:
            self._index.add(list(new), list(new.values()))
        self._held = wanted


# Past this many new grades (the first build of the index, above all) one pass over every
# indexable grade is cheaper than a query listing the ids, which databases also cap.
FEW = 1000


def _hashes(grade_ids: set[int]) -> dict[int, str]:
    """The PDQ hash of each of these grades' items."""
    if not grade_ids:
        return {}
    rows = _indexable().values_list("pk", "media_item__pdq")
    if len(grade_ids) <= FEW:
        return dict(rows.filter(pk__in=grade_ids))
    return {pk: pdq for pk, pdq in rows.iterator(chunk_size=10_000) if pk in grade_ids}


def _indexable() -> Any:
    return (
        MediaGrade.objects.confirmed()
        .filter(media_item__pdq_quality__gte=settings.HOTLINE_PDQ_MIN_QUALITY)
        .exclude(media_item__pdq="")
    )


def _marker() -> tuple[Any, ...]:
    """Changes whenever a grade is confirmed or withdrawn (or the quality floor is changed)."""
    grades = MediaGrade.objects
    latest = grades.aggregate(Max("confirmed_at"), Max("withdrawn_at"), Max("pk"))
    # The counts catch a confirmation committed after a later one, which the times would miss.
    counts = (grades.confirmed().count(), grades.withdrawn().count())
    return (*latest.values(), *counts, settings.HOTLINE_PDQ_MIN_QUALITY)


known_grades = KnownGrades()


def pregrade_on_capture(sender: object, capture: Capture, **kwargs: object) -> None:
    """Receiver of capture_recorded."""
    pregrade(capture)


def pregrade(capture: Capture) -> list[MediaGrade]:
    """Pre-grade every ungraded media item of the capture that matches a confirmed grade."""
    made: list[MediaGrade] = []
    items = ungraded_items(capture)
    if not items:
        return made
    index = known_grades.index() if any(map(_comparable, items)) else PDQIndex()
    for item in items:
        match = exact_match(item) or pdq_match(item, index)
        if match is not None:
            grade = _record(item, *match)
            if grade is not None:
                made.append(grade)
    return made


def ungraded_items(capture: Capture) -> list[MediaItem]:
    items = MediaItem.objects.filter(appearances__capture=capture).distinct()
    graded = MediaGrade.objects.live().values("media_item_id")
    return list(items.exclude(pk__in=graded).order_by("pk"))


Match = tuple[MediaGrade, str, int]


def exact_match(item: MediaItem) -> Match | None:
    """A confirmed grade of another item with the same MD5 or SHA-1."""
    known = (
        MediaGrade.objects.confirmed()
        .filter(Q(media_item__md5=item.md5) | Q(media_item__sha1=item.sha1))
        .exclude(media_item=item)
        .select_related("media_item")
        .first()
    )
    if known is None:
        return None
    kind = "md5" if known.media_item.md5 == item.md5 else "sha1"
    return known, kind, 0


def _comparable(item: MediaItem) -> bool:
    return bool(item.pdq) and (item.pdq_quality or 0) >= settings.HOTLINE_PDQ_MIN_QUALITY


def pdq_match(item: MediaItem, index: PDQIndex) -> Match | None:
    """The nearest confirmed picture within the threshold over the item's rotations and flips."""
    if not _comparable(item):
        return None
    radius = settings.HOTLINE_PDQ_MATCH_THRESHOLD
    found = [match for row in index.query_many(_orientations(item), radius) for match in row]
    for match in sorted(found, key=lambda match: (match.distance, -match.id)):
        known = _still_confirmed(match)
        if known is not None:
            return known, "pdq", match.distance
    return None


def _orientations(item: MediaItem) -> list[str]:
    return [pdq for pdq in (item.dihedral or [item.pdq]) if pdq]


def _still_confirmed(match: IndexMatch) -> MediaGrade | None:
    return MediaGrade.objects.confirmed().filter(pk=match.id).first()


def _record(item: MediaItem, known: MediaGrade, kind: str, distance: int) -> MediaGrade | None:
    """The pre-grade; None if the item was graded meanwhile (by a racing capture or analyst)."""
    try:
        with transaction.atomic():
            grade = MediaGrade.objects.create(
                media_item=item,
                basis=GradeBasis.KNOWN_MATCH,
                matched_grade=known,
                match_kind=kind,
                match_distance=distance,
                **{name: getattr(known, name) for name in CLASSIFICATION},
            )
            grade.audit(
                "media_grade.pregraded", None, matched=known.pk, kind=kind, distance=distance
            )
    except IntegrityError:
        return None
    return grade
