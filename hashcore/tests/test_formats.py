"""Each raster format the web serves is read from its bytes and hashed as the same picture."""

from typing import Any

import pytest

from hashcore import hamming_distance, hash_bytes
from hashcore.tests.pictures import encode, pdq_of, photo

PICTURE = photo(600, 400, seed=11)
ORIGINAL = pdq_of(encode(PICTURE, "PNG"))


@pytest.mark.parametrize(
    ("image_format", "options"),
    [
        ("JPEG", {"quality": 90}),
        ("WEBP", {"quality": 90}),
        ("HEIF", {"quality": 90}),
        ("AVIF", {"quality": 90}),
        ("BMP", {}),
        ("TIFF", {}),
        ("JPEG2000", {}),
        ("PPM", {}),
    ],
)
def test_each_format_is_recognised_and_hashes_as_the_same_picture(
    image_format: str, options: dict[str, Any]
) -> None:
    hashes = hash_bytes(encode(PICTURE, image_format, **options))

    assert hashes.format == image_format
    assert hashes.pdq is not None
    assert hamming_distance(hashes.pdq, ORIGINAL) <= 10


def test_an_icon_is_hashed_from_its_largest_image() -> None:
    icon = PICTURE.resize((256, 256))

    hashes = hash_bytes(encode(icon, "ICO", sizes=[(32, 32), (256, 256)]))

    assert hashes.format == "ICO"
    assert hashes.pdq == pdq_of(encode(icon, "PNG"))
