from datetime import UTC, datetime

import pytest
from django.urls import reverse

from hotline.accounts.testing import verified_client
from hotline.assessment.vocabulary import Outcome
from hotline.audit.models import AuditEntry
from hotline.stats.figures import current_year
from hotline.stats.tests.builders import (
    confirmed_grade,
    make_report,
    make_source,
    reported_and_assessed,
)

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("stats:overview")


def test_a_manager_sees_the_years_figures_charts_and_tables(manager_client, analyst):
    when = datetime(2025, 5, 14, 10, tzinfo=UTC)
    reported_and_assessed(when, analyst, **confirmed_grade(self_generated=True))
    reported_and_assessed(when, analyst, outcome=Outcome.NOT_ILLEGAL)

    response = manager_client.get(OVERVIEW, {"year": "2025"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Statistics for 2025" in page
    assert page.count('role="img"') == 10
    assert page.count("<table") == 11
    assert "50.0%" in page  # the confirmed outcome, as a share of the two assessed urls
    headlines = {item.label: item.value for item in response.context["headlines"]}
    assert headlines["Reports received"] == "2"
    assert headlines["Web addresses confirmed"] == "1"
    assert headlines["Share of confirmed that was self-generated"] == "100.0%"


def test_the_headlines_compare_each_total_with_the_previous_year(manager_client, analyst):
    make_report(datetime(2024, 3, 1, tzinfo=UTC))
    make_report(datetime(2024, 3, 2, tzinfo=UTC))
    for day in (1, 2, 3):
        make_report(datetime(2025, 3, day, tzinfo=UTC))
    reported_and_assessed(datetime(2024, 3, 3, tzinfo=UTC), analyst, **confirmed_grade())

    response = manager_client.get(OVERVIEW, {"year": "2025"})

    reports, assessed, confirmed, share = response.context["headlines"]
    assert (reports.value, reports.previous, reports.change) == ("3", "3", "0.0%")
    assert (assessed.value, assessed.previous) == ("0", "1")
    assert (confirmed.value, confirmed.previous, confirmed.change) == ("0", "1", "\u2212100.0%")
    assert (share.value, share.previous, share.change) == ("none confirmed", "0.0%", "")
    assert '2024: 3 <span class="stats-change">(0.0%)</span>' in response.content.decode()


def test_the_page_shows_this_year_when_no_year_is_asked_for(manager_client):
    response = manager_client.get(OVERVIEW)

    assert response.context["figures"].year == current_year()
    assert "There is a problem" not in response.content.decode()


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("twenty", "Enter a year as four digits"),
        ("", "Enter a year, for example"),
        ("1850", "Enter a year from 1990 onwards"),
        ("2999", "There are no figures for years after"),
    ],
)
def test_a_bad_year_is_explained_and_this_year_shown_instead(manager_client, year, message):
    response = manager_client.get(OVERVIEW, {"year": year})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert f"Showing the figures for {current_year()} instead" in page
    assert response.context["figures"].year == current_year()


def test_viewing_the_figures_is_audited_with_the_year(manager_client, manager):
    manager_client.get(OVERVIEW, {"year": "2025"})

    entry = AuditEntry.objects.get(action="stats.viewed")
    assert entry.actor_id == manager.pk
    assert entry.detail == {"year": 2025}


def test_an_analyst_is_refused_and_the_refusal_audited(analyst_client, analyst):
    response = analyst_client.get(OVERVIEW)

    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor_id == analyst.pk
    assert entry.detail["path"] == OVERVIEW
    assert not AuditEntry.objects.filter(action="stats.viewed").exists()


def test_a_signed_in_person_without_a_role_is_refused_and_audited(make_staff):
    nobody = make_staff("", "no-role")

    response = verified_client(nobody).get(OVERVIEW)

    assert response.status_code == 403
    assert AuditEntry.objects.get(action="access.denied").actor_id == nobody.pk


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(OVERVIEW)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_source_name_with_markup_is_escaped_in_the_chart_and_the_table(manager_client):
    make_report(datetime(2025, 8, 1, 12, tzinfo=UTC), source=make_source("<script>x</script>"))

    page = manager_client.get(OVERVIEW, {"year": "2025"}).content.decode()

    assert "<script>x" not in page
    figure = page.split('id="chart-reports-received-by-source"')[1].split("</figure>")[0]
    svg, table = figure.split("</svg>")
    assert "&lt;script&gt;x&lt;/script&gt;" in svg
    assert '<th scope="row">&lt;script&gt;x&lt;/script&gt;</th>' in table


def test_the_page_has_no_inline_styles_or_scripts(manager_client, analyst):
    reported_and_assessed(datetime(2025, 3, 3, tzinfo=UTC), analyst, **confirmed_grade())

    page = manager_client.get(OVERVIEW, {"year": "2025"}).content.decode()

    assert "style=" not in page
    assert "<script" not in page


def test_the_year_menu_offers_every_year_since_the_first_report(manager_client):
    make_report(datetime(2022, 6, 1, tzinfo=UTC))

    response = manager_client.get(OVERVIEW)

    assert list(response.context["years"]) == list(range(current_year(), 2021, -1))


def test_the_page_links_to_the_download_for_the_shown_year(manager_client):
    page = manager_client.get(OVERVIEW, {"year": "2024"}).content.decode()

    assert f'href="{reverse("stats:export")}?year=2024"' in page


def test_the_page_needs_a_bounded_number_of_queries(
    manager_client, analyst, django_assert_max_num_queries
):
    for day in range(1, 29):
        when = datetime(2025, 2, day, 12, tzinfo=UTC)
        reported_and_assessed(when, analyst, source=None, **confirmed_grade())

    with django_assert_max_num_queries(20):
        response = manager_client.get(OVERVIEW, {"year": "2025"})

    assert response.context["figures"].totals.confirmed == 28


def test_a_manager_finds_the_administration_from_the_statistics_page(manager_client):
    response = manager_client.get(reverse("stats:overview"))

    assert f'href="{reverse("admin:index")}"' in response.content.decode()
