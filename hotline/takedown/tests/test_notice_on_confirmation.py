"""A second analyst's confirmation opens one case and sends its notice through SMTP."""

import time

import pytest
from django.db import transaction

from hotline.assessment.signals import assessment_counted
from hotline.audit.models import AuditEntry
from hotline.capture.models import Capture
from hotline.capture.signals import capture_recorded
from hotline.takedown.models import CaseState, Notice, NoticeStatus, Route, TakedownCase
from hotline.takedown.tests.conftest import case_of, put_up, record_capture

pytestmark = pytest.mark.django_db


def test_confirming_a_url_hosted_here_sends_the_notice_within_a_minute(
    confirmer, provider, mailbox, site
):
    put_up(site, "/gallery/1")
    url = confirmer.url(site.url("/gallery/1"))
    record_capture(url)

    started = time.monotonic()
    assessment = confirmer.confirm(url)
    elapsed = time.monotonic() - started

    [(recipients, message)] = mailbox.messages
    assert recipients == ["abuse@hosting.example.net"]
    case = case_of(url)
    assert case.state == CaseState.NOTIFIED
    assert case.route == Route.PROVIDER
    assert case.assessment == assessment
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.SENT
    assert message["X-Hotline-Reference"] == notice.reference
    assert notice.sent_at is not None
    assert (notice.sent_at - case.opened_at).total_seconds() < 60
    assert elapsed < 60
    assert AuditEntry.objects.filter(action="takedown.notice_sent").exists()


def test_the_notice_lists_the_url_and_references_and_nothing_of_the_reporter(
    confirmer, provider, mailbox, site
):
    put_up(site, "/gallery/2")
    url = confirmer.url(site.url("/gallery/2"))
    record_capture(url)

    confirmer.confirm(url)

    [(_rcpt, message)] = mailbox.messages
    assert not message.is_multipart()  # no attachment, so no imagery can travel with it
    body = mailbox.bodies()[0]
    case = case_of(url)
    assert url.canonical in body
    assert case.reference in body
    assert Notice.objects.get().reference in body
    assert "sample description" not in body
    assert "<img" not in body


def test_a_url_confirmed_before_its_capture_is_routed_when_the_capture_lands(
    confirmer, provider, mailbox, site, django_capture_on_commit_callbacks
):
    put_up(site, "/gallery/3")
    url = confirmer.url(site.url("/gallery/3"))

    confirmer.confirm(url)
    assert case_of(url).state == CaseState.AWAITING_HOSTING
    assert mailbox.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        capture = record_capture(url)
        capture_recorded.send(sender=Capture, capture=capture)

    assert case_of(url).state == CaseState.NOTIFIED
    assert len(mailbox.messages) == 1


def test_a_second_confirmation_of_the_same_url_opens_no_second_case(
    confirmer, provider, mailbox, site, django_capture_on_commit_callbacks
):
    put_up(site, "/gallery/4")
    url = confirmer.url(site.url("/gallery/4"))
    record_capture(url)
    assessment = confirmer.confirm(url)

    with django_capture_on_commit_callbacks(execute=True):
        assessment_counted.send(sender=type(assessment), assessment=assessment)

    assert TakedownCase.objects.filter(url=url).count() == 1
    assert len(mailbox.messages) == 1


def test_a_confirmation_that_rolls_back_leaves_no_case(confirmer, provider, site):
    url = confirmer.url(site.url("/gallery/5"))

    def confirm_then_fail() -> None:
        with transaction.atomic():
            confirmer.confirm(url)
            assert TakedownCase.objects.filter(url=url).exists()
            raise RuntimeError("the confirming transaction fails")

    with pytest.raises(RuntimeError):
        confirm_then_fail()
    assert not TakedownCase.objects.filter(url=url).exists()
