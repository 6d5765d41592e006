"""The store on both engines: one suite, the same assertions on DuckDB and on PostgreSQL.

Every test taking ``engine_url`` runs once per engine (see ``tests/conftest.py``); the
PostgreSQL cases need ``SEIZURES_TEST_PG``.  Below them: migrating a store between engines,
and the DuckDB pool that releases the file when the store is idle.
"""

import datetime as dt
import json
import math
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from geo.cli import main
from geo.ingest.enrichment import upgrade_store
from geo.ingest.importer import import_file
from geo.report.export import export_records
from geo.store import connections
from geo.store.migrate import migrate_store
from geo.store.query import Query
from geo.store.store import Store, StoreError
from geo.store.tables import audit, batches, meta, quarantine, seizures

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
FILES = ("etis_export.csv", "fr_douane_semicolon.csv", "routes_air.csv")

# rows read, accepted, quarantined of each file, the same whatever the engine
EXPECTED = {
    "etis_export.csv": (10, 9, 1),
    "fr_douane_semicolon.csv": (12, 11, 1),
    "routes_air.csv": (11, 11, 0),
}

AWKWARD_TEXT = [
    "tab\there",
    "line\nbreak and\r\ncarriage return",
    "back\\slash, \\N and \\.",
    "\\.",
    'double "quotes", \'single\' and ""',
    "老挝 边境 · Lào · 🐢",
    "a,b;c|d",
    "  spaces around  ",
    "NULL",
    "",
    None,
]


def _import_all(store: Store) -> dict[str, object]:
    """Import the three small real-shaped files; return their reports by file name."""
    return {name: import_file(DATA / name, store) for name in FILES}


def _by_id(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame in record-id order (collations differ between servers; ids are ASCII)."""
    return frame.sort_values("record_id", ignore_index=True)


@pytest.fixture
def filled(engine_url) -> Store:
    """A store on the engine holding the three files' records."""
    store = Store(engine_url)
    _import_all(store)
    return store


def test_import_counts_and_stats(engine_url):
    store = Store(engine_url)
    reports = _import_all(store)
    for name, report in reports.items():
        assert (report.rows_read, report.accepted, report.quarantined) == EXPECTED[name]
        assert report.rows_read == report.accepted + report.quarantined + report.duplicates
    assert store.count() == 31
    stats = store.stats()
    assert stats["records"] == 31 and stats["quarantined"] == 2
    assert stats["by_batch"] == {r.batch_id: r.accepted for r in reports.values()}
    assert stats["by_taxon_group"] == {"mammals": 26, "birds": 3, "fish": 1, "reptiles": 1}
    assert stats["by_seizing_country"]["CM"] == 8
    assert sum(stats["by_seizing_country"].values()) == 31
    listed = store.batches()
    assert sorted(listed["batch_id"]) == sorted(r.batch_id for r in reports.values())
    assert listed["imported_at"].is_monotonic_decreasing
    assert set(listed["rows_read"]) == {10, 12, 11}


# (filters, records selected): one import serves the whole table
SELECTIONS = [
    (Query(), 31),
    (Query(countries=("CN",), country_role="destination"), 11),
    (Query(countries=("CM",)), 10),
    (Query(date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31)), 11),
    (Query(taxon_groups=("birds",)), 3),
    (Query(taxa=("Manidae",)), 9),
    (Query(taxon_groups=("mammals",), date_to=dt.date(2019, 12, 31)), 17),
]


def test_select_with_filters(filled):
    everything = filled.records()
    for query, expected in SELECTIONS:
        selected = filled.select(query)
        assert len(selected) == expected, query
        # newest first, whatever the engine
        dates = list(selected["seizure_date"])
        assert dates == sorted(dates, reverse=True), query
    by_destination = filled.select(Query(countries=("CN",), country_role="destination"))
    assert set(by_destination["record_id"]) == set(
        everything.loc[everything["destination_country"] == "CN", "record_id"]
    )
    in_2022 = filled.select(SELECTIONS[3][0], columns=["seizure_date"])["seizure_date"]
    assert all(dt.date(2022, 1, 1) <= day <= dt.date(2022, 12, 31) for day in in_2022)
    assert len(filled.select(Query(), limit=5)) == 5


