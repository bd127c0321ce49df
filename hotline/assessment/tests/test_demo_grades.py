"""`hotline demo` media grades: confirmed pages' items graded and confirmed by two analysts,
consistent with the page's grade; queued pages showing known pictures arrive pre-graded."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from hotline.accounts.models import User
from hotline.accounts.testing import verified_client
from hotline.assessment.derivation import case_items, derive, live_grades
from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus, GradeBasis, GradeStatus, Outcome
from hotline.intake.models import Url, UrlState

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo", "--seed", "11", "--reports", "60", stdout=StringIO())


def test_a_confirmed_pages_items_are_confirmed_by_two_analysts_and_derive_its_grade(demo):
    confirmed = Assessment.objects.filter(
        status=AssessmentStatus.CONFIRMED, outcome=Outcome.CONFIRMED, media_grades__isnull=False
    ).distinct()
    assert confirmed.exists()
    for assessment in confirmed:
        grades = live_grades(item.pk for item in case_items(assessment.url))
        assert derive(grades.values()) == assessment.grade
        for grade in grades.values():
            if grade.basis == GradeBasis.ANALYST:
                assert grade.status == GradeStatus.CONFIRMED
                assert len(grade.supporters()) == 2


def test_queued_pages_show_known_pictures_already_graded_or_pre_graded(demo):
    queued_items = [
        item for url in Url.objects.filter(state=UrlState.QUEUED) for item in case_items(url)
    ]
    grades = live_grades(item.pk for item in queued_items).values()

    assert any(grade.basis == GradeBasis.KNOWN_MATCH for grade in grades)
    assert any(grade.status == GradeStatus.CONFIRMED for grade in grades)
    assert len(grades) < len(queued_items)
    pregrade = MediaGrade.objects.filter(basis=GradeBasis.KNOWN_MATCH).first()
    assert pregrade is not None
    assert pregrade.matched_grade is not None
    assert pregrade.match_kind == "pdq"
    assert pregrade.match_distance is not None


def test_an_analyst_sees_a_queued_capture_with_its_media_grid_and_previews(demo):
    analyst = User.objects.get(username="analyst1")
    url = next(url for url in Url.objects.filter(state=UrlState.QUEUED) if case_items(url))
    client = verified_client(analyst)

    page = client.get(reverse("assessment:case", args=[url.pk]))
    item = case_items(url)[0]
    preview = client.get(reverse("assessment:preview", args=[url.pk, item.pk]))

    assert page.status_code == 200
    assert page.context["media"].fetched is not None
    assert len(page.context["media"].items) == len(case_items(url))
    assert preview.status_code == 200
    assert preview["Content-Type"].startswith("image/")
