"""The WARC file of a capture, read back with warcio as any archive tool would read it."""

import base64
import gzip
import hashlib
import io
import json
import socket
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from warcio.archiveiterator import ArchiveIterator

from hotline.capture.fetcher import Fetcher, FetchResult, Hop
from hotline.capture.tests.conftest import TableResolver
from hotline.capture.tests.servers import drip, endless, redirect, respond
from hotline.capture.warc import sent_request_headers, write_capture_warc

PAGE = b"<html><head><title>Neutral</title></head><body><p>Neutral text.</p></body></html>"
FETCHED_AT = datetime(2025, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
SENT = (("User-Agent", "HotlineTest/1.0"), ("Accept", "*/*"))


class Record:
    """One record read back: its WARC fields, HTTP head, and block content."""

    def __init__(self, record) -> None:
        self.type = record.rec_type
        self.fields = dict(record.rec_headers.headers)
        self.http = record.http_headers
        self.content = record.raw_stream.read()


def read_warc(data: bytes) -> list[Record]:
    # "raise" makes warcio check every block and payload digest as it reads.
    return [Record(record) for record in ArchiveIterator(io.BytesIO(data), check_digests="raise")]


def warc_of(result: FetchResult, **options) -> bytes:
    stream = io.BytesIO()
    options.setdefault("request_headers", SENT)
    options.setdefault("fetched_at", FETCHED_AT)
    write_capture_warc(result, stream=stream, **options)
    return stream.getvalue()


def gzip_members(data: bytes) -> list[bytes]:
    members = []
    while data:
        member = zlib.decompressobj(wbits=31)
        members.append(member.decompress(data))
        data = member.unused_data
    return members


def sha256_label(data: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode("ascii")


def a_result(**changes) -> FetchResult:
    compressed = gzip.compress(PAGE, mtime=0)
    result = FetchResult(
        url="https://example.org/page?id=1",
        status=200,
        headers=(
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Encoding", "gzip"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
        ),
        redirects=(
            Hop(
                url="http://example.org/start",
                status=301,
                location="https://example.org/page?id=1",
                headers=(("Location", "https://example.org/page?id=1"), ("Content-Length", "0")),
                peer_ip="192.0.2.10",
            ),
        ),
        peer_ip="192.0.2.20",
        http_version="HTTP/1.1",
        body=PAGE,
        raw_body=compressed,
        elapsed_s=0.4321,
    )
    return replace(result, **changes)


def test_a_capture_is_warcinfo_then_each_request_and_response_then_metadata() -> None:
    records = read_warc(warc_of(a_result()))

    assert [(record.type, record.fields.get("WARC-Target-URI")) for record in records] == [
        ("warcinfo", None),
        ("response", "http://example.org/start"),
        ("request", "http://example.org/start"),
        ("response", "https://example.org/page?id=1"),
        ("request", "https://example.org/page?id=1"),
        ("metadata", "https://example.org/page?id=1"),
    ]
    assert all(
        record.fields["WARC-Date"] == "2025-03-04T05:06:07.890123Z" for record in records[1:]
    )


def test_the_file_is_warc_1_1_with_each_record_its_own_gzip_member() -> None:
    data = warc_of(a_result())

    members = gzip_members(data)
    assert len(members) == 6
    assert all(member.startswith(b"WARC/1.1\r\n") for member in members)


def test_the_final_response_keeps_the_raw_body_as_sent_and_every_header() -> None:
    result = a_result()

    response = read_warc(warc_of(result))[3]

    assert response.content == result.raw_body
    assert gzip.decompress(response.content) == PAGE
    assert (response.http.protocol, response.http.statusline) == ("HTTP/1.1", "200 OK")
    assert response.http.headers == list(result.headers)
    assert response.fields["WARC-Payload-Digest"] == sha256_label(result.raw_body)
    assert response.fields["WARC-Block-Digest"].startswith("sha256:")


def test_each_response_names_the_address_the_fetcher_connected_to() -> None:
    records = read_warc(warc_of(a_result()))

    assert records[1].fields["WARC-IP-Address"] == "192.0.2.10"
    assert records[3].fields["WARC-IP-Address"] == "192.0.2.20"


def test_no_address_is_recorded_when_a_proxy_made_the_connection() -> None:
    result = a_result(peer_ip=None, redirects=())

    response = read_warc(warc_of(result))[1]

    assert response.type == "response"
    assert "WARC-IP-Address" not in response.fields


def test_a_redirect_is_recorded_with_its_status_and_location_and_no_body() -> None:
    hop = read_warc(warc_of(a_result()))[1]

    assert hop.http.statusline == "301 Moved Permanently"
    assert hop.http.get_header("Location") == "https://example.org/page?id=1"
    assert hop.content == b""
    assert "WARC-Truncated" not in hop.fields


def test_a_redirect_whose_body_was_not_kept_is_flagged_as_truncated() -> None:
    hop = Hop("http://example.org/a", 302, "/b", (("Location", "/b"),), "192.0.2.10")

    recorded = read_warc(warc_of(a_result(redirects=(hop,))))[1]

    assert recorded.fields["WARC-Truncated"] == "unspecified"


def test_each_request_names_its_own_host_and_the_headers_sent() -> None:
    records = read_warc(warc_of(a_result()))
    hop_request, final_request = records[2], records[4]

    assert (hop_request.http.protocol, hop_request.http.statusline) == ("GET", "/start HTTP/1.1")
    assert final_request.http.statusline == "/page?id=1 HTTP/1.1"
    assert final_request.http.headers == [("Host", "example.org"), *SENT]
    assert final_request.fields["WARC-Concurrent-To"] == records[3].fields["WARC-Record-ID"]


def test_a_chunked_transfer_coding_already_removed_is_recorded_under_another_name() -> None:
    result = a_result(redirects=(), headers=(("Transfer-Encoding", "chunked"),))

    response = read_warc(warc_of(result))[1]

    assert response.http.headers == [("X-Archive-Orig-Transfer-Encoding", "chunked")]
    assert response.content == result.raw_body


def test_an_unknown_status_is_recorded_without_a_reason_phrase() -> None:
    response = read_warc(warc_of(a_result(status=599, redirects=())))[1]

    assert response.http.statusline == "599"


def test_the_metadata_record_holds_the_fetch_facts_and_the_callers_summary() -> None:
    summary = {"hosting": {"country_code": "US", "asn": None}, "media": {"total": 3}}

    records = read_warc(warc_of(a_result(), metadata=summary))

    metadata = records[-1]
    assert metadata.fields["Content-Type"] == "application/json"
    assert metadata.fields["WARC-Concurrent-To"] == records[3].fields["WARC-Record-ID"]
    assert json.loads(metadata.content) == {
        "fetch": {
            "url": "https://example.org/page?id=1",
            "status": 200,
            "redirects": ["http://example.org/start"],
            "peer_ip": "192.0.2.20",
            "elapsed_s": 0.432,
            "truncation": None,
        },
        **summary,
    }


def test_the_returned_id_is_that_of_the_final_response() -> None:
    stream = io.BytesIO()

    record_id = write_capture_warc(
        a_result(), stream=stream, request_headers=SENT, fetched_at=FETCHED_AT
    )

    assert read_warc(stream.getvalue())[3].fields["WARC-Record-ID"] == record_id


def test_the_fetch_time_is_recorded_in_utc_whatever_its_zone() -> None:
    in_paris = FETCHED_AT.astimezone(timezone(timedelta(hours=1)))

    records = read_warc(warc_of(a_result(), fetched_at=in_paris))

    assert records[1].fields["WARC-Date"] == "2025-03-04T05:06:07.890123Z"


def test_a_fetch_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        warc_of(a_result(), fetched_at=datetime(2025, 3, 4, 5, 6, 7))


def test_the_warcinfo_names_the_software_and_not_the_machine() -> None:
    data = warc_of(a_result())
    warcinfo = read_warc(data)[0]

    assert b"software: Hotline (warcio 1.8.1)" in warcinfo.content
    assert b"format: WARC File Format 1.1" in warcinfo.content
    assert socket.gethostname().encode() not in gzip.decompress(data)


def test_a_real_fetch_is_recorded_as_the_server_saw_it(server, fetcher) -> None:
    server.routes["/start"] = redirect("/page")
    server.routes["/page"] = respond(200, PAGE, [("Content-Type", "text/html")])
    result = fetcher.fetch(server.url("/start"))

    records = read_warc(warc_of(result, request_headers=sent_request_headers(fetcher, result.url)))

    [(_, seen_by_hop), (_, seen_by_page)] = server.requests
    request = records[4]
    assert request.http.statusline == "/page HTTP/1.1"
    assert dict(request.http.headers) == seen_by_page
    assert dict(records[2].http.headers)["Host"] == seen_by_hop["Host"]
    assert records[3].content == PAGE
    assert records[3].fields["WARC-IP-Address"] == "127.0.0.1"
    assert records[1].fields["WARC-Target-URI"] == server.url("/start")


@pytest.fixture
def quick(policy):
    return Fetcher(replace(policy, total_timeout=1.0), resolver=TableResolver())


def test_a_body_cut_at_the_size_limit_is_flagged_length(server, quick) -> None:
    server.routes["/"] = endless(b"y" * 4096, most_bytes=1024 * 1024)
    result = quick.fetch(server.url("/"), max_body_bytes=10_000)

    response = read_warc(warc_of(result))[1]

    assert response.fields["WARC-Truncated"] == "length"
    assert response.content == b"y" * 10_000


def test_a_body_cut_at_the_deadline_is_flagged_time(server, quick) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    server.routes["/"] = drip(head, b"x", interval=0.2, most=20)
    result = quick.fetch(server.url("/"))

    response = read_warc(warc_of(result))[1]

    assert response.fields["WARC-Truncated"] == "time"
    assert set(response.content) == {ord("x")}


def test_a_body_cut_by_a_broken_connection_is_flagged_disconnect(server, quick) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial"
    server.routes["/"] = drip(head, b"", interval=0, most=0)
    result = quick.fetch(server.url("/"))

    response = read_warc(warc_of(result))[1]

    assert response.fields["WARC-Truncated"] == "disconnect"
    assert response.content == b"partial"


def test_a_complete_body_is_not_flagged(server, fetcher) -> None:
    server.routes["/"] = respond(200, PAGE)

    response = read_warc(warc_of(fetcher.fetch(server.url("/"))))[1]

    assert "WARC-Truncated" not in response.fields
