"""Links with odd filter values open every page with a quiet note, never an exception box."""

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui
from ui.state import NO_PAIR, url_filters

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["overview", "hotspots", "trends", "species", "routes", "briefing", "data"]

FIRST, LAST = dt.date(2015, 1, 3), dt.date(2024, 12, 30)
CHOICES = {
    "first": FIRST,
    "last": LAST,
    "taxa": ["Manis javanica", "Loxodonta africana"],
    "pairs": ["CN-LA", "KE-TZ"],
    "countries": ["CN", "KE", "LA", "TZ", "VN"],
    "commodities": ["scales", "tusks"],
}

# (link parameters, widget values expected, a phrase of the one note expected or None)
CASES = [
    ({"border_km": "nan"}, {ui.KEY_BORDER_KM: 50}, "'nan' is not a number; using 50 km"),
    ({"border_km": "inf"}, {ui.KEY_BORDER_KM: 50}, "is not a number; using 50 km"),
    ({"border_km": "-inf"}, {ui.KEY_BORDER_KM: 50}, "is not a number; using 50 km"),
    ({"border_km": "fifty"}, {ui.KEY_BORDER_KM: 50}, "'fifty' is not a number"),
    ({"border_km": "1e9"}, {ui.KEY_BORDER_KM: 200}, "using 200 km"),
    ({"border_km": "1000"}, {ui.KEY_BORDER_KM: 200}, "using 200 km"),
    ({"border_km": "-5"}, {ui.KEY_BORDER_KM: 5}, "using 5 km"),
    ({"border_km": "0"}, {ui.KEY_BORDER_KM: 5}, "using 5 km"),
    ({"border_km": "37"}, {ui.KEY_BORDER_KM: 35}, "in steps of 5); using 35 km"),
    ({"border_km": "100.0"}, {ui.KEY_BORDER_KM: 100}, None),
    ({"date_from": "9999-12-31"}, {ui.KEY_DATE_FROM: LAST}, "after the last record"),
    ({"date_to": "9999-12-31"}, {ui.KEY_DATE_TO: LAST}, "after the last record"),
    ({"date_to": "0001-01-01"}, {ui.KEY_DATE_TO: FIRST}, "before the first record"),
    ({"date_to": "2010-05-01"}, {ui.KEY_DATE_TO: FIRST}, "before the first record"),
    ({"date_from": "2001-01-01"}, {ui.KEY_DATE_FROM: FIRST}, "before the first record"),
    ({"date_from": "yesterday"}, {ui.KEY_DATE_FROM: FIRST}, "'yesterday' is not a date"),
    ({"date_to": "2021-13-45"}, {ui.KEY_DATE_TO: LAST}, "is not a date"),
    (
        {"date_from": "2023-01-01", "date_to": "2019-06-30"},
        {ui.KEY_DATE_FROM: dt.date(2019, 6, 30), ui.KEY_DATE_TO: dt.date(2023, 1, 1)},
        "start date was after its end date; showing 2019-06-30 to 2023-01-01",
    ),
    ({"pair": "nowhere"}, {ui.KEY_PAIR: NO_PAIR}, "'nowhere' is not a pair like CN-LA"),
    ({"pair": "fr-de"}, {ui.KEY_PAIR: NO_PAIR}, "DE-FR has no border seizures"),
    ({"pair": "la-cn"}, {ui.KEY_PAIR: "CN-LA"}, None),
    ({"country_role": "boss"}, {ui.KEY_ROLE: "any"}, "'boss' is not one of any, origin"),
    ({"taxon_groups": "dragons"}, {ui.KEY_GROUPS: []}, "taxon group 'dragons' is not among"),
    (
        {"taxa": "Manis javanica,Draco volans"},
        {ui.KEY_TAXA: ["Manis javanica"]},
        "species 'Draco volans' is not among",
    ),
    ({"countries": "ZZ,VN"}, {ui.KEY_COUNTRIES: ["VN"]}, "country 'ZZ' is not among"),
    ({"commodities": "a,b,c,d,e"}, {ui.KEY_COMMODITIES: []}, "'c' and 2 more are not among"),
    ({"transport_modes": "teleport"}, {ui.KEY_MODES: []}, "transport 'teleport' is not"),
    ({"location_types": "moon"}, {ui.KEY_PLACES: []}, "place type 'moon' is not"),
    ({"present": "yes"}, {ui.KEY_PRESENT: False}, None),
    (
        {
            "date_from": "2020-01-01",
            "pair": "CN-LA",
            "border_km": "100.0",
            "taxa": "Manis javanica",
        },
        {ui.KEY_DATE_FROM: dt.date(2020, 1, 1), ui.KEY_DATE_TO: LAST, ui.KEY_PAIR: "CN-LA"},
        None,
    ),
]


@pytest.mark.parametrize(("params", "expected", "note"), CASES, ids=lambda v: str(v)[:40])
def test_a_links_values_become_widget_values_with_a_note_when_changed(params, expected, note):
    state, notes = url_filters(params, CHOICES)
    assert {key: state[key] for key in expected} == expected
    assert CHOICES["first"] <= state[ui.KEY_DATE_FROM] <= state[ui.KEY_DATE_TO] <= LAST
    assert 5 <= state[ui.KEY_BORDER_KM] <= 200
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and note in notes[0], notes
        assert notes[0].startswith("The link's") and notes[0].endswith(".")


def test_a_start_after_the_end_and_an_end_before_the_start_show_everything():
    state, notes = url_filters({"date_from": "9999-12-31", "date_to": "0001-01-01"}, CHOICES)
    assert (state[ui.KEY_DATE_FROM], state[ui.KEY_DATE_TO]) == (FIRST, LAST)
    assert len(notes) == 3


def test_a_note_never_renders_the_links_markup():
    _, notes = url_filters({"pair": "[click](http://evil.example) :red[x] <b>"}, CHOICES)
    (note,) = notes
    assert "](" not in note and ":red[" not in note and "<b>" not in note
    _, notes = url_filters({"taxa": "x" * 500}, CHOICES)
    assert len(notes[0]) < 150


HOSTILE = {
    "not numbers or dates": {
        "border_km": "nan",
        "date_from": "yesterday",
        "date_to": "2021-13-45",
        "pair": "nowhere",
        "country_role": "boss",
    },
    "out of range": {"border_km": "1e9", "date_from": "9999-12-31", "date_to": "0001-01-01"},
    "reversed": {
        "border_km": "-5",
        "date_from": "2023-01-01",
        "date_to": "2019-01-01",
        "taxon_groups": "dragons",
        "countries": "ZZ",
    },
    "far future": {
        "border_km": "inf",
        "date_to": "9999-12-31",
        "pair": "FR-DE",
        "taxa": "<b>x</b>",
        "commodities": "?",
        "transport_modes": "teleport",
        "location_types": "moon",
    },
}


@pytest.fixture
def app(sample_db):
    """The dashboard on a private copy of the sample store, with empty caches."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("link", HOSTILE)
def test_an_odd_link_opens_every_page_with_a_note(app, page, link):
    for name, value in HOSTILE[link].items():
        app.query_params[name] = value
    app.switch_page(f"pages/{page}.py")  # as when the link names the page
    app.run()
    assert not app.exception, app.exception
    assert app.title or app.markdown  # the page itself was drawn
    notes = [c.value for c in app.caption if c.value.startswith("The link's")]
    assert len(notes) >= len(HOSTILE[link]) - 1, notes  # one per odd value (a swap: one)
    assert 5 <= app.slider(key=ui.KEY_BORDER_KM).value <= 200
