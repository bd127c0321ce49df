"""What managers do by hand on the takedown console, each step audited."""

from django.db import transaction

from hotline.accounts.models import User
from hotline.audit.log import record
from hotline.takedown.cases import log, set_ready
from hotline.takedown.models import (
    CaseState,
    Notice,
    NoticeStatus,
    Provider,
    Route,
    TakedownCase,
)
from hotline.takedown.sending import mark_bouncing, park_cases
from hotline.takedown.tasks import send_partner_task, send_provider_task


def assign_provider(case: TakedownCase, provider: Provider, by: User) -> None:
    """A manager names the provider of a case in the no-contact queue."""
    with transaction.atomic():
        case.provider = provider
        if case.route == Route.PROVIDER:
            _make_ready(case)
        case.save()
        log(case, "provider_assigned", actor=by, provider=provider.pk)
    _send_soon(case)


def contact_updated(provider: Provider, by: User) -> int:
    """A provider's contact was set or changed: its waiting cases get their notices."""
    with transaction.atomic():
        provider.save()
        record(
            "takedown.contact_updated",
            actor=by,
            target=provider,
            detail={"email": provider.abuse_email, "status": provider.contact_status},
        )
        waiting = list(TakedownCase.objects.filter(provider=provider, state=CaseState.NO_CONTACT))
        for case in waiting:
            _make_ready(case)
            case.save()
        if not provider.has_usable_contact:
            park_cases(provider)
    if not provider.has_usable_contact:
        return 0
    if waiting:
        transaction.on_commit(lambda: send_provider_task.enqueue(provider.pk))
    return len(waiting)


def release_held(case: TakedownCase, by: User) -> None:
    """Law enforcement has no objection: the held notice goes."""
    if case.state != CaseState.HELD:
        return
    with transaction.atomic():
        case.state = CaseState.NOTIFIED if case.notice_count else CaseState.DUE
        case.notice_due_at = case.notice_due_at or case.opened_at
        case.save()
        log(case, "released_by_police_check", actor=by)
    _send_soon(case)


def record_bounce(notice: Notice, by: User) -> None:
    """A bounce message came back for a sent notice: the address is marked bouncing."""
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.BOUNCED)
        record("takedown.bounce_recorded", actor=by, target=notice)
        if notice.provider is not None:
            mark_bouncing(notice.provider, reason=f"bounce of {notice.reference}", actor=by)


def _make_ready(case: TakedownCase) -> None:
    previous = case.state
    if previous in (CaseState.NO_CONTACT, CaseState.AWAITING_HOSTING):
        set_ready(case)


def _send_soon(case: TakedownCase) -> None:
    if case.state not in (CaseState.DUE, CaseState.NOTIFIED):
        return
    if case.route == Route.PROVIDER and case.provider_id:
        provider_id = case.provider_id
        transaction.on_commit(lambda: send_provider_task.enqueue(provider_id))
    elif case.partner_id:
        partner_id = case.partner_id
        transaction.on_commit(lambda: send_partner_task.enqueue(partner_id))
