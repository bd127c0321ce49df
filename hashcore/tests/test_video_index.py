"""Videos matched by their vPDQ frames: shares of the query's and of the known video's distinct
frames that match."""

import random

import pytest

from hashcore.video_index import VideoIndex

RADIUS = 31


def random_frames(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.getrandbits(256):064x}" for _ in range(count)]


def nudged(frame: str, bits: int, seed: int) -> str:
    """The frame with `bits` bits flipped, as a re-encoding moves a hash."""
    rng = random.Random(seed)
    value = int(frame, 16)
    for bit in rng.sample(range(256), bits):
        value ^= 1 << bit
    return f"{value:064x}"


@pytest.fixture
def index() -> VideoIndex:
    videos = VideoIndex()
    videos.add(7, random_frames(20, seed=7))
    videos.add(8, random_frames(30, seed=8))
    return videos


def test_a_reencoded_copy_matches_its_video_with_every_frame_both_ways(index: VideoIndex) -> None:
    copy = [nudged(frame, 12, seed) for seed, frame in enumerate(random_frames(20, seed=7))]

    [match] = index.match(copy, RADIUS, query_percent=80, known_percent=80)

    assert (match.id, match.query_percent, match.known_percent) == (7, 100, 100)
    assert match.mean_distance == 12


def test_a_video_sharing_only_a_few_frames_with_a_known_one_does_not_match(
    index: VideoIndex,
) -> None:
    shared_opening = random_frames(20, seed=7)[:4]
    video = shared_opening + random_frames(16, seed=99)

    assert index.match(video, RADIUS, query_percent=80) == []
    [partial] = index.match(video, RADIUS, query_percent=20)
    assert (partial.id, partial.query_percent, partial.known_percent) == (7, 20, 20)


def test_a_clip_cut_from_a_known_video_matches_unless_a_share_of_the_known_one_is_asked(
    index: VideoIndex,
) -> None:
    clip = random_frames(30, seed=8)[:6]

    [match] = index.match(clip, RADIUS, query_percent=80)

    assert (match.id, match.query_percent, match.known_percent) == (8, 100, 20)
    assert index.match(clip, RADIUS, query_percent=80, known_percent=50) == []


def test_a_still_scene_repeating_one_frame_counts_once(index: VideoIndex) -> None:
    frames = random_frames(20, seed=7)
    held_scene = [frames[0]] * 50 + frames[1:]

    [match] = index.match(held_scene, RADIUS, query_percent=100, known_percent=100)

    assert match.id == 7


def test_frames_further_than_the_radius_do_not_count(index: VideoIndex) -> None:
    far = [nudged(frame, 40, seed) for seed, frame in enumerate(random_frames(20, seed=7))]

    assert index.match(far, RADIUS, query_percent=1) == []


def test_a_removed_or_replaced_video_no_longer_matches(index: VideoIndex) -> None:
    index.remove([7])
    assert (7 in index, len(index)) == (False, 1)
    assert index.match(random_frames(20, seed=7), RADIUS, query_percent=80) == []

    index.add(8, random_frames(10, seed=80))
    assert index.match(random_frames(30, seed=8), RADIUS, query_percent=1) == []
    assert [match.id for match in index.match(random_frames(10, seed=80), RADIUS, 80)] == [8]


def test_a_video_with_no_frames_is_not_indexed_and_matches_nothing(index: VideoIndex) -> None:
    index.add(9, [])

    assert 9 not in index
    assert index.match([], RADIUS, query_percent=0) == []
