"""The canonical form of a reported web address, so that every way of writing one page is one url.

Pure functions with no Django state beyond lazy translation, so they are cheap to call for every
address of every report and easy to test from a table.
"""

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only say where a click came from; they never change the page.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
        "igshid", "_ga", "_gl", "yclid", "twclid", "ttclid", "li_fat_id", "mkt_tok", "_hsenc",
        "_hsmi", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "s_cid", "srsltid",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_PORT_AFTER_HOST = re.compile(r"\d*(?:[/?#]|$)")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_\-]*[a-z0-9_])?")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_PATH_LITERALS = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_QUERY_LITERALS = _PATH_LITERALS | frozenset("?")


class InvalidUrl(ValueError):
    """What a reporter typed is not a web address we can assess; `message` says why."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CanonicalUrl:
    url: str
    host: str


def canonicalise(typed: str, *, max_length: int = DEFAULT_MAX_LENGTH) -> CanonicalUrl:
    """The canonical form of `typed`, or InvalidUrl with a message the reporter can act on."""
    text = typed.strip()
    if not text:
        raise InvalidUrl(_("Enter a web address."))
    if len(text) > max_length:
        raise InvalidUrl(_too_long(max_length))
    _reject_invisible_characters(text)
    scheme, rest = _split_scheme(text)
    rest = rest.partition("#")[0]
    authority, path, query = _split_rest(rest)
    host, port = _parse_authority(authority)
    port_text = "" if port is None or port == DEFAULT_PORTS[scheme] else f":{port}"
    url = f"{scheme}://{host}{port_text}{_canonical_path(path)}{_canonical_query(query)}"
    if len(url) > max_length:
        raise InvalidUrl(_too_long(max_length))
    return CanonicalUrl(url=url, host=host)


def _too_long(max_length: int) -> str:
    return _("This address is longer than %(limit)s characters, the most we accept.") % {
        "limit": max_length
    }


def _reject_invisible_characters(text: str) -> None:
    # Control, format (zero-width, bidirectional) and space characters can hide what an
    # address really is; a browser never shows them inside one.
    for character in text:
        if unicodedata.category(character)[0] in "CZ":
            raise InvalidUrl(
                _(
                    "This address contains spaces or invisible control characters. "
                    "Put each address on its own line, without spaces."
                )
            )


def _split_scheme(text: str) -> tuple[str, str]:
    """The scheme and everything after it; an address typed without a scheme is http."""
    match = _SCHEME.match(text)
    if match is None or _looks_like_host_and_port(text, match):
        return "http", text.lstrip("/\\")
    scheme = match.group(1).lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidUrl(
            _("Only web addresses that start with http:// or https:// can be reported.")
        )
    # Browsers read any run of slashes or backslashes after http: as the start of the host.
    return scheme, text[match.end() :].lstrip("/\\")


def _looks_like_host_and_port(text: str, match: re.Match[str]) -> bool:
    """`example.com:8080/page` is a host and port, not a scheme called `example.com`."""
    name = match.group(1).lower()
    if name in DEFAULT_PORTS:
        return False
    is_host_name = "." in name or name == "localhost"
    return is_host_name and _PORT_AFTER_HOST.match(text, match.end()) is not None


def _split_rest(rest: str) -> tuple[str, str, str]:
    """Authority, path and query; backslashes before the query count as slashes, as in browsers."""
    before_query, question, query = rest.partition("?")
    before_query = before_query.replace("\\", "/")
    authority, slash, path = before_query.partition("/")
    return authority, slash + path, query if question else ""


def _parse_authority(authority: str) -> tuple[str, int | None]:
    # Userinfo (user:password@) is dropped: it is never part of which page is shown.
    host_and_port = authority.rpartition("@")[2]
    if host_and_port.startswith("["):
        literal, bracket, port_text = host_and_port[1:].partition("]")
        if not bracket or (port_text and not port_text.startswith(":")):
            raise InvalidUrl(_invalid_host())
        return f"[{_ipv6(literal)}]", _parse_port(port_text[1:])
    host_text, colon, port_text = host_and_port.partition(":")
    port = _parse_port(port_text) if colon else None
    return _canonical_host(host_text), port


def _parse_port(text: str) -> int | None:
    if text == "":
        return None
    if not text.isascii() or not text.isdigit() or int(text) > 65535:
        raise InvalidUrl(_("The port number in this address is not valid."))
    return int(text)


def _invalid_host() -> Promise:
    return _("The site name in this address is not valid.")


def _ipv6(literal: str) -> str:
    if "%" in literal:
        raise InvalidUrl(_invalid_host())
    try:
        return ipaddress.IPv6Address(literal).compressed
    except ValueError:
        raise InvalidUrl(_invalid_host()) from None


def _canonical_host(text: str) -> str:
    host = _percent_decode_host(text).lower()
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise InvalidUrl(_("This address has no site name (such as example.com)."))
    if not host.isascii():
        host = _punycode(host)
    labels = host.split(".")
    if _is_numeric_label(labels[-1]):
        return _ipv4(labels)
    if len(host) > 253 or not all(
        len(label) <= 63 and _HOST_LABEL.fullmatch(label) for label in labels
    ):
        raise InvalidUrl(_invalid_host())
    return host


def _percent_decode_host(text: str) -> str:
    if "%" not in text:
        return text
    try:
        return unquote(text, errors="strict")
    except UnicodeError:
        raise InvalidUrl(_invalid_host()) from None


def _punycode(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidUrl(_invalid_host()) from None


def _is_numeric_label(label: str) -> bool:
    return label.isdigit() or (
        label.startswith("0x") and all(c in "0123456789abcdef" for c in label[2:])
    )


def _ipv4(labels: list[str]) -> str:
    """Browsers read 2130706433, 0x7f.1 and 0177.0.0.1 all as 127.0.0.1: so do we."""
    try:
        numbers = [_ipv4_number(label) for label in labels]
    except ValueError:
        raise InvalidUrl(_invalid_host()) from None
    if len(numbers) > 4 or any(n > 255 for n in numbers[:-1]):
        raise InvalidUrl(_invalid_host())
    last_limit = 256 ** (5 - len(numbers))
    if numbers[-1] >= last_limit:
        raise InvalidUrl(_invalid_host())
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return str(ipaddress.IPv4Address(value))


def _ipv4_number(label: str) -> int:
    if label.startswith("0x"):
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label[1:], 8)
    if not label.isdigit():
        raise ValueError(label)
    return int(label)


def _canonical_path(path: str) -> str:
    return _remove_dot_segments(_normalise_percent_encoding(path, _PATH_LITERALS)) or "/"


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on a path that always starts with a slash."""
    output: list[str] = []
    segments = path.split("/")[1:]
    for index, segment in enumerate(segments):
        is_last = index == len(segments) - 1
        if segment == "..":
            if output:
                output.pop()
            if is_last:
                output.append("")
        elif segment == ".":
            if is_last:
                output.append("")
        else:
            output.append(segment)
    return "/" + "/".join(output) if output else ""


def _canonical_query(query: str) -> str:
    kept = [
        parameter
        for parameter in _normalise_percent_encoding(query, _QUERY_LITERALS).split("&")
        if parameter and not _is_tracking(parameter)
    ]
    return "?" + "&".join(kept) if kept else ""


def _is_tracking(parameter: str) -> bool:
    name = unquote(parameter.partition("=")[0]).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def _normalise_percent_encoding(text: str, literals: frozenset[str]) -> str:
    """Decode what needs no encoding, encode what must be, and write every escape in upper case."""
    if text.isascii() and "%" not in text and all(c in literals for c in text):
        return text
    output: list[str] = []
    index = 0
    while index < len(text):
        character = text[index]
        if character == "%":
            escape = _PERCENT.match(text, index)
            if escape is None:
                output.append("%25")
            else:
                decoded = chr(int(escape.group(1), 16))
                output.append(decoded if decoded in _UNRESERVED else escape.group(0).upper())
                index += 2
        elif character in literals:
            output.append(character)
        else:
            output.append("".join(f"%{byte:02X}" for byte in character.encode()))
        index += 1
    return "".join(output)
