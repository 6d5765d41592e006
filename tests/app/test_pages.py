"""Every page runs on the sample store, and filter presets change the numbers as the store says."""

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui
from geo.store.query import Query
from geo.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["overview", "hotspots", "trends", "species", "routes", "briefing", "data"]


@pytest.fixture
def app(sample_db):
    """The dashboard on a private copy of the sample store, with empty caches."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app, page):
    app.run()
    app.switch_page(f"pages/{page}.py")
    app.run()
    assert not app.exception, app.exception
    assert any("synthetic" in w.value for w in app.warning)


def test_overview_counts_follow_the_pair_filter(app, sample_db):
    app.query_params["pair"] = "CN-LA"
    app.run()
    assert not app.exception
    expected = len(Store(str(sample_db)).select(Query(pair="CN-LA")))
    assert expected > 100
    assert app.metric[0].value == f"{expected:,}"
    assert "border" in app.caption[0].value


def test_species_filter_narrows_the_overview(app, sample_db):
    app.run()
    everything = app.metric[0].value
    app.session_state[ui.KEY_TAXA] = ["Manis javanica"]
    app.run()
    expected = len(Store(str(sample_db)).select(Query(taxa=("Manis javanica",))))
    assert app.metric[0].value == f"{expected:,}" != everything


def test_url_presets_restore_the_filters(app):
    app.query_params["taxon_groups"] = "timber"
    app.query_params["date_from"] = "2020-01-01"
    app.run()
    assert not app.exception
    assert app.session_state[ui.KEY_GROUPS] == ["timber"]
    assert "Timber" in app.caption[0].value and "2020-01-01" in app.caption[0].value


def test_hotspot_page_ranks_boten_first(app):
    app.query_params["pair"] = "CN-LA"
    app.run()
    app.switch_page("pages/hotspots.py")
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert "Boten" in table.iloc[0]["Place"] or "Mohan" in table.iloc[0]["Place"]
    deck = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    assert len(deck["layers"]) >= 3


def test_presentation_mode_makes_the_filters_the_heading(app):
    app.query_params["present"] = "1"
    app.query_params["pair"] = "CN-LA"
    app.run()
    assert not app.exception
    assert app.session_state[ui.KEY_PRESENT] is True
    assert any("China–Lao PDR border" in m.value for m in app.markdown if m.value.startswith("#"))
