"""Helpers for intake tests: a reporter's browser that opens the form and sends it, with CSRF on."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from hotline.intake.ratelimit import report_limiter

TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
REFERENCE = re.compile(r"HL-[0-9A-Z]{12}")
ANSWERS = {
    "urls": "http://example.com/page",
    "where_seen": "web_page",
    "content_kind": "images",
    "description": "",
    "contact_email": "",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> Iterator[None]:
    report_limiter.reset()
    yield
    report_limiter.reset()


class ReporterBrowser:
    """A browser that keeps cookies and checks CSRF as a real one would."""

    def __init__(self, **defaults: Any) -> None:
        self.client = Client(enforce_csrf_checks=True, **defaults)

    def open_form(self, **headers: Any) -> dict[str, str]:
        """The hidden fields of a freshly opened report form."""
        page = self.client.get("/report/", **headers)
        assert page.status_code == 200
        token = TOKEN_FIELD.search(page.content.decode())
        assert token is not None
        return {"csrfmiddlewaretoken": self.client.cookies["csrftoken"].value, "token": token[1]}

    def send(self, form: dict[str, str] | None = None, **answers: str) -> HttpResponse:
        fields = {**(form or self.open_form()), **ANSWERS, **answers}
        return self.client.post("/report/", fields)  # type: ignore[return-value]


def reference_in(response: HttpResponse) -> str:
    found = REFERENCE.search(response.content.decode())
    assert found is not None, "no reference on the page"
    return found[0]


@pytest.fixture
def browser() -> ReporterBrowser:
    return ReporterBrowser()
