"""Benign media for the console's tests: generated shapes on gradients, stored as evidence, shown
on captures of test urls. Test data merely labels some of them as graded; nothing here is
anything but coloured shapes."""

import hashlib
import io
import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from hotline.accounts.models import User
from hotline.assessment.media_grades import MediaGrade
from hotline.capture.extraction import MediaKind
from hotline.capture.models import Capture, CaptureMedia, CaptureStatus, MediaItem
from hotline.capture.pipeline import media_item_for
from hotline.capture.signals import capture_recorded
from hotline.intake.models import Url

ILLEGAL_LABEL: dict[str, Any] = {"category": "B", "age_band": "11-13", "sex": "girls"}


def shapes(seed: int, size: int = 160) -> Image.Image:
    """A gradient with a few random rectangles and ellipses: a picture PDQ hashes with quality."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((size, size)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x0, y0 = rng.randrange(size - 20), rng.randrange(size - 20)
        box = (x0, y0, x0 + rng.randrange(15, size // 2), y0 + rng.randrange(15, size // 2))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    return image


def encoded(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 80} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def near_duplicate(image: Image.Image) -> Image.Image:
    """The same picture, slightly brighter, re-encoded and resized, as sites copy pictures."""
    copy = image.point(lambda value: min(255, value + 12)).resize((150, 150))
    return Image.open(io.BytesIO(encoded(copy, "JPEG")))


def flat(shade: int = 128) -> bytes:
    """A picture with no structure: PDQ gives it a quality far below the matching floor."""
    return encoded(Image.new("RGB", (128, 128), (shade, shade, shade)))


def item_of(data: bytes) -> MediaItem:
    return media_item_for(data, MediaKind.IMAGE)


def capture_of(url: Url, *pictures: bytes, warc: bytes | None = None) -> Capture:
    """A fetched capture of `url` showing these pictures, recorded as the pipeline does."""
    from hotline.capture.evidence import store

    now = timezone.now()
    items = [item_of(data) for data in pictures]
    with transaction.atomic():
        capture = Capture.objects.create(
            url=url,
            started_at=now - timedelta(seconds=1),
            finished_at=now,
            status=CaptureStatus.FETCHED,
            http_status=200,
            final_url=url.canonical,
            peer_ip="192.0.2.7",
            country_code="NL",
            country_name="Netherlands",
            title="Neutral gallery",
            warc=store(warc) if warc is not None else None,
            media_found=len(items),
            media_stored=len(items),
        )
        for number, item in enumerate(items):
            source = f"{url.canonical}/picture-{number}.png"
            CaptureMedia.objects.create(
                capture=capture,
                media_item=item,
                source_url=source,
                source_url_hash=hashlib.sha256(source.encode()).hexdigest(),
                found_in="img",
                fetch_status=200,
            )
        capture_recorded.send(sender=Capture, capture=capture)
    return capture


def items_of(capture: Capture) -> list[MediaItem]:
    """The capture's stored media items, in the order the page showed them."""
    links = capture.media.filter(media_item__isnull=False).order_by("pk")
    return [link.media_item for link in links if link.media_item is not None]


def confirmed_grade(item: MediaItem, first: User, second: User, **label: Any) -> MediaGrade:
    """A grade of `item` that two analysts stand behind, as the hash list would take it."""
    grade = MediaGrade.grade_item(item, first, **(label or ILLEGAL_LABEL))
    grade.confirm(second)
    grade.refresh_from_db()
    return grade
