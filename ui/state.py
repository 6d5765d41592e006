"""The shared filters and their state: drawn once in the sidebar, kept in the URL.

Pages read the query with :func:`current_query` and never spell a session-state key: the
keys are the constants below.  A link's values are checked by :func:`url_filters`: one that
the widgets cannot show is clamped to their range or left out, with a one-line note.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import streamlit as st

from geo.reference.catalogue import (
    GROUP_LABELS,
    LOCATION_TYPE_LABELS,
    ROLE_LABELS,
    TRANSPORT_LABELS,
    commodity_label,
    country_label,
    pair_label,
    taxa_summary,
    taxon_label,
)
from geo.schema import LOCATION_TYPES, TAXON_GROUPS, TRANSPORT_MODES
from geo.store.query import COUNTRY_ROLES, Query, describe_query
from geo.store.store import StoreBusy
from ui.cache import data_version, options, principal, reading_snapshot, synthetic_share
from ui.settings import PAGE_PARAMS, plain_markdown
from ui.settings import shown_value as _shown

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
KEY_URL_NOTES = "_url_notes"

NO_PAIR = "—"
BUSY_NOTE = "An import is running; figures show the store as it was before it."
BUSY_NO_COPY = (
    "An import is running and the dashboard has no earlier copy of the store to show; "
    "reload the page when the import has finished."
)

# The border band slider: smallest, largest, step and default (km).
BORDER_KM_MIN, BORDER_KM_MAX, BORDER_KM_STEP, BORDER_KM_DEFAULT = 5, 200, 5, 50
EARLIEST_DATE = dt.date(1975, 1, 1)

# What the link's list filters are called in a note, and the choices the store does not decide.
_LIST_FILTERS = {
    "taxon_groups": (KEY_GROUPS, "taxon group"),
    "taxa": (KEY_TAXA, "species"),
    "countries": (KEY_COUNTRIES, "country"),
    "commodities": (KEY_COMMODITIES, "commodity"),
    "transport_modes": (KEY_MODES, "transport"),
    "location_types": (KEY_PLACES, "place type"),
}
_FIXED_CHOICES = {
    "taxon_groups": [g for g in TAXON_GROUPS if g != "unknown"],
    "transport_modes": list(TRANSPORT_MODES),
    "location_types": list(LOCATION_TYPES),
}


def url_filters(
    params: dict[str, Any], choices: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Return the widgets' state for a link's filters, and a note for each value changed.

    Parameters
    ----------
    params : dict
        The link's query parameters (a list value counts as its items joined by ``,``).
    choices : dict
        :func:`ui.cache.options`: the store's ``first`` and ``last`` record dates and the
        ``taxa``, ``pairs``, ``countries`` and ``commodities`` it holds.

    Returns
    -------
    state : dict
        Session-state key to widget value, for every filter.  A border distance that is not
        a number is the default; one outside the slider is clamped to it.  Dates are clamped
        to the first and last record, a reversed range is swapped, and a value that is not a
        date is left out; so are pairs, species, countries... the filters do not offer.
    notes : list of str
        One sentence per value that was changed or left out, e.g. "The link's border
        distance 'nan' is not a number; using 50 km."
    """
    text = {
        name: ",".join(map(str, raw)) if isinstance(raw, list | tuple) else str(raw)
        for name, raw in params.items()
    }
    notes: list[str] = []
    first, last = choices["first"], choices["last"]
    date_from = _url_date(text.get("date_from"), "start", first, last, notes)
    date_to = _url_date(text.get("date_to"), "end", first, last, notes)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
        notes.append(
            f"The link's start date was after its end date; showing {date_from} to {date_to}."
        )
    state: dict[str, Any] = {
        KEY_DATE_FROM: date_from or first,
        KEY_DATE_TO: date_to or last,
        KEY_BORDER_KM: _url_border_km(text.get("border_km"), notes),
        KEY_PAIR: _url_pair(text.get("pair"), choices["pairs"], notes),
        KEY_ROLE: "any",
        KEY_PRESENT: text.get("present") == "1",
    }
    role = text.get("country_role", "").strip()
    if role in COUNTRY_ROLES:
        state[KEY_ROLE] = role
    elif role:
        notes.append(
            f"The link's country role {_shown(role)} is not one of {', '.join(COUNTRY_ROLES)}; "
            "using any role."
        )
    for name, (key, label) in _LIST_FILTERS.items():
        offered = _FIXED_CHOICES.get(name) or choices[name]
        wanted = list(dict.fromkeys(v.strip() for v in text.get(name, "").split(",") if v.strip()))
        state[key] = [value for value in wanted if value in offered]
        left_out = [value for value in wanted if value not in offered]
        if left_out:
            shown = ", ".join(_shown(value) for value in left_out[:3])
            more = f" and {len(left_out) - 3} more" if len(left_out) > 3 else ""
            verb = "is" if len(left_out) == 1 else "are"
            notes.append(
                f"The link's {label} {shown}{more} {verb} not among the filter's choices; left out."
            )
    return state, notes


