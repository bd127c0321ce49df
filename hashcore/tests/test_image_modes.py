"""Every Pillow image mode is hashed as the picture a viewer sees, in 8-bit RGB."""

import io

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from hashcore import hamming_distance, hash_bytes
from hashcore.frames import pdq_input
from hashcore.pdq import pdq_hash
from hashcore.tests.pictures import encode, pdq_of, photo

PICTURE = photo(640, 480, seed=5)
GRAY = PICTURE.convert("L")
GRAY_16 = np.asarray(GRAY).astype(np.uint16) * 257
PICTURE_HASH = pdq_of(encode(PICTURE, "PNG"))

# The picture in each mode, and a format that keeps that mode in a file.
STORED = {
    "1": (GRAY.convert("1"), "PNG"),
    "L": (GRAY, "PNG"),
    "LA": (GRAY.convert("LA"), "PNG"),
    "P": (PICTURE.convert("P", palette=Image.Palette.ADAPTIVE), "PNG"),
    "PA": (PICTURE.convert("PA"), "TIFF"),
    "RGB": (PICTURE, "PNG"),
    "RGBA": (PICTURE.convert("RGBA"), "PNG"),
    "CMYK": (PICTURE.convert("CMYK"), "JPEG"),
    "YCbCr": (PICTURE.convert("YCbCr"), "TIFF"),
    "LAB": (PICTURE.convert("LAB"), "TIFF"),
    "I;16": (Image.fromarray(GRAY_16), "PNG"),
    "I;16B": (Image.fromarray(GRAY_16.astype(">u2")), "TIFF"),
    "I": (Image.fromarray(np.asarray(GRAY).astype(np.int32) * 1000 - 7), "TIFF"),
    "F": (Image.fromarray(np.asarray(GRAY).astype(np.float32) / 255), "TIFF"),
}


@pytest.mark.parametrize("mode", [mode for mode in STORED if mode != "P"])
def test_a_file_in_each_mode_hashes_as_the_picture_it_shows(mode: str) -> None:
    image, image_format = STORED[mode]
    data = encode(image, image_format, **({"quality": 95} if image_format == "JPEG" else {}))
    assert Image.open(io.BytesIO(data)).mode == mode

    hashes = hash_bytes(data)

    assert hashes.pdq is not None
    assert hamming_distance(hashes.pdq, PICTURE_HASH) <= 8
    assert hashes.pdq_quality == 100


def test_a_palette_file_hashes_as_the_picture_despite_its_256_colours() -> None:
    image, image_format = STORED["P"]

    assert hamming_distance(pdq_of(encode(image, image_format)), PICTURE_HASH) <= 16


def test_an_hsv_image_which_no_file_format_stores_still_converts() -> None:
    hashed = pdq_hash(pdq_input(PICTURE.convert("HSV"), orientation=1))

    assert hamming_distance(hashed.hex, PICTURE_HASH) <= 8


def _with_left_half(pixels: npt.NDArray[np.uint8], value: tuple[int, ...]) -> Image.Image:
    changed = pixels.copy()
    changed[:, : changed.shape[1] // 2] = value
    return Image.fromarray(changed)


def test_transparent_pixels_hash_as_white_whatever_colour_they_hide() -> None:
    rgba = np.asarray(PICTURE.convert("RGBA"))

    over_black = pdq_of(encode(_with_left_half(rgba, (0, 0, 0, 0)), "PNG"))
    over_red = pdq_of(encode(_with_left_half(rgba, (255, 0, 0, 0)), "PNG"))

    white = pdq_of(encode(_with_left_half(np.asarray(PICTURE), (255, 255, 255)), "PNG"))
    assert over_black == over_red == white


def test_a_grayscale_image_with_alpha_hashes_as_white_where_transparent() -> None:
    la = np.asarray(GRAY.convert("LA"))

    hashed = pdq_of(encode(_with_left_half(la, (0, 0)), "PNG"))

    assert hashed == pdq_of(encode(_with_left_half(np.asarray(GRAY), (255,)), "PNG"))


def test_a_palette_image_with_a_transparent_index_hashes_as_white_there() -> None:
    quantized = PICTURE.quantize(colors=255)
    indices = np.asarray(quantized).copy()
    indices[:, : indices.shape[1] // 2] = 255
    opaque = (quantized.getpalette() or [])[: 255 * 3]

    over_black, over_green = (
        pdq_of(encode(_paletted(indices, [*opaque, *hidden]), "GIF", transparency=255))
        for hidden in ((0, 0, 0), (0, 255, 0))
    )

    white = pdq_of(encode(_paletted(indices, [*opaque, 255, 255, 255]), "GIF"))
    assert over_black == over_green == white


def _paletted(indices: npt.NDArray[np.uint8], palette: list[int]) -> Image.Image:
    image = Image.frombytes("P", indices.shape[::-1], indices.tobytes())
    image.putpalette(palette)
    return image
