"""Checking and converting what callers hand the PDQ index: ids, hex hashes, byte arrays."""

import re
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import numpy.typing as npt

HashInput = Sequence[str] | npt.NDArray[np.uint8]
Words = npt.NDArray[np.uint64]
Ids = npt.NDArray[np.int64]

HEX_LENGTH = 64
BYTES = 32
WORDS = 4
# Hex text is decoded this many hashes at a time, so a build can report progress as it goes.
PARSE_CHUNK = 1 << 20

_HEX_HASH = re.compile(r"[0-9a-fA-F]{64}")


def as_ids(ids: Sequence[int] | npt.NDArray[np.integer]) -> Ids:
    """The ids as int64, refusing a call that names the same id twice."""
    try:
        array = np.array(ids, dtype=np.int64).reshape(-1)  # a copy: the caller keeps theirs
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"ids must be 64-bit integers: {error}") from None
    if len(array) > 1 and len(np.unique(array)) != len(array):
        raise ValueError("the same id appears twice in one call")
    return array


def as_words(hashes: HashInput, on_chunk: Callable[[int], None] | None = None) -> Words:
    """Hashes as rows of four 64-bit words (byte order is irrelevant to Hamming distance)."""
    if isinstance(hashes, np.ndarray):
        return _words_of_bytes(hashes)
    if isinstance(hashes, str):
        raise ValueError("hashes must be a sequence of PDQ hashes, not one string")
    parts = []
    for start, chunk in _chunks(hashes):
        parts.append(_words_of_hex(chunk, start))
        if on_chunk is not None:
            on_chunk(start + len(chunk))
    return np.concatenate(parts) if parts else np.empty((0, WORDS), dtype=np.uint64)


def one_word_row(pdq_hex: str) -> Words:
    """A single hash as a (1, 4) row."""
    if not isinstance(pdq_hex, str):
        raise ValueError(f"not a PDQ hash (64 hex characters): {pdq_hex!r}")
    return _words_of_hex([pdq_hex], 0)


def _chunks(hashes: Sequence[str]) -> Iterator[tuple[int, Sequence[str]]]:
    for start in range(0, len(hashes), PARSE_CHUNK):
        yield start, hashes[start : start + PARSE_CHUNK]


def _words_of_hex(texts: Sequence[str], start: int) -> Words:
    try:
        well_formed = {len(text) for text in texts} <= {HEX_LENGTH}
        raw = bytes.fromhex("".join(texts)) if well_formed else b""
    except (TypeError, ValueError):
        raw = b""
    if len(raw) != BYTES * len(texts):
        position, text = _first_malformed(texts)
        raise ValueError(f"hash {start + position} is not a PDQ hash (64 hex characters): {text!r}")
    return np.frombuffer(raw, dtype=np.uint64).reshape(-1, WORDS)


def _words_of_bytes(hashes: npt.NDArray[np.uint8]) -> Words:
    if hashes.dtype != np.uint8 or hashes.ndim != 2 or hashes.shape[1] != BYTES:
        raise ValueError(
            f"hash arrays must be (n, {BYTES}) uint8, not {hashes.shape} {hashes.dtype}"
        )
    # A copy, so that the caller changing its array later cannot change the index.
    return np.array(hashes, order="C").view(np.uint64)


def _first_malformed(texts: Sequence[str]) -> tuple[int, object]:
    for position, text in enumerate(texts):
        if not isinstance(text, str) or not _HEX_HASH.fullmatch(text):
            return position, text
    return 0, ""
