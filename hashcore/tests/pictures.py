"""Benign test pictures (gradients, discs, noise: never a photograph) and their hashes."""

import io
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from hashcore import DEFAULT_LIMITS, Limits, hash_bytes


def photo(width: int, height: int, seed: int = 0) -> Image.Image:
    """A photo-like RGB picture: smooth colour waves, a dozen translucent discs, sensor noise."""
    rng = np.random.default_rng(seed)
    y = np.arange(height, dtype=np.float32)[:, None]
    x = np.arange(width, dtype=np.float32)[None, :]
    a, b, c = (float(phase) for phase in rng.uniform(0, 6.3, 3))
    pixels = np.empty((height, width, 3), dtype=np.float32)
    pixels[..., 0] = 127 + 100 * np.sin(x / (0.05 * width) + y / (0.14 * height) + a)
    pixels[..., 1] = 127 + 100 * np.cos(x / (0.03 * width) - y / (0.2 * height) + b)
    pixels[..., 2] = 127 + 80 * np.sin((x + y) / (0.16 * width) + c)
    for _ in range(12):
        _add_disc(pixels, rng)
    pixels += rng.standard_normal(pixels.shape, dtype=np.float32) * 6
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def encode(image: Image.Image, image_format: str, **options: Any) -> bytes:
    """The bytes of `image` saved in `image_format`."""
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _add_disc(pixels: npt.NDArray[np.float32], rng: np.random.Generator) -> None:
    height, width = pixels.shape[:2]
    radius = int(rng.uniform(0.02, 0.25) * min(width, height)) + 1
    cx, cy = int(rng.uniform(0, width)), int(rng.uniform(0, height))
    top, left = max(cy - radius, 0), max(cx - radius, 0)
    box = pixels[top : cy + radius, left : cx + radius]
    y, x = np.ogrid[top : top + box.shape[0], left : left + box.shape[1]]
    inside = (x - cx) ** 2 + (y - cy) ** 2 < radius**2
    box[inside] = box[inside] * 0.5 + rng.uniform(0, 255, 3).astype(np.float32) * 0.5


def pdq_of(data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    """The PDQ hash of an image's bytes, for tests that need nothing else."""
    hashed = hash_bytes(data, limits).pdq
    assert hashed is not None
    return hashed
