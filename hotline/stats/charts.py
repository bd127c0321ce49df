"""Server-rendered SVG charts, each with the data table that follows it on the page.

The strict CSP forbids inline styles and scripts, so the markup carries CSS classes only
(styled in hotline.css) and every piece of text is escaped here. An SVG has role="img" and
is named by its <title>; the table is what screen readers and exact readers use.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
LINE_CHARACTERS = 20


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    """An SVG and its table: `header` names the columns, each row starts with its label."""

    chart_id: str
    title: str
    svg: SafeString
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def nice_ticks(maximum: float, count: int = 5) -> list[int]:
    """Whole-number ticks from 0 in steps of 1, 2 or 5 times a power of ten, covering maximum."""
    step = _nice_step(maximum / count) if maximum > 0 else 1
    top = max(step, math.ceil(maximum / step) * step)
    return list(range(0, top + 1, step))


def _nice_step(raw: float) -> int:
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return max(1, round(step))


def column_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    table: Sequence[Series] | None = None,
) -> Chart:
    """Vertical bars grouped by category (months), one colour per series, with a legend.

    The table shows `table` when given (it may hold more columns than are drawn).
    """
    layout = _ColumnLayout(len(categories), len(series), _maximum(series))
    parts = [
        _value_grid(layout),
        *(_column_series(layout, index, item, categories) for index, item in enumerate(series)),
        _category_labels(layout, categories),
        _legend(series),
    ]
    svg = _svg(chart_id, title, layout.width, layout.height, "chart-columns", parts)
    columns = series if table is None else table
    header = (_("Month"), *(item.name for item in columns))
    rows = tuple(
        (category, *(_number(item.values[index]) for item in columns))
        for index, category in enumerate(categories)
    )
    return Chart(chart_id, title, svg, header, rows)


def bar_chart(
    chart_id: str,
    title: str,
    groups: Sequence[tuple[str, int]],
    heading: Sequence[str],
    share_base: int | None = None,
) -> Chart:
    """Horizontal bars, one per group; `heading` names the group and value columns.

    Shares are of `share_base`, by default of the sum of the groups.
    """
    layout = _BarLayout(len(groups), max((value for _label, value in groups), default=0))
    parts = [
        _bar_grid(layout),
        *(_bar(layout, index, *group) for index, group in enumerate(groups)),
    ]
    svg = _svg(chart_id, title, layout.width, layout.height, "chart-bars", parts)
    total = sum(value for _label, value in groups) if share_base is None else share_base
    rows = tuple((label, _number(value), _share(value, total)) for label, value in groups)
    return Chart(chart_id, title, svg, (*heading, _("Share")), rows)


@dataclass(frozen=True)
class _ColumnLayout:
    categories: int
    series: int
    maximum: int
    width: int = 720
    height: int = 320
    left: int = 52
    right: int = 12
    top: int = 40
    bottom: int = 36

    @property
    def ticks(self) -> list[int]:
        return nice_ticks(self.maximum)

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def band(self) -> float:
        return (self.width - self.left - self.right) / max(self.categories, 1)

    @property
    def bar_width(self) -> float:
        return self.band * 0.8 / max(self.series, 1)

    def y(self, value: float) -> float:
        return self.top + self.plot_height * (1 - value / self.ticks[-1])

    def x(self, category: int, series: int) -> float:
        return self.left + self.band * (category + 0.1) + self.bar_width * series


@dataclass(frozen=True)
class _BarLayout:
    groups: int
    maximum: int
    width: int = 460
    label_width: int = 164
    right: int = 44
    top: int = 28
    row: int = 38

    @property
    def ticks(self) -> list[int]:
        return nice_ticks(self.maximum, count=4)

    @property
    def height(self) -> int:
        return self.top + self.row * max(self.groups, 1) + 8

    def x(self, value: float) -> float:
        plot_width = self.width - self.label_width - self.right
        return self.label_width + plot_width * value / self.ticks[-1]


def _value_grid(layout: _ColumnLayout) -> SafeString:
    lines = []
    for tick in layout.ticks:
        y = layout.y(tick)
        lines.append(_element("line", x1=layout.left, x2=layout.width - layout.right, y1=y, y2=y))
        lines.append(
            _element("text", _number(tick), x=layout.left - 6, y=y + 4, **{"text-anchor": "end"})
        )
    return _element("g", _join(lines), **{"class": "grid"})


def _column_series(
    layout: _ColumnLayout, index: int, series: Series, categories: Sequence[str]
) -> SafeString:
    bars = []
    for category, value in enumerate(series.values):
        if value <= 0:
            continue
        tip = _element("title", f"{categories[category]}: {series.name} {_number(value)}")
        y = layout.y(value)
        bars.append(
            _element(
                "rect",
                tip,
                x=layout.x(category, index),
                y=y,
                width=layout.bar_width,
                height=layout.top + layout.plot_height - y,
            )
        )
    css_class = f"bar series-{index + 1}"
    return _element("g", _join(bars), **{"class": css_class})


def _category_labels(layout: _ColumnLayout, categories: Sequence[str]) -> SafeString:
    y = layout.height - layout.bottom + 18
    labels = [
        _element("text", label, x=layout.left + layout.band * (index + 0.5), y=y)
        for index, label in enumerate(categories)
    ]
    baseline = layout.height - layout.bottom
    axis = _element(
        "line", x1=layout.left, x2=layout.width - layout.right, y1=baseline, y2=baseline
    )
    content = _join([axis, *labels])
    return _element("g", content, **{"class": "axis-labels", "text-anchor": "middle"})


def _legend(series: Sequence[Series]) -> SafeString:
    items, x = [], 52.0
    for index, item in enumerate(series):
        swatch = _element(
            "rect", x=x, y=10, width=14, height=14, **{"class": f"series-{index + 1}"}
        )
        items.append(swatch + _element("text", item.name, x=x + 20, y=21))
        x += 40 + 7.5 * len(item.name)
    return _element("g", _join(items), **{"class": "legend"})


def _bar_grid(layout: _BarLayout) -> SafeString:
    lines = []
    bottom = layout.height - 8
    for tick in layout.ticks:
        x = layout.x(tick)
        lines.append(_element("line", x1=x, x2=x, y1=layout.top - 6, y2=bottom))
        lines.append(_element("text", _number(tick), x=x, y=layout.top - 10))
    return _element("g", _join(lines), **{"class": "grid", "text-anchor": "middle"})


def _bar(layout: _BarLayout, index: int, label: str, value: int) -> SafeString:
    top = layout.top + layout.row * index
    middle = top + layout.row / 2 + 5
    parts = [
        _label(label, layout.label_width - 8, middle),
        _element("text", _number(value), x=layout.x(value) + 6, y=middle, **{"class": "value"}),
    ]
    if value > 0:
        tip = _element("title", f"{label}: {_number(value)}")
        width = layout.x(value) - layout.label_width
        bar = _element(
            "rect", tip, x=layout.label_width, y=top + 6, width=width, height=layout.row - 12
        )
        parts.insert(0, bar)
    return _element("g", _join(parts), **{"class": "bar-row"})


def _label(label: str, x: float, middle: float) -> SafeString:
    """A group's name right-aligned before its bar, on two lines when it is long."""
    lines = label_lines(label)
    if len(lines) == 1:
        return _element("text", label, x=x, y=middle, **{"class": "label"})
    spans = [
        _element("tspan", line, x=x, y=middle + offset)
        for line, offset in zip(lines, (-8, 8), strict=True)
    ]
    return _element("text", _join(spans), **{"class": "label"})


