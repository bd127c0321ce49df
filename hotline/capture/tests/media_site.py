"""A benign local web site for capture tests: a page of generated images, and urls to capture."""

import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from PIL import Image

from hotline.capture.tests.servers import LocalServer, respond
from hotline.intake.models import Url


def pattern(size: int, shade: int, fmt: str) -> bytes:
    """A smooth gradient with a diagonal band: enough structure for a PDQ hash of quality."""
    image = Image.new("RGB", (size, size))
    image.putdata(
        [
            (x * 255 // size, y * 255 // size, shade if abs(x - y) < size // 8 else 255 - shade)
            for y in range(size)
            for x in range(size)
        ]
    )
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@dataclass(frozen=True)
class Site:
    server: LocalServer
    images: dict[str, bytes]
    corrupt: bytes

    def url(self, path: str) -> str:
        return self.server.url(path)


PAGE = b"""<!doctype html><html><head><title>Neutral gallery</title>
<meta property="og:image" content="/og.jpg"></head><body>
<img src="/a.png"><img src="/a.png" alt="the same address again">
<img src="/copy-of-a.png">
<img srcset="/small.png 1x, /large.jpg 2x">
<img src="/missing.png"><img src="/corrupt.png">
</body></html>"""


def serve_site(server: LocalServer) -> Site:
    images = {
        "/a.png": pattern(64, 30, "PNG"),
        "/og.jpg": pattern(80, 90, "JPEG"),
        "/small.png": pattern(48, 150, "PNG"),
        "/large.jpg": pattern(96, 210, "JPEG"),
    }
    # Not an image at all, though it says it is.
    corrupt = b"\x89PNG\r\n\x1a\n" + b"neutral text, not pixels" * 4
    server.routes["/page"] = respond(200, PAGE, [("Content-Type", "text/html; charset=utf-8")])
    for path, data in images.items():
        kind = "png" if path.endswith(".png") else "jpeg"
        server.routes[path] = respond(200, data, [("Content-Type", f"image/{kind}")])
    server.routes["/copy-of-a.png"] = respond(
        200, images["/a.png"], [("Content-Type", "image/png")]
    )
    server.routes["/corrupt.png"] = respond(200, corrupt, [("Content-Type", "image/png")])
    return Site(server, images, corrupt)


def reported(canonical: str, when: datetime | None = None) -> Url:
    now = when or timezone.now()
    return Url.objects.create(
        canonical=canonical,
        canonical_hash=Url.hash_canonical(canonical),
        host="127.0.0.1",
        first_reported_at=now,
        last_reported_at=now,
    )
