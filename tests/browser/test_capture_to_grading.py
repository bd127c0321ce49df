"""Issue 3's "done when", in Debian's Chromium: a reported page of generated pictures is captured,
hashed and pre-graded with no human action; an analyst sees it in the queue, reveals one item
with a key (blurred until then), grades the others with keys, a second analyst confirms, and a
senior analyst downloads the WARC.

The pictures are coloured shapes; the test data merely labels one of them as graded.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hotline.accounts.models import Role
from hotline.assessment import pregrading
from hotline.assessment.exposure import MediaReveal
from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.models import Assessment
from hotline.assessment.tests.media import (
    confirmed_grade,
    encoded,
    item_of,
    items_of,
    near_duplicate,
    shapes,
)
from hotline.assessment.vocabulary import GradeBasis, GradeStatus
from hotline.audit.log import verify_chain
from hotline.audit.models import AuditEntry
from hotline.capture.evidence import open_blob
from hotline.capture.keys import new_key, parse_keys
from hotline.capture.models import Capture
from hotline.capture.tests.servers import LocalServer, respond
from hotline.core.schedule import dispatch
from tests.browser.test_report_to_statistics import person, press_and_follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

__all__ = ["person"]

GALLERY = b"""<!doctype html><html><head><title>Neutral gallery</title></head><body>
<img src="/known-copy.jpg"><img src="/second.png"><img src="/third.png">
</body></html>"""


@pytest.fixture
def capturing(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Captures run as soon as they are queued (the immediate task backend), from loopback, into
    a store of the test's own; the process's index of known grades starts empty."""
    settings.HOTLINE_CAPTURE_ON_REPORT = True
    settings.HOTLINE_FETCH_ALLOW_LOOPBACK = True
    settings.HOTLINE_EVIDENCE_STORAGE = "local"
    settings.HOTLINE_EVIDENCE_DIR = tmp_path / "evidence"
    settings.HOTLINE_EVIDENCE_MASTER_KEYS = [parse_keys(new_key(), "test")[0]]
    monkeypatch.setattr(pregrading, "known_grades", pregrading.KnownGrades())


@pytest.fixture
def gallery() -> Iterator[LocalServer]:
    server = LocalServer()
    pictures = {
        "/known-copy.jpg": (encoded(near_duplicate(shapes(1)), "JPEG"), "image/jpeg"),
        "/second.png": (encoded(shapes(2)), "image/png"),
        "/third.png": (encoded(shapes(3)), "image/png"),
    }
    server.routes["/gallery"] = respond(200, GALLERY, [("Content-Type", "text/html")])
    for path, (data, kind) in pictures.items():
        server.routes[path] = respond(200, data, [("Content-Type", kind)])
    yield server
    server.close()


def report(page: Page, address: str) -> None:
    page.goto("/report/")
    page.fill("#id_urls", address)
    page.check("#id_where_seen_0")
    page.check("#id_content_kind_0")
    page.fill("#id_description", "sample description")
    page.click("button[type=submit]:has-text('Send report')")
    expect(page.locator(".reference")).to_be_visible()


def keys(page: Page, *pressed: str) -> None:
    page.wait_for_selector("html[data-shortcuts=ready]", state="attached")
    for key in pressed:
        page.keyboard.press(key)


def wait_until(condition: Callable[[], bool], page: Page) -> None:
    """Poll the database while the browser's request (here the hide beacon) lands."""
    for _ in range(50):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the browser's request never arrived")


