"""Servers the fetcher's tests start on loopback: HTTP (well-behaved or hostile), SOCKS5 and DNS.

Each serves neutral text only, runs in daemon threads, and bounds every loop so that a test that
stops reading cannot leave a thread running for long.
"""

import socket
import socketserver
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

Route = Callable[["Handler"], None]
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_HTTPServer"

    def do_GET(self) -> None:
        self.server.owner.seen(self)
        route = self.server.owner.routes.get(self.path.split("?")[0])
        if route is None:
            respond(404, b"not found")(self)
        else:
            route(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the tests read what the server saw from `LocalServer.requests`."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: "LocalServer"

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, client = super().get_request()
        if self.owner.tls is not None:
            # The handshake happens on the first read, in the request's own thread.
            connection = self.owner.tls.wrap_socket(
                connection, server_side=True, do_handshake_on_connect=False
            )
        return connection, client

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silent: a client that refuses the certificate or hangs up is what some tests want."""


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class LocalServer:
    """An HTTP server on a free loopback port whose answers the test sets path by path."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        server_class = _HTTPServer6 if ":" in host else _HTTPServer
        self.httpd = server_class((host, 0), Handler)
        self.httpd.owner = self
        self.host = host
        self.port = self.httpd.server_address[1]
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        # A short poll so that closing the server at the end of each test is quick.
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def seen(self, handler: Handler) -> None:
        self.requests.append((handler.path, dict(handler.headers.items())))

    def url(self, path: str = "/", host: str | None = None) -> str:
        name = host or (f"[{self.host}]" if ":" in self.host else self.host)
        scheme = "http" if self.tls is None else "https"
        return f"{scheme}://{name}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def respond(
    status: int, body: bytes = b"", headers: Iterable[tuple[str, str]] = (), *, close: bool = False
) -> Route:
    """A route that answers with `status`, `headers` (duplicates kept) and `body`."""

    def route(handler: Handler) -> None:
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in headers):
            handler.send_header("Content-Length", str(len(body)))
        if close:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(body)

    return route


def redirect(location: str, status: int = 302, *, close: bool = False) -> Route:
    return respond(status, b"moved", [("Location", location)], close=close)


def drip(head: bytes, byte: bytes, interval: float, most: int) -> Route:
    """A route that writes `head` at once, then `byte` every `interval` seconds, `most` times."""

    def route(handler: Handler) -> None:
        handler.close_connection = True
        try:
            handler.wfile.write(head)
            for _ in range(most):
                handler.wfile.write(byte)
                handler.wfile.flush()
                time.sleep(interval)
        except CLIENT_GONE:
            return

    return route


def endless(chunk: bytes, most_bytes: int) -> Route:
    """A chunked body that goes on until the client hangs up (or `most_bytes`, to stay bounded)."""

    def route(handler: Handler) -> None:
        handler.close_connection = True
        framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(most_bytes // len(chunk)):
                handler.wfile.write(framed)
        except CLIENT_GONE:
            return

    return route


class _SocksHandler(socketserver.BaseRequestHandler):
    """The CONNECT command of SOCKS5 without authentication (RFC 1928), forwarding to loopback.

    Whatever host the client names, it connects to 127.0.0.1 at the named port, as a Tor client
    would reach an onion service it alone can resolve.
    """

    server: "SocksServer"

    def handle(self) -> None:
        client = self.request
        client.settimeout(5)
        _greet(client)
        name, port = _read_connect(client)
        self.server.targets.append((name, port))
        with socket.create_connection(("127.0.0.1", port), timeout=5) as upstream:
            client.sendall(
                b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", 0)
            )
            _pipe(client, upstream)


def _greet(client: socket.socket) -> None:
    version, count = _exactly(client, 2)
    _exactly(client, count)
    assert version == 5
    client.sendall(b"\x05\x00")


def _read_connect(client: socket.socket) -> tuple[str, int]:
    _version, command, _reserved, kind = _exactly(client, 4)
    assert command == 1
    if kind == 3:
        name = _exactly(client, _exactly(client, 1)[0]).decode("ascii")
    elif kind == 1:
        name = socket.inet_ntoa(_exactly(client, 4))
    else:
        name = socket.inet_ntop(socket.AF_INET6, _exactly(client, 16))
    (port,) = struct.unpack("!H", _exactly(client, 2))
    return name, port


def _exactly(client: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        more = client.recv(count - len(data))
        if not more:
            raise ConnectionError("the SOCKS client hung up")
        data += more
    return data


def _pipe(client: socket.socket, upstream: socket.socket) -> None:
    """Copies the request upstream once, then the answer back until the server closes."""
    upstream.sendall(client.recv(65536))
    while data := upstream.recv(65536):
        client.sendall(data)


class SocksServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SocksHandler)
        self.targets: list[tuple[str, int]] = []
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class DnsServer:
    """A UDP DNS server on 127.0.0.1 answering A/AAAA from a table; unknown names are NXDOMAIN.

    Names in `silent` get no answer at all; names in `silent_aaaa` get none to AAAA queries.
    """

    def __init__(
        self,
        table: dict[str, list[str]],
        silent: Iterable[str] = (),
        silent_aaaa: Iterable[str] = (),
    ) -> None:
        self.table = {name.rstrip(".") + ".": addresses for name, addresses in table.items()}
        self.silent = {(name + ".", kind) for name in silent for kind in ("A", "AAAA")}
        self.silent |= {(name + ".", "AAAA") for name in silent_aaaa}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.questions: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                data, client = self.sock.recvfrom(4096)
            except OSError:
                return
            reply = self._answer(dns.message.from_wire(data))
            if reply is not None:
                self.sock.sendto(reply.to_wire(), client)

    def _answer(self, query: dns.message.Message) -> dns.message.Message | None:
        question = query.question[0]
        name = question.name.to_text()
        kind = dns.rdatatype.to_text(question.rdtype)
        self.questions.append(name)
        if (name, kind) in self.silent:
            return None
        reply = dns.message.make_response(query)
        reply.flags |= dns.flags.RA
        if name not in self.table:
            reply.set_rcode(dns.rcode.NXDOMAIN)
            return reply
        version = 6 if kind == "AAAA" else 4
        wanted = [address for address in self.table[name] if ip_address(address).version == version]
        if wanted:
            reply.answer.append(dns.rrset.from_text(name, 60, "IN", kind, *wanted))
        return reply

    def close(self) -> None:
        self.sock.close()
