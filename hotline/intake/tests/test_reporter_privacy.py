"""Nothing about a reporter's connection or device is kept: not in the database, not in the logs."""

import logging

import pytest
from django.db import connection

from hotline.intake.models import Report
from hotline.intake.tests.conftest import ReporterBrowser

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ADDRESS = "203.0.113.77"
USER_AGENT = "PrivacyProbe/9.1 (unique-agent-5f3a)"
FORWARDED_FOR = "198.51.100.23"


def every_stored_value() -> str:
    """Every row of every table in the database, as one text."""
    dump: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


@pytest.fixture
def reporter() -> ReporterBrowser:
    return ReporterBrowser(
        REMOTE_ADDR=CLIENT_ADDRESS,
        HTTP_USER_AGENT=USER_AGENT,
        HTTP_X_FORWARDED_FOR=FORWARDED_FOR,
    )


def assert_no_trace(text: str) -> None:
    for identifying in (CLIENT_ADDRESS, USER_AGENT, "unique-agent-5f3a", FORWARDED_FOR):
        assert identifying not in text


def test_filed_report_keeps_no_client_address_or_user_agent_anywhere(reporter, caplog):
    caplog.set_level(logging.DEBUG)
    response = reporter.send(description="sample description", contact_email="")
    assert response.status_code == 200
    assert Report.objects.count() == 1
    stored = every_stored_value()
    assert "sample description" in stored, "the dump must contain what was stored"
    assert_no_trace(stored)
    assert_no_trace(caplog.text)


def test_refused_and_rate_limited_reports_leave_no_trace_either(reporter, caplog, settings):
    settings.HOTLINE_REPORT_RATE_LIMIT = 1
    caplog.set_level(logging.DEBUG)
    reporter.send(urls="javascript:alert(1)")
    limited = reporter.send()
    assert limited.status_code == 429
    reporter.client.post("/report/", {"urls": "http://example.com/"})
    assert_no_trace(every_stored_value())
    assert_no_trace(caplog.text)


def test_api_report_keeps_no_client_address_or_user_agent(client, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/api/v1/reports",
        {"urls": ["http://example.com/"], "where_seen": "chat", "content_kind": "text"},
        content_type="application/json",
        REMOTE_ADDR=CLIENT_ADDRESS,
        HTTP_USER_AGENT=USER_AGENT,
    )
    assert response.status_code == 201
    client.post("/api/v1/reports", "{", content_type="application/json", REMOTE_ADDR=CLIENT_ADDRESS)
    assert_no_trace(every_stored_value())
    assert_no_trace(caplog.text)


def test_report_form_sets_no_session_cookie(reporter):
    reporter.send()
    assert "sessionid" not in reporter.client.cookies
