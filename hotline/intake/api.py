"""The report API: the same checks and the same filing as the public form, in JSON."""

import hashlib
import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from hotline.intake.models import Channel, ContentKind, ReportingSource, WhereSeen
from hotline.intake.ratelimit import client_address, report_limiter
from hotline.intake.services import file_report
from hotline.intake.source_keys import source_for_key
from hotline.intake.submission import (
    FieldError,
    InvalidSubmission,
    Submission,
    read_submission,
)

router = Router(tags=["reports"])

REPORT_FIELDS = ("urls", "where_seen", "content_kind", "description", "contact_email")
OPTIONAL_TEXT_FIELDS = ("description", "contact_email")
IDEMPOTENCY_KEY_MAX_LENGTH = 200
FIELD_CHOICES = {"where_seen": WhereSeen.values, "content_kind": ContentKind.values}


def _one_of(values: list[str]) -> dict[str, Any]:
    return {"enum": values}


class ReportIn(Schema):
    urls: list[str] = Field(
        description="The web addresses, one per item (at most HOTLINE_MAX_URLS_PER_REPORT)."
    )
    where_seen: str = Field(json_schema_extra=_one_of(WhereSeen.values))
    content_kind: str = Field(json_schema_extra=_one_of(ContentKind.values))
    description: str | None = Field(None, description="Anything that helps find the content.")
    contact_email: str | None = Field(None, description="Where to send the reference.")


class ReportReceipt(Schema):
    reference: str


class Problem(Schema):
    detail: str


class FieldProblem(Schema):
    field: str
    index: int | None = None
    message: str
    allowed: list[str] | None = None


class Rejection(Schema):
    detail: str
    errors: list[FieldProblem]


class Rejected(Exception):
    """A request the API answers with an error status and a JSON explanation."""

    def __init__(
        self, status: int, detail: str, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors

    def response(self) -> HttpResponse:
        body: dict[str, Any] = {"detail": self.detail}
        if self.errors is not None:
            body["errors"] = self.errors
        response = JsonResponse(body, status=self.status)
        if self.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="hotline"'
        return response


OPENAPI_EXTRA = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ReportIn.model_json_schema()}},
    },
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH},
            "description": "Sending the same key again returns the same report, not a new one.",
        }
    ],
}


@router.post(
    "/reports",
    response={
        200: ReportReceipt,
        201: ReportReceipt,
        400: Problem,
        401: Problem,
        413: Problem,
        415: Problem,
        422: Rejection,
        429: Problem,
    },
    summary="File a report",
    description=(
        "Report one or more web addresses. Anonymous calls are rate-limited per address; a "
        "reporting source sends its key as `Authorization: Bearer <key>`. Answers 201 with the "
        "report's reference, or 200 with the same reference when the Idempotency-Key was "
        "already used."
    ),
    openapi_extra=OPENAPI_EXTRA,
)
def create_report(request: HttpRequest) -> HttpResponse:
    try:
        return _create_report(request)
    except Rejected as rejected:
        return rejected.response()


def _create_report(request: HttpRequest) -> HttpResponse:
    source = _authenticated_source(request)
    if source is None and not report_limiter.allow(client_address(request)):
        raise Rejected(
            429,
            _("Too many reports from this address in a short time. Nothing was saved."),
        )
    submission = _read_submission(_json_body(request))
    filed = file_report(
        submission,
        channel=Channel.API,
        source=source,
        submission_token=_idempotency_token(request, source),
        language=translation.get_language() or "",
    )
    return JsonResponse({"reference": filed.report.reference}, status=201 if filed.created else 200)


def _authenticated_source(request: HttpRequest) -> ReportingSource | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _space, key = header.partition(" ")
    source = source_for_key(key.strip()) if scheme.lower() == "bearer" else None
    if source is None:
        raise Rejected(401, _("This key is not valid, or has been revoked."))
    return source


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise Rejected(415, _("Send the report as JSON, with Content-Type: application/json."))
    try:
        body = json.loads(request.body)
    except RequestDataTooBig:
        raise Rejected(413, _("The request body is too large. Nothing was saved.")) from None
    except ValueError:
        raise Rejected(400, _("The request body is not valid JSON. Nothing was saved.")) from None
    if not isinstance(body, dict):
        raise _invalid([FieldError("body", _("The body must be a JSON object."))])
    return body


def _read_submission(body: dict[str, Any]) -> Submission:
    """The checked submission, or every problem with the body: its shape first, then its content."""
    shape_errors = _shape_errors(body)
    badly_shaped = {error.field for error in shape_errors}
    urls = body.get("urls")
    try:
        submission = read_submission(
            urls=[] if "urls" in badly_shaped or not isinstance(urls, list) else urls,
            where_seen=_text(body.get("where_seen")),
            content_kind=_text(body.get("content_kind")),
            description=_text(body.get("description")),
            contact_email=_text(body.get("contact_email")),
        )
    except InvalidSubmission as invalid:
        content_errors = [error for error in invalid.errors if error.field not in badly_shaped]
        raise _invalid(shape_errors + content_errors) from None
    if shape_errors:
        raise _invalid(shape_errors)
    return submission


def _text(value: Any) -> str:
    # A choice that is not text is simply not one of the choices.
    return value if isinstance(value, str) else ""


def _shape_errors(body: dict[str, Any]) -> list[FieldError]:
    """Problems a form cannot have: wrong JSON types and unknown fields."""
    errors = [FieldError(name, _("Unknown field.")) for name in body if name not in REPORT_FIELDS]
    urls = body.get("urls")
    if urls is not None and not isinstance(urls, list):
        errors.append(FieldError("urls", _("Give the addresses as a list of strings.")))
    elif urls is not None:
        errors += [
            FieldError("urls", _("Each address must be a string."), index)
            for index, url in enumerate(urls)
            if not isinstance(url, str)
        ]
    errors += [
        FieldError(name, _("This must be a string, or null."))
        for name in OPTIONAL_TEXT_FIELDS
        if body.get(name) is not None and not isinstance(body[name], str)
    ]
    return errors


def _invalid(errors: list[FieldError]) -> Rejected:
    problems = [
        {
            "field": error.field,
            "index": error.index,
            "message": str(error.message),
            **({"allowed": FIELD_CHOICES[error.field]} if error.field in FIELD_CHOICES else {}),
        }
        for error in errors
    ]
    return Rejected(422, _("The report was not accepted. Nothing was saved."), problems)


def _idempotency_token(request: HttpRequest, source: ReportingSource | None) -> str | None:
    """The submission token for an Idempotency-Key, private to the source that sent it."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 0 < len(key) <= IDEMPOTENCY_KEY_MAX_LENGTH:
        raise Rejected(
            400,
            _("The Idempotency-Key header must be 1 to %(limit)s characters long.")
            % {"limit": IDEMPOTENCY_KEY_MAX_LENGTH},
        )
    scope = "public" if source is None else f"source-{source.pk}"
    return hashlib.sha256(f"api:{scope}:{key}".encode()).hexdigest()
