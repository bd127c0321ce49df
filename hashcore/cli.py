"""`python -m hashcore PATH...` (and `hotline hash PATH...`): one JSON line per file.

Directories are walked recursively. Each line has `path` and either the hashes or `error`.
The exit status is 0 when every file was hashed and 1 when any could not be.
"""

import argparse
import json
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from .errors import HashingError
from .hashing import hash_file
from .limits import DEFAULT_LIMITS, Limits


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hashcore", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    args = parser.parse_args(argv)
    return write_hashes(args.paths, sys.stdout)


def write_hashes(paths: Iterable[Path], out: TextSink, limits: Limits = DEFAULT_LIMITS) -> int:
    """Write one JSON line per file under `paths`; return the exit status."""
    # Pillow warns about malformed input on stderr; each file's JSON line already says what failed.
    warnings.filterwarnings("ignore", module=r"PIL\.")
    status = 0
    for path in expand(paths):
        try:
            line = hash_file(path, limits).to_json()
        except HashingError as error:
            line = json.dumps({"path": str(path), "error": str(error)}, ensure_ascii=False)
            status = 1
        out.write(line + "\n")
    return status


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Each path given, with directories replaced by the files under them, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(_files_under(path))
        else:
            yield path


def _files_under(directory: Path) -> Iterator[Path]:
    for root, _dirs, files in os.walk(directory):
        yield from (Path(root, name) for name in files)
