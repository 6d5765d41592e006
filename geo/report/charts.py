"""Plotly charts of seizures, sized for a projector: trends, year on year, species, routes."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from geo.analysis.flows import route_stage
from geo.reference.catalogue import (
    GROUP_LABELS,
    TRANSPORT_LABELS,
    UNIT_LABELS,
    pair_label,
    taxon_label,
)
from geo.reference.countries import country_name
from geo.reference.species import LANGUAGES, commodity_name
from geo.schema import TAXON_GROUPS

__all__ = [
    "GROUP_LABELS",
    "ROLE_LABELS",
    "SERIES_COLOURS",
    "TAXON_GROUP_COLOURS",
    "TAXON_GROUP_HEX",
    "TEXT",
    "TRANSPORT_LABELS",
    "UNIT_LABELS",
    "for_projector",
    "group_bar",
    "sankey_chart",
    "taxa_pair_heatmap",
    "top_taxa_chart",
    "trend_chart",
    "year_on_year_chart",
]

# User-visible text, in one place so that it can be translated.
TEXT = {
    "seizures": "Seizures",
    "count": "{count} seizures",
    "quantity": "Quantity ({unit})",
    "year": "Year",
    "taxon": "Taxon",
    "border_pair": "Border pair",
    "all": "All seizures",
    "other": "Other",
    "unknown": "Unknown",
    "rolling": "{series}, 12-month average",
    "rolling_all": "12-month average",
    "partial": "part of the year only",
    "change": "{change} on the year before",
    "no_data": "No seizures match the filters",
    "cites": "CITES Appendix {appendix}",
    "not_listed": "Not CITES-listed",
    "node": "{country} ({role})",
    "node_count": "{label}: {count}",
    "leg": "{source} → {target}",
}

# The roles of a country in a trade chain, as the Sankey's nodes name them.
ROLE_LABELS = {
    "origin": "origin",
    "export": "export",
    "transit": "transit",
    "transit_n": "transit {n}",
    "destination": "destination",
    "seizing": "seized",
}

# Paul Tol's "muted" qualitative scheme, distinct under the common colour-vision
# deficiencies; grey is kept for "unknown" (Tol's colour for missing data).
TAXON_GROUP_HEX = {
    "mammals": "#CC6677",
    "birds": "#332288",
    "reptiles": "#DDCC77",
    "amphibians": "#44AA99",
    "fish": "#88CCEE",
    "invertebrates": "#AA4499",
    "plants": "#117733",
    "timber": "#999933",
    "mixed": "#882255",
    "unknown": "#BBBBBB",
}
TAXON_GROUP_COLOURS: dict[str, tuple[int, int, int]] = {
    group: (int(code[1:3], 16), int(code[3:5], 16), int(code[5:7], 16))
    for group, code in TAXON_GROUP_HEX.items()
}
# Series other than taxon groups: Tol's "bright" scheme then the rest of "muted"; "other"
# is grey.
SERIES_COLOURS = (
    "#4477AA",
    "#EE6677",
    "#228833",
    "#CCBB44",
    "#66CCEE",
    "#AA3377",
    "#332288",
    "#999933",
    "#882255",
    "#44AA99",
)
_OTHER_COLOUR = "#BBBBBB"
_ROLE_COLOURS = {
    "origin": "#EE7733",
    "export": "#CC3311",
    "transit": "#0077BB",
    "destination": "#009988",
}
_PRIMARY = "#4477AA"
_ROLLING_TOTAL_COLOUR = "#222222"
_FONT_FAMILY = "Arial, 'Noto Sans', 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', sans-serif"
_FONT_SIZE = 16
_TITLE_SIZE = 22
_SUBTITLE_SIZE = 15
_TEMPLATE = "plotly_white"
# Every chart here uses one template.  As plotly's default, a new figure takes it as it is
# built (about 2 ms); naming it in ``update_layout`` re-validates the whole template, some
# 35 ms a chart, which was most of a page's chart time.
pio.templates.default = _TEMPLATE
_HOVER_FORMATS = {"month": "%b %Y", "quarter": "Q%q %Y", "year": "%Y"}
_TICK_FORMATS = {"month": "%b %Y", "quarter": "Q%q %Y", "year": "%Y"}
# Presentation mode: every size in a chart times this.
_PROJECTOR_SCALE = 1.35

if set(TAXON_GROUP_HEX) != set(TAXON_GROUPS):
    raise RuntimeError("TAXON_GROUP_HEX should give a colour to every schema TAXON_GROUPS value")


def trend_chart(
    counts: pd.DataFrame,
    value: str = "seizures",
    rolling: pd.DataFrame | None = None,
    title: str = "",
    subtitle: str = "",
    *,
    period: str = "month",
    split: str | None = None,
    unit: str | None = None,
    kind: str = "lines",
    language: str = "en",
) -> go.Figure:
    """Draw seizures (or one unit's quantity) per period, one line or bar stack per series.

    Parameters
    ----------
    counts : pandas.DataFrame
        The frame of ``geo.analysis.trends.counts_by_period``: ``period_start``,
        ``series``, ``seizures``, ``quantity``.
    value : {"seizures", "quantity"}
        What to draw; ``"quantity"`` needs ``unit`` (the unit the counts were made in).
    rolling : pandas.DataFrame, optional
        The frame of ``geo.analysis.trends.rolling_12_months`` for the same ``value``:
        drawn as a dashed line per series in the series' colour over lines, or as one dark
        dashed line for the total over stacked bars.
    title, subtitle : str
        Plain text (escaped); the subtitle is meant for the filter summary.
    period : {"month", "quarter", "year"}
        The counts' period, for the date shown on hover.
    split : str, optional
        The column the series split by (as given to ``counts_by_period``), for their
        labels and colours: taxon groups get ``TAXON_GROUP_COLOURS``.
    unit : str, optional
        The unit of ``quantity``.
    kind : {"lines", "bars"}
        Lines per series, or stacked bars.
    language : str, default "en"
        Language of commodity names.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    _check_value(value, unit)
    if kind not in ("lines", "bars"):
        raise ValueError(f"kind should be 'lines' or 'bars', got {kind!r}")
    if period not in _HOVER_FORMATS:
        raise ValueError(f"period should be one of {tuple(_HOVER_FORMATS)}, got {period!r}")
    if counts.empty:
        return _empty_figure(title, subtitle)
    figure = go.Figure()
    keys = list(dict.fromkeys(counts["series"]))
    # A line through one or two points is hard to see: mark short series' points too.
    mode = "lines" if counts["period_start"].nunique() > 24 else "lines+markers"
    colours = {key: _series_colour(key, split, index) for index, key in enumerate(keys)}
    labels = {key: _series_label(key, split, language) for key in keys}
    for index, key in enumerate(keys):
        rows = counts[counts["series"] == key].sort_values("period_start")
        common = {
            "x": rows["period_start"],
            "y": rows[value],
            "name": labels[key],
            "legendgroup": f"series-{index}",
        }
        if kind == "bars":
            figure.add_trace(go.Bar(marker={"color": colours[key]}, **common))
        else:
            figure.add_trace(
                go.Scatter(mode=mode, line={"color": colours[key], "width": 3}, **common)
            )
    if rolling is not None and not rolling.empty and value in rolling:
        if kind == "bars":
            _add_total_rolling(figure, rolling, value)
        else:
            _add_series_rolling(figure, rolling, value, keys, labels, colours)
    figure.update_layout(barmode="stack", hovermode="x unified")
    figure.update_xaxes(hoverformat=_HOVER_FORMATS[period], tickformat=_TICK_FORMATS[period])
    starts = pd.to_datetime(counts["period_start"]).drop_duplicates().sort_values()
    if len(starts) <= 12:
        # few periods: one tick per period, and room either side of a lone point (plotly
        # would otherwise stretch one date over a milliseconds axis)
        months = {"month": 1, "quarter": 3, "year": 12}[period]
        half = pd.DateOffset(days=int(15 * months))
        figure.update_xaxes(
            dtick=f"M{months}", range=[starts.iloc[0] - half, starts.iloc[-1] + half]
        )
    figure.update_yaxes(hoverformat=",.0f" if value == "seizures" else ",.1f", rangemode="tozero")
    return _finish(figure, title, subtitle, y_title=_value_title(value, unit))


def year_on_year_chart(
    yoy: pd.DataFrame,
    title: str = "",
    subtitle: str = "",
    *,
    value: str = "seizures",
    unit: str | None = None,
) -> go.Figure:
    """Draw one bar per year, labelled with the change on the year before.

    Parameters
    ----------
    yoy : pandas.DataFrame
        The frame of ``geo.analysis.trends.year_on_year``.
    title, subtitle : str
        Plain text (escaped); the subtitle is meant for the filter summary.
    value : {"seizures", "quantity"}
        What to draw; ``"quantity"`` needs ``unit`` and a frame made with it.
    unit : str, optional
        The unit of ``quantity``.

    Returns
    -------
    plotly.graph_objects.Figure
        Years only partly covered by the filter (``partial``) are drawn paler.
    """
    _check_value(value, unit)
    if yoy.empty:
        return _empty_figure(title, subtitle)
    percent_column = "change_percent" if value == "seizures" else "quantity_change_percent"
    percents = yoy[percent_column] if percent_column in yoy else pd.Series(np.nan, yoy.index)
    partial = yoy["partial"] if "partial" in yoy else pd.Series(False, yoy.index)
    changes = [_percent_text(p) for p in percents]
    notes = []
    for change, is_partial in zip(changes, partial, strict=True):
        lines = [TEXT["change"].format(change=change)] if change else []
        lines += [TEXT["partial"]] if is_partial else []
        notes.append("<br>".join(lines))
    number = ",.0f" if value == "seizures" else ",.1f"
    figure = go.Figure(
        go.Bar(
            x=[str(int(year)) for year in yoy["year"]],
            y=yoy[value],
            text=changes,
            textposition="outside",
            customdata=notes,
            marker={
                "color": _PRIMARY,
                "opacity": [0.45 if is_partial else 1.0 for is_partial in partial],
            },
            hovertemplate=f"%{{x}}: %{{y:{number}}}<br>%{{customdata}}<extra></extra>",
            showlegend=False,
        )
    )
    figure.update_xaxes(type="category")
    figure.update_yaxes(rangemode="tozero")
    return _finish(figure, title, subtitle, x_title=TEXT["year"], y_title=_value_title(value, unit))


def taxa_pair_heatmap(
    matrix: pd.DataFrame, title: str = "", subtitle: str = "", *, language: str = "en"
) -> go.Figure:
    """Draw seizure counts per taxon (rows) and border pair (columns).

    Parameters
    ----------
    matrix : pandas.DataFrame
        The frame of ``geo.analysis.breakdowns.taxa_by_pair``.
    title, subtitle : str
        Plain text (escaped); the subtitle is meant for the filter summary.
    language : str, default "en"
        Language of the country names shown on hover.

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap whose ``z`` is the matrix, the most seized taxon at the top; zero cells
        stay blank.
    """
    if matrix.empty:
        return _empty_figure(title, subtitle)
    values = matrix.to_numpy(dtype="int64")
    pair_names = [_escape(_pair_name(str(pair), language)) for pair in matrix.columns]
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=[_escape(pair_label(str(pair))) for pair in matrix.columns],
            y=[_escape(taxon_label(str(taxon))) for taxon in matrix.index],
            text=np.where(values > 0, values.astype(str), ""),
            texttemplate="%{text}",
            textfont={"size": 14},
            customdata=np.tile(np.array(pair_names, dtype=object), (len(matrix.index), 1)),
            colorscale="Blues",
            zmin=0,
            colorbar={"title": {"text": TEXT["seizures"]}},
            xgap=2,
            ygap=2,
            hovertemplate=(
                f"%{{y}}<br>%{{customdata}}<br>{TEXT['seizures']}: %{{z:,}}<extra></extra>"
            ),
        )
    )
    figure.update_yaxes(autorange="reversed")
    height = max(420, 160 + 36 * len(matrix.index))
    return _finish(
        figure,
        title,
        subtitle,
        x_title=TEXT["border_pair"],
        y_title=TEXT["taxon"],
        height=height,
    )


