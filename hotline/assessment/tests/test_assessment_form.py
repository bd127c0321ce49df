"""The assessment form: outcome, a classification for confirmed outcomes only, and shortcuts."""

import re

import pytest
from django.test import Client

from hotline.accounts.models import User
from hotline.assessment import claims
from hotline.assessment.errors import InvalidGrade
from hotline.assessment.grade import Grade
from hotline.assessment.models import Assessment
from hotline.assessment.shortcuts import CHOICE_KEYS, FLAG_KEYS
from hotline.assessment.tests.conftest import CONFIRMED_GRADE, audit_actions, page_text
from hotline.assessment.vocabulary import AssessmentStatus, Outcome
from hotline.audit.models import AuditEntry
from hotline.intake.models import Url, UrlState

NOT_CONFIRMED = [Outcome.NPI, Outcome.NOT_ILLEGAL, Outcome.OFF_REMIT, Outcome.UNREACHABLE]


@pytest.fixture
def held(url: Url, analyst: User) -> Url:
    claims.claim(url, analyst)
    return url


def assess(client: Client, url: Url, **answers: object):
    return client.post(f"/staff/cases/{url.pk}/assess/", answers)


def test_a_confirmed_grade_waits_for_a_second_analyst(
    held: Url, analyst: User, analyst_client: Client
):
    response = assess(analyst_client, held, **CONFIRMED_GRADE, self_generated="on")

    assert response["Location"] == "/staff/queue/"
    assessment = Assessment.objects.get(url=held)
    assert (assessment.analyst, assessment.status) == (analyst, "awaiting_confirmation")
    assert (assessment.category, assessment.age_band, assessment.sex) == ("B", "11-13", "girls")
    assert (assessment.self_generated, assessment.commercial) == (True, False)
    assert assessment.decided_at is None
    held.refresh_from_db()
    assert (held.state, held.claimed_by) == (UrlState.AWAITING_CONFIRMATION, None)
    submitted = AuditEntry.objects.get(action="assessment.submitted")
    assert submitted.detail == {
        "url": held.pk,
        "status": "awaiting_confirmation",
        "outcome": "confirmed",
    }


@pytest.mark.parametrize("outcome", NOT_CONFIRMED)
def test_any_other_outcome_is_final_at_once(outcome, held: Url, analyst_client: Client):
    assess(analyst_client, held, outcome=outcome, notes="sample notes")

    assessment = Assessment.objects.get(url=held)
    assert assessment.status == AssessmentStatus.CONFIRMED
    assert assessment.decided_at is not None
    assert Url.objects.get(pk=held.pk).state == UrlState.ASSESSED


def test_every_outcome_waits_when_the_hotline_confirms_all(
    held: Url, analyst_client: Client, settings
):
    settings.HOTLINE_CONFIRM_ALL_OUTCOMES = True

    assess(analyst_client, held, outcome=Outcome.NOT_ILLEGAL)

    assert Assessment.objects.get(url=held).status == AssessmentStatus.AWAITING_CONFIRMATION
    assert Url.objects.get(pk=held.pk).state == UrlState.AWAITING_CONFIRMATION


@pytest.mark.parametrize(
    "stray",
    [{"category": "A"}, {"age_band": "0-2"}, {"sex": "boys"}, {"commercial": "on"}],
)
def test_a_classification_with_another_outcome_is_refused_and_nothing_is_saved(
    stray, held: Url, analyst: User, analyst_client: Client
):
    response = assess(analyst_client, held, outcome=Outcome.NPI, **stray)

    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert "Leave this empty: only a confirmed outcome is classified." in text
    assert not Assessment.objects.exists()
    held.refresh_from_db()
    assert (held.state, held.claimed_by) == (UrlState.QUEUED, analyst)


def test_the_refused_form_keeps_every_answer(held: Url, analyst_client: Client):
    response = assess(analyst_client, held, outcome=Outcome.NPI, category="A", notes="kept text")

    text = page_text(response)
    assert re.search(r'value="npi"[^>]*checked', text)
    assert re.search(r'value="A"[^>]*checked', text)
    assert "kept text</textarea>" in text


def test_a_confirmed_outcome_needs_category_age_band_and_sex(held: Url, analyst_client: Client):
    response = assess(analyst_client, held, outcome=Outcome.CONFIRMED)

    assert response.status_code == 400
    text = page_text(response)
    for message in (
        "Choose the category of the most severe content.",
        "Choose the age band of the youngest child.",
        "Choose the sex of the children shown.",
    ):
        assert message in text
    assert not Assessment.objects.exists()


def test_an_outcome_is_required(held: Url, analyst_client: Client):
    response = assess(analyst_client, held)

    assert response.status_code == 400
    assert '<a href="#outcome-group">Choose an outcome.</a>' in page_text(response)


def test_a_value_outside_the_vocabulary_is_refused(held: Url, analyst_client: Client):
    response = assess(analyst_client, held, **{**CONFIRMED_GRADE, "category": "Z"})

    assert response.status_code == 400
    assert "Choose one of the options shown." in page_text(response)
    assert not Assessment.objects.exists()


def test_submitting_the_same_assessment_twice_refuses_the_second_cleanly(
    held: Url, analyst_client: Client
):
    assess(analyst_client, held, **CONFIRMED_GRADE)

    again = assess(analyst_client, held, **CONFIRMED_GRADE)

    assert again.status_code == 409
    assert "already moved on" in page_text(again)
    assert Assessment.objects.filter(url=held).count() == 1
    assert audit_actions(action__startswith="assessment.") == ["assessment.submitted"]
    assert AuditEntry.objects.filter(action="case.refused").exists()


def test_submitting_without_a_claim_is_refused(url: Url, analyst_client: Client):
    response = assess(analyst_client, url, **CONFIRMED_GRADE)

    assert response.status_code == 409
    assert not Assessment.objects.exists()


def test_the_model_refuses_an_inconsistent_grade_whoever_calls_it(held: Url, analyst: User):
    with pytest.raises(InvalidGrade) as refused:
        Assessment.submit(held, analyst, Grade(outcome=Outcome.OFF_REMIT, sex="girls"))

    assert set(refused.value.problems) == {"sex"}
    assert not Assessment.objects.exists()


def test_every_grading_action_has_a_shortcut_shown_in_the_legend(held: Url, analyst_client: Client):
    text = page_text(analyst_client.get(f"/staff/cases/{held.pk}/"))

    for field, keys in CHOICE_KEYS.items():
        for value, key in keys.items():
            assert re.search(rf'name="{field}"[^>]*value="{value}"[^>]*data-shortcut="{key}"', text)
    for field, key in FLAG_KEYS.items():
        assert re.search(rf'name="{field}"[^>]*data-shortcut="{key}"', text)
    assert "<kbd>Ctrl+Enter</kbd>" in text
    assert '<script src="/static/assessment/grading.js" defer></script>' in text


def test_no_key_means_two_things_on_one_page(held: Url, analyst_client: Client):
    text = page_text(analyst_client.get(f"/staff/cases/{held.pk}/"))

    keys = re.findall(r'data-shortcut="([^"]+)"', text)
    assert len(keys) == len(set(keys))
