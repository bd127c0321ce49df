"""PDQ perceptual hashes, computed by Meta's reference C++ through the `pdqhash` bindings.

A hash is written as 64 lower-case hex characters, most significant bit first: the form Meta's
tools, ThreatExchange and the conformance vectors use, so hashes compare across systems.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image

# Meta's reference scales an image so that its longest side is at most this, then hashes it.
REFERENCE_SIDE = 512

_HEX_HASH = re.compile(r"[0-9a-fA-F]{64}")

_TRANSPOSE = Image.Transpose.TRANSPOSE
# Field i of an image's Dihedral is field _FROM_TRANSPOSED[i] of its transpose's Dihedral.
_FROM_TRANSPOSED = (6, 4, 7, 5, 1, 3, 0, 2)


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
    """The PDQ hash of a frame in mode L or RGB, already upright at the reference size."""
    return pdq_dihedral(frame)[0]


def pdq_dihedral(frame: Image.Image) -> tuple[PdqHash, Dihedral]:
    """The PDQ hash of a frame (as for pdq_hash) and the hashes of its rotations and flips."""
    if frame.width > frame.height:
        # pdqhash filters each column with a stride of one row, and rows of 512 floats (a scaled
        # landscape frame) alias in the CPU cache: the transposed frame hashes nearly twice as
        # fast, and has the same eight hashes in another order.
        all_bits, quality = pdqhash.compute_dihedral(_rgb(frame.transpose(_TRANSPOSE)))
        all_bits = [all_bits[index] for index in _FROM_TRANSPOSED]
    else:
        all_bits, quality = pdqhash.compute_dihedral(_rgb(frame))
    dihedral = Dihedral(*(_bits_to_hex(bits) for bits in all_bits))
    return PdqHash(dihedral.original, int(quality)), dihedral


def hamming_distance(a_hex: str, b_hex: str) -> int:
    """The number of bits in which two hex-encoded PDQ hashes differ (0-256)."""
    return (_hex_to_int(a_hex) ^ _hex_to_int(b_hex)).bit_count()


def _rgb(frame: Image.Image) -> npt.NDArray[np.uint8]:
    pixels = np.asarray(frame)
    if frame.mode == "RGB":
        return pixels
    # A luma frame goes as gray RGB, its one channel read thrice rather than copied: PDQ's luma
    # weights sum to 1, so pdqhash sees the luma back.
    return np.broadcast_to(pixels[:, :, np.newaxis], (*pixels.shape, 3))


def _bits_to_hex(bits: npt.NDArray[np.int_]) -> str:
    # pdqhash returns 256 bits, most significant first: packing them gives Meta's hex form.
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def _hex_to_int(value: str) -> int:
    if not _HEX_HASH.fullmatch(value):
        raise ValueError(f"not a PDQ hash (64 hex characters): {value!r}")
    return int(value, 16)
