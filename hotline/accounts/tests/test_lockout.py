import json
import re

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import STAFF_PASSWORD
from hotline.accounts.tests.totp import actions
from hotline.audit.log import verify_chain
from hotline.audit.models import AuditEntry

LOGIN = "/staff/login/"


def fail_to_sign_in(client: Client, username: str, times: int):
    response = None
    for attempt in range(times):
        response = client.post(LOGIN, {"username": username, "password": f"wrong guess {attempt}"})
    return response


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_limit_is_five_failures(db):
    assert settings.AXES_FAILURE_LIMIT == 5


def test_failures_below_the_limit_leave_sign_in_open(analyst):
    client = Client()
    fail_to_sign_in(client, analyst.username, settings.AXES_FAILURE_LIMIT - 1)

    response = client.post(LOGIN, {"username": analyst.username, "password": STAFF_PASSWORD})

    assert response.status_code == 302
    assert "login.locked_out" not in actions()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(analyst):
    client = Client()

    fifth = fail_to_sign_in(client, analyst.username, settings.AXES_FAILURE_LIMIT)
    right = client.post(LOGIN, {"username": analyst.username, "password": STAFF_PASSWORD})

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert "Sign-in is paused for this account" in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert "login.succeeded" not in actions()


def test_lockout_page_is_the_same_whether_the_password_was_right_or_not(analyst):
    fail_to_sign_in(Client(), analyst.username, settings.AXES_FAILURE_LIMIT)

    right = Client().post(LOGIN, {"username": analyst.username, "password": STAFF_PASSWORD})
    wrong = Client().post(LOGIN, {"username": analyst.username, "password": "another guess"})

    assert without_csrf_token(right) == without_csrf_token(wrong)


def test_lockout_page_says_how_long_and_who_can_help(analyst):
    response = fail_to_sign_in(Client(), analyst.username, settings.AXES_FAILURE_LIMIT)

    html = response.content.decode()
    assert "Please try again in 15 minutes." in html
    assert "ask a hotline manager" in html
    assert "<script" not in html


def test_lockout_is_audited_with_the_username_but_no_address(analyst):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="SampleBrowser/1.0")

    fail_to_sign_in(client, analyst.username, settings.AXES_FAILURE_LIMIT)

    entry = AuditEntry.objects.get(action="login.locked_out")
    assert entry.detail == {"username": analyst.username}
    details = json.dumps(list(AuditEntry.objects.values_list("detail", flat=True)))
    assert "127.0.0.1" not in details
    assert "SampleBrowser" not in details
    assert list(verify_chain()) == []


def test_a_manager_lifts_the_pause_through_the_admin(analyst, manager_client):
    fail_to_sign_in(Client(), analyst.username, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username=analyst.username)

    listing = manager_client.get(reverse("admin:axes_accessattempt_changelist"))
    manager_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    after = Client().post(LOGIN, {"username": analyst.username, "password": STAFF_PASSWORD})

    assert listing.status_code == 200
    assert not AccessAttempt.objects.exists()
    assert after.status_code == 302


def test_behind_a_proxy_one_address_failing_does_not_pause_sign_in_from_another(
    analyst, second_analyst, settings
):
    settings.HOTLINE_TRUSTED_PROXY_HOPS = 1
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.20")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": f"guess-{attempt}", "password": "wrong guess"})

    blocked = attacker.post(LOGIN, {"username": analyst.username, "password": STAFF_PASSWORD})
    allowed = colleague.post(
        LOGIN, {"username": second_analyst.username, "password": STAFF_PASSWORD}
    )

    assert blocked.status_code == 429
    assert allowed.status_code == 302


def test_a_huge_made_up_username_is_counted_as_a_failure_not_a_server_error(db):
    response = Client().post(reverse("accounts:login"), {"username": "x" * 5000, "password": "p"})

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150
