"""MD5, SHA-1 and SHA-256 of a file's bytes, computed together in one chunked pass."""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Large enough to amortise the per-call cost, small enough to stay in cache for all three digests.
CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class Digests:
    """Hex digests of one file's bytes."""

    md5: str
    sha1: str
    sha256: str


def digest_bytes(data: bytes) -> Digests:
    """The digests of bytes already in memory."""
    view = memoryview(data)
    return digest_chunks(
        view[start : start + CHUNK_SIZE] for start in range(0, len(data), CHUNK_SIZE)
    )


def digest_file(path: Path) -> Digests:
    """The digests of a file of any size, read in chunks so memory use stays flat."""
    with path.open("rb") as file:
        return digest_chunks(_chunks(file.read))


def digest_chunks(chunks: Iterable[bytes | memoryview]) -> Digests:
    """The digests of the concatenation of `chunks`, each chunk fed to every digest in turn."""
    # MD5 and SHA-1 identify files in hash lists shared between hotlines; they protect nothing.
    md5 = hashlib.md5(usedforsecurity=False)
    sha1 = hashlib.sha1(usedforsecurity=False)
    sha256 = hashlib.sha256()
    for chunk in chunks:
        md5.update(chunk)
        sha1.update(chunk)
        sha256.update(chunk)
    return Digests(md5.hexdigest(), sha1.hexdigest(), sha256.hexdigest())


def _chunks(read: Callable[[int], bytes]) -> Iterator[bytes]:
    while chunk := read(CHUNK_SIZE):
        yield chunk
