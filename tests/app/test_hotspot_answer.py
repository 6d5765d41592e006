"""The Border hotspots page and `seizures hotspots` give one answer at their defaults."""

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.state
from geo.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hotspot_page(sample_db, monkeypatch):
    """The Border hotspots page for CN-LA on a private copy of the sample store, as opened."""
    # AppTest starts every run as a server's first session, which the dashboard reruns once
    # through its entry point; that rerun would drop the page switch.
    monkeypatch.setattr(ui.state, "_run_through_entry_point", lambda: None)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["pair"] = "CN-LA"
    at.run()
    at.switch_page("pages/hotspots.py")
    at.run()
    assert not at.exception, at.exception
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


def test_the_dashboards_top_hot_spot_for_cn_la_is_the_commands(hotspot_page, capsys):
    assert main(["hotspots", "--pair", "CN-LA", "--json"]) == 0
    command = json.loads(capsys.readouterr().out)
    table = hotspot_page.dataframe[0].value
    place = next(column for column in table.columns if column.lower() == "place")
    assert table.iloc[0][place] == command["hotspots"][0]["place"]
    shown = [element.value for element in hotspot_page.markdown]
    assert command["sentence"] in shown
