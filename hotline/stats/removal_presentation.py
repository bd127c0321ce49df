"""Time-to-removal charts and headlines for the statistics pages."""

from dataclasses import dataclass, replace

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hotline.stats.charts import Chart, bar_chart
from hotline.stats.presentation import percent
from hotline.stats.removal import LIMITS, RemovalFigures, RemovalGroup

# Providers and countries drawn in a chart; the table under it and the CSV have them all.
CHART_GROUPS = 15


@dataclass(frozen=True)
class RemovalHeadline:
    label: str
    value: str


def hours_text(hours: float | None) -> str:
    if hours is None:
        return _("none removed")
    if hours < 1:
        return _("%(minutes)s min") % {"minutes": number_format(round(hours * 60))}
    return _("%(hours)s h") % {"hours": number_format(round(hours, 1), decimal_pos=1)}


def headlines(figures: RemovalFigures) -> tuple[RemovalHeadline, ...]:
    overall = figures.overall
    limit_labels = {
        "2h": _("Removed within 2 hours"),
        "24h": _("Removed within 24 hours"),
        "7d": _("Removed within 7 days"),
    }
    return (
        RemovalHeadline(_("Addresses notified or referred"), number_format(overall.notified)),
        RemovalHeadline(_("Median time to removal"), hours_text(overall.median_hours)),
        *(
            RemovalHeadline(limit_labels[code], percent(overall.share_within(hours)))
            for code, hours in LIMITS
        ),
        RemovalHeadline(
            _("Removed before any notice"), number_format(figures.removed_before_notice)
        ),
    )


def distribution_chart(figures: RemovalFigures) -> Chart:
    labels = {
        "under_2h": _("Under 2 hours"),
        "2h_to_24h": _("2 to 24 hours"),
        "1d_to_7d": _("1 to 7 days"),
        "over_7d": _("Over 7 days"),
        "still_up": _("Not removed yet"),
    }
    groups = [(labels[code], count) for code, count in figures.overall.bucket_counts()]
    title = _("Time from notice to removal, %(year)s") % {"year": figures.year}
    return bar_chart("chart-removal-distribution", title, groups, (_("Time"), _("Addresses")))


def median_chart(
    chart_id: str, title: str, groups: tuple[RemovalGroup, ...], heading: str
) -> Chart:
    """Median minutes of the fastest groups as bars; the table ranks every group in full."""
    drawn = [
        (group.name, round((group.median_hours or 0) * 60))
        for group in groups
        if group.median_hours is not None
    ][:CHART_GROUPS]
    chart = bar_chart(chart_id, title, drawn, (heading, _("Median minutes to removal")))
    header = (
        heading,
        _("Notified"),
        _("Removed"),
        _("Median"),
        *(_("Within %(limit)s") % {"limit": code} for code, _hours in LIMITS),
    )
    return replace(chart, header=header, rows=tuple(_league_row(group) for group in groups))


def _league_row(group: RemovalGroup) -> tuple[str, ...]:
    return (
        group.name,
        number_format(group.notified),
        number_format(group.removed),
        hours_text(group.median_hours),
        *(percent(group.share_within(hours)) for _code, hours in LIMITS),
    )


def group_charts(figures: RemovalFigures) -> tuple[Chart, ...]:
    year = figures.year
    return (
        distribution_chart(figures),
        median_chart(
            "chart-removal-providers",
            _("Median time to removal by hosting provider, %(year)s") % {"year": year},
            figures.providers,
            _("Provider"),
        ),
        median_chart(
            "chart-removal-countries",
            _("Median time to removal by hosting country, %(year)s") % {"year": year},
            figures.countries,
            _("Country"),
        ),
    )
