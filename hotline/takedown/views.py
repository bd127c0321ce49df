"""The takedown console: queues that need a person, the directory, partners and templates."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline.accounts.access import manager_required, staff_required
from hotline.accounts.models import User
from hotline.audit.log import record
from hotline.takedown import console, rechecks
from hotline.takedown.forms import (
    AssignProviderForm,
    NoticeTemplateForm,
    PartnerForm,
    ProviderForm,
    RuleForm,
)
from hotline.takedown.models import (
    CaseState,
    ContactStatus,
    Notice,
    NoticeStatus,
    NoticeTemplate,
    Partner,
    Provider,
    TakedownCase,
)
from hotline.takedown.sending import mark_bouncing
from hotline.takedown.tasks import takedown_cycle_task

QUEUE_SIZE = 100


def _person(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _cases() -> Any:
    return TakedownCase.objects.select_related("url", "provider", "partner")


@manager_required
def dashboard(request: HttpRequest) -> HttpResponse:
    record("takedown.console_viewed", actor=request.user)
    counts = dict(TakedownCase.objects.values_list("state").annotate(n=Count("pk")))
    context = {
        "states": [(label, counts.get(value, 0)) for value, label in CaseState.choices],
        "no_contact": _cases().filter(state=CaseState.NO_CONTACT)[:QUEUE_SIZE],
        "held": _cases().filter(state=CaseState.HELD)[:QUEUE_SIZE],
        "escalated": _cases().filter(escalated_at__isnull=False, removed_at__isnull=True)[
            :QUEUE_SIZE
        ],
        "troubled": Notice.objects.filter(
            status__in=(NoticeStatus.FAILED, NoticeStatus.BOUNCED)
        ).select_related("provider", "partner")[:20],
        "notices": Notice.objects.select_related("provider", "partner")[:20],
        "assign_form": AssignProviderForm(),
    }
    return render(request, "takedown/dashboard.html", context)


@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(_cases(), pk=pk)
    record("takedown.case_viewed", actor=request.user, target=case)
    context = {
        "case": case,
        "events": case.events.all(),
        "notices": case.notices.all(),
        "assign_form": AssignProviderForm(),
    }
    return render(request, "takedown/case.html", context)


@require_POST
@manager_required
def assign_provider(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(_cases(), pk=pk)
    form = AssignProviderForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(message) for message in error))
        return redirect("takedown:case", pk=case.pk)
    provider = form.cleaned_data["provider"] or _new_provider(form.cleaned_data, request)
    console.assign_provider(case, provider, _person(request))
    messages.success(
        request,
        _("%(case)s now goes to %(provider)s.")
        % {
            "case": case.reference,
            "provider": provider.name,
        },
    )
    return redirect("takedown:case", pk=case.pk)


def _new_provider(data: dict[str, Any], request: HttpRequest) -> Provider:
    with transaction.atomic():
        provider = Provider.objects.create(
            name=data["name"],
            abuse_email=data["abuse_email"],
            contact_status=ContactStatus.CONFIRMED,
        )
        record("takedown.provider_added", actor=request.user, target=provider)
    return provider


@require_POST
@manager_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(_cases(), pk=pk)
    console.release_held(case, _person(request))
    messages.success(
        request,
        _("The notice for %(case)s is on its way.")
        % {
            "case": case.reference,
        },
    )
    return redirect("takedown:case", pk=case.pk)


@require_POST
@manager_required
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(_cases(), pk=pk)
    outcome = rechecks.check_now(case)
    record("takedown.checked_by_hand", actor=request.user, target=case, detail={"check": outcome})
    messages.success(request, _("Checked now: %(outcome)s.") % {"outcome": outcome})
    return redirect("takedown:case", pk=case.pk)


@require_POST
@manager_required
def run_now(request: HttpRequest) -> HttpResponse:
    record("takedown.cycle_requested", actor=request.user)
    takedown_cycle_task.enqueue()
    messages.success(request, _("Due checks and notices are running."))
    return redirect("takedown:dashboard")


@require_POST
@manager_required
def notice_bounced(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("provider"), pk=pk)
    console.record_bounce(notice, _person(request))
    messages.success(
        request,
        _("The bounce of %(notice)s is recorded.")
        % {
            "notice": notice.reference,
        },
    )
    return redirect("takedown:dashboard")


@manager_required
def providers(request: HttpRequest) -> HttpResponse:
    listed = Provider.objects.annotate(open_cases=Count("cases")).prefetch_related("rules")
    return render(request, "takedown/providers.html", {"providers": listed, "form": ProviderForm()})


@manager_required
def provider_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk) if pk else None
    form = ProviderForm(request.POST or None, instance=provider)
    rule_form = RuleForm()
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        waiting = console.contact_updated(saved, _person(request))
        messages.success(
            request,
            _("Saved; %(count)s waiting cases were released.")
            % {
                "count": waiting,
            },
        )
        return redirect("takedown:provider", pk=saved.pk)
    context = {"provider": provider, "form": form, "rule_form": rule_form}
    return render(request, "takedown/provider.html", context)


@require_POST
@manager_required
def provider_rule(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    form = RuleForm(request.POST)
    if form.is_valid():
        rule = provider.rules.create(**form.cleaned_data)
        record(
            "takedown.rule_added",
            actor=request.user,
            target=provider,
            detail={
                "kind": rule.kind,
                "value": rule.value,
            },
        )
        return redirect("takedown:provider", pk=provider.pk)
    context = {"provider": provider, "form": ProviderForm(instance=provider), "rule_form": form}
    return render(request, "takedown/provider.html", context, status=400)


@require_POST
@manager_required
def provider_bouncing(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    moved = mark_bouncing(provider, reason="marked by a manager", actor=request.user)
    messages.success(request, _("%(count)s cases wait for a new contact.") % {"count": moved})
    return redirect("takedown:provider", pk=provider.pk)


@manager_required
def partners(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        record("takedown.partner_added", actor=request.user, target=partner)
        return redirect("takedown:partners")
    listed = Partner.objects.all()
    return render(request, "takedown/partners.html", {"partners": listed, "form": form})


@manager_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        form.save()
        record("takedown.partner_changed", actor=request.user, target=partner)
        return redirect("takedown:partners")
    return render(request, "takedown/partner.html", {"partner": partner, "form": form})


@manager_required
def templates(request: HttpRequest) -> HttpResponse:
    listed = NoticeTemplate.objects.all()
    return render(request, "takedown/templates.html", {"templates": listed})


@manager_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(NoticeTemplate, pk=pk)
    form = NoticeTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        record("takedown.template_changed", actor=request.user, target=template)
        messages.success(request, _("The template is saved."))
        return redirect("takedown:templates")
    return render(request, "takedown/template.html", {"template": template, "form": form})
