"""The lists console: managers publish lists and administer members and their keys; analysts
propose and review keywords."""

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline.accounts.access import analyst_required, manager_required
from hotline.audit.log import record
from hotline.lists.forms import KeyForm, KeywordForm, MemberForm, TermsForm
from hotline.lists.keys import issue_key, revoke_key
from hotline.lists.models import (
    Keyword,
    KeywordRefused,
    KeywordStatus,
    ListName,
    ListVersion,
    Member,
    MemberKey,
    PublishedList,
)
from hotline.lists.publishing import publish as publish_list
from hotline.lists.publishing import published_lists
from hotline.stats.charts import Chart, bar_chart

OK = 200
VERSIONS_SHOWN = 12
DOWNLOADS_SHOWN = 50
DOWNLOAD_CHART_DAYS = 30


@manager_required
def overview(request: HttpRequest) -> HttpResponse:
    lists = []
    for published in published_lists():
        versions = list(published.versions.select_related("published_by")[:VERSIONS_SHOWN])
        chart = _versions_chart(published, versions)
        lists.append({"list": published, "versions": versions, "chart": chart})
    return render(request, "lists/overview.html", {"lists": lists})


def _versions_chart(published: PublishedList, versions: list[ListVersion]) -> Chart:
    return bar_chart(
        f"versions-{published.name}",
        _("%(list)s: entries in each recent version") % {"list": published.get_name_display()},
        [(f"v{version.number}", version.entry_count) for version in reversed(versions)],
        (_("Version"), _("Entries")),
    )


@manager_required
@require_POST
def publish(request: HttpRequest, name: str) -> HttpResponse:
    if name not in ListName.values:
        return redirect("lists:overview")
    publication = publish_list(name, by=request.user)  # type: ignore[arg-type]
    label = ListName(name).label
    if publication.changed:
        messages.success(
            request,
            _("%(list)s version %(version)s is published: %(added)s added, %(removed)s removed.")
            % {
                "list": label,
                "version": publication.version,
                "added": publication.added,
                "removed": publication.removed,
            },
        )
    else:
        messages.info(
            request,
            _("%(list)s has not changed since version %(version)s: no new version.")
            % {"list": label, "version": publication.version},
        )
    return redirect("lists:overview")


@manager_required
def members(request: HttpRequest) -> HttpResponse:
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        record(
            "lists.member.created", actor=request.user, target=member, detail={"name": member.name}
        )
        messages.success(request, _("Member created. Record its terms acceptance, then add a key."))
        return redirect("lists:member", pk=member.pk)
    listed = Member.objects.annotate(
        live_keys=Count("keys", distinct=True, filter=_live_key_filter())
    )
    return render(request, "lists/members.html", {"members": listed, "form": form})


def _live_key_filter() -> Q:
    now = timezone.now()
    return Q(keys__revoked_at__isnull=True) & (
        Q(keys__expires_at__isnull=True) | Q(keys__expires_at__gt=now)
    )


@manager_required
def member(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Member, pk=pk)
    return _member_page(request, found, TermsForm(), KeyForm())


def _member_page(
    request: HttpRequest,
    member: Member,
    terms_form: TermsForm,
    key_form: KeyForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "member": member,
        "keys": member.keys.select_related("created_by"),
        "downloads": member.downloads.select_related("key")[:DOWNLOADS_SHOWN],
        "downloads_chart": _downloads_chart(member),
        "terms_form": terms_form,
        "key_form": key_form,
        "now": timezone.now(),
    }
    return render(request, "lists/member.html", context, status=status)


def _downloads_chart(member: Member) -> Chart:
    since = timezone.now() - timedelta(days=DOWNLOAD_CHART_DAYS)
    counts = dict(
        member.downloads.filter(at__gte=since)
        .values_list("list_name")
        .annotate(total=Count("pk"))
        .values_list("list_name", "total")
    )
    return bar_chart(
        "member-downloads",
        _("Downloads in the last %(days)s days") % {"days": DOWNLOAD_CHART_DAYS},
        [(str(label), counts.get(name, 0)) for name, label in ListName.choices],
        (_("List"), _("Downloads")),
    )


