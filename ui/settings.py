"""Page settings (map layers, hexagon size, the trends split...) kept in the URL like the filters.

A page declares each of its settings with :func:`page_setting` before drawing the widget
(with ``key=`` only, no default of its own).  The setting then

- starts from the link's value when the page was opened from a link (a value the widget
  cannot show is left out, with a one-line note where the setting is declared),
- otherwise from the value it had when the user last left the page in this session (a
  widget's state is dropped by Streamlit on the pages that do not draw it),
- otherwise from its default;

and every run writes its value into the URL (left out when it is the default), so a shared
link restores the whole view.  :data:`PAGE_PARAMS` names each page's settings, so that the
filters code keeps them in the URL on their page and drops them on the others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import streamlit as st

__all__ = ["PAGE_PARAMS", "page_setting", "plain_markdown", "shown_value", "url_value"]

# The URL names of each page's settings, by the page's URL path.
PAGE_PARAMS: dict[str, tuple[str, ...]] = {
    "hotspots": ("layers", "hexagon", "confidence"),
    "trends": ("period", "split", "measure"),
    "species": ("profile",),
}
_KEPT = "_kept_"
_URL_READ = "_page_settings_read"


def url_value(value: Any) -> str:
    """A setting's value as the URL holds it: items joined by commas, None as "none"."""
    if isinstance(value, list | tuple):
        return ",".join(url_value(item) for item in value)
    return "none" if value is None else str(value)


def page_setting(
    name: str,
    key: str,
    choices: Sequence[Any],
    default: Any,
    *,
    multi: bool = False,
    label: str = "",
) -> Any:
    """Prepare one page setting's widget state from the link or the session; keep it in the URL.

    Parameters
    ----------
    name : str
        The URL parameter (one of the page's :data:`PAGE_PARAMS`).
    key : str
        The widget's session-state key.
    choices : sequence
        The values the widget offers.
    default : object
        The value when neither the link nor the session has one (a list when ``multi``).
    multi : bool, default False
        A multiselect: the link holds several values joined by commas.
    label : str
        What the setting is called in a note about a link's value ("hexagon size").

    Returns
    -------
    object
        The setting's current value.
    """
    state = st.session_state
    read = state.setdefault(_URL_READ, set())
    if key not in state:
        value = state.get(_KEPT + key, default)
        if name not in read and name in st.query_params:
            value = _from_link(st.query_params.get_all(name), choices, default, multi, label)
        state[key] = value
    read.add(name)
    value = state[key]
    if not _offered(value, choices, multi):  # the store changed under a kept value
        value = state[key] = default
    state[_KEPT + key] = value
    shown = url_value(value)
    if shown == url_value(default):
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != shown:
        st.query_params[name] = shown
    return value


def _offered(value: Any, choices: Sequence[Any], multi: bool) -> bool:
    if multi:
        return isinstance(value, list | tuple) and all(item in choices for item in value)
    return value in choices


def _from_link(
    raws: list[str], choices: Sequence[Any], default: Any, multi: bool, label: str
) -> Any:
    """The link's value of a setting, among the choices (else the default, with a note)."""
    by_text = {url_value(choice): choice for choice in choices}
    wanted = [part.strip() for raw in raws for part in raw.split(",") if part.strip()]
    if multi:
        found = [by_text[part] for part in dict.fromkeys(wanted) if part in by_text]
        if len(found) < len(set(wanted)):
            _note(f"Some of the link's {label or 'settings'} are not among the choices; left out.")
        return found
    if wanted and wanted[0] in by_text:
        return by_text[wanted[0]]
    if wanted:
        _note(
            f"The link's {label or 'setting'} {shown_value(wanted[0])} is not one of the "
            f"choices; using {url_value(default)}."
        )
    return default


def shown_value(value: str) -> str:
    """A link's value quoted for a note: short, and with no Markdown, HTML or icons."""
    value = value if len(value) <= 40 else value[:39] + "…"
    return "'" + plain_markdown(value, links=True) + "'"


def plain_markdown(text: str, links: bool = False) -> str:
    """Text for Markdown with no emphasis, HTML or headings (``links``: no links, icons)."""
    marks = r"([\\`*_{}\[\]()<>#!|~$:])" if links else r"([\\`*_{}\[\]<>#|~$])"
    return re.sub(marks, r"\\\1", text)


def _note(text: str) -> None:
    """Say under the heading (the page has drawn it) what was changed in the link."""
    st.caption(text)
