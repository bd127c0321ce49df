"""Downloads over a real HTTP connection, read as a member's client would: streamed."""

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hotline.accounts.models import User
from hotline.assessment.media_grades import MediaGrade
from hotline.lists.models import MemberKey
from hotline.lists.publishing import publish


@pytest.fixture
def published_twice(
    transactional_db: None, make_grade: Callable[..., MediaGrade], analyst: User
) -> list[MediaGrade]:
    grades = [make_grade() for _ in range(5)]
    publish("hashes")
    grades.append(make_grade())
    grades[0].withdraw(analyst, "sample reason")
    publish("hashes")
    return grades


def test_a_member_streams_the_hash_list_and_a_delta_over_http(
    live_server: Any,
    published_twice: list[MediaGrade],
    make_key: Callable[..., tuple[MemberKey, str]],
) -> None:
    _key, clear = make_key(("hashes",))
    headers = {"Authorization": f"Bearer {clear}"}
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=10) as client:
        with client.stream("GET", "/api/v1/lists/hashes") as response:
            assert response.headers["content-type"] == "application/json"
            body = b"".join(response.iter_bytes())
        delta_csv = client.get("/api/v1/lists/hashes/delta", params={"since": 1, "format": "csv"})

    full = json.loads(body)
    assert (full["version"], len(full["entries"])) == (2, 5)
    rows = list(csv.DictReader(io.StringIO(delta_csv.text)))
    ops = sorted((row["sha256"], row["op"], row["reason"]) for row in rows)
    assert ops == sorted(
        [
            (published_twice[0].media_item.sha256, "remove", "sample reason"),
            (published_twice[-1].media_item.sha256, "add", ""),
        ]
    )


def test_a_wrong_key_over_http_is_refused_with_a_bearer_challenge(
    live_server: Any, published_twice: list[MediaGrade]
) -> None:
    response = httpx.get(
        f"{live_server.url}/api/v1/lists/hashes",
        headers={"Authorization": "Bearer hlm_00000000.sample"},
        timeout=10,
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "This key is not valid."}
