"""A captured video that is a copy of a confirmed one (re-encoded, resized) arrives pre-graded
through its vPDQ frames; another video does not.

Every video is one of FFmpeg's generated test patterns; the test data labels one as graded.
"""

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import require_service
from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.tests.media import capture_of, confirmed_grade, item_of
from hotline.assessment.vocabulary import GradeBasis

pytestmark = pytest.mark.usefixtures("evidence")


def generated_video(source: str) -> bytes:
    """Four seconds of an FFmpeg test source, 320x240 at 5 frames a second, as H.264 in MP4."""
    return _ffmpeg(["-f", "lavfi", "-i", f"{source}=duration=4:size=320x240:rate=5"], crf=18)


def copy_of(video: bytes, scale: str, crf: int) -> bytes:
    """The video resized and re-encoded, as a site copying it would."""
    return _reencoded(video, ["-vf", f"scale={scale}"], crf)


def clip_of(video: bytes, start: int, seconds: int) -> bytes:
    """A stretch of the video, re-encoded."""
    return _reencoded(video, ["-ss", str(start), "-t", str(seconds)], crf=23)


def _reencoded(video: bytes, options: list[str], crf: int) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".mp4") as original:
        original.write(video)
        original.flush()
        return _ffmpeg(["-i", original.name, *options], crf=crf)


def _ffmpeg(source: list[str], crf: int) -> bytes:
    ffmpeg = shutil.which("ffmpeg")
    require_service(ffmpeg is not None, "Debian's ffmpeg")
    require_service(importlib.util.find_spec("vpdq") is not None, "the vpdq package (video extra)")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "video.mp4"
        command = [str(ffmpeg), "-loglevel", "error", *source, "-c:v", "libx264"]
        command += ["-crf", str(crf), "-pix_fmt", "yuv420p", str(path)]
        subprocess.run(command, check=True)  # noqa: S603 - our own arguments
        return path.read_bytes()


@pytest.fixture
def original() -> bytes:
    """FFmpeg's colour-bar pattern."""
    return generated_video("testsrc")


@pytest.fixture
def known_video(original, analyst, second_analyst) -> MediaGrade:
    """The pattern, graded and confirmed (as test data)."""
    item = item_of(original)
    assert item.vpdq
    return confirmed_grade(item, analyst, second_analyst)


def pregrade_of(capture) -> MediaGrade | None:
    return MediaGrade.objects.filter(
        media_item__appearances__capture=capture, basis=GradeBasis.KNOWN_MATCH
    ).first()


def test_a_reencoded_smaller_copy_of_a_confirmed_video_is_pregraded_by_its_frames(
    url, original, known_video
):
    copy = copy_of(original, "288:216", crf=28)

    grade = pregrade_of(capture_of(url, copy))

    assert grade is not None
    assert (grade.matched_grade, grade.match_kind) == (known_video, "vpdq")
    assert grade.match_distance is not None
    assert grade.match_distance <= 31
    assert (grade.category, grade.age_band) == (known_video.category, known_video.age_band)


def test_a_clip_cut_from_a_confirmed_video_is_pregraded(url, original, known_video):
    grade = pregrade_of(capture_of(url, clip_of(original, start=1, seconds=2)))

    assert grade is not None
    assert (grade.matched_grade, grade.match_kind) == (known_video, "vpdq")


def test_a_different_video_is_not_pregraded(url, known_video):
    other = generated_video("testsrc2")

    assert pregrade_of(capture_of(url, other)) is None


def test_a_video_is_not_matched_once_its_known_grade_is_withdrawn(
    url, make_url, original, known_video, senior_analyst
):
    assert pregrade_of(capture_of(url, copy_of(original, "288:216", crf=28)))
    known_video.withdraw(senior_analyst, "sample reason")

    copy = copy_of(original, "320:240", crf=30)
    assert pregrade_of(capture_of(make_url(), copy)) is None
