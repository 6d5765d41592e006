"""Wildlife Seizure Atlas: page config, the shared notice and the table of pages."""

import streamlit as st

import ui

st.set_page_config(
    page_title="Wildlife Seizure Atlas", page_icon=":material/travel_explore:", layout="wide"
)

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
]
ui.sample_notice()
st.navigation(pages).run()
