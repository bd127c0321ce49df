"""Where evidence ciphertext is kept: a local directory, or a Django storage such as S3.

Both take whole blobs under names the evidence store chooses, and a blob is there whole or not at
all: the local directory writes a temporary file, syncs it and renames it into place; an object
store publishes an object only once its upload is complete. A worker killed mid-write leaves at
most a temporary file, which nothing reads and the retention sweep removes.
"""

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from hotline.capture.evidence_errors import EvidenceCorrupt

TEMPORARY_PREFIX = ".partial-"
# Stored blobs, and the temporary files of writes that never finished; nothing else is ever
# read or deleted, whatever a storage name in the database says.
_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/(?:[0-9a-f]{32}|\.partial-\w+)")


def new_name() -> str:
    """A random name, sharded over two directory levels so no directory grows too large."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token[2:4]}/{token}"


def checked(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise EvidenceCorrupt(f"{name!r} is not an evidence storage name")
    return name


class BlobStore(Protocol):
    def write(self, name: str, data: bytes) -> None: ...

    def read(self, name: str) -> bytes:
        """The stored bytes; FileNotFoundError when there is no such blob."""
        ...

    def delete(self, name: str) -> None:
        """Remove the blob; nothing happens when it is already gone."""
        ...

    def entries(self) -> Iterator[tuple[str, datetime]]:
        """Every stored name, temporary files included, with when it was last written."""
        ...


class LocalBlobStore:
    """Files under a directory that only the service's user can enter."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        return self.root / checked(name)

    def write(self, name: str, data: bytes) -> None:
        path = self._path(name)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        _sync_directory(path.parent)

    def read(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def entries(self) -> Iterator[tuple[str, datetime]]:
        for path in self.root.glob("*/*/*"):
            name = path.relative_to(self.root).as_posix()
            if _NAME.fullmatch(name):
                yield name, datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable: without this a power cut can forget the new name."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class StorageBlobStore:
    """Objects in a Django storage (django-storages' S3Storage for S3-compatible services)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def write(self, name: str, data: bytes) -> None:
        saved = self.storage.save(checked(name), ContentFile(data))
        if saved != name:
            raise RuntimeError(f"the evidence storage renamed {name} to {saved}")

    def read(self, name: str) -> bytes:
        with self.storage.open(checked(name), "rb") as file:
            data: bytes = file.read()
        return data

    def delete(self, name: str) -> None:
        self.storage.delete(checked(name))

    def entries(self) -> Iterator[tuple[str, datetime]]:
        yield from self._walk("", depth=3)

    def _walk(self, directory: str, depth: int) -> Iterator[tuple[str, datetime]]:
        subdirectories, files = self.storage.listdir(directory)
        if depth == 1:
            for file in files:
                name = f"{directory}/{file}"
                if _NAME.fullmatch(name):
                    yield name, self.storage.get_modified_time(name)
            return
        for subdirectory in subdirectories:
            yield from self._walk(f"{directory}/{subdirectory}".lstrip("/"), depth - 1)


def configured_store() -> BlobStore:
    """The store HOTLINE_EVIDENCE_STORAGE selects: the local directory, or STORAGES["evidence"]."""
    if settings.HOTLINE_EVIDENCE_STORAGE == "s3":
        return StorageBlobStore(storages["evidence"])
    return LocalBlobStore(Path(settings.HOTLINE_EVIDENCE_DIR))
