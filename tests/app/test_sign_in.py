"""Signing in to the dashboard: no data for no one, each user's scope on every page, sign-out.

The store is a private copy of the sample (2,012 of its 20,000 records are restricted, owned
by their seizing country) with three users: an admin of China, an analyst of China and a
viewer of Lao PDR.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.cache
import ui.state
from geo.store import aggregates
from geo.store.access import Principal
from geo.store.query import Query
from geo.store.store import Store
from geo.store.users import add_user, read_audit

ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {"ana": "admin-password-1", "wei": "analyst-password-2", "khamla": "viewer-password-3"}


@pytest.fixture
def users_db(sample_db) -> Path:
    """The sample store with an admin (CN), an analyst (CN) and a viewer (LA)."""
    with Store(str(sample_db)) as store:
        add_user(store, "ana", "admin", "CN", password=PASSWORDS["ana"])
        admin = store.scoped(Principal("ana", "admin", "CN", ("CN",)))
        add_user(admin, "wei", "analyst", "CN", password=PASSWORDS["wei"])
        add_user(admin, "khamla", "viewer", "LA", password=PASSWORDS["khamla"])
    return sample_db


@pytest.fixture(autouse=True)
def every_run_through_the_dashboard(monkeypatch):
    """Run every AppTest run as a server runs all but its very first: dashboard.py first.

    AppTest starts each run as a new server's first, which Streamlit runs in its old
    "pages/ directory" mode: the page alone, without dashboard.py (the page then reruns
    through it, dropping a click).  A real server does that once, for its first session.
    """
    import runpy

    from streamlit.runtime.scriptrunner import script_runner

    monkeypatch.setattr(
        script_runner, "_mpa_v1", lambda path: runpy.run_path(str(path), run_name="__main__")
    )


@pytest.fixture
def app(users_db):
    """The dashboard on that store, with empty caches."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    st.cache_data.clear()
    st.cache_resource.clear()


def _sign_in(app: AppTest, monkeypatch, name: str, password: str | None = None) -> AppTest:
    app.run()
    app.text_input(key="sign_in_name").input(name)
    app.text_input(key="sign_in_password").input(password or PASSWORDS[name])
    next(b for b in app.button if b.label == "Sign in").click().run()
    return app


def _shows_data(app: AppTest) -> bool:
    return bool(app.metric) or bool(app.dataframe) or bool(app.get("deck_gl_json_chart"))


def test_no_page_shows_data_before_signing_in(app):
    app.query_params["pair"] = "CN-LA"
    app.run()
    assert not app.exception, app.exception
    assert app.text_input(key="sign_in_name") is not None
    assert not _shows_data(app)
    assert list(app.get("page_link")) == []  # no page is offered
    for page in ("hotspots", "data", "briefing"):  # nor does a link to one show anything
        app.switch_page(f"pages/{page}.py")
        app.run()
        assert not app.exception, app.exception
        assert not _shows_data(app), page
        assert app.text_input(key="sign_in_name") is not None


def test_signing_in_opens_the_page_and_filters_of_the_link(app, monkeypatch):
    app.query_params["pair"] = "CN-LA"
    app.switch_page("pages/hotspots.py")
    _sign_in(app, monkeypatch, "khamla")
    assert not app.exception, app.exception
    assert app.title[0].value == "Border hotspots"
    assert "China–Lao PDR" in app.caption[0].value


@pytest.mark.parametrize("page", ["overview", "hotspots", "data", "briefing"])
def test_a_page_run_on_its_own_computes_nothing_for_no_one(users_db, page):
    """The wall behind the sign-in page: a page run without dashboard.py (as Streamlit runs a
    new server's first session) stops before reading the store."""
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        alone = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120).run()
        assert not alone.exception, alone.exception
        assert not _shows_data(alone)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_a_wrong_password_is_refused_in_one_sentence_and_shows_nothing(app, monkeypatch, users_db):
    _sign_in(app, monkeypatch, "khamla", "not-her-password")
    assert [e.value for e in app.error] == ["Unknown user name or wrong password."]
    assert not _shows_data(app)
    with Store(str(users_db)) as store:
        admin = store.scoped(Principal("ana", "admin", "CN", ("CN",)))
        failed = read_audit(admin, action="login_failed")
    assert list(failed["actor"]) == ["khamla"]
    assert "not-her-password" not in failed.to_json()


