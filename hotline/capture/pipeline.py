"""Capturing a url: fetch the page, keep it as a WARC, locate its host, fetch and hash its media.

Every call of `capture_url` captures anew and writes a new Capture row: a later capture of the
same url is evidence of the page's later state, never a duplicate. What a capture finds is stored
as it goes, through the evidence store (idempotent by SHA-256) and media items got-or-created by
SHA-256, so a capture stopped half way (a worker killed, an unexpected error) and run again
stores no content twice; the Capture row and its media links are written last, in one
transaction, so a stopped capture leaves no half-written row behind.

The page's own failures (no response to be had) are recorded as a failed capture; a media URL
that cannot be fetched is recorded on its link. Anything else raises, so that the task is retried.
"""

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime
from email.message import Message
from io import BytesIO
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hashcore import HashingError, hash_bytes
from hotline.capture.errors import FetchError
from hotline.capture.evidence import store
from hotline.capture.extraction import (
    MediaKind,
    MediaReference,
    extract_media,
    is_media_content_type,
)
from hotline.capture.fetcher import Fetcher, FetchPolicy, FetchResult
from hotline.capture.hosting import Hosting, lookup_hosting
from hotline.capture.models import (
    Capture,
    CaptureMedia,
    CaptureStatus,
    EvidenceBlob,
    MediaItem,
    MediaKindChoice,
)
from hotline.capture.signals import capture_recorded
from hotline.capture.warc import sent_request_headers, write_capture_warc
from hotline.intake.models import Url

HTML_TYPES = frozenset(("", "text/html", "application/xhtml+xml"))
ITSELF = "the response itself"


@dataclass(frozen=True)
class Page:
    """The media a response shows: itself, when it is an image or video, or what its HTML names."""

    title: str
    media: tuple[MediaReference, ...]
    found: int
    is_media: bool = False


@dataclass(frozen=True)
class FoundMedia:
    """What fetching one media URL gave, before the capture's row exists."""

    reference: MediaReference
    media_item: MediaItem | None
    fetch_status: int | None = None
    error: str = ""


def capture_url(url_id: int) -> Capture:
    """Capture the url `url_id` now; always a new capture, failed if no response could be had."""
    url = Url.objects.get(pk=url_id)
    fetcher = Fetcher(FetchPolicy.from_settings())
    started_at = timezone.now()
    try:
        result = fetcher.fetch(url.canonical)
    except FetchError as error:
        return Capture.objects.create(
            url=url,
            started_at=started_at,
            finished_at=timezone.now(),
            status=CaptureStatus.FAILED,
            error=str(error),
        )
    hosting = lookup_hosting(result.peer_ip) if result.peer_ip else None
    page = page_media(result)
    warc = store_warc(fetcher, url, result, started_at, hosting, page)
    if page.is_media:
        found = [from_response(page.media[0], result)]
    else:
        found = [fetch_media(fetcher, reference) for reference in page.media]
    return record_capture(url, started_at, result, hosting, page, warc, found)


def page_media(result: FetchResult) -> Page:
    content_type = _content_type(result)
    kind = is_media_content_type(content_type)
    if kind is not None:
        return Page("", (MediaReference(result.url, kind, ITSELF),), 1, is_media=True)
    if _media_type(content_type) not in HTML_TYPES:
        return Page("", (), 0)
    extraction = extract_media(result.body, result.url, encoding=_charset(content_type))
    cap = settings.HOTLINE_CAPTURE_MAX_MEDIA_PER_CAPTURE
    return Page(extraction.title, extraction.media[:cap], extraction.media_total)


def store_warc(
    fetcher: Fetcher,
    url: Url,
    result: FetchResult,
    started_at: datetime,
    hosting: Hosting | None,
    page: Page,
) -> EvidenceBlob:
    """The capture's WARC file, in the evidence store like any other evidence."""
    buffer = BytesIO()
    metadata = {
        "url_id": url.pk,
        "hosting": asdict(hosting) if hosting is not None else None,
        "title": page.title,
        "media_found": page.found,
    }
    write_capture_warc(
        result,
        stream=buffer,
        request_headers=sent_request_headers(fetcher, url.canonical),
        fetched_at=started_at,
        metadata=metadata,
    )
    return store(buffer.getvalue())


def fetch_media(fetcher: Fetcher, reference: MediaReference) -> FoundMedia:
    try:
        result = fetcher.fetch(
            reference.url, max_body_bytes=settings.HOTLINE_CAPTURE_MAX_MEDIA_BYTES
        )
    except FetchError as error:
        return FoundMedia(reference, None, error=str(error))
    return from_response(reference, result)


