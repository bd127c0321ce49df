"""The process's index of known grades follows the database by reading what changed since its
last look, not every grade: the whole set only at first, hourly, and when the quality floor
changes.

Every picture is a generated pattern of shapes; the test data labels some as graded.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.assessment import pregrading
from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.pregrading import KnownGrades
from hotline.assessment.tests.media import confirmed_grade, encoded, item_of, shapes

pytestmark = [pytest.mark.usefixtures("evidence"), pytest.mark.django_db]


@pytest.fixture
def known_picture(analyst, second_analyst):
    """Confirms a grade of one more generated picture; returns the grade."""

    def confirm(seed: int) -> MediaGrade:
        return confirmed_grade(item_of(encoded(shapes(seed))), analyst, second_analyst)

    return confirm


def test_a_grade_confirmed_or_withdrawn_since_the_last_look_is_added_or_removed(
    known_picture, senior_analyst
):
    grades = KnownGrades()
    first = known_picture(1)
    assert first.pk in grades.indexes().pictures

    second = known_picture(2)
    first.withdraw(senior_analyst, "sample reason")
    index = grades.indexes().pictures

    assert (first.pk in index, second.pk in index, len(index)) == (False, True, 1)


def test_a_confirmation_stamped_before_the_late_commit_window_waits_for_the_hourly_full_read(
    known_picture, monkeypatch
):
    grades = KnownGrades()
    assert len(grades.indexes().pictures) == 0
    late = known_picture(3)
    # As if its transaction had committed half an hour after it stamped the confirmation.
    stamped = timezone.now() - pregrading.LATE_COMMIT - timedelta(minutes=20)
    MediaGrade.objects.filter(pk=late.pk).update(confirmed_at=stamped)

    assert late.pk not in grades.indexes().pictures

    monkeypatch.setattr(pregrading, "FULL_READ_EVERY", timedelta(0))
    assert late.pk in grades.indexes().pictures


def test_a_confirmation_committed_within_the_window_after_the_last_look_is_seen(known_picture):
    grades = KnownGrades()
    assert len(grades.indexes().pictures) == 0
    late = known_picture(4)
    stamped = timezone.now() - pregrading.LATE_COMMIT + timedelta(minutes=2)
    MediaGrade.objects.filter(pk=late.pk).update(confirmed_at=stamped)

    assert late.pk in grades.indexes().pictures


def test_changing_the_quality_floor_reads_every_grade_again(known_picture, settings):
    settings.HOTLINE_PDQ_MIN_QUALITY = 101
    grades = KnownGrades()
    known = known_picture(5)
    assert len(grades.indexes().pictures) == 0

    settings.HOTLINE_PDQ_MIN_QUALITY = 50
    assert known.pk in grades.indexes().pictures

    settings.HOTLINE_PDQ_MIN_QUALITY = 101
    assert len(grades.indexes().pictures) == 0
