"""Animated GIF, WebP and PNG: the first frame's hashes, plus one PDQ hash per frame."""

import functools
import json
from typing import Any

import pytest

from hashcore import Limits, hamming_distance, hash_bytes
from hashcore.tests.pictures import encode, pdq_of, photo

FRAMES = tuple(photo(160, 120, seed=seed) for seed in range(4))
ANIMATIONS: dict[str, dict[str, Any]] = {
    "GIF": {"save_all": True, "duration": 100, "loop": 0},
    "WEBP": {"save_all": True, "duration": 100, "lossless": True},
    "PNG": {"save_all": True, "duration": 100},
}


@functools.cache
def _animation(image_format: str) -> bytes:
    options = ANIMATIONS[image_format]
    return encode(FRAMES[0], image_format, append_images=FRAMES[1:], **options)


@functools.cache
def _still(image_format: str, index: int) -> str:
    """The hash of frame `index` saved alone in `image_format`."""
    options = {"lossless": True} if image_format == "WEBP" else {}
    return pdq_of(encode(FRAMES[index], image_format, **options))


@pytest.mark.parametrize("image_format", list(ANIMATIONS))
def test_an_animation_has_the_hashes_of_its_first_frame(image_format: str) -> None:
    hashes = hash_bytes(_animation(image_format))

    assert hashes.format == image_format
    assert hashes.pdq is not None
    assert hashes.dihedral is not None
    assert hamming_distance(hashes.pdq, _still(image_format, 0)) <= 8
    assert hashes.dihedral.original == hashes.pdq


@pytest.mark.parametrize("image_format", list(ANIMATIONS))
def test_each_frame_hash_is_the_hash_of_that_frame_alone(image_format: str) -> None:
    frames = hash_bytes(_animation(image_format)).frames

    assert [frame.index for frame in frames] == [0, 1, 2, 3]
    for frame in frames:
        distances = [hamming_distance(frame.pdq, _still(image_format, i)) for i in range(4)]
        assert [distance <= 8 for distance in distances] == [i == frame.index for i in range(4)]


def test_frames_beyond_the_limit_are_not_hashed() -> None:
    hashes = hash_bytes(_animation("GIF"), Limits(max_frames=2))

    assert [frame.index for frame in hashes.frames] == [0, 1]


def test_a_still_image_has_no_frame_list() -> None:
    hashes = hash_bytes(encode(FRAMES[0], "GIF"))

    assert hashes.frames == ()
    assert "frames" not in json.loads(hashes.to_json())


def test_frames_appear_in_the_json_with_index_hash_and_quality() -> None:
    line = json.loads(hash_bytes(_animation("WEBP")).to_json())

    assert [set(frame) for frame in line["frames"]] == [{"index", "pdq", "quality"}] * 4
    assert line["frames"][0]["pdq"] == line["pdq"]
