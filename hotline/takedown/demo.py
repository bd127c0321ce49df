"""Takedown for `hotline demo`: a directory of invented providers and partners, and a case for
every confirmed url, routed by the real directory and rules, with the notices it would have had.

No email is sent: notices are recorded as the sender records an accepted one, their text rendered
from the real templates. Removal times are drawn so that the removal statistics show a spread:
most provider notices answered within a day, a few within two hours, some slow, some still up;
referrals slower. Addresses are on example.net.
"""

import copy
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus, Outcome
from hotline.capture.demo import demo_networks, network_for
from hotline.capture.models import Capture, CaptureStatus
from hotline.takedown import directory
from hotline.takedown.models import (
    CaseEvent,
    CaseState,
    ContactStatus,
    Notice,
    NoticeCase,
    NoticeKind,
    NoticeStatus,
    Partner,
    PartnerKind,
    Provider,
    ProviderRule,
    Route,
    RuleKind,
    TakedownCase,
)
from hotline.takedown.rechecks import ABSENT, PRESENT
from hotline.takedown.sending import render

# (name, abuse address, contact status, rules); the networks are demo_networks()' first two.
PROVIDERS = (
    (
        "Example Hosting Ltd",
        "abuse@hosting.example.net",
        ContactStatus.CONFIRMED,
        ((RuleKind.NETWORK, "192.0.2.0/25"), (RuleKind.ASN, "64496")),
    ),
    (
        "Example Cloud Services",
        "abuse@cloud.example.net",
        ContactStatus.SUGGESTED,
        ((RuleKind.NETWORK, "192.0.2.128/25"), (RuleKind.ASN, "64497")),
    ),
    (
        "Example File Host",
        "report@filehost.example.net",
        ContactStatus.CONFIRMED,
        ((RuleKind.DOMAIN, "hosting.test"),),
    ),
    (
        "Example Small Host",
        "abuse@smallhost.example.net",
        ContactStatus.BOUNCING,
        ((RuleKind.DOMAIN, "cdn2.hosting.test"),),
    ),
)
# Median hours to removal and its spread (log-normal), and the share never removed.
PROVIDER_REMOVAL = (14.0, 1.3, 0.08)
REFERRAL_REMOVAL = (60.0, 1.1, 0.2)
REMOVED_BEFORE_NOTICE = 0.03
MAX_NOTICES = 5


@dataclass
class Directory:
    providers: dict[str, Provider]
    partners: dict[str, Partner]
    police: Partner


def fill_takedown(rng: random.Random, now: datetime) -> int:
    """The directory, then a case for each url whose counting assessment confirmed it."""
    planner = CasePlanner(rng, now, build_directory())
    confirmed = Assessment.objects.filter(
        status=AssessmentStatus.CONFIRMED, outcome=Outcome.CONFIRMED
    ).select_related("url")
    captures = _latest_captures()
    cases = [
        planner.case(assessment, captures.get(assessment.url_id))
        for assessment in confirmed.order_by("decided_at", "pk")
    ]
    TakedownCase.objects.bulk_create(cases, batch_size=500)
    _write_notices(planner.notices)
    CaseEvent.objects.bulk_create(planner.events, batch_size=500)
    return len(cases)


def build_directory() -> Directory:
    providers = {}
    for name, email, status, rules in PROVIDERS:
        provider = Provider.objects.create(
            name=name, abuse_email=email, contact_status=status, country_code=_home()
        )
        for kind, value in rules:
            ProviderRule.objects.create(provider=provider, kind=kind, value=value)
        providers[name] = provider
    abroad = [network.country_code for network in demo_networks()[2:4]]
    partners = {
        code: Partner.objects.create(
            name=f"Example Hotline {code}",
            kind=PartnerKind.HOTLINE,
            country_code=code,
            email=f"referrals@hotline-{code.lower()}.example.net",
        )
        for code in abroad
    }
    police = Partner.objects.create(
        name="Example Police Unit",
        kind=PartnerKind.LAW_ENFORCEMENT,
        email="referrals@police.example.net",
    )
    return Directory(providers, partners, police)


def _home() -> str:
    return str(settings.HOTLINE_COUNTRY)


def _latest_captures() -> dict[int, Capture]:
    fetched = Capture.objects.filter(status=CaptureStatus.FETCHED).order_by("started_at", "pk")
    return {capture.url_id: capture for capture in fetched}


