"""The member API for lists: which lists a key may read, a full version, a delta since a version.

Downloads are streamed (see downloads.py) and each one is recorded: a Download row for the
manager's view of the member, and an audit entry.
"""

import builtins
from typing import Annotated, Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from hotline.audit.log import record
from hotline.lists.downloads import Document, csv_stream, json_stream
from hotline.lists.keys import ListReaderAuth, refuse, require_scope
from hotline.lists.models import Download, ListName, MemberKey, PublishedList
from hotline.lists.versions import (
    VersionNotFound,
    changes_between,
    entries_at,
    latest_version,
    resolve_version,
)

router = Router(tags=["lists"])

Format = Literal["json", "csv"]
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


class Problem(Schema):
    detail: str


class ListSummary(Schema):
    name: str
    version: int = Field(description="The latest published version, 0 before the first.")
    published_at: str | None
    entry_count: int


class ListDocument(Schema):
    list: str
    version: int
    since: int | None = Field(description="null for a full version; N for the delta since N.")
    entries: builtins.list[dict[str, Any]] = Field(
        description=(
            "Hash list: id, md5, sha1, sha256, pdq, category, age_band, sex, self_generated, "
            "commercial, ai_generated, interpol_baseline, industry, added_in. URL list: id, url, "
            "category, added_in. Keyword list: id, term, added_in. In a delta each entry also has "
            "op (add or remove) and reason (why it was removed)."
        )
    )


ERRORS: dict[int, type[Schema]] = {400: Problem, 401: Problem, 403: Problem, 404: Problem}
DOWNLOAD_OPENAPI = {
    "responses": {
        200: {
            "description": "The entries, streamed",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ListDocument"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }
}


@router.get(
    "/lists/",
    auth=ListReaderAuth(),
    response={200: list[ListSummary], **ERRORS},
    summary="The lists this key may download",
)
def list_lists(request: HttpRequest) -> list[dict[str, Any]]:
    member_key: MemberKey = request.auth  # type: ignore[attr-defined]
    readable = PublishedList.objects.filter(name__in=member_key.scopes).order_by("name")
    return [
        {
            "name": published.name,
            "version": published.latest_version,
            "published_at": published.published_at.isoformat() if published.published_at else None,
            "entry_count": published.entry_count,
        }
        for published in readable
    ]


@router.get(
    "/lists/{name}",
    auth=ListReaderAuth(),
    response={200: ListDocument, **ERRORS},
    summary="A full version of a list (the latest by default), as JSON or CSV",
    openapi_extra=DOWNLOAD_OPENAPI,
)
def download_version(
    request: HttpRequest,
    name: str,
    version: Annotated[int | None, Query(ge=1, description="Default: the latest.")] = None,
    output: Annotated[Format, Query(alias="format")] = "json",
) -> StreamingHttpResponse:
    _readable(request, name)
    try:
        chosen = resolve_version(name, version)
    except VersionNotFound:
        raise _no_such_version(name, version) from None
    return _stream(request, Document(name, chosen, None, entries_at(name, chosen)), output)


@router.get(
    "/lists/{name}/delta",
    auth=ListReaderAuth(),
    response={200: ListDocument, **ERRORS},
    summary="What changed in a list since the version you hold, up to the latest",
    openapi_extra=DOWNLOAD_OPENAPI,
)
def download_delta(
    request: HttpRequest,
    name: str,
    since: Annotated[int, Query(ge=0, description="The version you hold (0: none).")],
    output: Annotated[Format, Query(alias="format")] = "json",
) -> StreamingHttpResponse:
    _readable(request, name)
    latest = latest_version(name)
    if since > latest:
        raise HttpError(
            400,
            _("Version %(since)s of this list is not published: the latest is %(latest)s.")
            % {"since": since, "latest": latest},
        )
    entries = changes_between(name, since, latest)
    return _stream(request, Document(name, latest, since, entries), output)


def _readable(request: HttpRequest, name: str) -> None:
    if name not in ListName.values:
        raise refuse(
            request,
            404,
            _("There is no list called %(name)s; the lists are %(lists)s.")
            % {"name": name, "lists": ", ".join(ListName.values)},
            request.auth,  # type: ignore[attr-defined]
        )
    require_scope(request, request.auth, name)  # type: ignore[attr-defined]


def _no_such_version(name: str, version: int | None) -> HttpError:
    latest = latest_version(name)
    if latest == 0:
        return HttpError(404, _("This list has not been published yet."))
    return HttpError(
        404,
        _("Version %(version)s of this list does not exist: the latest is %(latest)s.")
        % {"version": version, "latest": latest},
    )


def _stream(request: HttpRequest, document: Document, output: Format) -> StreamingHttpResponse:
    _record_download(request.auth, document, output)  # type: ignore[attr-defined]
    body = json_stream(document) if output == "json" else csv_stream(document)
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[output])
    suffix = f"-since-{document.since}" if document.is_delta else ""
    filename = f"{document.list_name}-v{document.version}{suffix}.{output}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-List-Version"] = str(document.version)
    return response


def _record_download(member_key: MemberKey, document: Document, output: Format) -> None:
    Download.objects.create(
        member=member_key.member,
        key=member_key,
        list_name=document.list_name,
        version=document.version,
        since=document.since,
        format=output,
    )
    record(
        "lists.downloaded",
        target=member_key,
        detail={
            "member": member_key.member.name,
            "list": document.list_name,
            "version": document.version,
            "since": document.since,
            "format": output,
        },
    )
