import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from hotline.audit.models import AuditEntry
from hotline.stats.figures import current_year
from hotline.stats.tests.builders import (
    confirmed_grade,
    make_report,
    make_source,
    reported_and_assessed,
)

pytestmark = pytest.mark.django_db
EXPORT = reverse("stats:export")


def download(client, **query: str) -> list[list[str]]:
    response = client.get(EXPORT, query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_holds_one_row_per_month_and_per_breakdown_group(manager_client, analyst):
    when = datetime(2025, 4, 2, 12, tzinfo=UTC)
    reported_and_assessed(when, analyst, **confirmed_grade(self_generated=True))
    make_report(when)

    rows = download(manager_client, year="2025")

    assert rows[0] == ["period", "measure", "group", "value"]
    assert ["2025-04", "reports_received", "all", "2"] in rows
    assert ["2025-04", "urls_confirmed", "all", "1"] in rows
    assert ["2025-04", "urls_confirmed_self_generated", "all", "1"] in rows
    assert ["2025-11", "reports_received", "all", "0"] in rows
    assert ["2025", "reports_received", "all", "2"] in rows
    assert ["2025", "urls_confirmed_by_age_band", "11-13", "1"] in rows
    assert ["2025", "urls_confirmed_by_category", "C", "1"] in rows
    assert ["2025", "reports_received_by_source_kind", "public", "2"] in rows
    assert ["2025", "urls_confirmed_by_source_kind", "public", "1"] in rows
    months = {row[0] for row in rows[1:] if row[1] == "reports_received"}
    assert len(months) == 13  # twelve months and the year


def test_the_csv_is_streamed_as_an_attachment_named_after_the_year(manager_client):
    response = manager_client.get(EXPORT, {"year": "2024"})

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hotline-statistics-2024.csv"'


def test_the_csv_is_of_this_year_when_no_year_is_asked_for(manager_client):
    response = manager_client.get(EXPORT)

    assert f"hotline-statistics-{current_year()}.csv" in response["Content-Disposition"]


def test_downloading_is_audited_with_the_year(manager_client, manager):
    download(manager_client, year="2025")

    entry = AuditEntry.objects.get(action="stats.exported")
    assert entry.actor_id == manager.pk
    assert entry.detail == {"year": 2025}


def test_a_bad_year_sends_the_manager_back_to_the_page_which_explains(manager_client):
    response = manager_client.get(EXPORT, {"year": "20x5"}, follow=True)

    assert response.redirect_chain[0][0] == f"{reverse('stats:overview')}?year=20x5"
    assert "Enter a year as four digits" in response.content.decode()
    assert not AuditEntry.objects.filter(action="stats.exported").exists()


def test_an_analyst_may_not_download_and_the_refusal_is_audited(analyst_client, analyst):
    response = analyst_client.get(EXPORT, {"year": "2025"})

    assert response.status_code == 403
    assert AuditEntry.objects.get(action="access.denied").actor_id == analyst.pk
    assert not AuditEntry.objects.filter(action="stats.exported").exists()


def test_a_source_name_a_spreadsheet_would_run_as_a_formula_is_made_inert(manager_client):
    make_report(datetime(2025, 6, 1, tzinfo=UTC), source=make_source("=HYPERLINK(1)"))

    rows = download(manager_client, year="2025")

    assert ["2025", "reports_received_by_source", "'=HYPERLINK(1)", "1"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)
