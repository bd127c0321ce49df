"""The confirmation email, through a real SMTP server; a failing server never loses a report."""

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from hotline.intake.models import Report
from hotline.intake.tests.conftest import ReporterBrowser, reference_in

# Real commits: the email is enqueued once the report's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


class Mailbox:
    """An SMTP handler that keeps what it receives, or refuses every message when told to."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "554 Transaction failed"
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    ):
        yield mailbox
    controller.stop()


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def test_reporter_who_leaves_an_email_receives_the_reference(mailbox, browser):
    response = browser.send(
        urls="http://example.com/a\nhttp://example.com/b",
        description="sample description",
        contact_email="reporter@example.org",
    )
    reference = reference_in(response)
    assert "send the reference to the email address you gave" in response.content.decode()
    [(recipients, message)] = mailbox.messages
    assert recipients == ["reporter@example.org"]
    assert reference in str(make_header(decode_header(message["Subject"])))
    body = body_of(message)
    assert reference in body
    assert "2 web addresses" in body


def test_confirmation_echoes_nothing_of_the_report_but_its_reference(mailbox, browser):
    browser.send(urls="http://example.com/secret-path", description="sample description zz9")
    browser.send(
        urls="http://example.com/secret-path",
        description="sample description zz9",
        contact_email="reporter@example.org",
    )
    [(_, message)] = mailbox.messages
    text = message.as_string()
    assert "secret-path" not in text
    assert "zz9" not in body_of(message)
    assert "Images" not in body_of(message)


def test_no_email_is_sent_without_an_address(mailbox, browser):
    browser.send(contact_email="")
    assert Report.objects.count() == 1
    assert mailbox.messages == []


def test_replayed_submission_sends_no_second_email(mailbox, browser):
    form = browser.open_form()
    browser.send(form, contact_email="reporter@example.org")
    browser.send(form, contact_email="reporter@example.org")
    assert len(mailbox.messages) == 1


def test_email_is_written_in_the_language_of_the_report(mailbox, browser):
    form = browser.open_form(HTTP_ACCEPT_LANGUAGE="fr")
    browser.client.post(
        "/report/",
        {**form, "urls": "http://example.com/", "where_seen": "chat", "content_kind": "text",
         "contact_email": "reporter@example.org"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    [(_, message)] = mailbox.messages
    assert "Votre référence" in body_of(message)


def test_smtp_server_refusing_the_message_never_loses_the_report(mailbox, browser):
    mailbox.refuse = True
    response = browser.send(contact_email="reporter@example.org")
    assert response.status_code == 200
    report = Report.objects.get()
    assert reference_in(response) == report.reference
    assert report.contact_email == "reporter@example.org"
    assert mailbox.messages == []


def test_smtp_server_that_is_down_never_loses_the_report(browser):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),
        EMAIL_TIMEOUT=2,
    ):
        response = browser.send(contact_email="reporter@example.org")
    assert response.status_code == 200
    assert Report.objects.get().reference == reference_in(response)


def test_api_report_with_an_email_sends_the_confirmation(mailbox, client):
    response = client.post(
        "/api/v1/reports",
        {"urls": ["http://example.com/"], "where_seen": "chat", "content_kind": "text",
         "contact_email": "reporter@example.org"},
        content_type="application/json",
    )  # fmt: skip
    [(_, message)] = mailbox.messages
    assert response.json()["reference"] in body_of(message)


@pytest.fixture
def browser() -> ReporterBrowser:
    return ReporterBrowser()
