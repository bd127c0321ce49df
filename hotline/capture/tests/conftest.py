"""Fixtures for the fetcher's tests: loopback servers, test resolvers, and a network guard.

The guard is a Python audit hook: while a capture test runs, every socket connect or datagram to
an address off loopback is recorded and refused. A test can then assert that no connection was
even attempted, and a fetcher bug can never reach a real machine from the test suite.
"""

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest

from hotline.capture.addresses import IPAddress, is_loopback
from hotline.capture.errors import DnsFailure
from hotline.capture.fetcher import Fetcher, FetchPolicy
from hotline.capture.keys import new_key, parse_keys
from hotline.capture.tests.servers import LocalServer


@dataclass
class NetworkLog:
    """What the code under test did on the network while the guard was on."""

    connections: list[str] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)

    def reached(self, address: str) -> bool:
        return address in self.connections


class _Guard:
    log: NetworkLog | None = None


def _on_audit(event: str, args: tuple[Any, ...]) -> None:
    log = _Guard.log
    if log is None:
        return
    if event in ("socket.connect", "socket.sendto") and isinstance(args[1], tuple):
        host = str(args[1][0])
        log.connections.append(host)
        if not _loopback(host):
            raise PermissionError(f"the test network guard refused a connection to {host}")
    elif event == "socket.getaddrinfo":
        log.lookups.append(str(args[0]))


def _loopback(host: str) -> bool:
    try:
        return is_loopback(ip_address(host))
    except ValueError:
        return False


sys.addaudithook(_on_audit)


@pytest.fixture(autouse=True)
def network() -> Iterator[NetworkLog]:
    _Guard.log = NetworkLog()
    yield _Guard.log
    _Guard.log = None


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    yield local
    local.close()


@pytest.fixture
def policy(settings: Any) -> FetchPolicy:
    """The configured policy as the test suite runs it: loopback allowed, short time limits."""
    settings.HOTLINE_FETCH_ALLOW_LOOPBACK = True
    return replace(FetchPolicy.from_settings(), connect_timeout=2, total_timeout=5)


class TableResolver:
    """Answers from a table and knows no other name, so no test ever asks a real DNS server."""

    def __init__(self, table: dict[str, list[str]] | None = None) -> None:
        self.table = table or {}
        self.lookups: list[str] = []

    def __call__(self, host: str, timeout: float) -> list[IPAddress]:
        self.lookups.append(host)
        if host not in self.table:
            raise DnsFailure(f"{host}: no such host")
        return [ip_address(address) for address in self.table[host]]


@pytest.fixture
def resolver() -> TableResolver:
    return TableResolver()


@pytest.fixture
def fetcher(policy: FetchPolicy, resolver: TableResolver) -> Fetcher:
    return Fetcher(policy, resolver=resolver)


def master_key() -> bytes:
    return parse_keys(new_key(), "test")[0]


@pytest.fixture
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    """A local evidence store of the test's own, under a fresh master key."""
    settings.HOTLINE_EVIDENCE_STORAGE = "local"
    settings.HOTLINE_EVIDENCE_DIR = tmp_path / "evidence"
    settings.HOTLINE_EVIDENCE_MASTER_KEYS = [master_key()]
    return tmp_path / "evidence"
