"""The shared filters and their state: drawn once in the sidebar, kept in the URL.

Pages read the query with :func:`current_query` and never spell a session-state key: the
keys are the constants below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from geo.reference.countries import country_name
from geo.reference.species import commodity_name, taxon_info
from geo.schema import LOCATION_TYPES, TAXON_GROUPS, TRANSPORT_MODES
from geo.store.query import COUNTRY_ROLES, Query, describe_query
from ui.cache import data_version, options, sample_only

# Session-state keys: pages read these constants, never string literals.
KEY_DATE_FROM = "filter_date_from"
KEY_DATE_TO = "filter_date_to"
KEY_GROUPS = "filter_taxon_groups"
KEY_TAXA = "filter_taxa"
KEY_COUNTRIES = "filter_countries"
KEY_ROLE = "filter_country_role"
KEY_PAIR = "filter_pair"
KEY_BORDER_KM = "filter_border_km"
KEY_COMMODITIES = "filter_commodities"
KEY_MODES = "filter_transport_modes"
KEY_PLACES = "filter_location_types"
KEY_PRESENT = "presentation"
KEY_URL_LOADED = "_url_loaded"

NO_PAIR = "—"
SAMPLE_NOTICE = (
    "Sample data: these records are synthetic, generated to look like real seizures at real "
    "crossings, airports and seaports. They are not real seizures. Import your own data on "
    "the Data page."
)


def taxon_label(taxon: str) -> str:
    """Return "Manis javanica (Sunda pangolin)" for a taxon, or the name alone."""
    info = taxon_info(taxon)
    common = info["names_en"][0] if info and info.get("names_en") else ""
    return f"{taxon} ({common})" if common else taxon


def _load_url_state(choices: dict[str, Any]) -> None:
    """On a session's first run, put the URL's filters into the widgets' state."""
    if st.session_state.get(KEY_URL_LOADED):
        return
    st.session_state[KEY_URL_LOADED] = True
    params = st.query_params.to_dict()
    query = Query.from_params(params)
    st.session_state[KEY_DATE_FROM] = query.date_from or choices["first"]
    st.session_state[KEY_DATE_TO] = query.date_to or choices["last"]
    st.session_state[KEY_GROUPS] = list(query.taxon_groups)
    st.session_state[KEY_TAXA] = [t for t in query.taxa if t in choices["taxa"]]
    st.session_state[KEY_COUNTRIES] = list(query.countries)
    st.session_state[KEY_ROLE] = query.country_role
    st.session_state[KEY_PAIR] = query.pair if query.pair in choices["pairs"] else NO_PAIR
    st.session_state[KEY_BORDER_KM] = int(query.border_km)
    st.session_state[KEY_COMMODITIES] = list(query.commodities)
    st.session_state[KEY_MODES] = list(query.transport_modes)
    st.session_state[KEY_PLACES] = list(query.location_types)
    st.session_state[KEY_PRESENT] = params.get("present") == "1"


