"""A senior analyst may take a capture's WARC away; nobody else may; every download is audited."""

import pytest

from hotline.assessment.tests.conftest import audit_actions, page_text
from hotline.assessment.tests.media import capture_of

pytestmark = pytest.mark.usefixtures("evidence")

WARC = b"WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\nsample neutral archive bytes\r\n" * 50


@pytest.fixture
def warc_path(url) -> str:
    capture = capture_of(url, warc=WARC)
    return f"/staff/cases/{url.pk}/captures/{capture.pk}/warc/"


def test_a_senior_analyst_downloads_the_stored_warc_as_an_attachment(
    warc_path, senior_analyst_client
):
    response = senior_analyst_client.get(warc_path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == WARC
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store, private"
    assert audit_actions(action="capture.warc_downloaded") == ["capture.warc_downloaded"]


def test_an_analyst_who_is_not_senior_is_refused_and_the_refusal_audited(warc_path, analyst_client):
    response = analyst_client.get(warc_path)

    assert response.status_code == 403
    assert WARC[:20] not in response.content
    assert audit_actions(action="access.denied") == ["access.denied"]
    assert not audit_actions(action="capture.warc_downloaded")


def test_a_manager_is_refused_too(warc_path, manager_client):
    assert manager_client.get(warc_path).status_code == 403


def test_a_capture_of_another_case_is_not_found(url, make_url, senior_analyst_client):
    capture = capture_of(make_url(), warc=WARC)

    response = senior_analyst_client.get(f"/staff/cases/{url.pk}/captures/{capture.pk}/warc/")

    assert response.status_code == 404


def test_only_a_senior_analyst_is_offered_the_download(
    url, warc_path, analyst_client, senior_analyst_client
):
    assert warc_path in page_text(senior_analyst_client.get(f"/staff/cases/{url.pk}/"))
    assert warc_path not in page_text(analyst_client.get(f"/staff/cases/{url.pk}/"))
