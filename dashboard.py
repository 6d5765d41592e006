"""Wildlife Seizure Atlas: page config, the shared filters and the table of pages."""

import streamlit as st

import ui
from geo.paths import DATA_DIR

ICON = DATA_DIR / "icon.png"

st.set_page_config(
    page_title="Wildlife Seizure Atlas",
    page_icon=str(ICON),  # a file, not a Material icon: those come from Google's servers
    layout="wide",
    # Presentation mode folds the sidebar away (a shared view opens so); leaving it opens it.
    initial_sidebar_state="collapsed" if ui.presenting() else "expanded",
)

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/hotspots.py", title="Border hotspots", icon=":material/map:"),
    st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:"),
    st.Page("pages/species.py", title="Species × country pair", icon=":material/pets:"),
    st.Page("pages/routes.py", title="Routes", icon=":material/route:"),
    st.Page("pages/briefing.py", title="Briefing", icon=":material/description:"),
    st.Page("pages/data.py", title="Data", icon=":material/database:"),
]
# The pages are listed by the links below (with their titles from the first run on), not by
# Streamlit's own menu, which names them after their files until the app first runs.
navigation = st.navigation(pages, position="hidden")
# No page runs for no one: on a store with users, the sign-in form until someone signs in
# (the link's page and filters stay in the address, and open once they have); on a store
# without users served beyond this computer, only the refusal to serve it.
blocked = ui.access_page()
if blocked is not None:
    blocked()
    st.stop()
for page in pages:
    st.sidebar.page_link(page)
st.sidebar.divider()
ui.account_box()
ui.draw_filters(navigation.url_path)
ui.presentation_style()
navigation.run()
