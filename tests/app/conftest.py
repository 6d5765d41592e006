"""Fixtures for the page tests: the Data page on a private copy of the sample store."""

import tempfile
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.state

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def uploads(tmp_path, monkeypatch) -> Path:
    """The server's temporary folder, to see what an upload leaves in it."""
    folder = tmp_path / "server-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def data_page(sample_db, uploads, monkeypatch):
    """The Data page on a private copy of the sample store, with empty caches."""
    # AppTest starts every run as a server's first session, which the dashboard reruns once
    # through its entry point; that rerun would drop each button click.
    monkeypatch.setattr(ui.state, "_run_through_entry_point", lambda: None)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, at.exception
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()
