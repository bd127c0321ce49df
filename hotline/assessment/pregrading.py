"""Known-hash pre-grading: a new capture's media items matched against the hotline's own
confirmed grades, so that analysts confirm a page instead of looking at pictures again.

For each media item of the capture with no standing grade: the same MD5 or SHA-1 as a confirmed
item is an exact match; otherwise the nearest confirmed picture within
HOTLINE_PDQ_MATCH_THRESHOLD bits over the item's eight rotations and flips, when both pictures
have a PDQ quality of at least HOTLINE_PDQ_MIN_QUALITY; for a video or an animated image, the
confirmed video or animation that HOTLINE_VPDQ_QUERY_MATCH_PERCENT of its distinct frame hashes
match (and at least HOTLINE_VPDQ_KNOWN_MATCH_PERCENT of the known one's; frames of quality below
HOTLINE_PDQ_MIN_QUALITY left out, frames within HOTLINE_PDQ_MATCH_THRESHOLD bits matching; see
hashcore.video_index), so a GIF turned into an MP4 matches too. A match makes a proposed grade
copying
the known classification (basis "known_match"). An item already graded (the same SHA-256) is
simply shown as graded. Pre-grading runs inside the capture's transaction, and an item with a
standing grade is skipped, so a retried capture adds nothing.
"""

import dataclasses
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hashcore.index import PDQIndex
from hashcore.video_index import VideoIndex
from hotline.assessment.media_grades import FLAG_FIELDS, MediaGrade
from hotline.assessment.vocabulary import GradeBasis
from hotline.capture.models import Capture, MediaItem, MediaKindChoice

CLASSIFICATION = ("category", "age_band", "sex", *FLAG_FIELDS)


# A confirmation or withdrawal is read again for this long after its time, so that one whose
# transaction committed after a later one is still seen.
LATE_COMMIT = timedelta(minutes=10)
# Every so often the whole set is read again, which also heals anything later than that.
FULL_READ_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class _Reading:
    """What the index was last brought up to date with."""

    quality_floor: int
    full_read_at: datetime
    read_at: datetime


class KnownIndexes(NamedTuple):
    """The confirmed pictures' PDQ hashes, and the frame hashes of the confirmed videos (vPDQ)
    and animations, by grade id."""

    pictures: PDQIndex
    videos: VideoIndex


