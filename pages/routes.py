"""Routes: origin → transit → destination flows, as arcs on the map and as a Sankey diagram."""

import streamlit as st

import ui
from geo.report import charts

query = ui.current_query()
ui.page_header("Routes", query)
view = ui.routes(query)
st.pydeck_chart(view["map"], height=520, key="route_map")
st.plotly_chart(
    charts.sankey_chart(view["legs"], title="Trade chains", subtitle=ui.summary(query)),
    key="sankey",
)
