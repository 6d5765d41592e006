"""Who is using the dashboard: signing in and out, idle expiry, and where it may be served.

A store without users is one person's (single-user mode): the dashboard serves this
computer only (``.streamlit/config.toml`` binds it to 127.0.0.1) and says so, and on any
other address it shows no data, only how to add users.  Once the store has users, every
page needs someone signed in: with a local account (name and password, checked against the
store's Argon2id hash) or, when ``.streamlit/secrets.toml`` has an ``[auth]`` section,
through the agency's identity provider with OpenID Connect (:func:`streamlit.login`); the
provider says who someone is, the store's user of that name (the e-mail address) says what
they may see.  A session left unused for :data:`IDLE_ENV` minutes (default 30) is signed out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import streamlit as st

from geo.reference.countries import country_name
from geo.store.access import Principal
from geo.store.store import StoreBusy
from geo.store.users import SignInRefused, authenticate, sign_in_external
from ui.cache import (
    KEY_LAST_SEEN,
    KEY_PRINCIPAL,
    audit_download,
    base_store,
    has_users,
    principal,
    served_locally,
    store,
)
from ui.settings import plain_markdown
from ui.state import BUSY_NO_COPY

__all__ = ["access_page", "account_box", "idle_minutes", "record_download"]

IDLE_ENV = "SEIZURES_IDLE_MINUTES"
IDLE_DEFAULT = 30.0
KEY_SIGN_IN_NOTE = "_sign_in_note"
KEY_OIDC_REFUSED = "_oidc_refused"


def idle_minutes() -> float:
    """Minutes without use after which a session is signed out (``SEIZURES_IDLE_MINUTES``)."""
    try:
        value = float(os.environ.get(IDLE_ENV, IDLE_DEFAULT))
    except ValueError:
        return IDLE_DEFAULT
    return value if value > 0 else IDLE_DEFAULT


def oidc_configured() -> bool:
    """True when ``secrets.toml`` configures OpenID Connect (an ``[auth]`` section)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _providers() -> list[str | None]:
    """The named providers of ``[auth.NAME]`` sections, or ``[None]`` for the default one."""
    section = st.secrets.get("auth", {})
    named = [name for name, value in section.items() if hasattr(value, "items")]
    return named or [None]


def access_page() -> Callable[[], None] | None:
    """Return the page to show instead of the dashboard, or None when its pages may run.

    The refusal page on a non-local address without users; the sign-in page on a store
    with users until someone is signed in (or after an idle sign-out).
    """
    try:
        users = has_users()
    except StoreBusy:  # a first view while an import holds the file, with no copy to show
        return _busy_page
    if not users:
        return None if served_locally() else _refusal_page
    who = st.session_state.get(KEY_PRINCIPAL)
    if oidc_configured() and not isinstance(who, Principal):
        who = _oidc_principal()
    if not isinstance(who, Principal):
        return _sign_in_page
    now = dt.datetime.now(dt.UTC)
    seen = st.session_state.get(KEY_LAST_SEEN, now)
    if now - seen > dt.timedelta(minutes=idle_minutes()):
        _sign_out(reason="idle")
        st.session_state[KEY_SIGN_IN_NOTE] = (
            f"You were signed out after {idle_minutes():g} minutes without use; "
            "sign in again to go on."
        )
        return _sign_in_page
    st.session_state[KEY_LAST_SEEN] = now
    return None


def _oidc_principal() -> Principal | None:
    """The store's user the identity provider signed in, once per session (None: none)."""
    if not getattr(st.user, "is_logged_in", False):
        return None
    email = str(st.user.get("email") or "").strip()
    try:
        who = sign_in_external(base_store(), email, method="oidc")
    except SignInRefused as error:
        st.session_state[KEY_OIDC_REFUSED] = str(error)
        return None
    st.session_state[KEY_PRINCIPAL] = who
    st.session_state[KEY_LAST_SEEN] = dt.datetime.now(dt.UTC)
    return who


def _busy_page() -> None:
    st.title("Wildlife Seizure Atlas")
    st.info(BUSY_NO_COPY, icon=":material/hourglass_top:")


def _refusal_page() -> None:
    address = st.get_option("server.address") or "every network interface"
    st.title("Wildlife Seizure Atlas")
    st.error(
        f"This dashboard has no users, so it serves only this computer, and it is set to "
        f"listen on {address}: it shows no data there. Add users first "
        "(`seizures users add NAME --role admin --country CC --password-stdin`), or run it "
        "on 127.0.0.1.",
        icon=":material/lock:",
    )


def _sign_in_page() -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        _sign_in_form()


