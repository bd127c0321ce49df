"""Who may see a case, what the case page shows, and that every view is recorded."""

import pytest
from django.test import Client
from django.utils import formats, timezone

from hotline.accounts.models import User
from hotline.accounts.testing import verified_client
from hotline.assessment import claims
from hotline.assessment.models import Assessment
from hotline.assessment.tests.conftest import CONFIRMED_GRADE, audit_actions, page_text
from hotline.audit.models import AuditEntry
from hotline.intake.models import ReportingSource, SourceKind, Url

ANALYST_PAGES = [
    "/staff/queue/",
    "/staff/confirmations/",
    "/staff/cases/{pk}/",
    "/staff/cases/{pk}/assess/",
]


@pytest.mark.parametrize("page", ANALYST_PAGES)
def test_a_manager_is_refused_the_analyst_pages_and_the_refusal_is_audited(
    page, url: Url, manager_client: Client
):
    response = manager_client.get(page.format(pk=url.pk))

    assert response.status_code == 403
    denial = AuditEntry.objects.get(action="access.denied")
    assert denial.actor_username == "manager-one"
    assert "case.viewed" not in audit_actions()


@pytest.mark.parametrize("page", ANALYST_PAGES)
def test_a_user_without_a_role_is_refused_and_the_refusal_is_audited(page, url: Url, make_staff):
    client = verified_client(make_staff("", "no-role-at-all"))

    response = client.get(page.format(pk=url.pk))

    assert response.status_code == 403
    assert AuditEntry.objects.get(action="access.denied").actor_username == "no-role-at-all"


def test_a_manager_cannot_claim_a_case(url: Url, manager_client: Client):
    response = manager_client.post(f"/staff/cases/{url.pk}/claim/")

    assert response.status_code == 403
    assert Url.objects.get(pk=url.pk).claimed_by is None


def test_someone_signed_out_is_sent_to_sign_in(url: Url, client: Client):
    response = client.get(f"/staff/cases/{url.pk}/")

    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


def test_every_view_of_a_case_is_audited(url: Url, analyst_client: Client):
    analyst_client.get(f"/staff/cases/{url.pk}/")
    analyst_client.get(f"/staff/cases/{url.pk}/")

    views = AuditEntry.objects.filter(action="case.viewed", object_id=str(url.pk))
    assert [entry.actor_username for entry in views] == ["analyst-one", "analyst-one"]


def test_an_unknown_case_is_not_found(db, analyst_client: Client):
    assert analyst_client.get("/staff/cases/999999/").status_code == 404


def test_the_case_page_shows_the_address_as_plain_text(make_url, analyst_client: Client):
    case = make_url(canonical="http://shown.example.com/a?b=c", host="shown.example.com")

    text = page_text(analyst_client.get(f"/staff/cases/{case.pk}/"))

    assert '<code class="url-text">http://shown.example.com/a?b=c</code>' in text
    assert 'href="http://shown' not in text


def test_the_case_page_lists_every_report_naming_the_url(
    url: Url, make_report, analyst_client: Client
):
    partner = ReportingSource.objects.create(name="Partner Hotline Test", kind=SourceKind.OTHER)
    make_report(url, reference="HL-PUBLIC00001", description="first sample description")
    make_report(url, reference="HL-PARTNER0001", source=partner, description="")

    text = page_text(analyst_client.get(f"/staff/cases/{url.pk}/"))

    assert "HL-PUBLIC00001" in text
    assert "HL-PARTNER0001" in text
    assert "Partner Hotline Test" in text
    assert "<td>public</td>" in text
    assert "first sample description" in text
    assert "A web page" in text
    assert "Images" in text


def test_a_description_is_escaped_not_run(url: Url, make_report, analyst_client: Client):
    make_report(url, description='<script>alert("x")</script><b>bold</b>')

    text = page_text(analyst_client.get(f"/staff/cases/{url.pk}/"))

    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in text


def test_the_case_page_offers_a_claim_when_nobody_holds_it(url: Url, analyst_client: Client):
    text = page_text(analyst_client.get(f"/staff/cases/{url.pk}/"))

    assert f'action="/staff/cases/{url.pk}/claim/"' in text
    assert 'name="outcome"' not in text


def test_the_case_page_shows_the_form_to_the_holder_only(
    url: Url, analyst: User, analyst_client: Client, second_analyst_client: Client
):
    claims.claim(url, analyst)

    mine = page_text(analyst_client.get(f"/staff/cases/{url.pk}/"))
    theirs = page_text(second_analyst_client.get(f"/staff/cases/{url.pk}/"))

    assert 'name="outcome"' in mine
    assert 'name="outcome"' not in theirs
    assert "analyst-one is working on this case" in theirs


def test_viewing_the_form_of_a_case_claimed_by_another_is_refused_and_audited(
    url: Url, analyst: User, second_analyst_client: Client
):
    claims.claim(url, analyst)
    since = timezone.localtime(Url.objects.get(pk=url.pk).claimed_at)

    response = second_analyst_client.get(f"/staff/cases/{url.pk}/assess/")

    assert response.status_code == 409
    text = page_text(response)
    assert "analyst-one is working on this case" in text
    assert f"(claimed {formats.date_format(since, 'DATETIME_FORMAT')})" in text
    assert 'name="outcome"' not in text
    refusal = AuditEntry.objects.get(action="case.refused")
    assert (refusal.actor_username, refusal.detail["method"]) == ("analyst-two", "GET")


def test_submitting_for_a_case_claimed_by_another_is_refused_and_changes_nothing(
    url: Url, analyst: User, second_analyst_client: Client
):
    claims.claim(url, analyst)

    response = second_analyst_client.post(f"/staff/cases/{url.pk}/assess/", CONFIRMED_GRADE)

    assert response.status_code == 409
    assert "analyst-one is working on this case" in page_text(response)
    assert not Assessment.objects.exists()
    url.refresh_from_db()
    assert (url.state, url.claimed_by) == ("queued", analyst)
    assert AuditEntry.objects.get(action="case.refused").detail["holder"] == "analyst-one"


def test_viewing_the_form_without_a_claim_asks_for_one(url: Url, analyst_client: Client):
    response = analyst_client.get(f"/staff/cases/{url.pk}/assess/")

    assert response.status_code == 409
    assert "Claim this case before acting on it." in page_text(response)
