"""Capturing a url: the page as a WARC, its hosting, and every image it shows, hashed and stored."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from hotline.capture.evidence import open_blob
from hotline.capture.holds import capture_media, capture_warcs
from hotline.capture.models import Capture, CaptureMedia, CaptureStatus, EvidenceBlob, MediaItem
from hotline.capture.pipeline import capture_url
from hotline.capture.retention import expired_blobs
from hotline.capture.tests.media_site import Site, pattern, reported, serve_site
from hotline.capture.tests.servers import redirect, respond
from hotline.intake.models import UrlState

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(server, policy, evidence_dir) -> Site:
    return serve_site(server)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def captured(site: Site, path: str = "/page") -> Capture:
    return capture_url(reported(site.url(path)).pk)


def link(capture: Capture, site: Site, path: str) -> CaptureMedia:
    return capture.media.get(source_url=site.url(path))


def test_the_page_is_kept_as_a_warc_that_warcio_reads_back(site):
    capture = captured(site)
    assert capture.warc is not None
    records = list(ArchiveIterator(io.BytesIO(open_blob(capture.warc)), check_digests="raise"))
    responses = [record for record in records if record.rec_type == "response"]
    assert [record.rec_headers.get_header("WARC-Target-URI") for record in responses] == [
        site.url("/page")
    ]
    assert capture.status == CaptureStatus.FETCHED
    assert (capture.http_status, capture.final_url) == (200, site.url("/page"))


def test_the_capture_records_the_address_it_connected_to_and_why_no_host_is_named(site):
    capture = captured(site)
    assert capture.peer_ip == "127.0.0.1"
    assert capture.hosting_note.startswith("127.0.0.1 is")
    assert capture.country_code == ""
    assert capture.title == "Neutral gallery"
    assert ["Content-Type", "text/html; charset=utf-8"] in capture.headers


def test_every_image_on_the_page_is_hashed_with_pdq(site):
    capture = captured(site)
    for path, data in site.images.items():
        item = link(capture, site, path).media_item
        assert item is not None
        assert item.sha256 == sha256(data)
        assert item.md5 == hashlib.md5(data, usedforsecurity=False).hexdigest()
        assert re.fullmatch("[0-9a-f]{64}", item.pdq)
        assert len(item.dihedral) == 8
        assert item.kind == "image"
        assert item.hash_error == ""
        assert open_blob(item.blob) == data


def test_each_media_link_records_where_on_the_page_it_was_found(site):
    capture = captured(site)
    found_in = {link.source_url.rsplit("/", 1)[1]: link.found_in for link in capture.media.all()}
    assert found_in["og.jpg"] != found_in["a.png"]
    assert found_in["large.jpg"] == found_in["small.png"]


def test_a_corrupt_image_is_stored_with_the_reason_it_could_not_be_hashed(site):
    item = link(captured(site), site, "/corrupt.png").media_item
    assert item is not None
    assert item.hash_error
    sha1 = hashlib.sha1(site.corrupt, usedforsecurity=False).hexdigest()
    assert (item.pdq, item.dihedral, item.sha1) == ("", [], sha1)
    assert open_blob(item.blob) == site.corrupt


def test_a_broken_image_is_listed_with_the_servers_answer_and_nothing_stored(site):
    broken = link(captured(site), site, "/missing.png")
    assert (broken.media_item, broken.fetch_status) == (None, 404)
    assert broken.error == "the server answered 404"


def test_an_image_shown_twice_and_at_two_addresses_is_one_media_item_and_one_blob(site):
    capture = captured(site)
    same = [link(capture, site, path).media_item for path in ("/a.png", "/copy-of-a.png")]
    assert same[0] == same[1]
    assert capture.media.filter(source_url=site.url("/a.png")).count() == 1
    assert MediaItem.objects.filter(sha256=sha256(site.images["/a.png"])).count() == 1
    assert EvidenceBlob.objects.filter(sha256=sha256(site.images["/a.png"])).count() == 1


def test_the_capture_counts_the_media_found_and_stored(site):
    capture = captured(site)
    assert (capture.media_found, capture.media_stored) == (7, 6)
    assert MediaItem.objects.count() == 5


def test_a_second_capture_reuses_the_media_items_and_keeps_a_warc_of_its_own(site):
    first = captured(site)
    second = capture_url(first.url_id)
    assert MediaItem.objects.count() == 5
    assert second.pk != first.pk
    assert second.warc != first.warc
    assert {link.media_item_id for link in second.media.all()} == {
        link.media_item_id for link in first.media.all()
    }


def test_a_direct_link_to_an_image_is_itself_the_media(site):
    capture = captured(site, "/og.jpg")
    [only] = capture.media.all()
    assert only.found_in == "the response itself"
    assert only.media_item is not None
    assert only.media_item.sha256 == sha256(site.images["/og.jpg"])
    assert (capture.media_found, capture.media_stored, capture.title) == (1, 1, "")


def test_a_redirect_to_a_private_address_fails_the_capture_with_the_fetchers_reason(site):
    site.server.routes["/away"] = redirect("http://10.0.0.1/")
    capture = captured(site, "/away")
    assert capture.status == CaptureStatus.FAILED
    assert "10.0.0.1 is a private address" in capture.error
    assert capture.warc is None
    assert not capture.media.exists()


def test_media_past_the_per_capture_cap_are_counted_and_not_fetched(site, settings):
    settings.HOTLINE_CAPTURE_MAX_MEDIA_PER_CAPTURE = 2
    capture = captured(site)
    assert capture.media.count() == 2
    assert capture.media_found == 7


def test_an_image_over_the_media_size_limit_is_noted_and_not_stored(site, settings):
    settings.HOTLINE_CAPTURE_MAX_MEDIA_BYTES = 1024
    large = pattern(256, 10, "PNG")
    assert len(large) > 1024
    site.server.routes["/a.png"] = respond(200, large, [("Content-Type", "image/png")])
    too_large = link(captured(site), site, "/a.png")
    assert too_large.media_item is None
    assert "over the limit of 1024" in too_large.error
    assert not MediaItem.objects.filter(sha256=sha256(large)).exists()


def test_evidence_of_a_url_is_held_until_the_url_is_assessed(site):
    capture = captured(site)
    later = timezone.now() + timedelta(days=1)
    holds = [capture_warcs, capture_media]
    assert not expired_blobs(later, holds).exists()
    capture.url.state = UrlState.ASSESSED
    capture.url.save()
    assert expired_blobs(later, holds).count() == EvidenceBlob.objects.count() == 6
