"""Streamlit glue: the only non-page code that imports Streamlit.

``ui.cache`` holds the store and the cached views, ``ui.state`` the shared filters and their
URL state, ``ui.upload`` the Data page's import and undo.  Pages use the names below.
"""

from ui.cache import (
    batches,
    data_version,
    download_records,
    found_records,
    hotspot_map,
    hotspot_ranking,
    options,
    overview,
    routes,
    sample_only,
    species,
    store,
    trends,
)
from ui.mapping_step import mapping_step
from ui.state import (
    KEY_BORDER_KM,
    KEY_COMMODITIES,
    KEY_COUNTRIES,
    KEY_DATE_FROM,
    KEY_DATE_TO,
    KEY_GROUPS,
    KEY_MODES,
    KEY_PAIR,
    KEY_PLACES,
    KEY_PRESENT,
    KEY_ROLE,
    KEY_TAXA,
    NO_PAIR,
    SAMPLE_NOTICE,
    current_query,
    draw_filters,
    page_header,
    presentation_style,
    summary,
    taxon_label,
)
from ui.upload import batches_table, check_upload, import_upload, problems_table, undo

__all__ = [
    "KEY_BORDER_KM", "KEY_COMMODITIES", "KEY_COUNTRIES", "KEY_DATE_FROM", "KEY_DATE_TO",
    "KEY_GROUPS", "KEY_MODES", "KEY_PAIR", "KEY_PLACES", "KEY_PRESENT", "KEY_ROLE", "KEY_TAXA",
    "NO_PAIR", "SAMPLE_NOTICE", "batches", "batches_table", "check_upload", "current_query",
    "data_version",
    "download_records", "draw_filters", "found_records", "hotspot_map", "hotspot_ranking",
    "import_upload", "mapping_step", "options", "overview", "page_header",
    "presentation_style", "problems_table", "routes",
    "sample_only", "species", "store", "summary", "taxon_label", "trends", "undo",
]  # fmt: skip