def draw_filters() -> Query:
    """Draw the shared filters in the sidebar and keep them in the URL; return the query."""
    choices = options(data_version())
    _load_url_state(choices)
    sidebar = st.sidebar
    sidebar.toggle("Presentation mode", key=KEY_PRESENT, help="Larger type, filters as heading")
    sidebar.header("Filters")
    left, right = sidebar.columns(2)
    left.date_input("From", key=KEY_DATE_FROM, min_value=dt.date(1975, 1, 1))
    right.date_input("To", key=KEY_DATE_TO, min_value=dt.date(1975, 1, 1))
    sidebar.selectbox(
        "Country pair (border)",
        [NO_PAIR, *choices["pairs"]],
        key=KEY_PAIR,
        format_func=_pair_label,
    )
    sidebar.slider("Border band (km)", 5, 200, step=5, key=KEY_BORDER_KM)
    sidebar.multiselect(
        "Taxon group", [g for g in TAXON_GROUPS if g not in ("unknown",)], key=KEY_GROUPS
    )
    sidebar.multiselect(
        "Species",
        choices["taxa"],
        key=KEY_TAXA,
        format_func=taxon_label,
        placeholder="Search scientific or common name",
    )
    sidebar.multiselect(
        "Country",
        choices["countries"],
        key=KEY_COUNTRIES,
        format_func=lambda c: f"{country_name(c)} ({c})",
    )
    sidebar.selectbox(
        "Country's role",
        COUNTRY_ROLES,
        key=KEY_ROLE,
        format_func=lambda r: "any role" if r == "any" else r,
    )
    sidebar.multiselect(
        "Commodity",
        choices["commodities"],
        key=KEY_COMMODITIES,
        format_func=lambda c: f"{commodity_name(c)} ({c})",
    )
    sidebar.multiselect(
        "Transport", TRANSPORT_MODES, key=KEY_MODES, format_func=lambda m: m.replace("_", " ")
    )
    sidebar.multiselect(
        "Place type", LOCATION_TYPES, key=KEY_PLACES, format_func=lambda m: m.replace("_", " ")
    )
    query = current_query(choices)
    params = query.to_params()
    if st.session_state.get(KEY_PRESENT):
        params["present"] = "1"
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
    return query


def _pair_label(pair: str) -> str:
    if pair == NO_PAIR:
        return "— none —"
    a, b = pair.split("-")
    return f"{country_name(a)} – {country_name(b)} ({pair})"


def _run_through_entry_point() -> None:
    """Make sure a page runs inside dashboard.py, even as the first page a new server serves.

    Streamlit runs the very first session of a server in its old "pages/ directory" mode,
    which would run a page opened by URL (/hotspots?pair=CN-LA) on its own, without the
    sidebar filters.  Switch that mode off and rerun: dashboard.py then draws the filters and
    st.navigation runs the page the URL names.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current_query(choices: dict[str, Any] | None = None) -> Query:
    """The query the sidebar's widgets describe (dates at the data's bounds count as open)."""
    _run_through_entry_point()
    choices = choices or options(data_version())
    state = st.session_state
    date_from = state.get(KEY_DATE_FROM)
    date_to = state.get(KEY_DATE_TO)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    pair = state.get(KEY_PAIR)
    return Query(
        date_from=None if date_from == choices["first"] else date_from,
        date_to=None if date_to == choices["last"] else date_to,
        taxon_groups=tuple(state.get(KEY_GROUPS) or ()),
        taxa=tuple(state.get(KEY_TAXA) or ()),
        countries=tuple(state.get(KEY_COUNTRIES) or ()),
        country_role=state.get(KEY_ROLE) or "any",
        pair=None if pair in (None, NO_PAIR) else pair,
        border_km=float(state.get(KEY_BORDER_KM) or 50),
        commodities=tuple(state.get(KEY_COMMODITIES) or ()),
        transport_modes=tuple(state.get(KEY_MODES) or ()),
        location_types=tuple(state.get(KEY_PLACES) or ()),
    )


def summary(query: Query) -> str:
    """The one-line description of the active filters."""
    codes = set(query.countries)
    if query.pair:
        codes.update(query.pair.split("-"))
    names = {code: country_name(code) for code in codes}
    names.update({code: commodity_name(code) for code in query.commodities})
    return describe_query(query, names)


def page_header(title: str, query: Query) -> None:
    """Title, the filter summary (the heading in presentation mode) and the sample notice."""
    text = summary(query)
    if st.session_state.get(KEY_PRESENT):
        st.markdown(f"# {title}: {text}")
    else:
        st.title(title)
        st.caption(f"Filters: {text}")
    if sample_only():
        st.warning(SAMPLE_NOTICE, icon=":material/science:")


def presentation_style() -> None:
    """Larger type for the meeting room (the sidebar stays reachable to leave the mode)."""
    if st.session_state.get(KEY_PRESENT):
        st.markdown(
            "<style>section[data-testid='stMain'] {font-size: 1.25rem;} "
            "[data-testid='stMetricValue'] {font-size: 3rem;}</style>",
            unsafe_allow_html=True,
        )
