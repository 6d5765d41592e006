"""Trends: seizures (or quantity in one unit) per month, quarter or year, and year on year."""

import streamlit as st

import ui
from geo.report import charts

SPLITS = {
    None: "No split",
    "taxon_group": "Taxon group",
    "taxon": "Species",
    "commodity": "Commodity",
    "transport_mode": "Transport mode",
}

query = ui.current_query()
ui.page_header("Trends", query)
controls = st.columns(3)
period = (
    controls[0].segmented_control(
        "Period", ["month", "quarter", "year"], default="month", key="trend_period"
    )
    or "month"
)
split = controls[1].selectbox("Split by", list(SPLITS), format_func=SPLITS.get, key="trend_split")
unit = controls[2].selectbox(
    "Measure",
    [None, "kg", "pieces", "individuals", "m3"],
    key="trend_unit",
    format_func=lambda u: "Number of seizures" if u is None else f"Quantity in {u}",
)
view = ui.trends(query, period, split, unit)
counts, excluded, rolling = view["counts"], view["excluded"], view["rolling"]
value = "seizures" if unit is None else "quantity"
st.plotly_chart(
    charts.trend_chart(
        counts,
        value=value,
        rolling=rolling,
        title="Seizures over time",
        subtitle=ui.summary(query),
        period=period,
        split=split,
        unit=unit,
    ),
    key="trend_chart",
)
if excluded:
    st.caption(
        f"{excluded:,} records dated to the year only are left out of the {period}ly counts."
    )
yoy = view["year_on_year"]
st.plotly_chart(
    charts.year_on_year_chart(
        yoy, title="Year on year", subtitle=ui.summary(query), value=value, unit=unit
    ),
    key="yoy_chart",
)
