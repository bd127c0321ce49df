"""Benign takedown fixtures: a real SMTP server, a local web server whose pages come and go,
the directory, and urls confirmed by two analysts the way the console does it."""

import itertools
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from hotline.accounts.models import User
from hotline.assessment import claims
from hotline.assessment.grade import Grade
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AgeBand, Category, Outcome, Sex
from hotline.capture.models import Capture, CaptureStatus
from hotline.capture.tests.servers import LocalServer, respond
from hotline.intake.models import Url
from hotline.takedown.models import (
    ContactStatus,
    Partner,
    PartnerKind,
    Provider,
    ProviderRule,
    RuleKind,
    TakedownCase,
)

_numbers = itertools.count(1)
PAGE = b"<html><body><p>sample page</p></body></html>"
CONFIRMED = Grade(Outcome.CONFIRMED, Category.C, AgeBand.AGE_11_13, Sex.GIRLS)


class Mailbox:
    """Keeps what it receives; refuses messages, refuses recipients, or stalls when told to."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse_message = False
        self.refuse_recipients: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refuse_recipients:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse_message:
            return "451 4.3.0 Try again later"
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted"

    def bodies(self) -> list[str]:
        return [body_of(message) for _rcpt, message in self.messages]


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_settings(port: int, timeout: int = 5) -> dict[str, Any]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": timeout,
    }


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(**smtp_settings(port)):
        yield mailbox
    controller.stop()


@pytest.fixture(autouse=True)
def takedown_settings(settings: Any) -> None:
    settings.HOTLINE_FETCH_ALLOW_LOOPBACK = True
    settings.HOTLINE_FETCH_CONNECT_TIMEOUT = 2
    settings.HOTLINE_FETCH_TOTAL_TIMEOUT = 5
    settings.HOTLINE_TAKEDOWN_RDAP = False
    settings.HOTLINE_COUNTRY = "GB"
    settings.HOTLINE_TAKEDOWN_POLICE_CHECK = False


@pytest.fixture
def site() -> Iterator[LocalServer]:
    """A web server on 127.0.0.1 whose pages a test puts up and takes down."""
    local = LocalServer()
    yield local
    local.close()


def put_up(site: LocalServer, path: str) -> None:
    site.routes[path] = respond(200, PAGE, [("Content-Type", "text/html")])


def take_down(site: LocalServer, path: str) -> None:
    site.routes.pop(path, None)


@pytest.fixture
def provider(db: None) -> Provider:
    provider = Provider.objects.create(
        name="Sample Hosting Ltd",
        abuse_email="abuse@hosting.example.net",
        contact_status=ContactStatus.CONFIRMED,
    )
    ProviderRule.objects.create(provider=provider, kind=RuleKind.NETWORK, value="127.0.0.0/8")
    return provider


@pytest.fixture
def police(db: None) -> Partner:
    return Partner.objects.create(
        name="National police unit",
        kind=PartnerKind.LAW_ENFORCEMENT,
        email="referrals@police.example.org",
    )


@dataclass
class Confirmer:
    analyst: User
    second: User

    def url(self, address: str) -> Url:
        number = next(_numbers)
        now = timezone.now()
        return Url.objects.create(
            canonical=address,
            canonical_hash=Url.hash_canonical(f"{address}#{number}"),
            host=address.split("/")[2].split(":")[0],
            first_reported_at=now,
            last_reported_at=now,
        )

    def confirm(self, url: Url) -> Assessment:
        claims.claim(url, self.analyst)
        assessment = Assessment.submit(url, self.analyst, CONFIRMED)
        claims.claim(url, self.second)
        assessment.confirm(self.second)
        return assessment


def record_capture(url: Url, country: str = "GB", asn: int | None = 64500) -> Capture:
    """A fetched capture of the url as the capture pipeline writes it, hosted in `country`."""
    now = timezone.now()
    return Capture.objects.create(
        url=url,
        started_at=now,
        finished_at=now,
        status=CaptureStatus.FETCHED,
        http_status=200,
        final_url=url.canonical,
        peer_ip="127.0.0.1",
        country_code=country,
        asn=asn,
    )


@pytest.fixture
def confirmer(analyst: User, second_analyst: User, django_capture_on_commit_callbacks) -> Any:
    """Confirms urls by two analysts; the work queued on commit runs as the transaction ends."""

    class Running(Confirmer):
        def confirm(self, url: Url) -> Assessment:
            with django_capture_on_commit_callbacks(execute=True):
                return super().confirm(url)

    return Running(analyst, second_analyst)


def case_of(url: Url) -> TakedownCase:
    return TakedownCase.objects.select_related("provider", "partner").get(url=url)