def top_taxa_chart(
    table: pd.DataFrame,
    value: str = "seizures",
    title: str = "",
    subtitle: str = "",
    *,
    unit: str | None = None,
) -> go.Figure:
    """Draw the most seized taxa as horizontal bars coloured by taxon group.

    Parameters
    ----------
    table : pandas.DataFrame
        The frame of ``geo.analysis.breakdowns.top_taxa``.
    value : {"seizures", "quantity"}
        What the bars show; ``"quantity"`` needs ``unit``.
    title, subtitle : str
        Plain text (escaped); the subtitle is meant for the filter summary.
    unit : str, optional
        The unit of ``quantity``.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per taxon group (so the legend names the colours), the largest bar at
        the top.
    """
    _check_value(value, unit)
    if table.empty:
        return _empty_figure(title, subtitle)
    table = table.sort_values(value, ascending=False, kind="stable")
    labels = [_escape(taxon) for taxon in table["taxon"]]
    groups = table["taxon_group"].fillna("unknown").astype(str)
    appendices = [_appendix_text(a) for a in table.get("cites_appendix", [None] * len(table))]
    number = ",.0f" if value == "seizures" else ",.1f"
    figure = go.Figure()
    for group in dict.fromkeys(groups):
        chosen = (groups == group).to_numpy()
        figure.add_trace(
            go.Bar(
                x=table.loc[chosen, value],
                y=[label for label, keep in zip(labels, chosen, strict=True) if keep],
                orientation="h",
                name=_group_label(group),
                marker={"color": TAXON_GROUP_HEX.get(group, _OTHER_COLOUR)},
                customdata=[[a] for a, keep in zip(appendices, chosen, strict=True) if keep],
                texttemplate=f"%{{x:{number}}}",
                textposition="outside",
                hovertemplate=(
                    f"%{{y}}<br>%{{customdata[0]}}<br>{_value_title(value, unit)}: "
                    f"%{{x:{number}}}<extra></extra>"
                ),
            )
        )
    figure.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    figure.update_layout(barmode="overlay")
    height = max(380, 140 + 40 * len(labels))
    return _finish(figure, title, subtitle, x_title=_value_title(value, unit), height=height)