def from_response(reference: MediaReference, result: FetchResult) -> FoundMedia:
    """The media item a response holds; none for an error page or a body cut short."""
    if not 200 <= result.status < 300:
        return FoundMedia(reference, None, result.status, f"the server answered {result.status}")
    # A part of a file would be hashed as if it were the file; the page's WARC keeps what came.
    if result.truncated:
        return FoundMedia(reference, None, result.status, f"not stored: {result.truncation}")
    if not result.body:
        return FoundMedia(reference, None, result.status, "the response was empty")
    kind = is_media_content_type(_content_type(result)) or reference.kind
    return FoundMedia(reference, media_item_for(result.body, kind), result.status)


def media_item_for(data: bytes, kind: MediaKind) -> MediaItem:
    """The media item of `data`, stored and hashed unless an earlier capture already did."""
    # Stored every time: a sighting moves the blob's last_seen_at on, which retention counts from.
    blob = store(data)
    existing = MediaItem.objects.filter(sha256=blob.sha256).first()
    if existing is not None:
        return existing
    # A concurrent capture of the same bytes may create it first; get_or_create then returns it.
    item, _ = MediaItem.objects.get_or_create(
        sha256=blob.sha256, defaults={"blob": blob, **hash_fields(data, kind)}
    )
    return item


def hash_fields(data: bytes, kind: MediaKind) -> dict[str, Any]:
    """A media item's hashes; for content hashcore cannot read, its digests and the reason."""
    try:
        hashes = hash_bytes(data)
    except HashingError as error:
        return {
            "kind": MediaKindChoice.VIDEO if kind == MediaKind.VIDEO else MediaKindChoice.IMAGE,
            "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
            "sha1": hashlib.sha1(data, usedforsecurity=False).hexdigest(),
            "hash_error": str(error),
        }
    return {
        "kind": MediaKindChoice.IMAGE if hashes.vpdq is None else MediaKindChoice.VIDEO,
        "md5": hashes.md5,
        "sha1": hashes.sha1,
        "pdq": hashes.pdq or "",
        "pdq_quality": hashes.pdq_quality,
        "dihedral": list(hashes.dihedral) if hashes.dihedral is not None else [],
        "frames": [asdict(frame) for frame in hashes.frames],
        "vpdq": [asdict(frame) for frame in hashes.vpdq or ()],
        "format": hashes.format,
    }


def record_capture(
    url: Url,
    started_at: datetime,
    result: FetchResult,
    hosting: Hosting | None,
    page: Page,
    warc: EvidenceBlob,
    found: list[FoundMedia],
) -> Capture:
    """Write the capture of a fetched page with its media, and tell pre-grading and takedown
    (`capture_recorded`), in one transaction."""
    with transaction.atomic():
        capture = Capture.objects.create(
            url=url,
            started_at=started_at,
            finished_at=timezone.now(),
            status=CaptureStatus.FETCHED,
            http_status=result.status,
            final_url=result.url,
            redirects=[
                {
                    "url": hop.url,
                    "status": hop.status,
                    "location": hop.location,
                    "peer_ip": hop.peer_ip,
                }
                for hop in result.redirects
            ],
            headers=[[name, value] for name, value in result.headers],
            peer_ip=result.peer_ip,
            **_hosting_fields(hosting),
            title=page.title,
            warc=warc,
            media_found=page.found,
            media_stored=sum(1 for item in found if item.media_item is not None),
            truncated=result.truncated,
        )
        CaptureMedia.objects.bulk_create(_link(capture, item) for item in found)
        capture_recorded.send(sender=Capture, capture=capture)
    return capture


def _hosting_fields(hosting: Hosting | None) -> dict[str, Any]:
    if hosting is None:
        return {"hosting_note": "connected through a proxy, so the address is not known"}
    return {
        "country_code": hosting.country_code,
        "country_name": hosting.country_name,
        "asn": hosting.asn,
        "as_name": hosting.as_name,
        "hosting_source": hosting.source,
        "hosting_database": hosting.database,
        "hosting_note": hosting.note,
    }


def _link(capture: Capture, found: FoundMedia) -> CaptureMedia:
    source_url = found.reference.url
    return CaptureMedia(
        capture=capture,
        media_item=found.media_item,
        source_url=source_url,
        source_url_hash=hashlib.sha256(source_url.encode()).hexdigest(),
        found_in=found.reference.found_in,
        fetch_status=found.fetch_status,
        error=found.error,
    )


def capture_due(url_id: int, requested_at: datetime | None) -> bool:
    """Whether a capture requested at `requested_at` still needs doing.

    Not if the url is gone, or a capture began after the request: that capture answered it
    (a retry of a task that had finished, or a burst of reports each asking).
    """
    if not Url.objects.filter(pk=url_id).exists():
        return False
    if requested_at is None:
        return True
    return not Capture.objects.filter(url_id=url_id, started_at__gte=requested_at).exists()


def _content_type(result: FetchResult) -> str:
    values = result.header("Content-Type")
    return values[0] if values else ""


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    message = Message()
    message["Content-Type"] = content_type
    charset = message.get_content_charset()
    return str(charset) if charset else None
