"""An in-memory index of PDQ hashes answering "which known hashes are within r bits of this one".

    >>> index = PDQIndex.build([7, 8], [hash_a, hash_b], max_radius=31)
    >>> index.query(candidate)            # [IndexMatch(id=7, distance=12)]

Ids are the caller's integers (a database primary key); re-adding an id replaces its hash.
The search is exact: every indexed hash within the radius is returned, found through
multi-index hashing (see `_index_segment`). The index lives in a few segments: bulk builds and
big additions become segments with hash tables; small additions collect in a fresh segment that
is scanned, and become a segment with tables once it holds `FRESH_ROWS` rows. Segments of
similar size are merged as they accumulate, and one that is mostly removed rows is rebuilt.
Not safe for concurrent mutation: callers share one index between threads read-only.

Costs: about 61 bytes a hash, 1.9 times the raw hashes (the hash, a 32-bit id while ids fit,
seven 3-byte table positions, offsets). A query at radius 31 over 10 million hashes probes about
14,000 buckets and checks about 34,000 candidates: 1.5 to 2 ms of one core. add(), remove() and
`in` scan the ids arrays (2 to 3 ms at 2 million hashes, ~10 ms at 10 million): an id-to-row
map would cost another 7 bytes a hash, and the hotline's lists change a few hashes at a time.
"""

import ctypes
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ._index_input import WORDS, HashInput, Ids, Words, as_ids, as_words, one_word_row
from ._index_segment import Segment

Progress = Callable[[int, int], None]

BITS = 256
FRESH_ROWS = 1 << 14
# Share of a bulk build's progress spent decoding hex, the rest goes to the tables.
_PARSE_SHARE = 0.25


class IndexMatch(NamedTuple):
    """A known hash within the radius: its id and how many bits differ."""

    id: int
    distance: int