def _url_date(
    raw: str | None, which: str, first: dt.date, last: dt.date, notes: list[str]
) -> dt.date | None:
    """A link's start or end date, within the records' dates (None: open)."""
    if raw is None or not raw.strip():
        return None
    try:
        value = dt.date.fromisoformat(raw.strip())
    except ValueError:
        bound = "the first record" if which == "start" else "the last record"
        notes.append(
            f"The link's {which} date {_shown(raw)} is not a date like 2024-01-31; using {bound}."
        )
        return None
    if value < first:
        notes.append(f"The link's {which} date {value} is before the first record; using {first}.")
        return first
    if value > last:
        notes.append(f"The link's {which} date {value} is after the last record; using {last}.")
        return last
    return value


def _url_border_km(raw: str | None, notes: list[str]) -> int:
    """A link's border distance, on the slider's range and steps."""
    if raw is None or not raw.strip():
        return BORDER_KM_DEFAULT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        notes.append(
            f"The link's border distance {_shown(raw)} is not a number; "
            f"using {BORDER_KM_DEFAULT} km."
        )
        return BORDER_KM_DEFAULT
    step = BORDER_KM_STEP
    used = int(min(max(round(value / step) * step, BORDER_KM_MIN), BORDER_KM_MAX))
    if used != value:
        notes.append(
            f"The link's border distance {_shown(raw)} km is not on the slider "
            f"({BORDER_KM_MIN}–{BORDER_KM_MAX} km in steps of {step}); using {used} km."
        )
    return used


def _url_pair(raw: str | None, pairs: list[str], notes: list[str]) -> str:
    """A link's country pair, if the store has border seizures for it (else no pair)."""
    if raw is None or not raw.strip():
        return NO_PAIR
    try:
        pair = Query(pair=raw.strip()).pair
    except ValueError:
        notes.append(
            f"The link's country pair {_shown(raw)} is not a pair like CN-LA; showing no pair."
        )
        return NO_PAIR
    if pair not in pairs:
        notes.append(
            f"The link's country pair {pair} has no border seizures in the store; showing no pair."
        )
        return NO_PAIR
    return pair


def _load_url_state(choices: dict[str, Any]) -> None:
    """On a session's first run, put the URL's filters into the widgets' state."""
    if st.session_state.get(KEY_URL_LOADED):
        return
    st.session_state[KEY_URL_LOADED] = True
    state, notes = url_filters(st.query_params.to_dict(), choices)
    for key, value in state.items():
        st.session_state[key] = value
    st.session_state[KEY_URL_NOTES] = notes


