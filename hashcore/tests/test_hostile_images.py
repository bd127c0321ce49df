"""Input built to hurt: bombs, truncated and corrupt files, and files whose names lie."""

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest

from hashcore import HashingError, Limits, hash_bytes, hash_file
from hashcore.tests.pictures import encode, pdq_of, photo

NOT_READABLE = r"^not an image or video this hasher can read$"
JPEG = encode(photo(640, 480), "JPEG", quality=90)
PNG = encode(photo(640, 480), "PNG")


def _chunk(kind: bytes, body: bytes) -> bytes:
    checksum = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)


def _png_declaring(width: int, height: int) -> bytes:
    """A valid PNG claiming `width` x `height` grey pixels, whose data is a few rows of zeros."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    pixels = _chunk(b"IDAT", zlib.compress(b"\0" * (width + 1) * 16))
    return b"\x89PNG\r\n\x1a\n" + header + pixels + _chunk(b"IEND", b"")


def _jpeg_declaring(width: int, height: int) -> bytes:
    """Our JPEG with the dimensions in its start-of-frame header replaced."""
    dimensions = JPEG.index(b"\xff\xc0") + 5
    return JPEG[:dimensions] + struct.pack(">HH", height, width) + JPEG[dimensions + 4 :]


@pytest.mark.parametrize(
    "bomb", [_png_declaring(30_000, 30_000), _jpeg_declaring(65_000, 65_000)], ids=["png", "jpg"]
)
def test_a_decompression_bomb_is_refused_before_decoding(bomb: bytes) -> None:
    with pytest.raises(HashingError, match=r"^image has over \d+ pixels \(possible decompression"):
        hash_bytes(bomb)


def test_an_image_above_our_own_pixel_limit_is_refused_with_its_size() -> None:
    with pytest.raises(HashingError) as refused:
        hash_bytes(_png_declaring(2_000, 1_000), Limits(max_pixels=1_000_000))

    assert str(refused.value) == (
        "image has 2000000 pixels, above the limit of 1000000 (possible decompression bomb)"
    )


def test_a_jpeg_above_our_own_pixel_limit_is_refused() -> None:
    with pytest.raises(HashingError, match="image has 307200 pixels, above the limit of 300000"):
        hash_bytes(JPEG, Limits(max_pixels=300_000))


@pytest.mark.parametrize("data", [JPEG[: len(JPEG) // 2], PNG[: len(PNG) // 2]], ids=["jpg", "png"])
def test_a_truncated_image_says_so(data: bytes) -> None:
    with pytest.raises(HashingError, match=r"^image is truncated$"):
        hash_bytes(data)


def test_a_png_with_damaged_pixel_data_is_reported_corrupt() -> None:
    damaged = bytearray(PNG)
    damaged[200:260] = bytes(60)

    with pytest.raises(HashingError, match=r"^image is corrupt \(.+\)$"):
        hash_bytes(bytes(damaged))


def test_random_bytes_are_not_an_image() -> None:
    noise = np.random.default_rng(1).integers(0, 256, 10_000, dtype=np.uint8).tobytes()

    with pytest.raises(HashingError, match=NOT_READABLE):
        hash_bytes(noise)


def test_an_empty_file_says_it_is_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")

    with pytest.raises(HashingError, match=r"^file is empty$"):
        hash_file(empty)
    with pytest.raises(HashingError, match=r"^file is empty$"):
        hash_bytes(b"")


def test_a_png_named_jpg_is_hashed_as_the_png_it_is(tmp_path: Path) -> None:
    liar = tmp_path / "holiday.jpg"
    liar.write_bytes(PNG)

    hashes = hash_file(liar)

    assert hashes.format == "PNG"
    assert hashes.pdq == pdq_of(PNG)


def test_a_jpeg_named_like_a_video_is_hashed_as_an_image(tmp_path: Path) -> None:
    liar = tmp_path / "clip.mp4"
    liar.write_bytes(JPEG)

    hashes = hash_file(liar)

    assert (hashes.format, hashes.vpdq) == ("JPEG", None)


@pytest.mark.parametrize(
    "content",
    [b"<html><body>not found</body></html>", b'<svg xmlns="http://www.w3.org/2000/svg"/>'],
)
def test_text_named_as_an_image_is_not_an_image(tmp_path: Path, content: bytes) -> None:
    liar = tmp_path / "photo.png"
    liar.write_bytes(content)

    with pytest.raises(HashingError, match=NOT_READABLE):
        hash_file(liar)


def test_formats_pillow_would_hand_to_an_external_program_are_refused() -> None:
    # Pillow renders EPS by running Ghostscript; the hasher must never do that with hostile input.
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n%%EOF\n"

    with pytest.raises(HashingError, match=NOT_READABLE):
        hash_bytes(eps)


def test_an_image_larger_than_the_byte_limit_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(PNG)

    with pytest.raises(HashingError, match=f"file has {len(PNG)} bytes, above the image limit"):
        hash_file(big, Limits(max_image_bytes=1000))


def test_a_missing_file_says_it_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(HashingError, match=r"^cannot read the file: No such file or directory$"):
        hash_file(tmp_path / "gone.jpg")


def test_an_animation_whose_later_frame_outgrows_the_limit_is_refused() -> None:
    frames = [photo(100, 100, seed=seed).quantize(64) for seed in range(2)]
    gif = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], optimize=False)
    # The second frame's image descriptor: separator, then left, top, width, height.
    second = gif.rindex(b"\x2c" + struct.pack("<HHHH", 0, 0, 100, 100))
    grown = gif[: second + 1] + struct.pack("<HHHH", 0, 0, 3000, 3000) + gif[second + 9 :]

    with pytest.raises(HashingError, match=r"^image has 9000000 pixels, above the limit of"):
        hash_bytes(grown, Limits(max_pixels=1_000_000))
