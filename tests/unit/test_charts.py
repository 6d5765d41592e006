"""Tests for the Plotly chart builders: data drawn, colours, escaping, readable fonts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from geo.report import charts
from geo.schema import TAXON_GROUPS

HTML_TAXON = "<b>x</b>"
ESCAPED_TAXON = "&lt;b&gt;x&lt;/b&gt;"


@pytest.fixture
def monthly() -> pd.DataFrame:
    """Two taxon-group series over three months, as counts_by_period returns them."""
    starts = pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"])
    return pd.DataFrame(
        {
            "period_start": np.repeat(starts, 2),
            "series": ["mammals", "reptiles"] * 3,
            "seizures": [5, 1, 0, 2, 7, 3],
            "quantity": [50.0, 1.0, 0.0, 2.0, 70.0, 3.0],
        }
    )


@pytest.fixture
def rolling(monthly) -> pd.DataFrame:
    """A rolling frame for the monthly fixture (made-up averages)."""
    return monthly[["period_start", "series"]].assign(seizures=[np.nan, np.nan, 4.0, 2.0, 4.0, 2.0])


@pytest.fixture
def taxa_table() -> pd.DataFrame:
    """A top_taxa table with an HTML-ish taxon name."""
    return pd.DataFrame(
        {
            "taxon": ["Manis javanica", HTML_TAXON, "Dalbergia oliveri"],
            "taxon_group": ["mammals", "reptiles", "timber"],
            "cites_appendix": ["I", None, "II"],
            "seizures": [9, 4, 6],
            "quantity": [90.0, 4.0, 60.0],
        }
    )


def _font_sizes(node, inside_font=False):
    """Every font size set anywhere in a figure dict."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "size" and inside_font and isinstance(value, (int, float)):
                yield value
            else:
                yield from _font_sizes(value, inside_font=key.endswith("font"))
    elif isinstance(node, list):
        for item in node:
            yield from _font_sizes(item, inside_font)


def _assert_readable(figure: go.Figure) -> None:
    layout = figure.to_dict()["layout"]
    assert layout["template"]["layout"]["font"]  # plotly_white is applied
    assert figure.layout.font.size >= 14
    sizes = list(_font_sizes(figure.to_dict()))
    assert sizes
    assert min(sizes) >= 14


def test_taxon_group_colours_cover_the_schema():
    assert set(charts.TAXON_GROUP_COLOURS) == set(TAXON_GROUPS)
    for group, rgb in charts.TAXON_GROUP_COLOURS.items():
        assert len(rgb) == 3
        assert all(isinstance(part, int) and 0 <= part <= 255 for part in rgb)
        assert charts.TAXON_GROUP_HEX[group] == "#{:02X}{:02X}{:02X}".format(*rgb)
    assert len(set(charts.TAXON_GROUP_HEX.values())) == len(TAXON_GROUPS)


def test_trend_chart_lines_and_rolling(monthly, rolling):
    figure = charts.trend_chart(
        monthly, rolling=rolling, split="taxon_group", title="Trend", subtitle="CN–LA, 2023"
    )
    lines = [trace for trace in figure.data if trace.line.dash != "dash"]
    dashed = [trace for trace in figure.data if trace.line.dash == "dash"]
    assert [trace.name for trace in lines] == ["Mammals", "Reptiles"]
    assert list(lines[0].y) == [5, 0, 7]
    assert len(dashed) == 2
    assert dashed[0].line.color == lines[0].line.color == charts.TAXON_GROUP_HEX["mammals"]
    assert list(dashed[1].y)[2:] == [2.0]
    assert figure.layout.title.text == "Trend"
    assert figure.layout.title.subtitle.text == "CN–LA, 2023"
    _assert_readable(figure)


def test_trend_chart_stacked_bars_of_quantity(monthly, rolling):
    figure = charts.trend_chart(
        monthly,
        value="quantity",
        unit="kg",
        kind="bars",
        rolling=rolling.rename(columns={"seizures": "quantity"}),
        split="taxon_group",
    )
    bars = [trace for trace in figure.data if isinstance(trace, go.Bar)]
    assert list(bars[0].y) == [50.0, 0.0, 70.0]
    assert figure.layout.barmode == "stack"
    assert figure.layout.yaxis.title.text == "Quantity (kg)"
    # one dashed line for the stack's total
    (total,) = [trace for trace in figure.data if isinstance(trace, go.Scatter)]
    assert list(total.y)[2:] == [6.0]


def test_trend_chart_quantity_needs_a_unit(monthly):
    with pytest.raises(ValueError, match="unit"):
        charts.trend_chart(monthly, value="quantity")


def test_year_on_year_chart():
    yoy = pd.DataFrame(
        {
            "year": [2022, 2023, 2024],
            "seizures": [10, 15, 6],
            "change": [np.nan, 5.0, -9.0],
            "change_percent": [np.nan, 50.0, -60.0],
            "partial": [False, False, True],
        }
    )
    figure = charts.year_on_year_chart(yoy, title="Per year")
    (bar,) = figure.data
    assert list(bar.x) == ["2022", "2023", "2024"]
    assert list(bar.y) == [10, 15, 6]
    assert list(bar.text) == ["", "+50%", "−60%"]
    assert list(bar.marker.opacity) == [1.0, 1.0, 0.45]
    _assert_readable(figure)


