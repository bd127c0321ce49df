"""Keys for reporting sources: printed once, stored only as a hash, revocable; admin pages."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hotline.accounts.models import Role
from hotline.accounts.testing import verified_client
from hotline.audit.models import AuditEntry
from hotline.intake.models import Report, ReportingSource, SourceApiKey, SourceKind, Url
from hotline.intake.source_keys import source_for_key
from hotline.intake.tests.test_report_api import REPORT

pytestmark = pytest.mark.django_db


def create_key(*args: str) -> tuple[str, str]:
    out = StringIO()
    call_command("create_source_key", *args, stdout=out)
    text = out.getvalue()
    key = re.search(r"^Key: (\S+)$", text, re.M)
    assert key is not None
    return key[1], text


def test_create_source_key_makes_the_source_and_prints_a_working_key_once():
    key, output = create_key("Partner hotline", "--kind", "partner_hotline", "--weight", "5")
    source = ReportingSource.objects.get()
    assert (source.name, source.kind, source.priority_weight) == (
        "Partner hotline",
        SourceKind.PARTNER_HOTLINE,
        5,
    )
    assert output.count(key) == 1
    assert source_for_key(key) == source


def test_only_the_hash_of_a_key_is_stored():
    key, _ = create_key("Partner hotline", "--kind", "partner_hotline")
    stored = SourceApiKey.objects.get()
    assert stored.key_hash == SourceApiKey.hash_key(key)
    assert key.partition(".")[2] not in repr(list(SourceApiKey.objects.values()))
    assert key.startswith(stored.prefix + ".")


def test_second_key_for_an_existing_source_reuses_it_and_may_change_its_weight():
    first, _ = create_key("Platform", "--kind", "platform")
    second, _ = create_key("Platform", "--kind", "platform", "--weight", "3")
    assert first != second
    assert ReportingSource.objects.get().priority_weight == 3
    assert SourceApiKey.objects.count() == 2


def test_existing_source_of_another_kind_is_an_error():
    create_key("Platform", "--kind", "platform")
    with pytest.raises(CommandError, match="already exists as a source of kind platform"):
        create_key("Platform", "--kind", "police")


def test_unknown_kind_is_an_error():
    with pytest.raises(CommandError):
        create_key("Somebody", "--kind", "friend")


def test_out_of_range_weight_is_an_error():
    with pytest.raises(CommandError, match="--weight"):
        create_key("Platform", "--kind", "platform", "--weight", "-1")


def test_revoke_source_key_stops_the_key_and_is_audited():
    key, _ = create_key("Partner hotline", "--kind", "partner_hotline")
    prefix = key.partition(".")[0]
    out = StringIO()
    call_command("revoke_source_key", prefix, stdout=out)
    assert "revoked" in out.getvalue()
    assert source_for_key(key) is None
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "intake.source_key.issued",
        "intake.source_key.revoked",
    ]


def test_revoking_an_unknown_prefix_is_an_error():
    with pytest.raises(CommandError, match="No key has the prefix"):
        call_command("revoke_source_key", "hl_nothere")


@pytest.fixture
def admin_client(make_staff):
    user = make_staff(Role.MANAGER, "admin-one")
    user.is_staff = user.is_superuser = True
    user.save()
    return verified_client(user)


def test_admin_lists_sources_keys_reports_and_urls_without_links_to_addresses(admin_client, client):
    create_key("Partner hotline", "--kind", "partner_hotline")
    client.post("/api/v1/reports", REPORT, content_type="application/json")
    for model in ("reportingsource", "sourceapikey", "report", "url"):
        response = admin_client.get(f"/staff/admin/intake/{model}/")
        assert response.status_code == 200, model
        assert 'href="http://example.com' not in response.content.decode()
    for model, pk in (("report", Report.objects.get().pk), ("url", Url.objects.get().pk)):
        page = admin_client.get(f"/staff/admin/intake/{model}/{pk}/change/").content.decode()
        assert "http://example.com/page" in page
        assert 'href="http://example.com' not in page
    key_id = SourceApiKey.objects.get().pk
    key_page = admin_client.get(f"/staff/admin/intake/sourceapikey/{key_id}/change/")
    assert key_page.status_code == 200
    assert 'name="key_hash"' not in key_page.content.decode()
