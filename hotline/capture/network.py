"""httpcore network backends that pin each connection to a checked address and keep a deadline.

httpcore asks its backend to `connect_tcp(host, port)` with the URL's host name. The backend here
resolves that name once, refuses the connection unless every address in the answer may be
reached, and connects to a checked address itself. Nothing else resolves the name afterwards, so a
DNS answer that changes between a check and a connect (DNS rebinding) has nothing to change.
httpcore then starts TLS with `server_hostname` set to the URL's host, so SNI and the certificate
check still use the name while the socket is bound to the pinned address.
"""

import time
import typing
from collections.abc import Iterable, Sequence
from ssl import SSLContext

import httpcore

from hotline.capture.addresses import IPAddress, Resolver, checked_addresses, parse_ip_literal

SocketOptions = Iterable[httpcore.SOCKET_OPTION] | None


class Deadline:
    """One time limit shared by every connect, read and write of a fetch, redirects included."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def clamp(self, timeout: float | None, error: type[httpcore.TimeoutException]) -> float:
        """The smaller of `timeout` and the time left; `error` once no time is left."""
        left = self.remaining()
        if left <= 0:
            raise error(f"the total time limit of {self.seconds:g} s was reached")
        return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A stream whose every operation ends by the deadline, so a server that sends one byte a
    second cannot keep a fetch alive by never letting a single read time out."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.inner = inner
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self.deadline.clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self.deadline.clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self.deadline.clamp(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self.inner.start_tls(ssl_context, server_hostname, timeout), self.deadline
        )

    def get_extra_info(self, info: str) -> typing.Any:
        return self.inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """Connects where it is told (the configured proxy) with streams that keep the deadline."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: SocketOptions = None,
    ) -> httpcore.NetworkStream:
        timeout = self.deadline.clamp(timeout, httpcore.ConnectTimeout)
        stream = self.sockets.connect_tcp(host, port, timeout, local_address, socket_options)
        return DeadlineStream(stream, self.deadline)


class PinnedBackend(DeadlineBackend):
    """Resolves and checks the host inside the connect, then connects to a checked address."""

    def __init__(self, deadline: Deadline, resolver: Resolver, *, allow_loopback: bool) -> None:
        super().__init__(deadline)
        self.resolver = resolver
        self.allow_loopback = allow_loopback

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: SocketOptions = None,
    ) -> httpcore.NetworkStream:
        addresses = self.addresses(host, self.deadline.clamp(timeout, httpcore.ConnectTimeout))
        return self.connect_first(addresses, port, timeout, socket_options)

    def addresses(self, host: str, timeout: float) -> list[IPAddress]:
        literal = parse_ip_literal(host)
        answer = [literal] if literal is not None else self.resolver(host, timeout)
        return checked_addresses(host, answer, allow_loopback=self.allow_loopback)

    def connect_first(
        self,
        addresses: Sequence[IPAddress],
        port: int,
        timeout: float | None,
        socket_options: SocketOptions,
    ) -> httpcore.NetworkStream:
        """A stream to the first address that accepts; the error of the last one otherwise."""
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                # A literal address goes through getaddrinfo without any lookup.
                return super().connect_tcp(str(address), port, timeout, None, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure
