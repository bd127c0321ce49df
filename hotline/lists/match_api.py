"""The match API: members ask whether hashes, or an image, are on the published hash list.

An uploaded image is hashed in memory and forgotten: it is never written to disk, the database or
a log. The audit log records who matched, how many hashes and how many matches, never the hashes.
"""

import io
import json
import string
import threading
import time
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ValidationError, field_validator, model_validator

from hashcore import FileHashes, HashingError, Limits, hash_bytes
from hashcore.sniff import HEAD_SIZE, video_format
from hotline.audit.log import record
from hotline.lists.downloads import ENTRY_FIELDS
from hotline.lists.keys import MemberKeyAuth
from hotline.lists.matching import DIGEST_LENGTHS, HashQuery, Match, find
from hotline.lists.models import ListEntry, ListName, MemberKey, Scope

router = Router(tags=["match"])

MAX_HASHES = 1000
IMAGE_FIELD = "image"
# Multipart boundaries and headers around the image.
MULTIPART_OVERHEAD = 64 * 1024
# An uploaded image is decoded in memory, so its pixels are bounded well below hashcore's default.
IMAGE_LIMITS = {"max_pixels": 50_000_000, "max_frames": 1}


class Rejected(Exception):
    """A request answered with an error status and a JSON explanation; nothing is matched."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        body: dict[str, Any] = {"detail": self.detail}
        if self.errors is not None:
            body["errors"] = self.errors
        return JsonResponse(body, status=self.status, headers=self.headers)


# Request and answer schemas (also the OpenAPI document's).


class HashIn(Schema):
    type: Literal["pdq", "md5", "sha1", "sha256"]
    value: str = Field(description="Hex: 64 characters for pdq and sha256, 32 md5, 40 sha1.")

    @field_validator("value")
    @classmethod
    def lowercase(cls, value: str) -> str:
        return value.strip().lower()

    @model_validator(mode="after")
    def hex_of_its_length(self) -> "HashIn":
        length = DIGEST_LENGTHS[self.type]
        if len(self.value) != length or not set(self.value) <= set(string.hexdigits):
            raise ValueError(f"a {self.type} hash is {length} hexadecimal characters")
        return self


class MatchIn(Schema):
    hashes: list[HashIn] = Field(max_length=MAX_HASHES, description="At most 1,000 hashes.")
    max_distance: int | None = Field(
        None,
        ge=0,
        description="PDQ Hamming distance, at most HOTLINE_PDQ_MATCH_THRESHOLD (the default).",
    )
    model_config = {"extra": "forbid"}


class EntryOut(Schema):
    id: int
    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    pdq: str | None = None
    category: str | None = None
    age_band: str | None = None
    sex: str | None = None
    self_generated: bool | None = None
    commercial: bool | None = None
    ai_generated: bool | None = None
    interpol_baseline: bool | None = None
    industry: str | None = None
    added_in: int


class MatchOut(Schema):
    query: int = Field(description="The position of the matching hash in the request (from 0).")
    distance: int = Field(description="Bits that differ (PDQ); 0 for an exact digest.")
    entry: EntryOut


class MatchResult(Schema):
    version: int = Field(description="The hash list version searched.")
    matches: list[MatchOut]


class ImageMatchResult(MatchResult):
    hashes: list[HashIn] = Field(description="The image's hashes; `query` refers to these.")
    pdq_quality: int | None = Field(
        description="PDQ quality (0-100); below HOTLINE_PDQ_MIN_QUALITY the PDQ is not searched."
    )


class Problem(Schema):
    detail: str


class ItemProblem(Schema):
    field: str
    index: int | None = None
    message: str


class Rejection(Schema):
    detail: str
    errors: list[ItemProblem]


ERRORS: dict[int, type[Schema]] = {
    400: Problem,
    401: Problem,
    403: Problem,
    413: Problem,
    415: Problem,
    422: Rejection,
    429: Problem,
}


# Per-member request rate.


class MemberRateLimiter:
    """Counts each member key's requests per minute in this process."""

    WINDOW_SECONDS = 60

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window = -1
        self._counts: dict[int, int] = {}

    def allow(self, member_key: MemberKey) -> bool:
        limit = settings.HOTLINE_MATCH_RATE_LIMIT
        if limit == 0:
            return True
        with self._lock:
            window = int(time.monotonic() // self.WINDOW_SECONDS)
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(member_key.pk, 0) + 1
            self._counts[member_key.pk] = count
        return count <= limit

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return max(1, int(self.WINDOW_SECONDS - time.monotonic() % self.WINDOW_SECONDS))

    def reset(self) -> None:
        with self._lock:
            self._window = -1


match_limiter = MemberRateLimiter()


# Matching hashes.


@router.post(
    "/match",
    auth=MemberKeyAuth(Scope.MATCH),
    response={200: MatchResult, **ERRORS},
    summary="Match hashes against the hash list",
    description=(
        "Up to 1,000 hashes (PDQ, MD5, SHA-1, SHA-256) in one request. PDQ hashes match entries "
        "within `max_distance` bits (default and maximum: the hotline's threshold, 31 unless "
        "configured); digests match exactly. Needs a member key with the `match` scope. "
        "Each key may make HOTLINE_MATCH_RATE_LIMIT requests a minute per server process."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": MatchIn.model_json_schema()}},
        }
    },
)
def match_hashes(request: HttpRequest) -> HttpResponse:
    try:
        member_key = _allowed(request)
        request_in = _read_match(request)
        radius = _max_distance(request_in.max_distance)
        queries = [HashQuery(item.type, item.value) for item in request_in.hashes]
        version, matches = find(queries, radius)
    except Rejected as rejected:
        return rejected.response()
    _audit(member_key, "hashes", len(queries), matches)
    return JsonResponse({"version": version, "matches": [_match_json(m) for m in matches]})


