"""Routes: origin → transit → destination flows, as arcs on the map and as a Sankey diagram."""

import streamlit as st

import ui
from geo.analysis import flows
from geo.report import charts, maps

query = ui.current_query()
ui.page_header("Routes", query)
arcs = ui.on_records(flows.route_arcs, query)
st.pydeck_chart(maps.route_map(arcs), height=520, key="route_map")
legs = ui.on_records(flows.route_flows, query)
st.plotly_chart(
    charts.sankey_chart(legs, title="Trade chains", subtitle=ui.summary(query)), key="sankey"
)
