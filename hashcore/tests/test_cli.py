"""`python -m hashcore` and `hotline hash`: one JSON line per file, errors included."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hashcore.tests.pictures import encode, photo

IMAGE_KEYS = {"path", "md5", "sha1", "sha256", "format", "pdq", "pdq_quality", "dihedral"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a JPEG, a PNG in a subfolder, and a text file posing as an image."""
    (tmp_path / "nested").mkdir()
    (tmp_path / "a.jpg").write_bytes(encode(photo(300, 200, seed=1), "JPEG"))
    (tmp_path / "nested" / "b.png").write_bytes(encode(photo(200, 300, seed=2), "PNG"))
    (tmp_path / "nested" / "c.gif").write_text("not a picture")
    return tmp_path


def _run_module(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "hashcore", *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


def test_each_file_under_a_folder_gets_one_json_line_and_failures_set_the_exit_status(
    folder: Path,
) -> None:
    result = _run_module(folder)

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [
        str(folder / "a.jpg"),
        str(folder / "nested" / "b.png"),
        str(folder / "nested" / "c.gif"),
    ]
    assert set(lines[0]) == set(lines[1]) == IMAGE_KEYS
    assert lines[2] == {
        "path": str(folder / "nested" / "c.gif"),
        "error": "not an image or video this hasher can read",
    }
    assert result.returncode == 1


def test_image_lines_carry_hex_hashes_and_eight_dihedral_hashes(folder: Path) -> None:
    line = json.loads(_run_module(folder / "a.jpg").stdout)

    assert len(line["pdq"]) == 64
    assert len(line["sha256"]) == 64
    assert len(line["dihedral"]) == 8
    assert line["dihedral"][0] == line["pdq"]
    assert isinstance(line["pdq_quality"], int)


def test_the_exit_status_is_zero_when_every_file_was_hashed(folder: Path) -> None:
    result = _run_module(folder / "a.jpg", folder / "nested" / "b.png")

    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2


def test_hotline_hash_prints_the_same_lines(folder: Path) -> None:
    out = io.StringIO()

    call_command("hash", str(folder / "a.jpg"), stdout=out)

    assert out.getvalue() == _run_module(folder / "a.jpg").stdout


def test_hotline_hash_fails_when_a_file_cannot_be_hashed(folder: Path) -> None:
    out = io.StringIO()

    with pytest.raises(CommandError, match="some files could not be hashed"):
        call_command("hash", str(folder / "nested"), stdout=out)
    assert json.loads(out.getvalue().splitlines()[1])["error"]
