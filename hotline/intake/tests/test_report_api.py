"""The report API: the form's rules in JSON, with clear statuses for every kind of bad request."""

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from hotline.intake.models import Channel, Report, ReportingSource, SourceKind, Url
from hotline.intake.source_keys import issue_key, revoke_key

pytestmark = pytest.mark.django_db

REPORT = {"urls": ["http://example.com/page"], "where_seen": "web_page", "content_kind": "images"}


def post(client: Client, body: object, **headers: Any):
    return client.post(
        "/api/v1/reports", json.dumps(body), content_type="application/json", **headers
    )


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def partner() -> ReportingSource:
    return ReportingSource.objects.create(
        name="Partner hotline", kind=SourceKind.PARTNER_HOTLINE, priority_weight=5
    )


def test_report_is_filed_and_answered_with_its_reference(client):
    response = post(client, {**REPORT, "description": "sample description"})
    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json() == {"reference": report.reference}
    assert report.channel == Channel.API
    assert report.source is None
    assert report.description == "sample description"
    assert Url.objects.get().canonical == "http://example.com/page"


def test_optional_fields_may_be_null(client):
    response = post(client, {**REPORT, "description": None, "contact_email": None})
    assert response.status_code == 201


def test_invalid_report_lists_every_problem_by_field_with_the_forms_wording(client):
    response = post(
        client,
        {"urls": ["http://example.com/", "javascript:alert(1)"], "where_seen": "nowhere"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The report was not accepted. Nothing was saved."
    errors = {(e["field"], e["index"]): e for e in body["errors"]}
    assert errors["urls", 1]["message"] == (
        "Address 2 (javascript:alert(1)): Only web addresses that start with http:// or "
        "https:// can be reported."
    )
    assert errors["where_seen", None]["message"] == "Choose where you saw it."
    assert "web_page" in errors["where_seen", None]["allowed"]
    assert errors["content_kind", None]["message"] == "Choose what it shows."
    assert Report.objects.count() == 0
    assert Url.objects.count() == 0


def test_wrongly_typed_fields_and_unknown_fields_are_named(client):
    response = post(
        client,
        {"urls": ["http://example.com/", 7], "where_seen": "chat", "content_kind": "text",
         "description": 12, "url": "typo"},
    )  # fmt: skip
    assert response.status_code == 422
    errors = {(e["field"], e["index"]): e["message"] for e in response.json()["errors"]}
    assert errors == {
        ("url", None): "Unknown field.",
        ("urls", 1): "Each address must be a string.",
        ("description", None): "This must be a string, or null.",
    }


def test_urls_that_are_not_a_list_are_refused(client):
    response = post(client, {**REPORT, "urls": "http://example.com/"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Give the addresses as a list of strings."


def test_body_that_is_not_an_object_is_refused(client):
    response = post(client, ["http://example.com/"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "The body must be a JSON object."


def test_data_address_is_refused(client):
    response = post(client, {**REPORT, "urls": ["data:text/html,<b>x</b>"]})
    assert response.status_code == 422
    assert Report.objects.count() == 0


def test_five_hundred_addresses_are_refused_naming_the_limit(client):
    urls = [f"http://example.com/{n}" for n in range(500)]
    response = post(client, {**REPORT, "urls": urls})
    assert response.status_code == 422
    assert "at most 100 addresses; this one has 500" in response.json()["errors"][0]["message"]
    assert Report.objects.count() == 0
    assert Url.objects.count() == 0


def test_html_description_is_stored_verbatim(client):
    description = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
    post(client, {**REPORT, "description": description})
    assert Report.objects.get().description == description


def test_malformed_json_is_a_bad_request(client):
    response = client.post("/api/v1/reports", '{"urls": [', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON. Nothing was saved."}


def test_body_that_is_not_utf8_is_a_bad_request(client):
    response = client.post(
        "/api/v1/reports", b'{"urls": ["\xff"]}', content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "application/xml"]
)
def test_body_that_is_not_json_is_unsupported(client, content_type):
    response = client.post("/api/v1/reports", json.dumps(REPORT), content_type=content_type)
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert Report.objects.count() == 0


def test_json_with_a_charset_is_accepted(client):
    response = client.post(
        "/api/v1/reports", json.dumps(REPORT), content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 201


def test_oversized_body_is_refused_in_json(client):
    body = {**REPORT, "description": "a" * (300 * 1024)}
    response = post(client, body)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large. Nothing was saved."}
    assert Report.objects.count() == 0


def test_same_idempotency_key_returns_the_same_report(client):
    first = post(client, REPORT, HTTP_IDEMPOTENCY_KEY="key-1")
    again = post(client, REPORT, HTTP_IDEMPOTENCY_KEY="key-1")
    other = post(client, REPORT, HTTP_IDEMPOTENCY_KEY="key-2")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert first.json() == again.json() != other.json()
    assert Report.objects.count() == 2
    assert Url.objects.get().report_count == 2


def test_idempotency_keys_of_different_sources_never_meet(client, partner):
    anonymous = post(client, REPORT, HTTP_IDEMPOTENCY_KEY="shared")
    keyed = post(
        client,
        REPORT,
        HTTP_IDEMPOTENCY_KEY="shared",
        HTTP_AUTHORIZATION=f"Bearer {issue_key(partner)}",
    )
    assert anonymous.status_code == keyed.status_code == 201
    assert anonymous.json() != keyed.json()


def test_overlong_idempotency_key_is_refused(client):
    response = post(client, REPORT, HTTP_IDEMPOTENCY_KEY="k" * 201)
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_source_key_marks_the_reports_source(client, partner):
    key = issue_key(partner)
    response = post(client, REPORT, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201
    assert Report.objects.get().source == partner
    url = Url.objects.get()
    assert (url.source_weight, url.priority) == (5, url.compute_priority())


@pytest.mark.parametrize(
    "authorization",
    ["Bearer hl_00000000.unknown", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer", ""],
)
def test_unknown_key_is_unauthorised(client, partner, authorization):
    issue_key(partner)
    response = post(client, REPORT, HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Report.objects.count() == 0


def test_key_with_the_right_prefix_but_wrong_secret_is_unauthorised(client, partner):
    prefix = issue_key(partner).partition(".")[0]
    response = post(client, REPORT, HTTP_AUTHORIZATION=f"Bearer {prefix}.wrong-secret")
    assert response.status_code == 401


def test_revoked_key_is_unauthorised(client, partner):
    key = issue_key(partner)
    revoke_key(key.partition(".")[0])
    assert post(client, REPORT, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_key_of_an_inactive_source_is_unauthorised(client, partner):
    key = issue_key(partner)
    ReportingSource.objects.filter(pk=partner.pk).update(active=False)
    assert post(client, REPORT, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@override_settings(HOTLINE_REPORT_RATE_LIMIT=2)
def test_anonymous_calls_are_rate_limited(client):
    statuses = [post(client, REPORT).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert "Too many reports" in post(client, REPORT).json()["detail"]
    assert Report.objects.count() == 2


@override_settings(HOTLINE_REPORT_RATE_LIMIT=2)
def test_keyed_sources_are_not_rate_limited_by_address(client, partner):
    key = issue_key(partner)
    statuses = [
        post(client, REPORT, HTTP_AUTHORIZATION=f"Bearer {key}").status_code for _ in range(5)
    ]
    assert statuses == [201] * 5


def test_get_is_not_allowed(client):
    assert client.get("/api/v1/reports").status_code == 405


def test_openapi_document_describes_the_report_endpoint(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/reports"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"urls", "where_seen", "content_kind"}
    assert "chat" in schema["properties"]["where_seen"]["enum"]
    assert {"201", "200", "400", "401", "413", "415", "422", "429"} <= set(operation["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
    assert "Bearer" in operation["description"]


def test_api_answers_in_french_when_asked(client):
    response = post(client, {**REPORT, "where_seen": ""}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["errors"][0]["message"] == "Choisissez où vous l’avez vu."  # noqa: RUF001


def test_api_answers_with_its_language_length_and_security_headers_but_no_cookie(client):
    response = post(client, REPORT, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 201
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]
    assert response["Content-Length"] == str(len(response.content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies


def test_api_refuses_a_host_it_does_not_serve(client):
    response = post(client, REPORT, HTTP_HOST="hotline.invalid")
    assert response.status_code == 400
    assert Report.objects.count() == 0
