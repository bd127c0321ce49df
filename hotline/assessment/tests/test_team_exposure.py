"""Managers see the team's exposure today as counts and a chart, never the media."""

import pytest
from django.test import Client

from hotline.assessment.exposure import team_today
from hotline.assessment.tests.conftest import page_text
from hotline.assessment.tests.media import capture_of, encoded, items_of, shapes

pytestmark = pytest.mark.usefixtures("evidence")


@pytest.fixture
def revealed(url, analyst_client: Client, second_analyst_client: Client) -> None:
    first, second = items_of(capture_of(url, encoded(shapes(31)), encoded(shapes(32))))
    for client, items in ((analyst_client, [first, second]), (second_analyst_client, [first])):
        for item in items:
            assert client.get(f"/staff/cases/{url.pk}/media/{item.pk}/").status_code == 200


def test_the_team_totals_count_each_analysts_reveals(revealed):
    team = team_today()

    assert [(name, exposure.items) for name, exposure in team] == [
        ("analyst-one", 2),
        ("analyst-two", 1),
    ]


def test_a_manager_sees_the_totals_with_a_chart_and_no_media(revealed, manager_client: Client):
    text = page_text(manager_client.get("/staff/exposure/team/"))

    assert "3 items revealed" in text
    assert 'id="chart-team-exposure"' in text
    assert "analyst-one" in text
    assert "/media/" not in text


def test_analysts_do_not_see_the_team_page(analyst_client: Client):
    assert analyst_client.get("/staff/exposure/team/").status_code == 403
