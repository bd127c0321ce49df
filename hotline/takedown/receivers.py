"""Takedown listens to assessment (a url confirmed) and capture (its hosting now known)."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from hotline.assessment.models import Assessment
from hotline.assessment.signals import assessment_counted
from hotline.assessment.vocabulary import Outcome
from hotline.capture.models import Capture
from hotline.capture.signals import capture_recorded
from hotline.takedown.cases import open_case
from hotline.takedown.models import CaseState, TakedownCase
from hotline.takedown.tasks import route_case_task


@receiver(assessment_counted)
def open_case_on_confirmation(sender: Any, assessment: Assessment, **kwargs: Any) -> None:
    """Inside the confirming transaction: the case commits with the confirmation, or neither."""
    if assessment.outcome != Outcome.CONFIRMED:
        return
    case, created = open_case(assessment)
    if created:
        transaction.on_commit(lambda: route_case_task.enqueue(case.pk))


@receiver(capture_recorded)
def route_when_hosting_lands(sender: Any, capture: Capture, **kwargs: Any) -> None:
    waiting = TakedownCase.objects.filter(
        url_id=capture.url_id, state=CaseState.AWAITING_HOSTING
    ).first()
    if waiting is not None:
        transaction.on_commit(lambda: route_case_task.enqueue(waiting.pk))
