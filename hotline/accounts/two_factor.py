"""The second factor: one TOTP authenticator per member of staff, enrolled at first sign-in."""

import math
from base64 import b32encode
from dataclasses import dataclass

import django_otp
import segno
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotline.accounts.models import User
from hotline.audit.log import record

DEVICE_NAME = "authenticator"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device shown at enrolment: created once, so reloading keeps the secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        record("two_factor.enrolment_started", actor=user, target=device)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as an inline SVG (no image request, nothing for CSP)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=1,
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,
        dark="#000",
        light="#fff",
        title=_("QR code for your authenticator app"),
    )
    # segno escapes the title and writes nothing else but path data.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


@dataclass(frozen=True)
class CodeCheck:
    accepted: bool
    wait_seconds: int = 0

    @property
    def throttled(self) -> bool:
        return self.wait_seconds > 0


def wait_before_next_try(device: TOTPDevice) -> int:
    """Seconds django-otp's back-off (1, 2, 4, 8 … s after successive wrong codes) still needs."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return 0
    remaining: float = (info["locked_until"] - timezone.now()).total_seconds()
    return max(1, math.ceil(remaining))


def check_code(user: User, device: TOTPDevice, code: str) -> CodeCheck:
    """Try a code against the device, under django-otp's lock so that a code is used only once."""
    wait = wait_before_next_try(device)
    if wait:
        return CodeCheck(accepted=False, wait_seconds=wait)
    accepted = django_otp.verify_token(user, device.persistent_id, code) is not None
    return CodeCheck(accepted=accepted)


def confirm_enrolment(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    record("two_factor.enrolled", actor=user, target=device)


def complete_verification(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    record("two_factor.verified", actor=user, target=device)


def record_refusal(user: User, device: TOTPDevice, stage: str, check: CodeCheck) -> None:
    device.refresh_from_db(fields=["throttling_failure_count"])
    record(
        "two_factor.failed",
        actor=user,
        target=device,
        detail={
            "stage": stage,
            "reason": "throttled" if check.throttled else "wrong_code",
            "consecutive_failures": device.throttling_failure_count,
        },
    )