def sankey_chart(
    flows: pd.DataFrame, language: str = "en", title: str = "", subtitle: str = ""
) -> go.Figure:
    """Draw trade routes as a Sankey diagram of countries in their roles.

    Parameters
    ----------
    flows : pandas.DataFrame
        Either ``geo.analysis.flows.route_flows`` (``source``, ``target``,
        ``source_role``, ``target_role``, ``seizures``) or
        ``geo.analysis.breakdowns.flow_pairs`` (``origin``, ``destination``,
        ``seizures``, any other column being summed over).  Without roles, sources are
        origins and targets destinations.
    language : str, default "en"
        Language of the country names.
    title, subtitle : str
        Plain text (escaped); the subtitle is meant for the filter summary.

    Returns
    -------
    plotly.graph_objects.Figure
        One node per country and role, labelled "Country (role)", so that a country that is
        both an origin and a destination appears twice and the diagram has no cycle; link
        values are seizure counts.
    """
    legs = _legs(flows)
    if legs.empty:
        return _empty_figure(title, subtitle)
    ends = pd.concat(
        [
            legs[["source", "source_role", "seizures"]].set_axis(["code", "role", "n"], axis=1),
            legs[["target", "target_role", "seizures"]].set_axis(["code", "role", "n"], axis=1),
        ]
    )
    throughput = ends.groupby(["code", "role"])["n"].sum()
    nodes = sorted(
        throughput.index, key=lambda node: (route_stage(node[1]), -throughput[node], node)
    )
    position = {node: index for index, node in enumerate(nodes)}
    labels = [
        TEXT["node"].format(country=_escape(country_name(code, language)), role=_role_label(role))
        for code, role in nodes
    ]
    # each node says how many seizures pass through it: the larger of what comes in and out
    inflow = legs.groupby(["target", "target_role"])["seizures"].sum()
    outflow = legs.groupby(["source", "source_role"])["seizures"].sum()
    through = [int(max(inflow.get(node, 0), outflow.get(node, 0))) for node in nodes]
    shown = [
        TEXT["node_count"].format(label=label, count=f"{count:,}")
        for label, count in zip(labels, through, strict=True)
    ]
    sources = [position[node] for node in zip(legs["source"], legs["source_role"], strict=True)]
    targets = [position[node] for node in zip(legs["target"], legs["target_role"], strict=True)]
    node_colours = [_ROLE_COLOURS.get(_role_family(role), _OTHER_COLOUR) for _, role in nodes]
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            textfont={"size": 15, "color": "#111111"},
            node={
                "label": shown,
                "color": node_colours,
                "pad": 18,
                "thickness": 18,
                "hovertemplate": f"%{{label}}<br>{TEXT['seizures']}: %{{value:,}}<extra></extra>",
            },
            link={
                "source": sources,
                "target": targets,
                "value": legs["seizures"].tolist(),
                "color": [_rgba(node_colours[s], 0.35) for s in sources],
                "customdata": [
                    TEXT["leg"].format(source=labels[s], target=labels[t])
                    for s, t in zip(sources, targets, strict=True)
                ],
                "hovertemplate": (
                    f"%{{customdata}}<br>{TEXT['seizures']}: %{{value:,}}<extra></extra>"
                ),
            },
        )
    )
    height = max(450, 24 * len(nodes))
    return _finish(figure, title, subtitle, height=height)


