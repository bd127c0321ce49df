"""The one fetcher through which everything in Hotline reaches the network.

Reported URLs come from anyone, so the fetcher treats each as hostile: only http and https; every
connection pinned to an address checked inside the connect (network.py), on every redirect hop;
redirects followed by hand and recorded; one deadline for the whole fetch; and limits on the raw
and the decoded size of the body.

When a body limit, the deadline or a broken connection cuts the body short, the result keeps what
arrived and says why (`truncation`): part of a page is still evidence. Failures before a response
arrives raise a FetchError instead.

With a proxy (socks5h://, for onion services) the proxy resolves host names and connects, so only
addresses written in URLs can be checked here; the proxy is the hotline's own, and Tor itself
refuses private addresses. Without a proxy, .onion hosts are refused.
"""

import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpcore
import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hotline.capture.addresses import DnsResolver, Resolver, checked_addresses, parse_ip_literal
from hotline.capture.decoding import ACCEPT_ENCODING
from hotline.capture.errors import (
    ConnectionFailed,
    FetchTimeout,
    InvalidUrl,
    ProxyRequired,
    TooManyRedirects,
    UnsupportedScheme,
)
from hotline.capture.network import Deadline, DeadlineBackend, PinnedBackend
from hotline.capture.responses import (
    Body,
    Headers,
    Limits,
    header_pairs,
    http_version,
    read_body,
    redirect_location,
)

ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "en-GB,en;q=0.9"


@dataclass(frozen=True)
class FetchPolicy:
    """How far a fetch may go; `from_settings()` gives the hotline's configured policy."""

    connect_timeout: float
    total_timeout: float
    max_redirects: int
    max_body_bytes: int
    max_decoded_bytes: int
    user_agent: str
    proxy: str | None = None
    allow_loopback: bool = False
    verify_tls: bool = True
    ca_file: str | None = None

    @classmethod
    def from_settings(cls) -> "FetchPolicy":
        return cls(
            connect_timeout=settings.HOTLINE_FETCH_CONNECT_TIMEOUT,
            total_timeout=settings.HOTLINE_FETCH_TOTAL_TIMEOUT,
            max_redirects=settings.HOTLINE_FETCH_MAX_REDIRECTS,
            max_body_bytes=settings.HOTLINE_FETCH_MAX_BODY_BYTES,
            max_decoded_bytes=settings.HOTLINE_FETCH_MAX_DECODED_BYTES,
            user_agent=settings.HOTLINE_FETCH_USER_AGENT,
            proxy=settings.HOTLINE_FETCH_PROXY or None,
            allow_loopback=settings.HOTLINE_FETCH_ALLOW_LOOPBACK,
            verify_tls=settings.HOTLINE_FETCH_VERIFY_TLS,
            ca_file=settings.HOTLINE_FETCH_CA_FILE or None,
        )


@dataclass(frozen=True)
class Hop:
    """One redirect response: where it was, what it said, and where it sent the fetcher."""

    url: str
    status: int
    location: str
    headers: Headers
    peer_ip: str | None


@dataclass(frozen=True)
class FetchResult:
    """The final response of a fetch, with the redirects that led to it.

    `raw_body` is the body as sent (still compressed); `body` is it decoded. `peer_ip` is the
    address connected to, or None through a proxy. Header values keep duplicates and order.
    """

    url: str
    status: int
    headers: Headers
    redirects: tuple[Hop, ...]
    peer_ip: str | None
    http_version: str
    body: bytes
    raw_body: bytes
    elapsed_s: float
    truncation: str | None = None

    @property
    def truncated(self) -> bool:
        return self.truncation is not None

    def header(self, name: str) -> list[str]:
        """Every value of the header `name`, in the order the server sent them."""
        return [value for key, value in self.headers if key.lower() == name.lower()]


