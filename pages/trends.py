"""Trends: seizures (or quantity in one unit) per month, quarter or year, and year on year."""

import streamlit as st

import ui
from geo.reference.catalogue import UNIT_LABELS
from geo.report import charts

PERIODS = {"month": "Month", "quarter": "Quarter", "year": "Year"}
SPLITS = {
    "none": "No split",
    "taxon_group": "Taxon group",
    "taxon": "Species",
    "commodity": "Commodity",
    "transport_mode": "Transport mode",
}
MEASURES = ["seizures", "kg", "pieces", "individuals", "m3"]
MEASURE_WORDS = {
    unit: "Number of seizures" if unit == "seizures" else f"Quantity in {UNIT_LABELS[unit]}"
    for unit in MEASURES
}

query = ui.current_query()
ui.page_header("Trends", query)
ui.page_setting("period", "trend_period", list(PERIODS), "month", label="period")
ui.page_setting("split", "trend_split", list(SPLITS), "none", label="split")
ui.page_setting("measure", "trend_unit", MEASURES, "seizures", label="measure")
controls = st.columns(3)
period = (
    controls[0].segmented_control(
        "Period", list(PERIODS), format_func=PERIODS.get, key="trend_period"
    )
    or "month"
)
split = controls[1].selectbox("Split by", list(SPLITS), format_func=SPLITS.get, key="trend_split")
split = None if split == "none" else split
measure = controls[2].selectbox(
    "Measure",
    MEASURES,
    key="trend_unit",
    format_func=lambda u: (
        "Number of seizures" if u == "seizures" else f"Quantity in {UNIT_LABELS[u]}"
    ),
)
unit = None if measure == "seizures" else measure
view = ui.trends(query, period, split, unit)
counts, excluded, rolling = view["counts"], view["excluded"], view["rolling"]
value = "seizures" if unit is None else "quantity"
ui.chart(
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
    "trend_chart",
)
if excluded:
    st.caption(
        f"{excluded:,} records dated to the year only are left out of the {period}ly counts."
    )
ui.chart(
    charts.year_on_year_chart(
        view["year_on_year"],
        title="Year on year",
        subtitle=ui.summary(query),
        value=value,
        unit=unit,
    ),
    "yoy_chart",
)
