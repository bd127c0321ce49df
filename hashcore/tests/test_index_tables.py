"""The multi-index tables: exact at every radius, including crowded buckets and big indexes."""

import numpy as np
import pytest

from hashcore import _index_segment
from hashcore._index_segment import (
    TABLES,
    Segment,
    Tables,
    probe_masks,
    stable_order,
    table_keys,
    table_limits,
)
from hashcore.index import FRESH_ROWS, IndexMatch, PDQIndex
from hashcore.tests.test_index import clustered_hashes, near


def brute_force(words: np.ndarray, ids: np.ndarray, query: np.ndarray, radius: int):
    distances = np.bitwise_count(words ^ query.view(np.uint64)).sum(axis=1)
    rows = np.flatnonzero(distances <= radius)
    return sorted(IndexMatch(int(ids[r]), int(distances[r])) for r in rows)


def by_distance(matches: list[IndexMatch]) -> list[IndexMatch]:
    return sorted(matches, key=lambda match: (match.distance, match.id))


def with_tables(segment: Segment, queries: np.ndarray, radius: int):
    """(query number, id, distance) found through the segment's tables, whatever their size."""
    assert segment.tables is not None
    return segment._search_tables(segment.tables, queries, radius, 0)


def queries_near(hashes: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Indexed hashes with 0 to 40 bits flipped, and random ones."""
    rng = np.random.default_rng(seed)
    rows = hashes[rng.integers(0, len(hashes), count)]
    near_ones = [near(row, int(rng.integers(0, 41)), rng) for row in rows]
    fresh = rng.integers(0, 256, size=(count // 4, 32), dtype=np.uint8)
    return np.concatenate([np.array(near_ones), fresh])


@pytest.fixture(scope="module")
def big() -> tuple[np.ndarray, np.ndarray, PDQIndex]:
    """70,000 clustered hashes with ids beyond 32 bits: enough for the index to build tables."""
    hashes = clustered_hashes(70_000, seed=5)
    ids = np.arange(70_000, dtype=np.int64) * 7 + (1 << 40)
    return hashes, ids, PDQIndex.build(ids, hashes)


@pytest.mark.parametrize("radius", [31, 24, 17, 8, 7, 1, 0])
def test_limits_cover_the_radius_by_the_pigeonhole_principle(radius: int) -> None:
    limits = table_limits(radius)

    assert len(limits) == TABLES
    assert sum(limit + 1 for limit in limits) == radius + 1
    assert list(limits) == sorted(limits, reverse=True)


def test_probe_masks_flip_at_most_the_limit_fewest_first() -> None:
    masks = probe_masks(10, 3)
    flips = np.bitwise_count(masks)

    assert len(set(masks.tolist())) == 1 + 10 + 45 + 120
    assert flips.max() == 3
    assert (np.diff(flips) >= 0).all()


def test_stable_order_equals_a_stable_argsort() -> None:
    keys = np.random.default_rng(3).integers(0, 1 << 22, 50_000).astype(np.uint32)
    keys[:5000] = 77

    assert (stable_order(keys) == np.argsort(keys, kind="stable")).all()


@pytest.mark.parametrize("bits", [3, 6, 11])
def test_crowded_and_sparse_tables_find_exactly_what_a_scan_finds(bits: int) -> None:
    hashes = clustered_hashes(4000, seed=bits)
    words = hashes.view(np.uint64)
    order = stable_order(table_keys(words, 0, bits))
    words, ids = words[order], np.arange(4000, dtype=np.int64)[order]
    tables = Tables(words, bits)
    segment = Segment(words, ids, tables)

    for radius in (0, 9, 31):
        for query in queries_near(hashes, 24, seed=radius):
            owners, found, distances = with_tables(segment, query.view(np.uint64)[None, :], radius)
            got = sorted(IndexMatch(int(i), int(d)) for i, d in zip(found, distances, strict=True))
            assert got == brute_force(words, ids, query, radius)
            assert (owners == 0).all()


def test_four_byte_row_numbers_find_exactly_what_a_scan_finds(monkeypatch) -> None:
    monkeypatch.setattr(_index_segment, "_SMALL_PERMUTATION", 1000)
    hashes = clustered_hashes(4000, seed=13)
    words = hashes.view(np.uint64)
    order = stable_order(table_keys(words, 0, 9))
    words, ids = words[order], np.arange(4000, dtype=np.int64)[order]
    tables = Tables(words, 9)
    segment = Segment(words, ids, tables)

    assert tables.order.dtype == np.uint32
    for query in queries_near(hashes, 24, seed=13):
        _, found, distances = with_tables(segment, query.view(np.uint64)[None, :], 31)
        got = sorted(IndexMatch(int(i), int(d)) for i, d in zip(found, distances, strict=True))
        assert got == brute_force(words, ids, query, 31)


@pytest.mark.parametrize("radius", [0, 8, 15, 31])
def test_a_big_index_finds_exactly_what_a_scan_finds(big, radius: int) -> None:
    hashes, ids, index = big
    words = hashes.view(np.uint64)
    queries = queries_near(hashes, 60, seed=radius)

    results = index.query_many(queries, radius)

    assert index.nbytes > len(hashes) * 40  # the hashes, their ids and the tables
    for query, got in zip(queries, results, strict=True):
        assert got == by_distance(brute_force(words, ids, query, radius))
    assert any(results)


def test_a_batch_split_into_steps_equals_single_queries(big) -> None:
    hashes, _, index = big
    queries = queries_near(hashes, 300, seed=11)

    assert index.query_many(queries) == [index.query(q.tobytes().hex()) for q in queries]


def test_growing_shrinking_and_replacing_stays_exact() -> None:
    hashes = clustered_hashes(80_000, seed=8)
    ids = np.arange(80_000, dtype=np.int64)
    index = PDQIndex.build(ids[:30_000], hashes[:30_000])
    for start in range(30_000, 80_000, FRESH_ROWS // 2 + 1000):
        index.add(ids[start : start + FRESH_ROWS // 2 + 1000], hashes[start : start + 9192])
    gone = ids[ids % 3 == 0]
    assert index.remove(gone.tolist()) == len(gone)
    replaced = np.random.default_rng(2).integers(0, 256, size=(500, 32), dtype=np.uint8)
    index.add(ids[1:1000:2], replaced)

    current = hashes.copy()
    current[1:1000:2] = replaced
    alive = ids % 3 != 0
    alive[1:1000:2] = True  # re-adding a removed id brings it back
    words, kept = current[alive].view(np.uint64), ids[alive]
    assert len(index) == len(kept)
    for query in queries_near(current[alive], 40, seed=4):
        assert index.query(query.tobytes().hex()) == by_distance(
            brute_force(words, kept, query, 31)
        )
    assert 6 not in index
    assert 3 in index
    assert 1 in index


def test_a_big_build_reports_each_table() -> None:
    hashes = clustered_hashes(70_000, seed=9)
    calls: list[tuple[int, int]] = []

    PDQIndex.build(range(70_000), hashes, progress=lambda done, total: calls.append((done, total)))

    assert len(calls) >= TABLES
    assert calls[-1] == (70_000, 70_000)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_many_copies_of_one_picture_widen_the_offsets_and_are_all_found() -> None:
    hashes = clustered_hashes(4000, seed=12)
    hashes[:1000] = hashes[1000]
    words = hashes.view(np.uint64)
    order = stable_order(table_keys(words, 0, 11))
    words, ids = words[order], np.arange(4000, dtype=np.int64)[order]
    tables = Tables(words, 11)
    segment = Segment(words, ids, tables)

    query = hashes[1000].view(np.uint64)[None, :]
    _, found, distances = with_tables(segment, query, 31)

    assert tables.remainder.dtype == np.uint16
    assert len(found) >= 1001
    assert sorted(IndexMatch(int(i), int(d)) for i, d in zip(found, distances, strict=True)) == (
        brute_force(words, ids, hashes[1000], 31)
    )
