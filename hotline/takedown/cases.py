"""Opening a takedown case when a url is confirmed, and routing it by where it is hosted."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hotline.accounts.models import User
from hotline.assessment.models import Assessment
from hotline.audit.log import record
from hotline.capture.models import Capture, CaptureStatus
from hotline.takedown import directory, rdap
from hotline.takedown.models import (
    CaseEvent,
    CaseState,
    ContactStatus,
    Partner,
    PartnerKind,
    Provider,
    ProviderRule,
    Route,
    RuleKind,
    TakedownCase,
)


def log(case: TakedownCase, action: str, actor: User | None = None, **detail: Any) -> None:
    """A step of the case, in its history and in the audit log."""
    CaseEvent.objects.create(case=case, action=action, detail=detail)
    record(f"takedown.{action}", actor=actor, target=case, detail={"url": case.url_id, **detail})


def open_case(assessment: Assessment) -> tuple[TakedownCase, bool]:
    """The url's one case, created with the confirmation; a second confirmation finds it."""
    case, created = TakedownCase.objects.get_or_create(
        url_id=assessment.url_id,
        defaults={"assessment": assessment, "next_check_at": timezone.now()},
    )
    if created:
        log(case, "opened", assessment=assessment.pk)
    return case, created


def latest_capture(url_id: int) -> Capture | None:
    fetched = Capture.objects.filter(url_id=url_id, status=CaptureStatus.FETCHED)
    return fetched.order_by("-started_at", "-pk").first()


def route(case: TakedownCase) -> TakedownCase:
    """Decide who is told about the case, from its latest capture; idempotent once routed."""
    if case.state != CaseState.AWAITING_HOSTING:
        return case
    capture = latest_capture(case.url_id)
    if capture is None:
        return case
    provider = directory.find_provider(case.url.host, capture.peer_ip, capture.asn)
    country = capture.country_code or (provider.country_code if provider else "")
    with transaction.atomic():
        _take_hosting(case, capture, country)
        if country and country == settings.HOTLINE_COUNTRY:
            _to_provider(case, provider)
        else:
            _to_partner(case, country)
        case.save()
        log(case, "routed", route=case.route, state=case.state, country=country)
    return case


def _take_hosting(case: TakedownCase, capture: Capture, country: str) -> None:
    case.capture = capture
    case.country_code = country
    case.asn = capture.asn
    case.peer_ip = capture.peer_ip
    case.expected_final_url = capture.final_url


def _to_provider(case: TakedownCase, provider: Provider | None) -> None:
    case.route = Route.PROVIDER
    if provider is None and case.peer_ip:
        provider = provider_from_rdap(case.peer_ip)
    case.provider = provider
    set_ready(case)


def set_ready(case: TakedownCase, now: datetime | None = None) -> None:
    """The state a routed case is in: waiting for a contact or the police, or its notice due."""
    usable = case.partner is not None or (case.provider and case.provider.has_usable_contact)
    if not usable:
        case.state = CaseState.NO_CONTACT
    elif case.route == Route.PROVIDER and settings.HOTLINE_TAKEDOWN_POLICE_CHECK:
        case.state = CaseState.HELD
    else:
        case.state = CaseState.NOTIFIED if case.notice_count else CaseState.DUE
        case.notice_due_at = now or timezone.now()


def _to_partner(case: TakedownCase, country: str) -> None:
    active = Partner.objects.filter(active=True)
    partner = None
    if country:
        partner = active.filter(kind=PartnerKind.HOTLINE, country_code=country).first()
    case.route = Route.PARTNER if partner else Route.POLICE
    case.partner = partner or active.filter(kind=PartnerKind.LAW_ENFORCEMENT).first()
    set_ready(case)


def provider_from_rdap(ip: str) -> Provider | None:
    """A suggested directory entry from RDAP, or None (the no-contact queue) without one."""
    found = rdap.look_up(ip)
    if found is None:
        return None
    name = found.network_name or found.cidr
    provider, _ = Provider.objects.get_or_create(
        name=name,
        defaults={
            "abuse_email": found.abuse_email,
            "contact_status": ContactStatus.SUGGESTED,
            "country_code": found.country_code,
            "notes": f"Suggested by RDAP for {ip}",
        },
    )
    if found.cidr:
        ProviderRule.objects.get_or_create(
            kind=RuleKind.NETWORK, value=found.cidr, defaults={"provider": provider}
        )
    record("takedown.rdap_suggested", target=provider, detail={"ip": ip, "cidr": found.cidr})
    return provider


def recheck_interval(case: TakedownCase) -> timedelta:
    if case.state == CaseState.REMOVED or (case.is_referral and case.first_notified_at):
        return timedelta(hours=settings.HOTLINE_TAKEDOWN_REFERRAL_RECHECK_HOURS)
    return timedelta(minutes=settings.HOTLINE_TAKEDOWN_RECHECK_MINUTES)
