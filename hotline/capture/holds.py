"""Retention holds for captures: evidence of a url is kept until the url is assessed.

A url's case is closed when it is assessed; until then every WARC and every media item any of
its captures recorded is still needed, however long ago it was stored. Once it is assessed, the
usual retention period (counted from the last time the bytes were stored) decides alone; another
open case showing the same media holds it through its own captures.
"""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from hotline.capture.models import Capture, CaptureMedia
from hotline.intake.models import UrlState


def capture_warcs(cutoff: datetime) -> QuerySet[Any]:
    open_cases = Capture.objects.exclude(url__state=UrlState.ASSESSED)
    return open_cases.filter(warc__isnull=False).values("warc__sha256")


def capture_media(cutoff: datetime) -> QuerySet[Any]:
    open_cases = CaptureMedia.objects.exclude(capture__url__state=UrlState.ASSESSED)
    return open_cases.filter(media_item__isnull=False).values("media_item__sha256")