@manager_required
@require_POST
def member_terms(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Member, pk=pk)
    form = TermsForm(request.POST)
    if not form.is_valid():
        return _member_page(request, found, form, KeyForm(), status=400)
    found.terms_accepted_at = form.accepted_at()
    found.save(update_fields=["terms_accepted_at"])
    record(
        "lists.member.terms_recorded",
        actor=request.user,
        target=found,
        detail={"accepted_on": form.cleaned_data["accepted_on"]},
    )
    messages.success(request, _("The terms acceptance is recorded."))
    return redirect("lists:member", pk=found.pk)


@manager_required
@require_POST
def member_active(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Member, pk=pk)
    found.active = request.POST.get("active") == "1"
    found.save(update_fields=["active"])
    action = "lists.member.reactivated" if found.active else "lists.member.suspended"
    record(action, actor=request.user, target=found, detail={"name": found.name})
    if found.active:
        messages.success(request, _("The member's keys work again."))
    else:
        messages.success(request, _("The member is suspended: none of its keys works."))
    return redirect("lists:member", pk=found.pk)


@manager_required
@require_POST
def key_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a key and show it this once: the page is not cached and the key is not kept."""
    found = get_object_or_404(Member, pk=pk)
    form = KeyForm(request.POST)
    if not form.is_valid():
        return _member_page(request, found, TermsForm(), form, status=400)
    member_key, clear = issue_key(
        found,
        form.cleaned_data["scopes"],
        expires_at=form.expires_at(),
        by=request.user,  # type: ignore[arg-type]
    )
    response = render(
        request, "lists/key_created.html", {"member": found, "key": member_key, "clear": clear}
    )
    response["Cache-Control"] = "no-store"
    return response


@manager_required
@require_POST
def key_revoke(request: HttpRequest, pk: int, key_pk: int) -> HttpResponse:
    member_key = get_object_or_404(MemberKey.objects.select_related("member"), pk=key_pk, member=pk)
    revoke_key(member_key, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Key %(prefix)s is revoked.") % {"prefix": member_key.prefix})
    return redirect("lists:member", pk=pk)


@analyst_required
def keywords(request: HttpRequest) -> HttpResponse:
    form = KeywordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            Keyword.propose(form.cleaned_data["term"], request.user)  # type: ignore[arg-type]
        except KeywordRefused as refused:
            form.add_error("term", str(refused))
        else:
            messages.success(request, _("The term waits for another analyst's review."))
            return redirect("lists:keywords")
    return _keywords_page(request, form, status=400 if form.errors else 200)


def _keywords_page(request: HttpRequest, form: KeywordForm, status: int = 200) -> HttpResponse:
    terms = Keyword.objects.select_related("proposed_by", "reviewed_by")
    analyst = request.user.pk
    context = {
        "form": form,
        "to_review": terms.filter(status=KeywordStatus.PROPOSED).exclude(proposed_by=analyst),
        "mine": terms.filter(status=KeywordStatus.PROPOSED, proposed_by=analyst),
        "approved": terms.filter(status=KeywordStatus.APPROVED),
    }
    return render(request, "lists/keywords.html", context, status=status)


@analyst_required
@require_POST
def keyword_review(request: HttpRequest, pk: int) -> HttpResponse:
    keyword = get_object_or_404(Keyword, pk=pk)
    approve = request.POST.get("decision") == "approve"
    return _keyword_change(
        request,
        lambda: keyword.review(request.user, approve, request.POST.get("reason", "")),  # type: ignore[arg-type]
        _("The term is approved for the next keyword list.")
        if approve
        else _("The term is rejected."),
    )


@analyst_required
@require_POST
def keyword_retire(request: HttpRequest, pk: int) -> HttpResponse:
    keyword = get_object_or_404(Keyword, pk=pk)
    return _keyword_change(
        request,
        lambda: keyword.retire(request.user, request.POST.get("reason", "")),  # type: ignore[arg-type]
        _("The term is retired: the next keyword list removes it."),
    )


def _keyword_change(request: HttpRequest, change: Callable[[], None], done: str) -> HttpResponse:
    try:
        change()
    except KeywordRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("lists:keywords")
