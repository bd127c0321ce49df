"""Turning one decoded frame of any Pillow mode into the image PDQ hashes.

The frame is converted to what a viewer sees (transparency over white, 16-bit samples scaled to
8; gray stays gray, all else becomes RGB) and turned upright as its EXIF orientation says, so a
photo hashes the same however it was stored. A frame larger than the reference size goes to PDQ
as its luma (mode L), which is all PDQ reads; PDQ scales it to the reference size within its own
filter (see `sampling`), after a box reduction, as Pillow's thumbnail does, if it is much
larger.
"""

from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from .sampling import REFERENCE_SIDE, reference_size

_WHITE = (255, 255, 255, 255)
_REDUCING_GAP = 2.0

_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "PA"})
# Modes whose samples exceed 8 bits: Pillow's own conversion to RGB would clip them.
_HIGH_DEPTH_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I", "F"})

# EXIF orientation tag values and the transposition that turns such an image upright.
_UPRIGHT: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def pdq_input(frame: Image.Image, orientation: int) -> Image.Image:
    """`frame` upright in mode L (its luma) or RGB, at most about four times the reference size,
    ready for PDQ."""
    if frame.mode in _HIGH_DEPTH_MODES:
        visible = _high_depth_to_luma(frame)
    else:
        visible = _reduced_luma(_visible(frame))
    method = _UPRIGHT.get(orientation)
    return visible if method is None else visible.transpose(method)


def _shrink(image: Image.Image) -> Image.Image:
    # The filter and reducing gap of Pillow's thumbnail(), which produced the reference hashes.
    size = reference_size(image.size)
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=_REDUCING_GAP)


def _reduced_luma(image: Image.Image) -> Image.Image:
    # A frame already within the reference size is hashed as it is, as the reference hashes it.
    if reference_size(image.size) == image.size:
        return image
    # PDQ only sees luma (Pillow's L conversion uses PDQ's weights), and scales it within its
    # filter. A much larger image is first box-reduced, as thumbnail() does.
    factor = int(max(image.size) / REFERENCE_SIDE / _REDUCING_GAP)
    reduced = image.reduce(factor) if factor > 1 else image
    return reduced if reduced.mode == "L" else reduced.convert("L")


def _visible(image: Image.Image) -> Image.Image:
    # Luma (a gray picture, or a JPEG decoded to its Y channel alone) stays luma; all else is RGB.
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        return _on_white(image)
    return image if image.mode in ("L", "RGB") else image.convert("RGB")


def _on_white(image: Image.Image) -> Image.Image:
    # Hidden colour under transparent pixels is invisible to a viewer, so it must not sway the hash.
    background = Image.new("RGBA", image.size, _WHITE)
    return Image.alpha_composite(background, image.convert("RGBA")).convert("RGB")


def _high_depth_to_luma(image: Image.Image) -> Image.Image:
    values = np.nan_to_num(np.asarray(_shrink(image.convert("F")), dtype=np.float64))
    if image.mode.startswith("I;16"):
        low, high = 0.0, 65535.0
    else:
        # 32-bit integer and float images have no fixed white; PDQ ignores brightness and
        # contrast, so stretching the range used only avoids clipping.
        low, high = float(values.min()), float(values.max())
    return _gray((values - low) * (255.0 / max(high - low, 1e-12)))


def _gray(values: npt.NDArray[np.floating[Any]]) -> Image.Image:
    return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8))
