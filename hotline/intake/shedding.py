"""Load shedding for the public intake endpoints, in front of Django.

Under overload a web server queues requests until they time out. Instead, each process lets
only a few reports be written at once and a few more wait in line; any other, and one that
waited too long, is answered 503 with Retry-After at once, so reporters and partners learn
quickly to retry.

This is a WSGI wrapper rather than a Django middleware: turning a request away here costs no
HttpRequest, no middleware and no response object, so a process can refuse several times more
requests a second than it can file, which is what keeps refusals fast at three times the load.
"""

import json
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

REPORT_API_PATH = "/api/v1/reports"
INTAKE_PATHS = ("/report/", REPORT_API_PATH)
BUSY_MESSAGE = "The hotline is very busy. Nothing was saved; please try again in a minute."
RETRY_AFTER_SECONDS = "30"


class IntakeLoadShedding:
    """Wraps a WSGI application: at most `concurrency` intake POSTs run at once in this process,
    and at most `max_waiting` wait for their turn, each for `wait_seconds` at most. Any other
    is answered 503 at once, without waiting."""

    def __init__(
        self, app: "WSGIApplication", concurrency: int, max_waiting: int, wait_seconds: float
    ) -> None:
        self.app = app
        self.slots = threading.BoundedSemaphore(concurrency)
        self.max_waiting = max_waiting
        self.wait_seconds = wait_seconds
        self.waiting = 0
        self.count_lock = threading.Lock()

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        if not _is_intake(environ):
            return self.app(environ, start_response)
        if not self.slots.acquire(blocking=False) and not self._wait_for_slot():
            return _busy(environ, start_response)
        try:
            return self.app(environ, start_response)
        finally:
            self.slots.release()

    def _wait_for_slot(self) -> bool:
        """Wait in line for a slot, if the line is not full; whether a slot was taken.

        A bounded line rather than a plain timeout: a stall of a few tens of milliseconds (a
        checkpoint, a garbage collection) delays reports instead of turning them away, while
        under overload the line is full and the rest are refused without holding a thread.
        """
        with self.count_lock:
            if self.waiting >= self.max_waiting:
                return False
            self.waiting += 1
        try:
            return self.slots.acquire(timeout=self.wait_seconds)
        finally:
            with self.count_lock:
                self.waiting -= 1


def _is_intake(environ: "WSGIEnvironment") -> bool:
    path = environ.get("PATH_INFO", "")
    return environ.get("REQUEST_METHOD") == "POST" and path.startswith(INTAKE_PATHS)


def _busy(environ: "WSGIEnvironment", start_response: "StartResponse") -> list[bytes]:
    if environ.get("PATH_INFO", "").startswith("/api/"):
        body = json.dumps({"detail": BUSY_MESSAGE}).encode()
        content_type = "application/json"
    else:
        body = BUSY_MESSAGE.encode()
        content_type = "text/plain; charset=utf-8"
    start_response(
        "503 Service Unavailable",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Retry-After", RETRY_AFTER_SECONDS),
        ],
    )
    return [body]
