"""Exports are safe to open in a spreadsheet, and a corrected quarantine file imports again.

A spreadsheet runs a cell, or a line of a cell it splits into rows, that starts with ``=``,
``+``, ``-``, ``@`` or a tab (CSV injection, OWASP).  Each CSV written here is read back with
Python's csv module, as a spreadsheet reads it: one row per record, and no line that would
run as a formula.
"""

import csv
import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest

from geo.cli import main
from geo.ingest.importer import import_file
from geo.report.export import export_quarantine, export_records, records_csv
from geo.store.store import Store

PAYLOAD = "=cmd|' /C calc'!A0"
LINE_BREAKS = {
    "CRLF": "\r\n",
    "CR": "\r",
    "LF": "\n",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "NEL": "\x85",
    "vertical tab": "\x0b",
    "form feed": "\x0c",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
HEADER = "Date,Country,Species,Quantity,Unit,Latitude,Longitude,Notes\n"
TODAY = dt.date(2024, 1, 1)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _source(tmp_path, notes: list[str], date: str = "2022-05-01"):
    """A seizure file with one row per note (all accepted, unless ``date`` is bad)."""
    path = tmp_path / "source.csv"
    body = "".join(
        f"{date},CN,Manis javanica,{i + 1},kg,21.18,101.69,{_quoted(note)}\n"
        for i, note in enumerate(notes)
    )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + body)
    return path


def _runnable_lines(rows: list[list[str]]) -> list[str]:
    """The lines of cells that a spreadsheet would run as formulas."""
    found = []
    for row in rows:
        for cell in row:
            for line in cell.split("\n"):
                if line.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(line):
                    found.append(line)
    return found


def _read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("brk", LINE_BREAKS.values(), ids=LINE_BREAKS.keys())
def test_formula_after_a_line_break_is_inert_in_every_csv_export(tmp_path, brk):
    notes = [f"seized at the airport{brk}{PAYLOAD}", f"{brk}{PAYLOAD}", "plain note"]
    store = Store(str(tmp_path / "s.duckdb"))
    report = import_file(_source(tmp_path, notes), store, today=TODAY)
    assert report.accepted == len(notes)

    out = tmp_path / "records.csv"
    assert export_records(store, out, "csv") == len(notes)
    rows = _read_csv(out.read_text(encoding="utf-8-sig"))
    assert len(rows) == 1 + len(notes)
    assert _runnable_lines(rows) == []
    column = rows[0].index("notes")
    assert sorted(row[column] for row in rows[1:]) == sorted(
        [f"seized at the airport\n'{PAYLOAD}", f"\n'{PAYLOAD}", "plain note"]
    )

    download = records_csv(store.records())
    rows = _read_csv(download.decode("utf-8-sig"))
    assert len(rows) == 1 + len(notes)
    assert _runnable_lines(rows) == []

    held = Store(str(tmp_path / "held.duckdb"))
    import_file(_source(tmp_path, notes, date="not a date"), held, today=TODAY)
    out = tmp_path / "quarantine.csv"
    assert export_quarantine(held, out) == len(notes)
    rows = _read_csv(out.read_text(encoding="utf-8-sig"))
    assert len(rows) == 1 + len(notes)
    assert _runnable_lines(rows) == []


@pytest.mark.parametrize("brk", ["\x0b", "\x0c"], ids=["vertical tab", "form feed"])
def test_xlsx_export_writes_a_note_with_a_page_or_tab_break_as_text(tmp_path, brk):
    store = Store(str(tmp_path / "s.duckdb"))
    import_file(_source(tmp_path, [f"first{brk}{PAYLOAD}"]), store, today=TODAY)
    out = tmp_path / "records.xlsx"
    assert export_records(store, out, "xlsx") == 1
    sheet = openpyxl.load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    note = sheet.cell(row=2, column=header.index("notes") + 1)
    assert note.data_type == "s"
    assert note.value == f"first\n'{PAYLOAD}"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_export_keeps_a_record_whose_note_holds_a_control_character(tmp_path):
    store = Store(str(tmp_path / "s.duckdb"))
    import_file(_source(tmp_path, ["bell\x07 and escape\x1b"]), store, today=TODAY)
    out = tmp_path / "records.xlsx"
    assert export_records(store, out, "xlsx") == 1
    sheet = openpyxl.load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    # XLSX cannot hold these characters: each shows as a replacement mark, the rest stays
    assert sheet.cell(row=2, column=header.index("notes") + 1).value == (
        "bell\ufffd and escape\ufffd"
    )


