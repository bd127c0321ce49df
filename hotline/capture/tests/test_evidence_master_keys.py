"""Where the evidence master keys come from, and how a bad one stops Hotline from starting."""

import os
import stat
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hotline.capture.config import master_keys, s3_storage
from hotline.capture.keys import Keyring, key_id, new_key, parse_keys
from hotline.env import Env


def test_a_local_install_generates_a_private_key_file_once(tmp_path):
    first = master_keys(Env({}), tmp_path)
    key_file = tmp_path / "evidence_master.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert master_keys(Env({}), tmp_path) == first
    assert len(first) == 1
    assert len(first[0]) == 32
    assert [path.name for path in tmp_path.iterdir()] == ["evidence_master.key"]


def test_keys_in_the_environment_are_read_newest_first():
    newest, older = new_key(), new_key()
    keys = master_keys(Env({"HOTLINE_EVIDENCE_MASTER_KEY": f"{newest}, {older}"}), settings.VAR_DIR)
    assert keys == [parse_keys(newest, "")[0], parse_keys(older, "")[0]]


def test_a_key_file_holds_one_key_a_line_with_comments(tmp_path):
    newest, older = new_key(), new_key()
    key_file = tmp_path / "keys"
    key_file.write_text(f"# rotated in May\n{newest}\n\n{older}  # the first key\n")
    keys = master_keys(Env({"HOTLINE_EVIDENCE_MASTER_KEY_FILE": str(key_file)}), tmp_path)
    assert [key_id(key) for key in keys] == [key_id(parse_keys(k, "")[0]) for k in (newest, older)]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not base64 at all!", "must be base64"),
        ("c2hvcnQgb2Y=", "must be 32 bytes, not 8"),
        ("# only a comment", "holds no evidence master key"),
    ],
)
def test_a_malformed_key_is_refused_without_repeating_it(text, problem):
    with pytest.raises(ImproperlyConfigured, match=problem) as refused:
        master_keys(Env({"HOTLINE_EVIDENCE_MASTER_KEY": text}), settings.VAR_DIR)
    assert text not in str(refused.value)


def test_a_key_given_both_ways_is_refused(tmp_path):
    environ = {"HOTLINE_EVIDENCE_MASTER_KEY": new_key(), "HOTLINE_EVIDENCE_MASTER_KEY_FILE": "k"}
    with pytest.raises(ImproperlyConfigured, match="not both"):
        master_keys(Env(environ), tmp_path)


def test_a_missing_key_file_is_refused_not_generated(tmp_path):
    missing = tmp_path / "nowhere.key"
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        master_keys(Env({"HOTLINE_EVIDENCE_MASTER_KEY_FILE": str(missing)}), tmp_path)
    assert not missing.exists()


def test_key_ids_are_short_fingerprints_that_tell_keys_apart():
    first, second = parse_keys(f"{new_key()},{new_key()}", "")
    assert len(key_id(first)) == 16
    assert key_id(first) != key_id(second)
    assert Keyring([first, second]).current_id == key_id(first)


def test_a_malformed_key_stops_hotline_at_start(tmp_path):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
        "HOTLINE_VAR_DIR": str(tmp_path),
        "HOTLINE_EVIDENCE_MASTER_KEY": "too-short",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=environ, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "HOTLINE_EVIDENCE_MASTER_KEY, line 1: an evidence master key must be" in result.stderr


def test_s3_storage_needs_a_bucket():
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        s3_storage(Env({}))
    options = s3_storage(Env({"AWS_STORAGE_BUCKET_NAME": "evidence"}))["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("evidence", "evidence")
