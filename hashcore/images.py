"""Decoding untrusted image bytes safely into the frames PDQ hashes.

The format is read from the bytes, never from a name, and only from a fixed list of raster
formats (Pillow also knows formats it hands to external programs, such as EPS to Ghostscript).
Declared dimensions are checked before any pixel is decoded. A JPEG larger than the reference
size is decoded at the smallest DCT scale that still covers it, and to its luma (Y) alone, which
is most of this module's speed.
"""

import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pillow_heif
from PIL import ExifTags, Image, ImageSequence, UnidentifiedImageError
from PIL.JpegImagePlugin import JpegImageFile

from .errors import HashingError
from .frames import pdq_input
from .limits import Limits
from .sampling import reference_size

pillow_heif.register_heif_opener()
Image.init()

_WANTED_FORMATS = (
    "JPEG", "PNG", "GIF", "WEBP", "HEIF", "AVIF", "BMP", "TIFF", "ICO", "JPEG2000", "PPM"
)  # fmt: skip
ALLOWED_FORMATS = tuple(name for name in _WANTED_FORMATS if name in Image.OPEN)
_ANIMATED_FORMATS = frozenset({"GIF", "WEBP", "PNG"})

NOT_READABLE = "not an image or video this hasher can read"


@dataclass(frozen=True)
class DecodedImage:
    """An opened image: its format, and its frames as PDQ input (see `pdq_input`), decoded one
    at a time.

    `frames` yields the image itself, then (if `animated`) each further frame up to the limit;
    it raises HashingError if a frame cannot be decoded.
    """

    format: str
    animated: bool
    frames: Iterator[Image.Image]


def decode_image(data: bytes, limits: Limits) -> DecodedImage:
    """Open `data` as an image, or raise HashingError saying why it cannot be."""
    with _decoding_errors():
        image = _open(data, limits)
        animated = bool(getattr(image, "is_animated", False)) and image.format in _ANIMATED_FORMATS
    frames = _animation_frames(image, limits) if animated else _still_frame(image)
    return DecodedImage(str(image.format), animated, frames)


def _open(data: bytes, limits: Limits) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    _check_pixels(image, limits)
    return image


def _check_pixels(image: Image.Image, limits: Limits) -> None:
    pixels = image.width * image.height
    if pixels > limits.max_pixels:
        raise HashingError(
            f"image has {pixels} pixels, above the limit of {limits.max_pixels}"
            " (possible decompression bomb)"
        )


def _still_frame(image: Image.Image) -> Iterator[Image.Image]:
    with _decoding_errors():
        if isinstance(image, JpegImageFile):
            _draft(image)
        image.load()
        yield pdq_input(image, _orientation(image))


def _draft(jpeg: JpegImageFile) -> None:
    size = reference_size(jpeg.size)
    if size != jpeg.size:
        # The frame will be scaled as luma anyway (see pdq_input): libjpeg then skips the chroma's
        # inverse DCT, upsampling and colour conversion. JPEG's Y has PDQ's luma weights.
        jpeg.draft("L", size)


def _animation_frames(image: Image.Image, limits: Limits) -> Iterator[Image.Image]:
    with _decoding_errors():
        orientation = _orientation(image)
        frames = itertools.islice(ImageSequence.Iterator(image), limits.max_frames)
        for frame in frames:
            # A later frame may grow the canvas beyond what the file first declared.
            _check_pixels(frame, limits)
            yield pdq_input(frame, orientation)


def _orientation(image: Image.Image) -> int:
    value = image.getexif().get(ExifTags.Base.Orientation, 1)
    # A malformed tag (text, a list) is ignored as a viewer would: the image shows as stored.
    return value if isinstance(value, int) else 1


@contextmanager
def _decoding_errors() -> Iterator[None]:
    """Turn whatever Pillow raises on hostile bytes into a HashingError with a plain message."""
    try:
        yield
    except HashingError:
        raise
    except UnidentifiedImageError as error:
        raise HashingError(NOT_READABLE) from error
    except Image.DecompressionBombError as error:
        # Pillow refuses, before we can, images above twice its global limit.
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise HashingError(
            f"image has over {limit} pixels (possible decompression bomb)"
        ) from error
    except Exception as error:  # Pillow's plugins raise many types on malformed input
        raise HashingError(_describe(error)) from error


def _describe(error: Exception) -> str:
    message = str(error)
    if isinstance(error, EOFError) or "truncated" in message.lower():
        return "image is truncated"
    return f"image is corrupt ({message or type(error).__name__})"
