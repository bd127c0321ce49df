"""One block of the PDQ index: its hashes, their ids, and eight multi-index hash tables.

Exact search by the pigeonhole principle. The tables are keyed by eight disjoint substrings of
the hash (the top `bits` bits of each 32-bit quarter-word). If a hash is within radius r of the
query, its key distances d_t add up to at most r, so for limits l_t with sum(l_t + 1) = r + 1
some table has d_t <= l_t: probing every key within l_t of the query's key in each table
(l_t = -1 means "skip the table") and checking each candidate's full distance misses nothing.

Each table is a sorted order of the block's rows (CSR): rows with key k sit at positions
offsets[k] to offsets[k + 1]. The hashes are stored in the first table's order, so that table
needs no permutation; the other seven keep theirs in 3 bytes a row (up to 2^24 rows a block).
Offsets are kept as a 32-bit base per 32 keys plus an 8-bit remainder (wider only when a run of
32 keys holds more than 255 rows, as when many copies of one picture are indexed).
"""

from collections.abc import Callable
from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np
import numpy.typing as npt

from ._index_input import WORDS, Ids, Words

Int64s = npt.NDArray[np.int64]
Hits = tuple[Int64s, Int64s, Int64s]
Progress = Callable[[int, int], None]

TABLES = 8
_QUARTER = 32
_ROW = np.dtype((np.void, 8 * WORDS))
_BLOCK_SHIFT = 5
_SMALL_PERMUTATION = 1 << 24
# A probe costs about as much as checking a few candidates; a scan checks every row.
_SCAN_ADVANTAGE = 4
# Candidates checked per batch, bounding the memory of one vectorised step.
_BATCH_CANDIDATES = 1 << 17
# Query-row pairs compared at once by a scan.
_SCAN_CELLS = 1 << 16


@lru_cache(maxsize=256)
def table_limits(radius: int) -> tuple[int, ...]:
    """How far from the query's key to probe in each table, for an exact search at radius."""
    share, extra = divmod(radius + 1, TABLES)
    return tuple(share - 1 + (table < extra) for table in range(TABLES))


def key_bits(rows: int) -> int:
    """Key width for a block of this many rows: about two rows a key."""
    return max(4, min(28, rows.bit_length() - 2))


@lru_cache(maxsize=64)
def probe_masks(bits: int, limit: int) -> Int64s:
    """Every bits-wide XOR mask flipping at most limit bits, fewest flips first."""
    masks = [
        sum(1 << bit for bit in flipped)
        for flips in range(limit + 1)
        for flipped in combinations(range(bits), flips)
    ]
    return np.array(masks, dtype=np.int64)


