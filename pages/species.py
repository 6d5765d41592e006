"""Species × country pair: which taxa dominate along which borders, and a country's roles."""

import streamlit as st

import ui
from geo.reference.catalogue import country_label, pair_label
from geo.report import charts

PROFILE_KEY = "profile_country"

query = ui.current_query()
ui.page_header("Species × country pair", query)

choices = ui.options(ui.data_version())["countries"]
default = query.countries[0] if query.countries else ("CN" if "CN" in choices else choices[0])
country = ui.page_setting("profile", PROFILE_KEY, choices, default, label="country profile")
view = ui.species(query, country)

# The matrix compares borders, so it ignores the pair filter (the rest of the page uses it).
ui.chart(
    charts.taxa_pair_heatmap(
        view["matrix"],
        title="Seizures by taxon and border pair (all borders)",
        subtitle=ui.summary(query, with_pair=False),
    ),
    "taxa_pair_heatmap",
)

left, right = st.columns(2)
with left:
    title = f"Top taxa, {pair_label(query.pair)} border" if query.pair else "Top taxa"
    st.caption(f"Border seizures are those within {query.border_km:g} km of the border.")
    ui.chart(charts.top_taxa_chart(view["top_taxa"], title=title), "top_taxa_chart")
    ui.table(view["top_taxa"], "top_taxa_table")
with right:
    st.subheader("Country profile")
    st.selectbox(
        "Country",
        choices,
        format_func=lambda c: f"{country_label(c)} ({c})",
        key=PROFILE_KEY,
    )
    st.caption(f"What role does {country_label(country)} play in the seizures under these filters?")
    ui.table(view["profile"], "country_profile")
