"""`seizures export` with the dashboard's filters, as CSV, XLSX and GeoJSON.

The filtered file holds exactly the records the store selects for the same Query; CSV and XLSX
stay safe to open in a spreadsheet; GeoJSON is RFC 7946 (longitude first, WGS84, no crs) with
text written as data.
"""

import argparse
import csv
import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest

from geo import cli
from geo.cli import main
from geo.cli_filters import add_filter_arguments, query_from_arguments
from geo.ingest.importer import import_file
from geo.report import export
from geo.report.export import export_bytes, export_records, record_chunks
from geo.store import aggregates
from geo.store.query import Query
from geo.store.store import Store

HYPERLINK = '=HYPERLINK("http://x","y")'
HOSTILE_CSV = (
    "Date,Country,Species,Quantity,Unit,Latitude,Longitude,Location,Notes\n"
    "2022-05-01,GB,Manis javanica,12,kg,51.5,-3.2,+1-2 Cardiff docks,"
    '"=HYPERLINK(""http://x"",""y"")"\n'
    "2022-05-02,GB,Manis javanica,3,kg,51.48,-3.18,@SUM(A1) 磨憨 depot,-3.2\n"
    "2022-05-03,AQ,Manis javanica,1,kg,,,,no point to place it on\n"
    "2023-05-01,VN,Manis javanica,5,kg,21.03,105.85,Hà Nội,outside the year\n"
)
YEAR_2022 = Query(date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31))


@pytest.fixture
def sample(sample_db):
    """The shipped sample (20,000 synthetic records) in a private store."""
    with Store(str(sample_db)) as store:
        yield store


