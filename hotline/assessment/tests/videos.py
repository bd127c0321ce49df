"""Benign test videos made by FFmpeg: its generated test patterns, and re-encodings, resized
copies and clips of test media, as sites copy videos. Tests using them need Debian's ffmpeg and
the vpdq package (the video extra); CI has both, and fails rather than skips without them."""

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

from conftest import require_service


def generated_video(source: str) -> bytes:
    """Four seconds of an FFmpeg test source, 320x240 at 5 frames a second, as H.264 in MP4."""
    return _ffmpeg(["-f", "lavfi", "-i", f"{source}=duration=4:size=320x240:rate=5"], crf=18)


def copy_of(video: bytes, scale: str, crf: int) -> bytes:
    """The video resized and re-encoded, as a site copying it would."""
    return _reencoded(video, ["-vf", f"scale={scale}"], crf)


def clip_of(video: bytes, start: int, seconds: int) -> bytes:
    """A stretch of the video, re-encoded."""
    return _reencoded(video, ["-ss", str(start), "-t", str(seconds)], crf=23)


def as_video(media: bytes) -> bytes:
    """Any media FFmpeg reads (an animated GIF, say) as H.264 in MP4, as sites convert them."""
    return _reencoded(media, [], crf=23)


def _reencoded(video: bytes, options: list[str], crf: int) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".input") as original:
        original.write(video)
        original.flush()
        return _ffmpeg(["-i", original.name, *options], crf=crf)


def _ffmpeg(source: list[str], crf: int) -> bytes:
    ffmpeg = shutil.which("ffmpeg")
    require_service(ffmpeg is not None, "Debian's ffmpeg")
    require_service(importlib.util.find_spec("vpdq") is not None, "the vpdq package (video extra)")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "video.mp4"
        command = [str(ffmpeg), "-loglevel", "error", *source, "-c:v", "libx264"]
        command += ["-crf", str(crf), "-pix_fmt", "yuv420p", str(path)]
        subprocess.run(command, check=True)  # noqa: S603 - our own arguments
        return path.read_bytes()
