"""Evidence as analysts see it: blurred previews, one audited reveal at a time, and the WARC.

Only analysts see media, and only the media of the case they name. The real bytes leave only
through `reveal`, which records who saw which item in which case; what the browser is told the
bytes are comes from sniffing them, never from the server they were fetched from, and the
response may be neither cached nor interpreted as anything but an image or a video.
"""

from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hotline.accounts.access import analyst_required, senior_analyst_required
from hotline.assessment.case_media import case_item
from hotline.assessment.exposure import end_reveals, start_reveal
from hotline.assessment.previews import NoPreview, blurred_preview
from hotline.assessment.views import staff_member
from hotline.audit.log import record
from hotline.capture.evidence import open_blob
from hotline.capture.evidence_errors import EvidenceError
from hotline.capture.mediatypes import sniff
from hotline.capture.models import Capture

# A page, frame or plug-in cannot be made of the bytes, whatever they claim to be.
MEDIA_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
WARC_CHUNK = 64 * 1024
SHOWABLE = ("image/", "video/")


def _private(response: HttpResponse | StreamingHttpResponse) -> None:
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "same-origin"


def _gone(error: EvidenceError) -> HttpResponse:
    message = _("The evidence cannot be read: %(error)s") % {"error": error}
    response = HttpResponse(message, status=410, content_type="text/plain")
    _private(response)
    return response


@require_GET
@analyst_required
def preview(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """The blurred greyscale preview; a video has none (the page shows a placeholder)."""
    media_item = case_item(pk, item)
    try:
        image = blurred_preview(open_blob(media_item.blob))
    except EvidenceError as error:
        return _gone(error)
    except NoPreview:
        raise Http404("No preview of this item.") from None
    response = HttpResponse(image, content_type="image/png")
    _private(response)
    response["Content-Disposition"] = "inline"
    return response


@require_GET
@analyst_required
def reveal(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """The item itself, shown to one analyst: audited, and counted in their exposure."""
    media_item = case_item(pk, item)
    analyst = staff_member(request)
    try:
        data = open_blob(media_item.blob)
    except EvidenceError as error:
        return _gone(error)
    start_reveal(analyst, media_item.pk, pk)
    record("media.revealed", actor=analyst, target=media_item, detail={"case": pk})
    kind = sniff(data)
    showable = kind.startswith(SHOWABLE)
    response = HttpResponse(data, content_type=kind if showable else "application/octet-stream")
    _private(response)
    response["Content-Disposition"] = f'inline; filename="item-{media_item.pk}"'
    return response


@require_POST
@analyst_required
def hide(request: HttpRequest) -> HttpResponse:
    """The analyst hid what they had revealed (or left the page)."""
    item = request.POST.get("item", "")
    end_reveals(staff_member(request), int(item) if item.isdigit() else None)
    return HttpResponse(status=204)


@require_GET
@senior_analyst_required
def warc(request: HttpRequest, pk: int, capture: int) -> HttpResponse | StreamingHttpResponse:
    """The capture's WARC, decrypted, for a senior analyst to take elsewhere; audited."""
    found = get_object_or_404(Capture.objects.select_related("warc"), pk=capture, url_id=pk)
    if found.warc is None:
        raise Http404("This capture has no WARC.")
    try:
        data = open_blob(found.warc)
    except EvidenceError as error:
        return _gone(error)
    record(
        "capture.warc_downloaded",
        actor=staff_member(request),
        target=found,
        detail={"case": pk, "sha256": found.warc.sha256},
    )
    response = StreamingHttpResponse(_chunks(data), content_type="application/warc")
    _private(response)
    response["Content-Length"] = str(len(data))
    response["Content-Disposition"] = f'attachment; filename="case-{pk}-capture-{capture}.warc.gz"'
    return response


def _chunks(data: bytes) -> Iterator[bytes]:
    """The decrypted WARC in pieces (GCM authenticates it whole before any of it is sent)."""
    view = memoryview(data)
    for start in range(0, len(view), WARC_CHUNK):
        yield bytes(view[start : start + WARC_CHUNK])
