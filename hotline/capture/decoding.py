"""Undoing a response's content codings without ever holding more than a set number of bytes.

A few kilobytes of gzip can expand to gigabytes (a "gzip bomb"), so every decompressor here is
asked for at most the room left under the limit, plus one byte to learn that there was more.
The fetcher reads the body raw and decodes it here, which keeps the bytes exactly as sent for the
evidence record beside the decoded ones.
"""

import zlib
from collections.abc import Callable

import brotli

from hotline.capture.errors import UndecodableBody

# What the fetcher offers in Accept-Encoding: each has a decompressor that can bound its output.
ACCEPT_ENCODING = "gzip, deflate, br"

# Given compressed bytes and the most output wanted, the decompressed bytes (at most that many).
Stage = Callable[[bytes, int], bytes]


def _zlib_stage(wbits: int) -> Stage:
    decompressor = zlib.decompressobj(wbits)

    def stage(data: bytes, most: int) -> bytes:
        return decompressor.decompress(data, most)

    return stage


def _deflate_stage() -> Stage:
    """Deflate as RFC 9110 means it (zlib-wrapped), or the raw deflate some servers send.

    The first two bytes tell them apart: a zlib header names method 8 and is a multiple of 31.
    """
    head = bytearray()
    chosen: list[Stage] = []

    def stage(data: bytes, most: int) -> bytes:
        if not chosen:
            head.extend(data)
            if len(head) < 2:
                return b""
            wrapped = head[0] & 0x0F == 8 and int.from_bytes(head[:2], "big") % 31 == 0
            chosen.append(_zlib_stage(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS))
            data = bytes(head)
        return chosen[0](data, most)

    return stage


def _brotli_stage() -> Stage:
    decompressor = brotli.Decompressor()

    def stage(data: bytes, most: int) -> bytes:
        return bytes(decompressor.process(data, output_buffer_limit=most))

    return stage


_STAGES: dict[str, Callable[[], Stage]] = {
    "gzip": lambda: _zlib_stage(zlib.MAX_WBITS | 16),
    "x-gzip": lambda: _zlib_stage(zlib.MAX_WBITS | 16),
    "deflate": _deflate_stage,
    "br": _brotli_stage,
}


def content_codings(header_values: list[str]) -> list[str]:
    """The codings named by the Content-Encoding headers, in the order they were applied."""
    names = (name.strip().lower() for value in header_values for name in value.split(","))
    return [name for name in names if name not in ("", "identity")]


class BodyDecoder:
    """Feeds raw body chunks through the codings' decompressors, stopping at `limit` bytes out."""

    def __init__(self, codings: list[str], limit: int) -> None:
        unknown = [name for name in codings if name not in _STAGES]
        if unknown:
            raise UndecodableBody(f"the body uses content coding {unknown[0]!r}, never offered")
        self.codings = codings
        self.stages = [_STAGES[name]() for name in reversed(codings)]
        self.room = limit
        self.overflowed = False

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes for `data`, cut at the limit; `overflowed` says if any were cut."""
        for name, stage in zip(reversed(self.codings), self.stages, strict=True):
            if not data:
                break
            data = self._decompress(name, stage, data)
            if len(data) > self.room:
                self.overflowed = True
                data = data[: self.room]
        self.room -= len(data)
        return data

    def _decompress(self, name: str, stage: Stage, data: bytes) -> bytes:
        try:
            return stage(data, self.room + 1)
        except (zlib.error, brotli.error) as error:
            raise UndecodableBody(f"the {name} data of the body is corrupt: {error}") from None
