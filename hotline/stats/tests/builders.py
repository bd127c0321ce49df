"""Hand-built, benign data for the statistics tests: reports, urls and assessments by the ORM."""

import itertools
from datetime import datetime
from typing import Any

from hotline.accounts.models import User
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AgeBand, AssessmentStatus, Category, Outcome, Sex
from hotline.intake.models import (
    Channel,
    ContentKind,
    Report,
    ReportedUrl,
    ReportingSource,
    SourceKind,
    Url,
    WhereSeen,
)

_numbers = itertools.count(1)


def make_source(name: str, kind: str = SourceKind.PLATFORM) -> ReportingSource:
    return ReportingSource.objects.create(name=name, kind=kind)


def make_url(received_at: datetime) -> Url:
    canonical = f"https://images.example.com/gallery/{next(_numbers)}"
    return Url.objects.create(
        canonical=canonical,
        canonical_hash=Url.hash_canonical(canonical),
        host="images.example.com",
        first_reported_at=received_at,
        last_reported_at=received_at,
    )


def make_report(
    received_at: datetime,
    *,
    source: ReportingSource | None = None,
    where_seen: str = WhereSeen.WEB_PAGE,
    urls: tuple[Url, ...] = (),
) -> Report:
    report = Report.objects.create(
        reference=f"HL-TEST{next(_numbers):08d}",
        received_at=received_at,
        where_seen=where_seen,
        content_kind=ContentKind.IMAGES,
        description="sample description",
        source=source,
        channel=Channel.WEB_FORM if source is None else Channel.API,
    )
    for url in urls:
        ReportedUrl.objects.create(report=report, url=url, submitted=url.canonical)
    return report


def confirmed_grade(**changes: Any) -> dict[str, Any]:
    grade = {
        "outcome": Outcome.CONFIRMED,
        "category": Category.C,
        "age_band": AgeBand.AGE_11_13,
        "sex": Sex.GIRLS,
    }
    return {**grade, **changes}


def make_assessment(
    url: Url,
    analyst: User,
    decided_at: datetime | None,
    *,
    status: str = AssessmentStatus.CONFIRMED,
    **grade: Any,
) -> Assessment:
    fields = grade or {"outcome": Outcome.NOT_ILLEGAL}
    return Assessment.objects.create(
        url=url, analyst=analyst, status=status, decided_at=decided_at, **fields
    )


def reported_and_assessed(
    when: datetime, analyst: User, *, source: ReportingSource | None = None, **grade: Any
) -> Assessment:
    """One report naming one new url, and that url's final assessment at the same moment."""
    url = make_url(when)
    make_report(when, source=source, urls=(url,))
    return make_assessment(url, analyst, when, **grade)
