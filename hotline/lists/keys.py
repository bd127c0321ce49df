"""Member API keys: issued once in the clear, then known by prefix and SHA-256; and the API's auth.

    from hotline.lists.keys import MemberKeyAuth
    @router.get("/match", auth=MemberKeyAuth("match"))
    def match(request): key = request.auth  # a MemberKey, with .member

Every refusal of a member's key (revoked, expired, member suspended or without accepted terms,
wrong scope) is written to the audit log, without the caller's address. A string that is no
member's key is refused without an audit entry, so that nobody can fill the log from outside.
"""

import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from hotline.accounts.models import User
from hotline.audit.log import record
from hotline.lists.models import Member, MemberKey, Scope

KEY_PREFIX = "hlm_"
PREFIX_RANDOM_BYTES = 4
SECRET_BYTES = 32
LIST_SCOPES = (Scope.HASHES, Scope.URLS, Scope.KEYWORDS)


def issue_key(
    member: Member,
    scopes: Iterable[str],
    *,
    expires_at: datetime | None = None,
    by: User | None = None,
) -> tuple[MemberKey, str]:
    """A new key for `member` and its clear text, which the caller shows now and never again."""
    chosen = sorted(set(scopes))
    unknown = set(chosen) - set(Scope.values)
    if unknown or not chosen:
        raise ValueError(f"scopes must be some of {Scope.values}, not {chosen}")
    prefix = KEY_PREFIX + secrets.token_hex(PREFIX_RANDOM_BYTES)
    key = f"{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
    member_key = MemberKey.objects.create(
        member=member,
        prefix=prefix,
        key_hash=MemberKey.hash_key(key),
        scopes=chosen,
        expires_at=expires_at,
        created_by=by,
    )
    record(
        "lists.member_key.issued",
        actor=by,
        target=member_key,
        detail={"member": member.name, "scopes": chosen, "expires_at": expires_at},
    )
    return member_key, key


def revoke_key(member_key: MemberKey, by: User | None = None) -> None:
    if member_key.revoked_at is not None:
        return
    member_key.revoked_at = timezone.now()
    member_key.save(update_fields=["revoked_at"])
    record(
        "lists.member_key.revoked",
        actor=by,
        target=member_key,
        detail={"member": member_key.member.name},
    )


def find_key(key: str) -> MemberKey | None:
    """The key row whose secret this is, whatever its state; None for any other string."""
    prefix, dot, _rest = key.partition(".")
    if not dot or not prefix.startswith(KEY_PREFIX):
        return None
    member_key = MemberKey.objects.select_related("member").filter(prefix=prefix).first()
    if member_key is None or not hmac.compare_digest(member_key.key_hash, MemberKey.hash_key(key)):
        return None
    return member_key


def refuse(
    request: HttpRequest, status: int, message: str, member_key: MemberKey | None = None
) -> HttpError:
    """The error to raise for a refused request, audited with the key and the path."""
    detail = {"path": request.path, "status": status, "reason": message}
    if member_key is not None:
        detail["member"] = member_key.member.name
    record("lists.api.refused", target=member_key, detail=detail)
    return HttpError(status, message)


class MemberKeyAuth(HttpBearer):
    """Bearer auth for members: the MemberKey if it is live and has `scope`, else 401 or 403."""

    def __init__(self, scope: str) -> None:
        if scope not in Scope.values:
            raise ValueError(f"unknown scope {scope!r}")
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> MemberKey | None:
        member_key = find_key(token.strip())
        if member_key is None:
            # Not audited: anyone can send random keys, and each would add to the audit log.
            raise HttpError(401, _("This key is not valid."))
        live_key(request, member_key)
        self.check_scope(request, member_key)
        MemberKey.objects.filter(pk=member_key.pk).update(last_used_at=timezone.now())
        return member_key

    def check_scope(self, request: HttpRequest, member_key: MemberKey) -> None:
        require_scope(request, member_key, self.scope)


class ListReaderAuth(MemberKeyAuth):
    """A key with any list scope; the view checks the list named in its path with
    `require_scope`, so that a member asking for a list it may not read gets an audited 403."""

    def __init__(self) -> None:
        super().__init__(Scope.HASHES)

    def check_scope(self, request: HttpRequest, member_key: MemberKey) -> None:
        if not set(member_key.scopes) & set(LIST_SCOPES):
            raise refuse(request, 403, _("This key may not download any list."), member_key)


def require_scope(request: HttpRequest, member_key: MemberKey, scope: str) -> None:
    if not member_key.has_scope(scope):
        raise refuse(
            request,
            403,
            _("This key may not be used for %(scope)s.") % {"scope": scope},
            member_key,
        )


def live_key(request: HttpRequest, member_key: MemberKey) -> None:
    """Raise the audited refusal for a key that is revoked or expired, or whose member may not
    download (inactive, or the terms not accepted)."""
    if member_key.revoked_at is not None:
        raise refuse(request, 401, _("This key has been revoked."), member_key)
    if member_key.is_expired():
        raise refuse(request, 401, _("This key has expired."), member_key)
    if not member_key.member.active:
        raise refuse(request, 401, _("This member's access is suspended."), member_key)
    if member_key.member.terms_accepted_at is None:
        raise refuse(
            request, 403, _("This member has not accepted the terms of use yet."), member_key
        )
