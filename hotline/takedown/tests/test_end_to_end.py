"""From a second analyst's confirmation to the removal time on the statistics page, through a
real SMTP server and a real web server on 127.0.0.1."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hotline.core.schedule import enqueue_due
from hotline.stats.removal import removal_figures
from hotline.takedown import rechecks, sending
from hotline.takedown.models import CaseState
from hotline.takedown.tests.conftest import case_of, put_up, record_capture, take_down

pytestmark = pytest.mark.django_db
STEP = timedelta(minutes=15)


def test_a_confirmed_page_is_noticed_rechecked_removed_and_counted(
    confirmer, provider, site, mailbox, manager_client
):
    put_up(site, "/gallery/7")
    url = confirmer.url(site.url("/gallery/7"))
    record_capture(url)

    confirmer.confirm(url)
    assert len(mailbox.messages) == 1
    assert "takedown-cycle" in enqueue_due()  # the scheduler runs the first check at once
    assert case_of(url).last_check == rechecks.PRESENT

    now = timezone.now()
    take_down(site, "/gallery/7")
    for _check in range(2):
        now += STEP
        rechecks.run_cycle(now)
        assert case_of(url).state == CaseState.NOTIFIED
    now += STEP
    rechecks.run_cycle(now)

    case = case_of(url)
    assert case.state == CaseState.REMOVED
    assert case.hours_to_removal is not None
    assert 0.2 < case.hours_to_removal < 0.3  # the first absent check, 15 minutes after the notice
    response = manager_client.get(reverse("stats:overview"))
    figures = removal_figures(case.first_notified_at.year)  # type: ignore[union-attr]
    assert figures.overall.removed == 1
    assert "Median time to removal" in response.content.decode()
    assert "15 min" in response.content.decode()


def test_a_page_that_stays_up_gets_a_repeat_notice_through_smtp(
    confirmer, provider, site, mailbox, settings
):
    put_up(site, "/gallery/8")
    url = confirmer.url(site.url("/gallery/8"))
    record_capture(url)
    confirmer.confirm(url)

    now = timezone.now()
    for _hour in range(settings.HOTLINE_TAKEDOWN_REPEAT_HOURS + 1):
        now += timedelta(hours=1)
        rechecks.run_cycle(now)
        sending.send_all_due(now)

    assert len(mailbox.messages) == 2
    first, repeat = mailbox.bodies()
    assert url.canonical in repeat
    assert "repeat notice" in repeat
    assert "repeat notice" not in first
    assert case_of(url).state == CaseState.NOTIFIED
