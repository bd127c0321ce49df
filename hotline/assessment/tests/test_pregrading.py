"""Known-hash pre-grading: a captured picture the hotline has already graded is not graded again.

Every picture is a generated pattern of shapes; the test data labels some as graded.
"""

import pytest
from PIL import Image

from hotline.assessment import pregrading
from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.pregrading import pregrade
from hotline.assessment.tests.media import (
    capture_of,
    confirmed_grade,
    encoded,
    flat,
    item_of,
    near_duplicate,
    shapes,
)
from hotline.assessment.vocabulary import GradeBasis, GradeStatus
from hotline.audit.models import AuditEntry

pytestmark = pytest.mark.usefixtures("evidence")


@pytest.fixture
def known(analyst, second_analyst) -> MediaGrade:
    """A picture two analysts graded and confirmed (category B, 11-13, girls, as test data)."""
    return confirmed_grade(item_of(encoded(shapes(1))), analyst, second_analyst)


def pregrade_of(capture) -> MediaGrade | None:
    return MediaGrade.objects.filter(
        media_item__appearances__capture=capture, basis=GradeBasis.KNOWN_MATCH
    ).first()


def test_a_near_duplicate_of_a_confirmed_picture_is_pregraded_within_31_bits(url, known):
    capture = capture_of(url, encoded(near_duplicate(shapes(1)), "JPEG"), encoded(shapes(2)))

    grade = pregrade_of(capture)
    assert grade is not None
    assert (grade.match_kind, grade.matched_grade) == ("pdq", known)
    assert grade.match_distance is not None
    assert 0 < grade.match_distance <= 31
    assert (grade.category, grade.age_band, grade.sex) == ("B", "11-13", "girls")
    assert grade.status == GradeStatus.PROPOSED
    assert grade.analyst is None
    assert MediaGrade.objects.filter(basis=GradeBasis.KNOWN_MATCH).count() == 1
    assert AuditEntry.objects.filter(action="media_grade.pregraded").count() == 1


def test_a_rotated_copy_is_matched_through_its_dihedral_hashes(url, known):
    rotated = shapes(1).transpose(Image.Transpose.ROTATE_90)
    item = item_of(encoded(rotated))
    distance = bin(int(item.pdq, 16) ^ int(known.media_item.pdq, 16)).count("1")
    assert distance > 31, "the rotated picture's own hash is far from the known one"

    grade = pregrade_of(capture_of(url, encoded(rotated)))

    assert grade is not None
    assert grade.match_kind == "pdq"
    assert grade.match_distance is not None
    assert grade.match_distance <= 31


def test_a_picture_of_low_quality_is_not_matched(url, analyst, second_analyst, settings):
    confirmed_grade(item_of(flat(120)), analyst, second_analyst)

    capture = capture_of(url, flat(124))

    assert pregrade_of(capture) is None


def test_a_known_picture_of_low_quality_is_not_matched_either(url, analyst, second_analyst):
    known = confirmed_grade(item_of(encoded(shapes(1))), analyst, second_analyst)
    item = known.media_item
    item.pdq_quality = 10
    item.save()

    assert pregrade_of(capture_of(url, encoded(near_duplicate(shapes(1)), "JPEG"))) is None


def test_an_item_with_the_md5_of_a_confirmed_item_is_an_exact_match(url, known):
    other = item_of(encoded(shapes(3)))
    other.md5 = known.media_item.md5
    other.save()
    capture = capture_of(url)
    capture.media.create(
        media_item=other, source_url="http://x.test/a", source_url_hash="a", found_in="img"
    )

    [grade] = pregrade(capture)

    assert (grade.match_kind, grade.match_distance, grade.matched_grade) == ("md5", 0, known)


def test_the_same_item_already_graded_is_not_pregraded_again(url, known):
    capture = capture_of(url, encoded(shapes(1)))

    assert pregrade_of(capture) is None
    assert list(MediaGrade.objects.live().filter(media_item=known.media_item)) == [known]


def test_a_retried_capture_creates_no_second_pregrade(url, known):
    picture = encoded(near_duplicate(shapes(1)), "JPEG")
    first = capture_of(url, picture)
    second = capture_of(url, picture)

    assert pregrade_of(first) is not None
    assert pregrade(second) == []
    assert MediaGrade.objects.filter(basis=GradeBasis.KNOWN_MATCH).count() == 1


def test_a_withdrawn_grade_no_longer_matches(url, make_url, known, senior_analyst):
    picture = encoded(near_duplicate(shapes(1)), "JPEG")
    assert (
        pregrade_of(
            capture_of(
                url,
                encoded(
                    near_duplicate(
                        shapes(1),
                    ),
                    "PNG",
                ),
            )
        )
        is not None
    )

    known.withdraw(senior_analyst, "sample reason")

    assert pregrade_of(capture_of(make_url(), picture)) is None


def test_withdrawing_a_known_grade_withdraws_the_pregrades_nobody_confirmed(
    url, known, senior_analyst
):
    grade = pregrade_of(capture_of(url, encoded(near_duplicate(shapes(1)), "JPEG")))
    assert grade is not None

    known.withdraw(senior_analyst, "sample reason")

    grade.refresh_from_db()
    assert grade.status == GradeStatus.WITHDRAWN
    assert grade.withdrawn_reason == "The known grade it matched was withdrawn."


def test_a_grade_confirmed_after_the_index_was_built_is_matched(
    url, make_url, analyst, second_analyst
):
    assert pregrade_of(capture_of(make_url(), encoded(shapes(5)))) is None
    confirmed_grade(item_of(encoded(shapes(1))), analyst, second_analyst)

    assert pregrade_of(capture_of(url, encoded(near_duplicate(shapes(1)), "JPEG"))) is not None


def test_many_new_grades_are_read_in_one_pass(url, known, monkeypatch):
    monkeypatch.setattr(pregrading, "FEW", 0)

    assert pregrade_of(capture_of(url, encoded(near_duplicate(shapes(1)), "JPEG"))) is not None