def label_lines(label: str) -> list[str]:
    """At most two lines of LINE_CHARACTERS, broken between words; the rest shortened."""
    if len(label) <= LINE_CHARACTERS:
        return [label]
    first = ""
    for word in label.split(" "):
        candidate = f"{first} {word}".strip()
        if len(candidate) > LINE_CHARACTERS:
            break
        first = candidate
    if not first:
        return [_shorten(label)]
    return [first, _shorten(label[len(first) :].strip())]


def _svg(
    chart_id: str, title: str, width: int, height: int, kind: str, parts: Sequence[str]
) -> SafeString:
    labelled_by = f"{chart_id}-title {chart_id}-desc"
    description = _("The figures are in the table that follows.")
    content = _join(
        [
            _element("title", title, id=f"{chart_id}-title"),
            _element("desc", description, id=f"{chart_id}-desc"),
            *parts,
        ]
    )
    attributes = {
        "xmlns": SVG_NAMESPACE,
        "class": f"chart {kind}",
        "viewBox": f"0 0 {width} {height}",
        "role": "img",
        "aria-labelledby": labelled_by,
        "id": chart_id,
    }
    return _element("svg", content, **attributes)


def _element(name: str, content: str = "", **attributes: object) -> SafeString:
    """One element with escaped attributes; `content` is escaped unless already safe."""
    rendered = "".join(
        f' {key}="{conditional_escape(_coordinate(value))}"' for key, value in attributes.items()
    )
    if not content:
        return _trusted(f"<{name}{rendered}/>")
    return _trusted(f"<{name}{rendered}>{conditional_escape(content)}</{name}>")


def _join(parts: Sequence[str]) -> SafeString:
    return _trusted("".join(conditional_escape(part) for part in parts))


def _trusted(markup: str) -> SafeString:
    """Markup built only from escaped text and numbers."""
    return mark_safe(markup)  # noqa: S308


def _coordinate(value: object) -> str:
    return f"{value:.1f}".removesuffix(".0") if isinstance(value, float) else str(value)


def _maximum(series: Sequence[Series]) -> int:
    return max((value for item in series for value in item.values), default=0)


def _shorten(label: str) -> str:
    return label if len(label) <= LINE_CHARACTERS else label[: LINE_CHARACTERS - 1] + "…"


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _share(value: int, total: int) -> str:
    share = round(100 * value / total, 1) if total else 0.0
    return _("%(share)s%%") % {"share": number_format(share, decimal_pos=1)}
