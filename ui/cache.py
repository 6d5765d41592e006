"""The store and every cached view: each cache is keyed on the store's version and plain values.

All ``st.cache_data`` lives here, around the pure view functions of
:mod:`geo.report.views`.  Keys are small hashable values (a frozen ``Query``, page
settings, the store's version), never frames, and always the reader (a frozen
:class:`~geo.store.access.Principal`): a view cached for one user's scope is never served
to another's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from geo.ingest.enrichment import upgrade_store
from geo.ingest.sample_store import import_sample
from geo.paths import SAMPLE_FILE
from geo.reference.countries import country_name
from geo.report import views
from geo.report.tables import RECORD_VIEW_COLUMNS
from geo.store import aggregates
from geo.store.access import LOOPBACK_ADDRESSES, Principal
from geo.store.query import Query
from geo.store.store import Store, acting_as, open_store

# How long a read of the store's version is trusted: a rerun asks once, and an import from
# the command line shows within this many seconds.
VERSION_SECONDS = 2
# The Data page lists and downloads at most this many records; `seizures export` has all.
LIST_LIMIT = 5_000
DOWNLOAD_LIMIT = 50_000


# Session state: who signed in (a Principal), and when they last used the dashboard.
KEY_PRINCIPAL = "_signed_in"
KEY_LAST_SEEN = "_signed_in_seen"
# How long a read of whether the store has users is trusted (a user added on the command
# line takes effect within this many seconds).
USERS_SECONDS = 5


@st.cache_resource(show_spinner="Opening the store…")
def base_store() -> Store:
    """Open the store once per server; load the shipped sample into a fresh, empty store.

    The sample goes in as the import of its CSV, from the records shipped ready beside it
    (:func:`geo.ingest.sample_store.import_sample`: under a second, where importing the CSV
    takes half a minute on a fresh install).  Opened with snapshots: while ``seizures
    import`` holds a DuckDB file, pages read the store as it was before the import instead
    of failing (see :func:`reading_snapshot`).
    """
    opened = open_store(snapshots=True)
    # The server's own upkeep sees and may do everything; the store itself, as returned,
    # reads for no one (public records only) once there are users: pages read through
    # store(), as the signed-in user.
    upkeep = opened.scoped(Principal.local())
    with acting_as("dashboard"):  # the audit log names the dashboard, not the server's user
        if upkeep.count() == 0 and upkeep.batches().empty and SAMPLE_FILE.exists():
            import_sample(upkeep)
        upgrade_store(upkeep)
    return opened


@st.cache_data(show_spinner=False, ttl=USERS_SECONDS)
def has_users() -> bool:
    """True once the store has users: then every page needs someone signed in."""
    return base_store().has_users()


def served_locally() -> bool:
    """True when the server listens on this computer only (a loopback address)."""
    address = st.get_option("server.address")
    return bool(address) and str(address).strip() in LOOPBACK_ADDRESSES


def principal() -> Principal:
    """Who reads: the signed-in user; in single-user mode (no users) the local user.

    With users and no one signed in, or without users on an address beyond this computer,
    the run stops here: no view is computed for no one (``dashboard.py`` shows the sign-in
    or refusal page instead of any page; this is the wall behind it).
    """
    if not has_users():
        if not served_locally():
            st.stop()
        return Principal.local()
    who = st.session_state.get(KEY_PRINCIPAL)
    if not isinstance(who, Principal):
        st.stop()
    return who


def store() -> Store:
    """The store as the signed-in user reads and writes it (see :meth:`Store.scoped`)."""
    return base_store().scoped(principal())


def _store(who: Principal) -> Store:
    return base_store().scoped(who)


@st.cache_data(show_spinner=False, ttl=VERSION_SECONDS)
def data_version() -> str:
    """A token that changes whenever the store's records change (every cache is keyed on it)."""
    return base_store().data_version()


def reading_snapshot() -> bool:
    """True while another process (an import) holds the store and views show it as before."""
    return base_store().busy


def refresh() -> None:
    """Forget every cached view (after this process imported or undid a batch)."""
    st.cache_data.clear()


def batches(version: str) -> pd.DataFrame:
    """The import batches the user may see, newest first."""
    return _batches(version, principal())


@st.cache_data(show_spinner=False)
def _batches(version: str, who: Principal) -> pd.DataFrame:
    return _store(who).batches()


def options(version: str) -> dict[str, Any]:
    """Values present in the records the user may see, for the filter widgets."""
    return _options(version, principal())


@st.cache_data(show_spinner=False)
def _options(version: str, who: Principal) -> dict[str, Any]:
    found = aggregates.filter_options(_store(who))
    found["first"] = found["first"] or dt.date(2000, 1, 1)
    found["last"] = found["last"] or dt.date.today()
    found["countries"] = sorted(found["countries"], key=country_name)
    return found


def synthetic_share(query: Query) -> tuple[int, int]:
    """How many of the records in view are synthetic, and how many are in view."""
    return _synthetic_share(data_version(), principal(), query)


@st.cache_data(show_spinner=False, max_entries=64)
def _synthetic_share(version: str, who: Principal, query: Query) -> tuple[int, int]:
    return aggregates.synthetic_share(_store(who), query)


def sample_batches() -> pd.DataFrame:
    """The imports of the shipped synthetic sample still in the store (normally one)."""
    found = batches(data_version())
    return found[found["file_name"] == SAMPLE_FILE.name]


