"""The pages as another delegation reads them: words not codes, the sample share, whole views."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui
from geo.ingest.importer import import_file
from geo.schema import FIELDS
from geo.store.query import Query
from geo.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["overview", "hotspots", "trends", "species", "routes", "briefing", "data"]
SNAKE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+")
BARE_CODE = re.compile(r"[A-Z]{2,3}")


@pytest.fixture
def app(sample_db):
    """The dashboard on a private copy of the sample store, with empty caches."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    st.cache_data.clear()
    st.cache_resource.clear()


def _open(app: AppTest, page: str, **params: str) -> AppTest:
    """Open a page by its link, as a browser does (the link's parameters, then the page)."""
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page(f"pages/{page}.py")
    app.run()
    assert not app.exception, app.exception
    return app


def _shown_tables(app: AppTest) -> list[pd.DataFrame]:
    return [element.value for element in app.dataframe] + [element.value for element in app.table]


def _raw_names(frame: pd.DataFrame) -> list[str]:
    """Column labels and cells a person should not have to decode."""
    found = [
        str(name)
        for name in frame.columns
        if SNAKE.fullmatch(str(name)) or str(name) in FIELDS or str(name) != str(name).strip()
    ]
    for name in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[name]):
            continue
        for value in frame[name].dropna().astype(str).head(200):
            if BARE_CODE.fullmatch(value) or value in ("None", "nan") or SNAKE.fullmatch(value):
                found.append(f"{name}={value}")
    return found


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("present", ["0", "1"])
def test_no_page_shows_field_names_or_bare_codes(app, page, present):
    _open(app, page, pair="CN-LA", present=present)
    tables = _shown_tables(app)
    if page not in ("trends", "routes", "briefing"):
        assert tables, f"the {page} page shows no table"
    for frame in tables:
        assert not _raw_names(frame), _raw_names(frame)
    for chart in app.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        for axis in ("xaxis", "yaxis"):
            title = figure["layout"].get(axis, {}).get("title", {}).get("text", "")
            assert not SNAKE.search(title or ""), title
        for trace in figure["data"]:
            for label in trace.get("x", []) if trace.get("type") == "heatmap" else []:
                assert not BARE_CODE.fullmatch(str(label).split("-")[0]), label


def test_presentation_mode_hides_the_sidebar_and_shows_a_way_out(app):
    _open(app, "trends", present="1")
    styles = " ".join(m.value for m in app.markdown if "<style>" in m.value)
    assert "stSidebar" in styles and "stHeader" in styles and "display: none" in styles
    leave = app.button(key="leave_presentation")
    leave.click().run()
    assert app.session_state[ui.KEY_PRESENT] is False
    assert "present" not in app.query_params
    assert not any("<style>" in m.value and "stSidebar" in m.value for m in app.markdown)


def test_page_settings_come_from_the_link_and_go_back_into_it(app):
    _open(app, "hotspots", pair="CN-LA", layers="density,hotspots", hexagon="7", confidence="99")
    assert app.session_state["hotspot_layers"] == ["density", "hotspots"]
    assert app.session_state["hotspot_res"] == 7
    assert app.session_state["hotspot_conf"] == 99
    app.selectbox(key="hotspot_res").set_value(5).run()
    assert app.query_params["hexagon"] == "5"
    assert app.query_params["layers"] == "density,hotspots"
    assert app.query_params["pair"] == "CN-LA"


def test_trend_settings_survive_a_link(app):
    _open(app, "trends", split="taxon_group", period="year", measure="kg")
    assert app.session_state["trend_split"] == "taxon_group"
    assert app.session_state["trend_period"] == "year"
    assert app.session_state["trend_unit"] == "kg"
    # a value the page cannot show is left out with a note, not an error
    app2 = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    _open(app2, "trends", split="<b>x</b>")
    assert app2.session_state["trend_split"] == "none"
    assert any("not one of the choices" in c.value for c in app2.caption)


def test_the_sample_share_is_shown_when_real_records_join_it(app, sample_db, tmp_path, monkeypatch):
    real = tmp_path / "lao_customs_2025.csv"
    real.write_text(
        "seizure_date,seizing_country,location_name,lat,lon,taxon,commodity,quantity,unit\n"
        "2025-03-02,LA,Boten,21.1869,101.6788,Manis javanica,SCA,12,kg\n"
        "2025-03-09,LA,Boten,21.1871,101.6790,Manis javanica,SCA,30,kg\n"
        "2025-04-11,LA,Boten,21.1875,101.6781,Panthera tigris,BON,4,kg\n"
        "2025-05-20,LA,Boten,21.1880,101.6795,Ursus thibetanus,GAB,2,pieces\n",
        encoding="utf-8",
    )
    store = Store(str(sample_db))
    report = import_file(real, store)
    assert report.accepted == 4
    in_view = len(store.select(Query(pair="CN-LA")))
    store.close()
    _open(app, "overview", pair="CN-LA")
    notice = " ".join(w.value for w in app.warning)
    assert f"{in_view - 4:,} of {in_view:,} records in view are synthetic" in notice
    # a store of real records alone says nothing about synthetic data
    alone = tmp_path / "real.duckdb"
    only_real = Store(str(alone))
    import_file(real, only_real)
    only_real.close()
    monkeypatch.setenv("SEIZURES_DB", str(alone))
    st.cache_data.clear()
    st.cache_resource.clear()
    fresh = _open(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120), "overview")
    assert fresh.metric[0].value == "4"
    assert not any("synthetic" in w.value for w in fresh.warning)


def test_the_sample_can_be_removed_once_real_data_is_in_and_brought_back(
    data_page, sample_db, tmp_path
):
    assert "data_remove_sample" not in [b.key for b in data_page.button]  # sample alone
    real = tmp_path / "real.csv"
    real.write_text(
        "seizure_date,seizing_country,location_name,taxon,commodity,quantity,unit\n"
        "2025-03-02,LA,Vientiane,Manis javanica,SCA,12,kg\n",
        encoding="utf-8",
    )
    store = ui.store()
    import_file(real, store)
    st.cache_data.clear()
    data_page.run()
    offer = " ".join(i.value for i in data_page.info)
    assert "synthetic sample (20,000 made-up records)" in offer
    data_page.button(key="data_remove_sample").click().run()
    assert not data_page.exception
    assert store.count() == 1
    assert not any("synthetic" in w.value for w in data_page.warning)
    data_page.button(key="data_restore_sample").click().run()
    assert not data_page.exception
    assert store.count() == 20_001
    assert any(
        "20,000 of 20,001 records in view are synthetic" in w.value for w in data_page.warning
    )
