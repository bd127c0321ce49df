"""Reports filed at the same moment: no count lost, one report per token. Needs PostgreSQL.

SQLite runs one write transaction at a time, so there the same code has no race to lose, and its
in-memory test database refuses concurrent connections: these tests are deselected on SQLite
(see conftest.py) and run in CI's PostgreSQL phase.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from hotline.intake.models import Channel, Report, ReportingSource, SourceKind, Url
from hotline.intake.services import FiledReport, file_report
from hotline.intake.submission import read_submission

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPORTERS = 8


def file_at_once(count: int, token: str | None = None, sources=None) -> list[FiledReport]:
    """File `count` reports of the same urls from as many threads, all released together."""
    start = threading.Barrier(count)
    submission = read_submission(
        urls=["http://example.com/b", "http://example.com/a"],
        where_seen="chat",
        content_kind="text",
    )

    def file(index: int) -> FiledReport:
        source = sources[index % len(sources)] if sources else None
        start.wait(timeout=30)
        try:
            return file_report(
                submission, channel=Channel.API, source=source, submission_token=token
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(file, range(count)))


def test_simultaneous_reports_of_new_urls_lose_no_count():
    file_at_once(REPORTERS)
    assert Report.objects.count() == REPORTERS
    for url in Url.objects.all():
        assert (url.report_count, url.source_count) == (REPORTERS, 1)
        assert url.priority == url.compute_priority()


def test_simultaneous_reports_from_several_sources_count_each_source_once():
    sources = [
        ReportingSource.objects.create(name=f"Partner {n}", kind=SourceKind.PARTNER_HOTLINE)
        for n in range(2)
    ]
    file_at_once(REPORTERS, sources=[None, *sources])
    for url in Url.objects.all():
        assert (url.report_count, url.source_count) == (REPORTERS, 3)


def test_simultaneous_submissions_with_one_token_file_one_report():
    filed = file_at_once(REPORTERS, token="form-double-click")
    assert Report.objects.count() == 1
    assert {item.report.reference for item in filed} == {Report.objects.get().reference}
    assert sum(item.created for item in filed) == 1
    assert set(Url.objects.values_list("report_count", flat=True)) == {1}


def test_simultaneous_reports_of_one_new_address_each_count_once():
    start = threading.Barrier(REPORTERS)
    submission = read_submission(
        urls=["http://example.com/only"], where_seen="chat", content_kind="text"
    )

    def file(_: int) -> FiledReport:
        start.wait(timeout=30)
        try:
            return file_report(submission, channel=Channel.API)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=REPORTERS) as pool:
        filed = list(pool.map(file, range(REPORTERS)))

    url = Url.objects.get()
    assert (url.report_count, url.source_count) == (REPORTERS, 1)
    assert url.reports.count() == REPORTERS == len({item.report.pk for item in filed})
