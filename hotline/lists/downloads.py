"""Streaming a version or a delta as JSON or CSV, a chunk of rows at a time.

The rows come from a cursor that fetches HOTLINE_LIST_CHUNK_SIZE at a time (a server-side cursor
on PostgreSQL), so a list of millions of entries flows through in constant memory. On PostgreSQL
the cursor is read inside a transaction: outside one Django declares it WITH HOLD, and PostgreSQL
would compute the whole result before sending the first row.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from hotline.lists.models import ListEntry, ListName

ENTRY_FIELDS: dict[str, tuple[str, ...]] = {
    ListName.HASHES: (
        "md5",
        "sha1",
        "sha256",
        "pdq",
        "category",
        "age_band",
        "sex",
        "self_generated",
        "commercial",
        "ai_generated",
        "interpol_baseline",
        "industry",
    ),
    ListName.URLS: ("url", "category"),
    ListName.KEYWORDS: ("term",),
}
# Bytes gathered before a chunk goes to the client: fewer, larger writes to the socket.
STREAM_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Document:
    """What is being downloaded: a full version (since None) or the delta since a version."""

    list_name: str
    version: int
    since: int | None
    entries: QuerySet[ListEntry]

    @property
    def is_delta(self) -> bool:
        return self.since is not None

    def columns(self) -> tuple[str, ...]:
        delta = ("op", "reason") if self.is_delta else ()
        return ("id", *ENTRY_FIELDS[self.list_name], "added_in", *delta)


def _rows(document: Document) -> Iterator[dict[str, Any]]:
    fields = ENTRY_FIELDS[document.list_name]
    entries = document.entries.values_list("pk", "data", "added_in", "removed_in", "removal_reason")
    with _read_transaction():
        for pk, data, added_in, removed_in, reason in entries.iterator(
            chunk_size=settings.HOTLINE_LIST_CHUNK_SIZE
        ):
            row = {"id": pk, **{name: data.get(name) for name in fields}, "added_in": added_in}
            if document.is_delta:
                removed = removed_in is not None and removed_in <= document.version
                row["op"] = "remove" if removed else "add"
                row["reason"] = reason if removed else ""
            yield row


def _read_transaction() -> AbstractContextManager[Any]:
    # SQLite's transactions here take the write lock (BEGIN IMMEDIATE): read without one there.
    return transaction.atomic() if connection.vendor == "postgresql" else nullcontext()


def json_stream(document: Document) -> Iterator[bytes]:
    head = {"list": document.list_name, "version": document.version, "since": document.since}
    opening = json.dumps(head, separators=(",", ":"))[:-1] + ',"entries":['
    pieces = (json.dumps(row, separators=(",", ":")) for row in _rows(document))
    return _chunks(opening, _joined(pieces, ","), "]}\n")


def _joined(pieces: Iterable[str], separator: str) -> Iterator[str]:
    for index, piece in enumerate(pieces):
        yield piece if index == 0 else separator + piece


class _Line:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, line: str) -> str:
        return line


def csv_stream(document: Document) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    columns = document.columns()
    lines = (writer.writerow([_cell(row[name]) for name in columns]) for row in _rows(document))
    return _chunks(writer.writerow(columns), lines, "")


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _chunks(opening: str, pieces: Iterable[str], closing: str) -> Iterator[bytes]:
    """The opening and the pieces in chunks of about 64 KiB, then the closing."""
    buffer, size = [opening], len(opening)
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= STREAM_CHUNK_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    yield ("".join(buffer) + closing).encode()
