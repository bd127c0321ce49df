"""Why a fetch was refused or failed. Each message names the URL's host or the limit involved."""


class FetchError(Exception):
    """A fetch that produced no response worth recording; `str(error)` says why."""


class UnsupportedScheme(FetchError):
    """Only http and https are fetched: file:, ftp:, javascript: and the rest never are."""


class BlockedAddress(FetchError):
    """The host is, or resolves to, an address the fetcher must not reach (private, metadata...)."""


class ProxyRequired(FetchError):
    """An onion service can only be reached through the configured SOCKS proxy."""


class DnsFailure(FetchError):
    """The host name could not be resolved: no such host, no answer, or no DNS server replied."""


class ConnectionFailed(FetchError):
    """The server refused, reset or broke the connection, or its TLS certificate was refused."""


class FetchTimeout(FetchError):
    """Connecting took longer than the connect timeout, or no response came before the deadline."""


class TooManyRedirects(FetchError):
    """The redirect chain was longer than the limit (a loop, or an attempt to exhaust us)."""


class BodyTooLarge(FetchError):
    """The response declared a Content-Length over the limit, so nothing of it was read."""


class UndecodableBody(FetchError):
    """The body used a content coding we did not offer, or its compressed data was corrupt."""


class InvalidUrl(FetchError):
    """The URL, or a redirect's Location, could not be parsed or names no host."""
