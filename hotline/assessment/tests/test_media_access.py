"""Who may see a case's media, and how: previews blurred, the real bytes audited, never cached."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image, ImageChops, ImageFilter, ImageStat

from hotline.accounts.testing import verified_client
from hotline.assessment.tests.conftest import audit_actions
from hotline.assessment.tests.media import capture_of, encoded, items_of, shapes
from hotline.audit.models import AuditEntry
from hotline.capture.models import Capture, CaptureStatus

pytestmark = pytest.mark.usefixtures("evidence")


@pytest.fixture
def picture() -> bytes:
    return encoded(shapes(7, size=256))


@pytest.fixture
def item_paths(url, picture) -> tuple[str, str]:
    [item] = items_of(capture_of(url, picture))
    base = f"/staff/cases/{url.pk}/media/{item.pk}/"
    return base, base + "preview/"


def edge_energy(image: Image.Image) -> float:
    """How much fine detail a picture holds: its mean difference from a smoothed copy of itself
    (away from the borders, where the filter itself makes edges)."""
    grey = image.convert("L")
    detail = ImageChops.difference(grey, grey.filter(ImageFilter.BoxBlur(2)))
    width, height = detail.size
    return float(ImageStat.Stat(detail.crop((8, 8, width - 8, height - 8))).mean[0])


def test_an_anonymous_visitor_is_sent_to_sign_in(item_paths):
    for path in item_paths:
        response = Client().get(path)
        assert response.status_code == 302
        assert "/staff/login/" in response["Location"]


def test_a_manager_who_is_not_an_analyst_never_gets_media(item_paths, manager_client):
    for path in item_paths:
        response = manager_client.get(path)
        assert response.status_code == 403
        assert b"\x89PNG" not in response.content
    assert audit_actions(action="access.denied") == ["access.denied", "access.denied"]


def test_each_reveal_returns_the_bytes_and_is_audited_with_the_item_and_case(
    url, item_paths, picture, analyst_client
):
    reveal, _ = item_paths
    first = analyst_client.get(reveal)
    second = analyst_client.get(reveal)

    assert first.content == picture == second.content
    entries = list(AuditEntry.objects.filter(action="media.revealed"))
    assert len(entries) == 2
    assert entries[0].detail == {"case": url.pk}
    assert entries[0].object_type == "capture.mediaitem"


def test_the_media_response_is_never_cached_nor_sniffed(item_paths, analyst_client):
    response = analyst_client.get(item_paths[0])

    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_content_type_comes_from_the_bytes_not_the_remote_server(url, analyst_client):
    text = b"<html><script>alert(1)</script></html>"
    [item] = items_of(capture_of(url, text))

    response = analyst_client.get(f"/staff/cases/{url.pk}/media/{item.pk}/")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_preview_is_small_greyscale_and_blurred(item_paths, picture, analyst_client):
    response = analyst_client.get(item_paths[1])

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    preview = Image.open(io.BytesIO(response.content))
    assert preview.mode == "L"
    assert max(preview.size) <= 160
    original = Image.open(io.BytesIO(picture)).resize(preview.size)
    assert edge_energy(preview) < edge_energy(original) / 10
    assert not AuditEntry.objects.filter(action="media.revealed").exists()


def test_an_item_of_another_case_is_not_found_through_this_one(
    url, make_url, picture, analyst_client
):
    other = make_url()
    [item] = items_of(capture_of(other, picture))

    response = analyst_client.get(f"/staff/cases/{url.pk}/media/{item.pk}/")

    assert response.status_code == 404


def test_the_case_page_shows_previews_and_never_the_media_itself(
    url, item_paths, analyst, analyst_client
):
    reveal, preview = item_paths
    page = analyst_client.get(f"/staff/cases/{url.pk}/").content.decode()

    assert f'src="{preview}"' in page
    assert f'src="{reveal}"' not in page
    assert f'data-reveal-url="{reveal}"' in page
    assert "capture.viewed" in audit_actions()
    assert verified_client(analyst).get(preview).status_code == 200


def test_a_video_shows_a_placeholder_and_is_never_previewed(url, analyst_client):
    [item] = items_of(capture_of(url, b"\x1a\x45\xdf\xa3 sample neutral bytes"))
    item.kind = "video"
    item.save()

    page = analyst_client.get(f"/staff/cases/{url.pk}/").content.decode()

    assert "Video: no preview." in page
    assert f"/media/{item.pk}/preview/" not in page
    assert 'data-kind="video"' in page
    assert analyst_client.get(f"/staff/cases/{url.pk}/media/{item.pk}/preview/").status_code == 404
    revealed = analyst_client.get(f"/staff/cases/{url.pk}/media/{item.pk}/")
    assert revealed["Content-Type"] == "video/webm"


def test_a_failed_capture_is_shown_with_its_reason(url, analyst_client):
    now = timezone.now()
    Capture.objects.create(
        url=url, started_at=now, finished_at=now, status=CaptureStatus.FAILED, error="refused"
    )

    page = analyst_client.get(f"/staff/cases/{url.pk}/").content.decode()

    assert "Failed" in page
    assert "refused" in page
    assert "media-grid" not in page
