from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hotline.assessment.media_grades import MediaGrade
from hotline.audit.models import AuditEntry
from hotline.lists.keys import issue_key, revoke_key
from hotline.lists.models import Download, Member, MemberKey
from hotline.lists.publishing import publish

pytestmark = pytest.mark.django_db

MakeKey = Callable[..., tuple[MemberKey, str]]


@pytest.fixture(autouse=True)
def published(make_grade: Callable[..., MediaGrade]) -> None:
    make_grade()
    publish("hashes")


def _get(clear: str, path: str = "/api/v1/lists/hashes") -> tuple[int, str]:
    response = Client().get(path, headers={"Authorization": f"Bearer {clear}"})
    return response.status_code, response.json()["detail"] if response.status_code >= 400 else ""


def _refusals() -> list[tuple[str, int]]:
    return [
        (entry.detail["reason"], entry.detail["status"])
        for entry in AuditEntry.objects.filter(action="lists.api.refused").order_by("seq")
    ]


def test_only_the_hash_of_a_key_is_stored(make_key: MakeKey) -> None:
    member_key, clear = make_key()

    assert clear.startswith(member_key.prefix + ".")
    assert member_key.key_hash == MemberKey.hash_key(clear)
    assert clear not in str(MemberKey.objects.values().get())


def test_a_revoked_key_is_refused_and_audited(make_key: MakeKey) -> None:
    member_key, clear = make_key()
    revoke_key(member_key)

    assert _get(clear) == (401, "This key has been revoked.")
    assert _refusals() == [("This key has been revoked.", 401)]


def test_an_expired_key_is_refused_and_audited(make_key: MakeKey) -> None:
    _key, clear = make_key(expires_at=timezone.now() - timedelta(minutes=1))

    assert _get(clear) == (401, "This key has expired.")
    assert _refusals() == [("This key has expired.", 401)]


def test_a_key_without_the_scope_of_the_list_is_forbidden_and_audited(make_key: MakeKey) -> None:
    _key, clear = make_key(("urls",))

    assert _get(clear) == (403, "This key may not be used for hashes.")
    assert _refusals() == [("This key may not be used for hashes.", 403)]
    assert not Download.objects.exists()


def test_a_match_only_key_reads_no_list(make_key: MakeKey) -> None:
    _key, clear = make_key(("match",))

    assert _get(clear, "/api/v1/lists/") == (403, "This key may not download any list.")


def test_a_member_that_has_not_accepted_the_terms_is_forbidden(db: None) -> None:
    newcomer = Member.objects.create(name="Sample Newcomer")
    _key, clear = issue_key(newcomer, ["hashes"])

    assert _get(clear) == (403, "This member has not accepted the terms of use yet.")


def test_an_inactive_members_keys_are_refused(make_key: MakeKey, member: Member) -> None:
    _key, clear = make_key()
    member.active = False
    member.save()

    assert _get(clear)[0] == 401


@pytest.mark.parametrize("header", ["Bearer hlm_0000.not-a-key", "Bearer nonsense", "Basic abc"])
def test_an_unknown_key_is_refused(header: str) -> None:
    response = Client().get("/api/v1/lists/hashes", headers={"Authorization": header})

    assert response.status_code == 401


def test_no_key_is_refused() -> None:
    assert Client().get("/api/v1/lists/hashes").status_code == 401


def test_a_live_key_records_when_it_was_last_used(make_key: MakeKey) -> None:
    member_key, clear = make_key()

    assert _get(clear)[0] == 200
    member_key.refresh_from_db()
    assert member_key.last_used_at is not None


def test_a_key_needs_known_scopes(member: Member) -> None:
    with pytest.raises(ValueError, match="scopes"):
        issue_key(member, ["everything"])
    with pytest.raises(ValueError, match="scopes"):
        issue_key(member, [])


def test_a_string_that_is_no_key_is_refused_without_filling_the_audit_log() -> None:
    status, _detail = _get("hlm_00000000.sample")

    assert status == 401
    assert _refusals() == []
