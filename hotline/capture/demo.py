"""Captures for `hotline demo`: benign pictures drawn here, handed to the capture pipeline's own
steps as if they had been fetched, so that they are extracted from a page, stored encrypted,
hashed and linked exactly as a real capture's media are.

Nothing is fetched: the responses are built in memory. The pictures are gradients, stripes,
shapes and smoothed noise, 64 to 256 pixels; the data merely labels some of them as graded.
Hosting comes from documentation address ranges (RFC 5737) and AS numbers (RFC 5398).
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFilter

from hotline.capture.extraction import MediaReference
from hotline.capture.fetcher import Fetcher, FetchPolicy, FetchResult
from hotline.capture.hosting import Hosting
from hotline.capture.mediatypes import sniff
from hotline.capture.models import Capture, CaptureStatus
from hotline.capture.pipeline import (
    FoundMedia,
    from_response,
    page_media,
    record_capture,
    store_warc,
)
from hotline.intake.models import Url

SIZES = (64, 96, 128, 160, 192, 256)
COUNTRY_NAMES = {
    "GB": "United Kingdom",
    "FR": "France",
    "DE": "Germany",
    "NL": "Netherlands",
    "US": "United States",
    "CA": "Canada",
}
FOREIGN_COUNTRIES = ("FR", "DE", "NL", "US", "CA")


@dataclass(frozen=True)
class DemoNetwork:
    """A hosting network of the demo: where its addresses are, whose they are, which country."""

    prefix: str  # the first three octets of a documentation range
    first_host: int
    asn: int
    as_name: str
    country_code: str

    def address(self, rng: random.Random) -> str:
        return f"{self.prefix}.{self.first_host + rng.randrange(100)}"

    def hosting(self, ip: str) -> Hosting:
        return Hosting(
            ip=ip,
            country_code=self.country_code,
            country_name=COUNTRY_NAMES.get(self.country_code, self.country_code),
            asn=self.asn,
            as_name=self.as_name,
            database="hotline demo (invented hosting)",
        )


# Which network serves each demo host (the first suffix that matches); others: the first network.
HOST_NETWORKS = (
    ("cdn3.hosting.test", 3),
    ("cdn4.hosting.test", 3),
    ("hosting.test", 1),
    ("files.example.net", 1),
    ("forum.example.org", 2),
    ("social.example.com", 2),
    ("board.example.invalid", 4),
)


def demo_networks() -> tuple[DemoNetwork, ...]:
    """Two networks in the hotline's own country, three abroad (the first two with partners)."""
    home = settings.HOTLINE_COUNTRY
    abroad = [code for code in FOREIGN_COUNTRIES if code != home]
    return (
        DemoNetwork("192.0.2", 1, 64496, "EXAMPLE-HOSTING", home),
        DemoNetwork("192.0.2", 129, 64497, "EXAMPLE-CLOUD", home),
        DemoNetwork("198.51.100", 1, 64498, "EXAMPLE-DATACENTRE", abroad[0]),
        DemoNetwork("198.51.100", 129, 64499, "EXAMPLE-SERVERS", abroad[1]),
        DemoNetwork("203.0.113", 1, 64500, "EXAMPLE-OFFSHORE", abroad[2]),
    )


def network_for(host: str) -> DemoNetwork:
    """The network a demo host is served from: the same one every time it is captured."""
    index = next((i for suffix, i in HOST_NETWORKS if host.endswith(suffix)), 0)
    return demo_networks()[index]


