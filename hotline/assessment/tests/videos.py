"""Benign test videos made by FFmpeg: its generated test patterns, and re-encodings, resized
copies and clips of test media, as sites copy videos (see hashcore.tests.videos)."""

import tempfile
from pathlib import Path

from hashcore.tests.videos import ffmpeg, require_vpdq


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
    require_vpdq()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "video.mp4"
        ffmpeg(*source, "-c:v", "libx264", "-crf", str(crf), "-pix_fmt", "yuv420p", path)
        return path.read_bytes()
