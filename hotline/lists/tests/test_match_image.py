"""POST /api/v1/match/image: an image hashed in memory and matched, never kept."""

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from hashcore import hash_bytes
from hotline.audit.models import AuditEntry
from hotline.capture.extraction import MediaKind
from hotline.capture.models import EvidenceBlob, MediaItem
from hotline.capture.pipeline import media_item_for
from hotline.lists.publishing import publish
from hotline.lists.tests.match_support import altered, decompression_bomb, picture, png

pytestmark = pytest.mark.usefixtures("fresh_match_index")

URL = "/api/v1/match/image"


@pytest.fixture
def graded_picture(make_grade):
    grade = make_grade(media_item_for(png(picture(1)), MediaKind.IMAGE))
    publish("hashes")
    return grade


def upload(client: Client, data: bytes, name: str = "copy.jpg", **fields):
    image = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(URL, {"image": image, **fields})


def test_a_near_duplicate_image_matches_and_its_hashes_are_returned(matcher, graded_picture):
    copy = altered(picture(1))
    response = upload(matcher, copy)

    assert response.status_code == 200
    body = response.json()
    expected = hash_bytes(copy)
    assert body["hashes"] == [
        {"type": "md5", "value": expected.md5},
        {"type": "sha1", "value": expected.sha1},
        {"type": "sha256", "value": expected.sha256},
        {"type": "pdq", "value": expected.pdq},
    ]
    assert body["pdq_quality"] == expected.pdq_quality
    [match] = body["matches"]
    assert match["query"] == 3
    assert 0 < match["distance"] <= 31
    assert match["entry"]["sha256"] == graded_picture.media_item.sha256


def test_the_graded_image_itself_matches_by_every_hash(matcher, graded_picture):
    body = upload(matcher, png(picture(1)), "same.png").json()
    found = [(m["query"], m["distance"]) for m in body["matches"]]
    assert found == [(0, 0), (1, 0), (2, 0), (3, 0)]


def test_a_different_image_matches_nothing(matcher, graded_picture):
    body = upload(matcher, png(picture(2)), "other.png").json()
    assert body["matches"] == []


def test_max_distance_is_a_form_field(matcher, graded_picture):
    assert upload(matcher, altered(picture(1)), max_distance="0").json()["matches"] == []
    assert upload(matcher, altered(picture(1)), max_distance="99").status_code == 422
    assert upload(matcher, altered(picture(1)), max_distance="near").status_code == 422


def test_the_image_is_neither_stored_nor_written_to_disk(
    settings, matcher, graded_picture, tmp_path
):
    # Larger than Django's in-memory upload size: the default handlers would write a temporary
    # file, into a directory that does not exist here.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "absent")
    noise = np.random.default_rng(7).integers(0, 256, (1100, 1100, 3), dtype=np.uint8)
    large = png(Image.fromarray(noise, "RGB"))
    assert len(large) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    items, blobs = MediaItem.objects.count(), EvidenceBlob.objects.count()

    response = upload(matcher, large, "noise.png")

    assert response.status_code == 200
    assert (MediaItem.objects.count(), EvidenceBlob.objects.count()) == (items, blobs)
    assert not (tmp_path / "absent").exists()


def test_the_request_is_audited_without_the_images_hashes(matcher, graded_picture):
    copy = altered(picture(1))
    upload(matcher, copy)
    entry = AuditEntry.objects.get(action="lists.match")
    assert entry.detail["kind"] == "image"
    assert (entry.detail["hashes"], entry.detail["matches"]) == (4, 1)
    assert str(hash_bytes(copy).pdq) not in str(entry.detail)


def test_a_decompression_bomb_is_refused(matcher, graded_picture):
    response = upload(matcher, decompression_bomb(), "bomb.png")
    assert response.status_code == 422
    assert "pixels" in response.json()["detail"]


def test_a_truncated_image_is_refused(matcher, graded_picture):
    whole = altered(picture(1))
    response = upload(matcher, whole[: len(whole) // 2], "cut.jpg")
    assert response.status_code == 422
    assert "cannot be hashed" in response.json()["detail"]


def test_a_file_that_is_not_an_image_is_refused(matcher, graded_picture):
    response = upload(matcher, b"sample description, not a picture\n" * 10, "notes.txt")
    assert response.status_code == 422


def test_a_video_is_refused_rather_than_written_to_a_temporary_file(matcher, graded_picture):
    mp4_head = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500
    response = upload(matcher, mp4_head, "clip.mp4")
    assert response.status_code == 415


def test_an_image_over_the_size_limit_is_refused(settings, matcher, graded_picture):
    settings.HOTLINE_MATCH_MAX_IMAGE_BYTES = 4096
    response = upload(matcher, png(picture(1)) + b"\x00" * 5000, "big.png")
    assert response.status_code == 413
    assert "4096 bytes" in response.json()["detail"]


def test_an_image_over_the_limit_with_a_small_declared_length_is_still_refused(
    settings, matcher, graded_picture
):
    settings.HOTLINE_MATCH_MAX_IMAGE_BYTES = 70_000
    # Within the declared length's allowance for multipart overhead, but the image part is larger.
    response = upload(matcher, b"\x89PNG" + b"\x00" * 100_000, "big.png")
    assert response.status_code == 413


def test_a_request_without_an_image_is_refused(matcher, graded_picture):
    assert matcher.post(URL, {"note": "sample"}).status_code == 400
    response = matcher.post(URL, b"\x89PNG", content_type="image/png")
    assert response.status_code == 415


def test_a_key_without_the_match_scope_is_refused(make_key, graded_picture):
    _key, clear = make_key(("hashes",))
    client = Client(headers={"Authorization": f"Bearer {clear}"})
    assert upload(client, png(picture(1))).status_code == 403
