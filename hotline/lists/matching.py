"""The per-process index of the published hash list that the match API searches.

Each process that matches holds one `HashListIndex` over the latest published version of the
hash list: PDQ hashes in a `hashcore.PDQIndex` (exact Hamming-radius search) and MD5/SHA-1/SHA-256
digests in sorted arrays. The database stays the source of truth. The index is built on first
use, with its progress logged; afterwards each use looks (at most every few seconds) for a newer
published version and applies only what that version added or removed.
"""

import logging
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connection

from hashcore import PDQIndex
from hotline.lists.models import ListEntry, ListName
from hotline.lists.versions import changes_between, entries_at, is_removal, latest_version

logger = logging.getLogger(__name__)

DIGEST_KINDS = ("md5", "sha1", "sha256")
DIGEST_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64, "pdq": 64}
# Reading the list reports its progress at most this often (in entries).
READ_PROGRESS_ROWS = 10_000
# Progress is logged each time another twentieth of the list has been read.
PROGRESS_STEPS = 20
# A PDQ hash of a near-uniform picture is close to many others; its answer stays bounded.
MAX_MATCHES_PER_HASH = 100

Progress = Callable[[int, int], None]


class ReadWriteLock:
    """Many concurrent readers (matching threads) or one writer (applying a new version)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


class DigestTable:
    """Exact look-up of one kind of digest: the first 8 bytes, sorted, beside the entry ids.

    16 bytes per entry instead of a dict's ~100; two digests sharing a prefix are both
    returned, and the caller compares the full digest of the entries it loads.
    """

    def __init__(self) -> None:
        self._prefixes = np.empty(0, dtype=np.uint64)
        self._ids = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        return self._prefixes.nbytes + self._ids.nbytes

    def add(self, ids: npt.NDArray[np.int64], prefixes: npt.NDArray[np.uint64]) -> None:
        prefixes = np.concatenate([self._prefixes, prefixes])
        ids = np.concatenate([self._ids, ids])
        order = np.argsort(prefixes, kind="stable")
        self._prefixes, self._ids = prefixes[order], ids[order]

    def remove(self, ids: Iterable[int]) -> None:
        keep = ~np.isin(self._ids, np.fromiter(ids, dtype=np.int64))
        self._prefixes, self._ids = self._prefixes[keep], self._ids[keep]

    def candidates(self, digest: str) -> list[int]:
        prefix = digest_prefix(digest)
        start = np.searchsorted(self._prefixes, prefix, side="left")
        end = np.searchsorted(self._prefixes, prefix, side="right")
        return [int(id_) for id_ in self._ids[start:end]]


def digest_prefix(digest: str) -> np.uint64:
    """The digest's first 8 bytes as one number, the key its table sorts on."""
    return np.uint64(int(digest[:16], 16))


