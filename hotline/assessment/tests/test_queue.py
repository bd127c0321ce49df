"""The queue: most urgent first, paged, fast, and a button that claims the next free case."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hotline.accounts.models import User
from hotline.assessment import queue
from hotline.assessment.tests.conftest import page_text
from hotline.intake.models import Url, UrlState

CASE_LINK = re.compile(r'href="/staff/cases/(\d+)/"')


def listed_cases(response) -> list[int]:
    return [int(pk) for pk in CASE_LINK.findall(page_text(response))]


def test_queue_lists_the_most_urgent_first_then_the_oldest(make_url, analyst_client: Client):
    now = timezone.now()
    recent_low = make_url(priority=1, first_reported_at=now - timedelta(hours=1))
    old_low = make_url(priority=1, first_reported_at=now - timedelta(days=3))
    urgent = make_url(priority=40, first_reported_at=now - timedelta(minutes=5))

    response = analyst_client.get("/staff/queue/")

    assert response.status_code == 200
    assert listed_cases(response) == [urgent.pk, old_low.pk, recent_low.pk]


def test_queue_leaves_out_urls_already_past_assessment(make_url, analyst_client: Client):
    waiting = make_url()
    make_url(state=UrlState.AWAITING_CONFIRMATION)
    make_url(state=UrlState.ASSESSED)
    make_url(state=UrlState.DISPUTED)

    assert listed_cases(analyst_client.get("/staff/queue/")) == [waiting.pk]


def test_queue_shows_each_address_as_plain_text_never_a_link(make_url, analyst_client: Client):
    make_url(canonical="http://plain.example.org/some/page?x=1", host="plain.example.org")

    text = page_text(analyst_client.get("/staff/queue/"))

    assert "http://plain.example.org/some/page?x=1" in text
    assert 'href="http://plain' not in text
    assert "plain.example.org" in text


def test_queue_truncates_a_long_address(make_url, analyst_client: Client):
    long_path = "a" * 300
    make_url(canonical=f"http://long.example.com/{long_path}")

    text = page_text(analyst_client.get("/staff/queue/"))

    assert long_path not in text
    assert "http://long.example.com/aaaa" in text


def test_queue_names_who_holds_a_claim_and_forgets_a_lapsed_one(
    make_url, make_staff, analyst_client: Client, settings
):
    holder = make_staff("analyst", "holder-of-claims")
    lapsed_holder = make_staff("analyst", "lapsed-holder")
    make_url(claimed_by=holder, claimed_at=timezone.now() - timedelta(minutes=5))
    long_ago = timezone.now() - timedelta(minutes=settings.HOTLINE_CLAIM_MINUTES + 1)
    make_url(claimed_by=lapsed_holder, claimed_at=long_ago)

    text = page_text(analyst_client.get("/staff/queue/"))

    assert "holder-of-claims" in text
    assert "lapsed-holder" not in text


def test_queue_is_paged_by_the_configured_page_size(make_url, analyst_client: Client, settings):
    settings.HOTLINE_QUEUE_PAGE_SIZE = 2
    urls = [make_url(priority=10 - number) for number in range(5)]

    first = analyst_client.get("/staff/queue/")
    third = analyst_client.get("/staff/queue/?page=3")

    assert listed_cases(first) == [urls[0].pk, urls[1].pk]
    assert 'href="?page=2"' in page_text(first)
    assert listed_cases(third) == [urls[4].pk]
    assert 'href="?page=4"' not in page_text(third)


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5", "9999999999", "²"])
def test_a_bad_page_number_is_refused_with_a_clear_message(page, analyst_client: Client):
    response = analyst_client.get("/staff/queue/", {"page": page}, follow=True)

    assert response.redirect_chain == [("/staff/queue/", 302)]
    assert "The page number must be a whole number from 1." in page_text(response)


def test_a_page_past_the_end_says_so_and_links_back(make_url, analyst_client: Client):
    make_url()

    text = page_text(analyst_client.get("/staff/queue/?page=7"))

    assert "No addresses on this page." in text


def test_queue_says_how_many_addresses_wait(make_url, analyst_client: Client):
    make_url()
    make_url()

    assert "2 addresses waiting" in page_text(analyst_client.get("/staff/queue/"))


def test_queue_stops_counting_at_its_limit(make_url, analyst_client: Client, monkeypatch):
    monkeypatch.setattr(queue, "QUEUE_COUNT_LIMIT", 3)
    for _ in range(5):
        make_url()

    assert "More than 3 addresses waiting" in page_text(analyst_client.get("/staff/queue/"))


# Session, user, second-factor device, queue length, the page's rows, the analyst's own claims,
# their exposure today, the rows' captures (none here: their media counts add two more).
QUEUE_PAGE_QUERIES = 8


@pytest.mark.parametrize("count", [5, 60])
def test_queue_page_costs_the_same_queries_whatever_its_length(
    count, make_url, make_staff, analyst_client: Client, django_assert_num_queries
):
    holder = make_staff("analyst", "busy-analyst")
    for number in range(count):
        claimed = {"claimed_by": holder, "claimed_at": timezone.now()} if number % 3 == 0 else {}
        make_url(priority=number % 7, **claimed)

    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        response = analyst_client.get("/staff/queue/")

    assert response.status_code == 200
    assert len(listed_cases(response)) == min(count, 50)


def test_claim_next_opens_the_most_urgent_free_case(
    make_url, make_staff, analyst: User, analyst_client: Client
):
    other = make_staff("analyst", "other-analyst")
    make_url(priority=90, claimed_by=other, claimed_at=timezone.now())
    wanted = make_url(priority=50)
    make_url(priority=10)

    response = analyst_client.post("/staff/queue/next/")

    assert response["Location"] == f"/staff/cases/{wanted.pk}/"
    wanted.refresh_from_db()
    assert wanted.claimed_by == analyst


def test_claim_next_takes_over_a_lapsed_claim(
    make_url, make_staff, analyst: User, analyst_client: Client, settings
):
    other = make_staff("analyst", "gone-for-lunch")
    long_ago = timezone.now() - timedelta(minutes=settings.HOTLINE_CLAIM_MINUTES + 1)
    lapsed = make_url(priority=90, claimed_by=other, claimed_at=long_ago)

    response = analyst_client.post("/staff/queue/next/")

    assert response["Location"] == f"/staff/cases/{lapsed.pk}/"
    lapsed.refresh_from_db()
    assert lapsed.claimed_by == analyst


def test_claim_next_returns_the_case_the_analyst_already_holds(
    make_url, analyst: User, analyst_client: Client
):
    make_url(priority=90)
    held = make_url(priority=1, claimed_by=analyst, claimed_at=timezone.now())

    response = analyst_client.post("/staff/queue/next/")

    assert response["Location"] == f"/staff/cases/{held.pk}/"
    assert Url.objects.filter(claimed_by=analyst).count() == 1


def test_claim_next_on_an_empty_queue_says_so(analyst_client: Client):
    response = analyst_client.post("/staff/queue/next/", follow=True)

    assert response.redirect_chain == [("/staff/queue/", 302)]
    assert "The queue is empty" in page_text(response)


def test_claim_next_only_answers_a_post(analyst_client: Client):
    assert analyst_client.get("/staff/queue/next/").status_code == 405


def test_queue_lists_the_cases_the_analyst_holds(make_url, analyst: User, analyst_client: Client):
    held = make_url(host="held.example.net", claimed_by=analyst, claimed_at=timezone.now())

    text = page_text(analyst_client.get("/staff/queue/"))

    assert "Cases you hold" in text
    assert f'href="/staff/cases/{held.pk}/">Case {held.pk}</a>' in text


def test_queue_offers_claim_next_with_its_shortcut(analyst_client: Client):
    text = page_text(analyst_client.get("/staff/queue/"))

    assert 'data-shortcut="n"' in text
    assert "<kbd>n</kbd>" in text
    assert "assessment/grading.js" in text
