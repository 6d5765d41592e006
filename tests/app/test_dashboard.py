"""The dashboard runs on a fresh store, loads the synthetic sample and says it is synthetic.

(That the core never imports Streamlit is checked in a clean interpreter by
tests/unit/test_layers.py: re-importing geo here would leave two copies of its classes.)
"""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A dashboard whose store is a fresh DuckDB file in a temporary folder."""
    monkeypatch.setenv("SEIZURES_DB", str(tmp_path / "app.duckdb"))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


def test_first_start_loads_the_sample_and_labels_it(app):
    app.run()
    assert not app.exception
    assert app.metric[0].value == "20,000"
    assert any("synthetic" in w.value for w in app.warning)