def _allowed(request: HttpRequest) -> MemberKey:
    member_key = request.auth  # type: ignore[attr-defined]
    assert isinstance(member_key, MemberKey)
    if not match_limiter.allow(member_key):
        raise Rejected(
            429,
            _("Too many match requests with this key: at most %(limit)s a minute.")
            % {"limit": settings.HOTLINE_MATCH_RATE_LIMIT},
            headers={"Retry-After": str(match_limiter.retry_after())},
        )
    return member_key


def _read_match(request: HttpRequest) -> MatchIn:
    if request.content_type != "application/json":
        raise Rejected(415, _("Send the hashes as JSON, with Content-Type: application/json."))
    try:
        body = json.loads(request.body)
    except RequestDataTooBig:
        raise _too_many_hashes() from None
    except ValueError:
        raise Rejected(400, _("The request body is not valid JSON.")) from None
    _check_count(body)
    try:
        return MatchIn.model_validate(body)
    except ValidationError as invalid:
        raise _invalid(invalid) from None


def _too_many_hashes(count: int | None = None) -> Rejected:
    detail = _("At most %(limit)s hashes may be matched in one request.") % {"limit": MAX_HASHES}
    if count is not None:
        detail += " " + _("This request has %(count)s.") % {"count": count}
    return Rejected(413, detail)


def _check_count(body: Any) -> None:
    """Refuse an oversized batch as such, before checking each of its hashes."""
    hashes = body.get("hashes") if isinstance(body, dict) else None
    if isinstance(hashes, list) and len(hashes) > MAX_HASHES:
        raise _too_many_hashes(len(hashes))


def _invalid(invalid: ValidationError) -> Rejected:
    problems = []
    for error in invalid.errors():
        location = [part for part in error["loc"] if part != "__root__"]
        index = next((part for part in location if isinstance(part, int)), None)
        field = ".".join(str(part) for part in location if not isinstance(part, int))
        problems.append({"field": field or "body", "index": index, "message": error["msg"]})
    return Rejected(422, _("Some hashes are not valid: nothing was matched."), problems)


def _max_distance(asked: int | None) -> int:
    threshold: int = settings.HOTLINE_PDQ_MATCH_THRESHOLD
    if asked is None:
        return threshold
    if asked > threshold:
        raise Rejected(
            422,
            _("max_distance may be at most %(threshold)s.") % {"threshold": threshold},
            [{"field": "max_distance", "index": None, "message": f"at most {threshold}"}],
        )
    return asked


def _match_json(match: Match) -> dict[str, Any]:
    return {"query": match.query, "distance": match.distance, "entry": entry_json(match.entry)}


def entry_json(entry: ListEntry) -> dict[str, Any]:
    """A hash list entry as members receive it."""
    fields = {name: entry.data.get(name) for name in ENTRY_FIELDS[ListName.HASHES]}
    return {"id": entry.pk, **fields, "added_in": entry.added_in}


def _audit(member_key: MemberKey, kind: str, hashes: int, matches: list[Match]) -> None:
    record(
        "lists.match",
        target=member_key,
        detail={
            "member": member_key.member.name,
            "kind": kind,
            "hashes": hashes,
            "matches": len(matches),
        },
    )


