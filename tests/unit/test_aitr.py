"""The CITES annual illegal trade report: the Party's seizures of the year, in the report's
columns, and a file that imports back into the same records.
"""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from geo.cli import main
from geo.ingest.importer import import_file
from geo.labels import field_label
from geo.report.aitr import AITR_COLUMNS, ATLAS_COLUMNS, aitr_bytes, aitr_query, write_aitr
from geo.schema import DERIVED_FIELDS, RECORD_FIELDS
from geo.store.store import Store

# Every stored field but the import batch: the record fields and what import derives.
COMPARED = [f for f in (*RECORD_FIELDS, *DERIVED_FIELDS, "extra") if f != "batch_id"]
HEADER = [header for header, _ in AITR_COLUMNS] + [field_label(f) for f in ATLAS_COLUMNS]
HOSTILE_CSV = (
    "Date,Country,Species,Quantity,Unit,Latitude,Longitude,Location,Notes,Agency,Transit,"
    "Transport,Origin,Destination,Record id\n"
    '2022-05-01,GB,Manis javanica,12,kg,51.5,-3.2,+1-2 Cardiff docks,"=HYPERLINK(""http://x"",'
    '""y"")",@SUM(A1) Border Force,"VN, LA",air,NG,CN,GB-1\n'
    '2022-06,GB,"Manis javanica; Manis pentadactyla",30,kg,51.48,-3.18,Heathrow 希思罗,"line one\n'
    '-two",Border Force,,,NG,,GB-2\n'
    "2022-07-09,GB,Psittacus erithacus,4,individuals,51.47,-0.45,Heathrow,,Border Force,,"
    "post,CM,GB,GB-3\n"
    "2023-01-02,GB,Psittacus erithacus,2,individuals,51.47,-0.45,Heathrow,,Border Force,,air,"
    "CM,GB,GB-4\n"
    "2022-08-01,FR,Psittacus erithacus,2,individuals,49.0,2.55,Roissy,,Douane,,air,CM,GB,FR-1\n"
)


@pytest.fixture
def sample(sample_db):
    """The shipped sample (20,000 synthetic records) in a private store."""
    with Store(str(sample_db)) as store:
        yield store


@pytest.fixture
def hostile(tmp_path):
    """A store of five seizures, three by GB in 2022, with text a spreadsheet would run.

    GB's 2022 seizures: one with formula-like place, agency and note and two transit
    countries; one dated only by month, of two pangolin species, with a two-line note and no
    transport mode; one by post.  Also GB 2023 and FR 2022, which GB's 2022 report leaves out.
    """
    source = tmp_path / "hostile.csv"
    source.write_text(HOSTILE_CSV, encoding="utf-8")
    path = str(tmp_path / "hostile.duckdb")
    with Store(path) as store:
        assert import_file(source, store, today=dt.date(2024, 1, 1)).accepted == 5
    return path


def _stored(store: Store, country: str, year: int) -> pd.DataFrame:
    """Return the records ``country`` seized in ``year``, by id (found without the store's SQL)."""
    records = store.records()
    mine = (records["seizing_country"] == country) & records["seizure_date"].map(
        lambda d: d.year == year
    )
    return records.loc[mine, COMPARED].set_index("record_id").sort_index()


def _round_trip(store: Store, country: str, year: int, tmp_path) -> tuple[int, object, Store]:
    out = tmp_path / f"aitr_{country}_{year}.xlsx"
    written = write_aitr(store, out, country, year)
    fresh = Store(str(tmp_path / "fresh.duckdb"))
    return written, import_file(out, fresh), fresh


def test_the_sample_report_imports_back_into_the_same_records(sample, tmp_path):
    expected = _stored(sample, "CN", 2024)
    assert len(expected) > 500
    written, report, fresh = _round_trip(sample, "CN", 2024, tmp_path)
    assert written == report.rows_read == report.accepted == len(expected)
    assert (report.quarantined, report.duplicates) == (0, 0)
    assert report.header_row == 2  # below the title line
    back = fresh.records()[COMPARED].set_index("record_id").sort_index()
    # Date, species, commodity, quantity, unit, every country, transport, place, coordinates
    # and their precision, agency, notes, sensitivity...: all of them, field by field.
    pd.testing.assert_frame_equal(back, expected)