def draw_filters(page: str = "") -> Query:
    """Draw the shared filters in the sidebar and keep them in the URL; return the query.

    ``page`` is the URL path of the page being shown: its settings (:data:`PAGE_PARAMS`)
    stay in the URL beside the filters; other pages' settings are dropped.
    """
    try:
        choices = options(data_version())
    except StoreBusy:  # locked by another process before this server ever read the store
        st.info(BUSY_NO_COPY, icon=":material/hourglass_top:")
        st.stop()
    _load_url_state(choices)
    sidebar = st.sidebar
    sidebar.toggle(
        "Presentation mode",
        key=KEY_PRESENT,
        help="For the meeting room: hides this sidebar and the menus, enlarges type, charts, "
        "tables and the map, and makes the filters the heading.",
    )
    sidebar.header("Filters")
    earliest = min(EARLIEST_DATE, choices["first"])
    sidebar.date_input("From", key=KEY_DATE_FROM, min_value=earliest, format="YYYY-MM-DD")
    sidebar.date_input("To", key=KEY_DATE_TO, min_value=earliest, format="YYYY-MM-DD")
    sidebar.selectbox(
        "Country pair (border)",
        [NO_PAIR, *choices["pairs"]],
        key=KEY_PAIR,
        format_func=_pair_label,
    )
    sidebar.slider(
        "Border band (km)", BORDER_KM_MIN, BORDER_KM_MAX, step=BORDER_KM_STEP, key=KEY_BORDER_KM
    )
    sidebar.multiselect(
        "Taxon group",
        [g for g in TAXON_GROUPS if g not in ("unknown",)],
        key=KEY_GROUPS,
        format_func=lambda g: GROUP_LABELS.get(g, g),
        placeholder="All groups",
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
        format_func=lambda c: f"{country_label(c)} ({c})",
        placeholder="All countries",
    )
    sidebar.selectbox(
        "Country's role",
        COUNTRY_ROLES,
        key=KEY_ROLE,
        format_func=lambda r: ROLE_LABELS.get(r, r),
    )
    sidebar.multiselect(
        "Commodity",
        choices["commodities"],
        key=KEY_COMMODITIES,
        format_func=lambda c: f"{commodity_label(c)} ({c})",
        placeholder="All commodities",
    )
    sidebar.multiselect(
        "Transport",
        TRANSPORT_MODES,
        key=KEY_MODES,
        format_func=lambda m: TRANSPORT_LABELS.get(m, m),
        placeholder="All modes",
    )
    sidebar.multiselect(
        "Place type",
        LOCATION_TYPES,
        key=KEY_PLACES,
        format_func=lambda m: LOCATION_TYPE_LABELS.get(m, m),
        placeholder="All place types",
    )
    query = current_query(choices)
    params = query.to_params()
    if st.session_state.get(KEY_PRESENT):
        params["present"] = "1"
    # the page's own settings stay (ui.settings writes them when the page draws them)
    current = st.query_params.to_dict()
    for name in PAGE_PARAMS.get(page, ()):
        if name in current:
            params[name] = current[name]
    if params != current:
        st.query_params.from_dict(params)
    return query


def _pair_label(pair: str) -> str:
    if pair == NO_PAIR:
        return "— none —"
    return f"{pair_label(pair)} ({pair})"


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
        border_km=float(state.get(KEY_BORDER_KM) or BORDER_KM_DEFAULT),
        commodities=tuple(state.get(KEY_COMMODITIES) or ()),
        transport_modes=tuple(state.get(KEY_MODES) or ()),
        location_types=tuple(state.get(KEY_PLACES) or ()),
    )


def summary(query: Query, with_pair: bool = True) -> str:
    """The one-line description of the active filters, in words.

    ``with_pair=False`` leaves the pair out, for a chart that compares every border.
    """
    if not with_pair:
        query = query.with_changes(pair=None)
    codes = set(query.countries)
    if query.pair:
        codes.update(query.pair.split("-"))
    names = {code: country_label(code) for code in codes}
    names.update({code: commodity_label(code) for code in query.commodities})
    names.update({group: GROUP_LABELS.get(group, group) for group in query.taxon_groups})
    names.update({mode: TRANSPORT_LABELS.get(mode, mode).lower() for mode in query.transport_modes})
    names.update(
        {kind: LOCATION_TYPE_LABELS.get(kind, kind).lower() for kind in query.location_types}
    )
    return describe_query(query, names, taxa=taxa_summary(query.taxa))