def test_a_reported_page_is_captured_pregraded_revealed_graded_and_archived(
    capturing, gallery, person, make_staff
) -> None:
    ana, ben = make_staff(Role.ANALYST, "ana"), make_staff(Role.ANALYST, "ben")
    senior = make_staff(Role.SENIOR_ANALYST, "sol")
    known = confirmed_grade(
        item_of(encoded(shapes(1))), make_staff(Role.ANALYST), make_staff(Role.ANALYST)
    )

    report(person(), gallery.url("/gallery"))
    # What the scheduler does every second: queue the captures reports asked for.
    assert dispatch() == {"capture-requests": 1}

    capture = Capture.objects.get()
    items = items_of(capture)
    assert len(items) == 3
    assert all(item.pdq and len(item.dihedral) == 8 for item in items)
    pregrade = MediaGrade.objects.get(basis=GradeBasis.KNOWN_MATCH)
    assert (pregrade.media_item, pregrade.matched_grade) == (items[0], known)

    analyst = person()
    sign_in(analyst, ana)
    row = analyst.locator("table.queue tbody tr").first
    expect(row.locator(".capture-summary")).to_contain_text("captured")
    expect(row.locator(".capture-summary")).to_contain_text("country not known")
    expect(row.locator(".capture-summary")).to_contain_text("3 media items, 1 pre-graded")

    press_and_follow(analyst, "n")
    expect(analyst.locator(".hosting-country")).to_have_text("not known")
    expect(analyst.locator(".capture")).to_contain_text("127.0.0.1 is")
    first, second, third = (analyst.locator(f"#media-{item.pk}") for item in items)
    expect(first.locator("summary")).to_contain_text("Pre-graded by a known match")
    expect(first.locator(".known-match")).to_contain_text("bits apart")

    reveal_url = f"/staff/cases/{capture.url_id}/media/{items[1].pk}/"
    expect(second.locator("img")).to_have_attribute("src", reveal_url + "preview/")
    assert analyst.locator(f"img[src='{reveal_url}']").count() == 0
    keys(analyst, "j", "j", "v")
    revealed = second.locator("img.media-revealed")
    expect(revealed).to_have_attribute("src", reveal_url)
    analyst.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=revealed.element_handle()
    )
    expect(second.locator("img.media-preview")).to_be_hidden()
    assert AuditEntry.objects.filter(action="media.revealed").count() == 1

    keys(analyst, "j", "v")  # revealing the next item hides this one
    expect(third.locator(".media-revealed")).to_have_count(1)
    expect(revealed).to_have_count(0)
    keys(analyst, "ArrowLeft", "Escape")
    expect(analyst.locator(".media-revealed")).to_have_count(0)
    expect(second.locator("img.media-preview")).to_be_visible()
    expect(second).to_be_focused()
    assert AuditEntry.objects.filter(action="media.revealed").count() == 2
    wait_until(lambda: not MediaReveal.objects.filter(ended_at__isnull=True).exists(), analyst)

    keys(analyst, "c", "e", "o")  # category C, 7-10, boys
    press_and_follow(analyst, "Enter")
    expect(third).to_be_focused()
    keys(analyst, "3")  # not illegal
    press_and_follow(analyst, "Enter")
    expect(analyst.locator("#id_outcome_confirmed")).to_be_checked()
    expect(analyst.locator("#id_category_B")).to_be_checked()
    expect(analyst.locator("#id_age_band_7-10")).to_be_checked()
    expect(analyst.locator("#id_sex_both")).to_be_checked()
    press_and_follow(analyst, "Enter")
    expect(analyst.locator(".messages")).to_contain_text("submitted")

    assessment = Assessment.objects.get()
    assert (assessment.category, assessment.age_band, assessment.sex) == ("B", "7-10", "both")
    assert assessment.media_grades.count() == 3

    confirmer = person()
    sign_in(confirmer, ben)
    confirmer.goto("/staff/confirmations/")
    confirmer.click(f"button:has-text('Claim case {assessment.url_id}')")
    press_and_follow(confirmer, "y")
    assert {grade.status for grade in assessment.media_grades.all()} == {GradeStatus.CONFIRMED}

    archivist = person()
    sign_in(archivist, senior)
    archivist.goto(f"/staff/cases/{assessment.url_id}/")
    with archivist.expect_download() as download:
        archivist.click("a.warc-download")
    assert capture.warc is not None
    assert Path(download.value.path()).read_bytes() == open_blob(capture.warc)
    assert AuditEntry.objects.filter(action="capture.warc_downloaded").count() == 1
    assert list(verify_chain()) == []
