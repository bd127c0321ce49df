"""Codes computed the way an authenticator app does, from the device's own secret."""

import time

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import STAFF_PASSWORD
from hotline.audit.models import AuditEntry


def current_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that the device will not accept now."""
    accepted = {current_code(device, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def sign_in_with_password(client: Client, username: str, next_url: str = "") -> str:
    data = {"username": username, "password": STAFF_PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 302, response.content
    return str(response["Location"])


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
