"""Benign cases for the console's tests: reserved-domain urls and neutral report text."""

import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hotline.accounts.models import User
from hotline.assessment import pregrading
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus, Outcome
from hotline.audit.models import AuditEntry
from hotline.capture.keys import new_key, parse_keys
from hotline.intake.models import Channel, ContentKind, Report, ReportedUrl, Url, WhereSeen

_numbers = itertools.count(1)

CONFIRMED_GRADE: dict[str, Any] = {
    "outcome": Outcome.CONFIRMED,
    "category": "B",
    "age_band": "11-13",
    "sex": "girls",
    "notes": "sample notes",
}


@pytest.fixture
def make_url(db: None) -> Callable[..., Url]:
    def make(**fields: Any) -> Url:
        number = next(_numbers)
        canonical = fields.pop("canonical", f"http://site{number}.example.com/page/{number}")
        now = timezone.now()
        defaults: dict[str, Any] = {
            "host": f"site{number}.example.com",
            "report_count": 1,
            "source_count": 1,
            "priority": 1,
            "first_reported_at": now - timedelta(hours=1),
            "last_reported_at": now,
        }
        return Url.objects.create(
            canonical=canonical,
            canonical_hash=Url.hash_canonical(canonical),
            **{**defaults, **fields},
        )

    return make


@pytest.fixture
def make_report(db: None) -> Callable[..., Report]:
    def make(url: Url, **fields: Any) -> Report:
        number = next(_numbers)
        defaults: dict[str, Any] = {
            "reference": f"HL-TEST{number:08d}",
            "received_at": timezone.now(),
            "where_seen": WhereSeen.WEB_PAGE,
            "content_kind": ContentKind.IMAGES,
            "description": "sample description",
            "channel": Channel.WEB_FORM,
        }
        report = Report.objects.create(**{**defaults, **fields})
        ReportedUrl.objects.create(report=report, url=url, submitted=url.canonical)
        return report

    return make


@pytest.fixture
def url(make_url: Callable[..., Url]) -> Url:
    return make_url()


@pytest.fixture
def awaiting(url: Url, analyst: User, analyst_client: Client) -> Assessment:
    """A confirmed grade by `analyst`, waiting for a second analyst."""
    analyst_client.post(f"/staff/cases/{url.pk}/claim/")
    response = analyst_client.post(f"/staff/cases/{url.pk}/assess/", CONFIRMED_GRADE)
    assert response.status_code == 302, response.content.decode()
    return Assessment.objects.get(url=url, status=AssessmentStatus.AWAITING_CONFIRMATION)


def audit_actions(**filters: Any) -> list[str]:
    return list(AuditEntry.objects.filter(**filters).values_list("action", flat=True))


def page_text(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def evidence(settings: Any, tmp_path: Any) -> None:
    """A local evidence store of the test's own, under a fresh master key."""
    settings.HOTLINE_EVIDENCE_STORAGE = "local"
    settings.HOTLINE_EVIDENCE_DIR = tmp_path / "evidence"
    settings.HOTLINE_EVIDENCE_MASTER_KEYS = [parse_keys(new_key(), "test")[0]]


@pytest.fixture(autouse=True)
def fresh_known_grades(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's database numbers grades from 1 again: the process's index must start empty."""
    monkeypatch.setattr(pregrading, "known_grades", pregrading.KnownGrades())