def group_bar(by_group: dict, title: str = "", subtitle: str = "") -> go.Figure:
    """Draw seizures per taxon group as bars in the groups' colours.

    Parameters
    ----------
    by_group : dict
        ``{taxon_group: count}`` in the order to draw, as ``key_figures`` gives it.
    title, subtitle : str
        Plain text (escaped); the subtitle is meant for the filter summary.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    if not by_group:
        return _empty_figure(title, subtitle)
    groups = [str(group) for group in by_group]
    figure = go.Figure(
        go.Bar(
            x=[_group_label(group) for group in groups],
            y=list(by_group.values()),
            marker={"color": [TAXON_GROUP_HEX.get(group, _OTHER_COLOUR) for group in groups]},
            texttemplate="%{y:,}",
            textposition="outside",
            hovertemplate="%{x}: " + TEXT["count"].format(count="%{y:,}") + "<extra></extra>",
            showlegend=False,
        )
    )
    figure.update_yaxes(rangemode="tozero")
    return _finish(figure, title, subtitle, y_title=TEXT["seizures"])


def _finish(
    figure: go.Figure,
    title: str,
    subtitle: str,
    x_title: str = "",
    y_title: str = "",
    height: int | None = None,
) -> go.Figure:
    """Apply the shared projector-friendly look: template, large fonts, title and subtitle."""
    heading: dict = {"x": 0.0, "xanchor": "left", "font": {"size": _TITLE_SIZE}}
    if title:
        heading["text"] = _escape(title)
        if subtitle:
            heading["subtitle"] = {"text": _escape(subtitle), "font": {"size": _SUBTITLE_SIZE}}
    elif subtitle:
        heading.update(text=_escape(subtitle), font={"size": _SUBTITLE_SIZE + 1})
    top = 60 + (40 if title else 0) + (30 if subtitle else 0)
    if pio.templates.default != _TEMPLATE:  # someone changed plotly's default: name it
        figure.update_layout(template=_TEMPLATE)
    figure.update_layout(
        title=heading,
        font={"family": _FONT_FAMILY, "size": _FONT_SIZE},
        hoverlabel={"font": {"size": _FONT_SIZE - 1}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0, "font": {"size": 15}},
        margin={"t": top, "l": 20, "r": 20, "b": 20},
    )
    if height is not None:
        figure.update_layout(height=height)
    if not any(isinstance(trace, go.Sankey) for trace in figure.data):
        figure.update_xaxes(title={"text": x_title}, tickfont={"size": 15}, automargin=True)
        figure.update_yaxes(title={"text": y_title}, tickfont={"size": 15}, automargin=True)
    return figure


def for_projector(figure: go.Figure) -> go.Figure:
    """Return a copy of a chart with its type and height scaled for a projector.

    Titles, axis labels, ticks, legends, data labels and hover text grow by
    ``_PROJECTOR_SCALE``; so does the height, so that bars and rows keep their room.
    """
    scaled = go.Figure(figure)
    scale = _PROJECTOR_SCALE
    layout = scaled.layout
    scaled.update_layout(
        font={"size": round((layout.font.size or _FONT_SIZE) * scale)},
        title_font={"size": round((layout.title.font.size or _TITLE_SIZE) * scale)},
        legend_font={"size": round((layout.legend.font.size or 15) * scale)},
        hoverlabel_font={"size": round(_FONT_SIZE * scale)},
        height=round((layout.height or 450) * scale),
    )
    if layout.title.subtitle and layout.title.subtitle.text:
        scaled.update_layout(
            title_subtitle_font={
                "size": round((layout.title.subtitle.font.size or _SUBTITLE_SIZE) * scale)
            }
        )
    top = layout.margin.t or 60
    scaled.update_layout(margin={"t": round(top * scale)})
    if not any(isinstance(trace, go.Sankey) for trace in scaled.data):
        scaled.update_xaxes(tickfont={"size": round(15 * scale)}, title_font_size=round(16 * scale))
        scaled.update_yaxes(tickfont={"size": round(15 * scale)}, title_font_size=round(16 * scale))
    for trace in scaled.data:
        size = getattr(getattr(trace, "textfont", None), "size", None)
        if size:
            trace.textfont.size = round(size * scale)
    return scaled


def _add_series_rolling(
    figure: go.Figure,
    rolling: pd.DataFrame,
    value: str,
    keys: list[str],
    labels: dict[str, str],
    colours: dict[str, str],
) -> None:
    """Add a dashed rolling line per series, in the series' colour."""
    for index, key in enumerate(keys):
        rows = rolling[rolling["series"] == key].sort_values("period_start")
        if rows.empty:
            continue
        name = TEXT["rolling_all"] if len(keys) == 1 else TEXT["rolling"].format(series=labels[key])
        figure.add_trace(
            go.Scatter(
                x=rows["period_start"],
                y=rows[value],
                name=name,
                mode="lines",
                legendgroup=f"series-{index}",
                line={"color": colours[key], "width": 2.5, "dash": "dash"},
            )
        )


