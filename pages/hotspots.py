"""Border hotspots: where along the selected pair's border seizures cluster, and the ranking."""

import streamlit as st

import ui
from geo.analysis.cell_hotspots import CONFIDENCES, DEFAULT_CONFIDENCE, DEFAULT_RESOLUTION
from geo.report.tables import hotspot_table

LAYERS = {
    "points": "Seizures",
    "density": "Seizure density (hexagons)",
    "hotspots": "Hot and cold spots (Gi*)",
    "places": "Airports, seaports, crossings",
}
RESOLUTIONS = {
    5: "Large (~250 km²)",
    6: "Medium (~36 km²)",
    7: "Small (~5 km²)",
    8: "Tiny (~0.7 km²)",
}

query = ui.current_query()
ui.page_header("Border hotspots", query)

ui.page_setting(
    "layers",
    "hotspot_layers",
    list(LAYERS),
    ["points", "hotspots", "places"],
    multi=True,
    label="map layers",
)
ui.page_setting(
    "hexagon", "hotspot_res", list(RESOLUTIONS), DEFAULT_RESOLUTION, label="hexagon size"
)
ui.page_setting(
    "confidence", "hotspot_conf", list(CONFIDENCES), DEFAULT_CONFIDENCE, label="confidence"
)
controls = st.columns([3, 1, 1])
layers = controls[0].pills(
    "Layers", list(LAYERS), selection_mode="multi", format_func=LAYERS.get, key="hotspot_layers"
)
resolution = controls[1].selectbox(
    "Hexagon size", list(RESOLUTIONS), format_func=RESOLUTIONS.get, key="hotspot_res"
)
confidence = controls[2].selectbox(
    "Confidence", list(CONFIDENCES), format_func=lambda c: f"{c}%", key="hotspot_conf"
)

deck = ui.hotspot_map(query, tuple(layers or ()), resolution)
left, right = st.columns([3, 2])
with left:
    ui.map_view(deck, "hotspot_map", height=560)
found = ui.hotspot_ranking(query, resolution, confidence) if query.pair else None
with right:
    if found is None:
        st.info("Choose a country pair in the sidebar to rank the hot spots along its border.")
    else:
        st.subheader(f"Hot spots along the border ({confidence}% confidence, FDR-corrected)")
        if found.sentence:
            st.write(found.sentence)
if found is not None and not found.ranking.empty:
    # the ranking's full width: its places, main taxa and figures need the room
    ui.table(
        hotspot_table(found.ranking),
        "hotspot_table",
        words=False,
        column_config={
            "Gi* z-score": st.column_config.NumberColumn(format="%.1f"),
            "Distance to the border (km)": st.column_config.NumberColumn(format="%.1f"),
        },
    )
