"""POST /api/v1/match: members ask whether hashes are on the published hash list."""

import json
from typing import Any

import pytest
from django.test import Client

from hashcore import hash_bytes
from hotline.assessment.media_grades import MediaGrade
from hotline.audit.models import AuditEntry
from hotline.capture.extraction import MediaKind
from hotline.capture.pipeline import media_item_for
from hotline.lists.publishing import publish
from hotline.lists.tests.match_support import altered, picture, png
from hotline.lists.tests.test_match_index import PDQ_A, near

pytestmark = pytest.mark.usefixtures("fresh_match_index")

URL = "/api/v1/match"
HASH_ENTRY_FIELDS = {
    "id",
    "md5",
    "sha1",
    "sha256",
    "pdq",
    "category",
    "age_band",
    "sex",
    "self_generated",
    "commercial",
    "ai_generated",
    "interpol_baseline",
    "industry",
    "added_in",
}


@pytest.fixture
def graded_picture(analyst, second_analyst):
    """A benign generated picture, stored as capture stores media, graded by one analyst,
    confirmed by a second, and published."""
    item = media_item_for(png(picture(1)), MediaKind.IMAGE)
    grade = MediaGrade.grade_item(item, analyst, category="B", age_band="11-13", sex="girls")
    grade.confirm(second_analyst)
    assert publish("hashes").added == 1
    return grade


def ask(client: Client, hashes: list[Any], **fields):
    return client.post(URL, {"hashes": hashes, **fields}, content_type="application/json")


def pdq(value: str | None) -> dict[str, Any]:
    return {"type": "pdq", "value": value}


def test_a_member_matches_a_near_duplicate_of_a_graded_picture(matcher, graded_picture):
    copy = hash_bytes(altered(picture(1)))
    far = hash_bytes(png(picture(2)))

    response = ask(matcher, [pdq(far.pdq), pdq(copy.pdq)])

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    [match] = body["matches"]
    assert match["query"] == 1
    assert 0 < match["distance"] <= 31
    entry = match["entry"]
    assert set(entry) == HASH_ENTRY_FIELDS
    assert entry["sha256"] == graded_picture.media_item.sha256
    assert (entry["category"], entry["age_band"], entry["industry"]) == ("B", "11-13", "A1")
    assert entry["added_in"] == 1


def test_exact_digests_match_at_distance_zero(matcher, graded_picture):
    item = graded_picture.media_item
    hashes = [{"type": kind, "value": getattr(item, kind).upper()} for kind in ("md5", "sha256")]
    body = ask(matcher, hashes).json()
    assert [(m["query"], m["distance"]) for m in body["matches"]] == [(0, 0), (1, 0)]


def test_nothing_on_the_list_answers_an_empty_list_of_matches(matcher, graded_picture):
    body = ask(matcher, [{"type": "sha1", "value": "ab" * 20}]).json()
    assert body == {"version": 1, "matches": []}


def test_max_distance_narrows_the_search(matcher, make_media_item, make_grade):
    make_grade(make_media_item(pdq=PDQ_A))
    publish("hashes")
    assert len(ask(matcher, [pdq(near(PDQ_A, 12))], max_distance=12).json()["matches"]) == 1
    assert ask(matcher, [pdq(near(PDQ_A, 12))], max_distance=11).json()["matches"] == []


def test_the_hotlines_threshold_bounds_every_search(settings, matcher, make_media_item, make_grade):
    settings.HOTLINE_PDQ_MATCH_THRESHOLD = 10
    make_grade(make_media_item(pdq=PDQ_A))
    publish("hashes")
    assert ask(matcher, [pdq(near(PDQ_A, 11))]).json()["matches"] == []
    assert len(ask(matcher, [pdq(near(PDQ_A, 10))]).json()["matches"]) == 1

    response = ask(matcher, [pdq(PDQ_A)], max_distance=11)
    assert response.status_code == 422
    assert "at most 10" in response.json()["detail"]


def test_a_thousand_hashes_are_matched_in_one_request(matcher, graded_picture):
    hashes = [pdq(f"{n:064x}") for n in range(999)] + [pdq(graded_picture.media_item.pdq)]
    response = ask(matcher, hashes)
    assert response.status_code == 200
    assert [m["query"] for m in response.json()["matches"]] == [999]


@pytest.mark.parametrize("count", [1001, 10_001])
def test_more_than_a_thousand_hashes_are_refused_naming_the_limit(matcher, graded_picture, count):
    response = ask(matcher, [pdq(f"{n:064x}") for n in range(count)])
    assert response.status_code == 413
    assert "1000" in response.json()["detail"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"type": "pdq", "value": "ab" * 31}, "64 hexadecimal"),
        ({"type": "md5", "value": "zz" * 16}, "32 hexadecimal"),
        ({"type": "photodna", "value": "ab" * 16}, "pdq"),
        ({"type": "sha1"}, "required"),
        ("ab" * 32, "required"),
    ],
)
def test_a_malformed_hash_is_refused_naming_its_position(matcher, graded_picture, bad, message):
    response = ask(matcher, [pdq(PDQ_A), pdq(PDQ_A), bad])
    assert response.status_code == 422
    problems = response.json()["errors"]
    assert {problem["index"] for problem in problems} == {2}
    assert all(problem["field"].startswith("hashes") for problem in problems)
    assert message in problems[0]["message"]


def test_a_body_that_is_not_json_is_refused(matcher, db):
    response = matcher.post(URL, "not json", content_type="application/json")
    assert response.status_code == 400
    response = matcher.post(URL, {"hashes": []})
    assert response.status_code == 415


def test_unknown_fields_are_refused(matcher, db):
    response = ask(matcher, [], threshold=3)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "threshold"


def test_a_key_without_the_match_scope_is_refused(make_key, graded_picture):
    _key, clear = make_key(("hashes",))
    client = Client(headers={"Authorization": f"Bearer {clear}"})
    response = ask(client, [pdq(PDQ_A)])
    assert response.status_code == 403


def test_no_key_or_a_wrong_key_is_refused(graded_picture):
    assert ask(Client(), [pdq(PDQ_A)]).status_code == 401
    wrong = Client(headers={"Authorization": "Bearer hlm_00000000.nothing"})
    assert ask(wrong, [pdq(PDQ_A)]).status_code == 401


def test_each_request_is_audited_with_counts_and_never_the_hashes(matcher, graded_picture):
    queried = graded_picture.media_item.pdq
    ask(matcher, [pdq(queried), pdq(near(queried, 200))])
    entry = AuditEntry.objects.filter(action="lists.match").get()
    assert entry.detail == {
        "member": "Sample Platform Ltd",
        "kind": "hashes",
        "hashes": 2,
        "matches": 1,
    }
    assert queried not in json.dumps(entry.detail)


def test_a_member_over_the_rate_limit_is_asked_to_slow_down(settings, matcher, graded_picture):
    settings.HOTLINE_MATCH_RATE_LIMIT = 2
    assert ask(matcher, [pdq(PDQ_A)]).status_code == 200
    assert ask(matcher, [pdq(PDQ_A)]).status_code == 200
    response = ask(matcher, [pdq(PDQ_A)])
    assert response.status_code == 429
    assert "2 a minute" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_openapi_document_describes_the_match_api(client, db):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/match"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["hashes"]["maxItems"] == 1000
    assert {"200", "401", "403", "413", "422", "429"} <= set(operation["responses"])
    image = document["paths"]["/api/v1/match/image"]["post"]
    assert "multipart/form-data" in image["requestBody"]["content"]
    assert "MatchResult" in document["components"]["schemas"]
