"""The preview analysts see before they choose to look: small, greyscale and heavily blurred.

It is drawn in memory from the decrypted item, never stored, and keeps only the rough layout of
light and dark (enough to tell a picture from a banner or a blank), none of its detail: the
picture is shrunk to PREVIEW_DETAIL pixels across before being blown up and blurred again.
"""

import io

from PIL import Image, ImageFilter, ImageOps

from hashcore.images import ALLOWED_FORMATS
from hashcore.limits import DEFAULT_MAX_PIXELS

PREVIEW_SIZE = 160
PREVIEW_DETAIL = 12
BLUR_RADIUS = 6


class NoPreview(Exception):
    """The bytes are not a picture a preview can be drawn from."""


def blurred_preview(data: bytes) -> bytes:
    """A PNG of the picture: greyscale, about PREVIEW_SIZE pixels across, without detail."""
    try:
        with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
            if image.width * image.height > DEFAULT_MAX_PIXELS:
                raise NoPreview("too many pixels")
            image.draft("L", (PREVIEW_DETAIL * 4, PREVIEW_DETAIL * 4))
            grey = ImageOps.exif_transpose(image).convert("L")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise NoPreview(str(error)) from None
    return _blur(grey)


def _blur(grey: Image.Image) -> bytes:
    scale = PREVIEW_SIZE / max(grey.width, grey.height, 1)
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    tiny = grey.copy()
    tiny.thumbnail((PREVIEW_DETAIL, PREVIEW_DETAIL), Image.Resampling.BOX)
    smooth = tiny.resize(size, Image.Resampling.BILINEAR)
    blurred = smooth.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    buffer = io.BytesIO()
    blurred.save(buffer, "PNG")
    return buffer.getvalue()