def table_keys(words: Words, table: int, bits: int) -> npt.NDArray[np.uint32]:
    shift = _QUARTER * (table % 2) + _QUARTER - bits
    return ((words[:, table // 2] >> shift) & ((1 << bits) - 1)).astype(np.uint32)


def stable_order(keys: npt.NDArray[np.uint32]) -> Int64s:
    """argsort(keys, kind="stable"), as two 16-bit radix sorts (numpy radix-sorts only those)."""
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = (keys >> 16).astype(np.uint16)
    if not high.any():
        return order
    return order[np.argsort(high[order], kind="stable")]


class Tables:
    """The eight tables' offsets and permutations, concatenated so one query probes all at once."""

    def __init__(self, words: Words, bits: int, progress: Progress | None = None) -> None:
        rows = len(words)
        self.bits = bits
        self.rows = rows
        counts = np.zeros(TABLES << bits, dtype=np.int64)
        # Row numbers of the other seven tables: 3 bytes each (little-endian) up to 2^24 rows.
        shape = (TABLES - 1) * rows
        wide = rows > _SMALL_PERMUTATION
        self.order = np.empty(shape, np.uint32) if wide else np.empty((shape, 3), np.uint8)
        for table in range(TABLES):
            keys = table_keys(words, table, bits)
            counts[table << bits : (table + 1) << bits] = np.bincount(keys, minlength=1 << bits)
            if table:
                self._store_permutation(table, stable_order(keys))
            if progress is not None:
                progress(table + 1, TABLES)
        self.base, self.remainder = _compact_offsets(counts)

    def _store_permutation(self, table: int, order: Int64s) -> None:
        section = slice((table - 1) * self.rows, table * self.rows)
        if self.order.ndim == 1:
            self.order[section] = order
        else:
            self.order[section] = order.astype("<u4").view(np.uint8).reshape(-1, 4)[:, :3]

    @property
    def nbytes(self) -> int:
        return self.order.nbytes + self.base.nbytes + self.remainder.nbytes

    def probes_per_query(self, radius: int) -> int:
        return sum(_ball(self.bits, limit) for limit in table_limits(radius) if limit >= 0)

    def candidates(self, keys: Int64s, radius: int) -> tuple[Int64s, Int64s | None]:
        """Rows in the probed buckets, and for each the query (row of keys) it was probed for
        (None for a single query, whose candidates are all its own)."""
        probes, owners = self._probes(keys, radius)
        first = self._offsets(probes)
        lengths = self._offsets(probes + 1) - first
        ends = np.cumsum(lengths)
        positions = np.repeat(first - ends + lengths, lengths) + np.arange(ends[-1])
        first_table = len(keys) * len(probe_masks(self.bits, table_limits(radius)[0]))
        rows = self._rows(positions, int(ends[first_table - 1]))
        return rows, None if len(keys) == 1 else np.repeat(owners, lengths)

    def _probes(self, keys: Int64s, radius: int) -> tuple[Int64s, Int64s]:
        """The keys to look up, table by table (table 0 first), and the query each is for."""
        limits = table_limits(radius)
        probes, owners = [], []
        for limit in sorted(set(limits) - {-1}, reverse=True):
            # Tables with the higher limit come first, so each group is a run of tables.
            tables = np.array([t for t in range(TABLES) if limits[t] == limit])
            masks = probe_masks(self.bits, limit)
            probed = (keys.T[tables, :, None] ^ masks) + (tables << self.bits)[:, None, None]
            probes.append(probed.ravel())
            owners.append(np.broadcast_to(np.arange(len(keys))[:, None], probed.shape).ravel())
        return np.concatenate(probes), np.concatenate(owners)

    def _offsets(self, keys: Int64s) -> Int64s:
        offsets: Int64s = self.base[keys >> _BLOCK_SHIFT].astype(np.int64)
        offsets += self.remainder[keys]
        return offsets

    def _rows(self, positions: Int64s, first_table: int) -> Int64s:
        """Row numbers of table positions: the first table's are the rows themselves."""
        rows = np.empty_like(positions)
        rows[:first_table] = positions[:first_table]
        index = positions[first_table:] - self.rows
        if self.order.ndim == 1:
            rows[first_table:] = self.order[index]
        else:
            # One gather of 3-byte rows, widened to 4, costs half of two separate gathers.
            wide = np.zeros((len(index), 4), dtype=np.uint8)
            wide[:, :3] = np.take(self.order, index, axis=0)
            rows[first_table:] = wide.view("<u4").ravel()
        return rows


class Segment:
    """Hashes and ids in one order, optionally with tables; removed rows are tombstoned."""

    def __init__(self, words: Words, ids: Ids, tables: Tables | None) -> None:
        self.words = words
        self.ids = _compact_ids(ids)
        self.tables = tables
        self.alive: npt.NDArray[np.bool_] | None = None
        self.dead = 0

    @classmethod
    def build(
        cls, words: Words, ids: Ids, radius: int, progress: Progress | None = None
    ) -> "Segment":
        """A segment of these rows, with tables if they beat a scan at this radius."""
        bits = key_bits(len(words))
        if not _tables_pay(len(words), bits, radius):
            return cls(words, ids, None)
        order = stable_order(table_keys(words, 0, bits))
        words, ids = words[order], ids[order]
        return cls(words, ids, Tables(words, bits, progress))

    def __len__(self) -> int:
        return len(self.words) - self.dead

    @property
    def nbytes(self) -> int:
        extra = (0 if self.tables is None else self.tables.nbytes) + (
            0 if self.alive is None else self.alive.nbytes
        )
        return self.words.nbytes + self.ids.nbytes + extra

    def live_rows(self) -> tuple[Words, Ids]:
        if self.alive is None:
            return self.words, self.ids.astype(np.int64)
        return self.words[self.alive], self.ids[self.alive].astype(np.int64)

    def contains(self, id_: int) -> bool:
        found = np.flatnonzero(self.ids == id_)
        return bool(len(found)) and (self.alive is None or bool(self.alive[found].any()))

    def remove(self, ids: Ids) -> int:
        """Tombstone the rows of these ids; returns how many were alive."""
        gone = np.isin(self.ids, ids)
        if self.alive is not None:
            gone &= self.alive
        count = int(np.count_nonzero(gone))
        if count:
            if self.alive is None:
                self.alive = np.ones(len(self.words), dtype=np.bool_)
            self.alive[gone] = False
            self.dead += count
        return count

    def search(self, queries: Words, radius: int) -> Hits:
        """(query number, id, distance) of every live row within radius of each query."""
        if self.tables is None or not _tables_pay(len(self.words), self.tables.bits, radius):
            return self._scan(queries, radius)
        per_query = self.tables.probes_per_query(radius) * 3
        step = max(1, _BATCH_CANDIDATES // per_query)
        parts = [
            self._search_tables(self.tables, queries[start : start + step], radius, start)
            for start in range(0, len(queries), step)
        ]
        return _concat_hits(parts)

    def _search_tables(self, tables: Tables, queries: Words, radius: int, first: int) -> Hits:
        keys = np.stack([table_keys(queries, t, tables.bits) for t in range(TABLES)], axis=1)
        rows, owners = tables.candidates(keys.astype(np.int64), radius)
        # Taking 32-byte items is an order of magnitude faster than fancy indexing of rows.
        found = np.take(self.words.view(_ROW).ravel(), rows).view(np.uint64).reshape(-1, WORDS)
        against = queries if owners is None else np.take(queries, owners, axis=0)
        near = np.flatnonzero(_distances(found, against) <= radius)
        rows, owners = rows[near], np.zeros_like(near) if owners is None else owners[near]
        # A row within radius shows up once for each table whose probe it fell in.
        _, once = np.unique(owners * len(self.words) + rows, return_index=True)
        rows, owners = rows[once], owners[once]
        distances = _distances(self.words[rows], queries[owners])
        return self._hits(rows, owners + first, distances)

    def _scan(self, queries: Words, radius: int) -> Hits:
        parts = []
        step = max(64, _SCAN_CELLS // len(queries))
        for start in range(0, len(self.words), step):
            block = self.words[start : start + step]
            distances = _distances(block[None, :, :], queries[:, None, :])
            owner, rows = np.nonzero(distances <= radius)
            parts.append(self._hits(rows + start, owner, distances[owner, rows]))
        return _concat_hits(parts)

    def _hits(
        self, rows: Int64s, owner: Int64s, distances: npt.NDArray[np.unsignedinteger]
    ) -> Hits:
        if self.alive is not None:
            keep = self.alive[rows]
            rows, owner, distances = rows[keep], owner[keep], distances[keep]
        return (
            owner.astype(np.int64),
            self.ids[rows].astype(np.int64),
            distances.astype(np.int64),
        )


def _distances(rows: Words, queries: Words) -> npt.NDArray[np.uint32]:
    # Summing each row's four byte-sized counts in one 32-bit word, two lanes at a time, is
    # several times faster than sum(axis=-1) over the counts.
    counts = np.bitwise_count(rows ^ queries).view(np.uint32)[..., 0]
    pairs = (counts & 0x00FF00FF) + ((counts >> 8) & 0x00FF00FF)
    total: npt.NDArray[np.uint32] = (pairs & 0xFFFF) + (pairs >> 16)
    return total


@lru_cache(maxsize=1024)
def _ball(bits: int, limit: int) -> int:
    return sum(comb(bits, flips) for flips in range(limit + 1))


@lru_cache(maxsize=1024)
def _tables_pay(rows: int, bits: int, radius: int) -> bool:
    probes = sum(_ball(bits, limit) for limit in table_limits(radius) if limit >= 0)
    expected = probes * (1 + rows / (1 << bits))
    return expected * _SCAN_ADVANTAGE < rows


def _compact_offsets(counts: Int64s) -> tuple[npt.NDArray[np.integer], npt.NDArray[np.integer]]:
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    base = offsets[:: 1 << _BLOCK_SHIFT]
    remainder = offsets - np.repeat(base, 1 << _BLOCK_SHIFT)[: len(offsets)]
    widths = (np.uint8, np.uint16, np.uint32)
    narrowest = next(width for width in widths if remainder.max() <= np.iinfo(width).max)
    fits = offsets[-1] <= np.iinfo(np.uint32).max
    return base.astype(np.uint32 if fits else np.int64), remainder.astype(narrowest)


def _compact_ids(ids: Ids) -> npt.NDArray[np.integer]:
    small = len(ids) == 0 or (
        ids.min() >= np.iinfo(np.int32).min and ids.max() <= np.iinfo(np.int32).max
    )
    return ids.astype(np.int32) if small else ids


def _concat_hits(parts: list[Hits]) -> Hits:
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    owners, ids, distances = zip(*parts, strict=True)
    return np.concatenate(owners), np.concatenate(ids), np.concatenate(distances)
