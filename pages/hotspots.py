"""Border hotspots: where along the selected pair's border seizures cluster, and the ranking."""

import streamlit as st

import ui

LAYERS = {
    "points": "Seizures",
    "density": "H3 density",
    "hotspots": "Gi* hot/cold spots",
    "places": "Airports, seaports, crossings",
}

query = ui.current_query()
ui.page_header("Border hotspots", query)

controls = st.columns([3, 1, 1])
layers = controls[0].pills(
    "Layers",
    list(LAYERS),
    default=["points", "hotspots", "places"],
    selection_mode="multi",
    format_func=LAYERS.get,
    key="hotspot_layers",
)
resolution = controls[1].selectbox("Hexagon size (H3)", [5, 6, 7, 8], index=1, key="hotspot_res")
confidence = controls[2].selectbox("Confidence", [99, 95, 90], index=1, key="hotspot_conf")

deck = ui.hotspot_map(query, tuple(layers or ()), resolution)
left, right = st.columns([3, 2])
with left:
    st.pydeck_chart(deck, height=560, key="hotspot_map")
    if deck.note:
        st.caption(deck.note)
with right:
    if not query.pair:
        st.info("Choose a country pair in the sidebar to rank the hot spots along its border.")
    else:
        ranked = ui.hotspot_ranking(query, resolution, confidence)
        st.subheader(f"Ranked hot spots ({confidence}% confidence, FDR-corrected)")
        if ranked.empty:
            st.write("No statistically significant cluster along this border for these filters.")
        else:
            st.dataframe(
                ranked[["rank", "place", "count", "gi_z", "confidence", "border_distance_km"]],
                hide_index=True,
                key="hotspot_table",
                column_config={
                    "gi_z": st.column_config.NumberColumn("Gi* z", format="%.1f"),
                    "border_distance_km": st.column_config.NumberColumn(
                        "km to border", format="%.1f"
                    ),
                },
            )
