import re

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import STAFF_PASSWORD
from hotline.accounts.models import Role, User
from hotline.accounts.tests.totp import actions, current_code, sign_in_with_password, wrong_code
from hotline.audit.log import verify_chain
from hotline.audit.models import AuditEntry

TWO_FACTOR = "/staff/two-factor/"


def signed_in_without_device(username: str = "new-analyst") -> tuple[Client, User]:
    user = User.objects.create_user(username=username, password=STAFF_PASSWORD, role=Role.ANALYST)
    client = Client()
    sign_in_with_password(client, username)
    return client, user


def test_full_sign_in_with_a_real_totp_code_reaches_the_analyst_home(analyst):
    client = Client()
    sign_in_with_password(client, analyst.username)
    device = TOTPDevice.objects.get(user=analyst)

    response = client.post(TWO_FACTOR, {"code": current_code(device)})

    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home"))["Location"] == reverse("assessment:queue")
    assert AuditEntry.objects.get(action="two_factor.verified").actor_id == analyst.pk


def test_code_typed_with_a_space_is_accepted(analyst):
    client = Client()
    sign_in_with_password(client, analyst.username)
    code = current_code(TOTPDevice.objects.get(user=analyst))

    response = client.post(TWO_FACTOR, {"code": f"{code[:3]} {code[3:]}"})

    assert response["Location"] == reverse("accounts:home")


def test_verification_follows_a_safe_next_and_ignores_an_unsafe_one(analyst, second_analyst):
    safe, unsafe = Client(), Client()
    sign_in_with_password(safe, analyst.username)
    sign_in_with_password(unsafe, second_analyst.username)

    to_safe = safe.post(
        TWO_FACTOR,
        {"code": current_code(TOTPDevice.objects.get(user=analyst)), "next": "/staff/stats/"},
    )
    to_unsafe = unsafe.post(
        TWO_FACTOR,
        {
            "code": current_code(TOTPDevice.objects.get(user=second_analyst)),
            "next": "https://evil.example.com/",
        },
    )

    assert to_safe["Location"] == "/staff/stats/"
    assert to_unsafe["Location"] == reverse("accounts:home")


def test_wrong_code_is_refused_counted_and_audited(analyst):
    client = Client()
    sign_in_with_password(client, analyst.username)
    device = TOTPDevice.objects.get(user=analyst)

    response = client.post(TWO_FACTOR, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "That code was not accepted." in response.content.decode()
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:two_factor")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    entry = AuditEntry.objects.get(action="two_factor.failed")
    assert entry.actor_id == analyst.pk
    assert entry.detail == {
        "stage": "verification",
        "reason": "wrong_code",
        "consecutive_failures": 1,
    }


def test_a_code_right_after_a_wrong_one_must_wait_for_the_back_off(analyst):
    client = Client()
    sign_in_with_password(client, analyst.username)
    device = TOTPDevice.objects.get(user=analyst)
    client.post(TWO_FACTOR, {"code": wrong_code(device)})

    response = client.post(TWO_FACTOR, {"code": current_code(device)})

    assert "Too many wrong codes in a row. Wait" in response.content.decode()
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:two_factor")
    refusals = AuditEntry.objects.filter(action="two_factor.failed").order_by("seq")
    assert [entry.detail["reason"] for entry in refusals] == ["wrong_code", "throttled"]


def test_a_code_cannot_be_used_twice(analyst):
    first, second = Client(), Client()
    sign_in_with_password(first, analyst.username)
    sign_in_with_password(second, analyst.username)
    code = current_code(TOTPDevice.objects.get(user=analyst))
    first.post(TWO_FACTOR, {"code": code})

    response = second.post(TWO_FACTOR, {"code": code})

    assert response.status_code == 200
    assert "That code was not accepted." in response.content.decode()


def test_malformed_code_gets_a_clear_error_and_is_not_counted(analyst):
    client = Client()
    sign_in_with_password(client, analyst.username)

    response = client.post(TWO_FACTOR, {"code": "12ab"})

    assert "The code is six digits, such as 123456." in response.content.decode()
    assert TOTPDevice.objects.get(user=analyst).throttling_failure_count == 0


def test_second_factor_page_without_a_password_sends_to_sign_in(db):
    response = Client().get(TWO_FACTOR)

    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_a_verified_session_skips_the_second_factor_page(analyst_client):
    response = analyst_client.get(TWO_FACTOR)

    assert response["Location"] == reverse("accounts:home")


def test_first_sign_in_shows_enrolment_with_an_inline_svg_qr_code_and_the_secret(db):
    client, user = signed_in_without_device()

    response = client.get(TWO_FACTOR)

    html = response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert '<svg role="img" viewBox=' in html
    assert "<title>QR code for your authenticator app</title>" in html
    assert "<img" not in html
    assert "<script" not in html
    assert "style=" not in html
    secret = re.search(r'<code class="manual-key">([A-Z2-7 ]+)</code>', html)
    assert secret is not None
    assert response["Cache-Control"].count("no-store") == 1
    assert "Content-Security-Policy" in response


def test_enrolment_creates_one_device_however_often_the_page_is_opened(db):
    client, user = signed_in_without_device()

    client.get(TWO_FACTOR)
    client.get(TWO_FACTOR)

    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert actions().count("two_factor.enrolment_started") == 1


def test_enrolment_confirms_the_device_with_a_right_code(db):
    client, user = signed_in_without_device()
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(TWO_FACTOR, {"code": current_code(device)})

    device.refresh_from_db()
    assert device.confirmed
    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home"))["Location"] == reverse("assessment:queue")
    assert AuditEntry.objects.get(action="two_factor.enrolled").actor_id == user.pk


def test_wrong_code_at_enrolment_leaves_the_device_unconfirmed_and_is_audited(db):
    client, user = signed_in_without_device()
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(TWO_FACTOR, {"code": wrong_code(device)})

    device.refresh_from_db()
    assert not device.confirmed
    assert "That code was not accepted." in response.content.decode()
    assert AuditEntry.objects.get(action="two_factor.failed").detail["stage"] == "enrolment"


def test_after_enrolment_the_next_sign_in_asks_for_a_code_not_a_new_device(db):
    client, user = signed_in_without_device()
    client.get(TWO_FACTOR)
    client.post(TWO_FACTOR, {"code": current_code(TOTPDevice.objects.get(user=user))})
    client.post(reverse("accounts:logout"))
    sign_in_with_password(client, user.username)

    html = client.get(TWO_FACTOR).content.decode()

    assert "Enter the code from your authenticator app" in html
    assert "<svg" not in html
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_audit_chain_verifies_after_enrolment_and_refusals(db):
    client, user = signed_in_without_device()
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user)
    client.post(TWO_FACTOR, {"code": wrong_code(device)})
    device.throttle_reset()
    client.post(TWO_FACTOR, {"code": current_code(device)})

    assert actions() == [
        "login.succeeded",
        "two_factor.enrolment_started",
        "two_factor.failed",
        "two_factor.enrolled",
    ]
    assert list(verify_chain()) == []
