"""PDQ perceptual hashes: Meta's algorithm, on the samples `sampling` takes of the luma.

A hash is written as 64 lower-case hex characters, most significant bit first: the form Meta's
tools, ThreatExchange and the conformance vectors use, so hashes compare across systems.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from PIL import Image
from threadpoolctl import ThreadpoolController

from .sampling import SAMPLES, Float32Array, pdq_samples, reference_size

_MIN_SIDE = 5  # Meta's MIN_HASHABLE_DIM
_HEX_HASH = re.compile(r"[0-9a-fA-F]{64}")
_LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)

# These products are too small to gain from BLAS threads, which would only spin; a worker
# hashes many files in parallel instead.
_BLAS = ThreadpoolController()


@dataclass(frozen=True)
class PdqHash:
    """A PDQ hash and its quality (0-100); below ~50 the image is too flat to match on."""

    hex: str
    quality: int


class Dihedral(NamedTuple):
    """The PDQ hashes of the eight rotations and flips of an image, in the reference's order.

    Each field is the hash the transformed image would have, named as in Meta's conformance files
    `bridge-1-original.jpg` ... `bridge-8-flip-minus-1.jpg`. The Pillow transposition giving each:
    original (none), rotate_90 (ROTATE_90, anticlockwise), rotate_180 (ROTATE_180),
    rotate_270 (ROTATE_270), flip_x (FLIP_TOP_BOTTOM: mirrored about the x axis),
    flip_y (FLIP_LEFT_RIGHT), flip_plus_1 (TRANSPOSE), flip_minus_1 (TRANSVERSE).
    """

    original: str
    rotate_90: str
    rotate_180: str
    rotate_270: str
    flip_x: str
    flip_y: str
    flip_plus_1: str
    flip_minus_1: str


def pdq_hash(frame: Image.Image) -> PdqHash:
    """The PDQ hash of an upright frame in mode L or RGB, scaled to the reference size."""
    dct, quality = _dct_and_quality(frame)
    return PdqHash(_hex(dct), quality)


def pdq_dihedral(frame: Image.Image) -> tuple[PdqHash, Dihedral]:
    """The PDQ hash of a frame (as for pdq_hash) and the hashes of its rotations and flips."""
    dct, quality = _dct_and_quality(frame)
    dihedral = Dihedral(*(_hex(transformed) for transformed in _dihedral_dcts(dct)))
    return PdqHash(dihedral.original, quality), dihedral


def hamming_distance(a_hex: str, b_hex: str) -> int:
    """The number of bits in which two hex-encoded PDQ hashes differ (0-256)."""
    return (_hex_to_int(a_hex) ^ _hex_to_int(b_hex)).bit_count()


def _dct_and_quality(frame: Image.Image) -> tuple[Float32Array, int]:
    if min(reference_size(frame.size)) < _MIN_SIDE:
        # The reference gives such a sliver the all-zero hash, with quality 0.
        return np.zeros((16, 16), dtype=np.float32), 0
    with _BLAS.limit(limits=1, user_api="blas"):
        samples = pdq_samples(_luma(frame))
        dct = (_DCT @ samples @ _DCT.T).astype(np.float32, copy=False)
    return dct, _quality(samples)


def _luma(frame: Image.Image) -> Float32Array:
    pixels = np.asarray(frame)
    if frame.mode != "RGB":
        # A luma frame is its own luma: PDQ's weights sum to 1.
        return pixels.astype(np.float32)
    # In the reference's order of float operations, so that ties between coefficients, as in
    # symmetric pictures, fall the same way.
    luma: Float32Array = pixels[:, :, 0] * _LUMA_WEIGHTS[0]
    luma += pixels[:, :, 1] * _LUMA_WEIGHTS[1]
    luma += pixels[:, :, 2] * _LUMA_WEIGHTS[2]
    return luma


def _dct_matrix() -> Float32Array:
    # PDQ's 16 x 64 DCT-II rows, without the constant one (row i is frequency i + 1).
    frequency = np.arange(1, 17)[:, np.newaxis]
    position = np.arange(SAMPLES)[np.newaxis, :]
    angle = np.pi / 2 / SAMPLES * frequency * (2 * position + 1)
    rows: Float32Array = (np.sqrt(2 / SAMPLES) * np.cos(angle)).astype(np.float32)
    return rows


_DCT = _dct_matrix()


def _quality(samples: Float32Array) -> int:
    # Meta's image-domain quality: the sum of the sampled image's steps, each truncated to
    # whole percent of full scale, over 90.
    steps = np.concatenate([np.diff(samples, axis=0).ravel(), np.diff(samples, axis=1).ravel()])
    percents = (steps * np.float32(100) / np.float32(255)).astype(np.int32)
    return min(100, int(np.abs(percents).sum()) // 90)


def _dihedral_dcts(dct: Float32Array) -> tuple[Float32Array, ...]:
    # Mirroring an axis of the image negates that axis's coefficients of odd frequency (indexes
    # 0, 2, 4 ...: PDQ's DCT starts at frequency 1); transposing the image transposes its DCT.
    mirrored = dct * _MIRROR_SIGNS[:, np.newaxis]  # rows mirrored: flipped top to bottom
    both = mirrored * _MIRROR_SIGNS[np.newaxis, :]
    columns = dct * _MIRROR_SIGNS[np.newaxis, :]
    return (dct, columns.T, both, mirrored.T, mirrored, columns, dct.T, both.T)


_MIRROR_SIGNS = np.where(np.arange(16) % 2 == 0, -1, 1).astype(np.float32)


def _hex(dct: Float32Array) -> str:
    # A bit is set where a coefficient is above the median (the lower of the middle two, as
    # the reference's Torben median); bit 255 comes first in the hex form.
    median = np.partition(dct, 127, axis=None)[127]
    bits = (dct > median).ravel()[::-1]
    return np.packbits(bits).tobytes().hex()


def _hex_to_int(value: str) -> int:
    if not _HEX_HASH.fullmatch(value):
        raise ValueError(f"not a PDQ hash (64 hex characters): {value!r}")
    return int(value, 16)
