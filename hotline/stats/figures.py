"""The figures a hotline publishes for one calendar year, aggregated in the database.

Months and years are those of the hotline's own time zone (settings.TIME_ZONE), so a report
received at 23:30 UTC on 31 August counts in September in London summer time. Only
assessments a second analyst confirmed (status CONFIRMED, dated by `decided_at`) count.
Every function issues a fixed number of queries whatever the amount of data.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet, TextChoices, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AgeBand, AssessmentStatus, Category, Outcome, Sex
from hotline.intake.models import Report, SourceKind, WhereSeen

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Counts = Mapping[str, int]

# How many years the year-on-year summary reaches back at most, the chosen year included.
HISTORY_YEARS = 5
NOT_RECORDED = "not_recorded"
PUBLIC = "public"


@dataclass(frozen=True)
class Group:
    """One bar of a breakdown: `code` is stable (the CSV uses it), `label` is for people."""

    code: str
    label: str
    value: int


@dataclass(frozen=True)
class Breakdown:
    """Counts by group. When a thing may fall in several groups (flags, the kinds of source
    that reported a url), `whole` is the number of things, which shares are taken of."""

    measure: str
    title: str
    groups: tuple[Group, ...]
    whole: int | None = None

    @property
    def total(self) -> int:
        return sum(group.value for group in self.groups)

    @property
    def share_base(self) -> int:
        return self.total if self.whole is None else self.whole


@dataclass(frozen=True)
class Tally:
    """The headline counts of a month or a year."""

    reports: int = 0
    assessed: int = 0
    confirmed: int = 0
    self_generated: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.reports + other.reports,
            self.assessed + other.assessed,
            self.confirmed + other.confirmed,
            self.self_generated + other.self_generated,
        )

    @property
    def self_generated_share(self) -> float | None:
        """The share of confirmed urls that were self-generated; None when nothing was."""
        return self.self_generated / self.confirmed if self.confirmed else None


@dataclass(frozen=True)
class MonthFigures:
    month: date
    tally: Tally


@dataclass(frozen=True)
class YearTotals:
    year: int
    tally: Tally


@dataclass(frozen=True)
class YearFigures:
    year: int
    months: tuple[MonthFigures, ...]
    totals: Tally
    previous: Tally
    history: tuple[YearTotals, ...]
    breakdowns: tuple[Breakdown, ...]

    def breakdown(self, measure: str) -> Breakdown:
        return next(item for item in self.breakdowns if item.measure == measure)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def current_year() -> int:
    return timezone.localdate(timezone=zone()).year


def year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=zone())


def first_year() -> int:
    """The year of the oldest report, or this year when there is none."""
    first = Report.objects.aggregate(first=Min("received_at"))["first"]
    return timezone.localtime(first, zone()).year if first else current_year()


def year_figures(year: int) -> YearFigures:
    start, end = year_start(year), year_start(year + 1)
    monthly = _monthly_tallies(year_start(year - HISTORY_YEARS + 1), end)
    history = _history(monthly, year)
    confirmed = history[-1].tally.confirmed
    reports = Report.objects.filter(received_at__gte=start, received_at__lt=end)
    assessed = _final_assessments().filter(decided_at__gte=start, decided_at__lt=end)
    breakdowns = (
        *_grade_breakdowns(assessed, confirmed),
        _where_seen_breakdown(reports),
        *_source_breakdowns(reports),
        _confirmed_by_source_kind(assessed, confirmed),
    )
    return YearFigures(
        year=year,
        months=_months_of(year, monthly),
        totals=history[-1].tally,
        previous=history[-2].tally,
        history=history,
        breakdowns=breakdowns,
    )


def _final_assessments() -> "QuerySet[Assessment]":
    return Assessment.objects.filter(status=AssessmentStatus.CONFIRMED)


def _monthly_tallies(start: datetime, end: datetime) -> dict[date, Tally]:
    """Tallies for every month with data in [start, end): two grouped queries."""
    tallies: dict[date, Tally] = defaultdict(Tally)
    reports = (
        Report.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at", tzinfo=zone()))
        .values("month")
        .annotate(reports=Count("pk"))
        .order_by()
    )
    for row in reports:
        tallies[_local_date(row["month"])] += Tally(reports=row["reports"])
    confirmed = Q(outcome=Outcome.CONFIRMED)
    assessments = (
        _final_assessments()
        .filter(decided_at__gte=start, decided_at__lt=end)
        .annotate(month=TruncMonth("decided_at", tzinfo=zone()))
        .values("month")
        .annotate(
            assessed=Count("pk"),
            confirmed=Count("pk", filter=confirmed),
            self_generated=Count("pk", filter=confirmed & Q(self_generated=True)),
        )
        .order_by()
    )
    for row in assessments:
        tallies[_local_date(row["month"])] += Tally(
            assessed=row["assessed"],
            confirmed=row["confirmed"],
            self_generated=row["self_generated"],
        )
    return tallies


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment, zone()).date()


def _months_of(year: int, tallies: Mapping[date, Tally]) -> tuple[MonthFigures, ...]:
    """Every month of a past year; this year's months up to now (or the last with data)."""
    today = timezone.localdate(timezone=zone())
    last = 12
    if year == today.year:
        with_data = [month.month for month in tallies if month.year == year]
        last = max([today.month, *with_data])
    months = [date(year, number, 1) for number in range(1, last + 1)]
    return tuple(MonthFigures(month, tallies.get(month, Tally())) for month in months)


