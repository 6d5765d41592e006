"""The `seizures` command fails in one sentence, exit code 2, and one JSON object with --json.

Bad input (a missing path, a folder, a distance that is not a distance) and failed operations
(an import that lost a race with another one, a store that stayed locked, an internal error)
are told in one line on stderr that says what is wrong and where; never a traceback, never
the 17 KB of row data a database puts in its error.
"""

import json
import threading
from pathlib import Path

import pytest

import geo.ingest.importer
from geo.cli import main
from geo.ingest.importer import import_file
from geo.store.store import Store, StoreBusy

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def _outcome(capsys) -> tuple[list[str], list[dict]]:
    """The stderr lines and the JSON objects printed on stdout."""
    captured = capsys.readouterr()
    objects = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return captured.err.strip().splitlines(), objects


def _one_sentence(lines: list[str]) -> str:
    assert len(lines) == 1, lines
    assert lines[0].startswith("seizures: ") and "Traceback" not in lines[0]
    assert len(lines[0]) < 400, lines[0]
    return lines[0]


@pytest.mark.parametrize("command", ["import", "validate"])
@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda tmp: tmp / "nowhere" / "seizures.csv", "no such file"),
        (lambda tmp: tmp, "is a folder"),
    ],
    ids=["missing", "folder"],
)
def test_a_path_that_is_not_a_file_fails_in_one_sentence(tmp_path, capsys, command, make, says):
    path = str(make(tmp_path))
    db = str(tmp_path / "s.duckdb")
    assert main([command, path, "--db", db]) == 2
    lines, objects = _outcome(capsys)
    sentence = _one_sentence(lines)
    assert path in sentence and says in sentence
    assert objects == []

    assert main([command, path, "--db", db, "--json"]) == 2
    lines, objects = _outcome(capsys)
    _one_sentence(lines)
    assert len(objects) == 1
    assert objects[0]["file"] == path and says in objects[0]["error"]