@dataclass(frozen=True)
class PlannedNotice:
    """A notice of one case, `number` in its series, and the history line that records it."""

    notice: Notice
    case: TakedownCase
    number: int
    event: CaseEvent | None


@dataclass
class CasePlanner:
    """Plans each case as routing, notices and rechecks would have left it by `now`, with the
    notices and history lines to write once the cases have their ids."""

    rng: random.Random
    now: datetime
    found: Directory
    notices: list[PlannedNotice] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    bounced: set[int] = field(default_factory=set)

    def case(self, assessment: Assessment, capture: Capture | None) -> TakedownCase:
        opened_at = assessment.decided_at or self.now
        case = TakedownCase(url=assessment.url, assessment=assessment, opened_at=opened_at)
        self._take_hosting(case, capture)
        self._route(case)
        self._event(case, opened_at, "opened", assessment=assessment.pk)
        self._event(case, opened_at, "routed", route=case.route, country=case.country_code)
        usable = case.partner is not None or (case.provider and case.provider.has_usable_contact)
        if not usable:
            self._no_contact(case)
        elif self.rng.random() < REMOVED_BEFORE_NOTICE:
            self._removed(case, opened_at + timedelta(minutes=self.rng.uniform(5, 50)))
            case.removed_before_notice = True
        else:
            self._notified(case)
        return case

    def _event(self, case: TakedownCase, at: datetime, action: str, **detail: object) -> None:
        self.events.append(CaseEvent(case=case, at=at, action=action, detail=detail))

    def _take_hosting(self, case: TakedownCase, capture: Capture | None) -> None:
        """From the url's capture, or for an uncaptured url from its host's demo network."""
        if capture is not None:
            case.capture, case.expected_final_url = capture, capture.final_url
            case.country_code, case.asn = capture.country_code, capture.asn
            case.peer_ip = capture.peer_ip
            return
        network = network_for(case.url.host)
        case.country_code, case.asn = network.country_code, network.asn
        case.peer_ip = network.address(self.rng)
        case.expected_final_url = case.url.canonical

    def _route(self, case: TakedownCase) -> None:
        """The rule of takedown.cases.route: the own country to the provider, else a referral."""
        if case.country_code == _home():
            case.route = Route.PROVIDER
            case.provider = directory.find_provider(case.url.host, case.peer_ip, case.asn)
        elif case.country_code in self.found.partners:
            case.route, case.partner = Route.PARTNER, self.found.partners[case.country_code]
        else:
            case.route, case.partner = Route.POLICE, self.found.police

    def _no_contact(self, case: TakedownCase) -> None:
        """Waiting for a manager to find a contact: the provider's address bounced."""
        case.state = CaseState.NO_CONTACT
        self._still_up(case)
        provider = case.provider
        if provider is not None and provider.abuse_email and provider.pk not in self.bounced:
            self.bounced.add(provider.pk)
            at = case.opened_at + timedelta(minutes=2)
            self._notice(case, at, 1, NoticeStatus.BOUNCED)

    def _notified(self, case: TakedownCase) -> None:
        first = min(case.opened_at + timedelta(minutes=self.rng.uniform(1, 3)), self.now)
        removal = self._removal_time(case, first)
        repeats = case.route == Route.PROVIDER
        sent = [first]
        end = min(removal or self.now, self.now)
        while repeats and len(sent) < MAX_NOTICES and sent[-1] + timedelta(hours=24) < end:
            sent.append(sent[-1] + timedelta(hours=24))
        for number, at in enumerate(sent, start=1):
            self._notice(case, at, number)
        case.notice_count, case.first_notified_at, case.last_notified_at = (
            len(sent),
            first,
            sent[-1],
        )
        case.state = CaseState.NOTIFIED
        if repeats:
            case.notice_due_at = sent[-1] + timedelta(hours=settings.HOTLINE_TAKEDOWN_REPEAT_HOURS)
        if repeats and len(sent) > settings.HOTLINE_TAKEDOWN_ESCALATE_AFTER:
            self._escalate(case, sent[settings.HOTLINE_TAKEDOWN_ESCALATE_AFTER])
        if removal is not None and removal <= self.now:
            self._removed(case, removal)
        else:
            self._still_up(case)

    def _removal_time(self, case: TakedownCase, first: datetime) -> datetime | None:
        provider = case.route == Route.PROVIDER
        median, spread, never = PROVIDER_REMOVAL if provider else REFERRAL_REMOVAL
        if self.rng.random() < never:
            return None
        return first + timedelta(hours=self.rng.lognormvariate(math.log(median), spread))

    def _escalate(self, case: TakedownCase, at: datetime) -> None:
        case.escalated_at, case.escalation_sent_at = at, at + timedelta(minutes=1)
        self._notice(case, case.escalation_sent_at, 1, kind=NoticeKind.ESCALATION)

    def _removed(self, case: TakedownCase, removed_at: datetime) -> None:
        """Found gone by consecutive checks; watched daily for a while in case it comes back."""
        checks = settings.HOTLINE_TAKEDOWN_ABSENT_CHECKS
        interval = timedelta(minutes=settings.HOTLINE_TAKEDOWN_RECHECK_MINUTES)
        case.state, case.removed_at, case.notice_due_at = CaseState.REMOVED, removed_at, None
        case.absent_since, case.consecutive_absent, case.last_check = removed_at, checks, ABSENT
        case.last_checked_at = min(removed_at + interval * (checks - 1), self.now)
        case.last_check_detail = "HTTP 404"
        watch_end = removed_at + timedelta(days=settings.HOTLINE_TAKEDOWN_WATCH_DAYS)
        case.next_check_at = self.now + timedelta(hours=12) if watch_end > self.now else None
        at, when = case.last_checked_at, removed_at.isoformat()
        self._event(case, at, "removed", check=ABSENT, removed_at=when)

    def _still_up(self, case: TakedownCase) -> None:
        interval = timedelta(minutes=settings.HOTLINE_TAKEDOWN_RECHECK_MINUTES)
        case.last_checked_at = max(self.now - interval * self.rng.random(), case.opened_at)
        case.last_check, case.last_check_detail = PRESENT, "HTTP 200"
        case.next_check_at = case.last_checked_at + interval

    def _notice(
        self,
        case: TakedownCase,
        at: datetime,
        number: int,
        status: str = NoticeStatus.SENT,
        kind: str = "",
    ) -> None:
        """A notice as the sender records it: accepted (or bounced) at `at`, listing the url."""
        kind = kind or (NoticeKind.NOTICE if case.route == Route.PROVIDER else NoticeKind.REFERRAL)
        recipient = self.found.police if kind == NoticeKind.ESCALATION else _recipient(case)
        sent = status == NoticeStatus.SENT
        notice = Notice(
            kind=kind,
            provider=recipient if isinstance(recipient, Provider) else None,
            partner=recipient if isinstance(recipient, Partner) else None,
            recipient=recipient.abuse_email if isinstance(recipient, Provider) else recipient.email,
            language=recipient.language,
            status=status,
            created_at=at,
            sent_at=at if sent else None,
            bounced_at=None if sent else at,
            error="" if sent else "the SMTP server refused the address",
        )
        event = None
        if sent:
            event = CaseEvent(case=case, at=at, action=f"{kind}_sent", detail={"number": number})
            self.events.append(event)
        self.notices.append(PlannedNotice(notice, case, number, event))


