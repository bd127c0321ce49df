"""The confirmation and dispute lists, paged without counting like the queue."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from hotline.accounts.models import User
from hotline.assessment.claims import Claim, active_claim, lapse_cutoff
from hotline.assessment.models import Assessment, Confirmation
from hotline.assessment.paging import Page
from hotline.assessment.vocabulary import AssessmentStatus


@dataclass(frozen=True)
class AssessmentRow:
    assessment: Assessment
    claim: Claim | None
    dispute: Confirmation | None = None
    involved: bool = False


def _slice(assessments: QuerySet[Assessment], number: int) -> tuple[list[Assessment], bool]:
    size = settings.HOTLINE_QUEUE_PAGE_SIZE
    start = (number - 1) * size
    found = list(assessments[start : start + size + 1])
    return found[:size], len(found) > size


def _open(status: str) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(status=status)
        .select_related("analyst", "url", "url__claimed_by")
        .order_by("created_at", "id")
    )


def awaiting_confirmation(analyst: User, number: int) -> Page[AssessmentRow]:
    """Assessments another analyst made, waiting for a second analyst, oldest first."""
    others = _open(AssessmentStatus.AWAITING_CONFIRMATION).exclude(analyst=analyst)
    found, has_next = _slice(others, number)
    cutoff = lapse_cutoff()
    return Page(number, [AssessmentRow(a, active_claim(a.url, cutoff)) for a in found], has_next)


def disputed(senior: User, number: int) -> Page[AssessmentRow]:
    """Disputed assessments with the dispute, and whether the senior took part in it."""
    disputes = Confirmation.objects.filter(agrees=False, resolves_dispute=False)
    assessments = _open(AssessmentStatus.DISPUTED).prefetch_related(
        Prefetch("confirmations", queryset=disputes.select_related("analyst"), to_attr="disputes")
    )
    found, has_next = _slice(assessments, number)
    cutoff = lapse_cutoff()
    return Page(number, [_dispute_row(a, senior, cutoff) for a in found], has_next)


def _dispute_row(assessment: Assessment, senior: User, cutoff: datetime) -> AssessmentRow:
    dispute = next(iter(getattr(assessment, "disputes", [])), None)
    involved = senior.pk in {assessment.analyst_id, dispute.analyst_id if dispute else None}
    return AssessmentRow(assessment, active_claim(assessment.url, cutoff), dispute, involved)