def _add_total_rolling(figure: go.Figure, rolling: pd.DataFrame, value: str) -> None:
    """Add one dashed rolling line for the stack's total (series' averages add up)."""
    total = rolling.groupby("period_start")[value].sum(min_count=1).sort_index()
    figure.add_trace(
        go.Scatter(
            x=total.index,
            y=total.to_numpy(),
            name=TEXT["rolling_all"],
            mode="lines",
            line={"color": _ROLLING_TOTAL_COLOUR, "width": 3, "dash": "dash"},
        )
    )


def _empty_figure(title: str, subtitle: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=TEXT["no_data"],
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 18},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _finish(figure, title, subtitle)


def _escape(text: object) -> str:
    """Escape record text for Plotly, whose labels and hover text are read as HTML.

    Plotly decodes ``&lt;``, ``&gt;``, ``&amp;`` and numeric entities but not ``&quot;``,
    so double quotes become ``&#34;``.
    """
    return html.escape(str(text)).replace("&quot;", "&#34;")


def _series_label(key: str, split: str | None, language: str) -> str:
    if key in ("all", "other", "unknown"):
        return TEXT[key]
    if split == "taxon_group":
        return _group_label(key)
    if split == "transport_mode":
        return TRANSPORT_LABELS.get(key) or _escape(key)
    if split == "commodity":
        return _escape(commodity_name(key, _commodity_language(language)) or key)
    return _escape(key)