# Pictures -----------------------------------------------------------------------------------


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def _gradient(rng: random.Random, size: int) -> Image.Image:
    start, end = _colour(rng), _colour(rng)
    ramp = Image.linear_gradient("L").resize((size, size)).rotate(rng.choice((0, 90, 180, 270)))
    bands = [
        ramp.point(lambda value, a=a, b=b: a + (b - a) * value // 255)
        for a, b in zip(start, end, strict=True)
    ]
    return Image.merge("RGB", bands)


def _stripes(rng: random.Random, size: int) -> Image.Image:
    picture = Image.new("RGB", (size, size), _colour(rng))
    draw, width, colour = ImageDraw.Draw(picture), rng.randint(4, 16), _colour(rng)
    for x in range(0, size * 2, width * 2):
        draw.polygon([(x, 0), (x + width, 0), (x + width - size, size), (x - size, size)], colour)
    return picture


def _shapes(rng: random.Random, size: int) -> Image.Image:
    picture = Image.new("RGB", (size, size), _colour(rng))
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randint(3, 8)):
        x, y, r = rng.randrange(size), rng.randrange(size), rng.randint(size // 10, size // 3)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape([x - r, y - r, x + r, y + r], fill=_colour(rng))
    return picture


def _noise(rng: random.Random, size: int) -> Image.Image:
    coarse = Image.frombytes("RGB", (8, 8), bytes(rng.randrange(256) for _ in range(192)))
    return coarse.resize((size, size), Image.Resampling.BICUBIC)


DRAWINGS: tuple[Callable[[random.Random, int], Image.Image], ...] = (
    _gradient,
    _stripes,
    _shapes,
    _noise,
)


def benign_picture(rng: random.Random) -> bytes:
    """A small generated picture, as PNG (or JPEG for noise, which PNG compresses poorly)."""
    drawing = rng.choice(DRAWINGS)
    picture = drawing(rng, rng.choice(SIZES))
    return _encoded(picture, "JPEG" if drawing is _noise else "PNG")


def near_copy(data: bytes, rng: random.Random) -> bytes:
    """The same picture softened and saved again as JPEG: other bytes, a close PDQ hash."""
    with Image.open(BytesIO(data)) as picture:
        softened = picture.convert("RGB").filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0)))
    return _encoded(softened, "JPEG", quality=rng.randint(70, 90))


def _encoded(picture: Image.Image, image_format: str, quality: int = 88) -> bytes:
    buffer = BytesIO()
    picture.save(buffer, image_format, quality=quality)
    return buffer.getvalue()


# Captures -----------------------------------------------------------------------------------


class DemoCapturer:
    """Records captures of demo urls through the pipeline, with responses made in memory."""

    def __init__(self) -> None:
        # Only asked which request headers it sends, for the WARC's request records.
        self.fetcher = Fetcher(FetchPolicy.from_settings())

    def capture(
        self,
        url: Url,
        started_at: datetime,
        hosting: Hosting,
        pictures: Sequence[bytes],
    ) -> Capture:
        """A fetched capture of `url` showing `pictures` (a direct link to an image shows one)."""
        result = _page_response(url, hosting.ip, pictures)
        page = page_media(result)
        warc = store_warc(self.fetcher, url, result, started_at, hosting, page)
        if page.is_media:
            found = [from_response(page.media[0], result)]
        else:
            found = [_found(reference, data, hosting.ip) for reference, data in zip(
                page.media, pictures, strict=True
            )]  # fmt: skip
        capture = record_capture(url, started_at, result, hosting, page, warc, found)
        # The pipeline stamps the end with the clock; a demo capture took a few seconds.
        capture.finished_at = started_at + timedelta(seconds=2 + len(found))
        capture.save(update_fields=["finished_at"])
        return capture


def failed_capture(url: Url, started_at: datetime) -> Capture:
    """A capture that got no response, recorded as the pipeline records one."""
    return Capture.objects.create(
        url=url,
        started_at=started_at,
        finished_at=started_at + timedelta(seconds=10),
        status=CaptureStatus.FAILED,
        error=f"the host name {url.host} does not resolve",
    )


def _page_response(url: Url, ip: str, pictures: Sequence[bytes]) -> FetchResult:
    if urlsplit(url.canonical).path.endswith((".jpg", ".png")) and pictures:
        return _response(url.canonical, pictures[0], sniff(pictures[0]), ip)
    html = _page_html(url, pictures)
    return _response(url.canonical, html, "text/html; charset=utf-8", ip)


def _page_html(url: Url, pictures: Sequence[bytes]) -> bytes:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url.canonical))
    images = "\n".join(
        f'<img src="{origin}/media/{index}-{len(data)}.{sniff(data).split("/")[-1]}" alt="">'
        for index, data in enumerate(pictures)
    )
    title = escape(f"Sample page {url.pk}")
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>Sample text for the demonstration.</p>\n{images}</body></html>"
    ).encode()


def _found(reference: MediaReference, data: bytes, ip: str) -> FoundMedia:
    return from_response(reference, _response(reference.url, data, sniff(data), ip))


def _response(address: str, body: bytes, content_type: str, ip: str) -> FetchResult:
    headers = (
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Server", "example"),
    )
    return FetchResult(
        url=address,
        status=200,
        headers=headers,
        redirects=(),
        peer_ip=ip,
        http_version="HTTP/1.1",
        body=body,
        raw_body=body,
        elapsed_s=0.05 + len(body) / 1_000_000,
    )
