"""PDQ's blur and sampling of the luma, folded with the scaling to the reference size, as two
matrix products.

Meta's reference scales an image so its longest side is at most 512 pixels (Pillow's bicubic
thumbnail made the conformance hashes), blurs the whole of it with two passes of box filters
along each axis, and keeps 64 x 64 of its samples. Each of those steps is linear and acts on rows
and columns separately, so for a luma of H x W the samples are `R @ luma @ C.T`, with R (64 x H)
and C (64 x W) built for each size (in under half a millisecond) and cached: only the 64 kept
samples are computed, from the luma as it was decoded. At the reference size this gives
pdqhash's hashes bit for bit (tested). Above it, the only difference is that the scaled image
is not rounded to 8 bits and its bicubic overshoot at hard edges is not clipped, which moves
text-like pictures by a few bits.
"""

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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


# Frames arrive box-reduced under 2,048 px (frames.py), so an entry holds at most 64 x 2,047
# floats: 33 MB at worst, and a miss costs under half a millisecond.
@functools.lru_cache(maxsize=64)
def _operator(length: int, scaled: int) -> _Operator:
    """What scaling a line of `length` to `scaled`, blurring and sampling it does, as a matrix.

    Each step is kept as taps (for each output, the input positions it reads and their weights)
    and the steps are chained before the matrix is filled once, so a size never seen before
    costs well under a millisecond: photos come in many sizes.
    """
    kept = ((np.arange(SAMPLES) + 0.5) * scaled / SAMPLES).astype(np.intp)
    taps = (kept[:, np.newaxis], np.ones((SAMPLES, 1)))
    box = _box_filter(scaled, _window(scaled))
    # The reference filters each axis twice (its Jarosz passes), then samples.
    taps = _then(_then(taps, box), box)
    if scaled != length:
        taps = _then(taps, _bicubic(length, scaled))
    matrix = _matrix(taps, length)
    return _Operator(matrix.astype(np.float32), _bands(matrix))


# For each output of a step: the positions of the inputs it reads, and their weights.
Taps = tuple[npt.NDArray[np.intp], Float64Array]


def _then(taps: Taps, step: Taps) -> Taps:
    """`taps` over the outputs of `step`, rewritten over the inputs of `step`."""
    positions, weights = taps
    step_positions, step_weights = step
    chained = step_positions[positions].reshape(len(positions), -1)
    chained_weights = weights[:, :, np.newaxis] * step_weights[positions]
    return chained, chained_weights.reshape(len(positions), -1)


def _matrix(taps: Taps, length: int) -> Float64Array:
    positions, weights = taps
    cells = positions + np.arange(len(positions))[:, np.newaxis] * length
    summed = np.bincount(cells.ravel(), weights.ravel(), minlength=len(positions) * length)
    return summed.reshape(len(positions), length).astype(np.float64, copy=False)


def _window(length: int) -> int:
    # Meta's computeJaroszFilterWindowSize: about half of a sample spacing.
    return (length + 2 * SAMPLES - 1) // (2 * SAMPLES)


def _box_filter(length: int, window: int) -> Taps:
    """Meta's box1DFloat: each output is the mean of the window around it, cut short at the
    ends (from `behind` positions before the output's own to `ahead` after)."""
    ahead = (window + 2) // 2 - 1
    behind = window - ahead - 1
    positions = np.arange(length)[:, np.newaxis] - behind + np.arange(window)
    inside = (positions >= 0) & (positions < length)
    weights = inside / inside.sum(axis=1, keepdims=True)
    return np.clip(positions, 0, length - 1), weights


_BICUBIC_A = -0.5  # Pillow's bicubic is Keys' cubic with a = -0.5, over a support of 2


def _bicubic(length: int, scaled: int) -> Taps:
    """Pillow's bicubic scaling of a line from `length` to `scaled` (its precompute_coeffs):
    the kernel is widened by the scale when shrinking, and each output's weights are normalised
    over the inputs that exist."""
    scale = length / scaled
    stretch = max(scale, 1.0)
    support = 2.0 * stretch
    centres = ((np.arange(scaled) + 0.5) * scale)[:, np.newaxis]
    first = np.maximum((centres - support + 0.5).astype(np.intp), 0)
    end = np.minimum((centres + support + 0.5).astype(np.intp), length)
    positions = first + np.arange(int(np.ceil(support)) * 2 + 1)
    weights = _keys_cubic((positions - centres + 0.5) * (1.0 / stretch)) * (positions < end)
    totals = weights.sum(axis=1, keepdims=True)
    return np.minimum(positions, length - 1), weights / np.where(totals == 0, 1.0, totals)


def _keys_cubic(x: Float64Array) -> Float64Array:
    x = np.abs(x)
    a = _BICUBIC_A
    near = ((a + 2.0) * x - (a + 3.0)) * x * x + 1
    far = (((x - 5) * x + 8) * x - 4) * a
    cubic: Float64Array = np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))
    return cubic


def _bands(matrix: Float64Array) -> tuple[tuple[int, int, int, int], ...]:
    bands = []
    for group in np.array_split(np.arange(SAMPLES), _ROW_GROUPS):
        read = np.flatnonzero(np.abs(matrix[group]).max(axis=0))
        bands.append((int(group[0]), int(group[-1]) + 1, int(read[0]), int(read[-1]) + 1))
    return tuple(bands)