@pytest.fixture
def hostile(tmp_path):
    """A store of four pangolin seizures whose text a spreadsheet would run (its path).

    Seized in 2022 by GB (two, at lon -3.2 and -3.18) and AQ (no coordinates: the gazetteer
    has no point for Antarctica), and one in 2023 by VN.
    """
    source = tmp_path / "hostile.csv"
    source.write_text(HOSTILE_CSV, encoding="utf-8")
    path = str(tmp_path / "hostile.duckdb")
    with Store(path) as store:
        report = import_file(source, store, today=dt.date(2024, 1, 1))
        assert report.accepted == 4
        assert store.records()["lat"].isna().sum() == 1, "the AQ seizure should have no point"
    return path


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _arguments(*typed: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_filter_arguments(parser)
    return parser.parse_args(list(typed))


# Each filter, and the records it should select, said independently of the store's SQL.
FILTERS = {
    "CN-LA border 2021-2024": (
        Query(pair="CN-LA", date_from=dt.date(2021, 1, 1), date_to=dt.date(2024, 12, 31)),
        lambda r: (
            (r.border_pair == "CN-LA")
            & (r.border_distance_km <= 50)
            & r.seizure_date.between(dt.date(2021, 1, 1), dt.date(2024, 12, 31))
        ),
    ),
    "pangolins involving VN": (
        Query(taxa=("Manidae",), countries=("VN",)),
        lambda r: (
            r.taxon.str.startswith(("Manis", "Smutsia", "Phataginus", "Manidae"))
            & pd.concat(
                [
                    r[c].fillna("").str.split(";").map(lambda codes: "VN" in codes)
                    for c in (
                        "seizing_country",
                        "origin_countries",
                        "export_country",
                        "transit_countries",
                        "destination_country",
                    )
                ],
                axis=1,
            ).any(axis=1)
        ),
    ),
    "birds in 2024": (
        Query(
            taxon_groups=("birds",), date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)
        ),
        lambda r: (r.taxon_group == "birds") & r.seizure_date.map(lambda d: d.year == 2024),
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_filtered_csv_holds_exactly_the_records_the_store_counts(sample, tmp_path, name):
    query, expected = FILTERS[name]
    records = sample.records()
    wanted = set(records.loc[expected(records), "record_id"])
    assert wanted, "the sample should hold records for this filter"

    out = tmp_path / "filtered.csv"
    written = export_records(sample, out, "csv", query)
    rows = _csv_rows(out.read_bytes())
    assert written == len(rows) == aggregates.count(sample, query) == len(wanted)
    assert {row["record_id"] for row in rows} == wanted
    dates = [row["seizure_date"] for row in rows]
    assert dates == sorted(dates)  # oldest first, as the unfiltered export


def test_command_line_filters_mean_what_the_dashboard_filters_mean(sample_db, tmp_path, capsys):
    out = tmp_path / "cn_la.csv"
    typed = ["--pair", "la-cn", "--from", "2021-01-01", "--to", "2024-12-31", "--taxon", "pangolin"]
    assert main(["export", "--db", str(sample_db), "--out", str(out), *typed]) == 0
    query = Query(
        pair="CN-LA",
        date_from=dt.date(2021, 1, 1),
        date_to=dt.date(2024, 12, 31),
        taxa=("Manidae",),
    )
    with Store(str(sample_db)) as store:
        expected = aggregates.count(store, query)
    assert expected > 0
    assert len(_csv_rows(out.read_bytes())) == expected
    said = capsys.readouterr().out
    assert said.startswith(f"exported {expected} records (CN–LA border")
    assert str(out) in said


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ([], Query()),
        (["--pair", "LA-CN"], Query(pair="CN-LA")),
        (["--pair", "cn–vn"], Query(pair="CN-VN")),
        (["--year", "2024"], Query(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))),
        (["--from", "2021-01-01"], Query(date_from=dt.date(2021, 1, 1))),
        (["--taxon", "pangolin"], Query(taxa=("Manidae",))),
        (["--taxon", "Mammals", "--taxon", "birds"], Query(taxon_groups=("birds", "mammals"))),
        (
            ["--taxon", "Manis javanica", "--taxon", "reptiles"],
            Query(taxa=("Manis javanica",), taxon_groups=("reptiles",)),
        ),
        (["--country", "cn", "--country", "Laos"], Query(countries=("CN", "LA"))),
        (["--country", "NA"], Query(countries=("NA",))),  # Namibia, not "not available"
    ],
)
def test_filter_options_become_a_query(typed, expected):
    assert query_from_arguments(_arguments(*typed)) == expected


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        (["--pair", "CN-XX"], "--pair: 'CN-XX' is not two ISO country codes joined by '-'"),
        (["--pair", "CNLA"], "--pair: 'CNLA' is not two ISO country codes joined by '-'"),
        (["--pair", "CN-CN"], "--pair: 'CN-CN' is not two ISO country codes joined by '-'"),
        (["--taxon", "unicornus"], "--taxon: 'unicornus' is neither a taxon in the species"),
        (["--country", "XX"], "--country: 'XX' is not a country"),
        (["--from", "2024-13-01"], "--from: '2024-13-01' is not a date written YYYY-MM-DD."),
        (["--year", "24"], "--year: '24' is not a year written YYYY."),
        (["--year", "2024", "--to", "2024-06-30"], "--year cannot be combined with --from or --to"),
        (
            ["--from", "2024-02-01", "--to", "2024-01-01"],
            "--from 2024-02-01 is after --to 2024-01-01.",
        ),
    ],
)
def test_a_bad_filter_is_one_sentence_naming_the_option(
    sample_db, tmp_path, capsys, typed, sentence
):
    out = tmp_path / "never.csv"
    assert main(["export", "--db", str(sample_db), "--out", str(out), *typed]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"seizures: {sentence}")
    assert error.count("\n") == 1 and error.rstrip().endswith(".")
    assert not out.exists()


def test_a_large_export_is_read_in_date_windows_and_written_the_same(sample, tmp_path, monkeypatch):
    query = Query(countries=("CN",), country_role="seizing")
    whole = export_bytes(sample, query, "csv")
    monkeypatch.setattr(export, "CHUNK_ROWS", 500)
    chunks = list(record_chunks(sample, query))
    assert len(chunks) > 5
    assert all(len(chunk) < 2 * 500 for chunk in chunks[:-1])  # whole months, about 500 each
    assert sum(len(chunk) for chunk in chunks) == aggregates.count(sample, query)
    assert export_bytes(sample, query, "csv") == whole