def test_hostile_text_is_neutralised_in_the_sheet_and_imports_back_as_written(hostile, tmp_path):
    store = Store(hostile)
    expected = _stored(store, "GB", 2022)
    written, report, fresh = _round_trip(store, "GB", 2022, tmp_path)
    assert written == report.accepted == 3 and report.quarantined == 0
    back = fresh.records()[COMPARED].set_index("record_id").sort_index()
    pd.testing.assert_frame_equal(back, expected)
    assert back.loc["GB-2", "other_taxa"] == "Manis pentadactyla"
    assert back.loc["GB-2", "date_precision"] == "month"
    assert back.loc["GB-1", "notes"] == '=HYPERLINK("http://x","y")'

    sheet = openpyxl.load_workbook(tmp_path / "aitr_GB_2022.xlsx").worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    rows = [dict(zip(HEADER, row, strict=True)) for row in sheet.iter_rows(min_row=3)]
    first = next(row for row in rows if row[field_label("record_id")].value == "GB-1")
    assert first["Location of seizure"].value == "'+1-2 Cardiff docks"
    assert first["Detecting agency"].value == "'@SUM(A1) Border Force"
    assert first["Additional information"].value == "'" + '=HYPERLINK("http://x","y")'
    assert first["Longitude"].value == -3.2 and first["Longitude"].data_type == "n"
    assert first["Date of seizure"].value == dt.datetime(2022, 5, 1)
    assert first["Date of seizure"].is_date
    assert first["Country(ies) of transit"].value == "VN, LA"
    second = next(row for row in rows if row[field_label("record_id")].value == "GB-2")
    assert second["Species (scientific name)"].value == "Manis javanica; Manis pentadactyla"
    assert second["Description of specimen"].value == "unknown"
    assert second["Mode of transport"].value is None  # "unknown" is left for the Party
    assert second["Additional information"].value == "line one\n'-two"


def test_the_report_has_the_formats_columns_under_a_title(hostile, tmp_path):
    store = Store(hostile)
    assert write_aitr(store, tmp_path / "gb.xlsx", "gb", 2022) == 3
    book = openpyxl.load_workbook(tmp_path / "gb.xlsx")
    sheet = book.worksheets[0]
    title = sheet.cell(row=1, column=1).value
    assert "annual illegal trade report" in title
    assert "United Kingdom" in title and "(GB)" in title and "2022" in title
    assert "Wildlife Seizure Atlas" in title
    assert [cell.value for cell in sheet[2]] == HEADER
    assert HEADER[:6] == [
        "Date of seizure",
        "Detecting agency",
        "Species (scientific name)",
        "Description of specimen",
        "Quantity",
        "Unit",
    ]
    assert HEADER.index("Additional information") == len(AITR_COLUMNS) - 1
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[HEADER.index("Seizing country")] for row in rows] == ["GB"] * 3
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)  # oldest first
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Party"] == title.split("Party: ")[1].split(" - ")[0]
    assert about["Seizures"] == "3"
    loaded = openpyxl.load_workbook(io.BytesIO(aitr_bytes(store, "GB", 2022)))
    again = list(loaded.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert again == list(sheet.iter_rows(min_row=2, values_only=True))


def test_the_report_holds_the_partys_seizures_of_the_year_only(sample, tmp_path):
    query = aitr_query("vn", 2019)
    assert query.countries == ("VN",) and query.country_role == "seizing"
    assert (query.date_from, query.date_to) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    expected = _stored(sample, "VN", 2019)
    out = tmp_path / "vn.xlsx"
    assert write_aitr(sample, out, "VN", 2019) == len(expected) > 0
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    ids = [row[HEADER.index("Record id")] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(ids) == sorted(expected.index)


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        (["--country", "CN"], "--format aitr needs --country (the reporting Party) and --year"),
        (["--year", "2024"], "--format aitr needs --country (the reporting Party) and --year"),
        (
            ["--country", "CN", "--country", "VN", "--year", "2024"],
            "--format aitr reports one Party's seizures: give one --country, not CN, VN.",
        ),
        (
            ["--country", "CN", "--year", "2024", "--taxon", "Manidae"],
            "--format aitr reports all of a Party's seizures in the year: leave out --taxon.",
        ),
        (["--country", "XX", "--year", "2024"], "--country: 'XX' is not a country"),
        (["--country", "CN", "--year", "last"], "--year: 'last' is not a year written YYYY."),
    ],
)
def test_aitr_without_one_party_and_one_year_is_one_sentence(
    sample_db, tmp_path, capsys, typed, sentence
):
    out = tmp_path / "never.xlsx"
    assert (
        main(["export", "--db", str(sample_db), "--format", "aitr", "--out", str(out), *typed]) == 2
    )
    error = capsys.readouterr().err
    assert error.startswith(f"seizures: {sentence}")
    assert error.count("\n") == 1 and error.rstrip().endswith(".")
    assert not out.exists()


def test_aitr_from_the_command_line(sample_db, tmp_path, capsys):
    out = tmp_path / "cn_2024.xlsx"
    typed = ["--format", "aitr", "--country", "CN", "--year", "2024", "--out", str(out)]
    assert main(["export", "--db", str(sample_db), *typed]) == 0
    with Store(str(sample_db)) as store:
        expected = len(_stored(store, "CN", 2024))
    said = capsys.readouterr().out
    assert said.startswith(
        f"wrote the CITES annual illegal trade report of CN for 2024 ({expected}"
    )


@pytest.mark.parametrize(("country", "year"), [("XX", 2024), ("China", 2024), ("CN", "2024")])
def test_aitr_query_names_a_bad_value(country, year):
    with pytest.raises(ValueError, match=repr(country) if country != "CN" else repr(year)):
        aitr_query(country, year)
