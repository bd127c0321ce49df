from django.test import Client
from django.urls import reverse

from conftest import STAFF_PASSWORD
from hotline.accounts.models import User
from hotline.accounts.testing import verified_client
from hotline.audit.models import AuditEntry

PAGE = reverse("accounts:password_change")
NEW_PASSWORD = "a quite different phrase 42"


def password_of(user: User, password: str) -> bool:
    return User.objects.get(pk=user.pk).check_password(password)


def change(client: Client, old: str, new: str, again: str | None = None) -> str:
    response = client.post(
        PAGE, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_staff_change_their_password_and_the_change_is_audited(analyst: User) -> None:
    client = verified_client(analyst)

    location = change(client, STAFF_PASSWORD, NEW_PASSWORD)

    assert location == reverse("accounts:home")
    assert password_of(analyst, NEW_PASSWORD)
    changes = AuditEntry.objects.filter(action="account.password_changed", actor_id=analyst.pk)
    assert changes.count() == 1


def test_the_session_that_changed_the_password_stays_signed_in(analyst: User) -> None:
    client = verified_client(analyst)

    change(client, STAFF_PASSWORD, NEW_PASSWORD)

    assert client.get(reverse("assessment:queue")).status_code == 200


def test_other_sessions_end_when_the_password_changes(analyst: User) -> None:
    other = verified_client(analyst)
    client = verified_client(analyst)

    change(client, STAFF_PASSWORD, NEW_PASSWORD)

    assert other.get(reverse("assessment:queue")).status_code == 302


def test_a_wrong_current_password_changes_nothing(analyst: User) -> None:
    client = verified_client(analyst)

    html = change(client, "not my password at all", NEW_PASSWORD)

    assert "There is a problem" in html
    assert password_of(analyst, STAFF_PASSWORD)
    assert not AuditEntry.objects.filter(action="account.password_changed").exists()


def test_a_weak_new_password_is_refused_with_the_reason(analyst: User) -> None:
    html = change(verified_client(analyst), STAFF_PASSWORD, "short")

    assert "too short" in html
    assert password_of(analyst, STAFF_PASSWORD)


def test_the_page_needs_the_second_factor(analyst: User) -> None:
    client = Client()
    client.force_login(analyst)

    response = client.get(PAGE)

    assert response["Location"] == reverse("accounts:two_factor")