def test_csv_and_xlsx_neutralise_formulas_and_leave_numbers(hostile, tmp_path):
    store = Store(hostile)
    out = tmp_path / "year.csv"
    assert export_records(store, out, "csv", YEAR_2022) == 3
    rows = {row["seizing_country"] + row["lon"]: row for row in _csv_rows(out.read_bytes())}
    first, second = rows["GB-3.2"], rows["GB-3.18"]
    assert first["notes"] == "'" + HYPERLINK
    assert first["location_name"] == "'+1-2 Cardiff docks"
    assert second["location_name"] == "'@SUM(A1) 磨憨 depot"
    assert second["notes"] == "-3.2"  # a plain number is not a formula

    out = tmp_path / "year.xlsx"
    assert export_records(store, out, "xlsx", YEAR_2022) == 3
    sheet = openpyxl.load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    cells = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type != "f" for row in cells for cell in row.values())
    (first,) = (row for row in cells if row["lon"].value == -3.2)
    assert first["lon"].data_type == "n"
    assert first["notes"].value == "'" + HYPERLINK and first["notes"].data_type == "s"
    assert first["location_name"].value == "'+1-2 Cardiff docks"


def test_geojson_is_points_lon_lat_with_text_as_data(hostile, tmp_path, capsys):
    out = tmp_path / "year.geojson"
    typed = ["--format", "geojson", "--year", "2022", "--out", str(out)]
    assert main(["export", "--db", hostile, *typed]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("exported 2 records (2022-01-01 to 2022-12-31)")
    assert said[1].startswith("left out 1 record without coordinates")

    raw = out.read_bytes()
    assert "磨憨".encode() in raw  # UTF-8, not \u escapes
    collection = json.loads(raw)
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    features = {f["properties"]["lon"]: f for f in collection["features"]}
    assert set(features) == {-3.2, -3.18}
    first = features[-3.2]
    assert first["geometry"] == {"type": "Point", "coordinates": [-3.2, 51.5]}
    assert first["properties"]["notes"] == HYPERLINK  # data, not a spreadsheet cell
    assert first["properties"]["location_name"] == "+1-2 Cardiff docks"
    assert first["properties"]["seizure_date"] == "2022-05-01"
    assert first["id"] == first["properties"]["record_id"]


def test_geojson_of_the_sample_validates(sample, tmp_path):
    query = Query(pair="CN-VN", date_from=dt.date(2023, 1, 1))
    data = export_bytes(sample, query, "geojson")
    collection = json.loads(data)
    records = sample.select(query, columns=["record_id", "lat", "lon"])
    placed = records.dropna(subset=["lat", "lon"])
    assert len(collection["features"]) == len(placed) > 0
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert (lon, lat) == (feature["properties"]["lon"], feature["properties"]["lat"])
        assert dt.date.fromisoformat(feature["properties"]["seizure_date"])
    assert data == export_bytes(sample, query, "geojson")  # the same bytes every time


def test_an_export_of_nothing_still_has_its_header(hostile, tmp_path):
    nothing = Query(date_from=dt.date(1990, 1, 1), date_to=dt.date(1990, 12, 31))
    store = Store(hostile)
    data = export_bytes(store, nothing, "csv")
    assert data.decode("utf-8-sig").startswith("record_id,seizure_date,")
    assert json.loads(export_bytes(store, nothing, "geojson"))["features"] == []


def test_export_offers_the_four_formats():
    commands = next(a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    fmt = next(a for a in commands.choices["export"]._actions if a.dest == "format")
    assert fmt.choices == ["csv", "xlsx", "geojson", "aitr"]
    with pytest.raises(ValueError, match="'aitr' is not supported"):
        export_bytes(None, None, "aitr")
