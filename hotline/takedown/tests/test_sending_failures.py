"""A notice counts as sent only when the SMTP server accepted it; failures are retried, bounces
send the provider back to the no-contact queue."""

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from hotline.takedown import sending
from hotline.takedown.models import CaseState, ContactStatus, Notice, NoticeStatus
from hotline.takedown.tests.conftest import (
    case_of,
    free_port,
    put_up,
    record_capture,
    smtp_settings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(confirmer, provider, site):
    put_up(site, "/page")
    url = confirmer.url(site.url("/page"))
    record_capture(url)
    return url


@pytest.fixture
def silent_smtp() -> Iterator[int]:
    """A port that accepts connections and never says a word, like a hung mail server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_an_smtp_server_that_refuses_connections_marks_nothing_sent(confirmer, confirmed):
    with override_settings(**smtp_settings(free_port())):
        confirmer.confirm(confirmed)

    case = case_of(confirmed)
    assert case.state == CaseState.DUE
    assert (case.notice_count, case.first_notified_at, case.pending_notice) == (0, None, None)
    assert case.notice_due_at is not None
    assert case.notice_due_at > timezone.now()
    failed = Notice.objects.get()
    assert failed.status == NoticeStatus.FAILED
    assert "Connection" in failed.error or "refused" in failed.error


def test_an_smtp_server_that_times_out_marks_nothing_sent(confirmer, confirmed, silent_smtp):
    with override_settings(**smtp_settings(silent_smtp, timeout=1)):
        confirmer.confirm(confirmed)

    case = case_of(confirmed)
    assert (case.state, case.notice_count) == (CaseState.DUE, 0)
    assert Notice.objects.get().status == NoticeStatus.FAILED


def test_a_failed_notice_is_retried_by_the_cycle_once_the_server_accepts(
    confirmer, confirmed, mailbox
):
    mailbox.refuse_message = True
    confirmer.confirm(confirmed)
    assert case_of(confirmed).state == CaseState.DUE
    assert mailbox.messages == []

    mailbox.refuse_message = False
    sending.send_all_due(timezone.now() + timedelta(minutes=5))

    case = case_of(confirmed)
    assert (case.state, case.notice_count) == (CaseState.NOTIFIED, 1)
    assert len(mailbox.messages) == 1
    statuses = sorted(Notice.objects.values_list("status", flat=True))
    assert statuses == [NoticeStatus.FAILED, NoticeStatus.SENT]


def test_a_refused_address_is_a_bounce_and_the_provider_returns_to_the_no_contact_queue(
    confirmer, confirmed, mailbox, provider
):
    mailbox.refuse_recipients.add(provider.abuse_email)

    confirmer.confirm(confirmed)

    provider.refresh_from_db()
    assert provider.contact_status == ContactStatus.BOUNCING
    case = case_of(confirmed)
    assert (case.state, case.notice_count) == (CaseState.NO_CONTACT, 0)
    assert Notice.objects.get().status == NoticeStatus.BOUNCED


def test_a_bounce_entered_by_a_manager_moves_the_providers_cases_to_the_queue(
    confirmer, confirmed, mailbox, provider, manager
):
    confirmer.confirm(confirmed)
    assert case_of(confirmed).state == CaseState.NOTIFIED

    sending.mark_bouncing(provider, reason="bounce message received", actor=manager)

    assert case_of(confirmed).state == CaseState.NO_CONTACT
    assert sending.send_all_due(timezone.now() + timedelta(days=2)) == 0


def test_a_batch_left_sending_by_a_crash_is_sent_again(confirmer, confirmed, mailbox):
    mailbox.refuse_message = True
    confirmer.confirm(confirmed)
    notice = Notice.objects.get()
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.SENDING)
    case = case_of(confirmed)
    case.pending_notice = notice
    case.save()
    mailbox.refuse_message = False

    sending.send_all_due(timezone.now() + timedelta(minutes=30))  # releases the stale batch
    assert mailbox.messages == []
    sending.send_all_due(timezone.now() + timedelta(minutes=40))  # and retries it

    assert case_of(confirmed).notice_count == 1
    assert len(mailbox.messages) == 1


def test_urls_due_for_one_provider_go_in_one_email(confirmer, provider, site, mailbox):
    mailbox.refuse_message = True
    urls = []
    for number in range(3):
        put_up(site, f"/page/{number}")
        url = confirmer.url(site.url(f"/page/{number}"))
        record_capture(url)
        confirmer.confirm(url)
        urls.append(url)
    mailbox.refuse_message = False

    sending.send_all_due(timezone.now() + timedelta(hours=1))

    assert len(mailbox.messages) == 1
    body = mailbox.bodies()[0]
    assert all(url.canonical in body for url in urls)
    assert "3 web addresses" in body
