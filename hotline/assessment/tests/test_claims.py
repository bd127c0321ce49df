"""Claims: one conditional UPDATE each, so two analysts never hold the same url."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hotline.accounts.models import User
from hotline.assessment import claims
from hotline.assessment.errors import ClaimHeldByAnother, ClaimRequired
from hotline.assessment.tests.conftest import audit_actions, page_text
from hotline.audit.models import AuditEntry
from hotline.intake.models import Url


def test_claiming_a_free_case_takes_it_and_is_audited(
    url: Url, analyst: User, analyst_client: Client
):
    response = analyst_client.post(f"/staff/cases/{url.pk}/claim/")

    assert response["Location"] == f"/staff/cases/{url.pk}/"
    url.refresh_from_db()
    assert url.claimed_by == analyst
    assert url.claimed_at is not None
    assert audit_actions(object_id=str(url.pk)) == ["claim.taken"]


def test_a_case_claimed_by_another_analyst_is_refused_naming_the_holder(
    url: Url, analyst: User, second_analyst_client: Client
):
    claims.claim(url, analyst)

    response = second_analyst_client.post(f"/staff/cases/{url.pk}/claim/")

    assert response.status_code == 409
    assert "analyst-one is working on this case (claimed" in page_text(response)
    url.refresh_from_db()
    assert url.claimed_by == analyst
    refusal = AuditEntry.objects.get(action="case.refused")
    assert refusal.actor_username == "analyst-two"
    assert refusal.detail["holder"] == "analyst-one"


def test_a_claim_with_a_stale_copy_of_the_url_is_still_refused(
    url: Url, analyst: User, second_analyst: User
):
    stale = Url.objects.get(pk=url.pk)
    claims.claim(url, analyst)

    with pytest.raises(ClaimHeldByAnother) as refused:
        claims.claim(stale, second_analyst)

    assert refused.value.holder == "analyst-one"
    assert Url.objects.get(pk=url.pk).claimed_by == analyst


def test_claiming_again_renews_ones_own_claim(url: Url, analyst: User):
    claims.claim(url, analyst)
    long_ago = timezone.now() - timedelta(minutes=10)
    Url.objects.filter(pk=url.pk).update(claimed_at=long_ago)

    claims.claim(Url.objects.get(pk=url.pk), analyst)

    renewed = Url.objects.get(pk=url.pk)
    assert renewed.claimed_by == analyst
    assert renewed.claimed_at is not None
    assert renewed.claimed_at > long_ago


def test_a_lapsed_claim_is_taken_over_and_the_audit_names_the_previous_holder(
    url: Url, analyst: User, second_analyst: User, settings
):
    claims.claim(url, analyst)
    long_ago = timezone.now() - timedelta(minutes=settings.HOTLINE_CLAIM_MINUTES + 1)
    Url.objects.filter(pk=url.pk).update(claimed_at=long_ago)

    claims.claim(Url.objects.get(pk=url.pk), second_analyst)

    assert Url.objects.get(pk=url.pk).claimed_by == second_analyst
    taken_over = AuditEntry.objects.filter(action="claim.taken").last()
    assert taken_over is not None
    assert taken_over.detail["took_over_lapsed_claim_of"] == "analyst-one"


def test_releasing_a_case_returns_it_to_the_queue_and_is_audited(
    url: Url, analyst: User, analyst_client: Client
):
    claims.claim(url, analyst)

    response = analyst_client.post(f"/staff/cases/{url.pk}/release/")

    assert response["Location"] == "/staff/queue/"
    url.refresh_from_db()
    assert url.claimed_by is None
    assert url.claimed_at is None
    assert audit_actions(object_id=str(url.pk)) == ["claim.taken", "claim.released"]


def test_releasing_a_case_someone_else_holds_is_refused(
    url: Url, analyst: User, second_analyst_client: Client
):
    claims.claim(url, analyst)

    response = second_analyst_client.post(f"/staff/cases/{url.pk}/release/")

    assert response.status_code == 409
    assert Url.objects.get(pk=url.pk).claimed_by == analyst


def test_releasing_a_case_nobody_holds_asks_for_a_claim(url: Url, analyst: User):
    with pytest.raises(ClaimRequired):
        claims.release(url, analyst)


def test_an_assessed_case_cannot_be_claimed(make_url, analyst_client: Client):
    assessed = make_url(state="assessed")

    response = analyst_client.post(f"/staff/cases/{assessed.pk}/claim/")

    assert response.status_code == 409
    assert "already assessed" in page_text(response)
    assert Url.objects.get(pk=assessed.pk).claimed_by is None


def test_claiming_only_answers_a_post(url: Url, analyst_client: Client):
    assert analyst_client.get(f"/staff/cases/{url.pk}/claim/").status_code == 405
    assert Url.objects.get(pk=url.pk).claimed_by is None
