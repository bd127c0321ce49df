"""A captured video that is a copy of a confirmed one (re-encoded, resized) arrives pre-graded
through its vPDQ frames; another video does not.

Every video is one of FFmpeg's generated test patterns; the test data labels one as graded.
"""

import pytest

from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.tests.media import capture_of, confirmed_grade, item_of
from hotline.assessment.tests.videos import clip_of, copy_of, generated_video
from hotline.assessment.vocabulary import GradeBasis

pytestmark = pytest.mark.usefixtures("evidence")


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