def test_quarantine_export_leaves_numbers_alone(tmp_path):
    source = tmp_path / "held.csv"
    source.write_text(
        HEADER + "not a date,CN,Manis javanica,+12,kg,-0.5e3,-3.2,=1+1\n", encoding="utf-8"
    )
    store = Store(str(tmp_path / "s.duckdb"))
    import_file(source, store, today=TODAY)
    out = tmp_path / "to_fix.csv"
    assert export_quarantine(store, out) == 1
    with open(out, encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["Quantity"], row["Latitude"], row["Longitude"]) == ("+12", "-0.5e3", "-3.2")
    assert row["Notes"] == "'=1+1"


def test_corrected_quarantine_file_imports_with_its_numbers_and_text(tmp_path):
    source = tmp_path / "held.csv"
    source.write_text(
        HEADER
        + "2022-13-45,CN,Manis javanica,12,kg,51.5,-3.2,=1+1\n"
        + '2022-14-01,CN,Manis javanica,3,kg,51.5,-3.3,"two lines\n- one\n@two"\n',
        encoding="utf-8",
    )
    store = Store(str(tmp_path / "s.duckdb"))
    first = import_file(source, store, today=TODAY)
    assert first.quarantined == 2
    out = tmp_path / "to_fix.csv"
    export_quarantine(store, out)

    frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame["Date"] = ["2022-12-05", "2022-12-06"]  # the analyst's fix
    frame.to_csv(out, index=False, encoding="utf-8-sig")

    fresh = Store(str(tmp_path / "fresh.duckdb"))
    report = import_file(out, fresh, today=TODAY)
    assert (report.accepted, report.quarantined) == (2, 0)
    records = fresh.records().sort_values("quantity")
    assert records["lon"].tolist() == [-3.3, -3.2]
    assert records["notes"].tolist() == ["two lines\n- one\n@two", "=1+1"]


def test_import_drops_the_apostrophe_an_export_put_before_a_formula_character(tmp_path):
    source = tmp_path / "older_export.csv"
    source.write_text(
        HEADER + "2022-05-01,CN,Manis javanica,12,kg,'+51.5,'-3.2,'=1+1\n", encoding="utf-8"
    )
    store = Store(str(tmp_path / "s.duckdb"))
    report = import_file(source, store, today=TODAY)
    assert report.accepted == 1
    record = store.records().iloc[0]
    assert (record["lat"], record["lon"], record["notes"]) == (51.5, -3.2, "=1+1")


@pytest.mark.parametrize("shape", ["plain csv", "latin-1 csv", "spaced csv", "xlsx"])
def test_every_reader_drops_the_export_apostrophes(tmp_path, shape):
    # Each reader path (Arrow's CSV parser, pandas' parser, the XLSX reader) drops them.
    row = ["2022-05-01", "CN", "Manis javanica", "12", "kg", "'+51.5", "'-3.2", "café\n'@three"]
    if shape == "xlsx":
        source = tmp_path / "older_export.xlsx"
        book = openpyxl.Workbook()
        book.active.append(HEADER.strip().split(","))
        book.active.append(row)
        book.save(source)
    else:
        source = tmp_path / "older_export.csv"
        cells = [f'"{c}"' if "\n" in c else c for c in row]
        if shape == "spaced csv":  # a space after a delimiter: not for Arrow's parser
            cells[1] = " CN"
        text = HEADER + ",".join(cells) + "\n"
        source.write_bytes(text.encode("latin-1" if shape == "latin-1 csv" else "utf-8"))
    store = Store(str(tmp_path / "s.duckdb"))
    report = import_file(source, store, today=TODAY)
    assert report.accepted == 1
    record = store.records().iloc[0]
    assert (record["lat"], record["lon"]) == (51.5, -3.2)
    assert record["notes"] == "café\n@three"


def test_quarantine_of_an_unknown_batch_fails_and_names_it(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    source = tmp_path / "held.csv"
    source.write_text(HEADER + "not a date,CN,Manis javanica,12,kg,1,2,x\n", encoding="utf-8")
    assert main(["import", str(source), "--db", db, "--json"]) == 0
    capsys.readouterr()
    out = tmp_path / "to_fix.csv"
    assert main(["quarantine", "--db", db, "--batch", "nope", "--out", str(out)]) == 2
    message = capsys.readouterr().err
    assert "'nope'" in message
    batch_id = Store(db).batches()["batch_id"].iloc[0]
    assert batch_id in message
    assert not out.exists()
