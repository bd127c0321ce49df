"""The public home page and safety advice: reachable, calm, and each leading to the report form."""

import pytest

pytestmark = pytest.mark.django_db

AUDIENCES = ["children", "parents-and-carers", "teachers"]


def test_home_page_explains_the_hotline_and_offers_a_report_button(client):
    page = client.get("/").content.decode()
    assert '<a class="button button-large" href="/report/">Report a web address</a>' in page
    for audience in AUDIENCES:
        assert f'href="/advice/{audience}/"' in page


@pytest.mark.parametrize("audience", AUDIENCES)
def test_advice_page_tells_what_not_to_do_and_ends_with_the_way_to_report(client, audience):
    response = client.get(f"/advice/{audience}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "screenshot" in page
    assert "share" in page or "forward" in page
    assert "Where to get support" in page
    assert page.rindex('href="/report/"') > page.index("Where to get support")


def test_unknown_advice_audience_is_not_found(client):
    assert client.get("/advice/everyone/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/report/", *[f"/advice/{a}/" for a in AUDIENCES]])
def test_public_pages_have_no_inline_script_or_style(client, path):
    page = client.get(path).content.decode()
    assert "<script>" not in page
    assert "style=" not in page


@pytest.mark.parametrize("path", ["/", "/advice/children/"])
def test_public_pages_render_in_french(client, path):
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Signaler une adresse web" in page