# Matching an image.


class InMemoryImageHandler(FileUploadHandler):
    """Keeps the one uploaded image in memory, up to the limit: it never reaches the disk."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self.taken = False
        self.buffer = io.BytesIO()

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        if field_name != IMAGE_FIELD or self.taken:
            raise SkipFile
        super().new_file(field_name, *args, **kwargs)
        self.taken = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, "image", "application/octet-stream", file_size, None
        )


IMAGE_REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [IMAGE_FIELD],
                "properties": {
                    IMAGE_FIELD: {"type": "string", "format": "binary"},
                    "max_distance": {"type": "integer", "minimum": 0},
                },
            }
        }
    },
}


@router.post(
    "/match/image",
    auth=MemberKeyAuth(Scope.MATCH),
    response={200: ImageMatchResult, **ERRORS},
    summary="Match an image against the hash list",
    description=(
        "One image (JPEG, PNG, GIF, WebP, BMP, TIFF, HEIF) in the multipart field `image`, at "
        "most HOTLINE_MATCH_MAX_IMAGE_BYTES (10 MiB unless configured) and 50 megapixels. It is "
        "hashed in memory and discarded: never stored or logged. The answer gives its hashes "
        "and their matches, as for POST /match."
    ),
    openapi_extra={"requestBody": IMAGE_REQUEST_BODY},
)
def match_image(request: HttpRequest) -> HttpResponse:
    try:
        member_key = _allowed(request)
        data, asked = _read_image(request)
        hashes = _hash_image(data)
        queries = _image_queries(hashes)
        version, matches = find(queries, _max_distance(asked))
    except Rejected as rejected:
        return rejected.response()
    _audit(member_key, "image", len(queries), matches)
    return JsonResponse(
        {
            "version": version,
            "hashes": [{"type": query.kind, "value": query.value} for query in queries],
            "pdq_quality": hashes.pdq_quality,
            "matches": [_match_json(match) for match in matches],
        }
    )


def _read_image(request: HttpRequest) -> tuple[bytes, int | None]:
    limit: int = settings.HOTLINE_MATCH_MAX_IMAGE_BYTES
    if request.content_type != "multipart/form-data":
        raise Rejected(415, _("Send the image as multipart/form-data, in the field “image”."))
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + MULTIPART_OVERHEAD:
        raise _image_too_large(limit)
    handler = InMemoryImageHandler(request, limit)
    request.upload_handlers = [handler]
    try:
        upload = request.FILES.get(IMAGE_FIELD)
        asked = request.POST.get("max_distance")
    except RequestDataTooBig:
        raise Rejected(413, _("The form fields are too large.")) from None
    if handler.too_large:
        raise _image_too_large(limit)
    if upload is None:
        raise Rejected(400, _("Send one image in the multipart field “image”."))
    return upload.read(), _distance_field(asked)


def _image_too_large(limit: int) -> Rejected:
    return Rejected(
        413, _("The image is larger than %(limit)s bytes. Nothing was kept.") % {"limit": limit}
    )


def _distance_field(asked: str | None) -> int | None:
    if asked is None or asked == "":
        return None
    if not asked.isdigit():
        raise Rejected(
            422,
            _("max_distance must be a whole number."),
            [{"field": "max_distance", "index": None, "message": "not a whole number"}],
        )
    return int(asked)


def _hash_image(data: bytes) -> FileHashes:
    if not data:
        raise Rejected(422, _("The image is empty."))
    if video_format(data[:HEAD_SIZE]) is not None:
        raise Rejected(415, _("Videos cannot be matched here: send an image, or its hashes."))
    limits = Limits(max_image_bytes=settings.HOTLINE_MATCH_MAX_IMAGE_BYTES, **IMAGE_LIMITS)
    try:
        return hash_bytes(data, limits)
    except HashingError as error:
        raise Rejected(
            422, _("This image cannot be hashed: %(reason)s.") % {"reason": error}
        ) from None


def _image_queries(hashes: FileHashes) -> list[HashQuery]:
    queries = [HashQuery(kind, getattr(hashes, kind)) for kind in ("md5", "sha1", "sha256")]
    quality = hashes.pdq_quality or 0
    if hashes.pdq is not None and quality >= settings.HOTLINE_PDQ_MIN_QUALITY:
        queries.append(HashQuery("pdq", hashes.pdq))
    return queries
