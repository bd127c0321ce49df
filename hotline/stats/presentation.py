"""Turning a year's figures into what the statistics page shows: headlines and charts."""

from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from hotline.stats.charts import Chart, Series, bar_chart, column_chart
from hotline.stats.figures import Breakdown, Tally, YearFigures


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    previous: str
    change: str


@dataclass(frozen=True)
class ChartSection:
    heading: str
    charts: tuple[Chart, ...]


def headlines(figures: YearFigures) -> tuple[Headline, ...]:
    """This year's totals beside last year's, with the change between them."""
    now, before = figures.totals, figures.previous
    counts = (
        (_("Reports received"), now.reports, before.reports),
        (_("Web addresses assessed"), now.assessed, before.assessed),
        (_("Web addresses confirmed"), now.confirmed, before.confirmed),
    )
    return (
        *(Headline(label, _count(a), _count(b), _change(a, b)) for label, a, b in counts),
        _share_headline(now, before),
    )


def _share_headline(now: Tally, before: Tally) -> Headline:
    label = _("Share of confirmed that was self-generated")
    change = ""
    if now.self_generated_share is not None and before.self_generated_share is not None:
        points = 100 * (now.self_generated_share - before.self_generated_share)
        change = _("%(points)s percentage points") % {"points": _signed(points)}
    return Headline(
        label, percent(now.self_generated_share), percent(before.self_generated_share), change
    )


def _change(now: int, before: int) -> str:
    if not before:
        return ""
    return _("%(change)s%%") % {"change": _signed(100 * (now - before) / before)}


def _signed(value: float) -> str:
    formatted = number_format(round(abs(value), 1), decimal_pos=1)
    if round(value, 1) == 0:
        return formatted
    # A true minus sign, which screen readers say as "minus" and which lines up with "+".
    return f"+{formatted}" if value > 0 else f"\u2212{formatted}"


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def percent(share: float | None) -> str:
    if share is None:
        return _("none confirmed")
    return _("%(share)s%%") % {"share": number_format(round(100 * share, 1), decimal_pos=1)}


def monthly_chart(figures: YearFigures) -> Chart:
    months = [date_format(month.month, "M") for month in figures.months]

    def series(name: str, attribute: str) -> Series:
        return Series(name, tuple(getattr(month.tally, attribute) for month in figures.months))

    received = series(_("Reports received"), "reports")
    confirmed = series(_("Web addresses confirmed"), "confirmed")
    table = [
        received,
        series(_("Web addresses assessed"), "assessed"),
        confirmed,
        series(_("Of those, self-generated"), "self_generated"),
    ]
    title = _("Reports received and web addresses confirmed in %(year)s, by month")
    return column_chart(
        "chart-monthly", title % {"year": figures.year}, months, [received, confirmed], table
    )


# Which breakdowns the page draws, under which heading, and what their table columns say.
SECTIONS = (
    (
        "confirmed",
        (
            ("urls_confirmed_by_age_band", "age_band", "addresses"),
            ("urls_confirmed_by_sex", "sex", "addresses"),
            ("urls_confirmed_by_category", "category", "addresses"),
            ("urls_confirmed_by_flag", "flag", "addresses"),
            ("urls_confirmed_by_source_kind", "source_kind", "addresses"),
            ("urls_assessed_by_outcome", "outcome", "addresses"),
        ),
    ),
    (
        "reports",
        (
            ("reports_received_by_where_seen", "where_seen", "reports"),
            ("reports_received_by_source_kind", "source_kind", "reports"),
            ("reports_received_by_source", "source", "reports"),
        ),
    ),
)


def breakdown_sections(figures: YearFigures) -> tuple[ChartSection, ...]:
    headings = {
        "confirmed": _("Web addresses assessed and confirmed"),
        "reports": _("Reports received"),
    }
    return tuple(
        ChartSection(
            headings[section],
            tuple(
                _breakdown_chart(figures.breakdown(measure), group, unit)
                for measure, group, unit in charts
            ),
        )
        for section, charts in SECTIONS
    )


def _breakdown_chart(breakdown: Breakdown, group: str, unit: str) -> Chart:
    group_headings = {
        "age_band": _("Age band"),
        "sex": _("Sex"),
        "category": _("Category"),
        "flag": _("Flag"),
        "source_kind": _("Kind of source"),
        "outcome": _("Outcome"),
        "where_seen": _("Where it was seen"),
        "source": _("Source"),
    }
    units = {"addresses": _("Web addresses"), "reports": _("Reports")}
    groups = [(item.label, item.value) for item in breakdown.groups]
    chart_id = "chart-" + breakdown.measure.replace("_", "-")
    heading = (group_headings[group], units[unit])
    return bar_chart(chart_id, breakdown.title, groups, heading, breakdown.share_base)
