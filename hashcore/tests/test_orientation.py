"""A photo stored sideways with an EXIF orientation hashes as it is displayed: upright."""

import struct

import pytest
from PIL import ExifTags, Image

from hashcore import hamming_distance
from hashcore.tests.pictures import encode, pdq_of, photo

UPRIGHT = photo(480, 320, seed=9)

# For each EXIF orientation, how a camera would have stored the upright picture's pixels.
STORED_AS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def _exif(orientation: int | None) -> Image.Exif:
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    return exif


def _jpeg(image: Image.Image, orientation: int | None = None) -> bytes:
    return encode(image, "JPEG", quality=95, exif=_exif(orientation))


@pytest.mark.parametrize("orientation", sorted(STORED_AS))
def test_an_oriented_jpeg_hashes_as_the_upright_picture(orientation: int) -> None:
    stored = UPRIGHT.transpose(STORED_AS[orientation])
    upright = pdq_of(_jpeg(UPRIGHT))

    oriented = pdq_of(_jpeg(stored, orientation))

    assert hamming_distance(oriented, upright) <= 8
    assert hamming_distance(pdq_of(_jpeg(stored)), upright) > 31


def test_an_oriented_png_is_turned_upright_too() -> None:
    stored = UPRIGHT.transpose(STORED_AS[6])

    oriented = pdq_of(encode(stored, "PNG", exif=_exif(6)))

    assert hamming_distance(oriented, pdq_of(encode(UPRIGHT, "PNG"))) <= 2


def _raw_exif_with_text_orientation() -> bytes:
    """EXIF whose orientation tag holds the text "abc" where a number belongs."""
    entry = struct.pack("<HHI4s", ExifTags.Base.Orientation, 2, 4, b"abc\0")
    return b"Exif\0\0II*\0" + struct.pack("<IH", 8, 1) + entry + struct.pack("<I", 0)


@pytest.mark.parametrize("exif", [_exif(0), _exif(9), _raw_exif_with_text_orientation()])
def test_a_meaningless_orientation_leaves_the_picture_as_stored(exif: Image.Exif | bytes) -> None:
    hashed = pdq_of(encode(UPRIGHT, "JPEG", quality=95, exif=exif))

    assert hamming_distance(hashed, pdq_of(_jpeg(UPRIGHT))) <= 2
