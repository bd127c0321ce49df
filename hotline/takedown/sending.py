"""Sending notices and referrals: one email per recipient listing every url due for it.

A batch claims its cases (`pending_notice`) before the email leaves, so two workers never send
the same url twice; the cases count as notified only once the SMTP server accepted the message.
A refused recipient is a bounce: the contact is marked bouncing and its cases go back to the
no-contact queue. Any other failure (refused connection, timeout, a 4xx/5xx answer to the
message) releases the cases with a later due time, so the next cycle tries again.
"""

import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from hotline.audit.log import record
from hotline.takedown import templating
from hotline.takedown.models import (
    CaseEvent,
    CaseState,
    ContactStatus,
    Notice,
    NoticeCase,
    NoticeKind,
    NoticeStatus,
    NoticeTemplate,
    Partner,
    PartnerKind,
    Provider,
    Route,
    TakedownCase,
)

MAX_BACKOFF = timedelta(hours=1)
# A batch still "sending" after this was cut short by a crash: its cases are released.
STALE_SENDING = timedelta(minutes=10)
Recipient = Provider | Partner


def due_cases(now: datetime) -> QuerySet[TakedownCase]:
    """Cases whose notice may go now: due, not in flight, and not found absent at last check."""
    return TakedownCase.objects.filter(
        state__in=(CaseState.DUE, CaseState.NOTIFIED),
        notice_due_at__lte=now,
        pending_notice__isnull=True,
        consecutive_absent=0,
    )


def send_all_due(now: datetime | None = None) -> int:
    """Send every due notice, referral and escalation; the number of emails accepted."""
    moment = now or timezone.now()
    release_stale(moment)
    due = due_cases(moment)
    providers = due.filter(route=Route.PROVIDER).values_list("provider_id", flat=True)
    partners = due.exclude(route=Route.PROVIDER).values_list("partner_id", flat=True)
    sent = sum(send_to_provider(pk, now) for pk in set(providers) if pk)
    sent += sum(send_to_partner(pk, now) for pk in set(partners) if pk)
    return sent + send_escalations(now)


def send_to_provider(provider_id: int, now: datetime | None = None) -> bool:
    provider = Provider.objects.get(pk=provider_id)
    if not provider.has_usable_contact:
        park_cases(provider)
        return False
    cases = due_cases(now or timezone.now()).filter(route=Route.PROVIDER, provider=provider)
    return send_batch(NoticeKind.NOTICE, provider, cases, provider.abuse_email, now)


def send_to_partner(partner_id: int, now: datetime | None = None) -> bool:
    partner = Partner.objects.get(pk=partner_id)
    cases = due_cases(now or timezone.now()).filter(partner=partner).exclude(route=Route.PROVIDER)
    return send_batch(NoticeKind.REFERRAL, partner, cases, partner.email, now)


def send_escalations(now: datetime | None = None) -> int:
    police = Partner.objects.filter(kind=PartnerKind.LAW_ENFORCEMENT, active=True).first()
    escalated = TakedownCase.objects.filter(
        escalated_at__isnull=False, escalation_sent_at__isnull=True, removed_at__isnull=True
    )
    if police is None or not escalated.exists():
        return 0
    return int(send_batch(NoticeKind.ESCALATION, police, escalated, police.email, now))


def send_batch(
    kind: str,
    recipient: Recipient,
    cases: QuerySet[TakedownCase],
    address: str,
    now: datetime | None = None,
) -> bool:
    """One email to `address` listing `cases`; True if the SMTP server accepted it.

    Times recorded are those of the SMTP server's answer, or `now` on a simulated clock.
    """
    notice = _claim(kind, recipient, cases, address)
    if notice is None:
        return False
    message = EmailMessage(
        notice.subject,
        notice.body,
        settings.HOTLINE_TAKEDOWN_FROM_EMAIL,
        [notice.recipient],
        headers={"X-Hotline-Reference": notice.reference},
    )
    try:
        accepted = get_connection(fail_silently=False).send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        _bounced(notice, recipient, f"the SMTP server refused the address: {error.recipients}")
        return False
    except (smtplib.SMTPException, OSError) as error:
        _failed(notice, f"{type(error).__name__}: {error}", now or timezone.now())
        return False
    if not accepted:
        _failed(notice, "the email backend sent nothing", now or timezone.now())
        return False
    _sent(notice, now or timezone.now())
    return True


def _claim(
    kind: str, recipient: Recipient, cases: QuerySet[TakedownCase], address: str
) -> Notice | None:
    """A notice in `sending` state holding the cases it managed to claim, rendered; or None."""
    with transaction.atomic():
        notice = Notice.objects.create(
            kind=kind,
            provider=recipient if isinstance(recipient, Provider) else None,
            partner=recipient if isinstance(recipient, Partner) else None,
            recipient=address,
            language=recipient.language,
        )
        ids = list(cases.values_list("pk", flat=True))
        TakedownCase.objects.filter(pk__in=ids, pending_notice__isnull=True).update(
            pending_notice=notice
        )
        claimed = list(
            TakedownCase.objects.filter(pending_notice=notice).select_related("url", "assessment")
        )
        if not claimed:
            notice.delete()
            return None
        NoticeCase.objects.bulk_create(
            NoticeCase(notice=notice, case=case, number=_number(kind, case)) for case in claimed
        )
        notice.subject, notice.body = render(notice, recipient, claimed)
        notice.save(update_fields=["subject", "body"])
    return notice


def _number(kind: str, case: TakedownCase) -> int:
    return 1 if kind == NoticeKind.ESCALATION else case.notice_count + 1


