"""Turning one decoded frame of any Pillow mode into the RGB array PDQ hashes.

The frame is converted to RGB as a viewer would see it (transparency over white, 16-bit samples
scaled to 8), scaled so its longest side is at most the reference's 512 pixels with the
reference's filter (Pillow's bicubic thumbnail), and turned upright as its EXIF orientation says,
so a photo hashes the same however it was stored. A scaled frame goes to PDQ as gray RGB: its
luma, which is all PDQ reads, scaled in floating point.
"""

from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from .pdq import REFERENCE_SIDE, RgbArray

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


def reference_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size the reference hashes an image of `size` at: longest side at most 512."""
    width, height = size
    scale = REFERENCE_SIDE / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def pdq_input(frame: Image.Image, orientation: int) -> RgbArray:
    """The upright, reference-sized RGB array of `frame`, ready for PDQ."""
    if frame.mode in _HIGH_DEPTH_MODES:
        small = _high_depth_to_rgb(frame)
    else:
        rgb = _to_rgb(frame)
        small = rgb if reference_size(rgb.size) == rgb.size else _shrink_luma(rgb)
    method = _UPRIGHT.get(orientation)
    upright = small if method is None else small.transpose(method)
    return np.asarray(upright)


def _shrink(image: Image.Image) -> Image.Image:
    # The filter and reducing gap of Pillow's thumbnail(), which produced the reference hashes.
    size = reference_size(image.size)
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=_REDUCING_GAP)


def _shrink_luma(rgb: Image.Image) -> Image.Image:
    # PDQ only sees luma (Pillow's "F" conversion uses PDQ's weights, unrounded): scaling that one
    # channel is a third of the work of scaling RGB, and rounds once instead of once per channel.
    # A much larger image is first box-reduced in RGB, as thumbnail() does, so that the float
    # copy stays small.
    factor = int(max(rgb.size) / REFERENCE_SIDE / _REDUCING_GAP)
    reduced = rgb.reduce(factor) if factor > 1 else rgb
    return _gray_to_rgb(np.asarray(_shrink(reduced.convert("F"))))


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        return _on_white(image)
    return image if image.mode == "RGB" else image.convert("RGB")


def _on_white(image: Image.Image) -> Image.Image:
    # Hidden colour under transparent pixels is invisible to a viewer, so it must not sway the hash.
    background = Image.new("RGBA", image.size, _WHITE)
    return Image.alpha_composite(background, image.convert("RGBA")).convert("RGB")


def _high_depth_to_rgb(image: Image.Image) -> Image.Image:
    values = np.nan_to_num(np.asarray(_shrink(image.convert("F")), dtype=np.float64))
    if image.mode.startswith("I;16"):
        low, high = 0.0, 65535.0
    else:
        # 32-bit integer and float images have no fixed white; PDQ ignores brightness and
        # contrast, so stretching the range used only avoids clipping.
        low, high = float(values.min()), float(values.max())
    return _gray_to_rgb((values - low) * (255.0 / max(high - low, 1e-12)))


def _gray_to_rgb(gray: npt.NDArray[np.floating[Any]]) -> Image.Image:
    return Image.fromarray(np.clip(np.rint(gray), 0, 255).astype(np.uint8)).convert("RGB")
