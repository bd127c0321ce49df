"""Rechecks find content gone only after consecutive absent checks, record when it went, reopen
a case whose content returns, and send repeat notices and escalations while it stays up."""

from dataclasses import replace
from datetime import datetime, timedelta
from ipaddress import ip_address

import pytest
from django.utils import timezone

from hotline.capture.errors import DnsFailure
from hotline.capture.fetcher import Fetcher, FetchPolicy
from hotline.capture.tests.servers import redirect
from hotline.takedown import rechecks, sending
from hotline.takedown.models import CaseState, Notice, NoticeKind
from hotline.takedown.tests.conftest import case_of, put_up, record_capture, take_down

pytestmark = pytest.mark.django_db
STEP = timedelta(minutes=15)


@pytest.fixture
def noticed(confirmer, provider, site, mailbox):
    put_up(site, "/page")
    url = confirmer.url(site.url("/page"))
    record_capture(url)
    confirmer.confirm(url)
    assert case_of(url).state == CaseState.NOTIFIED
    return url


def cycles(count: int, start: datetime | None = None) -> datetime:
    """Run `count` recheck cycles one interval apart from `start`; the time after the last."""
    now = start or timezone.now()
    for _ in range(count):
        now += STEP
        rechecks.run_cycle(now)
    return now


def test_content_gone_on_three_checks_in_a_row_is_removed_at_the_first(noticed, site):
    cycles(1)
    take_down(site, "/page")
    first_absent = timezone.now() + 2 * STEP

    cycles(2, start=timezone.now() + STEP)
    assert case_of(noticed).state == CaseState.NOTIFIED
    cycles(1, start=timezone.now() + 3 * STEP)

    case = case_of(noticed)
    assert case.state == CaseState.REMOVED
    assert case.removed_at is not None
    assert abs(case.removed_at - first_absent) < timedelta(seconds=5)
    assert case.removed_before_notice is False
    assert case.hours_to_removal == pytest.approx(0.5, abs=0.01)


def test_a_url_that_flaps_up_and_down_is_never_removed(noticed, site):
    now = timezone.now()
    for up in (False, False, True, False, False, True, False, False):
        (put_up if up else take_down)(site, "/page")
        now += STEP
        rechecks.run_cycle(now)

    case = case_of(noticed)
    assert case.state == CaseState.NOTIFIED
    assert case.consecutive_absent == 2


def test_a_host_whose_name_stops_resolving_is_removed_only_after_consecutive_failures(
    confirmer, provider, site, mailbox, settings
):
    table = {"files.example.test": ["127.0.0.1"]}

    def resolve(host, timeout):
        if host not in table:
            raise DnsFailure(f"{host}: no such host")
        return [ip_address(address) for address in table[host]]

    fetcher = Fetcher(replace(FetchPolicy.from_settings(), total_timeout=5), resolver=resolve)
    put_up(site, "/page")
    url = confirmer.url(site.url("/page", host="files.example.test"))
    record_capture(url)
    confirmer.confirm(url)

    now = timezone.now() + STEP
    rechecks.run_cycle(now, fetcher)
    table.clear()
    for _ in range(2):
        now += STEP
        rechecks.run_cycle(now, fetcher)
        assert case_of(url).state == CaseState.NOTIFIED
    now += STEP
    rechecks.run_cycle(now, fetcher)

    case = case_of(url)
    assert case.state == CaseState.REMOVED
    assert "no such host" in case.last_check_detail


def test_a_redirect_to_another_page_counts_as_absent(noticed, site):
    site.routes["/page"] = redirect("/")
    put_up(site, "/")
    cycles(3)

    assert case_of(noticed).state == CaseState.REMOVED


def test_content_that_comes_back_reopens_the_case_and_notifies_again(noticed, site, mailbox):
    take_down(site, "/page")
    now = cycles(3)
    assert case_of(noticed).state == CaseState.REMOVED

    put_up(site, "/page")
    now += timedelta(days=1)
    rechecks.run_cycle(now)

    case = case_of(noticed)
    assert (case.state, case.reopened_count, case.removed_at) == (CaseState.NOTIFIED, 1, None)
    sending.send_all_due(now)
    assert len(mailbox.messages) == 2
    assert case_of(noticed).notice_count == 2


def test_a_url_removed_before_its_first_notice_gets_no_notice(confirmer, site, mailbox):
    url = confirmer.url(site.url("/already-gone"))
    record_capture(url)
    confirmer.confirm(url)  # no provider known: it waits for a contact
    assert case_of(url).state == CaseState.NO_CONTACT

    cycles(3)

    case = case_of(url)
    assert (case.state, case.removed_before_notice) == (CaseState.REMOVED, True)
    assert case.hours_to_removal is None
    assert mailbox.messages == []


def test_a_due_notice_waits_while_the_last_check_found_the_page_absent(
    confirmer, provider, site, mailbox
):
    mailbox.refuse_message = True
    url = confirmer.url(site.url("/missing"))
    record_capture(url)
    confirmer.confirm(url)
    mailbox.refuse_message = False

    now = cycles(1)
    assert sending.send_all_due(now + timedelta(hours=1)) == 0
    assert mailbox.messages == []


def test_a_repeat_notice_goes_out_while_the_page_stays_up(noticed, mailbox, settings):
    now = timezone.now()
    for _hour in range(settings.HOTLINE_TAKEDOWN_REPEAT_HOURS - 1):
        now += timedelta(hours=1)
        rechecks.run_cycle(now)
        sending.send_all_due(now)
    assert len(mailbox.messages) == 1

    now += timedelta(hours=1, minutes=5)
    rechecks.run_cycle(now)
    sending.send_all_due(now)

    assert len(mailbox.messages) == 2
    assert "repeat notice" in mailbox.bodies()[1]
    assert case_of(noticed).notice_count == 2


def test_after_the_configured_repeats_the_case_is_escalated_to_law_enforcement(
    noticed, mailbox, police, settings
):
    settings.HOTLINE_TAKEDOWN_ESCALATE_AFTER = 2
    now = timezone.now()
    for _day in range(3):
        now += timedelta(hours=24, minutes=1)
        rechecks.run_cycle(now)
        sending.send_all_due(now)

    case = case_of(noticed)
    assert case.notice_count == 4
    assert case.escalated_at is not None
    assert case.escalation_sent_at is not None
    escalation = Notice.objects.get(kind=NoticeKind.ESCALATION)
    assert escalation.recipient == police.email
    assert [rcpt for rcpt, _ in mailbox.messages].count([police.email]) == 1


def test_a_cycle_where_no_host_answers_at_all_counts_for_nothing(
    confirmer, provider, site, mailbox
):
    urls = []
    for number in range(5):
        put_up(site, f"/p/{number}")
        url = confirmer.url(site.url(f"/p/{number}"))
        record_capture(url)
        confirmer.confirm(url)
        urls.append(url)
    site.close()

    result = rechecks.run_cycle(timezone.now() + STEP)

    assert result.postponed == 5
    assert all(case_of(url).consecutive_absent == 0 for url in urls)