def _sign_in_form() -> None:
    st.title("Wildlife Seizure Atlas")
    st.caption("Seizure records are law-enforcement data: sign in to see them.")
    note = st.session_state.pop(KEY_SIGN_IN_NOTE, None)
    if note:
        st.info(note, icon=":material/schedule:")
    refused = st.session_state.get(KEY_OIDC_REFUSED)
    if refused:
        st.error(refused)
        st.button("Sign out of the identity provider", on_click=_leave_provider, key="oidc_out")
        return
    if oidc_configured():
        for provider in _providers():
            label = f"Sign in with {provider}" if provider else "Sign in with your agency account"
            if st.button(label, key=f"oidc_{provider or 'default'}", type="primary"):
                if provider:
                    st.login(provider)
                else:
                    st.login()
        st.caption("Or with a local account:")
    with st.form("sign_in", clear_on_submit=True):
        name = st.text_input("User name", key="sign_in_name")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            who = authenticate(base_store(), name.strip(), password, method="dashboard")
        except SignInRefused:
            # one sentence for both: the form does not tell who has an account
            st.error("Unknown user name or wrong password.")
            return
        st.session_state[KEY_PRINCIPAL] = who
        st.session_state[KEY_LAST_SEEN] = dt.datetime.now(dt.UTC)
        st.rerun()


def _leave_provider() -> None:
    st.session_state.pop(KEY_OIDC_REFUSED, None)
    st.logout()


def _sign_out(reason: str = "sign-out") -> None:
    who = st.session_state.pop(KEY_PRINCIPAL, None)
    st.session_state.pop(KEY_LAST_SEEN, None)
    if isinstance(who, Principal):
        base_store().audit_event("logout", {"reason": reason}, actor=who.name)
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def account_box() -> None:
    """In the sidebar: who is signed in and what they see, and the sign-out button.

    In single-user mode, one line saying so (and that the dashboard serves only this
    computer).
    """
    who = principal()
    if who.sees_everything:
        st.sidebar.caption(
            ":material/person: Single-user mode: no users are set up, so every record is "
            "shown and the dashboard serves this computer only."
        )
        return
    home = country_name(who.country) if who.country else "no country"
    others = [country_name(code) for code in who.scope or () if code != who.country]
    seen = f" and {', '.join(others)}" if others else ""
    st.sidebar.caption(
        f":material/person: Signed in as **{plain_markdown(who.name)}** ({who.role}, "
        f"{home}): public records, and the restricted records of {home}{seen}."
    )
    st.sidebar.button("Sign out", key="sign_out", on_click=_sign_out, icon=":material/logout:")


def record_download(action: str, file_format: str, records: int, **detail: Any) -> None:
    """Log a download (``on_click`` of a download button): who took which records out."""
    query = detail.pop("query", None)
    audit_download(principal(), action, file_format, records, query, **detail)


def not_allowed(who: Principal, what: str) -> str:
    """One line for what this user's role does not allow ("Importing files needs ...")."""
    needed = {
        "import files": "analyst",
        "download records": "analyst",
        "export records": "analyst",
    }.get(what, "admin")
    return (
        f":material/lock: To {what} you need the {needed} role; you are signed in as a "
        f"{who.role}. An admin can change that with `seizures users`."
    )


def sensitivity_choice(value: str) -> str:
    """The words for an import's default sensitivity."""
    who = principal()
    home = country_name(who.country) if who.country else "your country"
    if value == "restricted":
        return f"restricted: seen by {home}'s users and those whose scope includes {home}"
    return "public: seen by every signed-in user of this atlas"


def audit_table(limit: int = 500) -> Any:
    """The newest audit events in words (admins only: the store refuses others)."""
    import json

    import pandas as pd

    from geo.store.users import read_audit

    events = read_audit(store(), limit=limit)

    def _detail(text: str | None) -> str:
        try:
            found = json.loads(text or "{}")
        except ValueError:
            return ""
        return "; ".join(
            f"{key}: {_shown(value)}"
            for key, value in found.items()
            if value not in ("", None, {}, [])
        )

    def _shown(value: Any) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        if isinstance(value, dict):
            return ", ".join(f"{k}={_shown(v)}" for k, v in value.items())
        return str(value)

    return pd.DataFrame(
        {
            "When (UTC)": pd.to_datetime(events["occurred_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "Who": events["actor"].fillna(""),
            "What": events["action"].str.replace("_", " "),
            "Records": events["records"].map(
                lambda n: "" if n is None or pd.isna(n) else f"{int(n):,}"
            ),
            "Detail": events["detail"].map(_detail),
        }
    )
