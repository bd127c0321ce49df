"""Public pages: the home page, safety advice, and the anonymous report form."""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from hotline.intake.form_tokens import InvalidFormToken, new_form_token, submission_token
from hotline.intake.models import Channel, ContentKind, WhereSeen
from hotline.intake.ratelimit import client_address, report_limiter
from hotline.intake.services import file_report, new_reference
from hotline.intake.submission import (
    FieldError,
    InvalidSubmission,
    Submission,
    read_submission,
    urls_from_lines,
)

ADVICE_PAGES = {
    "children": "intake/advice_children.html",
    "parents-and-carers": "intake/advice_parents.html",
    "teachers": "intake/advice_teachers.html",
}
HONEYPOT_FIELD = "website"
# Where the error summary sends the reader for each field: the field, or a group's first choice.
FIELD_ANCHORS = {
    "urls": "id_urls",
    "where_seen": "id_where_seen_0",
    "content_kind": "id_content_kind_0",
    "description": "id_description",
    "contact_email": "id_contact_email",
}


@dataclass
class ReportForm:
    """The report form as the reporter last saw it: their answers, kept through every error."""

    token: str
    urls: str = ""
    where_seen: str = ""
    content_kind: str = ""
    description: str = ""
    contact_email: str = ""
    errors: list[FieldError] = field(default_factory=list)
    notice: str | Promise = ""

    @classmethod
    def from_post(cls, post: QueryDict) -> "ReportForm":
        return cls(
            token=post.get("token", ""),
            urls=post.get("urls", ""),
            where_seen=post.get("where_seen", ""),
            content_kind=post.get("content_kind", ""),
            description=post.get("description", ""),
            contact_email=post.get("contact_email", ""),
        )

    def submission(self) -> Submission:
        return read_submission(
            urls=urls_from_lines(self.urls),
            where_seen=self.where_seen,
            content_kind=self.content_kind,
            description=self.description,
            contact_email=self.contact_email,
        )

    def error_summary(self) -> list[tuple[str, str | Promise]]:
        return [(FIELD_ANCHORS[error.field], error.message) for error in self.errors]

    def field_errors(self) -> dict[str, list[str | Promise]]:
        by_field: dict[str, list[str | Promise]] = {}
        for error in self.errors:
            by_field.setdefault(error.field, []).append(error.message)
        return by_field


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/home.html")


@require_GET
def advice(request: HttpRequest, audience: str) -> HttpResponse:
    template = ADVICE_PAGES.get(audience)
    if template is None:
        raise Http404(audience)
    return render(request, template)


@csrf_exempt  # The CSRF check runs in _receive_report, once the body is known to fit.
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, ReportForm(token=new_form_token()))
    if _body_too_large(request):
        return render(request, "intake/too_large.html", status=413)
    return _receive_report(request)


def _body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@csrf_protect
def _receive_report(request: HttpRequest) -> HttpResponse:
    form = ReportForm.from_post(request.POST)
    if not report_limiter.allow(client_address(request)):
        return _rate_limited(request, form)
    if request.POST.get(HONEYPOT_FIELD):
        # A robot filled the hidden field: it sees what a person would, and nothing is stored.
        return _thank_you(request, new_reference(), len(urls_from_lines(form.urls)), False)
    token = _checked_token(form)
    try:
        submission = form.submission()
    except InvalidSubmission as invalid:
        form.errors = invalid.errors
        return _form_page(request, form, status=422)
    if token is None:
        return _form_page(request, form, status=400)
    filed = file_report(
        submission,
        channel=Channel.WEB_FORM,
        submission_token=token,
        language=translation.get_language() or "",
    )
    return _thank_you(
        request, filed.report.reference, len(submission.urls), bool(submission.contact_email)
    )


def _checked_token(form: ReportForm) -> str | None:
    """The form's submission token; if it is expired or forged, a fresh form token and a notice."""
    try:
        return submission_token(form.token)
    except InvalidFormToken:
        form.token = new_form_token()
        form.notice = _(
            "This form was open for too long, or could not be checked, so your report has not "
            "been sent yet. Your answers are below: please check them and send the report again."
        )
        return None


def _rate_limited(request: HttpRequest, form: ReportForm) -> HttpResponse:
    minutes = max(1, round(report_limiter.retry_after() / 60))
    form.notice = _(
        "We have received many reports from your connection in a short time, so this one has "
        "not been sent. Please wait %(minutes)s minutes, then send it again: your answers are "
        "kept below."
    ) % {"minutes": minutes}
    response = _form_page(request, form, status=429)
    response["Retry-After"] = str(report_limiter.retry_after())
    return response


def _form_page(request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "where_seen_choices": WhereSeen.choices,
        "content_kind_choices": ContentKind.choices,
        "max_urls": settings.HOTLINE_MAX_URLS_PER_REPORT,
        "max_description_length": settings.HOTLINE_MAX_DESCRIPTION_LENGTH,
        "honeypot_field": HONEYPOT_FIELD,
    }
    return render(request, "intake/report_form.html", context, status=status)


def _thank_you(
    request: HttpRequest, reference: str, address_count: int, has_email: bool
) -> HttpResponse:
    context = {"reference": reference, "address_count": address_count, "has_email": has_email}
    return render(request, "intake/thank_you.html", context)
