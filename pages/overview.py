"""Overview: key figures for the current filters, a small map and the latest seizures."""

import streamlit as st

import ui
from geo.report.tables import quantity_text

query = ui.current_query()
ui.page_header("Overview", query)
view = ui.overview(query)
figures = view["figures"]

change = figures.get("change", {}).get("seizures")
columns = st.columns(4)
columns[0].metric(
    "Seizures",
    f"{figures['seizures']:,}",
    delta=None if not change else f"{change['delta']:+,} vs previous period",
    delta_color="off",
    help="Change against the period of the same length just before (set both dates).",
)
columns[1].metric("Species and taxa", f"{figures['species']:,}")
columns[2].metric("Countries involved", f"{figures['countries_involved']:,}")
kg = figures["quantity_by_unit"].get("kg")
columns[3].metric("Seized by weight", "—" if kg is None else f"{kg:,.0f} kg")

left, right = st.columns([3, 2])
with left:
    ui.map_view(view["map"], "overview_map", height=420)
with right:
    ui.chart(view["bar"], "overview_groups")
    units = {u: q for u, q in figures["quantity_by_unit"].items() if u}
    if units:
        st.caption(
            "Quantity by unit (never added across units): "
            + " · ".join(quantity_text(q, u) for u, q in units.items())
        )
st.subheader("Latest seizures")
ui.table(view["latest"], "overview_latest")
