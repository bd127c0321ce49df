"""Matching videos by their vPDQ frame hashes, as Meta's vPDQ compares two videos.

Two shares decide: of the query video's distinct frames, how many found a frame within the
radius in the known video; and of the known video's distinct frames, how many some query frame
matched. Each must reach its threshold. python-threatexchange asks 80 % of the query and nothing
of the known video: a re-encoded or resized copy matches, and so does a clip cut from a known
video, while a video that merely shares an opening title or a few frames does not.

Frames are PDQ hashes; the caller leaves out frames whose quality is too low to match on.
Each distinct frame is indexed once, under an id made of the video's id and the frame's rank.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .index import IndexMatch, PDQIndex

# Frames a video keeps in the index at most: 65,536 distinct frames, 18 hours at vPDQ's one
# frame a second; the rest are ignored.
_FRAME_BITS = 16
_MAX_FRAMES = 1 << _FRAME_BITS


@dataclass(frozen=True)
class VideoMatch:
    """A known video matched: the shares (0-100) of the query's and of its own distinct frames
    that matched, and the mean distance in bits of the query frames to their nearest match."""

    id: int
    query_percent: float
    known_percent: float
    mean_distance: float


class VideoIndex:
    """Known videos' distinct frame hashes, searched exactly (see PDQIndex)."""

    def __init__(self, max_radius: int = 31) -> None:
        self._frames = PDQIndex(max_radius)
        self._frame_counts: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._frame_counts)

    def __contains__(self, video_id: object) -> bool:
        return video_id in self._frame_counts

    def add(self, video_id: int, frames: Iterable[str]) -> None:
        """Index the video's frames (PDQ hex), replacing what it had; no frames, no entry."""
        self.remove([video_id])
        distinct = _distinct(frames)[:_MAX_FRAMES]
        if distinct:
            ids = [(video_id << _FRAME_BITS) + rank for rank in range(len(distinct))]
            self._frames.add(ids, distinct)
            self._frame_counts[video_id] = len(distinct)

    def remove(self, video_ids: Iterable[int]) -> None:
        """Forget these videos."""
        frame_ids = [
            (video_id << _FRAME_BITS) + rank
            for video_id in video_ids
            for rank in range(self._frame_counts.pop(video_id, 0))
        ]
        if frame_ids:
            self._frames.remove(frame_ids)

    def match(
        self, frames: Iterable[str], radius: int, query_percent: float, known_percent: float = 0
    ) -> list[VideoMatch]:
        """The known videos matched with at least these shares, best first (the most of the
        query matched, then the most of the known video, then the nearest)."""
        query = _distinct(frames)
        if not query:
            return []
        tally = _Tally()
        for matches in self._frames.query_many(query, radius):
            tally.count(matches)
        found = [tally.result(video, len(query), self._frame_counts[video]) for video in tally]
        wanted = [
            match
            for match in found
            if match.query_percent >= query_percent and match.known_percent >= known_percent
        ]
        return sorted(wanted, key=_best_first)


def _best_first(match: VideoMatch) -> tuple[float, float, float, int]:
    return (-match.query_percent, -match.known_percent, match.mean_distance, match.id)


class _Tally:
    """Per known video: the query frames that found a match in it, and its frames matched."""

    def __init__(self) -> None:
        self._nearest: dict[int, list[int]] = defaultdict(list)
        self._known_frames: dict[int, set[int]] = defaultdict(set)

    def __iter__(self) -> Iterator[int]:
        return iter(self._nearest)

    def count(self, matches: Sequence[IndexMatch]) -> None:
        nearest: dict[int, int] = {}
        for match in matches:
            video = match.id >> _FRAME_BITS
            self._known_frames[video].add(match.id)
            nearest[video] = min(nearest.get(video, match.distance), match.distance)
        for video, distance in nearest.items():
            self._nearest[video].append(distance)

    def result(self, video: int, query_frames: int, known_frames: int) -> VideoMatch:
        distances = self._nearest[video]
        return VideoMatch(
            id=video,
            query_percent=100 * len(distances) / query_frames,
            known_percent=100 * len(self._known_frames[video]) / known_frames,
            mean_distance=sum(distances) / len(distances),
        )


def _distinct(frames: Iterable[str]) -> list[str]:
    # A still scene repeats one hash for many seconds; vPDQ counts it once.
    return list(dict.fromkeys(frame.lower() for frame in frames))
