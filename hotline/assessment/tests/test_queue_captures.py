"""The queue tells analysts what each capture found before they open a case."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from hotline.assessment.tests.conftest import page_text
from hotline.assessment.tests.media import (
    capture_of,
    confirmed_grade,
    encoded,
    item_of,
    near_duplicate,
    shapes,
)
from hotline.capture.models import Capture, CaptureStatus

pytestmark = pytest.mark.usefixtures("evidence")


def row_of(response, url) -> str:
    match = re.search(
        rf'<tr>\s*<td><a href="/staff/cases/{url.pk}/">.*?</tr>', page_text(response), re.S
    )
    assert match is not None
    return " ".join(match.group(0).split())


def test_a_captured_url_shows_its_country_media_and_pregraded_counts(
    url, make_staff, analyst_client: Client
):
    confirmed_grade(item_of(encoded(shapes(1))), make_staff("analyst"), make_staff("analyst"))
    capture_of(
        url, encoded(near_duplicate(shapes(1)), "JPEG"), encoded(shapes(2)), encoded(shapes(3))
    )

    row = row_of(analyst_client.get("/staff/queue/"), url)

    assert "captured" in row
    assert "NL" in row
    assert "3 media items, 1 pre-graded" in row


def test_a_url_not_captured_or_whose_capture_failed_says_so(make_url, analyst_client: Client):
    waiting, failed = make_url(), make_url()
    now = timezone.now()
    Capture.objects.create(
        url=failed, started_at=now, finished_at=now, status=CaptureStatus.FAILED, error="refused"
    )

    response = analyst_client.get("/staff/queue/")

    assert "not captured yet" in row_of(response, waiting)
    assert "capture failed" in row_of(response, failed)


@pytest.mark.parametrize("count", [3, 12])
def test_captures_add_the_same_queries_whatever_the_page_length(
    count, make_url, analyst_client: Client, django_assert_num_queries
):
    for number in range(count):
        capture_of(make_url(), encoded(shapes(100 + number)))

    # The queue page's eight, and the captures' media and pre-graded counts.
    with django_assert_num_queries(10):
        analyst_client.get("/staff/queue/")
