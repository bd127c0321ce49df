"""A captured animation whose frames are those of a confirmed one arrives pre-graded, even when
its first frame differs, and so does the animation turned into a video; another animation does
not.

Every frame is a generated pattern of shapes; the test data labels one animation as graded.
"""

import io

import pytest
from PIL import Image

from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.tests.media import capture_of, confirmed_grade, item_of, shapes
from hotline.assessment.tests.videos import as_video
from hotline.assessment.vocabulary import GradeBasis

pytestmark = pytest.mark.usefixtures("evidence")


def animation(frames: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    return buffer.getvalue()


def pregrade_of(capture) -> MediaGrade | None:
    return MediaGrade.objects.filter(
        media_item__appearances__capture=capture, basis=GradeBasis.KNOWN_MATCH
    ).first()


KNOWN_FRAMES = range(11, 17)


@pytest.fixture
def known_animation(analyst, second_analyst) -> MediaGrade:
    item = item_of(animation([shapes(seed) for seed in KNOWN_FRAMES]))
    assert len(item.frames) == 6
    return confirmed_grade(item, analyst, second_analyst)


def test_an_animation_of_the_same_frames_behind_another_first_frame_is_pregraded(
    url, known_animation
):
    frames = [shapes(seed).resize((150, 150)) for seed in (99, *KNOWN_FRAMES)]

    grade = pregrade_of(capture_of(url, animation(frames)))

    assert grade is not None
    assert (grade.matched_grade, grade.match_kind) == (known_animation, "frames")


def test_an_animation_of_other_frames_is_not_pregraded(url, known_animation):
    other = animation([shapes(seed) for seed in range(31, 37)])

    assert pregrade_of(capture_of(url, other)) is None


def test_the_animation_turned_into_a_video_is_pregraded_by_its_vpdq_frames(url, known_animation):
    video = as_video(animation([shapes(seed) for seed in KNOWN_FRAMES]))

    grade = pregrade_of(capture_of(url, video))

    assert grade is not None
    assert (grade.matched_grade, grade.match_kind) == (known_animation, "vpdq")
