"""The filing service: one transaction, few queries whatever the url count, one report per token."""

import re

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from hotline.intake import services, statements
from hotline.intake.models import Channel, Report, ReportedUrl, Url
from hotline.intake.services import file_report, new_reference
from hotline.intake.submission import read_submission

pytestmark = pytest.mark.django_db


def submission(*urls: str, **answers: str):
    return read_submission(
        urls=list(urls) or ["http://example.com/"],
        where_seen="chat",
        content_kind="text",
        **answers,
    )


def test_reference_is_hl_and_twelve_crockford_characters():
    for _ in range(200):
        assert re.fullmatch(r"HL-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{12}", new_reference())


def test_second_filing_with_the_same_token_returns_the_first_report():
    first = file_report(submission(), channel=Channel.API, submission_token="t-1")
    second = file_report(
        submission("http://example.org/"), channel=Channel.API, submission_token="t-1"
    )
    assert (first.created, second.created) == (True, False)
    assert second.report.pk == first.report.pk
    assert Url.objects.count() == 1


def test_reference_collision_is_retried_with_a_new_reference(monkeypatch):
    existing = file_report(submission(), channel=Channel.API).report
    references = iter([existing.reference, "HL-FRESHREF0001"])
    monkeypatch.setattr(services, "new_reference", lambda: next(references))
    filed = file_report(submission("http://example.org/"), channel=Channel.API)
    assert filed.report.reference == "HL-FRESHREF0001"
    assert Report.objects.count() == 2


def test_repeated_reference_collisions_are_not_hidden(monkeypatch):
    existing = file_report(submission(), channel=Channel.API).report
    monkeypatch.setattr(services, "new_reference", lambda: existing.reference)
    with pytest.raises(IntegrityError):
        file_report(submission("http://example.org/"), channel=Channel.API)
    assert Report.objects.count() == 1
    assert Url.objects.count() == 1


def test_failure_while_filing_leaves_nothing_behind(monkeypatch):
    file_report(submission("http://example.com/known"), channel=Channel.API)

    def broken_links(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(statements, "link_urls", broken_links)
    with pytest.raises(RuntimeError):
        file_report(
            submission("http://example.com/known", "http://example.com/new"), channel=Channel.API
        )
    assert Report.objects.count() == 1
    assert list(Url.objects.values_list("canonical", "report_count")) == [
        ("http://example.com/known", 1)
    ]


def queries_to_file(*urls: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        file_report(submission(*urls), channel=Channel.API, submission_token=f"t-{len(urls)}")
    return len(queries)


def test_filing_takes_the_same_few_queries_for_two_urls_or_fifty():
    file_report(submission("http://example.com/0"), channel=Channel.API)
    for_two = queries_to_file("http://example.com/0", "http://example.com/1")
    for_fifty = queries_to_file(*[f"http://example.com/{n}" for n in range(50)])
    assert for_two == for_fifty <= 9
    assert ReportedUrl.objects.count() == 1 + 2 + 50


def test_urls_never_reported_before_are_counted_as_they_are_created():
    def queries_with_token(token: str) -> int:
        urls = ("http://example.com/a", "http://example.com/b")
        with CaptureQueriesContext(connection) as queries:
            file_report(submission(*urls), channel=Channel.API, submission_token=token)
        return len(queries)

    creating = queries_with_token("first")
    # A known url is locked, looked up among the source's earlier reports, then counted; the
    # links of new urls (none this time) give way to those of known ones.
    assert queries_with_token("second") == creating + 3
    for url in Url.objects.all():
        assert (url.report_count, url.source_count) == (2, 1)
        assert url.priority == url.compute_priority()


@pytest.mark.postgres
def test_a_report_of_one_new_address_is_a_single_statement_on_postgresql():
    with CaptureQueriesContext(connection) as queries:
        filed = file_report(submission("http://example.com/one"), channel=Channel.API)
    statements_run = [q["sql"] for q in queries if not q["sql"].startswith(SAVEPOINTS)]
    assert len(statements_run) == 1
    url = Url.objects.get()
    assert list(filed.report.urls.all()) == [url]
    assert (url.report_count, url.source_count, url.priority) == (1, 1, url.compute_priority())
    assert url.capture_requested_at is None  # capture on report is off in the test settings


def test_a_report_of_one_known_address_is_counted_on_it():
    first = file_report(submission("http://example.com/one"), channel=Channel.API).report
    second = file_report(submission("http://example.com/one"), channel=Channel.API).report
    url = Url.objects.get()
    assert [report.pk for report in url.reports.order_by("pk")] == [first.pk, second.pk]
    assert (url.report_count, url.source_count) == (2, 1)


SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT")
