import base64
import random
import re
from datetime import UTC, datetime, timedelta
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotline.accounts.models import Role, User
from hotline.accounts.testing import verified_client
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus
from hotline.capture.models import Capture
from hotline.core.management.commands.demo import plan_demo
from hotline.intake.models import Report, ReportedUrl, ReportingSource, Url, UrlState
from hotline.lists.keys import find_key
from hotline.lists.models import ListEntry, ListName, Member, PublishedList, Scope
from hotline.takedown.models import CaseState, TakedownCase

pytestmark = pytest.mark.django_db
RESERVED = (".example.com", ".example.net", ".example.org", ".test", ".invalid")


def run_demo(*arguments: str) -> str:
    out = StringIO()
    call_command("demo", "--seed", "11", *arguments, stdout=out)
    return out.getvalue()


def printed_accounts(output: str) -> dict[str, dict[str, str]]:
    pattern = r"username: (\S+)\n  role: (.+)\n  password: (\S+)\n  authenticator: (\S+)"
    return {
        username: {"role": role, "password": password, "uri": uri}
        for username, role, password, uri in re.findall(pattern, output)
    }


def test_the_demo_refuses_a_database_that_holds_reports():
    Report.objects.create(
        reference="HL-EXISTING", received_at=datetime.now(UTC), where_seen="web_page",
        content_kind="images", channel="web_form",
    )  # fmt: skip

    with pytest.raises(CommandError, match=r"only fills an empty database.*1 reports"):
        run_demo()

    assert Report.objects.count() == 1
    assert not User.objects.exists()


def test_the_demo_refuses_a_database_that_has_staff(make_staff):
    make_staff(Role.MANAGER, "real-manager")

    with pytest.raises(CommandError, match="1 user accounts"):
        run_demo()

    assert not Report.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["real-manager"]


def test_the_demo_refuses_an_implausible_number_of_reports():
    with pytest.raises(CommandError, match="between 50 and 5000"):
        run_demo("--reports", "10")


def test_the_demo_creates_staff_of_every_role_who_can_sign_in_with_their_authenticator():
    accounts = printed_accounts(run_demo("--reports", "60"))

    roles = sorted(User.objects.values_list("role", flat=True))
    assert roles == sorted([Role.ANALYST] * 3 + [Role.SENIOR_ANALYST, Role.MANAGER])
    assert set(accounts) == set(User.objects.values_list("username", flat=True))
    for username, account in accounts.items():
        user = User.objects.get(username=username)
        assert user.check_password(account["password"])
        secret = parse_qs(urlparse(account["uri"]).query)["secret"][0]
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert device.verify_token(totp(base64.b32decode(secret)))


def test_the_demo_prints_each_password_and_the_member_key_once():
    output = run_demo("--reports", "60")

    for account in printed_accounts(output).values():
        assert output.count(account["password"]) == 1
    member_key = re.search(r"member key: (\S+)", output)
    assert member_key is not None
    assert output.count(member_key[1]) == 1
    found = find_key(member_key[1])
    assert found is not None
    assert set(found.scopes) == set(Scope.values)
    assert found.member.terms_accepted_at is not None


def test_the_demo_fills_sources_reports_and_urls_on_reserved_domains_only():
    run_demo()

    assert Report.objects.count() == 400
    assert ReportingSource.objects.count() == 4
    assert set(ReportingSource.objects.values_list("kind", flat=True)) == {
        "partner_hotline", "platform", "police",
    }  # fmt: skip
    hosts = set(Url.objects.values_list("host", flat=True))
    assert all(host.endswith(RESERVED) for host in hosts)
    assert Url.objects.filter(report_count__gt=1).exists()
    assert Report.objects.filter(source__isnull=True).exists()


def test_url_counts_and_priorities_agree_with_the_reports_that_name_them():
    run_demo("--reports", "150")

    named = dict(ReportedUrl.objects.values("url").annotate(n=Count("pk")).values_list("url", "n"))
    for url in Url.objects.all():
        assert url.report_count == named[url.pk]
        kinds = set(url.reported_urls.values_list("report__source", flat=True))
        assert url.source_count == len(kinds)
        assert url.priority == url.compute_priority()
        assert url.first_reported_at <= url.last_reported_at