def _history(tallies: Mapping[date, Tally], year: int) -> tuple[YearTotals, ...]:
    """The chosen and the previous year, and earlier ones back to the first with data."""
    totals: dict[int, Tally] = defaultdict(Tally)
    for month, tally in tallies.items():
        totals[month.year] += tally
    with_data = [each for each in totals if totals[each] != Tally()]
    first = min([year - 1, *with_data])
    return tuple(YearTotals(each, totals[each]) for each in range(first, year + 1))


# (measure, title, field, vocabulary) of the grade fields of confirmed urls.
GRADE_FIELDS: tuple[tuple[str, "StrPromise", str, type[TextChoices]], ...] = (
    ("urls_confirmed_by_age_band", _("Confirmed by age band"), "age_band", AgeBand),
    ("urls_confirmed_by_sex", _("Confirmed by sex"), "sex", Sex),
    ("urls_confirmed_by_category", _("Confirmed by category"), "category", Category),
)
FLAGS = (
    ("self_generated", _("Self-generated")),
    ("commercial", _("Commercial")),
    ("ai_generated", _("AI-generated")),
)


def _grade_breakdowns(assessed: "QuerySet[Assessment]", confirmed: int) -> tuple[Breakdown, ...]:
    """Outcomes, grades and flags of the year's final assessments, in one query."""
    counts = assessed.aggregate(**_grade_counts())
    outcomes = tuple(
        Group(code, str(label), counts[_alias("outcome", code)]) for code, label in Outcome.choices
    )
    flags = tuple(Group(flag, str(label), counts[_alias("flag", flag)]) for flag, label in FLAGS)
    return (
        Breakdown("urls_assessed_by_outcome", str(_("Assessed by outcome")), outcomes),
        *(
            _grade_breakdown(measure, title, field, vocabulary, counts)
            for measure, title, field, vocabulary in GRADE_FIELDS
        ),
        Breakdown("urls_confirmed_by_flag", str(_("Confirmed with a flag")), flags, confirmed),
    )


def _grade_counts() -> dict[str, Count]:
    confirmed = Q(outcome=Outcome.CONFIRMED)
    counts = {
        _alias("outcome", code): Count("pk", filter=Q(outcome=code)) for code in Outcome.values
    }
    for flag, _label in FLAGS:
        counts[_alias("flag", flag)] = Count("pk", filter=confirmed & Q(**{flag: True}))
    for _measure, _title, field, vocabulary in GRADE_FIELDS:
        for code in [*vocabulary.values, ""]:
            counts[_alias(field, code)] = Count("pk", filter=confirmed & Q(**{field: code}))
    return counts


def _alias(field: str, code: str) -> str:
    """Aggregate aliases must be plain identifiers; vocabulary codes hold dashes."""
    return f"{field}_{code}".replace("-", "_")


