"""Rate limiting by address, without ever holding an address or anything that links to it."""

import pytest
from django.test import RequestFactory, override_settings

from hotline.intake.models import Report
from hotline.intake.ratelimit import RateLimiter, client_address
from hotline.intake.tests.conftest import ReporterBrowser


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@override_settings(HOTLINE_REPORT_RATE_LIMIT=3, HOTLINE_REPORT_RATE_WINDOW_SECONDS=600)
def test_address_is_refused_once_over_the_limit_and_others_are_not(clock):
    limiter = RateLimiter(clock)
    assert [limiter.allow("192.0.2.1") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("192.0.2.2")


@override_settings(HOTLINE_REPORT_RATE_LIMIT=1, HOTLINE_REPORT_RATE_WINDOW_SECONDS=600)
def test_counts_expire_when_the_window_ends(clock):
    limiter = RateLimiter(clock)
    clock.now = 1200.0
    assert limiter.allow("192.0.2.1")
    assert not limiter.allow("192.0.2.1")
    assert limiter.retry_after() == 600
    clock.now = 1799.5
    assert not limiter.allow("192.0.2.1")
    clock.now = 1800.0
    assert limiter.allow("192.0.2.1")


@override_settings(HOTLINE_REPORT_RATE_LIMIT=5, HOTLINE_REPORT_RATE_WINDOW_SECONDS=600)
def test_limiter_holds_no_address_and_its_keys_change_every_window(clock):
    limiter = RateLimiter(clock)
    limiter.allow("192.0.2.1")
    first_keys = set(limiter._counts)
    held = repr(vars(limiter))
    assert "192.0.2.1" not in held
    assert b"192.0.2.1" not in b"".join(first_keys)
    clock.now += 600
    limiter.allow("192.0.2.1")
    assert set(limiter._counts).isdisjoint(first_keys)


@override_settings(HOTLINE_REPORT_RATE_LIMIT=0)
def test_limit_of_zero_turns_limiting_off(clock):
    limiter = RateLimiter(clock)
    assert all(limiter.allow("192.0.2.1") for _ in range(1000))


def test_client_address_is_the_connections_when_no_proxy_is_trusted(settings):
    settings.HOTLINE_TRUSTED_PROXY_HOPS = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_address(request) == "192.0.2.9"


@pytest.mark.parametrize(
    ("hops", "expected"), [(1, "192.0.2.3"), (2, "198.51.100.1"), (3, "127.0.0.1")]
)
def test_client_address_is_read_through_trusted_proxies(settings, hops, expected):
    settings.HOTLINE_TRUSTED_PROXY_HOPS = hops
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.3"
    )
    assert client_address(request) == expected


@pytest.mark.django_db
@override_settings(HOTLINE_REPORT_RATE_LIMIT=2)
def test_form_over_the_limit_answers_429_with_the_answers_kept():
    browser = ReporterBrowser()
    assert [browser.send().status_code for _ in range(2)] == [200, 200]
    limited = browser.send(description="sample description")
    page = limited.content.decode()
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "many reports from your connection" in page
    assert "sample description</textarea>" in page
    assert Report.objects.count() == 2


@pytest.mark.django_db
@override_settings(HOTLINE_REPORT_RATE_LIMIT=1)
def test_different_addresses_have_their_own_limits():
    first, second = (
        ReporterBrowser(REMOTE_ADDR="192.0.2.1"),
        ReporterBrowser(REMOTE_ADDR="192.0.2.2"),
    )
    assert first.send().status_code == 200
    assert second.send().status_code == 200
    assert first.send().status_code == 429
