"""Hashing one file or one byte string: digests always, PDQ for images, vPDQ for videos."""

import dataclasses
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from .digests import Digests, digest_bytes, digest_file
from .errors import HashingError
from .images import decode_image
from .limits import DEFAULT_LIMITS, Limits
from .pdq import Dihedral, PdqHash, pdq_dihedral, pdq_hash
from .sniff import HEAD_SIZE, video_format
from .video import VideoFrameHash, video_frame_hashes


@dataclass(frozen=True)
class FrameHash:
    """The PDQ hash of frame `index` (from 0) of an animated image."""

    index: int
    pdq: str
    quality: int


@dataclass(frozen=True)
class FileHashes:
    """Everything the hotline records about one file's content.

    Images have `pdq`, `pdq_quality` and `dihedral` (of the first frame, for an animation) and,
    when animated, `frames` (every frame, up to the limit). Videos have `vpdq` instead.
    """

    md5: str
    sha1: str
    sha256: str
    format: str
    pdq: str | None = None
    pdq_quality: int | None = None
    dihedral: Dihedral | None = None
    frames: tuple[FrameHash, ...] = ()
    vpdq: tuple[VideoFrameHash, ...] | None = None
    path: str | None = None

    def to_json(self) -> str:
        """One JSON object: path, digests, format, then the image or the video hashes."""
        return json.dumps(self._json_fields(), ensure_ascii=False)

    def _json_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {} if self.path is None else {"path": self.path}
        fields |= {"md5": self.md5, "sha1": self.sha1, "sha256": self.sha256}
        fields["format"] = self.format
        if self.vpdq is not None:
            return fields | {"vpdq": [dataclasses.asdict(frame) for frame in self.vpdq]}
        fields |= {"pdq": self.pdq, "pdq_quality": self.pdq_quality}
        fields["dihedral"] = None if self.dihedral is None else list(self.dihedral)
        if self.frames:
            fields["frames"] = [dataclasses.asdict(frame) for frame in self.frames]
        return fields


def hash_file(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> FileHashes:
    """Hash the file at `path`; raise HashingError with a plain message if it cannot be."""
    path = Path(path)
    try:
        return dataclasses.replace(_hash_file(path, limits), path=str(path))
    except OSError as error:
        raise HashingError(f"cannot read the file: {error.strerror or error}") from error


def hash_bytes(data: bytes, limits: Limits = DEFAULT_LIMITS) -> FileHashes:
    """Hash a file's content held in memory; raise HashingError if it cannot be."""
    container = video_format(data[:HEAD_SIZE])
    if container is not None:
        return _hash_video_bytes(data, container, limits)
    return _hash_image(data, limits)


def _hash_file(path: Path, limits: Limits) -> FileHashes:
    with path.open("rb") as file:
        head = file.read(HEAD_SIZE)
    container = video_format(head)
    if container is not None:
        return _hash_video(path, digest_file(path), container, limits)
    _check_image_size(path.stat().st_size, limits)
    return _hash_image(path.read_bytes(), limits)


def _hash_image(data: bytes, limits: Limits) -> FileHashes:
    _check_image_size(len(data), limits)
    digests = digest_bytes(data)
    image = decode_image(data, limits)
    first, dihedral = pdq_dihedral(next(image.frames))
    return FileHashes(
        **dataclasses.asdict(digests),
        format=image.format,
        pdq=first.hex,
        pdq_quality=first.quality,
        dihedral=dihedral,
        frames=_frame_hashes(first, image.frames) if image.animated else (),
    )


def _check_image_size(size: int, limits: Limits) -> None:
    if size == 0:
        raise HashingError("file is empty")
    if size > limits.max_image_bytes:
        raise HashingError(
            f"file has {size} bytes, above the image limit of {limits.max_image_bytes}"
        )


def _frame_hashes(first: PdqHash, rest: Iterator[Image.Image]) -> tuple[FrameHash, ...]:
    hashes = [first, *(pdq_hash(frame) for frame in rest)]
    return tuple(FrameHash(index, pdq.hex, pdq.quality) for index, pdq in enumerate(hashes))


def _hash_video(path: Path, digests: Digests, container: str, limits: Limits) -> FileHashes:
    frames = video_frame_hashes(path, limits.video_seconds_per_hash)
    return FileHashes(**dataclasses.asdict(digests), format=container, vpdq=frames)


def _hash_video_bytes(data: bytes, container: str, limits: Limits) -> FileHashes:
    # vpdq reads only from a path, so the bytes go through a private temporary file.
    with tempfile.NamedTemporaryFile(prefix="hashcore-", suffix=".video") as file:
        file.write(data)
        file.flush()
        return _hash_video(Path(file.name), digest_bytes(data), container, limits)
