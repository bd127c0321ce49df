"""The WARC file of one capture: what was asked, what came back, from which address, and when.

WARC 1.1 (ISO 28500), written with warcio, each record its own gzip member. For every redirect
and then for the final response there is a request record and a response record; the final
response keeps the body exactly as the server sent it, still content-encoded, so that its payload
digest is that of the bytes received. A metadata record (JSON) ends the file.

The fetcher has already removed any chunked transfer coding, so a Transfer-Encoding header is
recorded under another name: left as it was, a WARC reader would try to de-chunk a body that is
no longer chunked, and a body made to look like chunks could be read as something else.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import version
from io import BytesIO
from typing import IO, Any

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from hotline.capture.fetcher import Fetcher, FetchResult
from hotline.capture.responses import Headers

WARC_VERSION = "1.1"
RENAMED_HEADERS = {"transfer-encoding": "X-Archive-Orig-Transfer-Encoding"}

_WARCINFO = {
    "software": f"Hotline (warcio {version('warcio')})",
    "format": "WARC File Format 1.1",
    "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
    "robots": "ignore",
    "description": "One capture of a reported URL: each redirect, the final response, metadata.",
}


@dataclass(frozen=True)
class _Exchange:
    """One request and its response, as the WARC file records them."""

    url: str
    status: int
    headers: Headers
    peer_ip: str | None
    body: bytes
    truncated: str | None


class _Writer(WARCWriter):  # type: ignore[misc]
    """warcio's writer with SHA-256 digests, the hash Hotline names all its evidence by."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def write_capture_warc(
    result: FetchResult,
    *,
    stream: IO[bytes],
    request_headers: Sequence[tuple[str, str]],
    fetched_at: datetime,
    metadata: Mapping[str, object] | None = None,
) -> str:
    """Write the WARC file of `result` to `stream`; the WARC-Record-ID of the final response.

    `request_headers` are those the fetcher sent with every request, Host aside (each record gets
    the Host of its own URL). `fetched_at` is when the fetch began, timezone-aware. `metadata`
    (hosting, extraction summary...) must be JSON-serialisable; it joins the fetch's own facts.
    """
    if fetched_at.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    writer = _Writer(stream, gzip=True, warc_version=WARC_VERSION)
    date = datetime_to_iso_date(fetched_at.astimezone(UTC).replace(tzinfo=None), use_micros=True)
    writer.write_record(writer.create_warcinfo_record(None, _WARCINFO))
    for hop in _hops(result):
        _write_exchange(writer, hop, request_headers, result.http_version, date)
    final = _final(result)
    response_id = _write_exchange(writer, final, request_headers, result.http_version, date)
    writer.write_record(_metadata_record(writer, result, response_id, date, metadata or {}))
    return response_id


def sent_request_headers(fetcher: Fetcher, url: str) -> Headers:
    """The headers `fetcher` sends when it requests `url`, as `write_capture_warc` takes them.

    Fetcher keeps them private; asking it (rather than listing them again here) keeps the
    request records true to what was sent when the fetcher changes.
    """
    sent = fetcher._headers(httpx.URL(url))
    return tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in sent)


def truncation_token(truncation: str | None) -> str | None:
    """The WARC-Truncated value for the fetcher's reason for cutting a body short.

    The fetcher gives its reason in words (responses.read_body); test_warc_records cuts a real
    fetch each way, so a change of wording there fails a test here.
    """
    if truncation is None:
        return None
    if "time limit" in truncation:
        return "time"
    if truncation.startswith("the connection broke"):
        return "disconnect"
    if "larger than the limit" in truncation:
        return "length"
    return "unspecified"


def _hops(result: FetchResult) -> list[_Exchange]:
    return [
        # The fetcher does not keep a redirect's body, so one that had a body is truncated.
        _Exchange(hop.url, hop.status, hop.headers, hop.peer_ip, b"", _hop_truncation(hop.headers))
        for hop in result.redirects
    ]


def _final(result: FetchResult) -> _Exchange:
    return _Exchange(
        url=result.url,
        status=result.status,
        headers=result.headers,
        peer_ip=result.peer_ip,
        body=result.raw_body,
        truncated=truncation_token(result.truncation),
    )


def _hop_truncation(headers: Headers) -> str | None:
    lengths = [value.strip() for name, value in headers if name.lower() == "content-length"]
    return None if lengths and all(length == "0" for length in lengths) else "unspecified"


def _write_exchange(
    writer: _Writer,
    exchange: _Exchange,
    request_headers: Sequence[tuple[str, str]],
    http_version: str,
    date: str,
) -> str:
    response = writer.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(exchange.body),
        length=len(exchange.body),
        warc_headers_dict=_response_fields(exchange, date),
        http_headers=_response_head(exchange, http_version),
    )
    request = writer.create_warc_record(
        exchange.url,
        "request",
        warc_headers_dict={"WARC-Date": date},
        http_headers=_request_head(exchange.url, request_headers, http_version),
    )
    # warcio links the two with WARC-Concurrent-To.
    writer.write_request_response_pair(request, response)
    return str(response.rec_headers.get_header("WARC-Record-ID"))


def _response_fields(exchange: _Exchange, date: str) -> dict[str, str]:
    fields = {"WARC-Date": date}
    if exchange.peer_ip is not None:
        fields["WARC-IP-Address"] = exchange.peer_ip
    if exchange.truncated is not None:
        fields["WARC-Truncated"] = exchange.truncated
    return fields


def _response_head(exchange: _Exchange, http_version: str) -> StatusAndHeaders:
    try:
        status = f"{exchange.status} {HTTPStatus(exchange.status).phrase}"
    except ValueError:
        status = str(exchange.status)
    headers = [(RENAMED_HEADERS.get(name.lower(), name), value) for name, value in exchange.headers]
    return StatusAndHeaders(status, headers, protocol=http_version)


def _request_head(
    url: str, request_headers: Sequence[tuple[str, str]], http_version: str
) -> StatusAndHeaders:
    target = httpx.URL(url)
    line = f"GET {target.raw_path.decode('ascii')} {http_version}"
    sent = [(name, value) for name, value in request_headers if name.lower() != "host"]
    return StatusAndHeaders(
        line, [("Host", target.netloc.decode("ascii")), *sent], is_http_request=True
    )


def _metadata_record(
    writer: _Writer,
    result: FetchResult,
    response_id: str,
    date: str,
    metadata: Mapping[str, object],
) -> Any:
    facts = {
        "fetch": {
            "url": result.url,
            "status": result.status,
            "redirects": [hop.url for hop in result.redirects],
            "peer_ip": result.peer_ip,
            "elapsed_s": round(result.elapsed_s, 3),
            "truncation": result.truncation,
        },
        **metadata,
    }
    payload = json.dumps(facts, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return writer.create_warc_record(
        result.url,
        "metadata",
        payload=BytesIO(payload),
        length=len(payload),
        warc_content_type="application/json",
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id},
    )
