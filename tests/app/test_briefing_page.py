"""The Briefing page: a pair's bilingual pack from the sidebar's filters, and the exports."""

import io
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(sample_db):
    """The dashboard on a private copy of the sample store, with empty caches."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    st.cache_data.clear()
    st.cache_resource.clear()


def _open(app: AppTest, monkeypatch, **params: str) -> AppTest:
    """Open the page by its link; then keep button clicks (see tests/app/conftest.py)."""
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page("pages/briefing.py")
    app.run()
    assert not app.exception, app.exception
    monkeypatch.setattr(ui.state, "_run_through_entry_point", lambda: None)
    return app


def _downloads(app: AppTest) -> list:
    return app.get("download_button")


def test_without_a_pair_the_page_offers_china_and_lao_pdr_and_the_exports(app, monkeypatch):
    _open(app, monkeypatch)
    assert app.selectbox(key="brief_a").value == "CN"
    assert app.selectbox(key="brief_b").value == "LA"
    assert any("Prepare" in button.label for button in app.button)
    assert not any(button.key == "brief_download" for button in _downloads(app))
    # the exports of the records in view are there too
    assert len(_downloads(app)) >= 4  # CSV, Excel, GeoJSON, AITR


def test_two_countries_without_a_border_brief_on_the_trade_between_them(app, monkeypatch):
    app.session_state["brief_b"] = "PE"
    _open(app, monkeypatch)
    said = " ".join(m.value for m in app.markdown)
    assert "China–Peru" in said and "share no land border" in said


def test_a_pair_gives_a_pdf_in_the_two_chosen_languages(app, monkeypatch):
    app.session_state["brief_second"] = "lo"  # as chosen in the box before the click
    _open(app, monkeypatch, pair="CN-LA", date_from="2021-01-01", date_to="2024-12-31")
    assert "China–Lao PDR" in " ".join(m.value for m in app.markdown)
    assert app.selectbox(key="brief_second").value == "lo"
    prepare = next(b for b in app.button if "Prepare" in b.label)
    prepare.click().run()
    assert not app.exception, app.exception
    ready = app.session_state["brief_ready"]
    (query, languages, file_format), data, records = ready
    assert records > 0  # what the download's audit event counts
    assert languages == ("en", "lo") and file_format == "pdf"
    assert query.pair == "CN-LA" and query.date_from.isoformat() == "2021-01-01"
    assert data[:5] == b"%PDF-" and len(data) > 100_000
    assert any("Download the briefing" in b.proto.label for b in _downloads(app))


def test_the_pptx_is_a_presentation(app, monkeypatch):
    from pptx import Presentation

    app.session_state["brief_format"] = "pptx"
    _open(app, monkeypatch, pair="CN-LA", date_from="2023-01-01", date_to="2023-12-31")
    prepare = next(b for b in app.button if "Prepare" in b.label)
    prepare.click().run()
    (_, _, file_format), data, _ = app.session_state["brief_ready"]
    assert file_format == "pptx"
    assert len(Presentation(io.BytesIO(data)).slides) >= 8
