"""MD5, SHA-1 and SHA-256 agree with hashlib and the published test vectors."""

import hashlib
from pathlib import Path

import numpy as np

from hashcore import hash_bytes, hash_file
from hashcore.digests import CHUNK_SIZE, Digests, digest_bytes, digest_file
from hashcore.tests.pictures import encode, photo


def _hashlib_digests(data: bytes) -> Digests:
    return Digests(
        hashlib.md5(data, usedforsecurity=False).hexdigest(),
        hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        hashlib.sha256(data).hexdigest(),
    )


def test_the_digests_of_abc_are_the_published_vectors() -> None:
    assert digest_bytes(b"abc") == Digests(
        md5="900150983cd24fb0d6963f7d28e17f72",
        sha1="a9993e364706816aba3e25717850c26c9cd0d89d",
        sha256="ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    )


def test_the_digests_of_nothing_are_the_empty_string_digests() -> None:
    assert digest_bytes(b"") == Digests(
        md5="d41d8cd98f00b204e9800998ecf8427e",
        sha1="da39a3ee5e6b4b0d3255bfef95601890afd80709",
        sha256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    )


def test_a_file_spanning_many_chunks_digests_as_hashlib_does_on_the_whole(tmp_path: Path) -> None:
    data = np.random.default_rng(2).integers(0, 256, 3 * CHUNK_SIZE + 12345, dtype=np.uint8)
    path = tmp_path / "blob.bin"
    path.write_bytes(data.tobytes())

    assert digest_file(path) == digest_bytes(data.tobytes()) == _hashlib_digests(data.tobytes())


def test_an_image_file_reports_the_digests_of_its_exact_bytes(tmp_path: Path) -> None:
    data = encode(photo(200, 100), "JPEG")
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)

    hashes = hash_file(path)

    assert Digests(hashes.md5, hashes.sha1, hashes.sha256) == _hashlib_digests(data)
    assert hash_bytes(data).sha256 == hashes.sha256
