"""The grades of a page's items follow its assessment: confirmed with it, withdrawn if overruled."""

import pytest
from django.test import Client

from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.models import Assessment
from hotline.assessment.tests.media import (
    capture_of,
    confirmed_grade,
    encoded,
    item_of,
    items_of,
    near_duplicate,
    shapes,
)
from hotline.assessment.vocabulary import GradeBasis, GradeStatus

pytestmark = pytest.mark.usefixtures("evidence")

GRADE = {"outcome": "confirmed", "category": "B", "age_band": "11-13", "sex": "girls"}


@pytest.fixture
def submitted(url, make_staff, analyst, analyst_client: Client) -> Assessment:
    """A page with one picture pre-graded from a known grade and one the analyst graded."""
    confirmed_grade(item_of(encoded(shapes(1))), make_staff("analyst"), make_staff("analyst"))
    capture = capture_of(url, encoded(near_duplicate(shapes(1)), "JPEG"), encoded(shapes(2)))
    new = items_of(capture)[-1]
    analyst_client.post(f"/staff/cases/{url.pk}/claim/")
    analyst_client.post(
        f"/staff/cases/{url.pk}/media/{new.pk}/grade/",
        {
            f"item{new.pk}-category": "C",
            f"item{new.pk}-age_band": "14-15",
            f"item{new.pk}-sex": "girls",
        },
    )
    response = analyst_client.post(
        f"/staff/cases/{url.pk}/assess/", {**GRADE, "override_reason": ""}
    )
    assert response.status_code == 302, response.content.decode()
    return Assessment.objects.get(url=url)


def held(assessment: Assessment) -> list[MediaGrade]:
    return list(assessment.media_grades.order_by("pk"))


def test_submitting_takes_in_the_item_grades_and_accepts_the_pregrade(submitted, analyst):
    pregrade, graded = held(submitted)
    assert pregrade.basis == GradeBasis.KNOWN_MATCH
    assert pregrade.supporters() == {analyst.pk}
    assert graded.supporters() == {analyst.pk}
    assert {pregrade.status, graded.status} == {GradeStatus.PROPOSED}


def test_the_second_analyst_confirming_the_page_confirms_its_item_grades(
    url, submitted, analyst, second_analyst, second_analyst_client
):
    second_analyst_client.post(f"/staff/cases/{url.pk}/claim/")
    response = second_analyst_client.post(
        f"/staff/cases/{url.pk}/confirm/", {"decision": "confirm"}
    )

    assert response.status_code == 302
    for grade in held(submitted):
        assert grade.status == GradeStatus.CONFIRMED
        assert grade.supporters() == {analyst.pk, second_analyst.pk}
        assert grade.confirmed_at is not None


def dispute(url, client: Client) -> None:
    client.post(f"/staff/cases/{url.pk}/claim/")
    client.post(f"/staff/cases/{url.pk}/confirm/", {"decision": "dispute", "reason": "sample"})


def test_a_senior_upholding_the_page_confirms_its_item_grades(
    url, submitted, second_analyst_client, senior_analyst, senior_analyst_client
):
    dispute(url, second_analyst_client)
    senior_analyst_client.post(f"/staff/cases/{url.pk}/claim/")
    senior_analyst_client.post(f"/staff/cases/{url.pk}/resolve/", {"decision": "uphold"})

    assert {grade.status for grade in held(submitted)} == {GradeStatus.CONFIRMED}
    assert all(senior_analyst.pk in grade.supporters() for grade in held(submitted))


def test_a_senior_overruling_the_page_withdraws_its_item_grades(
    url, submitted, second_analyst_client, senior_analyst_client
):
    dispute(url, second_analyst_client)
    senior_analyst_client.post(f"/staff/cases/{url.pk}/claim/")
    response = senior_analyst_client.post(
        f"/staff/cases/{url.pk}/resolve/",
        {
            "decision": "overrule",
            "outcome": "confirmed",
            "category": "A",
            "age_band": "11-13",
            "sex": "girls",
        },
    )

    assert response.status_code == 302
    for grade in held(submitted):
        assert grade.status == GradeStatus.WITHDRAWN
        assert "overruled" in grade.withdrawn_reason
    assert not MediaGrade.objects.confirmed().filter(basis=GradeBasis.KNOWN_MATCH).exists()


def test_the_known_grade_a_pregrade_matched_is_left_as_it_was(url, submitted):
    pregrade = held(submitted)[0]
    assert pregrade.matched_grade is not None
    assert pregrade.matched_grade.status == GradeStatus.CONFIRMED
