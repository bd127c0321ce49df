"""Limits that a hostile server cannot outlast: time, body size and decompressed size."""

import functools
import gzip
import re
import socket
import time
import zlib
from collections.abc import Iterator
from dataclasses import replace

import brotli
import pytest

from hotline.capture.errors import BodyTooLarge, FetchTimeout, UndecodableBody
from hotline.capture.fetcher import Fetcher
from hotline.capture.tests.conftest import TableResolver
from hotline.capture.tests.servers import drip, endless, respond

MIB = 1024 * 1024
TEXT = b"<p>Neutral test text, repeated.</p>\n" * 200


@pytest.fixture
def quick(policy):
    """A fetcher with a one-second deadline and a one-mebibyte decoded limit."""
    return Fetcher(
        replace(policy, total_timeout=1.0, connect_timeout=0.5, max_decoded_bytes=MIB),
        resolver=TableResolver(),
    )


@functools.cache
def ten_megabytes_of_zeros(coding: str) -> bytes:
    zeros = bytes(10 * 1000 * 1000)
    compress = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[coding]
    return bytes(compress(zeros))


def test_a_slow_drip_body_is_cut_at_the_total_deadline(server, quick) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    server.routes["/drip"] = drip(head, b"x", interval=0.2, most=100)

    started = time.monotonic()
    result = quick.fetch(server.url("/drip"))

    assert time.monotonic() - started < 1.8
    assert result.truncation == "the total time limit of 1 s was reached"
    assert 1 <= len(result.body) <= 10
    assert set(result.body) == {ord("x")}


def test_headers_sent_a_byte_at_a_time_are_cut_at_the_total_deadline(server, quick) -> None:
    server.routes["/"] = drip(b"HTTP/1.1 200 OK\r\n", b"X-Slow: y\r\n", interval=0.2, most=100)

    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="no response within the total time limit of 1 s"):
        quick.fetch(server.url("/"))
    assert time.monotonic() - started < 1.8


def test_a_server_that_never_answers_is_cut_at_the_total_deadline(quick) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        started = time.monotonic()
        with pytest.raises(FetchTimeout, match="no response within the total time limit"):
            quick.fetch(f"http://127.0.0.1:{silent.getsockname()[1]}/")
    assert 0.9 < time.monotonic() - started < 1.8


@pytest.fixture
def full_backlog() -> Iterator[int]:
    """A port whose accept queue is full, so that new connections hang in the handshake."""
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        filler.connect(listener.getsockname())
        yield listener.getsockname()[1]


def test_a_connection_that_does_not_complete_is_cut_at_the_connect_timeout(
    full_backlog, quick
) -> None:
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match=re.escape("could not connect to 127.0.0.1 in time")):
        quick.fetch(f"http://127.0.0.1:{full_backlog}/")
    assert 0.4 < time.monotonic() - started < 0.9


def test_an_endless_body_stops_at_the_size_limit_and_keeps_what_was_read(server, quick) -> None:
    server.routes["/endless"] = endless(b"y" * 65536, most_bytes=64 * MIB)

    result = quick.fetch(server.url("/endless"), max_body_bytes=MIB)

    assert result.truncation == f"the body is larger than the limit of {MIB} bytes"
    assert result.raw_body == result.body == b"y" * MIB


def test_a_declared_length_over_the_limit_is_refused_before_reading(server, quick) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n"
    server.routes["/huge"] = drip(head, b"z" * 65536, interval=0.05, most=20)

    started = time.monotonic()
    with pytest.raises(BodyTooLarge, match=f"declares 10737418240 bytes, over the limit of {MIB}"):
        quick.fetch(server.url("/huge"), max_body_bytes=MIB)
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_a_compression_bomb_stops_at_the_decoded_limit(server, quick, coding: str) -> None:
    bomb = ten_megabytes_of_zeros(coding)
    server.routes["/bomb"] = respond(200, bomb, [("Content-Encoding", coding)])

    result = quick.fetch(server.url("/bomb"))

    assert len(bomb) < 20_000
    assert result.truncation == f"the decoded body is larger than the limit of {MIB} bytes"
    assert result.body == bytes(MIB)
    assert len(result.raw_body) <= len(bomb)


def test_a_compressed_page_is_decoded_and_its_raw_bytes_kept(server, fetcher) -> None:
    compressed = gzip.compress(TEXT)
    server.routes["/"] = respond(200, compressed, [("Content-Encoding", "gzip")])

    result = fetcher.fetch(server.url("/"))

    assert (result.body, result.raw_body, result.truncated) == (TEXT, compressed, False)


def test_raw_deflate_without_the_zlib_wrapper_is_decoded(server, fetcher) -> None:
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    body = raw_deflate.compress(TEXT) + raw_deflate.flush()
    server.routes["/"] = respond(200, body, [("Content-Encoding", "deflate")])

    assert fetcher.fetch(server.url("/")).body == TEXT


def test_codings_applied_one_after_another_are_undone_in_reverse(server, fetcher) -> None:
    body = gzip.compress(brotli.compress(TEXT))
    server.routes["/"] = respond(200, body, [("Content-Encoding", "br, gzip")])

    assert fetcher.fetch(server.url("/")).body == TEXT


def test_a_coding_that_was_not_offered_is_refused(server, fetcher) -> None:
    server.routes["/"] = respond(200, b"(not really zstd)", [("Content-Encoding", "zstd")])

    with pytest.raises(UndecodableBody, match="content coding 'zstd', never offered"):
        fetcher.fetch(server.url("/"))


def test_corrupt_compressed_data_is_refused(server, fetcher) -> None:
    server.routes["/"] = respond(200, b"this is not gzip data", [("Content-Encoding", "gzip")])

    with pytest.raises(UndecodableBody, match="the gzip data of the body is corrupt"):
        fetcher.fetch(server.url("/"))


def test_a_connection_closed_mid_body_keeps_what_arrived(server, fetcher) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial"
    server.routes["/"] = drip(head, b"", interval=0, most=0)

    result = fetcher.fetch(server.url("/"))

    assert result.body == b"partial"
    assert result.truncation is not None
    assert result.truncation.startswith("the connection broke")
