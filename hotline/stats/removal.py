"""Time to removal: from the first notice or referral accepted by the mail server to the first
of the consecutive checks that found the content gone (see hotline.takedown.rechecks).

Cases count in the year (hotline's time zone) of their first notice. A case still online counts
as not removed within any limit; one removed before any notice was sent is counted apart and has
no time to removal. Computed in Python from one query, since medians are not portable SQL.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from hotline.stats.figures import year_start
from hotline.takedown.models import TakedownCase

# When a case was first notified, and when its content was removed (None: still online).
Times = tuple[datetime | None, datetime | None]
LIMITS = (("2h", 2.0), ("24h", 24.0), ("7d", 168.0))
BUCKETS = (
    ("under_2h", 0.0, 2.0),
    ("2h_to_24h", 2.0, 24.0),
    ("1d_to_7d", 24.0, 168.0),
    ("over_7d", 168.0, float("inf")),
)


@dataclass(frozen=True)
class RemovalGroup:
    """The removal times of one group of cases (all, one provider, one country), in hours."""

    name: str
    hours: tuple[float, ...]
    still_up: int

    @property
    def notified(self) -> int:
        return len(self.hours) + self.still_up

    @property
    def removed(self) -> int:
        return len(self.hours)

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.hours) if self.hours else None

    def share_within(self, hours: float) -> float | None:
        """Of the cases notified, the share removed within `hours` (still-up ones count as not)."""
        if not self.notified:
            return None
        return sum(1 for value in self.hours if value <= hours) / self.notified

    def bucket_counts(self) -> list[tuple[str, int]]:
        counts = [
            (code, sum(1 for value in self.hours if low <= value < high))
            for code, low, high in BUCKETS
        ]
        return [*counts, ("still_up", self.still_up)]


@dataclass(frozen=True)
class RemovalFigures:
    year: int
    overall: RemovalGroup
    providers: tuple[RemovalGroup, ...]
    countries: tuple[RemovalGroup, ...]
    removed_before_notice: int


def removal_figures(year: int) -> RemovalFigures:
    rows = list(
        TakedownCase.objects.filter(
            first_notified_at__gte=year_start(year), first_notified_at__lt=year_start(year + 1)
        ).values_list(
            "provider__name", "partner__name", "country_code", "first_notified_at", "removed_at"
        )
    )
    early = TakedownCase.objects.filter(
        removed_before_notice=True,
        removed_at__gte=year_start(year),
        removed_at__lt=year_start(year + 1),
    ).count()
    by_provider: dict[str, list[Times]] = defaultdict(list)
    by_country: dict[str, list[Times]] = defaultdict(list)
    for provider, partner, country, notified, removed in rows:
        by_provider[provider or partner or _("unknown")].append((notified, removed))
        by_country[country or _("unknown")].append((notified, removed))
    everything = [(notified, removed) for *_rest, notified, removed in rows]
    return RemovalFigures(
        year=year,
        overall=_group(_("All"), everything),
        providers=_ranked(by_provider),
        countries=_ranked(by_country),
        removed_before_notice=early,
    )


def _group(name: str, times: Iterable[Times]) -> RemovalGroup:
    hours, still_up = [], 0
    for notified, removed in times:
        if notified is None:
            continue
        if removed is None:
            still_up += 1
        else:
            hours.append(max((removed - notified).total_seconds() / 3600, 0.0))
    return RemovalGroup(name, tuple(sorted(hours)), still_up)


def _ranked(groups: dict[str, list[Times]]) -> tuple[RemovalGroup, ...]:
    """Fastest first: by share removed within 24 hours, then by median."""
    built = [_group(name, times) for name, times in groups.items()]
    return tuple(
        sorted(
            built,
            key=lambda group: (
                -(group.share_within(24.0) or 0.0),
                group.median_hours if group.median_hours is not None else float("inf"),
                group.name,
            ),
        )
    )


def measures(figures: RemovalFigures) -> Iterable[tuple[object, ...]]:
    """Rows of (period, measure, group, value) for the statistics CSV."""
    year = figures.year
    yield (year, "removal_cases_notified", "all", figures.overall.notified)
    yield (year, "removal_cases_removed_before_notice", "all", figures.removed_before_notice)
    for kind, groups in (
        ("all", (figures.overall,)),
        ("provider", figures.providers),
        ("country", figures.countries),
    ):
        for group in groups:
            label = "all" if kind == "all" else f"{kind}:{group.name}"
            yield from _group_rows(year, label, group)


def _group_rows(year: int, label: str, group: RemovalGroup) -> Iterable[tuple[object, ...]]:
    median = group.median_hours
    yield (year, "removal_median_hours", label, "" if median is None else round(median, 2))
    for code, hours in LIMITS:
        share = group.share_within(hours)
        yield (
            year,
            f"removal_share_within_{code}",
            label,
            _rounded(share),
        )
    for code, count in group.bucket_counts():
        yield (year, f"removal_time_{code}", label, count)


LEAGUE_HEADER = (
    "provider",
    "notified",
    "removed",
    "still_up",
    "median_hours",
    "share_within_2h",
    "share_within_24h",
    "share_within_7d",
)


def league_rows(figures: RemovalFigures) -> Iterable[tuple[object, ...]]:
    for group in figures.providers:
        median = group.median_hours
        yield (
            group.name,
            group.notified,
            group.removed,
            group.still_up,
            "" if median is None else round(median, 2),
            *(_rounded(group.share_within(hours)) for _code, hours in LIMITS),
        )


def _rounded(share: float | None) -> object:
    return "" if share is None else round(share, 4)
