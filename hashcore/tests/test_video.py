"""Videos get their digests and a vPDQ list: one PDQ hash per second of FFmpeg's test pattern."""

import hashlib
import json
from pathlib import Path

import pytest

from hashcore import HashingError, VideoFrameHash, hamming_distance, hash_bytes, hash_file
from hashcore.tests.pictures import pdq_of
from hashcore.tests.videos import ffmpeg, require_vpdq

PATTERN = "testsrc=duration={seconds}:size={size}:rate=5"


@pytest.fixture(autouse=True)
def _vpdq_installed() -> None:
    require_vpdq()


def _vpdq(path: Path) -> tuple[VideoFrameHash, ...]:
    frames = hash_file(path).vpdq
    assert frames is not None
    return frames


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two seconds of FFmpeg's colour-bar test pattern at 5 frames a second, as H.264 in MP4."""
    path = tmp_path_factory.mktemp("video") / "pattern.mp4"
    pattern = PATTERN.format(seconds=2, size="320x240")
    ffmpeg("-f", "lavfi", "-i", pattern, "-pix_fmt", "yuv420p", path)
    return path


def test_a_video_has_its_digests_and_one_frame_hash_per_second(video: Path) -> None:
    hashes = hash_file(video)

    assert hashes.format == "MP4"
    assert hashes.sha256 == hashlib.sha256(video.read_bytes()).hexdigest()
    assert hashes.pdq is None
    assert [(frame.frame, frame.timestamp) for frame in _vpdq(video)] == [(0, 0.0), (5, 1.0)]
    assert all(frame.quality >= 80 for frame in _vpdq(video))


def test_a_frame_hash_is_the_pdq_hash_of_that_frame_as_a_picture(
    video: Path, tmp_path: Path
) -> None:
    first_frame = tmp_path / "frame.png"
    ffmpeg("-i", video, "-frames:v", "1", first_frame)

    frame_hash = _vpdq(video)[0].pdq

    assert hamming_distance(frame_hash, pdq_of(first_frame.read_bytes())) <= 10


def test_video_bytes_hash_as_the_video_file_does(video: Path) -> None:
    assert hash_bytes(video.read_bytes()).vpdq == _vpdq(video)


def test_a_webm_video_named_as_a_picture_is_recognised_by_its_bytes(tmp_path: Path) -> None:
    webm = tmp_path / "pattern.jpg"
    pattern = PATTERN.format(seconds=1, size="160x120")
    ffmpeg("-f", "lavfi", "-i", pattern, "-f", "webm", webm)

    assert (hash_file(webm).format, len(_vpdq(webm))) == ("Matroska", 1)


def test_a_truncated_video_cannot_be_decoded(video: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(video.read_bytes()[:2000])

    with pytest.raises(HashingError, match=r"^video could not be decoded$"):
        hash_file(truncated)


def test_a_video_line_lists_its_frames_under_vpdq(video: Path) -> None:
    line = json.loads(hash_file(video).to_json())

    assert set(line) == {"path", "md5", "sha1", "sha256", "format", "vpdq"}
    assert set(line["vpdq"][0]) == {"frame", "timestamp", "pdq", "quality"}
