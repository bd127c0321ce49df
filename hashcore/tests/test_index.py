"""The PDQ index finds exactly the hashes a brute-force scan finds, and refuses bad input."""

import numpy as np
import pytest

from hashcore import hamming_distance
from hashcore.index import IndexMatch, PDQIndex

ZERO = "0" * 64


def random_hashes(count: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(count, 32), dtype=np.uint8)


def near(centre: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    """A copy of centre with exactly `bits` bits flipped."""
    flat = np.unpackbits(centre)
    flat[rng.choice(256, size=bits, replace=False)] ^= 1
    return np.packbits(flat)


def clustered_hashes(count: int, seed: int) -> np.ndarray:
    """Random hashes, a fifth of them in clusters within 2 to 40 bits of a few centres."""
    rng = np.random.default_rng(seed)
    hashes = random_hashes(count, seed)
    centres = hashes[: max(1, count // 50)]
    for row in range(count - count // 5, count):
        hashes[row] = near(centres[rng.integers(len(centres))], int(rng.integers(2, 41)), rng)
    return hashes


def hexes(rows: np.ndarray) -> list[str]:
    return [row.tobytes().hex() for row in rows]


def brute_force(ids: list[int], hashes: list[str], query: str, radius: int) -> list[IndexMatch]:
    found = [IndexMatch(i, hamming_distance(h, query)) for i, h in zip(ids, hashes, strict=True)]
    return sorted((m for m in found if m.distance <= radius), key=lambda m: (m.distance, m.id))


def flip(hex_hash: str, bits: int) -> str:
    """hex_hash with its lowest `bits` bits flipped."""
    return f"{int(hex_hash, 16) ^ ((1 << bits) - 1):064x}"


@pytest.fixture(scope="module")
def corpus() -> tuple[list[int], list[str]]:
    rows = clustered_hashes(3000, seed=1)
    return list(range(10_000, 13_000)), hexes(rows)


@pytest.mark.parametrize("radius", [0, 8, 16, 24, 31])
def test_results_equal_a_brute_force_scan_at_every_radius(corpus, radius: int) -> None:
    ids, hashes = corpus
    index = PDQIndex.build(ids, hashes, max_radius=31)
    rng = np.random.default_rng(radius)
    queries = [flip(hashes[i], int(rng.integers(0, 35))) for i in rng.integers(0, 3000, 40)]
    queries += hexes(random_hashes(10, seed=99))

    for query in queries:
        assert index.query(query, radius) == brute_force(ids, hashes, query, radius)


def test_clustered_queries_find_every_near_duplicate(corpus) -> None:
    ids, hashes = corpus
    index = PDQIndex.build(ids, hashes)
    query = hashes[0]  # a cluster centre

    matches = index.query(query)

    assert len(matches) > 1
    assert matches == brute_force(ids, hashes, query, 31)


def test_distance_31_is_found_and_32_is_not() -> None:
    index = PDQIndex.build([1, 2], [flip(ZERO, 31), flip(ZERO, 32)], max_radius=31)

    assert index.query(ZERO) == [IndexMatch(1, 31)]
    assert index.query(ZERO, radius=30) == []


def test_matches_are_sorted_by_distance_then_id() -> None:
    index = PDQIndex.build([5, 3, 4], [flip(ZERO, 2), flip(ZERO, 2), ZERO])

    assert index.query(ZERO) == [IndexMatch(4, 0), IndexMatch(3, 2), IndexMatch(5, 2)]


def test_adding_an_existing_id_replaces_its_hash() -> None:
    index = PDQIndex.build([1], [ZERO])

    index.add([1], ["f" * 64])

    assert len(index) == 1
    assert index.query(ZERO) == []
    assert index.query("f" * 64) == [IndexMatch(1, 0)]


def test_removed_ids_are_no_longer_found() -> None:
    index = PDQIndex.build([1, 2, 3], [ZERO, flip(ZERO, 1), flip(ZERO, 2)])

    assert index.remove([2, 99]) == 1

    assert len(index) == 2
    assert 2 not in index
    assert 1 in index
    assert 1 << 40 not in index
    assert "1" not in index
    assert index.query(ZERO) == [IndexMatch(1, 0), IndexMatch(3, 2)]


def test_many_adds_and_removes_match_a_brute_force_scan(corpus) -> None:
    ids, hashes = corpus
    index = PDQIndex.build(ids[:2000], hashes[:2000])
    for start in range(2000, 3000, 100):
        index.add(ids[start : start + 100], hashes[start : start + 100])
    index.remove(ids[::7])
    kept = [(i, h) for i, h in zip(ids, hashes, strict=True) if (i - ids[0]) % 7]
    kept_ids, kept_hashes = [i for i, _ in kept], [h for _, h in kept]

    for query in hashes[::97]:
        assert index.query(query) == brute_force(kept_ids, kept_hashes, query, 31)
    assert len(index) == len(kept)


def test_an_empty_index_finds_nothing() -> None:
    index = PDQIndex()

    assert len(index) == 0
    assert 1 not in index
    assert index.query(ZERO) == []
    assert index.query_many([ZERO, ZERO]) == [[], []]
    assert index.query_many([]) == []
    assert index.remove([1]) == 0


def test_hashes_may_be_given_as_a_byte_array(corpus) -> None:
    ids, hashes = corpus
    rows = np.frombuffer(bytes.fromhex("".join(hashes[:50])), dtype=np.uint8).reshape(50, 32)
    index = PDQIndex.build(ids[:50], rows)

    assert index.query(hashes[10])[0] == IndexMatch(ids[10], 0)
    assert index.query_many(rows[:3]) == index.query_many(hashes[:3])


def test_query_many_equals_repeated_query(corpus) -> None:
    ids, hashes = corpus
    index = PDQIndex.build(ids, hashes)
    queries = [flip(h, 20) for h in hashes[2900:]]

    assert index.query_many(queries, radius=25) == [index.query(q, 25) for q in queries]


def test_build_reports_progress_up_to_the_total(corpus) -> None:
    ids, hashes = corpus
    calls: list[tuple[int, int]] = []

    PDQIndex.build(ids, hashes, progress=lambda done, total: calls.append((done, total)))

    assert calls
    assert calls[-1] == (3000, 3000)
    assert all(total == 3000 for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


@pytest.mark.parametrize(
    "bad", ["", "0" * 63, "0" * 65, "g" * 64, " " + "0" * 63, "00 " * 21 + "0", None]
)
def test_a_malformed_hash_is_refused(bad) -> None:
    index = PDQIndex()

    with pytest.raises(ValueError, match="not a PDQ hash"):
        index.add([1, 2], [ZERO, bad])
    with pytest.raises(ValueError, match="not a PDQ hash"):
        index.query(bad)
    assert len(index) == 0


def test_a_radius_beyond_the_maximum_or_negative_is_refused() -> None:
    index = PDQIndex(max_radius=16)

    with pytest.raises(ValueError, match="radius"):
        index.query(ZERO, radius=17)
    with pytest.raises(ValueError, match="radius"):
        index.query_many([ZERO], radius=-1)
    with pytest.raises(ValueError, match="max_radius"):
        PDQIndex(max_radius=-1)


def test_mismatched_ids_and_hashes_are_refused() -> None:
    index = PDQIndex()

    with pytest.raises(ValueError, match="1 ids but 2 hashes"):
        index.add([1], [ZERO, ZERO])
    with pytest.raises(ValueError, match="twice"):
        index.add([1, 1], [ZERO, ZERO])
    with pytest.raises(ValueError, match=r"\(n, 32\) uint8"):
        index.add([1], np.zeros((1, 16), dtype=np.uint8))
    assert len(index) == 0


def test_a_radius_beyond_what_tables_serve_is_answered_by_a_scan(corpus) -> None:
    ids, hashes = corpus
    index = PDQIndex.build(ids, hashes, max_radius=80)
    query = flip(hashes[5], 60)

    assert index.query(query) == brute_force(ids, hashes, query, 80)
    assert index.query(query)[0] == IndexMatch(ids[5], 60)
