"""Species × country pair: which taxa dominate along which borders, and a country's roles."""

import streamlit as st

import ui
from geo.reference.countries import country_name
from geo.report import charts

PROFILE_KEY = "profile_country"

query = ui.current_query()
ui.page_header("Species × country pair", query)

choices = ui.options(ui.data_version())["countries"]
default = query.countries[0] if query.countries else ("CN" if "CN" in choices else choices[0])
# Drawn before the view is computed (the profile needs it); shown in the right column.
country = st.session_state.get(PROFILE_KEY, default)
view = ui.species(query, country if country in choices else default)

# The matrix compares borders, so it ignores the pair filter (the rest of the page uses it).
st.plotly_chart(
    charts.taxa_pair_heatmap(
        view["matrix"], title="Seizures by taxon and border pair", subtitle=ui.summary(query)
    ),
    key="taxa_pair_heatmap",
)

left, right = st.columns(2)
with left:
    title = f"Top taxa, {query.pair} border" if query.pair else "Top taxa"
    st.caption(f"Border seizures are those within {query.border_km:g} km of the border.")
    st.plotly_chart(charts.top_taxa_chart(view["top_taxa"], title=title), key="top_taxa_chart")
    st.dataframe(view["top_taxa"], hide_index=True, key="top_taxa_table")
with right:
    st.subheader("Country profile")
    st.selectbox(
        "Country",
        choices,
        index=choices.index(default) if default in choices else 0,
        format_func=lambda c: f"{country_name(c)} ({c})",
        key=PROFILE_KEY,
    )
    st.caption(f"What role does {country_name(country)} play in the seizures under these filters?")
    st.dataframe(view["profile"], hide_index=True, key="country_profile")
