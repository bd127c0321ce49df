import xml.etree.ElementTree as ET

import pytest

from hotline.stats.charts import Series, bar_chart, column_chart, label_lines, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 (markup this module made, not input)


def find(root: ET.Element, path: str) -> ET.Element:
    element = root.find(path)
    assert element is not None, path
    return element


def number(element: ET.Element, attribute: str) -> float:
    return float(element.get(attribute, "nan"))


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (37, [0, 10, 20, 30, 40]),
        (1234, [0, 500, 1000, 1500]),
        (98_765, [0, 20_000, 40_000, 60_000, 80_000, 100_000]),
    ],
)
def test_axis_ticks_are_whole_round_numbers_that_cover_the_largest_value(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_a_bar_chart_is_a_named_image_described_by_its_title():
    chart = bar_chart("chart-sex", "Confirmed by sex", [("Girls", 3), ("Boys", 1)], ("Sex", "N"))

    root = parse(chart)

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-sex-title chart-sex-desc"
    assert find(root, f"{SVG}title").get("id") == "chart-sex-title"
    assert find(root, f"{SVG}title").text == "Confirmed by sex"
    assert find(root, f"{SVG}desc").get("id") == "chart-sex-desc"
    assert root.get("viewBox", "").startswith("0 0 ")


def test_labels_are_escaped_in_the_svg_and_kept_whole_for_the_table():
    hostile = "<script>x</script>"

    chart = bar_chart("chart-source", f"By {hostile}", [(hostile, 2)], ("Source", "Reports"))

    assert "<script" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    assert hostile in texts(parse(chart))
    assert chart.rows[0][0] == hostile


def test_long_labels_break_between_words_onto_two_lines():
    assert label_lines("Police") == ["Police"]
    assert label_lines("Platform or service provider") == ["Platform or service", "provider"]
    assert label_lines("A source with a remarkably long name indeed") == [
        "A source with a",
        "remarkably long nam…",
    ]
    assert label_lines("Averyveryverylongsinglewordname") == ["Averyveryverylongsi…"]


def test_long_labels_are_shortened_in_the_drawing_only():
    label = "A reporting source with a remarkably long name indeed"

    chart = bar_chart("chart-long", "Sources", [(label, 5)], ("Source", "Reports"))

    root = parse(chart)
    spans = [span.text for span in root.iter(f"{SVG}tspan")]
    assert spans == label_lines(label)
    assert label not in texts(root)
    assert find(root, f".//{SVG}rect/{SVG}title").text == f"{label}: 5"
    assert chart.rows[0][0] == label


def test_bar_lengths_are_proportional_to_their_values():
    chart = bar_chart("chart-bars", "Bars", [("One", 10), ("Two", 5), ("None", 0)], ("G", "N"))

    widths = [number(rect, "width") for rect in parse(chart).iter(f"{SVG}rect")]

    assert len(widths) == 2
    assert widths[0] == pytest.approx(2 * widths[1])


def test_the_table_gives_each_groups_value_and_share():
    chart = bar_chart("chart-share", "Shares", [("One", 3), ("Two", 1)], ("Group", "Count"))

    assert chart.header == ("Group", "Count", "Share")
    assert chart.rows == (("One", "3", "75.0%"), ("Two", "1", "25.0%"))


def test_shares_can_be_of_a_whole_larger_than_the_sum_of_the_groups():
    chart = bar_chart("chart-flags", "Flags", [("Commercial", 1)], ("Flag", "N"), share_base=4)

    assert chart.rows == (("Commercial", "1", "25.0%"),)


def test_an_empty_bar_chart_still_draws_an_axis_and_zero_shares():
    chart = bar_chart("chart-empty", "Nothing yet", [("One", 0)], ("Group", "Count"))

    root = parse(chart)
    assert list(root.iter(f"{SVG}rect")) == []
    assert "0" in texts(root)
    assert chart.rows == (("One", "0", "0.0%"),)


def test_a_column_chart_draws_one_bar_per_nonzero_value_and_a_legend():
    series = [Series("Reports received", (4, 0, 9)), Series("Confirmed", (1, 0, 3))]

    chart = column_chart("chart-monthly", "By month", ["Jan", "Feb", "Mar"], series)

    root = parse(chart)
    bars = root.findall(f".//{SVG}g[@class='bar series-1']/{SVG}rect")
    assert len(bars) == 2
    assert len(root.findall(f".//{SVG}g[@class='bar series-2']/{SVG}rect")) == 2
    legend = find(root, f".//{SVG}g[@class='legend']")
    assert [text.text for text in legend.iter(f"{SVG}text")] == ["Reports received", "Confirmed"]
    assert {"Jan", "Feb", "Mar"} <= set(texts(root))


def test_the_tallest_column_reaches_the_top_tick():
    chart = column_chart("chart-top", "Top", ["Jan", "Feb"], [Series("N", (8, 4))])

    root = parse(chart)
    heights = [number(rect, "height") for rect in root.iter(f"{SVG}rect")]
    assert heights[0] == pytest.approx(2 * heights[1])
    assert "8" in texts(root)


def test_the_table_may_hold_more_columns_than_the_chart_draws():
    received = Series("Reports received", (5,))

    chart = column_chart(
        "chart-extra", "By month", ["Jan"], [received], table=[received, Series("Assessed", (2,))]
    )

    assert chart.header == ("Month", "Reports received", "Assessed")
    assert chart.rows == (("Jan", "5", "2"),)
    assert "Assessed" not in chart.svg


def test_charts_carry_no_inline_style_or_script():
    chart = column_chart("chart-csp", "CSP", ["Jan"], [Series("<style>", (1,))])

    assert "style=" not in chart.svg
    assert "<style" not in chart.svg
    assert "<script" not in chart.svg


def test_large_numbers_are_grouped_by_thousands():
    chart = bar_chart("chart-big", "Big", [("Many", 12_345)], ("Group", "Count"))

    assert chart.rows[0][1] == "12,345"
    assert "12,345" in texts(parse(chart))
