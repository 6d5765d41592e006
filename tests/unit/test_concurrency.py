"""Readers during an import see none or all of it; two imports at once both land, or one
fails in one sentence and leaves the store as the other made it.  On both engines.

Imports are cut into small chunks (``CHUNK_ROWS``) so that a batch is written in several
steps, and the tests hold an import at a chosen step (its ``progress`` callback waits on an
event, or a barrier) instead of hoping that a timer falls inside it.  DuckDB lets one process
at a time open a file, so "another process" is a real child process there; in one process,
and on PostgreSQL, the other side is a thread with a store of its own.
"""

import csv
import datetime as dt
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import geo.ingest.importer
from geo.ingest.enrichment import ENRICHMENT_KEY
from geo.ingest.importer import import_file
from geo.store import aggregates
from geo.store.store import ImportConflict, Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
CHUNK = 40  # rows per chunk: an import of ROWS rows is written in five steps
ROWS = 200
SEED = 30  # records in the store before the import under test
COLUMNS = ["record_id", "seizure_date", "seizing_country", "location_name", "lat", "lon"]
COLUMNS += ["taxon", "quantity", "unit"]
WAIT = 60  # seconds a test waits for the other side at most (a hang, not a timing)


def _write_rows(path: Path, start: int, count: int) -> Path:
    """A plain CSV of ``count`` records with ids LA-<start>... (placed, no geocoding)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(start, start + count):
            writer.writerow(
                [
                    f"LA-{number:05d}",
                    f"2021-{1 + number % 12:02d}-{1 + number % 28:02d}",
                    "LA",
                    "Vientiane",
                    f"{17.96 + (number % 50) * 0.001:.4f}",
                    f"{102.61 + (number % 40) * 0.001:.4f}",
                    "Manis javanica",
                    1 + number % 7,
                    "kg",
                ]
            )
    return path


def _seed(store: Store) -> None:
    """Store SEED records as one batch, written directly (quick: no file to read)."""
    records = pd.DataFrame(
        {
            "record_id": [f"SEED-{number:03d}" for number in range(SEED)],
            "seizure_date": dt.date(2020, 1, 1),
            "seizing_country": "LA",
            "lat": 17.97,
            "lon": 102.6,
            "taxon": "Manis javanica",
            "sensitivity": "public",
            "owner_country": "LA",
            "batch_id": "bseed",
            "content_hash": range(1, SEED + 1),
            "source_row": range(2, SEED + 2),
        }
    )
    batch = {
        "batch_id": "bseed",
        "file_name": "seed.csv",
        "sha256": "seed",
        "imported_at": dt.datetime(2024, 1, 1),
        "rows_read": SEED,
        "accepted": SEED,
        "quarantined": 0,
        "duplicates": 0,
    }
    with store.add_batch() as writing:
        writing.add(records, pd.DataFrame())
        writing.finish(batch, {"batch_id": "bseed"})


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(geo.ingest.importer, "CHUNK_ROWS", CHUNK)


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    """``big`` and ``other`` (ROWS rows each, no record in common), ``wider`` (big's
    records, then ROWS more)."""
    return {
        "big": _write_rows(tmp_path / "big.csv", 1000, ROWS),
        "other": _write_rows(tmp_path / "other.csv", 2000, ROWS),
        "wider": _write_rows(tmp_path / "wider.csv", 1000, 2 * ROWS),
    }


@pytest.fixture
def stores(engine_url) -> Iterator[Callable[..., Store]]:
    """Opens stores on the test's location, each with its own pool; closes them after."""
    opened: list[Store] = []

    def open_one(**options: Any) -> Store:
        opened.append(Store(engine_url, **options))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


class _Hold:
    """A ``progress`` callback that holds the import at its ``at``-th chunk until released.

    At the third chunk the first one has been written into the import's open transaction
    (and the second is being written): the batch is half in the store, not committed.
    """

    def __init__(self, at: int = 3):
        self.at = at
        self.calls = 0
        self.reached = threading.Event()
        self.release = threading.Event()

    def __call__(self, done: int, total: int | None) -> None:
        self.calls += 1
        if self.calls == self.at:
            self.reached.set()
            if not self.release.wait(WAIT):
                raise TimeoutError("the test never released the import")


class _Run(threading.Thread):
    """Runs a call in a thread; keeps its result or the error it raised."""

    def __init__(self, call: Callable[[], Any], path: Path | None = None):
        super().__init__(daemon=True)
        self._call = call
        self.path = path  # the file it imports
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._call()
        except BaseException as error:  # handed to the test
            self.error = error


def _figures(reader: Store) -> dict[str, Any]:
    """What a dashboard reads: counts by several paths, one stats() and the batches."""
    stats = reader.stats()
    assert stats["records"] == sum(stats["by_batch"].values()), stats  # of one moment
    return {
        "count": reader.count(),
        "aggregate": aggregates.count(reader, None),
        "grouped": int(aggregates.grouped(reader, None, ["seizing_country"])["weight"].sum()),
        "stats": stats["records"],
        "stats_batches": len(stats["by_batch"]),
        "batches": len(reader.batches()),
    }


