import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import STAFF_PASSWORD
from hotline.accounts.tests.totp import actions, sign_in_with_password
from hotline.audit.log import verify_chain
from hotline.audit.models import AuditEntry

LOGIN = "/staff/login/"


def test_sign_in_page_has_labelled_fields_and_no_inline_script(db):
    response = Client().get(reverse("accounts:login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="field-label" for="id_username">' in html
    assert '<label class="field-label" for="id_password">' in html
    assert "<script" not in html
    assert "style=" not in html


def test_right_password_leads_to_the_second_factor_not_to_staff_pages(analyst):
    client = Client()

    location = sign_in_with_password(client, analyst.username)

    assert location == reverse("accounts:two_factor")
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:two_factor")


def test_successful_password_is_audited_against_the_person(analyst):
    sign_in_with_password(Client(), analyst.username)

    entry = AuditEntry.objects.get(action="login.succeeded")
    assert entry.actor_id == analyst.pk
    assert entry.detail == {}


def test_wrong_password_is_refused_with_a_generic_message_and_audited(analyst):
    client = Client()

    response = client.post(LOGIN, {"username": analyst.username, "password": "not it at all"})

    assert response.status_code == 200
    assert "The username or password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.detail == {"username": analyst.username}
    assert entry.actor_id is None


def answer_to(username: str) -> str:
    """The error summary of the sign-in page, with the username typed left out."""
    response = Client().post(LOGIN, {"username": username, "password": "nope nope"})
    html = response.content.decode()
    start = html.index('class="error-summary"')
    return html[start : html.index("</div>", start)].replace(username, "")


def test_unknown_username_gets_exactly_the_same_answer_as_a_wrong_password(analyst):
    answer = answer_to(analyst.username)

    assert "The username or password is not right." in answer
    assert answer == answer_to("nobody-here")


def test_inactive_account_gets_the_same_answer_as_a_wrong_password(analyst):
    analyst.is_active = False
    analyst.save()

    response = Client().post(LOGIN, {"username": analyst.username, "password": STAFF_PASSWORD})

    assert "The username or password is not right." in response.content.decode()
    assert "inactive" not in response.content.decode()


def test_empty_form_names_each_missing_field(db):
    response = Client().post(LOGIN, {"username": "", "password": ""})

    html = response.content.decode()
    assert "Enter your username." in html
    assert "Enter your password." in html
    assert 'href="#id_username"' in html


def test_failed_login_audit_does_not_keep_a_huge_username(db):
    Client().post(LOGIN, {"username": "x" * 5000, "password": "whatever it is"})

    assert len(AuditEntry.objects.get(action="login.failed").detail["username"]) <= 150


def test_a_safe_next_is_carried_to_the_second_factor(analyst):
    location = sign_in_with_password(Client(), analyst.username, next_url="/staff/stats/")

    assert location == reverse("accounts:two_factor") + "?next=%2Fstaff%2Fstats%2F"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example.com/", "//evil.example.com/path", "javascript:alert(1)", "///x.test"],
)
def test_an_open_redirect_next_is_ignored(analyst, next_url):
    location = sign_in_with_password(Client(), analyst.username, next_url=next_url)

    assert location == reverse("accounts:two_factor")


def test_sign_out_needs_a_post(analyst_client):
    response = analyst_client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert analyst_client.get(reverse("accounts:home")).status_code == 302
    assert "_auth_user_id" in analyst_client.session


def test_sign_out_ends_the_session_and_is_audited(analyst, analyst_client):
    response = analyst_client.post(reverse("accounts:logout"))

    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in analyst_client.session
    assert AuditEntry.objects.get(action="logout").actor_id == analyst.pk


def test_audit_chain_verifies_and_holds_no_client_details_after_signing_in_and_out(analyst):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="SampleBrowser/1.0")
    client.post(LOGIN, {"username": analyst.username, "password": "wrong password"})
    sign_in_with_password(client, analyst.username)
    client.post(reverse("accounts:logout"))

    assert actions()[-3:] == ["login.failed", "login.succeeded", "logout"]
    assert list(verify_chain()) == []
    details = json.dumps(list(AuditEntry.objects.values_list("detail", flat=True)))
    assert "127.0.0.1" not in details
    assert "SampleBrowser" not in details