def _series_colour(key: str, split: str | None, index: int) -> str:
    if key == "other":
        return _OTHER_COLOUR
    if split == "taxon_group":
        return TAXON_GROUP_HEX.get(key, _OTHER_COLOUR)
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def _group_label(group: str) -> str:
    return GROUP_LABELS.get(group) or _escape(group)


def _commodity_language(language: str) -> str:
    base = language.replace("-", "_").split("_")[0].casefold()
    return base if base in LANGUAGES else "en"


def _pair_name(pair: str, language: str) -> str:
    codes = pair.split("-")
    if len(codes) != 2:
        return pair
    return " – ".join(country_name(code, language) for code in codes)


def _appendix_text(appendix: object) -> str:
    if not isinstance(appendix, str) or appendix.strip() in ("", "none"):
        return TEXT["not_listed"]
    return TEXT["cites"].format(appendix=_escape(appendix))


def _percent_text(percent: float) -> str:
    if percent is None or pd.isna(percent):
        return ""
    sign = "+" if percent > 0 else "−" if percent < 0 else "±"
    return f"{sign}{abs(percent):.0f}%"


def _value_title(value: str, unit: str | None) -> str:
    if value == "seizures":
        return TEXT["seizures"]
    return TEXT["quantity"].format(unit=UNIT_LABELS.get(unit, unit))


