"""Master keys of the evidence store: reading them from the configuration, and wrapping the
per-blob data keys with them.

Operators give one or more master keys, newest first, each the base64 of 32 random bytes
(`openssl rand -base64 32`):

- HOTLINE_EVIDENCE_MASTER_KEY: the keys, separated by commas; or
- HOTLINE_EVIDENCE_MASTER_KEY_FILE: a file holding one key per line ('#' starts a comment);
- neither: var/evidence_master.key, generated on first start for a local install.

The first key wraps every new data key; the others only unwrap, for blobs that `hotline
rotate-key` has not yet moved to the first. A key is named by a fingerprint, so the
configuration never carries ids. Losing every copy of a key loses the evidence it wraps.

Data keys are wrapped with AES key wrap (RFC 3394): built for keys, integrity-checked, and with
no nonce to manage.
"""

import base64
import binascii
import hashlib
import os
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from django.core.exceptions import ImproperlyConfigured

from hotline.capture.evidence_errors import EvidenceCorrupt, MasterKeyMissing

KEY_BYTES = 32
KEY_FILE_NAME = "evidence_master.key"
KEY_FILE_HEADER = (
    "# Hotline's evidence master keys, newest first, one base64 key per line.\n"
    "# Without them the stored evidence cannot be decrypted: back this file up apart from it.\n"
)
# Keeps the fingerprint from being the plain hash of the key that some other tool might also use.
_ID_DOMAIN = b"hotline evidence master key id\0"


def key_id(key: bytes) -> str:
    """A short public name for a master key that identifies it without revealing it."""
    return hashlib.sha256(_ID_DOMAIN + key).hexdigest()[:16]


def new_key() -> str:
    """A fresh master key, as it is written in the configuration."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def parse_keys(text: str, source: str) -> list[bytes]:
    """The keys in `text`, newest first; errors name the line but never repeat a key's text."""
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        for item in line.split("#", 1)[0].split(","):
            if item.strip():
                keys.append(_decode(item.strip(), f"{source}, line {number}"))
    if not keys:
        raise ImproperlyConfigured(f"{source} holds no evidence master key")
    return keys


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ImproperlyConfigured(f"{where}: an evidence master key must be base64") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{where}: an evidence master key must be {KEY_BYTES} bytes, not {len(key)}"
        )
    return key


def generate_key_file(path: Path) -> None:
    """Write a new key to `path`, readable by its owner only, unless a file is already there.

    Processes starting together (web and worker) may all try: the file appears whole, and holds
    the key of whichever linked it first, which every one of them then reads.
    """
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(f"{KEY_FILE_HEADER}{new_key()}\n")
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


class Keyring:
    """The configured master keys: the first wraps new data keys, any of them unwraps."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ImproperlyConfigured("no evidence master key is configured")
        self._keys = {key_id(key): key for key in keys}
        self.current_id = key_id(keys[0])

    @property
    def ids(self) -> list[str]:
        return list(self._keys)

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        """The current key's id and `data_key` wrapped by it."""
        return self.current_id, aes_key_wrap(self._keys[self.current_id], data_key)

    def unwrap(self, wrapping_key_id: str, wrapped: bytes) -> bytes:
        master = self._keys.get(wrapping_key_id)
        if master is None:
            raise MasterKeyMissing(
                f"its data key was wrapped by master key {wrapping_key_id}, which is not "
                f"configured (configured: {', '.join(self.ids)})"
            )
        try:
            return aes_key_unwrap(master, wrapped)
        except InvalidUnwrap:
            raise EvidenceCorrupt("its wrapped data key failed the integrity check") from None