def page_header(title: str, query: Query) -> None:
    """Title, the filter summary (the heading in presentation mode) and the synthetic notice.

    Below them, one line each: what was changed in the link's filters (on the page the link
    opens), and that an import is running while the figures come from before it.  The
    synthetic notice shows whenever a record in view is synthetic, with their share.
    """
    text = summary(query)
    if st.session_state.get(KEY_PRESENT):
        heading, leave = st.columns([5, 1], vertical_alignment="center")
        heading.markdown(f"## {title}: {plain_markdown(text)}")
        leave.button(
            "Leave presentation",
            icon=":material/close_fullscreen:",
            key="leave_presentation",
            on_click=_leave_presentation,
            help="Brings back the sidebar and the menu",
        )
    else:
        st.title(title)
        st.caption(f"Filters: {plain_markdown(text)}")
    for note in st.session_state.pop(KEY_URL_NOTES, None) or ():
        st.caption(note)
    if reading_snapshot():
        st.caption(BUSY_NOTE)
    synthetic, total = synthetic_share(query)
    if synthetic and st.session_state.get(KEY_PRESENT):
        st.caption(f":material/science: {synthetic_notice(synthetic, total, short=True)}")
    elif synthetic:
        st.warning(synthetic_notice(synthetic, total), icon=":material/science:")


def synthetic_notice(synthetic: int, total: int, short: bool = False) -> str:
    """Say how many records in view are synthetic ("5,000 of 5,005 records in view…").

    ``short``: one line for the meeting room, without the advice.
    """
    share = (
        f"all {total:,} records in view are synthetic"
        if synthetic == total
        else f"{synthetic:,} of {total:,} records in view are synthetic"
    )
    if short:
        return f"Sample data: {share}, not real seizures."
    advice = (
        " Import your own data on the Data page, and remove the sample there."
        if principal().may("undo_any")  # the sample is the deployment's: its admin's to remove
        else ""
    )
    return (
        f"Sample data: {share}, generated to look like real seizures at real crossings, "
        f"airports and seaports. They are not real seizures.{advice}"
    )


def presenting() -> bool:
    """True in presentation mode: toggled in this session, or asked for by the link."""
    if KEY_PRESENT in st.session_state:
        return bool(st.session_state[KEY_PRESENT])
    return st.query_params.get("present") == "1"


def presentation_style() -> None:
    """In presentation mode: no sidebar, menu or Deploy button; larger type.

    The sidebar's widgets still run (hidden), so the filters hold; the button beside the
    heading (:func:`page_header`) leaves the mode.
    """
    if not st.session_state.get(KEY_PRESENT):
        return
    st.markdown(
        "<style>"
        "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
        "[data-testid='stExpandSidebarButton'], [data-testid='stHeader'], "
        "[data-testid='stToolbar'], [data-testid='stDecoration'] {display: none !important;} "
        "[data-testid='stMain'] {font-size: 1.3rem;} "
        "[data-testid='stMainBlockContainer'] {padding: 1rem 2rem 2rem 2rem; max-width: 100%;} "
        "[data-testid='stMetricValue'] {font-size: 3.2rem;} "
        "[data-testid='stMetricLabel'] p {font-size: 1.3rem;} "
        "[data-testid='stCaptionContainer'] {font-size: 1.1rem;} "
        "[data-testid='stTable'] td, [data-testid='stTable'] th {font-size: 1.15rem;} "
        ".map-legend {zoom: 1.3;} "
        "</style>",
        unsafe_allow_html=True,
    )


def _leave_presentation() -> None:
    st.session_state[KEY_PRESENT] = False
