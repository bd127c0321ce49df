"""Meta's PDQ conformance vectors: the hasher must agree with the reference implementation."""

import pytest

from hashcore import hamming_distance, hash_file
from hashcore.tests.pictures import encode, pdq_of, photo
from hashcore.tests.reference import CONFORMANCE, Vector, reference_hash, vectors

GOOD = [vector for vector in vectors() if vector.quality >= 80]
POOR = [vector for vector in vectors() if vector.quality < 80]
BRIDGES = sorted(vector.file for vector in vectors() if vector.file.name.startswith("bridge-"))


def _name(vector: Vector) -> str:
    return vector.file.name


def test_the_conformance_vectors_are_present() -> None:
    assert len(GOOD) == 15, f"expected the PDQ conformance vectors in {CONFORMANCE}"
    assert len(POOR) == 3
    assert len(BRIDGES) == 8


@pytest.mark.parametrize("vector", GOOD, ids=_name)
def test_every_good_vector_hashes_within_distance_10_of_the_reference(vector: Vector) -> None:
    hashes = hash_file(vector.file)

    assert hashes.pdq is not None
    assert hashes.pdq_quality is not None
    assert hamming_distance(hashes.pdq, vector.pdq) <= 10
    assert hashes.pdq_quality >= 80


@pytest.mark.parametrize("vector", POOR, ids=_name)
def test_poor_vectors_report_a_quality_too_low_to_match_on(vector: Vector) -> None:
    quality = hash_file(vector.file).pdq_quality

    assert quality is not None
    assert quality < 50


def test_each_dihedral_hash_of_the_bridge_matches_its_own_file_and_no_other() -> None:
    dihedral = hash_file(BRIDGES[0]).dihedral
    bridges = [pdq_of(path.read_bytes()) for path in BRIDGES]

    assert dihedral is not None
    matches = [
        [hamming_distance(variant, bridge) <= 31 for bridge in bridges] for variant in dihedral
    ]
    assert matches == [[row == column for column in range(8)] for row in range(8)]


@pytest.mark.parametrize(
    ("width", "height", "image_format"),
    [
        (1920, 1080, "JPEG"),
        (4000, 3000, "JPEG"),
        (3000, 4000, "JPEG"),
        (1023, 517, "JPEG"),
        (700, 300, "JPEG"),
        (1920, 1080, "PNG"),
        (3000, 2000, "PNG"),
    ],
)
def test_large_images_hash_as_the_reference_does(
    width: int, height: int, image_format: str
) -> None:
    fast = {"compress_level": 1} if image_format == "PNG" else {}
    data = encode(photo(width, height, seed=width), image_format, **fast)
    expected, _ = reference_hash(data)

    assert hamming_distance(pdq_of(data), expected) <= 6
