"""How django-axes describes a sign-in attempt in the server log."""

from typing import Any


def client_description(
    username: str | None, ip_address: str, user_agent: str, path_info: Any, request: Any
) -> str:
    """Only the username: axes would otherwise log the client's address and browser."""
    return f"username={username or ''!r}"
