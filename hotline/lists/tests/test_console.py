import json
import re
from collections.abc import Callable

import pytest
from django.test import Client

from hotline.accounts.models import User
from hotline.assessment.media_grades import MediaGrade
from hotline.audit.models import AuditEntry
from hotline.lists.models import ListVersion, Member, MemberKey

pytestmark = pytest.mark.django_db

KEY_SHOWN = re.compile(r'id="member-key">(hlm_[0-9a-f]+\.[\w-]+)<')


def _create_member_with_key(manager_client: Client, scopes: list[str]) -> tuple[Member, str]:
    response = manager_client.post(
        "/staff/lists/members/", {"name": "Sample Platform", "contact_email": "ops@example.com"}
    )
    created = Member.objects.get(name="Sample Platform")
    assert response.url == f"/staff/lists/members/{created.pk}/"  # type: ignore[attr-defined]
    manager_client.post(f"/staff/lists/members/{created.pk}/terms/", {"accepted_on": "2026-01-05"})
    page = manager_client.post(
        f"/staff/lists/members/{created.pk}/keys/", {"scopes": scopes, "expires_on": "2099-01-01"}
    )
    match = KEY_SHOWN.search(page.content.decode())
    assert match is not None
    assert page["Cache-Control"] == "no-store"
    return created, match.group(1)


def test_a_member_created_in_the_console_downloads_the_hash_list_and_a_delta(
    manager_client: Client, make_grade: Callable[..., MediaGrade]
) -> None:
    first = make_grade()
    manager_client.post("/staff/lists/hashes/publish/")
    _member, key = _create_member_with_key(manager_client, ["hashes"])
    second = make_grade()
    manager_client.post("/staff/lists/hashes/publish/")
    member_api = Client(headers={"Authorization": f"Bearer {key}"})

    full = json.loads(member_api.get("/api/v1/lists/hashes").getvalue())
    delta = json.loads(member_api.get("/api/v1/lists/hashes/delta?since=1").getvalue())

    assert {entry["sha256"] for entry in full["entries"]} == {
        first.media_item.sha256,
        second.media_item.sha256,
    }
    assert [(e["sha256"], e["op"]) for e in delta["entries"]] == [(second.media_item.sha256, "add")]


def test_the_key_is_shown_once_and_only_its_hash_is_kept(manager_client: Client) -> None:
    created, key = _create_member_with_key(manager_client, ["hashes", "match"])

    stored = MemberKey.objects.get(member=created)
    assert stored.scopes == ["hashes", "match"]
    assert stored.key_hash == MemberKey.hash_key(key)
    member_page = manager_client.get(f"/staff/lists/members/{created.pk}/").content.decode()
    assert key not in member_page
    assert stored.prefix in member_page


def test_a_manager_revokes_a_key(manager_client: Client) -> None:
    created, key = _create_member_with_key(manager_client, ["hashes"])
    stored = MemberKey.objects.get(member=created)

    manager_client.post(f"/staff/lists/members/{created.pk}/keys/{stored.pk}/revoke/")

    stored.refresh_from_db()
    assert stored.revoked_at is not None
    response = Client().get("/api/v1/lists/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_a_key_needs_a_scope_and_a_future_expiry(manager_client: Client, member: Member) -> None:
    response = manager_client.post(
        f"/staff/lists/members/{member.pk}/keys/", {"expires_on": "2001-01-01"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Choose a date after today." in page
    assert not MemberKey.objects.exists()


def test_terms_cannot_be_accepted_in_the_future(manager_client: Client, member: Member) -> None:
    response = manager_client.post(
        f"/staff/lists/members/{member.pk}/terms/", {"accepted_on": "2999-01-01"}
    )

    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()


def test_publishing_now_says_when_nothing_changed(
    manager_client: Client, make_grade: Callable[..., MediaGrade], manager: User
) -> None:
    make_grade()
    first = manager_client.post("/staff/lists/hashes/publish/", follow=True).content.decode()
    again = manager_client.post("/staff/lists/hashes/publish/", follow=True).content.decode()

    assert "Hash list version 1 is published: 1 added, 0 removed." in first
    assert "Hash list has not changed since version 1: no new version." in again
    assert ListVersion.objects.get().published_by == manager


def test_the_overview_charts_each_lists_versions(
    manager_client: Client, make_grade: Callable[..., MediaGrade]
) -> None:
    make_grade()
    manager_client.post("/staff/lists/hashes/publish/")

    page = manager_client.get("/staff/lists/").content.decode()

    assert 'id="versions-hashes-caption"' in page
    assert "<svg" in page


def test_a_manager_suspends_a_member(manager_client: Client, member: Member) -> None:
    manager_client.post(f"/staff/lists/members/{member.pk}/active/", {"active": "0"})

    member.refresh_from_db()
    assert member.active is False
    assert AuditEntry.objects.filter(action="lists.member.suspended").exists()


@pytest.mark.parametrize(
    "path", ["/staff/lists/", "/staff/lists/members/", "/staff/lists/hashes/publish/"]
)
def test_analysts_cannot_administer_lists_or_members(analyst_client: Client, path: str) -> None:
    assert analyst_client.post(path).status_code == 403
    assert not ListVersion.objects.exists()
