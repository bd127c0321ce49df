"""How django-axes describes a sign-in attempt in the server log."""

from typing import Any

from django.http import HttpRequest

from hotline.accounts.models import User


def client_description(
    username: str | None, ip_address: str, user_agent: str, path_info: Any, request: Any
) -> str:
    """Only the username: axes would otherwise log the client's address and browser."""
    return f"username={username or ''!r}"


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The username tried, cut to the longest a real account can have.

    Axes keeps it in a column of 255 characters, which PostgreSQL enforces; a longer made-up
    name would otherwise turn a failed sign-in into a server error instead of a counted failure.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") or ""
    return str(username)[: User._meta.get_field("username").max_length]