def _expected(records: int, batches: int) -> dict[str, int]:
    return {
        **dict.fromkeys(("count", "aggregate", "grouped", "stats"), records),
        "stats_batches": batches,
        "batches": batches,
    }


def _none_or_all(seen: list[dict], before: dict, after: dict) -> None:
    """Every figure read is the one from before the import or the one from after it."""
    for figures in seen:
        for name, value in figures.items():
            assert value in (before[name], after[name]), (name, value, before, after)


def _one_sentence(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text and len(text) < 300 and text.endswith("."), text
    assert "another import" in text and "nothing from this one was stored" in text, text
    assert "run it again" in text, text
    return text


# --- readers during an import ---------------------------------------------------------------


def test_readers_during_an_import_see_none_or_all_of_it(stores, files, small_chunks):
    _seed(stores())
    importer, reader = stores(), stores()
    before = _figures(reader)
    assert before == _expected(SEED, 1)
    hold = _Hold()
    run = _Run(lambda: import_file(files["big"], importer, progress=hold))
    run.start()
    assert hold.reached.wait(WAIT), run.error
    during = [_figures(reader) for _ in range(3)]  # half the batch is written, uncommitted
    hold.release.set()
    seen = []
    while run.is_alive():  # the rest of the writes, the commit, and what follows it
        seen.append(_figures(reader))
        run.join(timeout=0.05)  # let the import have the interpreter between two reads
    assert run.error is None, run.error
    assert run.result.accepted == ROWS and hold.calls == ROWS // CHUNK
    after = _figures(reader)
    assert after == _expected(SEED + ROWS, 2)
    assert during == [before] * 3
    _none_or_all(seen, before, after)


def test_a_readers_figures_are_of_one_moment(stores, files, monkeypatch):
    """An import that commits between two statements of one read shows in none of them."""
    _seed(stores())
    importer, reader = stores(), stores()
    asked = Store._batch_conditions  # stats() asks it between its total and its breakdown
    landed = []

    def import_meanwhile(self, *args, **kwargs):
        if self is reader and not landed:
            landed.append(import_file(files["big"], importer))
        return asked(self, *args, **kwargs)

    monkeypatch.setattr(Store, "_batch_conditions", import_meanwhile)
    stats = reader.stats()
    assert landed and landed[0].accepted == ROWS
    assert stats["records"] == SEED and sum(stats["by_batch"].values()) == SEED
    assert reader.stats()["records"] == SEED + ROWS


# Another process importing: starts when told (its start-up overlaps the test's own), holds
# the import at its third chunk (the first is written, not committed) until told again.
_HELD_IMPORT = textwrap.dedent(
    """
    import sys
    import geo.ingest.importer as importer
    from geo.store.store import Store

    importer.CHUNK_ROWS = int(sys.argv[3])
    calls = []

    def progress(done, total):
        calls.append(done)
        if len(calls) == 3:
            print("holding", flush=True)
            sys.stdin.readline()

    sys.stdin.readline()
    store = Store(sys.argv[1])
    report = importer.import_file(sys.argv[2], store, progress=progress)
    store.close()
    print(report.accepted, flush=True)
    """
)

# Proves that the other process holds the file, then imports: waits for the file, as every
# store does, and says what it did.
_LOCKED_OUT_IMPORT = textwrap.dedent(
    """
    import json, sys
    import duckdb
    from geo.ingest.importer import import_file
    from geo.store.store import Store

    sys.stdin.readline()
    try:
        duckdb.connect(sys.argv[1]).close()
        print("not locked", flush=True)
        sys.exit(3)
    except duckdb.IOException as error:
        assert "lock" in str(error).lower(), error
    print("locked out", flush=True)
    store = Store(sys.argv[1])
    report = import_file(sys.argv[2], store)
    store.close()
    print(json.dumps({"already": report.already_imported, "batch": report.batch_id}), flush=True)
    """
)


def _child(script: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _tell(child: subprocess.Popen) -> None:
    child.stdin.write("go\n")
    child.stdin.flush()


def _says(child: subprocess.Popen, word: str) -> None:
    line = child.stdout.readline().strip()
    assert line == word, f"the other process said {line!r} (exit code {child.poll()})"


def _end(child: subprocess.Popen) -> str:
    """Let a child go on, wait for it; return the rest of what it said."""
    if child.poll() is None:
        child.stdin.close()
    rest = child.stdout.read()
    assert child.wait(timeout=WAIT) == 0, rest
    return rest


def test_a_viewer_sees_none_or_all_of_another_process_import(tmp_path, files):
    path = tmp_path / "store.duckdb"
    child = _child(_HELD_IMPORT, path, files["big"], CHUNK)
    viewer = None
    try:
        with Store(str(path)) as seeding:
            _seed(seeding)
        viewer = Store(str(path), idle_seconds=0.2, snapshots=True)
        viewer.data_version()  # what every dashboard rerun asks first: makes the snapshot
        before = _figures(viewer)
        assert before == _expected(SEED, 1)
        _tell(child)  # it takes the file once the viewer's pool has let go of it
        try:
            _says(child, "holding")
            during = [_figures(viewer) for _ in range(3)]
            assert viewer.busy  # the dashboard's note
            child.stdin.close()
            seen = []
            while child.poll() is None:  # the rest, the commit, the file let go
                seen.append(_figures(viewer))
                try:
                    child.wait(timeout=0.05)  # a moment of the core for it between reads
                except subprocess.TimeoutExpired:
                    pass
        finally:
            rest = _end(child)
        assert int(rest.strip()) == ROWS
        after = _figures(viewer)
        assert not viewer.busy
    finally:
        if viewer is not None:
            viewer.close()
        if child.poll() is None:
            child.kill()
            child.wait()
    assert after == _expected(SEED + ROWS, 2)
    assert during == [before] * 3
    _none_or_all(seen, before, after)


# --- two imports at once --------------------------------------------------------------------


def _at_once(stores, first: Path, second: Path) -> tuple[_Run, _Run]:
    """Import two files at once, each through a store of its own, into a new store.

    Both are held at their second chunk until both have got there: each has checked the
    store for duplicates and begun writing before either commits.
    """
    stores().close()  # the tables exist before the race (as in any store in use)
    meeting = threading.Barrier(2, timeout=WAIT)

    def importing(path: Path) -> _Run:
        calls = []

        def progress(done: int, total: int | None) -> None:
            calls.append(done)
            if len(calls) == 2:
                meeting.wait()

        store = stores()
        return _Run(lambda: import_file(path, store, progress=progress), path)

    runs = importing(first), importing(second)
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    for run in runs:
        assert not isinstance(run.error, threading.BrokenBarrierError), "they did not meet"
    return runs


def test_two_imports_of_different_files_at_once_both_land(stores, files, small_chunks):
    runs = _at_once(stores, files["big"], files["other"])
    assert [run.error for run in runs] == [None, None]
    assert [run.result.accepted for run in runs] == [ROWS, ROWS]
    store = stores()
    assert store.count() == 2 * ROWS
    assert sorted(store.batches()["batch_id"]) == sorted(run.result.batch_id for run in runs)
    assert store.get_meta(ENRICHMENT_KEY)  # set by the first to end, kept by the second


def _one_lost(runs: tuple[_Run, _Run]) -> tuple[_Run, _Run]:
    """Return (winner, loser) of two imports of which exactly one must have failed."""
    failed = [run for run in runs if run.error is not None]
    assert len(failed) == 1, [run.error for run in runs]
    loser = failed[0]
    winner = runs[1] if loser is runs[0] else runs[0]
    assert isinstance(loser.error, ImportConflict) and isinstance(loser.error, StoreError)
    assert winner.result.stored
    return winner, loser


def test_the_same_file_imported_twice_at_once_lands_once(stores, files, small_chunks):
    winner, loser = _one_lost(_at_once(stores, files["big"], files["big"]))
    assert "the same file" in _one_sentence(loser.error)
    store = stores()
    assert store.count() == ROWS
    assert store.batches()["batch_id"].tolist() == [winner.result.batch_id]
    again = import_file(files["big"], store)  # as the sentence says
    assert again.already_imported and store.count() == ROWS


def test_two_files_with_the_same_records_at_once_one_lands(stores, files, small_chunks):
    winner, loser = _one_lost(_at_once(stores, files["big"], files["wider"]))
    _one_sentence(loser.error)
    store = stores()
    assert store.count() == winner.result.accepted
    assert store.batches()["batch_id"].tolist() == [winner.result.batch_id]
    # run again, the loser finds the records the winner stored: duplicates, not copies
    again = import_file(loser.path, store)
    assert store.count() == 2 * ROWS
    assert again.accepted + again.duplicates == again.rows_read
    assert again.duplicates == ROWS


def test_two_processes_importing_one_file_at_once_store_it_once(tmp_path, files):
    """Between processes DuckDB's lock on the file keeps the second import out until the
    first has ended: the second then finds the file imported."""
    path = tmp_path / "store.duckdb"
    Store(str(path)).close()
    first = _child(_HELD_IMPORT, path, files["big"], CHUNK)
    second = _child(_LOCKED_OUT_IMPORT, path, files["big"])  # starting up meanwhile
    try:
        _tell(first)
        _says(first, "holding")
        _tell(second)
        _says(second, "locked out")
        first.stdin.close()
        assert int(_end(first).strip()) == ROWS
        said = json.loads(_end(second))
    finally:
        for child in (first, second):
            if child.poll() is None:
                child.kill()
                child.wait()
    assert said["already"]
    with Store(str(path)) as store:
        assert store.count() == ROWS
        assert store.batches()["batch_id"].tolist() == [said["batch"]]
