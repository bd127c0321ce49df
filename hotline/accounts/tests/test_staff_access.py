import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import STAFF_PASSWORD
from hotline.accounts.models import Role, User
from hotline.accounts.testing import verified_client
from hotline.audit.log import record, verify_chain
from hotline.audit.models import AuditEntry

HOME = "/staff/"


@pytest.mark.parametrize(
    ("role", "destination"),
    [
        (Role.ANALYST, "assessment:queue"),
        (Role.SENIOR_ANALYST, "assessment:queue"),
        (Role.MANAGER, "stats:overview"),
    ],
)
def test_home_sends_each_role_to_its_own_page(make_staff, role, destination):
    client = verified_client(make_staff(role))

    assert client.get(HOME)["Location"] == reverse(destination)


def test_anonymous_visitor_is_sent_to_sign_in(db):
    response = Client().get(HOME)

    assert response["Location"] == f"{reverse('accounts:login')}?next=/staff/"


@pytest.mark.parametrize("page", ["accounts:home", "assessment:queue", "stats:overview"])
def test_an_unverified_session_is_sent_to_the_second_factor_from_a_staff_page(make_staff, page):
    client = Client()
    client.force_login(make_staff(Role.MANAGER if page.startswith("stats") else Role.ANALYST))

    response = client.get(reverse(page))

    assert response["Location"] == reverse("accounts:two_factor")


def test_a_signed_in_person_without_a_role_gets_403_and_it_is_audited(make_staff):
    no_role = make_staff("", "no-role")
    client = verified_client(no_role)

    response = client.get(HOME)

    assert response.status_code == 403
    assert "This attempt has been recorded." in response.content.decode()
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor_id == no_role.pk
    assert entry.detail["path"] == HOME
    assert list(verify_chain()) == []


def test_the_admin_asks_for_the_second_factor(manager):
    client = Client()
    client.force_login(manager)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_analyst_cannot_open_the_admin(analyst_client):
    response = analyst_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_manager_sees_accounts_pauses_devices_and_the_audit_log_in_the_admin(manager_client):
    html = manager_client.get(reverse("admin:index")).content.decode()

    for changelist in (
        "accounts_user_changelist",
        "axes_accessattempt_changelist",
        "otp_totp_totpdevice_changelist",
        "audit_auditentry_changelist",
    ):
        assert reverse(f"admin:{changelist}") in html


def test_the_audit_log_in_the_admin_is_read_only(manager_client):
    entry = record("sample.action", detail={"note": "sample"})

    listing = manager_client.get(reverse("admin:audit_auditentry_changelist"))
    detail = manager_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    delete = manager_client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk]))
    add = manager_client.get(reverse("admin:audit_auditentry_add"))

    assert listing.status_code == 200
    assert "sample.action" in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert delete.status_code == 403
    assert add.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_refusal_inside_the_admin_is_audited(manager, manager_client):
    manager_client.get(reverse("admin:audit_auditentry_add"))

    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor_id == manager.pk
    assert entry.detail["path"] == reverse("admin:audit_auditentry_add")


def test_a_superuser_cannot_change_the_audit_log_either(db):
    admin_user = User.objects.create_superuser("sample-admin", password=STAFF_PASSWORD)
    TOTPDevice.objects.create(user=admin_user, name="default", confirmed=True)
    entry = record("sample.action")
    client = verified_client(admin_user)

    response = client.post(
        reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_manager_changes_a_role_and_the_change_is_audited(manager, manager_client, analyst):
    response = manager_client.post(
        reverse("admin:accounts_user_change", args=[analyst.pk]),
        {
            "username": analyst.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "role": Role.SENIOR_ANALYST,
            "is_active": "on",
        },
    )

    analyst.refresh_from_db()
    assert response.status_code == 302, response.content
    assert analyst.role == Role.SENIOR_ANALYST
    entry = AuditEntry.objects.get(action="account.changed")
    assert entry.actor_id == manager.pk
    assert entry.detail["role"] == Role.SENIOR_ANALYST


def test_a_manager_cannot_make_anyone_a_superuser(manager, manager_client, analyst):
    response = manager_client.post(
        reverse("admin:accounts_user_change", args=[analyst.pk]),
        {
            "username": analyst.username,
            "email": "analyst@example.org",
            "role": Role.ANALYST,
            "is_active": "on",
            "is_superuser": "on",
        },
    )

    analyst.refresh_from_db()
    assert response.status_code == 302
    assert analyst.email == "analyst@example.org"
    assert not analyst.is_superuser


def test_a_manager_cannot_change_a_superuser(manager_client):
    admin_user = User.objects.create_superuser("sample-admin", password=STAFF_PASSWORD)

    response = manager_client.get(reverse("admin:accounts_user_change", args=[admin_user.pk]))

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_the_staff_flag_follows_the_manager_role(analyst):
    analyst.role = Role.MANAGER
    analyst.save(update_fields=["role"])
    analyst.refresh_from_db()
    promoted = analyst.is_staff

    analyst.role = Role.ANALYST
    analyst.save()
    analyst.refresh_from_db()

    assert promoted
    assert not analyst.is_staff