def _check_value(value: str, unit: str | None) -> None:
    if value not in ("seizures", "quantity"):
        raise ValueError(f"value should be 'seizures' or 'quantity', got {value!r}")
    if value == "quantity" and unit is None:
        raise ValueError("value='quantity' needs the unit the quantities were totalled in")


def _legs(flows: pd.DataFrame) -> pd.DataFrame:
    """Normalise route legs or origin → destination pairs to one leg per row, summed."""
    if {"source", "target"} <= set(flows.columns):
        legs = flows.assign(
            source_role=flows["source_role"] if "source_role" in flows else "origin",
            target_role=flows["target_role"] if "target_role" in flows else "destination",
        )
    elif {"origin", "destination"} <= set(flows.columns):
        legs = flows.rename(columns={"origin": "source", "destination": "target"}).assign(
            source_role="origin", target_role="destination"
        )
    else:
        raise ValueError(
            "flows should have source/target or origin/destination columns, "
            f"got {list(flows.columns)}"
        )
    keys = ["source", "source_role", "target", "target_role"]
    legs = legs.dropna(subset=keys)
    summed = legs.groupby(keys, as_index=False, sort=False)["seizures"].sum()
    return summed[summed["seizures"] > 0]


def _role_family(role: str) -> str:
    return "transit" if role.startswith("transit") else role


def _role_label(role: str) -> str:
    if role.startswith("transit_"):
        return ROLE_LABELS["transit_n"].format(n=role.split("_")[1])
    return ROLE_LABELS.get(role) or _escape(role)


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"