def test_select_gives_the_same_dtypes_on_every_engine(filled):
    frame = filled.select(
        Query(),
        columns=["record_id", "seizure_date", "lat", "quantity", "country_mismatch", "source_row"],
    )
    kinds = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert kinds["record_id"] == "str"
    assert kinds["lat"] == kinds["quantity"] == "float64"
    assert kinds["source_row"] == "int32"
    assert all(isinstance(value, dt.date) for value in frame["seizure_date"])
    assert frame["record_id"].notna().all()


def test_undo_removes_a_batch_and_nothing_else(filled):
    french = next(b for b in filled.batches().itertuples() if b.file_name.startswith("fr_"))
    result = filled.undo_batch(french.batch_id)
    assert result["records_removed"] == 11 and result["quarantine_removed"] == 1
    assert filled.count() == 20
    assert len(filled.quarantined()) == 1
    assert french.batch_id not in set(filled.batches()["batch_id"])
    assert filled.run_sql("SELECT action FROM audit ORDER BY occurred_at")["action"].tolist()[
        -1
    ] == ("undo")
    with pytest.raises(StoreError, match="no import batch"):
        filled.undo_batch(french.batch_id)


def test_importing_again_adds_nothing(filled, tmp_path):
    again = import_file(DATA / "etis_export.csv", filled)
    assert again.already_imported and filled.count() == 31
    copy = tmp_path / "etis_copy.csv"
    copy.write_bytes((DATA / "etis_export.csv").read_bytes() + b"\n")
    second = import_file(copy, filled)
    assert (second.accepted, second.duplicates, second.quarantined) == (0, 9, 1)
    assert filled.count() == 31