class Fetcher:
    """Fetches URLs under one policy. `resolver` is for tests; by default DNS is asked directly."""

    def __init__(self, policy: FetchPolicy, *, resolver: Resolver | None = None) -> None:
        self.policy = policy
        self.resolver = resolver if resolver is not None else DnsResolver()
        self.ssl_context = _ssl_context(policy)
        self.proxy = _proxy_url(policy.proxy) if policy.proxy else None

    def fetch(self, url: str, *, max_body_bytes: int | None = None) -> FetchResult:
        """GET `url`, following redirects; raises a FetchError when no response can be had."""
        started = time.monotonic()
        limits = Limits(
            raw=max_body_bytes or self.policy.max_body_bytes,
            decoded=self.policy.max_decoded_bytes,
            seconds=self.policy.total_timeout,
        )
        target = self.checked_url(parse_url(url))
        deadline = Deadline(self.policy.total_timeout)
        with self._pool(deadline) as pool:
            return self._follow(pool, target, limits, started)

    def checked_url(self, url: httpx.URL) -> httpx.URL:
        """`url` if the fetcher may request it at all; a FetchError saying why not otherwise."""
        if url.scheme not in ("http", "https"):
            named = f"{url.scheme}:" if url.scheme else "a relative URL"
            raise UnsupportedScheme(f"only http and https URLs are fetched, not {named}")
        if not url.host:
            raise InvalidUrl(f"{url} names no host")
        if self.proxy is None and url.host.rstrip(".").endswith(".onion"):
            raise ProxyRequired(f"{url.host} is an onion service: set HOTLINE_FETCH_PROXY")
        literal = parse_ip_literal(url.host)
        if self.proxy is not None and literal is not None:
            # The proxy connects to a written address as it is; nothing resolves it to check.
            checked_addresses(url.host, [literal], allow_loopback=self.policy.allow_loopback)
        return url

    def _follow(
        self, pool: httpcore.ConnectionPool, target: httpx.URL, limits: Limits, started: float
    ) -> FetchResult:
        hops: list[Hop] = []
        while True:
            with _mapped_errors(target, limits), self._request(pool, target) as response:
                # Asked first: a body cut short may leave no socket to ask afterwards.
                peer_ip = self._peer_ip(response)
                location = redirect_location(response)
                if location is None:
                    body = read_body(response, limits)
                    return _result(target, response, peer_ip, hops, body, started)
                hops.append(_hop(target, response, peer_ip, location))
            target = self._next(target, location, len(hops))

    @contextmanager
    def _request(
        self, pool: httpcore.ConnectionPool, target: httpx.URL
    ) -> Iterator[httpcore.Response]:
        url = httpcore.URL(
            scheme=target.raw_scheme, host=target.raw_host, port=target.port, target=target.raw_path
        )
        # Read and write timeouts are left to the deadline, which every stream enforces.
        extensions = {"timeout": {"connect": self.policy.connect_timeout}}
        with pool.stream("GET", url, headers=self._headers(target), extensions=extensions) as sent:
            yield sent

    def _headers(self, target: httpx.URL) -> list[tuple[bytes, bytes]]:
        return [
            (b"Host", target.netloc),
            (b"User-Agent", self.policy.user_agent.encode()),
            (b"Accept", ACCEPT.encode()),
            (b"Accept-Language", ACCEPT_LANGUAGE.encode()),
            (b"Accept-Encoding", ACCEPT_ENCODING.encode()),
        ]

    def _next(self, current: httpx.URL, location: str, hops: int) -> httpx.URL:
        if hops > self.policy.max_redirects:
            raise TooManyRedirects(
                f"more than {self.policy.max_redirects} redirects; the last went to {location}"
            )
        try:
            following = current.join(location)
        except httpx.InvalidURL as error:
            raise InvalidUrl(f"{current} redirected to {location!r}: {error}") from error
        return self.checked_url(following)

    def _pool(self, deadline: Deadline) -> httpcore.ConnectionPool:
        if self.proxy is not None:
            return httpcore.SOCKSProxy(
                proxy_url=self.proxy,
                ssl_context=self.ssl_context,
                network_backend=DeadlineBackend(deadline),
            )
        backend = PinnedBackend(deadline, self.resolver, allow_loopback=self.policy.allow_loopback)
        return httpcore.ConnectionPool(ssl_context=self.ssl_context, network_backend=backend)

    def _peer_ip(self, response: httpcore.Response) -> str | None:
        """The address the response came from; through a proxy, that would name the proxy."""
        stream = response.extensions.get("network_stream")
        if self.proxy is not None or stream is None:
            return None
        return str(stream.get_extra_info("server_addr")[0])


def _result(
    target: httpx.URL,
    response: httpcore.Response,
    peer_ip: str | None,
    hops: list[Hop],
    body: Body,
    started: float,
) -> FetchResult:
    return FetchResult(
        url=str(target),
        status=response.status,
        headers=header_pairs(response),
        redirects=tuple(hops),
        peer_ip=peer_ip,
        http_version=http_version(response),
        body=body.decoded,
        raw_body=body.raw,
        elapsed_s=time.monotonic() - started,
        truncation=body.truncation,
    )


def _hop(target: httpx.URL, response: httpcore.Response, peer_ip: str | None, location: str) -> Hop:
    return Hop(
        url=str(target),
        status=response.status,
        location=location,
        headers=header_pairs(response),
        peer_ip=peer_ip,
    )


def parse_url(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL as error:
        raise InvalidUrl(f"{url!r} is not a valid URL: {error}") from error


@contextmanager
def _mapped_errors(target: httpx.URL, limits: Limits) -> Iterator[None]:
    """httpcore's errors before the body arrives, as FetchErrors that name the host."""
    host = target.host
    try:
        yield
    except httpcore.ConnectTimeout as error:
        raise FetchTimeout(f"could not connect to {host} in time ({error})") from error
    except httpcore.TimeoutException as error:
        raise FetchTimeout(
            f"{host} sent no response within the total time limit of {limits.seconds:g} s"
        ) from error
    except httpcore.ProxyError as error:
        raise ConnectionFailed(f"the proxy could not reach {host}: {error}") from error
    except (httpcore.NetworkError, httpcore.ProtocolError) as error:
        raise ConnectionFailed(f"{host}: {error}") from error


def _ssl_context(policy: FetchPolicy) -> ssl.SSLContext:
    if not policy.verify_tls:
        # Evidence is still wanted from a site whose certificate is expired or self-signed.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if policy.ca_file:
        return ssl.create_default_context(cafile=policy.ca_file)
    return httpcore.default_ssl_context()


def _proxy_url(proxy: str) -> str:
    """The SOCKS proxy setting, checked: only socks5h, whose proxy resolves names (onions)."""
    url = httpx.URL(proxy)
    if url.scheme != "socks5h" or not url.host or url.port is None or url.userinfo:
        raise ImproperlyConfigured(
            f"HOTLINE_FETCH_PROXY must look like socks5h://127.0.0.1:9050, not {proxy!r}"
        )
    return f"socks5h://{url.netloc.decode('ascii')}"