def _recipient(case: TakedownCase) -> Provider | Partner:
    recipient = case.provider if case.route == Route.PROVIDER else case.partner
    assert recipient is not None
    return recipient


def _write_notices(planned: Sequence[PlannedNotice]) -> None:
    """Each notice with its url, its text rendered from the templates as when it was sent, and
    named in the case's history as the sender names it."""
    notices = Notice.objects.bulk_create([item.notice for item in planned])
    NoticeCase.objects.bulk_create(
        NoticeCase(notice=item.notice, case=item.case, number=item.number) for item in planned
    )
    for item in planned:
        notice = item.notice
        recipient = notice.provider or notice.partner
        assert recipient is not None
        notice.subject, notice.body = render(notice, recipient, [_as_then(item)])
        if item.event is not None:
            item.event.detail.update(notice=notice.reference, recipient=notice.recipient)
    Notice.objects.bulk_update(notices, ["subject", "body"], batch_size=500)


def _as_then(item: PlannedNotice) -> TakedownCase:
    """The case as it stood when the notice left: `number - 1` notices before it."""
    then = copy.copy(item.case)
    if item.notice.kind != NoticeKind.ESCALATION:
        then.notice_count = item.number - 1
        then.first_notified_at = item.case.first_notified_at if item.number > 1 else None
    return then
