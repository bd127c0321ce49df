"""What the case page shows, and how a refused action on a case is answered."""

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hotline.accounts.models import User
from hotline.assessment import shortcuts
from hotline.assessment.case_media import CaseMedia, case_media
from hotline.assessment.claims import active_claim
from hotline.assessment.errors import AssessmentRefused, ClaimHeldByAnother
from hotline.assessment.exposure import exposure_today
from hotline.assessment.forms import DisputeForm, GradeForm
from hotline.assessment.item_forms import MediaGradeForm
from hotline.assessment.models import Assessment, Confirmation
from hotline.assessment.vocabulary import AssessmentStatus
from hotline.audit.log import record
from hotline.intake.models import ReportedUrl, Url, UrlState

# A url named by thousands of reports would make a page nobody reads; the newest tell enough.
REPORTS_SHOWN = 200

STEP_OF_STATE: dict[str, str] = {
    UrlState.QUEUED: "assess",
    UrlState.AWAITING_CONFIRMATION: "confirm",
    UrlState.DISPUTED: "resolve",
}
LEGEND_OF_STEP = {
    "assess": shortcuts.GRADING,
    "confirm": shortcuts.CONFIRMING,
    "resolve": shortcuts.RESOLVING,
}


def load_case(pk: int) -> Url:
    return get_object_or_404(Url.objects.select_related("claimed_by"), pk=pk)


def case_context(
    url: Url,
    viewer: User,
    grade_form: GradeForm | None = None,
    dispute_form: DisputeForm | None = None,
    item_form: MediaGradeForm | None = None,
) -> dict[str, Any]:
    """The case's details, and the form of its current step when the viewer may act on it."""
    open_assessment, not_yours = _viewer_step(url, viewer)
    step = STEP_OF_STATE.get(url.state) if not_yours is None else None
    holds = step is not None and url.claimed_by_id == viewer.pk
    context: dict[str, Any] = {
        "url": url,
        "claim": active_claim(url),
        "holds": holds,
        "step": step,
        "not_yours": not_yours,
        "open_assessment": open_assessment,
        "open_dispute": _dispute_of(open_assessment),
        "reported": _reported(url),
        "assessments": _history(url),
        "offers_claim_next": url.state == UrlState.QUEUED and not holds,
    }
    media = case_media(url, gradable=holds and step == "assess", bound=item_form)
    context["media"] = media
    context["exposure"] = exposure_today(viewer)
    context["legend"] = _legend(step if holds else None, context["offers_claim_next"], media)
    if holds:
        initial = media.derived.as_fields() if media.derived and step == "assess" else None
        context["grade_form"] = grade_form or GradeForm(initial=initial)
        context["dispute_form"] = dispute_form or DisputeForm()
    return context


def _legend(step: str | None, offers_claim_next: bool, media: CaseMedia) -> shortcuts.Legend:
    legend = [*LEGEND_OF_STEP[step]] if step else []
    if media.items:
        grading_items = step == "assess" and bool(media.waiting)
        legend = shortcuts.MEDIA + (shortcuts.ITEM_GRADING if grading_items else []) + legend
    return legend + (shortcuts.QUEUE if offers_claim_next else []) + shortcuts.COMMON


def _viewer_step(url: Url, viewer: User) -> tuple[Assessment | None, str | None]:
    """The open assessment, and why the viewer may not do the url's current step (if not)."""
    try:
        return Assessment.check_can_take(url, viewer), None
    except AssessmentRefused as refusal:
        return Assessment.open_for(url), refusal.message


def _dispute_of(assessment: Assessment | None) -> Confirmation | None:
    if assessment is None or assessment.status != AssessmentStatus.DISPUTED:
        return None
    return assessment.dispute()


def _reported(url: Url) -> list[ReportedUrl]:
    return list(
        ReportedUrl.objects.filter(url=url)
        .select_related("report", "report__source")
        .order_by("-report__received_at")[:REPORTS_SHOWN]
    )


def _history(url: Url) -> list[Assessment]:
    confirmations = Confirmation.objects.select_related("analyst").order_by("created_at")
    return list(
        url.assessments.select_related("analyst")
        .prefetch_related(Prefetch("confirmations", queryset=confirmations))
        .order_by("created_at")
    )


def refuse(request: HttpRequest, url: Url, refusal: AssessmentRefused) -> HttpResponse:
    """Answer a refused action with its reason, and record the attempt."""
    detail = {"reason": refusal.message, "path": request.path, "method": request.method}
    if isinstance(refusal, ClaimHeldByAnother):
        detail["holder"] = refusal.holder
    record("case.refused", actor=request.user, target=url, detail=detail)
    context = {"url": url, "reason": refusal.message}
    return render(request, "assessment/refused.html", context, status=refusal.status)
