"""Benign pictures for the match and exchange tests: smooth random blobs, nothing else.

`altered` is the same picture made smaller and re-encoded as a JPEG, as a platform's copy of an
image often is: its PDQ hash differs from the original's, but by well under 31 bits.
"""

import io

import numpy as np
from PIL import Image


def picture(seed: int, size: int = 256) -> Image.Image:
    """Coloured blobs: random 8x8 noise enlarged smoothly, so PDQ finds strong structure."""
    noise = np.random.default_rng(seed).integers(0, 256, (8, 8, 3), dtype=np.uint8)
    return Image.fromarray(noise, "RGB").resize((size, size), Image.Resampling.BICUBIC)


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def altered(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.resize((image.width * 3 // 4, image.height * 3 // 4)).save(out, "JPEG", quality=85)
    return out.getvalue()


def decompression_bomb(side: int = 10_000) -> bytes:
    """A tiny PNG that declares side x side pixels (100 million by default)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()