def render(notice: Notice, recipient: Recipient, cases: list[TakedownCase]) -> tuple[str, str]:
    """Subject and body from the recipient's language's template (English if it has none)."""
    templates = NoticeTemplate.objects.filter(kind=notice.kind)
    template = templates.filter(language=notice.language).first() or templates.get(language="en")
    context = {
        "hotline_name": settings.HOTLINE_NAME,
        "reference": notice.reference,
        "recipient_name": recipient.name,
        "url_count": len(cases),
        "repeat": any(case.notice_count for case in cases),
        "country": cases[0].country_code,
        "urls": [_listed(case) for case in cases],
    }
    with translation.override(notice.language):
        subject = templating.render(template.subject, context).strip().replace("\n", " ")
        body = templating.render(template.body, context)
    return subject, body


def _listed(case: TakedownCase) -> dict[str, str]:
    """What a notice says of one url: the address and our references, nothing about reporters."""
    first = case.first_notified_at
    return {
        "address": case.url.canonical,
        "case_reference": case.reference,
        "confirmed_at": f"{case.opened_at:%Y-%m-%d %H:%M} UTC",
        "first_notified_at": f"{first:%Y-%m-%d %H:%M} UTC" if first else "",
    }


SENT_FIELDS = [
    "pending_notice",
    "escalation_sent_at",
    "notice_count",
    "notice_failures",
    "first_notified_at",
    "last_notified_at",
    "state",
    "notice_due_at",
    "escalated_at",
]


def _sent(notice: Notice, now: datetime) -> None:
    """Mark the batch's cases notified: a bulk update and one history line each, one audit entry
    for the email (it lists the cases), so a batch of thousands stays a handful of queries."""
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.SENT, sent_at=now)
        cases = list(TakedownCase.objects.filter(pending_notice=notice))
        events = [_mark_sent(notice, case, now) for case in cases]
        TakedownCase.objects.bulk_update(cases, SENT_FIELDS, batch_size=500)
        CaseEvent.objects.bulk_create(events, batch_size=500)
        record(
            f"takedown.{notice.kind}_sent",
            target=notice,
            detail={"recipient": notice.recipient, "cases": [case.pk for case in cases]},
        )


def _mark_sent(notice: Notice, case: TakedownCase, now: datetime) -> CaseEvent:
    case.pending_notice = None
    if notice.kind == NoticeKind.ESCALATION:
        case.escalation_sent_at = now
        return CaseEvent(case=case, at=now, action="escalation_sent", detail=_about(notice))
    case.notice_count += 1
    case.notice_failures = 0
    case.first_notified_at = case.first_notified_at or now
    case.last_notified_at = now
    case.state = CaseState.NOTIFIED
    repeats = case.route == Route.PROVIDER
    case.notice_due_at = (
        now + timedelta(hours=settings.HOTLINE_TAKEDOWN_REPEAT_HOURS) if repeats else None
    )
    if repeats and case.notice_count > settings.HOTLINE_TAKEDOWN_ESCALATE_AFTER:
        case.escalated_at = case.escalated_at or now
    detail = {**_about(notice), "number": case.notice_count}
    return CaseEvent(case=case, at=now, action=f"{notice.kind}_sent", detail=detail)


def _about(notice: Notice) -> dict[str, object]:
    return {"notice": notice.reference, "recipient": notice.recipient}


def _failed(notice: Notice, error: str, now: datetime) -> None:
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.FAILED, error=error)
        cases = list(TakedownCase.objects.filter(pending_notice=notice))
        for case in cases:
            backoff = min(timedelta(minutes=2**case.notice_failures), MAX_BACKOFF)
            case.pending_notice = None
            case.notice_failures += 1
            if notice.kind != NoticeKind.ESCALATION:
                case.notice_due_at = now + backoff
        fields = ["pending_notice", "notice_failures", "notice_due_at"]
        TakedownCase.objects.bulk_update(cases, fields, batch_size=500)
        record("takedown.send_failed", target=notice, detail={"error": error})


def _bounced(notice: Notice, recipient: Recipient, error: str) -> None:
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(
            status=NoticeStatus.BOUNCED, error=error, bounced_at=timezone.now()
        )
        TakedownCase.objects.filter(pending_notice=notice).update(pending_notice=None)
        if isinstance(recipient, Provider):
            mark_bouncing(recipient, reason=error)
        else:
            record("takedown.partner_bounced", target=recipient, detail={"error": error})


def mark_bouncing(provider: Provider, reason: str, actor: object = None) -> int:
    """The provider's address bounces: its open cases wait in the no-contact queue for a new one."""
    provider.contact_status = ContactStatus.BOUNCING
    provider.save(update_fields=["contact_status"])
    moved = park_cases(provider)
    record(
        "takedown.contact_bouncing",
        actor=actor,  # type: ignore[arg-type]
        target=provider,
        detail={"reason": reason, "cases": moved},
    )
    return moved


def park_cases(provider: Provider) -> int:
    """The provider has no usable contact: its open cases wait in the no-contact queue."""
    cases = TakedownCase.objects.filter(
        provider=provider,
        route=Route.PROVIDER,
        state__in=(CaseState.DUE, CaseState.NOTIFIED, CaseState.HELD),
    )
    return cases.update(state=CaseState.NO_CONTACT, notice_due_at=None)


def release_stale(now: datetime) -> None:
    """Batches left `sending` by a crash: unknown whether they left, so they are sent again."""
    stale = Notice.objects.filter(status=NoticeStatus.SENDING, created_at__lt=now - STALE_SENDING)
    for notice in stale:
        _failed(notice, "the sender stopped before the SMTP server answered; sending again", now)