class EntryHashes:
    """The hashes of list entries as the index stores them, in compact growable buffers."""

    def __init__(self) -> None:
        self.entries = 0
        self.pdq_ids = array("q")
        self.pdq = bytearray()
        self.digest_ids = {kind: array("q") for kind in DIGEST_KINDS}
        self.digests = {kind: array("Q") for kind in DIGEST_KINDS}

    def take(self, entry_id: int, data: dict[str, Any]) -> None:
        self.entries += 1
        pdq = data.get("pdq")
        if isinstance(pdq, str) and len(pdq) == DIGEST_LENGTHS["pdq"]:
            self.pdq_ids.append(entry_id)
            self.pdq += bytes.fromhex(pdq)
        for kind in DIGEST_KINDS:
            digest = data.get(kind)
            if isinstance(digest, str) and len(digest) == DIGEST_LENGTHS[kind]:
                self.digest_ids[kind].append(entry_id)
                self.digests[kind].append(int(digest[:16], 16))

    def pdq_arrays(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
        ids = np.frombuffer(self.pdq_ids, dtype=np.int64)
        return ids, np.frombuffer(self.pdq, dtype=np.uint8).reshape(-1, 32)

    def digest_arrays(self, kind: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
        ids = np.frombuffer(self.digest_ids[kind], dtype=np.int64)
        return ids, np.frombuffer(self.digests[kind], dtype=np.uint64)


@dataclass(frozen=True)
class HashQuery:
    """One hash a member asks about: its kind (pdq, md5, sha1, sha256) and lowercase hex."""

    kind: str
    value: str

    @property
    def is_pdq(self) -> bool:
        return self.kind == "pdq"


@dataclass(frozen=True)
class Found:
    """A list entry that one query hash matched, and how far apart the two are (0: exact)."""

    query: int
    entry_id: int
    distance: int


class HashListIndex:
    """The published hash list at one version, searchable by PDQ distance and exact digest."""

    def __init__(self, version: int, max_radius: int) -> None:
        self.version = version
        self.entries = 0
        self.pdq = PDQIndex(max_radius=max_radius)
        self.digests = {kind: DigestTable() for kind in DIGEST_KINDS}
        self.lock = ReadWriteLock()

    def __len__(self) -> int:
        return len(self.pdq)

    @classmethod
    def built(
        cls, version: int, max_radius: int, hashes: EntryHashes, progress: Progress | None = None
    ) -> "HashListIndex":
        """An index of these entries, its PDQ part built in one go (calling `progress`)."""
        index = cls(version, max_radius)
        ids, pdq = hashes.pdq_arrays()
        index.pdq = PDQIndex.build(ids, pdq, max_radius, progress)
        index._load_digests(hashes)
        return index

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays."""
        return self.pdq.nbytes + sum(table.nbytes for table in self.digests.values())

    def load(self, hashes: EntryHashes) -> None:
        """Add new entries' hashes; the caller holds the write lock or owns the index."""
        if hashes.pdq_ids:
            self.pdq.add(*hashes.pdq_arrays())
        self._load_digests(hashes)

    def _load_digests(self, hashes: EntryHashes) -> None:
        self.entries += hashes.entries
        for kind, table in self.digests.items():
            if hashes.digest_ids[kind]:
                table.add(*hashes.digest_arrays(kind))

    def forget(self, ids: list[int]) -> None:
        self.entries -= len(ids)
        self.pdq.remove(ids)
        for table in self.digests.values():
            table.remove(ids)

    def search(self, queries: list[HashQuery], radius: int) -> tuple[int, list[Found]]:
        """The version searched, and the entries each query may match (digests unconfirmed)."""
        pdq = [(position, query.value) for position, query in enumerate(queries) if query.is_pdq]
        # Settings are read at start-up: an index never searches wider than it was built for.
        radius = min(radius, self.pdq.max_radius)
        with self.lock.reading():
            results = self.pdq.query_many([value for _, value in pdq], radius) if pdq else []
            exact = [
                Found(position, entry_id, 0)
                for position, query in enumerate(queries)
                if not query.is_pdq
                for entry_id in self.digests[query.kind].candidates(query.value)
            ]
            version = self.version
        near = [
            Found(position, match.id, match.distance)
            for (position, _), matches in zip(pdq, results, strict=True)
            for match in matches[:MAX_MATCHES_PER_HASH]
        ]
        return version, near + exact


# Building and keeping the process's index current.


def build_index(log: Callable[[str], None] | None = None) -> HashListIndex:
    """An index of the latest published version, read from the database a chunk at a time."""
    version = latest_version(ListName.HASHES)
    entries = entries_at(ListName.HASHES, version)
    reading = ProgressLog("reading", "entries", log)
    total, hashes = entries.count(), EntryHashes()
    rows = entries.values_list("pk", "data").iterator(chunk_size=settings.HOTLINE_LIST_CHUNK_SIZE)
    for entry_id, data in rows:
        hashes.take(entry_id, data)
        if hashes.entries % READ_PROGRESS_ROWS == 0:
            reading(hashes.entries, total)
    reading(hashes.entries, total)
    indexing = ProgressLog("indexing", "PDQ hashes", log)
    return HashListIndex.built(version, settings.HOTLINE_PDQ_MATCH_THRESHOLD, hashes, indexing)


def apply_changes(index: HashListIndex, version: int) -> tuple[int, int]:
    """Bring the index from its version to `version`: (entries added, entries removed)."""
    changed = changes_between(ListName.HASHES, index.version, version)
    hashes, gone = EntryHashes(), []
    for entry in changed:
        if is_removal(entry, version):
            gone.append(entry.pk)
        else:
            hashes.take(entry.pk, entry.data)
    with index.lock.writing():
        index.forget(gone)
        index.load(hashes)
        index.version = version
    return hashes.entries, len(gone)


class ProgressLog:
    """One phase of a build as log lines, one each time another 5 % of it is done."""

    def __init__(self, phase: str, unit: str, log: Callable[[str], None] | None = None) -> None:
        self._phase, self._unit = phase, unit
        self._log = log or (lambda message: logger.info("%s", message))
        self._last_step = -1

    def __call__(self, done: int, total: int) -> None:
        step = done * PROGRESS_STEPS // total if total else PROGRESS_STEPS
        if step > self._last_step:
            share = done / total if total else 1.0
            self._log(
                f"hash list index: {self._phase} {done} of {total} {self._unit} ({share:.0%})"
            )
            self._last_step = step


class MatchingService:
    """The process's one index: built on first use, then kept at the latest published version."""

    def __init__(self) -> None:
        self._index: HashListIndex | None = None
        self._build_lock = threading.Lock()
        self._checked_at = float("-inf")
        self.builds = 0

    def index(self) -> HashListIndex:
        """The index, at the latest published version as of at most a few seconds ago."""
        index = self._index if self._index is not None else self._build()
        if time.monotonic() - self._checked_at >= settings.HOTLINE_MATCH_VERSION_CHECK_SECONDS:
            self._catch_up(index)
        return index

    def _build(self) -> HashListIndex:
        with self._build_lock:
            if self._index is None:
                started = time.monotonic()
                self._index = build_index()
                self._checked_at = time.monotonic()
                self.builds += 1
                logger.info(
                    "hash list index: version %s, %s PDQ hashes, built in %.1f s",
                    self._index.version,
                    len(self._index),
                    time.monotonic() - started,
                )
            return self._index

    def _catch_up(self, index: HashListIndex) -> None:
        with self._build_lock:
            if time.monotonic() - self._checked_at < settings.HOTLINE_MATCH_VERSION_CHECK_SECONDS:
                return
            version = latest_version(ListName.HASHES)
            if version > index.version:
                added, removed = apply_changes(index, version)
                logger.info("hash list index: now version %s (+%s, -%s)", version, added, removed)
            self._checked_at = time.monotonic()

    def reset(self) -> None:
        """Forget the index (tests, or a process that no longer matches)."""
        with self._build_lock:
            self._index = None
            self._checked_at = float("-inf")
            self.builds = 0


service = MatchingService()


@dataclass(frozen=True)
class Match:
    """A query hash, the list entry it matched, and the Hamming distance (0 for a digest)."""

    query: int
    distance: int
    entry: ListEntry


def find(queries: list[HashQuery], max_distance: int) -> tuple[int, list[Match]]:
    """The version of the list searched, and every entry matching a query, nearest first."""
    version, found = service.index().search(queries, max_distance)
    entries = ListEntry.objects.in_bulk({candidate.entry_id for candidate in found})
    matches = [
        Match(candidate.query, candidate.distance, entries[candidate.entry_id])
        for candidate in found
        if _confirmed(candidate, queries, entries)
    ]
    return version, sorted(matches, key=lambda match: (match.query, match.distance, match.entry.pk))


def _confirmed(candidate: Found, queries: list[HashQuery], entries: dict[int, ListEntry]) -> bool:
    entry = entries.get(candidate.entry_id)
    query = queries[candidate.query]
    return entry is not None and (query.is_pdq or entry.data.get(query.kind) == query.value)


def warm_up() -> None:
    """Build the index now rather than on the first match request."""
    try:
        service.index()
    finally:
        # The thread's own database connection, which nothing else would close.
        connection.close()


def warm_up_in_background() -> threading.Thread:
    """Start building the index beside a starting web worker, which serves meanwhile."""
    thread = threading.Thread(target=warm_up, name="hash-list-index", daemon=True)
    thread.start()
    return thread
