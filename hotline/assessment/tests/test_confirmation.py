"""A second analyst confirms or disputes another analyst's grade, never their own."""

import pytest
from django.test import Client

from hotline.accounts.models import User
from hotline.assessment import claims
from hotline.assessment.errors import NotAllowed
from hotline.assessment.models import Assessment, Confirmation
from hotline.assessment.tests.conftest import audit_actions, page_text
from hotline.assessment.vocabulary import AssessmentStatus
from hotline.audit.models import AuditEntry
from hotline.intake.models import Url, UrlState


def confirm_url(assessment: Assessment, step: str = "confirm") -> str:
    return f"/staff/cases/{assessment.url_id}/{step}/"


@pytest.fixture
def claimed(awaiting: Assessment, second_analyst: User) -> Assessment:
    claims.claim(awaiting.url, second_analyst)
    return awaiting


def test_the_list_shows_assessments_by_others_and_never_ones_own(
    awaiting: Assessment, analyst_client: Client, second_analyst_client: Client
):
    theirs = page_text(second_analyst_client.get("/staff/confirmations/"))
    mine = page_text(analyst_client.get("/staff/confirmations/"))

    assert f'action="/staff/cases/{awaiting.url_id}/claim/"' in theirs
    assert "analyst-one" in theirs
    assert f"/staff/cases/{awaiting.url_id}/" not in mine
    assert "No assessment by another analyst is waiting." in mine


def test_claiming_ones_own_assessment_for_confirmation_is_refused_and_audited(
    awaiting: Assessment, analyst_client: Client
):
    response = analyst_client.post(f"/staff/cases/{awaiting.url_id}/claim/")

    assert response.status_code == 403
    assert "another analyst must confirm it" in page_text(response)
    assert Url.objects.get(pk=awaiting.url_id).claimed_by is None
    assert AuditEntry.objects.filter(action="case.refused", actor_username="analyst-one").exists()


def test_confirming_ones_own_assessment_is_refused_and_audited(
    awaiting: Assessment, analyst: User, analyst_client: Client
):
    Url.objects.filter(pk=awaiting.url_id).update(claimed_by=analyst)

    response = analyst_client.post(confirm_url(awaiting), {"decision": "confirm"})

    assert response.status_code == 403
    awaiting.refresh_from_db()
    assert awaiting.status == AssessmentStatus.AWAITING_CONFIRMATION
    assert not Confirmation.objects.exists()
    assert AuditEntry.objects.get(action="case.refused").detail["reason"] == (
        "You made this assessment: another analyst must confirm it."
    )


def test_the_model_refuses_a_confirmation_by_the_same_analyst(awaiting: Assessment, analyst: User):
    with pytest.raises(NotAllowed):
        awaiting.confirm(analyst)


def test_the_second_analyst_sees_the_first_grade_with_the_shortcuts(
    claimed: Assessment, second_analyst_client: Client
):
    text = page_text(second_analyst_client.get(confirm_url(claimed)))

    assert "Graded by analyst-one" in text
    assert "<dd>Category B</dd>" in text
    assert "<dd>11-13</dd>" in text
    assert "<dd>Girls</dd>" in text
    assert 'data-shortcut="y"' in text
    assert 'data-shortcut="d"' in text
    assert "<kbd>y</kbd>" in text


def test_confirming_makes_the_assessment_count(
    claimed: Assessment, second_analyst: User, second_analyst_client: Client
):
    response = second_analyst_client.post(confirm_url(claimed), {"decision": "confirm"})

    assert response["Location"] == "/staff/confirmations/"
    claimed.refresh_from_db()
    assert claimed.status == AssessmentStatus.CONFIRMED
    assert claimed.decided_at is not None
    url = Url.objects.get(pk=claimed.url_id)
    assert (url.state, url.claimed_by) == (UrlState.ASSESSED, None)
    confirmation = Confirmation.objects.get()
    assert (confirmation.analyst, confirmation.agrees) == (second_analyst, True)
    assert "assessment.confirmed" in audit_actions()


def test_confirming_twice_refuses_the_second_cleanly(
    claimed: Assessment, second_analyst_client: Client
):
    second_analyst_client.post(confirm_url(claimed), {"decision": "confirm"})

    again = second_analyst_client.post(confirm_url(claimed), {"decision": "confirm"})

    assert again.status_code == 409
    assert Confirmation.objects.count() == 1


def test_a_dispute_needs_a_reason(claimed: Assessment, second_analyst_client: Client):
    response = second_analyst_client.post(
        confirm_url(claimed), {"decision": "dispute", "reason": "   "}
    )

    assert response.status_code == 400
    assert "Say why you disagree with this assessment." in page_text(response)
    claimed.refresh_from_db()
    assert claimed.status == AssessmentStatus.AWAITING_CONFIRMATION
    assert Url.objects.get(pk=claimed.url_id).state == UrlState.AWAITING_CONFIRMATION


def test_a_dispute_sends_the_assessment_to_a_senior_analyst(
    claimed: Assessment, second_analyst_client: Client
):
    response = second_analyst_client.post(
        confirm_url(claimed), {"decision": "dispute", "reason": "sample reason"}
    )

    assert response["Location"] == "/staff/confirmations/"
    claimed.refresh_from_db()
    assert claimed.status == AssessmentStatus.DISPUTED
    assert claimed.decided_at is None
    assert Url.objects.get(pk=claimed.url_id).state == UrlState.DISPUTED
    dispute = Confirmation.objects.get()
    assert (dispute.agrees, dispute.reason) == (False, "sample reason")
    assert AuditEntry.objects.get(action="assessment.disputed").detail["reason"] == (
        "sample reason"
    )


def test_confirming_without_a_claim_is_refused(awaiting: Assessment, second_analyst_client: Client):
    response = second_analyst_client.post(confirm_url(awaiting), {"decision": "confirm"})

    assert response.status_code == 409
    awaiting.refresh_from_db()
    assert awaiting.status == AssessmentStatus.AWAITING_CONFIRMATION


def test_confirming_a_case_a_third_analyst_holds_is_refused_naming_them(
    awaiting: Assessment, make_staff, second_analyst_client: Client
):
    claims.claim(awaiting.url, make_staff("analyst", "analyst-three"))

    response = second_analyst_client.post(confirm_url(awaiting), {"decision": "confirm"})

    assert response.status_code == 409
    assert "analyst-three is working on this case" in page_text(response)
    assert not Confirmation.objects.exists()


def test_a_manager_cannot_confirm(awaiting: Assessment, manager_client: Client):
    response = manager_client.post(confirm_url(awaiting), {"decision": "confirm"})

    assert response.status_code == 403
    assert not Confirmation.objects.exists()


def test_a_form_without_a_decision_is_refused_and_changes_nothing(
    claimed: Assessment, second_analyst_client: Client
):
    response = second_analyst_client.post(confirm_url(claimed), {"reason": "sample reason"})

    assert response.status_code == 400
    assert "use one of its buttons" in page_text(response)
    claimed.refresh_from_db()
    assert claimed.status == AssessmentStatus.AWAITING_CONFIRMATION
    assert not Confirmation.objects.exists()
