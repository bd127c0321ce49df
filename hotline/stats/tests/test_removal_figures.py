"""Time to removal: medians, shares within 2 h / 24 h / 7 days, by provider and by country."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from hotline.stats.removal import removal_figures
from hotline.stats.tests.builders import confirmed_grade, make_assessment, make_url
from hotline.takedown.models import CaseState, Provider, Route, TakedownCase

pytestmark = pytest.mark.django_db
NOTIFIED = datetime(2025, 6, 2, 9, tzinfo=UTC)


@pytest.fixture
def removals(analyst):
    """Five urls of two providers and a partner: removed after 1 h, 10 h, 3 days, never."""
    fast = Provider.objects.create(name="Fast Hosting")
    slow = Provider.objects.create(name="Slow Hosting")
    plan = [
        (fast, "GB", timedelta(hours=1)),
        (fast, "GB", timedelta(hours=10)),
        (slow, "GB", timedelta(days=3)),
        (slow, "GB", None),
        (None, "FR", timedelta(hours=30)),
    ]
    for provider, country, after in plan:
        url = make_url(NOTIFIED)
        TakedownCase.objects.create(
            url=url,
            assessment=make_assessment(url, analyst, NOTIFIED, **confirmed_grade()),
            state=CaseState.NOTIFIED if after is None else CaseState.REMOVED,
            route=Route.PROVIDER if provider else Route.PARTNER,
            provider=provider,
            country_code=country,
            first_notified_at=NOTIFIED,
            removed_at=NOTIFIED + after if after else None,
        )


def test_the_median_and_shares_count_urls_still_online_as_not_removed(removals):
    figures = removal_figures(2025)

    overall = figures.overall
    assert (overall.notified, overall.removed, overall.still_up) == (5, 4, 1)
    assert overall.median_hours == pytest.approx(20.0)
    assert overall.share_within(2) == pytest.approx(0.2)
    assert overall.share_within(24) == pytest.approx(0.4)
    assert overall.share_within(168) == pytest.approx(0.8)


def test_providers_are_ranked_fastest_first(removals):
    providers = removal_figures(2025).providers

    assert [group.name for group in providers] == ["Fast Hosting", "unknown", "Slow Hosting"]
    assert providers[0].median_hours == pytest.approx(5.5)
    assert providers[2].share_within(168) == pytest.approx(0.5)


def test_the_statistics_page_shows_the_median_time_to_removal(manager_client, removals):
    response = manager_client.get(reverse("stats:overview"), {"year": "2025"})

    page = response.content.decode()
    assert "Median time to removal" in page
    assert "20.0 h" in page


def test_the_removal_page_draws_charts_each_with_its_table(manager_client, removals):
    response = manager_client.get(reverse("stats:removal"), {"year": "2025"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('role="img"') == 3
    assert page.count("<table") == 3
    assert "Fast Hosting" in page
    assert "40.0%" in page  # removed within 24 hours


def test_the_removal_figures_download_as_csv(manager_client, removals):
    response = manager_client.get(reverse("stats:removal_export"), {"year": "2025"})

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "period,measure,group,value"
    assert "2025,removal_median_hours,all,20.0" in lines
    assert "2025,removal_share_within_24h,provider:Fast Hosting,1.0" in lines
    assert "2025,removal_time_still_up,country:GB,1" in lines


def test_the_provider_league_table_downloads_as_csv(manager_client, removals):
    response = manager_client.get(
        reverse("stats:removal_export"), {"year": "2025", "table": "league"}
    )

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("provider,notified,removed,still_up,median_hours")
    assert lines[1] == "Fast Hosting,2,2,0,5.5,0.5,1.0,1.0"
    assert lines[-1].startswith("Slow Hosting,2,1,1,72.0")


def test_analysts_may_not_see_the_removal_figures(analyst_client):
    assert analyst_client.get(reverse("stats:removal")).status_code == 403
