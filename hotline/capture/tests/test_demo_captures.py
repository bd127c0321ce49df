"""`hotline demo` captures: benign generated pictures stored and hashed as real captures are."""

import random
from io import BytesIO, StringIO
from ipaddress import ip_address, ip_network

import pytest
from django.core.management import call_command
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from hashcore import hash_bytes
from hotline.capture.demo import benign_picture, near_copy
from hotline.capture.evidence import open_blob
from hotline.capture.models import Capture, CaptureStatus, MediaItem
from hotline.capture.tests.conftest import NetworkLog

pytestmark = pytest.mark.django_db
DOCUMENTATION = [ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


def run_demo() -> None:
    call_command("demo", "--seed", "7", "--reports", "60", stdout=StringIO())


def test_the_demo_stores_media_that_decrypt_to_images_whose_hashes_match(network: NetworkLog):
    run_demo()

    items = list(MediaItem.objects.select_related("blob"))
    assert len(items) >= 10
    for item in items:
        data = open_blob(item.blob)
        with Image.open(BytesIO(data)) as picture:
            picture.verify()
            assert 64 <= max(picture.size) <= 256
        hashes = hash_bytes(data)
        assert (item.md5, item.sha1, item.sha256) == (hashes.md5, hashes.sha1, hashes.sha256)
        assert item.pdq == hashes.pdq
    assert network.connections == []
    assert network.lookups == []


def test_demo_captures_keep_the_page_in_a_warc_and_are_hosted_on_documentation_ranges():
    run_demo()

    fetched = Capture.objects.filter(status=CaptureStatus.FETCHED)
    assert fetched.count() >= 10
    assert Capture.objects.filter(status=CaptureStatus.FAILED).exists()
    for capture in fetched:
        assert any(ip_address(str(capture.peer_ip)) in network for network in DOCUMENTATION)
        assert capture.country_code
        assert capture.asn
        assert capture.media_stored == capture.media.exclude(media_item=None).count() > 0
        assert capture.started_at < capture.finished_at
    page = next(capture for capture in fetched if capture.title)
    assert page.warc is not None
    responses = [
        (record.rec_headers.get_header("WARC-IP-Address"), record.content_stream().read())
        for record in ArchiveIterator(BytesIO(open_blob(page.warc)))
        if record.rec_type == "response"
    ]
    assert len(responses) == 1
    peer_ip, body = responses[0]
    assert peer_ip == page.peer_ip
    assert b"<img" in body


def test_the_same_seed_draws_the_same_pictures_and_a_near_copy_stays_within_pdq_reach():
    first, second = random.Random(4), random.Random(4)

    drawn = [benign_picture(first) for _ in range(5)]

    assert drawn == [benign_picture(second) for _ in range(5)]
    assert len(set(drawn)) == 5
    clear = next(data for data in drawn if (hash_bytes(data).pdq_quality or 0) >= 90)
    copy = near_copy(clear, random.Random(1))
    assert copy != clear
    assert distance(hash_bytes(copy).pdq, hash_bytes(clear).pdq) <= 31


def distance(a: str | None, b: str | None) -> int:
    assert a is not None
    assert b is not None
    return bin(int(a, 16) ^ int(b, 16)).count("1")
