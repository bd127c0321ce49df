"""A JPEG larger than the reference size is decoded small and to its luma, yet hashes the same."""

import io

from PIL import ExifTags, Image

from hashcore import DEFAULT_LIMITS, hamming_distance
from hashcore.images import decode_image
from hashcore.tests.pictures import encode, pdq_of, photo
from hashcore.tests.reference import reference_hash


def test_a_large_jpeg_is_decoded_to_its_luma_at_the_smallest_scale_covering_the_reference() -> None:
    data = encode(photo(1920, 1080, seed=1), "JPEG", quality=90)

    frame = next(decode_image(data, DEFAULT_LIMITS).frames)

    assert (frame.mode, frame.size) == ("L", (960, 540))
    assert hamming_distance(pdq_of(data), reference_hash(data)[0]) <= 6


def test_a_jpeg_within_the_reference_size_is_hashed_in_colour_as_the_reference_hashes_it() -> None:
    data = encode(photo(500, 320, seed=2), "JPEG", quality=90)

    frame = next(decode_image(data, DEFAULT_LIMITS).frames)

    assert (frame.mode, frame.size) == ("RGB", (500, 320))
    assert pdq_of(data) == reference_hash(data)[0]


def test_a_large_cmyk_jpeg_which_has_no_luma_channel_still_hashes_as_the_picture() -> None:
    picture = photo(1200, 800, seed=3)
    cmyk = encode(picture.convert("CMYK"), "JPEG", quality=95)
    assert Image.open(io.BytesIO(cmyk)).mode == "CMYK"

    assert hamming_distance(pdq_of(cmyk), pdq_of(encode(picture, "PNG"))) <= 8


def test_a_large_jpeg_stored_sideways_hashes_upright_from_its_luma() -> None:
    picture = photo(1200, 800, seed=4)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # a viewer turns it a quarter turn clockwise
    stored = picture.transpose(Image.Transpose.ROTATE_90)

    upright = pdq_of(encode(picture, "JPEG", quality=95))

    oriented = pdq_of(encode(stored, "JPEG", quality=95, exif=exif))

    assert hamming_distance(oriented, upright) <= 8
    assert hamming_distance(pdq_of(encode(stored, "JPEG", quality=95)), upright) > 31
