"""Running FFmpeg for tests that need videos: its generated test patterns and re-encodings of
test media, never anything else. Such tests need Debian's ffmpeg and the vpdq package (the video
extra); CI has both, and fails rather than skips without them."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

from conftest import require_service


def require_vpdq() -> None:
    require_service(importlib.util.find_spec("vpdq") is not None, "the vpdq package (video extra)")


def ffmpeg(*arguments: str | Path) -> None:
    """Run Debian's ffmpeg with these arguments, quietly, overwriting its output."""
    program = shutil.which("ffmpeg")
    require_service(program is not None, "Debian's ffmpeg")
    command = [str(program), "-loglevel", "error", "-y", *map(str, arguments)]
    subprocess.run(command, check=True)  # noqa: S603 - our own arguments
