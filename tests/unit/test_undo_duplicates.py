"""Undo loses nothing: rows that repeated an undone batch's records take their places.

The reviewer's case: file B (file A's rows and a blank line) imported after A was counted
as 200 duplicates; undoing A then left an empty store, and re-importing B said "already
imported; nothing added".  What the remaining files hold must always be in the store.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geo.ingest.importer import import_file
from geo.ingest.sample import write_sample
from geo.store import aggregates
from geo.store.store import Store, StoreError

ROWS = 200


@pytest.fixture()
def files(tmp_path):
    """File A (200 sample rows); B: A's rows, a blank line and a new row; C: B's rows."""
    first = write_sample(tmp_path / "a.csv", rows=ROWS + 1, seed=11)
    lines = first.read_text(encoding="utf-8").splitlines()
    a_path = tmp_path / "a.csv"
    a_path.write_text("\n".join(lines[: ROWS + 1]) + "\n", encoding="utf-8")
    b_path = tmp_path / "b.csv"
    b_path.write_text("\n".join([*lines[: ROWS + 1], "", lines[ROWS + 1]]) + "\n", encoding="utf-8")
    c_path = tmp_path / "c.csv"
    c_path.write_text("\n".join(lines[: ROWS + 2]) + "\n\n\n", encoding="utf-8")
    return a_path, b_path, c_path


def _records(store: Store) -> pd.DataFrame:
    return store.select(None, columns=["record_id", "batch_id", "content_hash", "taxon"])


def test_undoing_the_first_file_keeps_what_the_second_file_holds(engine_url, files):
    a_path, b_path, _ = files
    store = Store(engine_url)
    a = import_file(a_path, store)
    b = import_file(b_path, store)
    assert (a.accepted, b.accepted, b.duplicates) == (ROWS, 1, ROWS)
    before = _records(store)

    result = store.undo_batch(a.batch_id)

    assert result["records_removed"] == ROWS
    assert result["records_restored"] == ROWS
    assert result["restored_to"] == {b.batch_id: ROWS}
    after = _records(store)
    assert len(after) == ROWS + 1, "B's 201 rows are all in the store"
    assert set(after["batch_id"]) == {b.batch_id}
    # the same records, by content: nothing changed but the batch they belong to
    assert sorted(after["content_hash"]) == sorted(before["content_hash"])
    assert aggregates.count(store, None) == ROWS + 1
    # B's batch entry now says what it holds
    batch = store.batches().set_index("batch_id").loc[b.batch_id]
    assert (int(batch["accepted"]), int(batch["duplicates"])) == (ROWS + 1, 0)
    # re-importing B adds nothing, and nothing is missing
    again = import_file(b_path, store)
    assert again.already_imported
    assert len(_records(store)) == ROWS + 1
    # undoing B now empties the store: its rows are not duplicates of anything left
    store.undo_batch(b.batch_id)
    assert aggregates.count(store, None) == 0


def test_each_undo_hands_the_records_to_the_next_file_that_holds_them(engine_url, files):
    a_path, b_path, c_path = files
    store = Store(engine_url)
    a, b, c = (import_file(path, store) for path in (a_path, b_path, c_path))
    assert (c.accepted, c.duplicates) == (0, ROWS + 1)

    first = store.undo_batch(a.batch_id)
    # B was imported before C: B's rows take A's places (and B's extra row stays B's)
    assert first["restored_to"] == {b.batch_id: ROWS}
    second = store.undo_batch(b.batch_id)
    assert second["restored_to"] == {c.batch_id: ROWS + 1}
    after = _records(store)
    assert len(after) == ROWS + 1 and set(after["batch_id"]) == {c.batch_id}
    store.undo_batch(c.batch_id)
    assert aggregates.count(store, None) == 0


def test_undoing_the_later_file_removes_only_its_own_rows(engine_url, files):
    a_path, b_path, _ = files
    store = Store(engine_url)
    a = import_file(a_path, store)
    b = import_file(b_path, store)
    result = store.undo_batch(b.batch_id)
    assert (result["records_removed"], result["records_restored"]) == (1, 0)
    after = _records(store)
    assert len(after) == ROWS and set(after["batch_id"]) == {a.batch_id}
    # B's repeats went with it: undoing A now leaves nothing behind
    store.undo_batch(a.batch_id)
    assert aggregates.count(store, None) == 0


def test_an_undo_that_cannot_restore_a_row_changes_nothing(engine_url, files):
    a_path, b_path, _ = files
    store = Store(engine_url)
    a = import_file(a_path, store)
    b = import_file(b_path, store)
    # another record now uses the id one of B's repeats would take back
    repeat = store.run_sql(
        "SELECT record_id FROM duplicates WHERE batch_id = :b ORDER BY source_row LIMIT 1",
        {"b": b.batch_id},
    )["record_id"].iloc[0]
    with store.transaction() as connection:
        connection.exec_driver_sql(
            "UPDATE seizures SET record_id = 'elsewhere' WHERE record_id = "
            f"'{repeat}' AND batch_id = '{a.batch_id}'"
        )
        connection.exec_driver_sql(
            f"UPDATE seizures SET record_id = '{repeat}' WHERE batch_id = '{b.batch_id}'"
        )
    before = _records(store)
    with pytest.raises(StoreError, match=f"cannot undo {a.batch_id}.*undo batch {b.batch_id}"):
        store.undo_batch(a.batch_id)
    after = _records(store)
    assert len(after) == len(before)
    assert set(after["batch_id"]) == {a.batch_id, b.batch_id}
