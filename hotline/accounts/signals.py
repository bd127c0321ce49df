"""Sign-in events written to the audit log. Only staff sign in, and even for them the log holds
the username, never the address or browser a request came from."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from hotline.audit.log import record

USERNAME_LIMIT = 150


def tried_username(credentials: dict[str, Any] | None) -> str:
    """The username someone typed, cut to the field's length so a huge value is not stored."""
    return str((credentials or {}).get("username") or "")[:USERNAME_LIMIT]


def audit_login(sender: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
    record("login.succeeded", actor=user)


def audit_failed_login(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    record("login.failed", detail={"username": tried_username(credentials)})


def audit_logout(sender: Any, user: AbstractBaseUser | None, **kwargs: Any) -> None:
    if user is not None:
        record("logout", actor=user)


def audit_lockout(sender: Any, username: str | None = None, **kwargs: Any) -> None:
    record("login.locked_out", detail={"username": (username or "")[:USERNAME_LIMIT]})


def connect() -> None:
    user_logged_in.connect(audit_login, dispatch_uid="hotline.accounts.audit_login")
    user_login_failed.connect(audit_failed_login, dispatch_uid="hotline.accounts.audit_failed")
    user_logged_out.connect(audit_logout, dispatch_uid="hotline.accounts.audit_logout")
    user_locked_out.connect(audit_lockout, dispatch_uid="hotline.accounts.audit_lockout")
