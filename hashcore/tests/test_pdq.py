"""PDQ hashes: hex form, Hamming distance, and what each dihedral hash stands for."""

import numpy as np
import pdqhash
import pytest
from PIL import Image

from hashcore import hamming_distance, hash_bytes
from hashcore.pdq import pdq_dihedral
from hashcore.tests.pictures import encode, pdq_of, photo

ZERO = "0" * 64
ONES = "f" * 64


def test_hamming_distance_counts_differing_bits() -> None:
    assert hamming_distance(ZERO, ZERO) == 0
    assert hamming_distance(ZERO, ONES) == 256
    assert hamming_distance(ZERO, "0" * 63 + "7") == 3
    assert hamming_distance("A" + "0" * 63, "a" + "0" * 63) == 0


@pytest.mark.parametrize("value", ["", "0" * 63, "0" * 65, "g" * 64, " " + "0" * 63])
def test_hamming_distance_refuses_what_is_not_a_pdq_hash(value: str) -> None:
    with pytest.raises(ValueError, match="not a PDQ hash"):
        hamming_distance(value, ZERO)


def test_hashes_are_64_lowercase_hex_characters_with_a_quality() -> None:
    hashes = hash_bytes(encode(photo(300, 200), "PNG"))

    assert hashes.pdq is not None
    assert len(hashes.pdq) == 64
    assert set(hashes.pdq) <= set("0123456789abcdef")
    assert hashes.pdq_quality in range(101)


@pytest.mark.parametrize(
    ("field", "transposition"),
    [
        ("rotate_90", Image.Transpose.ROTATE_90),
        ("rotate_180", Image.Transpose.ROTATE_180),
        ("rotate_270", Image.Transpose.ROTATE_270),
        ("flip_x", Image.Transpose.FLIP_TOP_BOTTOM),
        ("flip_y", Image.Transpose.FLIP_LEFT_RIGHT),
        ("flip_plus_1", Image.Transpose.TRANSPOSE),
        ("flip_minus_1", Image.Transpose.TRANSVERSE),
    ],
)
def test_each_dihedral_hash_is_the_hash_of_the_image_so_transposed(
    field: str, transposition: Image.Transpose
) -> None:
    picture = photo(384, 256, seed=3)
    transposed = pdq_of(encode(picture.transpose(transposition), "PNG"))

    dihedral = hash_bytes(encode(picture, "PNG")).dihedral

    assert dihedral is not None
    assert hamming_distance(getattr(dihedral, field), transposed) <= 31
    assert hamming_distance(dihedral.original, transposed) > 64


def test_the_first_dihedral_hash_is_the_image_hash() -> None:
    hashes = hash_bytes(encode(photo(200, 300), "PNG"))

    assert hashes.dihedral is not None
    assert hashes.dihedral.original == hashes.pdq


@pytest.mark.parametrize("mode", ["RGB", "L"])
@pytest.mark.parametrize(("width", "height"), [(512, 288), (512, 384), (301, 300), (288, 512)])
def test_a_frame_of_any_shape_has_exactly_the_hashes_pdqhash_gives_it(
    width: int, height: int, mode: str
) -> None:
    frame = photo(width, height, seed=width + height).convert(mode)
    all_bits, quality = pdqhash.compute_dihedral(np.asarray(frame.convert("RGB")))

    first, dihedral = pdq_dihedral(frame)

    assert list(dihedral) == [
        np.packbits(bits.astype(np.uint8)).tobytes().hex() for bits in all_bits
    ]
    assert first.quality == quality


@pytest.mark.parametrize(("width", "height"), [(4, 300), (300, 4), (1, 1), (4000, 20)])
def test_a_sliver_under_five_pixels_at_the_reference_size_hashes_to_zero_as_pdqhash_does(
    width: int, height: int
) -> None:
    frame = photo(width, height)
    scaled = frame.resize((min(width, 512), max(1, round(height * min(1, 512 / width)))))
    bits, quality = pdqhash.compute(np.asarray(scaled))

    first, dihedral = pdq_dihedral(frame)

    assert (first.hex, first.quality) == (ZERO, 0)
    assert set(dihedral) == {ZERO}
    assert (np.packbits(bits.astype(np.uint8)).tobytes().hex(), quality) == (ZERO, 0)


@pytest.mark.parametrize(("width", "height"), [(960, 540), (1500, 1100), (520, 2047)])
def test_a_frame_above_the_reference_size_hashes_as_pillow_would_scale_it(
    width: int, height: int
) -> None:
    frame = photo(width, height, seed=width).convert("L")
    scaled = frame.copy()
    scaled.thumbnail((512, 512), Image.Resampling.BICUBIC, reducing_gap=None)

    first, _ = pdq_dihedral(frame)
    expected, quality = pdqhash.compute(np.asarray(scaled.convert("RGB")))

    assert hamming_distance(first.hex, np.packbits(expected.astype(np.uint8)).tobytes().hex()) <= 2
    assert abs(first.quality - quality) <= 1
