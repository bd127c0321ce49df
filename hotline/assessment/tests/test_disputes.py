"""A senior analyst resolves a dispute: uphold the original grade or overrule it with a new one."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from hotline.accounts.models import User
from hotline.accounts.testing import verified_client
from hotline.assessment import claims
from hotline.assessment.errors import NotAllowed
from hotline.assessment.grade import Grade
from hotline.assessment.models import Assessment
from hotline.assessment.tests.conftest import CONFIRMED_GRADE, audit_actions, page_text
from hotline.assessment.vocabulary import AssessmentStatus, Outcome
from hotline.audit.models import AuditEntry
from hotline.intake.models import Url, UrlState

NEW_GRADE = {**CONFIRMED_GRADE, "category": "A", "notes": "sample senior notes"}


@pytest.fixture
def disputed(awaiting: Assessment, second_analyst: User) -> Assessment:
    claims.claim(awaiting.url, second_analyst)
    awaiting.disagree(second_analyst, "sample reason")
    return awaiting


@pytest.fixture
def resolving(disputed: Assessment, senior_analyst: User) -> Assessment:
    claims.claim(disputed.url, senior_analyst)
    return disputed


def resolve(client: Client, assessment: Assessment, **answers: object):
    return client.post(f"/staff/cases/{assessment.url_id}/resolve/", answers)


def test_the_disputes_page_is_for_senior_analysts_only(db, analyst_client: Client):
    response = analyst_client.get("/staff/disputes/")

    assert response.status_code == 403
    assert AuditEntry.objects.get(action="access.denied").actor_username == "analyst-one"


def test_the_disputes_page_shows_both_views(disputed: Assessment, senior_analyst_client: Client):
    text = page_text(senior_analyst_client.get("/staff/disputes/"))

    assert "Grade by analyst-one" in text
    assert "Category B" in text
    assert "Disputed by analyst-two" in text
    assert "sample reason" in text
    assert f'action="/staff/cases/{disputed.url_id}/claim/"' in text


def test_upholding_makes_the_original_grade_count(
    resolving: Assessment, senior_analyst: User, senior_analyst_client: Client
):
    response = resolve(senior_analyst_client, resolving, decision="uphold")

    assert response["Location"] == "/staff/disputes/"
    resolving.refresh_from_db()
    assert resolving.status == AssessmentStatus.CONFIRMED
    assert resolving.decided_at is not None
    url = Url.objects.get(pk=resolving.url_id)
    assert (url.state, url.claimed_by) == (UrlState.ASSESSED, None)
    upheld = resolving.confirmations.get(resolves_dispute=True)
    assert (upheld.analyst, upheld.agrees) == (senior_analyst, True)
    assert "assessment.upheld" in audit_actions()


def test_overruling_replaces_the_grade_with_the_seniors(
    resolving: Assessment, senior_analyst: User, senior_analyst_client: Client
):
    response = resolve(senior_analyst_client, resolving, decision="overrule", **NEW_GRADE)

    assert response["Location"] == "/staff/disputes/"
    resolving.refresh_from_db()
    assert resolving.status == AssessmentStatus.OVERRULED
    replacement = Assessment.objects.get(supersedes=resolving)
    assert (replacement.analyst, replacement.category) == (senior_analyst, "A")
    assert replacement.status == AssessmentStatus.CONFIRMED
    assert replacement.decided_at is not None
    counted = Assessment.objects.filter(url_id=resolving.url_id, status="confirmed")
    assert list(counted) == [replacement]
    assert Url.objects.get(pk=resolving.url_id).state == UrlState.ASSESSED
    overruled = AuditEntry.objects.get(action="assessment.overruled")
    assert overruled.detail["replacement"] == replacement.pk


def test_overruling_with_the_same_grade_is_refused(
    resolving: Assessment, senior_analyst_client: Client
):
    same = {**CONFIRMED_GRADE, "notes": "other words"}

    response = resolve(senior_analyst_client, resolving, decision="overrule", **same)

    assert response.status_code == 400
    assert "uphold it instead" in page_text(response)
    resolving.refresh_from_db()
    assert resolving.status == AssessmentStatus.DISPUTED
    assert Assessment.objects.count() == 1


def test_overruling_with_an_inconsistent_grade_is_refused(
    resolving: Assessment, senior_analyst_client: Client
):
    response = resolve(
        senior_analyst_client, resolving, decision="overrule", outcome="npi", category="A"
    )

    assert response.status_code == 400
    assert "Leave this empty" in page_text(response)
    assert Assessment.objects.count() == 1


def test_a_senior_who_made_the_original_may_not_resolve_it(
    url: Url, senior_analyst: User, senior_analyst_client: Client, second_analyst: User
):
    claims.claim(url, senior_analyst)
    original = Assessment.submit(url, senior_analyst, Grade(**CONFIRMED_GRADE))
    claims.claim(url, second_analyst)
    original.disagree(second_analyst, "sample reason")

    response = senior_analyst_client.post(f"/staff/cases/{url.pk}/claim/")

    assert response.status_code == 403
    assert "You made this assessment" in page_text(response)
    assert Url.objects.get(pk=url.pk).claimed_by is None


def test_a_senior_who_disputed_it_may_not_resolve_it(
    awaiting: Assessment, senior_analyst: User, senior_analyst_client: Client
):
    claims.claim(awaiting.url, senior_analyst)
    awaiting.disagree(senior_analyst, "sample reason")
    Url.objects.filter(pk=awaiting.url_id).update(claimed_by=senior_analyst)

    response = resolve(senior_analyst_client, awaiting, decision="uphold")

    assert response.status_code == 403
    assert "You disputed this assessment" in page_text(response)
    awaiting.refresh_from_db()
    assert awaiting.status == AssessmentStatus.DISPUTED
    with pytest.raises(NotAllowed):
        awaiting.uphold(senior_analyst)


def test_the_list_tells_an_involved_senior_to_leave_it(
    awaiting: Assessment, senior_analyst: User, senior_analyst_client: Client
):
    claims.claim(awaiting.url, senior_analyst)
    awaiting.disagree(senior_analyst, "sample reason")

    text = page_text(senior_analyst_client.get("/staff/disputes/"))

    assert "You took part: another senior analyst must decide." in text
    assert f'action="/staff/cases/{awaiting.url_id}/claim/"' not in text


def test_another_senior_may_resolve_what_one_senior_disputed(
    awaiting: Assessment, senior_analyst: User, make_staff
):
    claims.claim(awaiting.url, senior_analyst)
    awaiting.disagree(senior_analyst, "sample reason")
    other_senior = make_staff("senior_analyst", "senior-two")
    claims.claim(awaiting.url, other_senior)

    response = resolve(verified_client(other_senior), awaiting, decision="uphold")

    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == AssessmentStatus.CONFIRMED


def test_an_analyst_may_not_resolve_a_dispute(
    disputed: Assessment, analyst_client: Client, make_staff
):
    response = resolve(analyst_client, disputed, decision="uphold")

    assert response.status_code == 403
    disputed.refresh_from_db()
    assert disputed.status == AssessmentStatus.DISPUTED


def test_resolving_twice_refuses_the_second_cleanly(
    resolving: Assessment, senior_analyst_client: Client
):
    resolve(senior_analyst_client, resolving, decision="uphold")

    again = resolve(senior_analyst_client, resolving, decision="overrule", **NEW_GRADE)

    assert again.status_code == 409
    assert Assessment.objects.count() == 1


def test_the_database_keeps_one_counted_assessment_per_url(
    resolving: Assessment, senior_analyst: User
):
    resolving.uphold(senior_analyst)

    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            url_id=resolving.url_id,
            analyst=senior_analyst,
            outcome=Outcome.NOT_ILLEGAL,
            status=AssessmentStatus.CONFIRMED,
        )


def test_a_resolution_without_a_decision_is_refused(
    resolving: Assessment, senior_analyst_client: Client
):
    response = resolve(senior_analyst_client, resolving, decision="shrug")

    assert response.status_code == 400
    resolving.refresh_from_db()
    assert resolving.status == AssessmentStatus.DISPUTED


def test_the_senior_sees_both_views_on_the_case(
    resolving: Assessment, senior_analyst_client: Client
):
    text = page_text(senior_analyst_client.get(f"/staff/cases/{resolving.url_id}/resolve/"))

    assert "Grade by analyst-one" in text
    assert "Disputed by analyst-two" in text
    assert 'data-shortcut="k"' in text
    assert 'name="decision" value="overrule"' in text