def test_heatmap_z_equals_matrix():
    matrix = pd.DataFrame(
        [[3, 1], [0, 2]],
        index=pd.Index(["Manis javanica", HTML_TAXON], name="taxon"),
        columns=pd.Index(["CN-LA", "CN-VN"], name="border_pair"),
    )
    figure = charts.taxa_pair_heatmap(matrix, title="Species × pair")
    (heatmap,) = figure.data
    np.testing.assert_array_equal(np.asarray(heatmap.z), matrix.to_numpy())
    assert list(heatmap.x) == ["China–Lao PDR", "China–Viet Nam"]
    assert list(heatmap.y) == ["Manis javanica (Sunda pangolin)", ESCAPED_TAXON]
    # zero cells are left blank
    assert heatmap.text[1][0] == ""
    assert "China – Lao PDR" in heatmap.customdata[0][0]
    _assert_readable(figure)


def test_top_taxa_chart_bars_by_group(taxa_table):
    figure = charts.top_taxa_chart(taxa_table, title="Top taxa")
    assert [trace.name for trace in figure.data] == ["Mammals", "Timber", "Reptiles"]
    assert all(trace.orientation == "h" for trace in figure.data)
    assert figure.data[0].marker.color == charts.TAXON_GROUP_HEX["mammals"]
    assert list(figure.data[0].x) == [9]
    # the largest bar on top
    assert list(figure.layout.yaxis.categoryarray) == [
        "Manis javanica",
        "Dalbergia oliveri",
        ESCAPED_TAXON,
    ]
    assert figure.layout.yaxis.autorange == "reversed"
    _assert_readable(figure)


def test_sankey_has_distinct_origin_and_destination_nodes():
    flows = pd.DataFrame(
        {
            "source": ["CN", "VN", "LA"],
            "target": ["VN", "CN", "CN"],
            "source_role": ["origin", "origin", "transit"],
            "target_role": ["destination", "destination", "destination"],
            "seizures": [4, 7, 2],
        }
    )
    figure = charts.sankey_chart(flows, title="Routes")
    (sankey,) = figure.data
    # every node says how many seizures pass through it
    shown = list(sankey.node.label)
    assert "China (destination): 9" in shown
    assert "Lao PDR (transit): 2" in shown
    labels = [label.rsplit(": ", 1)[0] for label in shown]
    assert "China (origin)" in labels
    assert "China (destination)" in labels
    assert "Viet Nam (origin)" in labels
    assert "Viet Nam (destination)" in labels
    assert len(labels) == len(set(labels)) == 5
    links = {
        (labels[s], labels[t]): v
        for s, t, v in zip(sankey.link.source, sankey.link.target, sankey.link.value, strict=True)
    }
    assert links == {
        ("China (origin)", "Viet Nam (destination)"): 4,
        ("Viet Nam (origin)", "China (destination)"): 7,
        ("Lao PDR (transit)", "China (destination)"): 2,
    }
    _assert_readable(figure)


def test_sankey_from_flow_pairs_sums_over_taxa():
    pairs = pd.DataFrame(
        {
            "origin": ["LA", "LA", "CN"],
            "destination": ["CN", "CN", "LA"],
            "taxon": ["Manis javanica", "Python bivittatus", "Manis javanica"],
            "seizures": [3, 2, 1],
        }
    )
    (sankey,) = charts.sankey_chart(pairs, language="zh").data
    labels = list(sankey.node.label)
    assert len(labels) == 4
    assert sorted(sankey.link.value) == [1, 5]


def test_sankey_needs_route_columns():
    with pytest.raises(ValueError, match="source/target"):
        charts.sankey_chart(pd.DataFrame({"a": [1]}))


def test_group_bar_uses_group_colours():
    figure = charts.group_bar({"mammals": 12, "timber": 3, "weird": 1}, title="Groups")
    (bar,) = figure.data
    assert list(bar.x) == ["Mammals", "Timber", "weird"]
    assert list(bar.y) == [12, 3, 1]
    assert list(bar.marker.color)[:2] == [
        charts.TAXON_GROUP_HEX["mammals"],
        charts.TAXON_GROUP_HEX["timber"],
    ]
    _assert_readable(figure)


def test_record_text_is_escaped_in_the_figure_json(monthly, taxa_table):
    html_series = monthly.assign(series=monthly["series"].replace("reptiles", HTML_TAXON))
    matrix = pd.DataFrame([[1]], index=[HTML_TAXON], columns=["CN-LA"])
    figures = [
        charts.trend_chart(html_series, split="taxon"),
        charts.top_taxa_chart(taxa_table),
        charts.taxa_pair_heatmap(matrix),
        charts.group_bar({HTML_TAXON: 1}),
        charts.trend_chart(monthly, title=HTML_TAXON, subtitle=HTML_TAXON),
        charts.sankey_chart(
            pd.DataFrame({"source": [HTML_TAXON], "target": ["CN"], "seizures": [1]})
        ),
    ]
    for figure in figures:
        text = figure.to_json()
        assert "<b>x" not in text
        assert "&lt;b&gt;x&lt;" in text


def test_double_quotes_become_an_entity_plotly_decodes():
    figure = charts.group_bar({'say "x"': 1})
    assert figure.data[0].x[0] == "say &#34;x&#34;"


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.trend_chart(pd.DataFrame(columns=["period_start", "series", "seizures"])),
        lambda: charts.year_on_year_chart(pd.DataFrame(columns=["year", "seizures"])),
        lambda: charts.taxa_pair_heatmap(pd.DataFrame()),
        lambda: charts.top_taxa_chart(pd.DataFrame(columns=["taxon", "seizures"])),
        lambda: charts.sankey_chart(pd.DataFrame(columns=["source", "target", "seizures"])),
        lambda: charts.group_bar({}),
    ],
)
def test_empty_inputs_say_so(build):
    figure = build()
    assert not figure.data
    assert figure.layout.annotations[0].text == charts.TEXT["no_data"]
