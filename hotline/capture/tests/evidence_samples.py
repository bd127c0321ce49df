"""Benign sample media for the evidence store's tests, made on the spot."""

import io
import secrets
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo


def sample_png(text: str = "a plain teal square") -> bytes:
    """A small PNG carrying `text` in a comment chunk, so its plaintext is easy to look for."""
    info = PngInfo()
    info.add_text("Comment", text)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 128, 128)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def sample_bytes(label: str = "sample") -> bytes:
    return f"benign test bytes: {label} {secrets.token_hex(8)}".encode()


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())
