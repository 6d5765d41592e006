"""Streamlit glue: the cached store, cached loaders and state keys (the only non-page UI module)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.paths import SAMPLE_FILE
from geo.records.importer import import_file
from geo.store.store import Store, open_store

SAMPLE_NOTICE = (
    "Sample data: these records are synthetic, generated to look like real seizures at real "
    "crossings, airports and seaports. They are not real seizures. Import your own data on "
    "the Data page."
)


@st.cache_resource
def store() -> Store:
    """Open the store once per server; load the shipped sample into a fresh, empty store."""
    opened = open_store()
    if opened.count() == 0 and opened.batches().empty and SAMPLE_FILE.exists():
        import_file(SAMPLE_FILE, opened)
    return opened


def data_version() -> str:
    return store().data_version()


@st.cache_data(show_spinner=False)
def batches(version: str) -> pd.DataFrame:
    return store().batches()


@st.cache_data(show_spinner=False)
def latest_records(version: str, limit: int) -> pd.DataFrame:
    return store().records(limit=limit)


def sample_only() -> bool:
    """True while the store holds nothing but the shipped synthetic sample."""
    names = set(batches(data_version())["file_name"])
    return not names or names == {SAMPLE_FILE.name}


def sample_notice() -> None:
    if sample_only():
        st.warning(SAMPLE_NOTICE, icon=":material/science:")
