"""A url's assessment follows from its media items' grades, and differs only with a reason."""

from typing import Any

import pytest
from django.test import Client

from hotline.assessment.derivation import combined_sex, derive
from hotline.assessment.grade import Grade
from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.models import Assessment
from hotline.assessment.tests.conftest import audit_actions, page_text
from hotline.assessment.tests.media import capture_of, encoded, items_of, shapes
from hotline.assessment.vocabulary import Outcome

pytestmark = pytest.mark.usefixtures("evidence")


def grades(*labels: dict[str, Any]) -> list[MediaGrade]:
    return [MediaGrade(**label) for label in labels]


def test_the_page_takes_the_most_severe_category_youngest_age_and_every_flag():
    derived = derive(
        grades(
            {"category": "C", "age_band": "3-6", "sex": "girls", "commercial": True},
            {"category": "A", "age_band": "14-15", "sex": "boys"},
            {"category": "not_illegal"},
        )
    )
    assert derived == Grade(
        outcome=Outcome.CONFIRMED,
        category="A",
        age_band="3-6",
        sex="both",
        commercial=True,
    )


def test_a_page_with_no_item_of_categories_a_to_c_is_npi_or_not_illegal():
    assert derive(grades({"category": "npi"}, {"category": "not_illegal"})) == Grade("npi")
    assert derive(grades({"category": "not_illegal"})) == Grade("not_illegal")
    assert derive([]) is None


def test_an_unidentifiable_item_adds_nothing_to_the_known_sex():
    assert combined_sex(["girls", "unidentifiable"]) == "girls"
    assert combined_sex(["unidentifiable"]) == "unidentifiable"
    assert combined_sex(["boys", "both"]) == "both"


@pytest.fixture
def claimed(url, analyst_client: Client):
    capture = capture_of(url, encoded(shapes(11)), encoded(shapes(12)))
    analyst_client.post(f"/staff/cases/{url.pk}/claim/")
    return items_of(capture)


def grade_item(client: Client, url, item, **fields: str) -> Any:
    data = {f"item{item.pk}-{name}": value for name, value in fields.items()}
    return client.post(f"/staff/cases/{url.pk}/media/{item.pk}/grade/", data)


def test_grading_an_item_moves_on_to_the_next_item_to_grade(url, claimed, analyst_client):
    first, second = claimed
    response = grade_item(analyst_client, url, first, category="C", age_band="7-10", sex="boys")

    assert response.status_code == 302
    assert response["Location"].endswith(f"#media-{second.pk}")
    grade = MediaGrade.objects.get(media_item=first)
    assert (grade.category, grade.age_band, grade.sex, grade.assessment) == (
        "C",
        "7-10",
        "boys",
        None,
    )


def test_an_incomplete_item_grade_is_refused_with_its_choices_kept(url, claimed, analyst_client):
    response = grade_item(analyst_client, url, claimed[0], category="B", sex="girls")

    assert response.status_code == 400
    assert "Choose the age band of the youngest child." in page_text(response)
    kept = f'id="id_item{claimed[0].pk}-sex_girls" value="girls" data-shortcut="g" '
    assert kept + 'aria-keyshortcuts="g" checked' in page_text(response)
    assert not MediaGrade.objects.exists()


def test_the_url_form_is_filled_in_from_the_item_grades(url, claimed, analyst_client):
    grade_item(analyst_client, url, claimed[0], category="C", age_band="7-10", sex="boys")
    grade_item(analyst_client, url, claimed[1], category="npi")

    page = page_text(analyst_client.get(f"/staff/cases/{url.pk}/"))

    assert 'id="id_outcome_confirmed" value="confirmed" data-shortcut="1"' in page
    assert (
        'value="confirmed" data-shortcut="1" aria-keyshortcuts="1" data-opens-grade checked' in page
    )
    assert 'value="C" data-shortcut="c" aria-keyshortcuts="c" checked' in page


def test_submitting_the_derived_grade_needs_no_reason_and_takes_in_the_items(
    url, claimed, analyst, analyst_client
):
    grade_item(analyst_client, url, claimed[0], category="C", age_band="7-10", sex="boys")
    grade_item(analyst_client, url, claimed[1], category="not_illegal")

    response = analyst_client.post(
        f"/staff/cases/{url.pk}/assess/",
        {"outcome": "confirmed", "category": "C", "age_band": "7-10", "sex": "boys"},
    )

    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.override_reason == ""
    assert assessment.derived["category"] == "C"
    assert set(assessment.media_grades.values_list("media_item", flat=True)) == {
        item.pk for item in claimed
    }


def test_a_different_grade_without_a_reason_is_refused_and_nothing_is_saved(
    url, claimed, analyst_client
):
    grade_item(analyst_client, url, claimed[0], category="C", age_band="7-10", sex="boys")

    response = analyst_client.post(
        f"/staff/cases/{url.pk}/assess/",
        {"outcome": "confirmed", "category": "B", "age_band": "7-10", "sex": "boys"},
    )

    assert response.status_code == 400
    assert "Say why the page differs from the grades of its items." in page_text(response)
    assert not Assessment.objects.exists()


def test_a_different_grade_with_a_reason_is_stored_and_audited(url, claimed, analyst_client):
    grade_item(analyst_client, url, claimed[0], category="C", age_band="7-10", sex="boys")

    response = analyst_client.post(
        f"/staff/cases/{url.pk}/assess/",
        {
            "outcome": "confirmed",
            "category": "B",
            "age_band": "7-10",
            "sex": "boys",
            "override_reason": "sample reason: the page text changes the category",
        },
    )

    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.category == "B"
    assert assessment.override_reason.startswith("sample reason")
    assert "assessment.overridden" in audit_actions()


def test_an_analyst_who_does_not_hold_the_case_cannot_grade_its_items(
    url, claimed, second_analyst_client
):
    response = grade_item(second_analyst_client, url, claimed[0], category="npi")

    assert response.status_code == 409
    assert not MediaGrade.objects.exists()
    assert "case.refused" in audit_actions()