def test_a_lao_viewer_sees_public_records_and_lao_restricted_ones_only(app, monkeypatch, users_db):
    _sign_in(app, monkeypatch, "khamla")
    assert not app.exception, app.exception
    with Store(str(users_db)) as store:
        everything = aggregates.count(store.scoped(Principal.local()), Query())
        lao = Principal("khamla", "viewer", "LA", ("LA",))
        visible = aggregates.count(store.scoped(lao), Query())
    assert visible < everything
    assert app.metric[0].value == f"{visible:,}"
    sidebar = " ".join(c.value for c in app.sidebar.caption)
    assert "Signed in as **khamla**" in sidebar and "Lao PDR" in sidebar


def test_a_viewer_may_not_import_or_download_records(app, monkeypatch):
    _sign_in(app, monkeypatch, "khamla")
    app.switch_page("pages/data.py")
    app.run()
    assert not app.exception, app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "To import files you need the analyst role" in captions
    assert "To download records you need the analyst role" in captions
    assert not app.get("file_uploader")
    assert "Audit log" not in [h.value for h in app.subheader]
    app.switch_page("pages/briefing.py")
    app.run()
    assert not app.exception, app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert not any(label in ("CSV", "Excel", "GeoJSON", "AITR (Excel)") for label in labels)


def test_an_admin_reads_the_audit_log_on_the_data_page(app, monkeypatch):
    _sign_in(app, monkeypatch, "ana")
    app.switch_page("pages/data.py")
    app.run()
    assert not app.exception, app.exception
    assert "Audit log" in [h.value for h in app.subheader]
    audit = next(d.value for d in app.dataframe if "What" in d.value.columns)
    assert {"login", "user add"} <= set(audit["What"])
    assert "admin-password-1" not in audit.to_json()


def test_signing_out_leaves_no_data_and_is_logged(app, monkeypatch, users_db):
    _sign_in(app, monkeypatch, "wei")
    assert _shows_data(app)
    app.button(key="sign_out").click().run()
    assert not app.exception, app.exception
    assert not _shows_data(app)
    assert app.text_input(key="sign_in_name") is not None
    with Store(str(users_db)) as store:
        admin = store.scoped(Principal("ana", "admin", "CN", ("CN",)))
        events = read_audit(admin)
    assert list(events["action"][:2]) == ["logout", "login"]
    assert json.loads(events["detail"].iloc[0]) == {"reason": "sign-out"}


def test_a_session_left_idle_is_signed_out(app, monkeypatch):
    monkeypatch.setenv("SEIZURES_IDLE_MINUTES", "15")
    _sign_in(app, monkeypatch, "wei")
    assert _shows_data(app)
    app.session_state[ui.cache.KEY_LAST_SEEN] = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    app.run()
    assert not _shows_data(app)
    assert "signed out after 15 minutes without use" in app.info[0].value


def test_a_store_without_users_is_not_served_beyond_this_computer(sample_db, monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    previous = st.get_option("server.address")
    st.config.set_option("server.address", "0.0.0.0")
    try:
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        app.run()
        assert not app.exception, app.exception
        assert not _shows_data(app)
        assert "has no users, so it serves only this computer" in app.error[0].value
    finally:
        st.config.set_option("server.address", previous)
        st.cache_data.clear()
        st.cache_resource.clear()


def test_an_identity_provider_user_signs_in_by_e_mail(users_db, monkeypatch):
    """OpenID Connect: the provider says who (st.user), the store's user says what they see."""
    import ui.auth

    with Store(str(users_db)) as store:
        admin = store.scoped(Principal("ana", "admin", "CN", ("CN",)))
        add_user(admin, "somphone@customs.gov.la", "viewer", "LA")

    class _ProviderUser(dict):
        is_logged_in = True

    monkeypatch.setattr(ui.auth, "oidc_configured", lambda: True)
    monkeypatch.setattr(st, "user", _ProviderUser(email="somphone@customs.gov.la"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
        assert not app.exception, app.exception
        assert _shows_data(app)
        assert "somphone@customs.gov.la" in " ".join(c.value for c in app.sidebar.caption)
        monkeypatch.setattr(st, "user", _ProviderUser(email="stranger@example.org"))
        other = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
        assert not _shows_data(other)
        assert "is not a user of this atlas" in other.error[0].value
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
