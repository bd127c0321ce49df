"""Bounds on the work one file may cause, so hostile input cannot exhaust memory or time."""

from dataclasses import dataclass

# Pillow's own default, so that Pillow's decompression-bomb warning and our limit agree.
DEFAULT_MAX_PIXELS = 89_478_485


@dataclass(frozen=True)
class Limits:
    """Per-file bounds.

    `max_pixels` is checked against the dimensions an image declares, before any decoding.
    Pillow refuses images above twice its global `Image.MAX_IMAGE_PIXELS` on its own, so a
    higher `max_pixels` only takes effect once that global is raised too.
    `max_frames` bounds the frames hashed in an animated image.
    `max_image_bytes` bounds what is read into memory for a file that is not a video.
    `video_seconds_per_hash` is vPDQ's sampling interval (0 hashes every frame).
    """

    max_pixels: int = DEFAULT_MAX_PIXELS
    max_frames: int = 200
    max_image_bytes: int = 256 * 1024 * 1024
    video_seconds_per_hash: float = 1.0


DEFAULT_LIMITS = Limits()
