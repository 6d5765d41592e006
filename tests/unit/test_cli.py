"""The `seizures` command: its contract for scripts (exit codes, JSON lines) and its safety."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.cli import main
from geo.paths import SAMPLE_FILE
from geo.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def _json_lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_import_prints_one_json_object_per_file(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    files = [str(DATA / "etis_export.csv"), str(DATA / "routes_air.csv")]
    assert main(["import", *files, "--db", db, "--json"]) == 0
    reports = _json_lines(capsys)
    assert [Path(r["file"]).name for r in reports] == ["etis_export.csv", "routes_air.csv"]
    for report in reports:
        for key in (
            "sha256",
            "batch_id",
            "rows_read",
            "accepted",
            "quarantined",
            "duplicates",
            "already_imported",
            "problems",
        ):
            assert key in report
        assert (
            report["rows_read"] == report["accepted"] + report["quarantined"] + report["duplicates"]
        )
    etis = reports[0]
    assert etis["quarantined"] == 1
    assert any(p["severity"] == "error" and p["row"] for p in etis["problems"])


def test_second_import_says_already_imported(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(DATA / "etis_export.csv"), "--db", db, "--json"]) == 0
    first = _json_lines(capsys)[0]
    assert main(["import", str(DATA / "etis_export.csv"), "--db", db, "--json"]) == 0
    again = _json_lines(capsys)[0]
    assert again["already_imported"] is True
    assert again["accepted"] == 0
    assert Store(db).count() == first["accepted"]


@pytest.mark.parametrize(
    "name",
    [
        "junk.bin",
        "empty.csv",
        "header_only.csv",
        "not_really.xlsx",
        "encrypted.xlsx",
        "no_header.csv",
    ],
)
def test_unreadable_file_exits_2_with_one_sentence(tmp_path, name):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo.cli",
            "import",
            str(DATA / name),
            "--db",
            str(tmp_path / "s.duckdb"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0]


def test_huge_row_exits_2(tmp_path):
    huge = tmp_path / "huge_row.csv"
    huge.write_text(
        "Seizure Date,Species,Cty Dis\n2021-01-01,Manis javanica," + "x" * 3_000_000 + "\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "geo.cli", "validate", str(huge)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "huge_row.csv line 2" in result.stderr and "Traceback" not in result.stderr


def test_validate_stores_nothing(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    assert main(["validate", str(DATA / "fr_douane_semicolon.csv"), "--json"]) == 0
    report = _json_lines(capsys)[0]
    assert report["stored"] is False and report["accepted"] == 11
    assert not db.exists()


def test_sample_import_accepts_every_row(tmp_path, capsys):
    out = tmp_path / "sample.csv"
    assert main(["sample", "--rows", "2000", "--seed", "3", "--out", str(out)]) == 0
    capsys.readouterr()
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(out), "--db", db, "--json"]) == 0
    report = _json_lines(capsys)[0]
    assert report["rows_read"] == report["accepted"] == 2000
    assert report["problems_total"] == 0


def test_stats_and_undo(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    main(
        [
            "import",
            str(DATA / "etis_export.csv"),
            str(DATA / "routes_air.csv"),
            "--db",
            db,
            "--json",
        ]
    )
    etis, routes = _json_lines(capsys)
    assert main(["stats", "--db", db, "--json"]) == 0
    stats = _json_lines(capsys)[0]
    assert stats["records"] == etis["accepted"] + routes["accepted"]
    assert stats["by_batch"][etis["batch_id"]] == etis["accepted"]
    assert stats["by_seizing_country"]["NA"] >= 1  # Namibia, not a missing value
    assert main(["undo", etis["batch_id"], "--db", db]) == 0
    assert Store(db).count() == routes["accepted"]
    assert main(["undo", "bnosuchbatch", "--db", db]) == 2


def test_export_neutralises_formulas(tmp_path, capsys):
    source = tmp_path / "formula.csv"
    source.write_text(
        "Date,Country,Species,Quantity,Unit,Latitude,Longitude,Notes\n"
        '2022-05-01,CN,Manis javanica,12,kg,21.18,-101.69,"=HYPERLINK(""http://x"",""y"")"\n'
        "2022-05-02,CN,Manis javanica,3,kg,21.18,101.69,@SUM(A1)\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(source), "--db", db]) == 0
    out = tmp_path / "export.csv"
    assert main(["export", "--db", db, "--format", "csv", "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    notes = sorted(r["notes"] for r in rows)
    assert notes == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)"]
    assert sorted(r["lon"] for r in rows)[0] == "-101.69"  # numbers are not touched
    assert "extra" in rows[0] and "record_id" in rows[0]


def test_quarantine_file_can_be_fixed_and_reimported(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    main(["import", str(DATA / "fr_douane_semicolon.csv"), "--db", db, "--json"])
    first = _json_lines(capsys)[0]
    out = tmp_path / "to_fix.csv"
    assert main(["quarantine", "--db", db, "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == first["quarantined"]
    assert all(r["problems"] for r in rows)
    for row in rows:  # the analyst's fix: a real date, real coordinates
        row["Date de saisie"] = "12/04/2022"
        row["Latitude"], row["Longitude"] = "4,0511", "9,7679"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    capsys.readouterr()
    assert main(["import", str(out), "--db", db, "--json"]) == 0
    fixed = _json_lines(capsys)[0]
    assert fixed["accepted"] == first["quarantined"]


def _big_file(tmp_path, copies=15) -> Path:
    """The shipped sample repeated with distinct ids: big enough to kill mid-import."""
    lines = SAMPLE_FILE.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    big = tmp_path / "big.csv"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for copy in range(copies):
            for line in body:
                handle.write(f"C{copy}-{line}\n")
    return big


def test_killed_import_leaves_the_store_unchanged(tmp_path):
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(DATA / "routes_air.csv"), "--db", db]) == 0
    store = Store(db)
    before = (
        store.count(),
        store.batches()["batch_id"].tolist(),
        store.records()["record_id"].tolist(),
    )
    big = _big_file(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "geo.cli", "import", str(big), "--db", db, "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wal = Path(db + ".wal")
    size = os.path.getsize(db)
    deadline = time.monotonic() + 60
    # Wait until the import is writing, then kill it without warning.
    while time.monotonic() < deadline and process.poll() is None:
        if (wal.exists() and wal.stat().st_size > 0) or os.path.getsize(db) > size:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = Store(db)
    assert (
        after.count(),
        after.batches()["batch_id"].tolist(),
        after.records()["record_id"].tolist(),
    ) == before
    result = subprocess.run(
        [sys.executable, "-m", "geo.cli", "import", str(big), "--db", db, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["accepted"] == 15 * 20_000 and not report["already_imported"]