def test_the_demo_leaves_cases_at_every_step_of_assessment():
    run_demo()

    states = dict(Url.objects.values("state").annotate(n=Count("pk")).values_list("state", "n"))
    assert states[UrlState.QUEUED] > 0
    assert states[UrlState.AWAITING_CONFIRMATION] > 0
    assert states[UrlState.DISPUTED] == 1
    assert states[UrlState.ASSESSED] > 200
    final = Assessment.objects.filter(status=AssessmentStatus.CONFIRMED)
    assert final.count() == states[UrlState.ASSESSED]
    assert final.filter(outcome="confirmed", confirmations__agrees=True).exists()
    decided = final.values_list("decided_at", flat=True)
    months = {moment.strftime("%Y-%m") for moment in decided if moment is not None}
    assert len(months) >= 12
    assert not Assessment.objects.filter(analyst__role=Role.MANAGER).exists()


def test_the_same_seed_plans_the_same_demo():
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)

    first = plan_demo(random.Random(5), now, 80)

    assert plan_demo(random.Random(5), now, 80) == first
    assert plan_demo(random.Random(6), now, 80) != first


def test_the_managers_statistics_page_shows_the_demo_figures():
    run_demo()
    manager = User.objects.get(role=Role.MANAGER)
    busy_year = (timezone.localdate() - timedelta(days=60)).year

    response = verified_client(manager).get(reverse("stats:overview"), {"year": busy_year})

    figures = response.context["figures"]
    assert response.status_code == 200
    assert figures.totals.reports > 0
    assert figures.totals.confirmed > 0
    assert figures.breakdown("reports_received_by_source").total == figures.totals.reports


def test_every_staff_page_renders_with_the_demo_data():
    run_demo("--reports", "60")
    manager = verified_client(User.objects.get(role=Role.MANAGER))
    senior = verified_client(User.objects.get(role=Role.SENIOR_ANALYST))
    case = TakedownCase.objects.filter(notices__isnull=False).first()
    captured = Capture.objects.filter(media__isnull=False).first()
    member = Member.objects.get()
    assert case is not None
    assert captured is not None
    pages = {
        manager: [
            reverse("takedown:dashboard"),
            reverse("takedown:case", args=[case.pk]),
            reverse("takedown:providers"),
            reverse("takedown:partners"),
            reverse("stats:removal"),
            reverse("lists:overview"),
            reverse("lists:members"),
            reverse("lists:member", args=[member.pk]),
        ],
        senior: [
            reverse("assessment:queue"),
            reverse("assessment:case", args=[captured.url_id]),
            reverse("assessment:confirmations"),
            reverse("assessment:disputes"),
            reverse("lists:keywords"),
        ],
    }

    for client, addresses in pages.items():
        for address in addresses:
            assert client.get(address).status_code == 200, address


def test_the_demo_publishes_each_list_with_entries_and_the_url_list_drops_removed_content():
    run_demo("--reports", "150")

    for name in ListName.values:
        published = PublishedList.objects.get(name=name)
        assert published.latest_version >= 1
        assert published.entry_count > 0
        assert ListEntry.objects.filter(list=published, removed_in__isnull=True).count() == (
            published.entry_count
        )
    urls = PublishedList.objects.get(name=ListName.URLS)
    removed = ListEntry.objects.filter(list=urls, removed_in=urls.latest_version)
    assert removed.exists()
    assert all(entry.data["url"] in removed_urls() for entry in removed)
    terms = ListEntry.objects.filter(list__name=ListName.KEYWORDS).values_list("data", flat=True)
    assert all(data["term"].startswith(("token-", "sample-term-")) for data in terms)


def removed_urls() -> set[str]:
    removed = TakedownCase.objects.filter(state=CaseState.REMOVED)
    return set(removed.values_list("url__canonical", flat=True))


def test_the_lists_console_shows_versions_for_the_manager():
    run_demo("--reports", "60")
    manager = User.objects.get(role=Role.MANAGER)

    response = verified_client(manager).get(reverse("lists:overview"))

    assert response.status_code == 200
    versions = {row["list"].name: row["versions"] for row in response.context["lists"]}
    assert set(versions) == set(ListName.values)
    assert all(versions.values())
