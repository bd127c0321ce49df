"""`hotline demo` takedown: a case for every confirmed url, routed by the directory, in every state,
with removal times spread so that the removal statistics have something to show. No email."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from hotline.accounts.models import Role, User
from hotline.accounts.testing import verified_client
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus, Outcome
from hotline.takedown.models import (
    CaseState,
    Notice,
    NoticeKind,
    NoticeStatus,
    Partner,
    Provider,
    Route,
    TakedownCase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo", "--seed", "5", "--reports", "150", stdout=StringIO())


def test_every_confirmed_url_has_a_case_in_one_of_several_states_and_no_email_left(demo):
    confirmed = Assessment.objects.filter(
        status=AssessmentStatus.CONFIRMED, outcome=Outcome.CONFIRMED
    )
    cases = TakedownCase.objects.all()

    assert set(cases.values_list("url", flat=True)) == set(confirmed.values_list("url", flat=True))
    assert {CaseState.REMOVED, CaseState.NOTIFIED} <= set(cases.values_list("state", flat=True))
    assert {Route.PROVIDER, Route.PARTNER} <= set(cases.values_list("route", flat=True))
    assert mail.outbox == []
    for case in cases.filter(state=CaseState.REMOVED, removed_before_notice=False):
        assert case.first_notified_at is not None
        assert case.removed_at is not None
        assert case.first_notified_at <= case.removed_at
        sent = case.notices.filter(status=NoticeStatus.SENT).exclude(kind=NoticeKind.ESCALATION)
        assert sent.count() == case.notice_count


def test_demo_notices_are_rendered_from_the_templates_and_name_only_reserved_addresses(demo):
    notice = Notice.objects.filter(kind=NoticeKind.NOTICE, status=NoticeStatus.SENT).last()

    assert notice is not None
    case = notice.cases.get()
    assert notice.reference in notice.body
    assert case.url.canonical in notice.body
    assert notice.provider is not None
    assert notice.recipient == notice.provider.abuse_email
    assert notice.subject.startswith(f"Notice {notice.reference}")
    recipients = list(Provider.objects.values_list("abuse_email", flat=True))
    recipients += list(Partner.objects.values_list("email", flat=True))
    assert all(address.endswith(".example.net") for address in recipients)


def test_the_manager_sees_removal_statistics_spread_over_time_and_the_console(demo):
    manager = User.objects.get(role=Role.MANAGER)
    latest = TakedownCase.objects.exclude(first_notified_at=None).latest("first_notified_at")
    client = verified_client(manager)
    assert latest.first_notified_at is not None
    year = latest.first_notified_at.year

    statistics = client.get(reverse("stats:removal"), {"year": year})
    console = client.get(reverse("takedown:dashboard"))

    assert statistics.status_code == 200
    overall = statistics.context["figures"].overall
    assert overall.removed > 0
    assert overall.still_up > 0
    buckets = dict(overall.bucket_counts())
    assert sum(1 for code in ("under_2h", "2h_to_24h", "1d_to_7d") if buckets[code]) >= 2
    assert console.status_code == 200
    assert console.context["no_contact"]
    assert console.context["troubled"]
