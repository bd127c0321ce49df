"""The whole path in Debian's Chromium: a member of the public reports, one analyst grades with
the keyboard, a second analyst confirms, and the manager sees it counted in the statistics."""

from collections.abc import Callable, Iterator

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect

from conftest import STAFF_PASSWORD
from hotline.accounts.models import Role, User
from hotline.accounts.tests.totp import current_code
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus
from hotline.audit.log import verify_chain
from hotline.intake.models import Report, UrlState

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

REPORTED = "https://Images.Example.com:443/gallery/./item?id=7&utm_source=chat#top"


@pytest.fixture
def person(chromium: Browser, live_server) -> Iterator[Callable[[], Page]]:
    """Each call is a different person at a different browser, with their own cookies."""
    contexts: list[BrowserContext] = []

    def open_browser() -> Page:
        contexts.append(chromium.new_context(base_url=live_server.url))
        return contexts[-1].new_page()

    yield open_browser
    for context in contexts:
        context.close()


def sign_in(page: Page, user: User) -> None:
    page.goto("/staff/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("button[type=submit]:has-text('Continue')")
    page.fill("#id_code", current_code(TOTPDevice.objects.get(user=user)))
    page.click("main button[type=submit]:has-text('Sign in')")


def file_report(page: Page) -> str:
    page.goto("/report/")
    page.fill("#id_urls", REPORTED)
    page.check("#id_where_seen_0")
    page.check("#id_content_kind_0")
    page.fill("#id_description", "sample description")
    page.click("button[type=submit]:has-text('Send report')")
    return page.locator(".reference").inner_text()


def press_and_follow(page: Page, key: str) -> None:
    """Press a shortcut once the deferred script listens, and wait for the page it leads to."""
    page.wait_for_selector("html[data-shortcuts=ready]", state="attached")
    with page.expect_navigation():
        page.keyboard.press(key)


def grade_with_keyboard(page: Page) -> None:
    press_and_follow(page, "n")  # claim the next case
    expect(page.locator("code.url-text")).to_have_text(
        "https://images.example.com/gallery/item?id=7"
    )
    page.wait_for_selector("html[data-shortcuts=ready]", state="attached")
    for key in ("1", "b", "t", "g", "s"):  # confirmed, category B, 14-15, girls, self-generated
        page.keyboard.press(key)
    press_and_follow(page, "Enter")


def test_a_public_report_is_graded_confirmed_and_counted(person, make_staff) -> None:
    first, second = make_staff(Role.ANALYST, "ana"), make_staff(Role.ANALYST, "ben")
    manager = make_staff(Role.MANAGER, "mia")

    reference = file_report(person())
    assert Report.objects.get().reference == reference

    analyst = person()
    sign_in(analyst, first)
    expect(analyst.locator("h1")).to_contain_text("Assessment queue")
    grade_with_keyboard(analyst)
    expect(analyst.locator(".messages")).to_be_visible()
    graded = Assessment.objects.get()
    assert (graded.outcome, graded.category, graded.age_band, graded.sex) == (
        "confirmed",
        "B",
        "14-15",
        "girls",
    )
    assert graded.self_generated
    assert graded.url.state == UrlState.AWAITING_CONFIRMATION

    confirmer = person()
    sign_in(confirmer, second)
    confirmer.goto("/staff/confirmations/")
    confirmer.click(f"button:has-text('Claim case {graded.url_id}')")
    press_and_follow(confirmer, "y")
    expect(confirmer.locator(".messages")).to_be_visible()
    graded.refresh_from_db()
    assert graded.status == AssessmentStatus.CONFIRMED

    statistics = person()
    sign_in(statistics, manager)
    expect(statistics.locator("h1")).to_contain_text("Statistics for")
    confirmed = statistics.locator(".stats-headline", has_text="Web addresses confirmed")
    expect(confirmed.locator(".stats-value")).to_have_text("1")
    expect(statistics.locator("svg[role=img]").first).to_be_visible()
    assert list(verify_chain()) == []