def test_a_bad_path_does_not_stop_the_other_files(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    missing = str(tmp_path / "missing.csv")
    assert main(["import", missing, str(DATA / "routes_air.csv"), "--db", db, "--json"]) == 2
    _, objects = _outcome(capsys)
    assert "error" in objects[0] and objects[1]["stored"] is True


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-5", "0"])
def test_hotspots_refuses_a_distance_that_is_not_a_positive_number(tmp_path, capsys, value):
    db = str(tmp_path / "s.duckdb")
    arguments = ["hotspots", "--pair", "CN-LA", "--db", db, f"--max-km={value}"]
    assert main(arguments) == 2
    lines, objects = _outcome(capsys)
    sentence = _one_sentence(lines)
    assert "--max-km" in sentence and objects == []

    assert main([*arguments, "--json"]) == 2
    lines, objects = _outcome(capsys)
    _one_sentence(lines)
    assert len(objects) == 1 and "--max-km" in objects[0]["error"]


def _overlapping_file(tmp_path: Path) -> Path:
    """The same records as etis_export.csv plus one: another file (another batch)."""
    lines = (DATA / "etis_export.csv").read_text(encoding="utf-8").splitlines()
    overlapping = tmp_path / "etis_and_one_more.csv"
    one_more = lines[1].replace(",12,186.5,", ",13,186.5,")
    assert one_more != lines[1]
    overlapping.write_text("\n".join([*lines, one_more]) + "\n", encoding="utf-8")
    return overlapping


@pytest.mark.parametrize("rival_file", ["the same file", "the same records"])
def test_the_losing_side_of_two_concurrent_imports_adds_nothing_and_says_so(
    engine_url, tmp_path, capsys, monkeypatch, rival_file
):
    """Two imports of the same records run at once; the one that commits second must lose
    cleanly.  The race is made to happen every time: when this import has checked the store
    (its file is not there, its records are new) and is about to write, another import, in
    another thread with its own connection, imports the same file (or one with the same
    records) and commits."""
    mine = DATA / "etis_export.csv"
    theirs = mine if rival_file == "the same file" else _overlapping_file(tmp_path)
    started: list = []
    rival: list = []  # the rival's report, once it has run
    checked = Store.content_hashes

    def rival_import():
        with Store(engine_url) as other:
            rival.append(import_file(theirs, other))

    def content_hashes_then_rival(store):
        known = checked(store)
        if not started:  # the rival's own check comes here too: it must not start another
            started.append(True)
            thread = threading.Thread(target=rival_import)
            thread.start()
            thread.join()
        return known

    monkeypatch.setattr(Store, "content_hashes", content_hashes_then_rival)
    assert main(["import", str(mine), "--db", engine_url, "--json"]) == 2
    lines, objects = _outcome(capsys)
    assert rival and rival[0].stored, "the rival import did not run"
    sentence = _one_sentence(lines)
    assert "another import into" in sentence and f"added {rival_file} first" in sentence
    assert f"nothing from {mine} was added" in sentence and "run the import again" in sentence
    assert len(objects) == 1 and objects[0]["error"] == sentence.removeprefix("seizures: ")
    monkeypatch.undo()

    with Store(engine_url) as store:
        assert store.batches()["batch_id"].tolist() == [rival[0].batch_id]
        assert store.count() == rival[0].accepted
    # Run again, as the sentence says: now it knows the other import's records.
    assert main(["import", str(mine), "--db", engine_url, "--json"]) == 0
    _, objects = _outcome(capsys)
    assert objects[0]["already_imported"] or objects[0]["accepted"] == 0


def test_a_store_that_stays_locked_during_an_import_is_one_sentence(tmp_path, capsys, monkeypatch):
    def locked(store, sha256):
        raise StoreBusy(
            "the store file is in use by another process and stayed locked for 15 s; "
            "try again when it has finished"
        )

    monkeypatch.setattr(Store, "batch_by_sha256", locked)
    name = str(DATA / "routes_air.csv")
    assert main(["import", name, "--db", str(tmp_path / "s.duckdb"), "--json"]) == 2
    lines, objects = _outcome(capsys)
    sentence = _one_sentence(lines)
    assert name in sentence and "another process" in sentence and "again" in sentence
    assert len(objects) == 1 and objects[0]["file"] == name and objects[0]["error"]


@pytest.mark.parametrize(
    ("failure", "says"),
    [
        (MemoryError(), "ran out of memory"),
        (OSError(28, "No space left on device", "/var/tmp/duckdb_spill/x.tmp"), "No space left"),
        (ZeroDivisionError("division by zero"), "internal error"),
    ],
    ids=["memory", "disk", "bug"],
)
def test_an_import_that_fails_midway_says_so_in_one_sentence(
    tmp_path, capsys, monkeypatch, failure, says
):
    def fail(*_args, **_kwargs):
        raise failure

    monkeypatch.setattr(geo.ingest.importer, "open_table", fail)
    name = str(DATA / "routes_air.csv")
    assert main(["import", name, "--db", str(tmp_path / "s.duckdb")]) == 2
    lines, _ = _outcome(capsys)
    sentence = _one_sentence(lines)
    assert name in sentence and says in sentence
    assert "/var/tmp" not in sentence  # a path the user did not type
    assert Store(str(tmp_path / "s.duckdb")).count() == 0


def test_an_internal_error_says_where_to_report_and_shows_details_on_request(
    tmp_path, capsys, monkeypatch
):
    def bug(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Store, "stats", bug)
    db = str(tmp_path / "s.duckdb")
    assert main(["stats", "--db", db, "--json"]) == 2
    lines, objects = _outcome(capsys)
    sentence = _one_sentence(lines)
    assert "internal error" in sentence and "report" in sentence and "SEIZURES_DEBUG=1" in sentence
    assert len(objects) == 1 and "internal error" in objects[0]["error"]

    monkeypatch.setenv("SEIZURES_DEBUG", "1")
    assert main(["stats", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err
    assert err.strip().splitlines()[-1].startswith("seizures: ")
