"""Routes: origin → transit → destination flows, as arcs on the map and as a Sankey diagram."""

import ui
from geo.report import charts

query = ui.current_query()
ui.page_header("Routes", query)
view = ui.routes(query)
ui.map_view(view["map"], "route_map", height=520)
ui.chart(
    charts.sankey_chart(view["legs"], title="Trade chains", subtitle=ui.summary(query)),
    "sankey",
)
