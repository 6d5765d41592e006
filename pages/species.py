"""Species × country pair: which taxa dominate along which borders, and a country's roles."""

import streamlit as st

import ui
from geo.analysis import breakdowns
from geo.reference.countries import country_name
from geo.report import charts

query = ui.current_query()
ui.page_header("Species × country pair", query)

# The matrix compares borders, so it ignores the pair filter (the rest of the page uses it).
matrix = ui.on_records(
    breakdowns.taxa_by_pair, query.with_changes(pair=None), border_km=query.border_km
)
st.plotly_chart(
    charts.taxa_pair_heatmap(
        matrix, title="Seizures by taxon and border pair", subtitle=ui.summary(query)
    ),
    key="taxa_pair_heatmap",
)

left, right = st.columns(2)
with left:
    title = f"Top taxa, {query.pair} border" if query.pair else "Top taxa"
    st.caption(f"Border seizures are those within {query.border_km:g} km of the border.")
    top = ui.on_records(breakdowns.top_taxa, query, 12)
    st.plotly_chart(charts.top_taxa_chart(top, title=title), key="top_taxa_chart")
    st.dataframe(top, hide_index=True, key="top_taxa_table")
with right:
    st.subheader("Country profile")
    choices = ui.options(ui.data_version())["countries"]
    default = query.countries[0] if query.countries else ("CN" if "CN" in choices else choices[0])
    country = st.selectbox(
        "Country",
        choices,
        index=choices.index(default) if default in choices else 0,
        format_func=lambda c: f"{country_name(c)} ({c})",
        key="profile_country",
    )
    profile = ui.on_records(breakdowns.country_profile, query.with_changes(countries=()), country)
    st.caption(f"What role does {country_name(country)} play in the seizures under these filters?")
    st.dataframe(profile, hide_index=True, key="country_profile")