def overview(query: Query) -> dict[str, Any]:
    """The Overview page's figures, chart, map and latest seizures."""
    return _overview(data_version(), principal(), query)


@st.cache_data(show_spinner=False, max_entries=16)
def _overview(version: str, who: Principal, query: Query) -> dict[str, Any]:
    return views.overview_page(_store(who), query)


def trends(query: Query, period: str, split: str | None, unit: str | None) -> dict[str, Any]:
    """The Trends page's counts, rolling line and year on year."""
    return _trends(data_version(), principal(), query, period, split, unit)


@st.cache_data(show_spinner=False, max_entries=32)
def _trends(
    version: str, who: Principal, query: Query, period: str, split: str | None, unit: str | None
):
    return views.trends_page(_store(who), query, period, split, unit)


def species(query: Query, country: str) -> dict[str, Any]:
    """The Species page's matrix, top taxa and country profile."""
    return _species(data_version(), principal(), query, country)


@st.cache_data(show_spinner=False, max_entries=16)
def _species(version: str, who: Principal, query: Query, country: str) -> dict[str, Any]:
    return views.species_page(_store(who), query, country)


def routes(query: Query) -> dict[str, Any]:
    """The Routes page's arcs, map and legs."""
    return _routes(data_version(), principal(), query)


@st.cache_data(show_spinner=False, max_entries=16)
def _routes(version: str, who: Principal, query: Query) -> dict[str, Any]:
    return views.routes_page(_store(who), query)


def hotspot_map(query: Query, layers: tuple[str, ...], resolution: int) -> Any:
    """The Border hotspots map for the chosen layers and hexagon size."""
    return _hotspot_map(data_version(), principal(), query, tuple(layers), resolution)


@st.cache_data(show_spinner=False, max_entries=16)
def _hotspot_map(
    version: str, who: Principal, query: Query, layers: tuple[str, ...], resolution: int
):
    return views.hotspots_page(_store(who), query, layers, resolution)


def hotspot_ranking(query: Query, resolution: int, confidence: int) -> Any:
    """The ranked hot spots along the query's pair's border, and what they mean in a sentence.

    A :class:`geo.analysis.cell_hotspots.BorderHotspots`: ``ranking`` and ``sentence``.
    """
    return _hotspot_ranking(data_version(), principal(), query, resolution, confidence)


@st.cache_data(show_spinner=False, max_entries=16)
def _hotspot_ranking(version: str, who: Principal, query: Query, resolution: int, confidence: int):
    return views.hotspot_ranking(_store(who), query, resolution, confidence)


def found_records(query: Query, text: str) -> tuple[pd.DataFrame, int]:
    """The newest records matching the filters and the search words (capped), and how many."""
    return _found_records(data_version(), principal(), query, text.strip(), LIST_LIMIT)


def download_records(query: Query, text: str) -> tuple[pd.DataFrame, int]:
    """The records to download (capped at :data:`DOWNLOAD_LIMIT`), and how many match."""
    return _found_records(data_version(), principal(), query, text.strip(), DOWNLOAD_LIMIT)


@st.cache_data(show_spinner=False, max_entries=8)
def _found_records(version: str, who: Principal, query: Query, text: str, limit: int):
    return aggregates.search(_store(who), query, text, RECORD_VIEW_COLUMNS, limit)


def briefing_document(
    query: Query, languages: tuple[str, str], file_format: str
) -> tuple[bytes, int]:
    """The briefing of the query's pair and period (PDF or PPTX bytes), and its record count."""
    return _briefing_document(data_version(), principal(), query, languages, file_format)


@st.cache_data(show_spinner=False, max_entries=8)
def _briefing_document(
    version: str, who: Principal, query: Query, languages: tuple[str, str], file_format: str
):
    from geo.report.brief import briefing_file

    data, briefing = briefing_file(_store(who), query, languages, file_format)
    return data, briefing.record_count


def export_document(who: Principal, query: Query, file_format: str) -> bytes:
    """The records in view as CSV, XLSX or GeoJSON bytes (formulas neutralised); logged.

    Called when the download button is pressed, outside the page's run (a deferred
    download): ``who`` is the reader the page captured, never looked up here.
    """
    data = _export_document(data_version(), who, query, file_format)
    audit_download(who, "export", file_format, aggregates.count(_store(who), query), query)
    return data


def audit_download(
    who: Principal, action: str, file_format: str, records: int, query: Query | None, **detail
) -> None:
    """Log that ``who`` took records out of the store (a download, when it is made)."""
    from geo.report.export import audit_export

    audit_export(_store(who), file_format, records, query, action=action, **detail)


@st.cache_data(show_spinner=False, max_entries=8)
def _export_document(version: str, who: Principal, query: Query, file_format: str) -> bytes:
    from geo.report.export import export_bytes

    return export_bytes(_store(who), query, file_format)


def aitr_document(who: Principal, country: str, year: int) -> bytes:
    """A country's CITES Annual Illegal Trade Report for a year, as XLSX bytes; logged.

    A deferred download, as :func:`export_document`.
    """
    from geo.report.aitr import aitr_query

    data = _aitr_document(data_version(), who, country, int(year))
    query = aitr_query(country, int(year))
    audit_download(who, "export", "aitr", aggregates.count(_store(who), query), query)
    return data


@st.cache_data(show_spinner=False, max_entries=4)
def _aitr_document(version: str, who: Principal, country: str, year: int) -> bytes:
    from geo.report.aitr import aitr_bytes

    return aitr_bytes(_store(who), country, year)
