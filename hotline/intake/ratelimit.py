"""Per-address rate limiting of reports that never holds a client address, nor anything linkable.

Addresses are counted under an HMAC with a random salt that lives only in this process's memory.
Every window the salt is replaced and the counts dropped, so a count can never be tied to an
address, nor to the same address's count in an earlier window. Each server process keeps its own
counts: with N processes, one address may send up to N times the limit.
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

SALT_BYTES = 32
KEY_BYTES = 16


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._window = -1
        self._salt = b""
        self._counts: dict[bytes, int] = {}

    def allow(self, client_address: str) -> bool:
        """Count one report from this address; False once it is over the limit in this window."""
        limit = settings.HOTLINE_REPORT_RATE_LIMIT
        if limit == 0:
            return True
        with self._lock:
            self._rotate()
            key = hmac.new(self._salt, client_address.encode(), hashlib.sha256).digest()
            count = self._counts.get(key[:KEY_BYTES], 0) + 1
            self._counts[key[:KEY_BYTES]] = count
        return count <= limit

    def retry_after(self) -> int:
        """Seconds until the current window ends and every address may send again."""
        window_seconds = settings.HOTLINE_REPORT_RATE_WINDOW_SECONDS
        return max(1, int(window_seconds - self._clock() % window_seconds))

    def reset(self) -> None:
        with self._lock:
            self._window = -1

    def _rotate(self) -> None:
        window = int(self._clock() // settings.HOTLINE_REPORT_RATE_WINDOW_SECONDS)
        if window != self._window:
            self._window = window
            self._salt = secrets.token_bytes(SALT_BYTES)
            self._counts = {}


report_limiter = RateLimiter()


def client_address(request: HttpRequest) -> str:
    """The address the request came from, seen through the configured number of proxies."""
    hops = settings.HOTLINE_TRUSTED_PROXY_HOPS
    if hops:
        forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        addresses = [address.strip() for address in forwarded if address.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))
