"""Reading one httpcore response within the fetch's limits: its headers, redirect and body."""

from dataclasses import dataclass

import httpcore

from hotline.capture.decoding import BodyDecoder, content_codings
from hotline.capture.errors import BodyTooLarge

Headers = tuple[tuple[str, str], ...]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Limits:
    """How much of a body may be kept, raw and decoded; the fetch's time limit, for messages."""

    raw: int
    decoded: int
    seconds: float


@dataclass(frozen=True)
class Body:
    decoded: bytes
    raw: bytes
    truncation: str | None


def read_body(response: httpcore.Response, limits: Limits) -> Body:
    """The body, raw and decoded, kept up to the limits; what cut it short, if anything did."""
    declared = content_length(response)
    if declared is not None and declared > limits.raw:
        raise BodyTooLarge(f"the body declares {declared} bytes, over the limit of {limits.raw}")
    decoder = BodyDecoder(content_codings(values(response, b"content-encoding")), limits.decoded)
    raw, decoded = bytearray(), bytearray()
    try:
        truncation = _stream_body(response, limits, decoder, raw, decoded)
    except httpcore.TimeoutException:
        # Every read is bounded by the deadline alone, so a read that timed out met it.
        truncation = f"the total time limit of {limits.seconds:g} s was reached"
    except (httpcore.NetworkError, httpcore.ProtocolError) as error:
        truncation = f"the connection broke: {error}"
    return Body(bytes(decoded), bytes(raw), truncation)


def _stream_body(
    response: httpcore.Response,
    limits: Limits,
    decoder: BodyDecoder,
    raw: bytearray,
    decoded: bytearray,
) -> str | None:
    for chunk in response.iter_stream():
        kept = chunk[: limits.raw - len(raw)]
        raw += kept
        decoded += decoder.feed(kept)
        if len(kept) < len(chunk):
            return f"the body is larger than the limit of {limits.raw} bytes"
        if decoder.overflowed:
            return f"the decoded body is larger than the limit of {limits.decoded} bytes"
    return None


def redirect_location(response: httpcore.Response) -> str | None:
    locations = values(response, b"location")
    if response.status in REDIRECT_STATUSES and locations:
        return locations[0]
    return None


def content_length(response: httpcore.Response) -> int | None:
    declared = values(response, b"content-length")
    return int(declared[0]) if declared and declared[0].strip().isdigit() else None


def values(response: httpcore.Response, name: bytes) -> list[str]:
    """Every value of the header `name` (lower case), in the order the server sent them."""
    return [text(value) for key, value in response.headers if key.lower() == name]


def header_pairs(response: httpcore.Response) -> Headers:
    return tuple((text(key), text(value)) for key, value in response.headers)


def http_version(response: httpcore.Response) -> str:
    version: bytes = response.extensions.get("http_version", b"HTTP/1.1")
    return version.decode("ascii")


def text(value: bytes) -> str:
    """Header bytes as text: UTF-8 where they are, Latin-1 (which maps every byte) otherwise."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")
