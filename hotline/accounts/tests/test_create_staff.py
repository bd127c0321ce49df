from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hotline.accounts.models import Role, User
from hotline.audit.log import verify_chain
from hotline.audit.models import AuditEntry


def create_staff(*args: str, **options: str) -> str:
    out = StringIO()
    call_command("create_staff", *args, stdout=out, **options)
    return out.getvalue()


def printed_password(output: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith("Password"))
    return line.rsplit(" ", 1)[1]


def test_creates_an_account_with_its_role_and_a_strong_password_printed_once(db):
    output = create_staff("sample-analyst", role=Role.ANALYST, email="analyst@example.org")

    user = User.objects.get(username="sample-analyst")
    password = printed_password(output)
    assert user.role == Role.ANALYST
    assert user.email == "analyst@example.org"
    assert len(password) >= 24
    assert user.check_password(password)
    assert output.count(password) == 1
    assert "authenticator app" in output


def test_each_account_gets_a_different_password(db):
    first = printed_password(create_staff("sample-one", role=Role.ANALYST))
    second = printed_password(create_staff("sample-two", role=Role.ANALYST))

    assert first != second


def test_a_manager_account_may_open_the_admin_and_an_analyst_may_not(db):
    create_staff("sample-manager", role=Role.MANAGER)
    create_staff("sample-senior", role=Role.SENIOR_ANALYST)

    assert User.objects.get(username="sample-manager").is_staff
    assert not User.objects.get(username="sample-senior").is_staff


def test_creation_is_audited(db):
    create_staff("sample-analyst", role=Role.ANALYST)

    entry = AuditEntry.objects.get(action="account.created")
    assert entry.object_id == str(User.objects.get(username="sample-analyst").pk)
    assert entry.detail == {"role": "analyst", "via": "command"}
    assert list(verify_chain()) == []


def test_an_existing_username_is_refused_and_the_account_is_untouched(analyst):
    password_before = analyst.password

    with pytest.raises(CommandError, match="already exists"):
        create_staff(analyst.username, role=Role.MANAGER)

    analyst.refresh_from_db()
    assert analyst.role == Role.ANALYST
    assert analyst.password == password_before


def test_an_unknown_role_is_refused(db):
    with pytest.raises(CommandError, match="invalid choice"):
        create_staff("sample-boss", role="boss")

    assert not User.objects.filter(username="sample-boss").exists()


def test_a_role_is_required(db):
    with pytest.raises(CommandError, match="--role"):
        create_staff("sample-nobody")


def test_a_bad_email_is_refused(db):
    with pytest.raises(CommandError, match="valid email"):
        create_staff("sample-analyst", role=Role.ANALYST, email="not an email")

    assert not User.objects.exists()


def test_a_bad_username_is_refused(db):
    with pytest.raises(CommandError, match="Enter a valid username"):
        create_staff("sample analyst!", role=Role.ANALYST)
