import csv
import io
import json
from collections.abc import Callable

import pytest
from django.test import Client

from hotline.accounts.models import User
from hotline.assessment.media_grades import MediaGrade
from hotline.audit.models import AuditEntry
from hotline.intake.models import Url
from hotline.lists.models import Download, Keyword, ListEntry, MemberKey
from hotline.lists.publishing import publish

pytestmark = pytest.mark.django_db


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _json(response: object) -> dict[str, object]:
    document: dict[str, object] = json.loads(_body(response))
    return document


def test_a_member_downloads_the_latest_hash_list_as_json(
    member_client: Client, make_grade: Callable[..., MediaGrade]
) -> None:
    grade = make_grade(category="A", age_band="3-6")
    publish("hashes")

    response = member_client.get("/api/v1/lists/hashes")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = _json(response)
    item = grade.media_item
    assert document == {
        "list": "hashes",
        "version": 1,
        "since": None,
        "entries": [
            {
                "id": ListEntry.objects.get().pk,
                "md5": item.md5,
                "sha1": item.sha1,
                "sha256": item.sha256,
                "pdq": item.pdq,
                "category": "A",
                "age_band": "3-6",
                "sex": "girls",
                "self_generated": False,
                "commercial": False,
                "ai_generated": False,
                "interpol_baseline": True,
                "industry": "A1",
                "added_in": 1,
            }
        ],
    }


def test_a_member_downloads_an_older_version_as_csv(
    member_client: Client, make_grade: Callable[..., MediaGrade]
) -> None:
    first = make_grade()
    publish("hashes")
    make_grade()
    publish("hashes")

    response = member_client.get("/api/v1/lists/hashes?version=1&format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(_body(response).decode())))
    assert [row["sha256"] for row in rows] == [first.media_item.sha256]
    assert (rows[0]["interpol_baseline"], rows[0]["added_in"]) == ("true", "1")
    assert response["X-List-Version"] == "1"


def test_the_delta_names_additions_and_removals_with_reasons(
    member_client: Client, make_grade: Callable[..., MediaGrade], analyst: User
) -> None:
    withdrawn = make_grade()
    publish("hashes")
    added = make_grade()
    withdrawn.withdraw(analyst, "sample reason")
    publish("hashes")

    document = _json(member_client.get("/api/v1/lists/hashes/delta?since=1"))

    assert (document["version"], document["since"]) == (2, 1)
    ops = {(e["sha256"], e["op"], e["reason"]) for e in document["entries"]}  # type: ignore[attr-defined]
    assert ops == {
        (added.media_item.sha256, "add", ""),
        (withdrawn.media_item.sha256, "remove", "sample reason"),
    }


def test_a_delta_from_the_latest_version_is_empty(
    member_client: Client, make_grade: Callable[..., MediaGrade]
) -> None:
    make_grade()
    publish("hashes")

    csv_text = _body(member_client.get("/api/v1/lists/hashes/delta?since=1&format=csv")).decode()

    assert csv_text.splitlines()[0].endswith("added_in,op,reason")
    assert len(csv_text.splitlines()) == 1


def test_url_and_keyword_lists_have_their_own_fields(
    member_client: Client,
    make_confirmed_url: Callable[..., Url],
    make_keyword: Callable[..., Keyword],
) -> None:
    url = make_confirmed_url(category="C")
    make_keyword("token-alpha")
    publish("urls")
    publish("keywords")

    urls = _json(member_client.get("/api/v1/lists/urls"))["entries"]
    keywords = _json(member_client.get("/api/v1/lists/keywords"))["entries"]

    assert [(e["url"], e["category"], e["added_in"]) for e in urls] == [(url.canonical, "C", 1)]  # type: ignore[attr-defined]
    assert [set(e) for e in keywords] == [{"id", "term", "added_in"}]  # type: ignore[attr-defined]


def test_the_index_names_only_the_lists_the_key_may_read(
    make_key: Callable[..., tuple[MemberKey, str]], make_grade: Callable[..., MediaGrade]
) -> None:
    make_grade()
    publish("hashes")
    _key, clear = make_key(("hashes", "match"))

    response = Client().get("/api/v1/lists/", headers={"Authorization": f"Bearer {clear}"})

    assert [(item["name"], item["version"], item["entry_count"]) for item in response.json()] == [
        ("hashes", 1, 1)
    ]


def test_every_download_is_recorded(
    member_client: Client, make_grade: Callable[..., MediaGrade], member: object
) -> None:
    make_grade()
    publish("hashes")

    member_client.get("/api/v1/lists/hashes/delta?since=0&format=csv")

    download = Download.objects.get()
    assert (download.member, download.list_name, download.version, download.since) == (
        member,
        "hashes",
        1,
        0,
    )
    assert download.format == "csv"
    assert AuditEntry.objects.filter(action="lists.downloaded").count() == 1


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("since=9", 400, "Version 9 of this list is not published: the latest is 1."),
        ("since=-1", 422, None),
        ("since=seven", 422, None),
        ("", 422, None),
    ],
)
def test_a_bad_since_version_is_refused_clearly(
    member_client: Client,
    make_grade: Callable[..., MediaGrade],
    query: str,
    status: int,
    message: str | None,
) -> None:
    make_grade()
    publish("hashes")

    response = member_client.get(f"/api/v1/lists/hashes/delta?{query}")

    assert response.status_code == status
    if message is not None:
        assert response.json() == {"detail": message}
    else:
        assert response.json()["detail"][0]["loc"] == ["query", "since"]
    assert not Download.objects.exists()


def test_a_version_that_does_not_exist_is_not_found(
    member_client: Client, make_grade: Callable[..., MediaGrade]
) -> None:
    assert member_client.get("/api/v1/lists/hashes").json() == {
        "detail": "This list has not been published yet."
    }
    make_grade()
    publish("hashes")

    response = member_client.get("/api/v1/lists/hashes?version=2")

    assert response.status_code == 404
    assert response.json()["detail"] == "Version 2 of this list does not exist: the latest is 1."


def test_an_unknown_list_is_not_found(member_client: Client) -> None:
    response = member_client.get("/api/v1/lists/passwords")

    assert response.status_code == 404
    assert "hashes, urls, keywords" in response.json()["detail"]


def test_an_unknown_format_is_refused(
    member_client: Client, make_grade: Callable[..., MediaGrade]
) -> None:
    make_grade()
    publish("hashes")

    assert member_client.get("/api/v1/lists/hashes?format=xml").status_code == 422


def test_the_lists_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {"/api/v1/lists/", "/api/v1/lists/{name}", "/api/v1/lists/{name}/delta"} <= set(paths)
    download = paths["/api/v1/lists/{name}"]["get"]
    assert set(download["responses"]["200"]["content"]) == {"application/json", "text/csv"}
