"""Streamlit glue: the cached store, cached loaders, the shared filters and their state keys.

This is the only non-page module that imports Streamlit.  Filters are drawn once (in the
sidebar, from dashboard.py) and kept in the URL, so a view can be shared and reopened.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo.analysis import overview
from geo.ingest.enrichment import upgrade_store
from geo.ingest.importer import ImportReport, import_file, validate_file
from geo.ingest.readers import UnreadableFileError
from geo.paths import SAMPLE_FILE
from geo.reference.countries import country_name
from geo.reference.species import commodity_name, taxon_info
from geo.schema import LOCATION_TYPES, TAXON_GROUPS, TRANSPORT_MODES
from geo.store.query import COUNTRY_ROLES, Query, describe_query
from geo.store.store import Store, open_store

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
RECORD_COLUMNS = [
    "record_id", "seizure_date", "date_precision", "seizing_country", "location_name", "lat",
    "lon", "coord_precision", "location_type", "transport_mode", "origin_countries",
    "export_country", "transit_countries", "destination_country", "taxon", "taxon_group",
    "cites_appendix", "commodity", "quantity", "unit", "notes", "border_pair",
    "border_distance_km", "located_country", "h3_r3", "h3_r4", "h3_r5", "h3_r6", "h3_r7",
    "h3_r8",
]  # fmt: skip


@st.cache_resource(show_spinner="Opening the store…")
def store() -> Store:
    """Open the store once per server; load the shipped sample into a fresh, empty store."""
    opened = open_store()
    if opened.count() == 0 and opened.batches().empty and SAMPLE_FILE.exists():
        import_file(SAMPLE_FILE, opened)
    upgrade_store(opened)
    return opened


def data_version() -> str:
    """A token that changes whenever the store's records change (every cache is keyed on it)."""
    return store().data_version()


@st.cache_data(show_spinner=False, max_entries=32)
def _records(version: str, query: Query, columns: tuple[str, ...]) -> pd.DataFrame:
    return store().select(query, columns=list(columns))


def records(query: Query, columns: list[str] | None = None) -> pd.DataFrame:
    """The records a query selects (cached on the query and the store's version)."""
    return _records(data_version(), query, tuple(columns or RECORD_COLUMNS))


def on_records(function: Callable[..., Any], query: Query, *args: Any, **kwargs: Any) -> Any:
    """Call ``function(records, *args, **kwargs)`` on a query's records, cached.

    The cache key is the store version, the function's name, the query and the (small,
    hashable) arguments: never the records themselves, which would be hashed on every rerun.
    Functions passed as keyword arguments are keyed by their qualified name.
    """
    key = tuple(
        (name, _name_of(value) if callable(value) else value)
        for name, value in sorted(kwargs.items())
    )
    return _on_records(data_version(), _name_of(function), query, args, key, function, kwargs)


def _name_of(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


@st.cache_data(show_spinner=False, max_entries=64)
def _on_records(
    version: str,
    name: str,
    query: Query,
    args: tuple,
    key: tuple,
    _function: Callable[..., Any],
    _kwargs: dict[str, Any],
) -> Any:
    return _function(records(query), *args, **_kwargs)


def key_figures(query: Query) -> dict[str, Any]:
    """Key figures for a query, compared with the period of the same length just before."""
    return _key_figures(data_version(), query)


@st.cache_data(show_spinner=False, max_entries=32)
def _key_figures(version: str, query: Query) -> dict[str, Any]:
    previous = None
    if query.date_from and query.date_to:
        start, end = overview.previous_period(query.date_from, query.date_to)
        previous = records(query.with_changes(date_from=start, date_to=end))
    return overview.key_figures(records(query), previous)


@st.cache_data(show_spinner=False)
def batches(version: str) -> pd.DataFrame:
    return store().batches()


@st.cache_data(show_spinner=False)
def options(version: str) -> dict[str, Any]:
    """Values present in the store, for the filter widgets."""
    frame = store().select(
        columns=[
            "seizure_date",
            "taxon",
            "border_pair",
            "commodity",
            "seizing_country",
            "origin_countries",
            "transit_countries",
            "destination_country",
        ],
        order_by_date=False,
    )
    countries: set[str] = set(frame["seizing_country"].dropna())
    countries |= set(frame["destination_country"].dropna())
    for column in ("origin_countries", "transit_countries"):
        for value in frame[column].dropna():
            countries.update(value.split(";"))
    dates = pd.to_datetime(frame["seizure_date"])
    return {
        "first": dates.min().date() if len(frame) else dt.date(2000, 1, 1),
        "last": dates.max().date() if len(frame) else dt.date.today(),
        "taxa": frame["taxon"].value_counts().index.tolist(),
        "pairs": frame["border_pair"].value_counts().index.tolist(),
        "commodities": frame["commodity"].value_counts().index.tolist(),
        "countries": sorted(countries, key=country_name),
    }


def sample_only() -> bool:
    """True while the store holds nothing but the shipped synthetic sample."""
    names = set(batches(data_version())["file_name"])
    return not names or names == {SAMPLE_FILE.name}


def taxon_label(taxon: str) -> str:
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


def _saved_upload(upload: Any) -> Path:
    """Write an uploaded file to a private temporary folder under its own name."""
    folder = Path(tempfile.gettempdir()) / "seizure-atlas-uploads" / upload.file_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(upload.name).name
    if not path.exists():
        path.write_bytes(upload.getvalue())
    return path


def check_upload(upload: Any) -> dict[str, Any]:
    """Validate an uploaded file against the store (nothing stored); cached per upload."""
    key = f"_checked_{upload.file_id}"
    if key not in st.session_state:
        try:
            report = validate_file(_saved_upload(upload), store=store())
            st.session_state[key] = {"report": report}
        except UnreadableFileError as error:
            st.session_state[key] = {"error": str(error)}
    return st.session_state[key]


def import_upload(upload: Any) -> ImportReport:
    """Import an uploaded file as one batch and refresh every cached view."""
    report = import_file(_saved_upload(upload), store())
    st.session_state.pop(f"_checked_{upload.file_id}", None)
    st.cache_data.clear()
    return report


def undo(batch_id: str) -> dict[str, Any]:
    """Remove an import batch and refresh every cached view."""
    result = store().undo_batch(batch_id)
    st.cache_data.clear()
    return result
