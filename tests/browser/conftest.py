"""Debian's Chromium driven by Playwright against Django's live server."""

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import require_service

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's services at start-up, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_service(shutil.which(CHROMIUM) is not None, "Debian's Chromium (/usr/bin/chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[object]:
    """A factory of pages, each in its own context (its own cookies), as separate people would be."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context()
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
