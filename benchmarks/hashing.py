"""Hashing benchmark: images per CPU-second, hashcore against the naive path, same files and run.

Generates benign photo-like pictures (colour waves, translucent discs, sensor noise) in a
temporary directory: 1920x1080 JPEGs at quality 90, 12-megapixel (4000x3000) JPEGs, and
1920x1080 PNGs. Each round hashes every file of a set with hashcore (`hash_file`: read, MD5,
SHA-1, SHA-256, decode, PDQ with its eight dihedral hashes) and with the naive path (read, the
same three digests, `Image.open().convert("RGB")` at full size, `pdqhash.compute`), alternating
so both see the same machine load, after one untimed pass of each over the set. Time is this
process's CPU time, so the figures are per core and little disturbed by other work on the
machine; the median round is reported, and the speed-up of each pair of rounds gives its spread
(`speedup_rounds`: lowest, median, highest).

It also hashes Meta's PDQ conformance images (quality >= 80) both ways and reports the largest
Hamming distance to the expected hashes (conformance needs <= 10).

Progress goes to stderr; `--json` prints the figures as JSON on stdout. Exits 1 when the goal
(speedup >= 5 on 1920x1080 JPEGs) or conformance is missed.

    .venv/bin/python benchmarks/hashing.py --json
"""

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pdqhash
from PIL import Image

from hashcore import hamming_distance, hash_file
from hashcore.tests.pictures import encode, photo
from hashcore.tests.reference import vectors

GOAL_SPEEDUP = 5.0
CONFORMANCE_DISTANCE = 10


def log(message: str) -> None:
    print(f"[hashing-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per set")
    return parser.parse_args()


def naive_hash(path: Path) -> str:
    """The obvious way: digests, full-size decode, PDQ on every pixel."""
    data = path.read_bytes()
    for digest in (hashlib.md5, hashlib.sha1, hashlib.sha256):
        digest(data, usedforsecurity=False).hexdigest()
    bits, _quality = pdqhash.compute(np.asarray(Image.open(path).convert("RGB")))
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def ours_hash(path: Path) -> str:
    return str(hash_file(path).pdq)


class PictureSet(NamedTuple):
    width: int
    height: int
    image_format: str
    files: int
    suffix: str  # of this set's keys in the figures


SETS = {
    "1920x1080 JPEG": PictureSet(1920, 1080, "JPEG", 12, ""),
    "4000x3000 JPEG": PictureSet(4000, 3000, "JPEG", 3, "_12mp"),
    "1920x1080 PNG": PictureSet(1920, 1080, "PNG", 4, "_png"),
}


def make_set(directory: Path, pictures: PictureSet) -> list[Path]:
    """Different photo-like pictures of one size and format, in `directory`."""
    directory.mkdir()
    image_format = pictures.image_format
    options = {"quality": 90} if image_format == "JPEG" else {}
    paths = [directory / f"{seed}.{image_format.lower()}" for seed in range(pictures.files)]
    for seed, path in enumerate(paths):
        picture = photo(pictures.width, pictures.height, seed=seed)
        path.write_bytes(encode(picture, image_format, **options))
    log(f"made {len(paths)} {image_format} files of {_mean_size(paths)} bytes")
    return paths


def cpu_seconds(hasher: Callable[[Path], str], paths: list[Path]) -> float:
    start = time.process_time()
    for path in paths:
        hasher(path)
    return time.process_time() - start


def throughput(paths: list[Path], rounds: int) -> dict[str, Any]:
    """Median images per CPU-second of both paths, rounds alternating between them."""
    for hasher in (ours_hash, naive_hash):
        cpu_seconds(hasher, paths)  # warm caches, lazy imports and the memory allocator
    ours, naive = [], []
    for _ in range(rounds):
        ours.append(len(paths) / cpu_seconds(ours_hash, paths))
        naive.append(len(paths) / cpu_seconds(naive_hash, paths))
    ours_rate, naive_rate = statistics.median(ours), statistics.median(naive)
    ratios = sorted(mine / theirs for mine, theirs in zip(ours, naive, strict=True))
    spread = [round(ratio, 2) for ratio in (ratios[0], statistics.median(ratios), ratios[-1])]
    speedup = ours_rate / naive_rate
    return {"ours": ours_rate, "naive": naive_rate, "speedup": speedup, "spread": spread}


def distance_to_reference(hasher: Callable[[Path], str]) -> int:
    good = [vector for vector in vectors() if vector.quality >= 80]
    if not good:
        raise SystemExit(
            "the PDQ conformance vectors are missing (see hashcore/tests/reference.py)"
        )
    return max(hamming_distance(hasher(vector.file), vector.pdq) for vector in good)


def run(rounds: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"timer": "process CPU time (one core)", "rounds": rounds, "sets": {}}
    with tempfile.TemporaryDirectory(prefix="hashing-bench-") as work:
        for index, (name, pictures) in enumerate(SETS.items()):
            paths = make_set(Path(work) / str(index), pictures)
            suffix = pictures.suffix
            rates = throughput(paths, rounds if index == 0 else max(2, rounds // 2))
            log(f"{name}: ours {rates['ours']:.1f}/s, naive {rates['naive']:.1f}/s")
            figures[f"ours{suffix}_images_per_s"] = round(rates["ours"], 1)
            figures[f"naive{suffix}_images_per_s"] = round(rates["naive"], 1)
            figures[f"speedup{suffix}"] = round(rates["speedup"], 2)
            figures[f"speedup{suffix}_rounds"] = rates["spread"]
            figures["sets"][name] = {"files": len(paths), "mean_bytes": _mean_size(paths)}
    figures["max_distance_to_reference"] = distance_to_reference(ours_hash)
    figures["naive_max_distance_to_reference"] = distance_to_reference(naive_hash)
    met = figures["speedup"] >= GOAL_SPEEDUP
    conformant = figures["max_distance_to_reference"] <= CONFORMANCE_DISTANCE
    figures["goals"] = {"speedup_at_least": GOAL_SPEEDUP, "met": met and conformant}
    return figures


def _mean_size(paths: list[Path]) -> int:
    return sum(path.stat().st_size for path in paths) // len(paths)


def main() -> int:
    args = parse_args()
    figures = run(args.rounds)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0 if figures["goals"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
