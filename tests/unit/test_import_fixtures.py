"""Agency-shaped fixture files import with every row accounted for and values normalised.

The expectations come from ``tests/data/make_fixtures.py`` (also rendered as EXPECTED.md).
"""

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.ingest.headers import UserMapping
from geo.ingest.importer import import_file, validate_file
from geo.ingest.readers import UnreadableFileError
from geo.store.store import Store

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = dt.date(2026, 11, 25)

_spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = make_fixtures
_spec.loader.exec_module(make_fixtures)

# Per-file settings an analyst would give (see each fixture's "Import settings").
MAPPINGS = {
    "cn_customs_gb18030.csv": UserMapping(defaults={"seizing_country": "CN"}),
    "aitr_2022.xlsx": UserMapping(defaults={"seizing_country": "HK"}),
}


@pytest.fixture
def store(tmp_path):
    """An empty DuckDB store in a temporary folder."""
    return Store(str(tmp_path / "test.duckdb"))


def _imported(store, name):
    report = import_file(DATA / name, store, MAPPINGS.get(name), today=TODAY)
    records = store.records().set_index("source_row")
    return report, records


@pytest.mark.parametrize("name", sorted(make_fixtures.FIXTURES))
def test_every_row_is_accounted_for(store, name):
    fixture = make_fixtures.FIXTURES[name]
    report, _ = _imported(store, name)
    outcomes = [row.expected.outcome for row in fixture.rows]
    assert report.rows_read == len(fixture.rows)
    assert report.rows_read == report.accepted + report.quarantined + report.duplicates
    assert report.accepted == outcomes.count("accepted")
    assert report.quarantined == outcomes.count("quarantined")
    assert report.duplicates == outcomes.count("duplicate")


@pytest.mark.parametrize("name", sorted(make_fixtures.FIXTURES))
def test_quarantined_rows_are_stored_whole_with_reasons(store, name):
    fixture = make_fixtures.FIXTURES[name]
    report, _ = _imported(store, name)
    held = store.quarantined(report.batch_id).set_index("source_row")
    expected = {r.number for r in fixture.rows if r.expected.outcome == "quarantined"}
    assert set(held.index) == expected
    for row in fixture.rows:
        if row.number in expected:
            problems = held.loc[row.number, "problems"]
            assert problems and all(p["reason"] for p in problems)
            raw = held.loc[row.number, "raw"]
            written = [c for c in row.cells if c not in (None, "")]
            assert len([v for v in raw.values() if v is not None]) == len(written)


def _cases():
    for name, fixture in sorted(make_fixtures.FIXTURES.items()):
        for row in fixture.rows:
            if row.expected.outcome == "accepted":
                yield pytest.param(name, row, id=f"{name}:{row.number}")


@pytest.mark.parametrize(("name", "row"), list(_cases()))
def test_accepted_values_are_normalised(store, name, row):
    _, records = _imported(store, name)
    got = records.loc[row.number]
    want = row.expected
    assert str(got["seizure_date"]) == want.seizure_date
    assert got["date_precision"] == want.date_precision
    assert got["seizing_country"] == want.seizing_country
    if want.lat is None:
        # No coordinates in the file: placed from the place name or country, and says so.
        assert pd.isna(got["lat"]) or got["coord_precision"] in (
            "airport",
            "seaport",
            "city",
            "country",
        )
    else:
        assert got["lat"] == pytest.approx(want.lat, abs=1e-4)
        assert got["lon"] == pytest.approx(want.lon, abs=1e-4)
        assert got["coord_precision"] == "exact"
    assert got["taxon"] == want.taxon
    assert got["commodity"] == want.commodity
    assert got["quantity"] == pytest.approx(want.quantity)
    assert got["unit"] == want.unit
    for role in ("origin_countries", "transit_countries"):
        assert ("" if pd.isna(got[role]) else got[role]) == ";".join(getattr(want, role))
    assert got["export_country"] == want.export_country
    assert got["destination_country"] == want.destination_country
    assert got["transport_mode"] == want.transport_mode


def test_unknown_columns_are_kept_in_extra(store):
    _, records = _imported(store, "es_aduana_2021.xlsx")
    assert records["extra"].str.contains("Número de acta").all()


def test_gb18030_text_survives(store):
    report, records = _imported(store, "cn_customs_gb18030.csv")
    assert report.encoding == "gb18030"
    assert records["notes"].str.contains("𠮷").any()


def test_spanish_workbook_picks_the_sheet_with_the_header(store):
    report, _ = _imported(store, "es_aduana_2021.xlsx")
    assert report.sheet == "Incautaciones"
    assert report.header_row == 3


def test_same_file_twice_adds_nothing(store):
    first, _ = _imported(store, "etis_export.csv")
    again = import_file(DATA / "etis_export.csv", store, today=TODAY)
    assert again.already_imported
    assert again.batch_id == first.batch_id
    assert again.accepted == 0
    assert store.count() == first.accepted


def test_rows_already_stored_are_duplicates_in_another_file(store, tmp_path):
    first, _ = _imported(store, "routes_air.csv")
    copy = tmp_path / "routes_copy.csv"
    copy.write_bytes((DATA / "routes_air.csv").read_bytes() + b"\n")
    again = import_file(copy, store, today=TODAY)
    assert not again.already_imported
    assert again.duplicates == first.accepted
    assert again.accepted == 0


def test_undo_removes_the_batch(store):
    etis, _ = _imported(store, "etis_export.csv")
    routes, _ = _imported(store, "routes_air.csv")
    result = store.undo_batch(etis.batch_id)
    assert result["records_removed"] == etis.accepted
    assert result["quarantine_removed"] == etis.quarantined
    assert store.count() == routes.accepted
    assert etis.batch_id not in set(store.batches()["batch_id"])
    again = import_file(DATA / "etis_export.csv", store, today=TODAY)
    assert not again.already_imported and again.accepted == etis.accepted


def test_validate_stores_nothing(store):
    report = validate_file(DATA / "fr_douane_semicolon.csv", store=store, today=TODAY)
    assert report.rows_read == report.accepted + report.quarantined + report.duplicates
    assert report.accepted > 0
    assert store.count() == 0
    assert store.batches().empty


@pytest.mark.parametrize("name", sorted(make_fixtures.BAD_FILES))
def test_bad_files_are_rejected_with_one_sentence(name):
    with pytest.raises(UnreadableFileError) as raised:
        validate_file(DATA / name, today=TODAY)
    message = str(raised.value)
    assert name in message
    assert "\n" not in message
    assert message.endswith(".")


@pytest.mark.parametrize(
    ("name", "row", "iata"),
    [("routes_air.csv", 2, "NBO"), ("routes_air.csv", 3, "BKK"), ("aitr_2022.xlsx", 3, "HKG")],
)
def test_airport_names_give_airport_coordinates(store, name, row, iata):
    from geo.reference.places import load_airports

    _, records = _imported(store, name)
    airport = load_airports().set_index("iata").loc[iata]
    got = records.loc[row]
    assert got["coord_precision"] == "airport"
    assert got["location_type"] == "airport"
    assert got["lat"] == pytest.approx(airport["lat"], abs=0.05)
    assert got["lon"] == pytest.approx(airport["lon"], abs=0.05)


def test_derived_geography_is_stored(store):
    _, records = _imported(store, "cn_customs_gb18030.csv")
    boten = records[records["location_name"].str.contains("磨憨", na=False)].iloc[0]
    assert boten["border_pair"] == "CN-LA"
    assert boten["border_distance_km"] < 10
    assert boten["located_country"] in ("CN", "LA")
    assert boten["h3_r6"] and boten["h3_r8"]
