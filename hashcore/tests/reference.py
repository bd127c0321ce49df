"""The reference procedure the conformance README describes, to compare our hashes against.

Also where the conformance vectors live: `../shared/conformance/pdq` beside the repository, or
wherever HOTLINE_PDQ_CONFORMANCE points.
"""

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image

REPOSITORY = Path(__file__).resolve().parents[2]
CONFORMANCE = Path(
    os.environ.get("HOTLINE_PDQ_CONFORMANCE", REPOSITORY.parent / "shared" / "conformance" / "pdq")
)


@dataclass(frozen=True)
class Vector:
    file: Path
    pdq: str
    quality: int


def vectors() -> list[Vector]:
    """The conformance vectors, or none when the directory is missing (a test says so)."""
    expected = CONFORMANCE / "expected.csv"
    if not expected.exists():
        return []
    with expected.open(newline="") as rows:
        return [
            Vector(CONFORMANCE / "images" / row["file"], row["pdq_hex"], int(row["quality"]))
            for row in csv.DictReader(rows, skipinitialspace=True)
        ]


def reference_hash(data: bytes) -> tuple[str, int]:
    """Scale so the longest side is at most 512 px, convert to RGB, hash: the reference's way."""
    image = Image.open(io.BytesIO(data))
    image.thumbnail((512, 512))
    bits, quality = pdqhash.compute(np.asarray(image.convert("RGB")))
    return np.packbits(bits.astype(np.uint8)).tobytes().hex(), int(quality)
