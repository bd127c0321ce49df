"""The signed one-time token each report form carries, so a form sent twice files one report."""

import secrets

from django.conf import settings
from django.core import signing

SALT = "hotline.intake.report-form"
NONCE_BYTES = 18


class InvalidFormToken(ValueError):
    """The form is too old, or its token was not made by this hotline."""


def new_form_token() -> str:
    return signing.TimestampSigner(salt=SALT).sign(secrets.token_urlsafe(NONCE_BYTES))


def submission_token(form_token: str) -> str:
    """The report's submission token for a form token, or InvalidFormToken."""
    try:
        nonce = signing.TimestampSigner(salt=SALT).unsign(
            form_token, max_age=settings.HOTLINE_REPORT_FORM_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        raise InvalidFormToken(form_token) from None
    return f"form-{nonce}"