class KnownGrades:
    """The hashes of confirmed grades held in memory, one per process, following the
    database. Each look reads only the grades confirmed or withdrawn since shortly before the
    last look (indexed by time), so its cost follows the grading done, not the grades held; the
    whole set is read at the first look, then hourly and when the quality floor changes.

    A grade withdrawn but not yet removed cannot make a pre-grade: every match is checked
    against the database (`_still_confirmed`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes = _empty_indexes(31)
        self._held: set[int] = set()
        self._reading: _Reading | None = None

    def indexes(self) -> KnownIndexes:
        now = timezone.now()
        with self._lock:
            if self._settings_changed():
                self._indexes = _empty_indexes(settings.HOTLINE_PDQ_MATCH_THRESHOLD)
                self._held, self._reading = set(), None
            if self._full_read_due(now):
                self._read_all(now)
            else:
                self._read_changes(now)
            return self._indexes

    def read_all_next(self) -> None:
        """Read every grade at the next look: for grades written with times already past (the
        demo's backdated confirmations), which looks that read recent changes would miss."""
        with self._lock:
            self._reading = None

    def _settings_changed(self) -> bool:
        # A wider radius needs new tables, and a new quality floor changes the frames kept.
        floor = None if self._reading is None else self._reading.quality_floor
        return (
            self._indexes.pictures.max_radius < settings.HOTLINE_PDQ_MATCH_THRESHOLD
            or floor not in (None, settings.HOTLINE_PDQ_MIN_QUALITY)
        )

    def _full_read_due(self, now: datetime) -> bool:
        reading = self._reading
        return reading is None or now - reading.full_read_at >= FULL_READ_EVERY

    def _read_all(self, now: datetime) -> None:
        wanted = set(_indexable().values_list("pk", flat=True))
        wanted |= set(_indexable_moving().values_list("pk", flat=True))
        self._update(wanted - self._held, self._held - wanted)
        self._reading = _Reading(settings.HOTLINE_PDQ_MIN_QUALITY, now, now)

    def _read_changes(self, now: datetime) -> None:
        assert self._reading is not None  # a full read came first
        since = self._reading.read_at - LATE_COMMIT
        # Range scans of the time indexes alone, unordered: joined with the items, ordered by
        # id or with OR, the planner may read every grade instead. _update keeps the indexable.
        grades = MediaGrade.objects.order_by()
        confirmed = set(grades.filter(confirmed_at__gte=since).values_list("pk", flat=True))
        withdrawn = set(grades.filter(withdrawn_at__gte=since).values_list("pk", flat=True))
        self._update(confirmed - self._held, withdrawn & self._held)
        self._reading = dataclasses.replace(self._reading, read_at=now)

    def _update(self, arrived: set[int], gone: set[int]) -> None:
        """Remove the grades `gone`; add those of `arrived` that are indexable."""
        if gone:
            self._indexes.pictures.remove(sorted(gone))
            self._indexes.videos.remove(gone)
            self._held -= gone
        pictures = _hashes(arrived)
        if pictures:
            self._indexes.pictures.add(list(pictures), list(pictures.values()))
        # An animation is in both: its first frame as a picture, all its frames as a video.
        videos = _frames(arrived)
        for grade_id, frames in videos.items():
            self._indexes.videos.add(grade_id, frames)
        self._held |= set(pictures) | {grade for grade in videos if grade in self._indexes.videos}


def _empty_indexes(radius: int) -> KnownIndexes:
    return KnownIndexes(PDQIndex(radius), VideoIndex(radius))


# Past this many new grades (the first build of the index, above all) one pass over every
# indexable grade is cheaper than a query listing the ids, which databases also cap.
FEW = 1000


def _hashes(grade_ids: set[int]) -> dict[int, str]:
    """The PDQ hash of each of these grades' items, for those that are indexable pictures."""
    rows = _indexable().values_list("pk", "media_item__pdq")
    return dict(_rows_of(grade_ids, rows))


def _frames(grade_ids: set[int]) -> dict[int, list[str]]:
    """The frame hashes good enough to match on of each of these grades' videos and animations."""
    rows = _indexable_moving().values_list("pk", "media_item__vpdq", "media_item__frames")
    return {grade: good_frames(vpdq or frames) for grade, vpdq, frames in _rows_of(grade_ids, rows)}


def _rows_of(grade_ids: set[int], rows: Any) -> list[tuple[Any, ...]]:
    """The rows (grade id first) of these grades."""
    if not grade_ids:
        return []
    if len(grade_ids) <= FEW:
        return list(rows.filter(pk__in=grade_ids))
    return [row for row in rows.iterator(chunk_size=10_000) if row[0] in grade_ids]


def _indexable() -> Any:
    return (
        MediaGrade.objects.confirmed()
        .filter(media_item__pdq_quality__gte=settings.HOTLINE_PDQ_MIN_QUALITY)
        .exclude(media_item__pdq="")
    )


def _indexable_moving() -> Any:
    """Confirmed grades of videos and animated images."""
    moving = Q(media_item__kind=MediaKindChoice.VIDEO) | ~Q(media_item__frames=[])
    return MediaGrade.objects.confirmed().filter(moving)


def good_frames(frames: list[dict[str, Any]]) -> list[str]:
    """The hashes of a media item's frames (vPDQ, or an animation's) good enough to match on."""
    floor = settings.HOTLINE_PDQ_MIN_QUALITY
    return [frame["pdq"] for frame in frames if frame.get("quality", 0) >= floor and frame["pdq"]]


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
    searchable = any(_comparable(item) or _item_frames(item) for item in items)
    known = known_grades.indexes() if searchable else _empty_indexes(0)
    for item in items:
        match = exact_match(item) or pdq_match(item, known.pictures) or frames_match(item, known)
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
        known = _still_confirmed(match.id)
        if known is not None:
            return known, "pdq", match.distance
    return None


def frames_match(item: MediaItem, known: KnownIndexes) -> Match | None:
    """The confirmed video or animation the item's frames match best, enough of them matched."""
    frames = _item_frames(item)
    if not frames:
        return None
    shares = (settings.HOTLINE_VPDQ_QUERY_MATCH_PERCENT, settings.HOTLINE_VPDQ_KNOWN_MATCH_PERCENT)
    kind = "vpdq" if item.vpdq else "frames"
    for match in known.videos.match(frames, settings.HOTLINE_PDQ_MATCH_THRESHOLD, *shares):
        known_moving = _still_confirmed(match.id)
        if known_moving is not None:
            return known_moving, kind, round(match.mean_distance)
    return None


def _item_frames(item: MediaItem) -> list[str]:
    return good_frames(item.vpdq or item.frames)


def _orientations(item: MediaItem) -> list[str]:
    return [pdq for pdq in (item.dihedral or [item.pdq]) if pdq]


def _still_confirmed(grade_id: int) -> MediaGrade | None:
    return MediaGrade.objects.confirmed().filter(pk=grade_id).first()


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
