"""The analyst console. Views only read requests and draw pages; the rules are on the models."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hotline.accounts.access import (
    analyst_required,
    manager_required,
    senior_analyst_required,
)
from hotline.accounts.models import User
from hotline.assessment import claims, shortcuts
from hotline.assessment.case import case_context, load_case, refuse
from hotline.assessment.case_media import case_item, case_media
from hotline.assessment.errors import AlreadyDecided, AssessmentRefused, InvalidGrade
from hotline.assessment.exposure import exposure_today, team_today
from hotline.assessment.forms import DisputeForm, GradeForm
from hotline.assessment.item_forms import MediaGradeForm
from hotline.assessment.lists import awaiting_confirmation, disputed
from hotline.assessment.models import Assessment, MediaGrade
from hotline.assessment.paging import page_number
from hotline.assessment.queue import held_by, queue_page, queue_size
from hotline.audit.log import record
from hotline.intake.models import Url, UrlState
from hotline.stats.charts import bar_chart


def staff_member(request: HttpRequest) -> User:
    """The signed-in member of staff; the access decorators guarantee there is one."""
    assert isinstance(request.user, User)
    return request.user


@require_GET
@analyst_required
def queue(request: HttpRequest) -> HttpResponse:
    number = page_number(request)
    if number is None:
        return _bad_page(request, "assessment:queue")
    analyst = staff_member(request)
    context = {
        "page": queue_page(number, settings.HOTLINE_QUEUE_PAGE_SIZE),
        "size": queue_size(),
        "held": held_by(analyst),
        "exposure": exposure_today(analyst),
        "legend": shortcuts.QUEUE + shortcuts.COMMON,
    }
    return render(request, "assessment/queue.html", context)


@require_POST
@analyst_required
def claim_next(request: HttpRequest) -> HttpResponse:
    try:
        url = claims.claim_next(staff_member(request))
    except AssessmentRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("assessment:queue")
    if url is None:
        messages.info(request, _("The queue is empty: every case is assessed or claimed."))
        return redirect("assessment:queue")
    return redirect("assessment:case", pk=url.pk)


@require_GET
@analyst_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    url = load_case(pk)
    return render_case(request, url)


@require_POST
@analyst_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    url = load_case(pk)
    analyst = staff_member(request)
    try:
        Assessment.check_can_take(url, analyst)
        claims.claim(url, analyst)
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    return redirect("assessment:case", pk=url.pk)


@require_POST
@analyst_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    url = load_case(pk)
    try:
        claims.release(url, staff_member(request))
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    messages.success(request, _("You released case %(case)s.") % {"case": url.pk})
    return redirect("assessment:queue")


@require_http_methods(["GET", "POST"])
@analyst_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    url = load_case(pk)
    analyst = staff_member(request)
    try:
        _require_step(url, analyst, UrlState.QUEUED)
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    form = GradeForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render_case(request, url, grade_form=form)
    try:
        Assessment.submit(url, analyst, form.to_grade(), form.cleaned_data["override_reason"])
    except InvalidGrade as invalid:
        form.add_problems(invalid.problems)
        return render_case(request, url, grade_form=form)
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    messages.success(request, _("Assessment of case %(case)s submitted.") % {"case": url.pk})
    return redirect("assessment:queue")


@require_POST
@analyst_required
def grade_item(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """The grade of one media item of the case, while assessing it."""
    url = load_case(pk)
    analyst = staff_member(request)
    try:
        _require_step(url, analyst, UrlState.QUEUED)
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    media_item = case_item(pk, item)
    form = MediaGradeForm(request.POST, item_pk=media_item.pk)
    if not form.is_valid():
        return render_case(request, url, item_form=form)
    try:
        MediaGrade.grade_item(media_item, analyst, **form.grade_fields())
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    return redirect(next_item_anchor(url, media_item.pk))


@require_http_methods(["GET", "POST"])
@analyst_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_step(request, pk, UrlState.AWAITING_CONFIRMATION, _second_analyst_decision)


def _second_analyst_decision(
    request: HttpRequest, url: Url, assessment: Assessment, analyst: User
) -> HttpResponse:
    decision = request.POST.get("decision")
    if decision not in ("confirm", "dispute"):
        return refuse(request, url, unknown_decision(_("Confirm"), _("Dispute")))
    then = "assessment:confirmations"
    if decision == "confirm":
        done = _("You confirmed the assessment of case %(case)s.") % {"case": url.pk}
        return _decide(request, url, lambda: assessment.confirm(analyst), done, then)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return render_case(request, url, dispute_form=form)
    reason = form.cleaned_data["reason"]
    done = _("You disputed the assessment of case %(case)s.") % {"case": url.pk}
    return _decide(request, url, lambda: assessment.disagree(analyst, reason), done, then)


@require_http_methods(["GET", "POST"])
@senior_analyst_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_step(request, pk, UrlState.DISPUTED, _senior_decision)


Decision = Callable[[HttpRequest, Url, Assessment, User], HttpResponse]


def _decision_step(request: HttpRequest, pk: int, state: str, decide: Decision) -> HttpResponse:
    """The case page of a step held by the requester (GET), or their decision on it (POST)."""
    url = load_case(pk)
    person = staff_member(request)
    try:
        assessment = _open_step(url, person, state)
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    if request.method == "GET":
        return render_case(request, url)
    return decide(request, url, assessment, person)


def _senior_decision(
    request: HttpRequest, url: Url, assessment: Assessment, senior: User
) -> HttpResponse:
    decision = request.POST.get("decision")
    if decision not in ("uphold", "overrule"):
        return refuse(request, url, unknown_decision(_("Uphold"), _("Overrule")))
    then = "assessment:disputes"
    if decision == "uphold":
        done = _("You upheld the assessment of case %(case)s.") % {"case": url.pk}
        return _decide(request, url, lambda: assessment.uphold(senior), done, then)
    form = GradeForm(request.POST)
    if not form.is_valid():
        return render_case(request, url, grade_form=form)
    try:
        assessment.overrule(senior, form.to_grade())
    except InvalidGrade as invalid:
        form.add_problems(invalid.problems)
        return render_case(request, url, grade_form=form)
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    done = _("You overruled the assessment of case %(case)s.") % {"case": url.pk}
    messages.success(request, done)
    return redirect(then)


@require_GET
@analyst_required
def confirmations(request: HttpRequest) -> HttpResponse:
    number = page_number(request)
    if number is None:
        return _bad_page(request, "assessment:confirmations")
    context = {
        "page": awaiting_confirmation(staff_member(request), number),
        "legend": shortcuts.COMMON,
    }
    return render(request, "assessment/confirmations.html", context)


@require_GET
@manager_required
def team_exposure(request: HttpRequest) -> HttpResponse:
    """Managers see how much the team was exposed to today (counts only, never media)."""
    team = team_today()
    minutes = [(name, exposure.minutes) for name, exposure in team]
    chart = bar_chart(
        "chart-team-exposure",
        _("Minutes with an item revealed today, by analyst"),
        minutes,
        (_("Analyst"), _("Minutes")),
    )
    context = {
        "team": team,
        "chart": chart,
        "items": sum(exposure.items for _name, exposure in team),
        "minutes": sum(exposure.minutes for _name, exposure in team),
    }
    return render(request, "assessment/team_exposure.html", context)


@require_GET
@senior_analyst_required
def disputes(request: HttpRequest) -> HttpResponse:
    number = page_number(request)
    if number is None:
        return _bad_page(request, "assessment:disputes")
    context = {"page": disputed(staff_member(request), number), "legend": shortcuts.COMMON}
    return render(request, "assessment/disputes.html", context)


def _bad_page(request: HttpRequest, page: str) -> HttpResponse:
    messages.error(request, _("The page number must be a whole number from 1."))
    return redirect(page)


def render_case(
    request: HttpRequest,
    url: Url,
    grade_form: GradeForm | None = None,
    dispute_form: DisputeForm | None = None,
    item_form: MediaGradeForm | None = None,
) -> HttpResponse:
    """The case page; every time it is drawn is recorded, as it shows what was reported."""
    viewer = staff_member(request)
    record("case.viewed", actor=viewer, target=url, detail={"state": url.state})
    context = case_context(url, viewer, grade_form, dispute_form, item_form)
    capture = context["media"].capture
    if capture is not None:
        detail = {"case": url.pk, "media_items": len(context["media"].items)}
        record("capture.viewed", actor=viewer, target=capture, detail=detail)
    bound = grade_form or dispute_form or item_form
    status = 400 if bound and request.method == "POST" else 200
    return render(request, "assessment/case.html", context, status=status)


def next_item_anchor(url: Url, after: int) -> str:
    """The case page, focused on the next item still to grade (or on the url's form)."""
    waiting = [view.item.pk for view in case_media(url, gradable=False).waiting]
    later = [pk for pk in waiting if pk > after] or waiting
    anchor = f"#media-{later[0]}" if later else "#step-title"
    return reverse("assessment:case", args=[url.pk]) + anchor


def _require_step(url: Url, person: User, state: str) -> Assessment | None:
    """Refuse unless the url is at `state`, the step is the person's to do, and they hold it."""
    if url.state != state:
        raise AlreadyDecided(
            _("This case has already moved on: it is now “%(state)s”. Nothing was changed.")
            % {"state": url.get_state_display()}
        )
    assessment = Assessment.check_can_take(url, person)
    claims.require_holder(url, person)
    return assessment


def unknown_decision(*buttons: str) -> InvalidGrade:
    message = _("The form did not say which decision you took; use one of its buttons: %(b)s.")
    return InvalidGrade({"decision": message % {"b": ", ".join(buttons)}})


def _open_step(url: Url, person: User, state: str) -> Assessment:
    """As `_require_step`, for the steps that decide on an existing assessment."""
    assessment = _require_step(url, person, state)
    assert assessment is not None, "check_can_take returns the open assessment past the queue"
    return assessment


def _decide(
    request: HttpRequest, url: Url, decision: Callable[[], object], done: str, then: str
) -> HttpResponse:
    """Carry out a confirmation or resolution, or show why it was refused."""
    try:
        decision()
    except AssessmentRefused as refusal:
        return refuse(request, url, refusal)
    messages.success(request, done)
    return redirect(then)