class PDQIndex:
    """Exact Hamming-radius search over PDQ hashes; no match within the radius is ever missed."""

    def __init__(self, max_radius: int = 31) -> None:
        if not 0 <= max_radius < BITS:
            raise ValueError(f"max_radius must be between 0 and {BITS - 1}, not {max_radius}")
        self.max_radius = max_radius
        self._segments: list[Segment] = []
        self._fresh = _empty_segment()

    @classmethod
    def build(
        cls,
        ids: Sequence[int] | npt.NDArray[np.integer],
        hashes: HashInput,
        max_radius: int = 31,
        progress: Progress | None = None,
    ) -> "PDQIndex":
        """An index of these hashes, calling progress(done, total) (in hashes) as it goes."""
        index = cls(max_radius)
        report = _Report(len(hashes), progress)
        new_ids = as_ids(ids)
        words = as_words(hashes, on_chunk=report.parsed)
        index._add(new_ids, words, report.indexed)
        report.finished()
        return index

    def __len__(self) -> int:
        return sum(len(segment) for segment in self._segments) + len(self._fresh)

    def __contains__(self, id_: object) -> bool:
        if not isinstance(id_, int | np.integer):
            return False
        return any(segment.contains(int(id_)) for segment in self._all_segments())

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays (hashes, ids, tables, tombstones)."""
        return sum(segment.nbytes for segment in self._all_segments())

    def add(self, ids: Sequence[int] | npt.NDArray[np.integer], hashes: HashInput) -> None:
        """Index these hashes under these ids, replacing any hash an id already had."""
        self._add(as_ids(ids), as_words(hashes), None)

    def remove(self, ids: Iterable[int]) -> int:
        """Forget these ids; returns how many were in the index."""
        gone = _id_set(ids)
        count = sum(segment.remove(gone) for segment in self._all_segments())
        self._compact()
        return count

    def query(self, pdq_hex: str, radius: int | None = None) -> list[IndexMatch]:
        """The indexed hashes within radius bits (max_radius by default), nearest first."""
        return self._matches(one_word_row(pdq_hex), self._radius(radius))[0]

    def query_many(self, hashes: HashInput, radius: int | None = None) -> list[list[IndexMatch]]:
        """query() for each hash, in order, sharing the work between them."""
        limit = self._radius(radius)
        return self._matches(as_words(hashes), limit)

    def _add(self, ids: Ids, words: Words, progress: Progress | None) -> None:
        if len(ids) != len(words):
            raise ValueError(f"{len(ids)} ids but {len(words)} hashes")
        if not len(ids):
            return
        if len(self):
            self.remove(ids)
        if len(words) >= FRESH_ROWS:
            self._push(Segment.build(words, ids, self.max_radius, progress))
            return
        fresh_words, fresh_ids = self._fresh.live_rows()
        words, ids = np.concatenate([fresh_words, words]), np.concatenate([fresh_ids, ids])
        if len(words) >= FRESH_ROWS:
            self._fresh = _empty_segment()
            self._push(Segment.build(words, ids, self.max_radius))
        else:
            self._fresh = Segment(words, ids, None)

    def _push(self, segment: Segment) -> None:
        """Add a segment, merging the newest ones while they are of similar size."""
        self._segments.append(segment)
        while len(self._segments) > 1 and len(self._segments[-2]) <= 2 * len(self._segments[-1]):
            newer, older = self._segments.pop(), self._segments.pop()
            self._segments.append(_merged(older, newer, self.max_radius))
        _release_scratch()

    def _compact(self) -> None:
        """Rebuild segments that are mostly removed rows, and drop empty ones."""
        kept = []
        for segment in self._segments:
            if segment.dead * 2 > len(segment.words) and len(segment):
                words, ids = segment.live_rows()
                segment = Segment.build(words, ids, self.max_radius)
            if len(segment):
                kept.append(segment)
        self._segments = kept

    def _all_segments(self) -> list[Segment]:
        return [*self._segments, self._fresh]

    def _radius(self, radius: int | None) -> int:
        if radius is None:
            return self.max_radius
        if not isinstance(radius, int | np.integer) or not 0 <= radius <= self.max_radius:
            raise ValueError(
                f"radius must be between 0 and max_radius {self.max_radius}, not {radius!r}"
            )
        return int(radius)

    def _matches(self, queries: Words, radius: int) -> list[list[IndexMatch]]:
        if not len(queries):
            return []
        found = [segment.search(queries, radius) for segment in self._all_segments()]
        owners, ids, distances = (np.concatenate(column) for column in zip(*found, strict=True))
        order = np.lexsort((ids, distances, owners))
        bounds = np.cumsum(np.bincount(owners, minlength=len(queries)))
        pairs = list(zip(ids[order].tolist(), distances[order].tolist(), strict=True))
        starts = [0, *bounds[:-1].tolist()]
        return [
            [IndexMatch(*pair) for pair in pairs[start:end]]
            for start, end in zip(starts, bounds.tolist(), strict=True)
        ]


class _Report:
    """Turns the phases of a bulk build into monotonic progress(done, total) calls."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.progress = progress

    def parsed(self, done: int) -> None:
        self._call(_PARSE_SHARE * done / max(1, self.total))

    def indexed(self, tables_done: int, tables: int) -> None:
        self._call(_PARSE_SHARE + (1 - _PARSE_SHARE) * tables_done / tables)

    def finished(self) -> None:
        self._call(1.0)

    def _call(self, fraction: float) -> None:
        if self.progress is not None:
            self.progress(round(self.total * fraction), self.total)


def _merged(older: Segment, newer: Segment, radius: int) -> Segment:
    old_words, old_ids = older.live_rows()
    new_words, new_ids = newer.live_rows()
    return Segment.build(
        np.concatenate([old_words, new_words]), np.concatenate([old_ids, new_ids]), radius
    )


def _release_scratch() -> None:
    """Hand back the pages a build's temporaries freed: glibc keeps them in the heap otherwise,
    which at 10 million hashes leaves the process ~130 MB bigger than the index."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return  # not glibc: nothing to do
    trim(0)


def _empty_segment() -> Segment:
    return Segment(np.empty((0, WORDS), dtype=np.uint64), np.empty(0, dtype=np.int64), None)


def _id_set(ids: Iterable[int]) -> Ids:
    try:
        if isinstance(ids, np.ndarray):
            return np.unique(ids.astype(np.int64, casting="safe"))
        return np.unique(np.fromiter(ids, dtype=np.int64))
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"ids must be 64-bit integers: {error}") from None
