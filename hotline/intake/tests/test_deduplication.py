"""Many reports of one page make one url: counted, weighted, and never queued twice."""

import pytest
from django.utils import timezone

from hotline.intake.models import (
    Channel,
    Report,
    ReportedUrl,
    ReportingSource,
    SourceKind,
    Url,
    UrlState,
)
from hotline.intake.services import file_report
from hotline.intake.submission import read_submission

pytestmark = pytest.mark.django_db


def file(*urls: str, source: ReportingSource | None = None, token: str | None = None):
    submission = read_submission(urls=list(urls), where_seen="web_page", content_kind="images")
    return file_report(submission, channel=Channel.API, source=source, submission_token=token)


def make_source(name: str, weight: int = 0) -> ReportingSource:
    return ReportingSource.objects.create(
        name=name, kind=SourceKind.PARTNER_HOTLINE, priority_weight=weight
    )


def test_same_url_twice_in_one_report_counts_once():
    filed = file("http://example.com/page", "HTTP://EXAMPLE.COM/page#top", "example.com/page")
    url = Url.objects.get()
    assert url.report_count == 1
    assert ReportedUrl.objects.filter(report=filed.report).count() == 1
    assert ReportedUrl.objects.get().submitted == "http://example.com/page"


def test_duplicate_url_joins_existing_case():
    first = file("http://example.com/page?utm_source=mail")
    second = file("example.com/page")
    url = Url.objects.get()
    assert url.report_count == 2
    assert set(url.reports.all()) == {first.report, second.report}


def test_url_first_reported_keeps_its_first_time_and_moves_its_last_time():
    file("http://example.com/")
    url = Url.objects.get()
    first_seen = url.first_reported_at
    file("http://example.com/")
    url.refresh_from_db()
    assert url.first_reported_at == first_seen
    assert url.last_reported_at > first_seen


@pytest.mark.parametrize(
    "state", [UrlState.ASSESSED, UrlState.AWAITING_CONFIRMATION, UrlState.DISPUTED]
)
def test_url_already_in_assessment_is_not_queued_again_but_counted(state):
    file("http://example.com/page")
    Url.objects.update(state=state)
    file("http://example.com/page")
    url = Url.objects.get()
    assert url.state == state
    assert url.report_count == 2
    assert Url.objects.count() == 1


def test_queued_url_reported_again_stays_queued_once():
    file("http://example.com/page")
    file("http://example.com/page")
    assert list(Url.objects.values_list("state", flat=True)) == [UrlState.QUEUED]


def test_claim_on_a_url_survives_a_new_report(analyst):
    file("http://example.com/page")
    claimed_at = timezone.now()
    Url.objects.update(claimed_by=analyst, claimed_at=claimed_at)
    file("http://example.com/page")
    url = Url.objects.get()
    assert (url.claimed_by, url.claimed_at) == (analyst, claimed_at)


def test_the_public_counts_as_one_source():
    for _ in range(3):
        file("http://example.com/page")
    url = Url.objects.get()
    assert (url.report_count, url.source_count) == (3, 1)


def test_each_distinct_source_counts_once_and_adds_its_weight():
    partner, platform = make_source("Partner", weight=5), make_source("Platform", weight=3)
    file("http://example.com/page")
    file("http://example.com/page", source=partner)
    file("http://example.com/page", source=partner)
    file("http://example.com/page", source=platform)
    url = Url.objects.get()
    assert (url.report_count, url.source_count, url.source_weight) == (4, 3, 8)


def test_priority_follows_the_urls_own_rule_after_every_report():
    partner = make_source("Partner", weight=7)
    for source in (None, partner, None, partner, make_source("Other")):
        file("http://example.com/page", "http://example.com/other", source=source)
        for url in Url.objects.all():
            assert url.priority == url.compute_priority()
    assert Url.objects.get(canonical="http://example.com/page").priority == 5 + 20 + 7


def test_report_count_stops_raising_priority_at_one_hundred():
    file("http://example.com/page")
    Url.objects.update(report_count=150, priority=100)
    file("http://example.com/page")
    url = Url.objects.get()
    assert url.report_count == 151
    assert url.priority == url.compute_priority() == 100


def test_one_report_links_every_distinct_url_and_counts_each_once():
    file("http://example.com/a")
    filed = file("http://example.com/a", "http://example.com/b", "http://example.com/c")
    counts = dict(Url.objects.values_list("canonical", "report_count"))
    assert counts == {
        "http://example.com/a": 2,
        "http://example.com/b": 1,
        "http://example.com/c": 1,
    }
    assert filed.report.urls.count() == 3


def test_url_records_its_host():
    file("https://Sub.Example.ORG:8443/x")
    assert Url.objects.get().host == "sub.example.org"


def test_replayed_token_counts_nothing_again():
    file("http://example.com/page", token="form-same")
    file("http://example.com/page", token="form-same")
    assert Report.objects.count() == 1
    assert Url.objects.get().report_count == 1
