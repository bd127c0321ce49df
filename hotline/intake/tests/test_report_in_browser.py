"""A person reporting with a real browser (Debian's Chromium): form, errors, thank-you page."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from hotline.intake.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def page(chromium: Browser, live_server) -> Iterator[Page]:
    context = chromium.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def send(page: Page) -> int:
    with page.expect_navigation() as sent:
        page.click("button[type=submit]:has-text('Send report')")
    response = sent.value
    assert response is not None
    return response.status


def test_person_corrects_the_form_files_a_report_and_reads_the_reference(page: Page):
    page.goto("/report/")
    page.fill("#id_urls", "example.com/page")
    assert send(page) == 422
    # Chromium focuses an autofocus element at its next rendering update, which may come after
    # the navigation has finished: the assertion waits for it (up to its timeout).
    expect(page.locator(".error-summary")).to_be_focused()
    page.click(".error-summary a[href='#id_where_seen_0']")
    assert page.evaluate("location.hash") == "#id_where_seen_0"
    page.check("#id_where_seen_0")
    page.check("#id_content_kind_0")
    assert send(page) == 200
    assert page.locator(".reference").inner_text() == Report.objects.get().reference


def test_report_form_works_without_javascript(chromium: Browser, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/report/")
    page.fill("#id_urls", "example.com/page")
    page.check("#id_where_seen_1")
    page.check("#id_content_kind_1")
    assert send(page) == 200
    assert Report.objects.get().where_seen == "social_media"
    context.close()
