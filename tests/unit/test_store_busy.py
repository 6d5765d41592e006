"""While another process imports into a DuckDB store, a viewer keeps reading the store as it was.

A real second process holds the file (DuckDB's lock is per process); the viewer is a store
opened with ``snapshots=True``, as the dashboard opens it.
"""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.ingest.importer import import_file
from geo.store import aggregates, connections
from geo.store.query import Query
from geo.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

# Takes the file as soon as the viewer lets go of it, adds a copy of every record under a new
# id (committed), then holds the file until its stdin closes: an import in another process.
_DUCKDB_HOLDER = textwrap.dedent(
    """
    import sys, time
    import duckdb

    deadline = time.monotonic() + 60
    while True:
        try:
            connection = duckdb.connect(sys.argv[1])
            break
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    connection.execute(
        "INSERT INTO seizures SELECT * REPLACE (record_id || '-new' AS record_id) FROM seizures"
    )
    print("holding", flush=True)
    sys.stdin.readline()
    connection.close()
    """
)

# The command line: imports one file, then starts writing the next and holds the file.
_STORE_WRITER = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from geo.ingest.importer import import_file
    from geo.store.store import Store
    from geo.store.tables import seizures

    store = Store(sys.argv[1])
    import_file(sys.argv[2], store)
    with store.transaction() as connection:
        store.insert_frame(
            connection, seizures, pd.DataFrame({"record_id": ["late"], "content_hash": [1]})
        )
        print("writing", flush=True)
        sys.stdin.readline()
    """
)


def _start(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _wait_for(child: subprocess.Popen, word: str) -> None:
    line = child.stdout.readline().strip()
    assert line == word, f"the other process said {line!r} (exit code {child.poll()})"


def _finish(child: subprocess.Popen) -> None:
    child.stdin.close()
    assert child.wait(timeout=60) == 0


@pytest.fixture
def viewed(tmp_path) -> Path:
    """A DuckDB store holding the 9 records of one file, imported from the command line."""
    path = tmp_path / "store.duckdb"
    with Store(str(path)) as store:
        assert import_file(DATA / "etis_export.csv", store).accepted == 9
    assert not (tmp_path / "store.snapshot.duckdb").exists()  # no viewer: no extra file
    return path


def test_figures_read_during_another_process_import_are_those_from_before_it(viewed):
    viewer = Store(str(viewed), idle_seconds=0.2, snapshots=True)
    version = viewer.data_version()  # what every dashboard rerun asks first
    before = aggregates.grouped(viewer, None, ["seizing_country"]).sort_values("seizing_country")
    group = Query(countries=(before["seizing_country"].dropna().iloc[0],), country_role="seizing")
    in_group = aggregates.count(viewer, group)
    assert not viewer.busy and 0 < in_group < 9
    holder = _start(_DUCKDB_HOLDER, str(viewed))
    try:
        _wait_for(holder, "holding")
        started = time.monotonic()
        assert viewer.data_version() == version
        assert aggregates.count(viewer, None) == 9
        during = aggregates.grouped(viewer, None, ["seizing_country"]).sort_values(
            "seizing_country"
        )
        # the same groups and counts (the order of the rows is the engine's)
        assert during.reset_index(drop=True).equals(before.reset_index(drop=True))
        assert aggregates.count(viewer, group) == in_group
        assert viewer.busy  # the dashboard shows its note
        # a page's worth of reads costs at most one short wait, not the 15 s lock wait each
        for _ in range(10):
            aggregates.count(viewer, None)
        assert time.monotonic() - started < connections.READ_WAIT_SECONDS + 5
    finally:
        _finish(holder)
    assert aggregates.count(viewer, None) == 18  # the import has ended: the store as it is
    assert not viewer.busy
    viewer.close()


def test_a_command_line_write_first_brings_the_viewers_copy_up_to_date(viewed):
    viewer = Store(str(viewed), idle_seconds=0.2, snapshots=True)
    assert viewer.data_version().startswith("9:")
    viewer.close()
    # the viewer does not look while a second file is imported, then a third import starts
    writer = _start(_STORE_WRITER, str(viewed), str(DATA / "fr_douane_semicolon.csv"))
    try:
        _wait_for(writer, "writing")
        assert aggregates.count(viewer, None) == 20  # 9 + 11: the store just before the write
        assert viewer.busy
    finally:
        _finish(writer)
    assert aggregates.count(viewer, None) == 21
    assert not viewer.busy
    viewer.close()


def test_making_the_copy_keeps_other_processes_out_of_the_open_file(viewed):
    # Two processes writing one DuckDB file would corrupt it: the viewer, which still has the
    # file open after copying it, must still hold the lock.
    viewer = Store(str(viewed), idle_seconds=60, snapshots=True)
    viewer.data_version()
    assert viewed.with_name("store.snapshot.duckdb").exists()
    other = subprocess.run(
        [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1])", str(viewed)],
        capture_output=True,
        text=True,
    )
    assert other.returncode != 0 and "lock" in other.stderr.lower()
    viewer.close()


def test_a_viewer_follows_its_own_writes_and_is_never_busy_alone(engine_url):
    viewer = Store(engine_url, snapshots=True)
    viewer.data_version()
    import_file(DATA / "etis_export.csv", viewer)
    assert viewer.data_version().startswith("9:")
    assert aggregates.count(viewer, None) == 9
    import_file(DATA / "routes_air.csv", viewer)
    assert aggregates.count(viewer, None) == 20
    assert not viewer.busy
    viewer.close()


@pytest.fixture
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _busy_notes(app: AppTest) -> list[str]:
    return [c.value for c in app.caption if "import is running" in c.value]


def test_the_dashboard_shows_a_quiet_note_while_an_import_runs(sample_db, fresh_caches):
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    app.run()
    seizures = app.metric[0].value
    assert not _busy_notes(app)
    holder = _start(_DUCKDB_HOLDER, str(sample_db))  # takes the file when the page idles
    try:
        _wait_for(holder, "holding")
        st.cache_data.clear()  # as when the version's two seconds are up
        app.run()
        assert not app.exception, app.exception
        assert app.metric[0].value == seizures
        assert _busy_notes(app) == [
            "An import is running; figures show the store as it was before it."
        ]
        st.cache_resource.clear()  # the server restarted during the import
        st.cache_data.clear()
        restarted = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        restarted.run()
        assert not restarted.exception, restarted.exception
        assert restarted.metric[0].value == seizures
        assert len(_busy_notes(restarted)) == 1
    finally:
        _finish(holder)
    st.cache_data.clear()
    app.run()
    assert not _busy_notes(app)
    assert app.metric[0].value != seizures  # the import's records, once it has ended


def test_a_dashboard_first_opened_during_an_import_says_so(sample_db, fresh_caches, monkeypatch):
    monkeypatch.setattr(connections, "LOCK_WAIT_SECONDS", 0)  # no 15 s wait in a test
    holder = _start(_DUCKDB_HOLDER, str(sample_db))
    try:
        _wait_for(holder, "holding")
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        app.run()
        assert not app.exception, app.exception
        assert "reload the page when the import has finished" in app.info[0].value
    finally:
        _finish(holder)
