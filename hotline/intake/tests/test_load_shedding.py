"""Load shedding in front of Django: a busy process answers intake posts 503 at once."""

import json
import threading
import time
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from hotline.intake.shedding import IntakeLoadShedding

WAIT_SECONDS = 0.05


class HeldApp:
    """A WSGI application that answers 201 once released, so a test can hold its slots."""

    def __init__(self) -> None:
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(self, environ, start_response):
        self.entered.release()
        self.release.wait(timeout=10)
        start_response("201 Created", [("Content-Type", "application/json")])
        return [b'{"reference": "HL-SAMPLE"}']


def call(app, method: str, path: str) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path}
    setup_testing_defaults(environ)
    answer: dict[str, Any] = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture
def held():
    inner = HeldApp()
    app = IntakeLoadShedding(inner, concurrency=1, max_waiting=1, wait_seconds=WAIT_SECONDS)
    first = threading.Thread(target=call, args=(app, "POST", "/api/v1/reports"))
    first.start()
    assert inner.entered.acquire(timeout=5)
    yield app, inner
    inner.release.set()
    first.join(timeout=5)


def test_a_report_that_waited_its_turn_too_long_is_answered_503(held):
    app, _inner = held
    started = time.monotonic()
    status, headers, body = call(app, "POST", "/api/v1/reports")
    assert status.startswith("503")
    assert WAIT_SECONDS <= time.monotonic() - started < WAIT_SECONDS + 0.5
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"] == "application/json"
    assert "Nothing was saved" in json.loads(body)["detail"]
    assert headers["Content-Length"] == str(len(body))


def test_the_report_form_is_answered_503_in_plain_text(held):
    app, _inner = held
    status, headers, body = call(app, "POST", "/report/")
    assert status.startswith("503")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert b"Nothing was saved" in body


def test_pages_other_than_intake_posts_are_never_shed(held):
    app, inner = held
    workers = []
    for method, path in [("GET", "/report/"), ("POST", "/staff/login/")]:
        workers.append(threading.Thread(target=call, args=(app, method, path)))
        workers[-1].start()
        assert inner.entered.acquire(timeout=5), f"{method} {path} was held back"
    inner.release.set()
    for worker in workers:
        worker.join(timeout=5)


def test_a_slot_is_given_back_when_the_report_fails():
    def failing(environ, start_response):
        raise RuntimeError("database gone")

    app = IntakeLoadShedding(failing, concurrency=1, max_waiting=0, wait_seconds=WAIT_SECONDS)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            call(app, "POST", "/api/v1/reports")
    assert app.slots.acquire(timeout=0)


def test_the_production_application_sheds_intake_with_the_configured_limits(settings):
    from hotline.wsgi import application

    assert isinstance(application, IntakeLoadShedding)
    assert application.wait_seconds == settings.HOTLINE_INTAKE_QUEUE_TIMEOUT_MS / 1000


def test_a_report_beyond_a_full_line_is_answered_503_without_waiting(held):
    app, _inner = held
    in_line = threading.Thread(target=call, args=(app, "POST", "/api/v1/reports"))
    in_line.start()
    _wait_until(lambda: app.waiting == 1)

    started = time.monotonic()
    status, _headers, _body = call(app, "POST", "/api/v1/reports")
    assert status.startswith("503")
    assert time.monotonic() - started < WAIT_SECONDS
    in_line.join(timeout=5)


def test_a_report_waiting_in_line_is_filed_when_a_slot_frees_up():
    inner = HeldApp()
    app = IntakeLoadShedding(inner, concurrency=1, max_waiting=1, wait_seconds=5)
    first = threading.Thread(target=call, args=(app, "POST", "/api/v1/reports"))
    first.start()
    assert inner.entered.acquire(timeout=5)
    answers = []
    second = threading.Thread(
        target=lambda: answers.append(call(app, "POST", "/api/v1/reports")[0])
    )
    second.start()
    _wait_until(lambda: app.waiting == 1)

    inner.release.set()
    second.join(timeout=5)
    first.join(timeout=5)
    assert answers == ["201 Created"]


def _wait_until(condition, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.001)