def test_quarantined_rows_keep_their_cells_and_reasons(filled, tmp_path):
    held = filled.quarantined()
    assert len(held) == 2
    french = held[held["raw"].map(lambda raw: "Date de saisie" in raw)]
    assert len(french) == 1
    # the cp1252 file's accented headers and cells, exactly as read
    assert all("Espèce" in raw and "Pays de saisie" in raw for raw in french["raw"])
    assert all(
        isinstance(problems, list) and problems and "reason" in problems[0]
        for problems in held["problems"]
    )
    out = tmp_path / "to_fix.csv"
    assert main(["quarantine", "--db", filled.location, "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 2


def test_data_version_changes_with_the_records(engine_url):
    store = Store(engine_url)
    empty = store.data_version()
    assert store.data_version() == empty  # reading does not change it
    report = import_file(DATA / "etis_export.csv", store)
    imported = store.data_version()
    assert imported != empty
    store.select(Query(taxa=("Manidae",)))
    assert store.data_version() == imported
    store.undo_batch(report.batch_id)
    assert store.data_version() not in (empty, imported)


def test_export_writes_every_record(filled, tmp_path):
    out = tmp_path / "records.csv"
    assert export_records(filled, out, "csv") == 31
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert sorted(exported["record_id"]) == sorted(filled.records()["record_id"])


def test_enrichment_rewrites_columns_in_place(filled):
    before = _by_id(filled.records())
    assert upgrade_store(filled, force=True) == 31
    after = _by_id(filled.records())
    pd.testing.assert_frame_equal(after, before)


def _awkward_records() -> pd.DataFrame:
    count = len(AWKWARD_TEXT)
    return pd.DataFrame(
        {
            "record_id": [f"r{i:02d}" for i in range(count)],
            "seizure_date": [dt.date(1900, 1, 1), dt.date(2099, 12, 31), None]
            + [dt.date(2020, 2, 29)] * (count - 3),
            "notes": AWKWARD_TEXT,
            "location_name": list(reversed(AWKWARD_TEXT)),
            "lat": [0.1, -89.999999999, 1 / 3, 1e-300, None, 2.0**-1074, 45.0]
            + [None] * (count - 7),
            "quantity": [123456789.123456789, 0.0, None] + [7.25] * (count - 3),
            "country_mismatch": [True, False, None] * (count // 3) + [True] * (count % 3),
            "content_hash": [-(2**63), 2**63 - 1, *range(count - 2)],
            "source_row": [None, 0, 2**31 - 1, *range(count - 3)],
        }
    )


def test_awkward_values_round_trip_exactly(engine_url):
    store = Store(engine_url)
    written = _awkward_records()
    with store.transaction() as connection:
        store.insert_frame(connection, seizures, written)
    read = store.read_frame(
        sa.select(*[seizures.c[name] for name in written.columns]).order_by(seizures.c.record_id)
    )
    for name in written.columns:
        for mine, theirs in zip(written[name], read[name], strict=True):
            if mine is None or (isinstance(mine, float) and math.isnan(mine)):
                assert pd.isna(theirs), (name, mine, theirs)
            else:
                assert mine == theirs, (name, mine, theirs)
    # an update goes through its own path (a temporary table on PostgreSQL)
    swapped = written[["record_id"]].assign(
        notes=written["location_name"], location_name=written["notes"]
    )
    with store.transaction() as connection:
        store.update_columns(connection, swapped)
    again = _by_id(store.records())
    assert again["notes"].tolist() == list(reversed(AWKWARD_TEXT))
    assert again["location_name"].tolist() == AWKWARD_TEXT


def test_awkward_text_survives_an_import(engine_url, tmp_path):
    source = tmp_path / "awkward.csv"
    texts = [text for text in AWKWARD_TEXT if text and text.strip() == text]
    pd.DataFrame(
        {
            "Date": [f"2022-03-{day:02d}" for day in range(1, len(texts) + 1)],
            "Country": "LA",
            "Species": "Manis javanica",
            "Quantity": "3 kg",
            "Latitude": "21.19",
            "Longitude": "101.68",
            "Notes": texts,
        }
    ).to_csv(source, index=False)
    store = Store(engine_url)
    assert import_file(source, store).accepted == len(texts)
    stored = store.records().sort_values("seizure_date")["notes"].tolist()
    assert stored == texts


def test_every_command_runs_on_the_engine(engine_url, tmp_path, capsys, monkeypatch):
    db = engine_url
    assert main(["import", str(DATA / "etis_export.csv"), "--db", db, "--json"]) == 0
    batch = json.loads(capsys.readouterr().out)["batch_id"]
    monkeypatch.setenv("SEIZURES_DB", db)  # the same store through the environment
    assert main(["import", str(DATA / "routes_air.csv"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accepted"] == 11
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["records"] == 20
    out = tmp_path / "out.csv"
    assert main(["export", "--db", db, "--format", "csv", "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 20
    assert main(["enrich", "--force"]) == 0
    assert "re-enriched 20 records" in capsys.readouterr().out
    assert main(["hotspots", "--pair", "KE-TZ", "--max-km", "100", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert isinstance(answer["hotspots"], list) and answer["sentence"]
    assert main(["undo", batch, "--db", db]) == 0
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["records"] == 11


# --- migrating between engines -----------------------------------------------------------


def _contents(store: Store) -> dict[str, pd.DataFrame]:
    return {
        table.name: store.read_frame(sa.select(table).order_by(*table.primary_key.columns))
        for table in (seizures, quarantine, batches, audit, meta)
    }


def _assert_same_contents(left: Store, right: Store) -> None:
    mine, theirs = _contents(left), _contents(right)
    for name, frame in mine.items():
        pd.testing.assert_frame_equal(
            frame.sort_values(list(frame.columns[:2]), ignore_index=True),
            theirs[name].sort_values(list(frame.columns[:2]), ignore_index=True),
            obj=name,
        )


def test_migrate_between_duckdb_files(tmp_path):
    source = Store(str(tmp_path / "a.duckdb"))
    _import_all(source)
    source.close()
    result = migrate_store(str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb"), chunk_rows=7)
    assert result["tables"] == {
        "batches": 3,
        "seizures": 31,
        "quarantine": 2,
        "duplicates": 0,
        "audit": 3,
        "mappings": 0,
        "meta": 1,
        "users": 0,
    }
    assert result["verified"]
    _assert_same_contents(Store(str(tmp_path / "a.duckdb")), Store(str(tmp_path / "b.duckdb")))


@pytest.mark.postgres
def test_migrate_duckdb_to_postgresql_and_back(tmp_path, postgres_url, capsys):
    path = str(tmp_path / "a.duckdb")
    with Store(path) as source:
        _import_all(source)
    assert main(["migrate", "--from", path, "--to", postgres_url, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tables"]["seizures"] == 31 and result["tables"]["quarantine"] == 2
    assert result["tables"]["batches"] == 3 and result["verified"] is True
    target = Store(postgres_url)
    _assert_same_contents(Store(path), target)
    assert target.stats() == Store(path).stats()

    back = str(tmp_path / "back.duckdb")
    assert migrate_store(postgres_url, back)["tables"] == result["tables"]
    _assert_same_contents(Store(path), Store(back))


@pytest.mark.postgres
def test_migrate_refuses_a_target_that_is_not_empty(tmp_path, postgres_url, capsys):
    path = str(tmp_path / "a.duckdb")
    with Store(path) as source:
        import_file(DATA / "etis_export.csv", source)
    target = Store(postgres_url)
    import_file(DATA / "routes_air.csv", target)
    assert main(["migrate", "--from", path, "--to", postgres_url]) == 2
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1 and "is not empty" in message
    assert target.count() == 11
    with pytest.raises(StoreError, match="same store"):
        migrate_store(path, path)


# --- DuckDB: one pool per store, and the file released when idle ---------------------------


def test_a_duckdb_store_reuses_its_connection(tmp_path):
    store = Store(str(tmp_path / "s.duckdb"))
    opened = []
    sa.event.listen(store.engine, "connect", lambda *_: opened.append(1))
    for _ in range(6):  # what a dashboard rerun asks
        store.data_version()
        store.count()
    assert len(opened) <= 1


def test_an_idle_duckdb_store_releases_the_file(tmp_path):
    store = Store(str(tmp_path / "s.duckdb"), idle_seconds=0.3)
    store.count()
    assert store.engine.pool.checkedin() == 1
    deadline = time.monotonic() + 10
    while store.engine.pool.checkedin() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.engine.pool.checkedin() == 0
    assert store.count() == 0  # and it opens again when asked


_HOLDER = textwrap.dedent(
    """
    import sys
    from geo.store.store import Store

    store = Store(sys.argv[1])  # the default idle time, as a dashboard has
    print("count", store.count(), flush=True)
    for line in sys.stdin:
        print("count", store.count(), flush=True)
    """
)


def test_another_process_can_write_once_the_store_is_idle(tmp_path, monkeypatch):
    path = str(tmp_path / "shared.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, path],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().split() == ["count", "0"]
        used = time.monotonic()
        # fail at once instead of waiting for the lock, to see who holds it
        monkeypatch.setattr(connections, "LOCK_WAIT_SECONDS", 0)
        with pytest.raises(StoreError, match="in use by another process"):
            Store(path)  # the other store was used a moment ago: it still has the file
        while True:
            try:
                writer = Store(path)
                break
            except StoreError:
                assert time.monotonic() - used < connections.IDLE_SECONDS + 5
                time.sleep(0.1)
        assert time.monotonic() - used >= connections.IDLE_SECONDS * 0.9
        assert import_file(DATA / "etis_export.csv", writer).accepted == 9
        writer.close()
        holder.stdin.write("again\n")
        holder.stdin.flush()
        assert holder.stdout.readline().split() == ["count", "9"]
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


_EXIT_WHILE_RELEASING = textwrap.dedent(
    """
    import sys
    import time
    import pandas as pd
    from geo.store.store import Store
    from geo.store.tables import seizures

    store = Store(sys.argv[1], idle_seconds=0.05)
    rows = 300_000
    frame = pd.DataFrame(
        {"record_id": [f"r{i}" for i in range(rows)], "notes": "x" * 50, "content_hash": 1}
    )
    with store.transaction() as connection:
        store.insert_frame(connection, seizures, frame)
    time.sleep(0.08)  # exit while the idle timer is closing the file (a long checkpoint)
    """
)


def test_exiting_while_the_file_is_released_is_clean(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _EXIT_WHILE_RELEASING, str(tmp_path / "s.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert Store(str(tmp_path / "s.duckdb")).count() == 300_000
