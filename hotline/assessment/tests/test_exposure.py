"""Each analyst sees what they were exposed to today, and is reminded to take a break."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hotline.assessment.exposure import Exposure, MediaReveal, day_start, exposure_today
from hotline.assessment.tests.conftest import page_text
from hotline.assessment.tests.media import capture_of, encoded, items_of, shapes

pytestmark = pytest.mark.usefixtures("evidence")


@pytest.fixture
def items(url):
    capture = capture_of(url, encoded(shapes(21)), encoded(shapes(22)))
    return items_of(capture)


def reveal(client: Client, url, item) -> None:
    assert client.get(f"/staff/cases/{url.pk}/media/{item.pk}/").status_code == 200


def test_revealing_another_item_hides_the_previous_one(url, items, analyst, analyst_client):
    reveal(analyst_client, url, items[0])
    reveal(analyst_client, url, items[1])

    first, second = MediaReveal.objects.order_by("pk")
    assert first.ended_at is not None
    assert second.ended_at is None
    assert exposure_today(analyst).items == 2


def test_hiding_ends_the_reveal(url, items, analyst, analyst_client):
    reveal(analyst_client, url, items[0])

    assert analyst_client.post("/staff/exposure/hide/").status_code == 204
    assert MediaReveal.objects.get().ended_at is not None


def test_a_late_request_to_hide_an_item_does_not_end_a_later_reveal(
    url, items, analyst, analyst_client
):
    reveal(analyst_client, url, items[0])
    reveal(analyst_client, url, items[1])

    analyst_client.post("/staff/exposure/hide/", {"item": items[0].pk})

    assert MediaReveal.objects.get(media_item=items[1]).ended_at is None


def test_minutes_count_the_time_an_item_was_revealed(url, items, analyst):
    now = timezone.now()
    start = max(day_start(now), now - timedelta(hours=2))
    MediaReveal.objects.create(
        analyst=analyst,
        media_item=items[0],
        url=url,
        started_at=start,
        ended_at=start + timedelta(minutes=3, seconds=30),
    )

    assert exposure_today(analyst, now) == Exposure(items=1, minutes=3, break_due=False)


def test_a_reveal_never_hidden_counts_for_five_minutes_at_most(url, items, analyst):
    now = timezone.now()
    start = max(day_start(now), now - timedelta(minutes=50))
    MediaReveal.objects.create(analyst=analyst, media_item=items[0], url=url, started_at=start)

    assert exposure_today(analyst, now).minutes == min(5, int((now - start).total_seconds() // 60))


def test_yesterdays_reveals_do_not_count_today(url, items, analyst):
    now = timezone.now()
    MediaReveal.objects.create(
        analyst=analyst,
        media_item=items[0],
        url=url,
        started_at=day_start(now) - timedelta(minutes=10),
        ended_at=day_start(now) - timedelta(minutes=5),
    )

    assert exposure_today(analyst, now).items == 0


def test_other_analysts_reveals_are_not_counted(url, items, analyst, second_analyst_client):
    reveal(second_analyst_client, url, items[0])

    assert exposure_today(analyst).items == 0


def test_the_queue_and_case_pages_show_todays_exposure(url, items, analyst_client):
    reveal(analyst_client, url, items[0])

    for path in ("/staff/queue/", f"/staff/cases/{url.pk}/"):
        text = page_text(analyst_client.get(path))
        assert "Today you revealed 1 item, 0 minutes with an item revealed." in text
        assert "break-reminder" not in text


def test_a_break_is_suggested_once_a_limit_is_reached_without_blocking_work(
    url, items, analyst_client, settings
):
    settings.HOTLINE_EXPOSURE_BREAK_ITEMS = 2
    reveal(analyst_client, url, items[0])
    reveal(analyst_client, url, items[1])

    text = page_text(analyst_client.get("/staff/queue/"))

    assert 'class="notice break-reminder" role="status"' in text
    reveal(analyst_client, url, items[0])


def test_the_minutes_limit_also_suggests_a_break(url, items, analyst, settings):
    settings.HOTLINE_EXPOSURE_BREAK_MINUTES = 3
    now = timezone.now()
    start = max(day_start(now), now - timedelta(minutes=30))
    MediaReveal.objects.create(
        analyst=analyst,
        media_item=items[0],
        url=url,
        started_at=start,
        ended_at=start + timedelta(minutes=4),
    )

    assert exposure_today(analyst, now).break_due
