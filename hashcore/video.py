"""vPDQ: PDQ hashes of video frames sampled in time, by Meta's reference (`vpdq`, on FFmpeg)."""

from dataclasses import dataclass
from pathlib import Path

from .errors import HashingError

VPDQ_MISSING = (
    "video hashing needs the optional vpdq package: install Debian's FFmpeg development "
    "libraries, then pip install 'hotline[video]' (see the README)"
)


@dataclass(frozen=True)
class VideoFrameHash:
    """The PDQ hash of the frame shown at `timestamp` seconds (frame number `frame`)."""

    frame: int
    timestamp: float
    pdq: str
    quality: int


def video_frame_hashes(path: Path, seconds_per_hash: float) -> tuple[VideoFrameHash, ...]:
    """vPDQ hashes of the video at `path`, one per `seconds_per_hash` (0: every frame)."""
    try:
        # Imported here: vpdq builds against FFmpeg, which a small install may not have.
        import vpdq
    except ImportError as error:
        raise HashingError(VPDQ_MISSING) from error
    try:
        # One thread: hashing scales out by processes, which more threads would oversubscribe.
        features = vpdq.computeHash(str(path), seconds_per_hash=seconds_per_hash, thread_count=1)
    except Exception as error:  # vpdq raises a bare Exception when FFmpeg cannot decode
        raise HashingError("video could not be decoded") from error
    if not features:
        raise HashingError("video has no frames this hasher can read")
    return tuple(
        VideoFrameHash(
            frame=int(feature.frame_number),
            timestamp=round(float(feature.timestamp), 3),
            pdq=str(feature.hex),
            quality=int(feature.quality),
        )
        for feature in features
    )