def _grade_breakdown(
    measure: str, title: "StrPromise", field: str, vocabulary: type[TextChoices], counts: Counts
) -> Breakdown:
    groups = [
        Group(code, str(label), counts[_alias(field, code)]) for code, label in vocabulary.choices
    ]
    if unrecorded := counts[_alias(field, "")]:
        groups.append(Group(NOT_RECORDED, str(_("Not recorded")), unrecorded))
    return Breakdown(measure, str(title), tuple(groups))


def _where_seen_breakdown(reports: "QuerySet[Report]") -> Breakdown:
    rows = reports.values("where_seen").annotate(n=Count("pk")).order_by()
    counts = {row["where_seen"]: row["n"] for row in rows}
    groups = tuple(
        Group(code, str(label), counts.get(code, 0)) for code, label in WhereSeen.choices
    )
    return Breakdown(
        "reports_received_by_where_seen", str(_("Reports by where it was seen")), groups
    )


def _source_breakdowns(reports: "QuerySet[Report]") -> tuple[Breakdown, Breakdown]:
    """Reports per source kind and per source; a report without a source is the public's."""
    rows = reports.values("source__kind", "source__name").annotate(n=Count("pk")).order_by()
    by_kind: dict[str, int] = defaultdict(int)
    by_source: dict[str, int] = defaultdict(int)
    for row in rows:
        by_kind[row["source__kind"] or PUBLIC] += row["n"]
        by_source[row["source__name"] or ""] += row["n"]
    return (
        _kind_breakdown("reports_received_by_source_kind", _("Reports by kind of source"), by_kind),
        Breakdown(
            "reports_received_by_source", str(_("Reports by source")), _source_groups(by_source)
        ),
    )


def _source_groups(by_source: Mapping[str, int]) -> tuple[Group, ...]:
    """The public first, then sources by number of reports."""
    public = Group(PUBLIC, pgettext("reporting source", "Public"), by_source.get("", 0))
    named = sorted(
        (item for item in by_source.items() if item[0]), key=lambda item: (-item[1], item[0])
    )
    return (public, *(Group(name, name, count) for name, count in named))


def _kind_breakdown(measure: str, title: "StrPromise", counts: Counts) -> Breakdown:
    groups = tuple(
        Group(code, str(label), counts.get(code, 0)) for code, label in SourceKind.choices
    )
    return Breakdown(measure, str(title), groups)


def _confirmed_by_source_kind(assessed: "QuerySet[Assessment]", confirmed: int) -> Breakdown:
    """Confirmed urls per kind of source that reported them; a url counts once for each kind."""
    kind = Coalesce("url__reported_urls__report__source__kind", Value(PUBLIC))
    rows = (
        assessed.filter(outcome=Outcome.CONFIRMED)
        .annotate(kind=kind)
        .values("kind")
        .annotate(n=Count("url", distinct=True))
        .order_by()
    )
    counts = {row["kind"]: row["n"] for row in rows}
    title = _("Confirmed by kind of source that reported them")
    breakdown = _kind_breakdown("urls_confirmed_by_source_kind", title, counts)
    return Breakdown(breakdown.measure, breakdown.title, breakdown.groups, confirmed)


def all_measures(figures: YearFigures) -> Iterable[tuple[str, str, str, int]]:
    """(period, measure, group, value) rows: the tidy long form that the CSV download holds."""
    for month in figures.months:
        yield from _tally_rows(month.month.strftime("%Y-%m"), month.tally)
    yield from _tally_rows(str(figures.year), figures.totals)
    for breakdown in figures.breakdowns:
        for group in breakdown.groups:
            yield str(figures.year), breakdown.measure, group.code, group.value


def _tally_rows(period: str, tally: Tally) -> Iterable[tuple[str, str, str, int]]:
    yield period, "reports_received", "all", tally.reports
    yield period, "urls_assessed", "all", tally.assessed
    yield period, "urls_confirmed", "all", tally.confirmed
    yield period, "urls_confirmed_self_generated", "all", tally.self_generated
