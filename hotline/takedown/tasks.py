"""Background work of takedown: thin wrappers over the services, safe to run again."""

from django_tasks import task

from hotline.takedown import cases, rechecks, sending
from hotline.takedown.models import CaseState, Route, TakedownCase


@task()
def route_case_task(case_id: int) -> str:
    """Route a new case by its hosting and send its notice or referral at once; its state."""
    case = TakedownCase.objects.select_related("url", "provider", "partner").get(pk=case_id)
    cases.route(case)
    if case.state == CaseState.DUE:
        send_for(case)
    return case.state


def send_for(case: TakedownCase) -> None:
    """Send what is due to the case's recipient now (with anything else due for them)."""
    if case.route == Route.PROVIDER and case.provider_id:
        sending.send_to_provider(case.provider_id)
    elif case.partner_id:
        sending.send_to_partner(case.partner_id)


@task()
def send_provider_task(provider_id: int) -> bool:
    return sending.send_to_provider(provider_id)


@task()
def send_partner_task(partner_id: int) -> bool:
    return sending.send_to_partner(partner_id)


@task()
def takedown_cycle_task() -> dict[str, int]:
    """The periodic work: rechecks that are due, then every notice that is due (repeats too)."""
    result = rechecks.run_cycle()
    sent = sending.send_all_due()
    return {
        "checked": result.checked,
        "removed": result.removed,
        "reopened": result.reopened,
        "postponed": result.postponed,
        "emails_sent": sent,
    }
