"""The keyboard shortcuts, pressed in Debian's Chromium against the live console.

Each test checks what the keys put into the form the browser sends, and that the server took it;
the server's rules are tested with Django's client in the other files.
"""

from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, Page, Request

from hotline.accounts.models import User
from hotline.accounts.testing import verified_client
from hotline.assessment import claims
from hotline.assessment.grade import Grade
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus
from hotline.intake.models import Url

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

FIRST_GRADE = Grade(outcome="confirmed", category="C", age_band="14-15", sex="boys")


def console_for(chromium: Browser, live_server, person: User) -> Iterator[Page]:
    """A browser page signed in as `person`, second factor verified."""
    session = verified_client(person).cookies["sessionid"].value
    context = chromium.new_context(base_url=live_server.url)
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    yield context.new_page()
    context.close()


@pytest.fixture
def analyst_page(chromium: Browser, live_server, analyst: User) -> Iterator[Page]:
    yield from console_for(chromium, live_server, analyst)


@pytest.fixture
def second_analyst_page(chromium: Browser, live_server, second_analyst: User) -> Iterator[Page]:
    yield from console_for(chromium, live_server, second_analyst)


def sent_by(page: Page, path: str, *keys: str) -> dict[str, list[str]]:
    """The form fields the browser posts to `path` when `keys` are pressed."""

    def posted(request: Request) -> bool:
        return request.method == "POST" and path in request.url

    # Waiting for the page the server redirects to means the server is done with the request
    # before the test's database goes away.
    with page.expect_navigation(), page.expect_request(posted) as sent:
        for key in keys:
            page.keyboard.press(key)
    answer = sent.value.response()
    assert answer is not None
    assert answer.status == 302, f"{path} answered {answer.status}"
    fields = parse_qs(sent.value.post_data or "")
    fields.pop("csrfmiddlewaretoken", None)
    return fields


@pytest.fixture
def held(url: Url, analyst: User) -> Url:
    claims.claim(url, analyst)
    return url


@pytest.fixture
def to_confirm(url: Url, analyst: User, second_analyst: User) -> Url:
    claims.claim(url, analyst)
    Assessment.submit(url, analyst, FIRST_GRADE)
    claims.claim(url, second_analyst)
    return url


def test_n_claims_the_next_case(url: Url, analyst_page: Page):
    analyst_page.goto("/staff/queue/")

    assert sent_by(analyst_page, "/staff/queue/next/", "n") == {}
    assert analyst_page.url.endswith(f"/staff/cases/{url.pk}/")


def test_a_whole_grade_is_given_from_the_keyboard(held: Url, analyst_page: Page):
    analyst_page.goto(f"/staff/cases/{held.pk}/")

    fields = sent_by(analyst_page, "/assess/", "1", "b", "r", "g", "s", "i", "Enter")

    assert fields == {
        "outcome": ["confirmed"],
        "category": ["B"],
        "age_band": ["11-13"],
        "sex": ["girls"],
        "self_generated": ["on"],
        "ai_generated": ["on"],
    }
    assessment = Assessment.objects.get(url=held)
    assert (assessment.category, assessment.self_generated, assessment.commercial) == (
        "B",
        True,
        False,
    )


def test_a_flag_key_toggles_the_flag(held: Url, analyst_page: Page):
    analyst_page.goto(f"/staff/cases/{held.pk}/")

    fields = sent_by(analyst_page, "/assess/", "3", "m", "m", "Enter")

    assert fields == {"outcome": ["not_illegal"]}


def test_typing_in_the_notes_never_fires_a_shortcut(held: Url, analyst_page: Page):
    analyst_page.goto(f"/staff/cases/{held.pk}/")
    analyst_page.click("#id_notes")

    analyst_page.keyboard.type("a quiet sample 12345 note")

    assert analyst_page.locator("input:checked").count() == 0
    fields = sent_by(analyst_page, "/assess/", "Escape", "4", "Control+Enter")
    assert fields == {"outcome": ["off_remit"], "notes": ["a quiet sample 12345 note"]}


def test_another_outcome_sets_the_classification_aside_without_losing_it(
    held: Url, analyst_page: Page
):
    analyst_page.goto(f"/staff/cases/{held.pk}/")
    analyst_page.keyboard.press("a")
    analyst_page.keyboard.press("2")
    analyst_page.keyboard.press("b")

    assert analyst_page.locator("#id_category_B").is_disabled()
    assert analyst_page.locator("#id_category_A").is_checked()
    assert sent_by(analyst_page, "/assess/", "Enter") == {"outcome": ["npi"]}
    assert Assessment.objects.get(url=held).category == ""


def test_y_confirms_the_first_grade(to_confirm: Url, second_analyst_page: Page):
    second_analyst_page.goto(f"/staff/cases/{to_confirm.pk}/")

    assert sent_by(second_analyst_page, "/confirm/", "y") == {"decision": ["confirm"]}
    assert Assessment.objects.get(url=to_confirm).status == AssessmentStatus.CONFIRMED


def test_d_opens_the_dispute_reason_and_ctrl_enter_sends_it(
    to_confirm: Url, second_analyst_page: Page
):
    second_analyst_page.goto(f"/staff/cases/{to_confirm.pk}/")
    second_analyst_page.keyboard.press("d")
    second_analyst_page.keyboard.type("sample reason typed with y and d")

    fields = sent_by(second_analyst_page, "/confirm/", "Control+Enter")

    assert fields == {"decision": ["dispute"], "reason": ["sample reason typed with y and d"]}
    assert Assessment.objects.get(url=to_confirm).status == AssessmentStatus.DISPUTED
