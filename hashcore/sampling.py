"""PDQ's blur and sampling of the luma, folded with the scaling to the reference size, as two
matrix products.

Meta's reference scales an image so its longest side is at most 512 pixels (Pillow's bicubic
thumbnail made the conformance hashes), blurs the whole of it with two passes of box filters
along each axis, and keeps 64 x 64 of its samples. Each of those steps is linear and acts on rows
and columns separately, so for a luma of H x W the samples are `R @ luma @ C.T`, with R (64 x H)
and C (64 x W) built once per size: only the 64 kept samples are computed, from the luma as it
was decoded. At the reference size this gives pdqhash's hashes bit for bit (tested). Above it,
the only difference is that the scaled image is not rounded to 8 bits and its bicubic overshoot
at hard edges is not clipped, which moves text-like pictures by a few bits.
"""

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

REFERENCE_SIDE = 512
SAMPLES = 64  # the blurred image is sampled on a 64 x 64 grid

# Rows of the row operator are applied in this many groups, each to the band of luma rows it
# reads, rather than as one product with a mostly zero matrix.
_ROW_GROUPS = 8

Float32Array = npt.NDArray[np.float32]
Float64Array = npt.NDArray[np.float64]


def reference_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size the reference hashes an image of `size` at: longest side at most 512."""
    width, height = size
    scale = REFERENCE_SIDE / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


@dataclass(frozen=True)
class _Operator:
    matrix: Float32Array  # SAMPLES x length
    # (first output row, end output row, first luma row read, end luma row read) per group
    bands: tuple[tuple[int, int, int, int], ...]


def pdq_samples(luma: Float32Array) -> Float32Array:
    """The 64 x 64 samples PDQ takes of `luma` (any size) scaled to the reference size."""
    height, width = luma.shape
    scaled_width, scaled_height = reference_size((width, height))
    rows = _operator(height, scaled_height)
    columns = _operator(width, scaled_width)
    blurred_rows = np.empty((SAMPLES, width), dtype=np.float32)
    for first, end, first_read, end_read in rows.bands:
        weights = rows.matrix[first:end, first_read:end_read]
        blurred_rows[first:end] = weights @ luma[first_read:end_read]
    return blurred_rows @ columns.matrix.T


@functools.lru_cache(maxsize=64)
def _operator(length: int, scaled: int) -> _Operator:
    """What scaling a line of `length` to `scaled`, blurring and sampling it does, as a matrix."""
    matrix = _sampling(scaled)
    if scaled != length:
        matrix = matrix @ _bicubic(length, scaled)
    return _Operator(matrix.astype(np.float32), _bands(matrix))


def _sampling(length: int) -> Float64Array:
    box = _box_filter(length, _window(length))
    kept = ((np.arange(SAMPLES) + 0.5) * length / SAMPLES).astype(np.intp)
    # The reference filters each axis twice (its Jarosz passes), then samples.
    return box[kept] @ box


def _window(length: int) -> int:
    # Meta's computeJaroszFilterWindowSize: about half of a sample spacing.
    return (length + 2 * SAMPLES - 1) // (2 * SAMPLES)


def _box_filter(length: int, window: int) -> Float64Array:
    """Meta's box1DFloat as a matrix: each output is the mean of the window around it, cut
    short at the ends (from `behind` positions before the output's own to `ahead` after)."""
    ahead = (window + 2) // 2 - 1
    behind = window - ahead - 1
    positions = np.arange(length)
    first = np.maximum(positions - behind, 0)[:, np.newaxis]
    last = np.minimum(positions + ahead, length - 1)[:, np.newaxis]
    inside = (positions >= first) & (positions <= last)
    box: Float64Array = inside / (last - first + 1)
    return box


def _bicubic(length: int, scaled: int) -> Float64Array:
    """Pillow's bicubic scaling of a line, `scaled` x `length`: Pillow's own weights, read by
    scaling an identity image (row i holds the weights of luma position i)."""
    identity = Image.fromarray(np.eye(length, dtype=np.float32))
    weights = np.asarray(identity.resize((scaled, length), Image.Resampling.BICUBIC))
    return weights.T.astype(np.float64)


def _bands(matrix: Float64Array) -> tuple[tuple[int, int, int, int], ...]:
    bands = []
    for group in np.array_split(np.arange(SAMPLES), _ROW_GROUPS):
        read = np.flatnonzero(np.abs(matrix[group]).max(axis=0))
        bands.append((int(group[0]), int(group[-1]) + 1, int(read[0]), int(read[-1]) + 1))
    return tuple(bands)
