"""The store's write methods for ingest: a batch is all or nothing; records are re-derived.

Every test runs on each engine (``engine_url``, see ``tests/conftest.py``).
"""

import datetime as dt
import json

import pandas as pd
import pytest

from geo.store.store import Store, StoreError


def _records(ids: list[str], batch_id: str = "b1") -> pd.DataFrame:
    """Minimal seizure records (WGS84 points in Lao PDR)."""
    return pd.DataFrame(
        {
            "record_id": ids,
            "seizure_date": [dt.date(2021, 1, 1)] * len(ids),
            "seizing_country": ["LA"] * len(ids),
            "lat": [17.97] * len(ids),
            "lon": [102.6] * len(ids),
            "taxon": ["Manis javanica"] * len(ids),
            "batch_id": batch_id,
            "content_hash": range(1, len(ids) + 1),
            "source_row": range(2, len(ids) + 2),
        }
    )


def _held(rows: list[int], batch_id: str = "b1") -> pd.DataFrame:
    """Quarantined rows with their raw cells and reasons (JSON)."""
    return pd.DataFrame(
        {
            "batch_id": batch_id,
            "source_row": rows,
            "raw": [json.dumps({"Date": "?"})] * len(rows),
            "problems": [json.dumps([{"column": "Date", "value": "?", "reason": "bad"}])]
            * len(rows),
        }
    )


def _batch(batch_id: str = "b1", rows: int = 4) -> dict:
    return {
        "batch_id": batch_id,
        "file_name": "f.csv",
        "sha256": f"sha-{batch_id}",
        "imported_at": dt.datetime(2024, 1, 1),
        "imported_by": "tester",
        "format": "csv",
        "columns": "[]",
        "rows_read": rows,
        "accepted": 3,
        "quarantined": 1,
        "duplicates": 0,
        "report": "{}",
    }


def test_a_finished_batch_is_stored_whole(engine_url):
    store = Store(engine_url)
    with store.add_batch() as batch:
        batch.add(_records(["a", "b"]), _held([5]))
        batch.add(_records(["c"]).assign(content_hash=[9]), _held([]))
        batch.finish(_batch(), {"batch_id": "b1"}, settings_if_unset={"k": "first"})
    assert store.count() == 3
    assert list(store.quarantined()["source_row"]) == [5]
    assert store.batch_by_sha256("sha-b1")["batch_id"] == "b1"
    assert store.get_meta("k") == "first"
    with store.add_batch() as batch:
        batch.finish(_batch("b2"), {}, settings_if_unset={"k": "second"})
    assert store.get_meta("k") == "first"  # set only when unset
    store.close()


def test_an_interrupted_batch_leaves_nothing(engine_url):
    store = Store(engine_url)
    with pytest.raises(RuntimeError, match="interrupted"), store.add_batch() as batch:
        batch.add(_records(["a", "b"]), _held([5]))
        batch.add(_records(["c"]), _held([]))
        raise RuntimeError("interrupted")
    with pytest.raises(StoreError, match="not finished"), store.add_batch() as batch:
        batch.add(_records(["a"]), _held([]))
    assert store.count() == 0
    assert store.quarantined().empty
    assert store.batches().empty
    store.close()


def test_a_failed_write_fails_the_batch(engine_url):
    store = Store(engine_url)
    with pytest.raises(Exception), store.add_batch() as batch:  # noqa: B017 (engine-specific)
        batch.add(_records(["a"]), _held([]))
        batch.add(_records(["a"]), _held([]))  # the same record id twice
        batch.finish(_batch(), {})
    assert store.count() == 0
    assert store.batches().empty
    store.close()


def test_update_records_pages_through_every_record_in_one_transaction(engine_url):
    store = Store(engine_url)
    ids = [f"r{i:03d}" for i in range(25)]
    with store.add_batch() as batch:
        batch.add(_records(ids), _held([]))
        batch.finish(_batch(rows=25), {})
    seen, steps = [], []

    def compute(part: pd.DataFrame) -> pd.DataFrame:
        seen.extend(part["record_id"])
        return pd.DataFrame({"record_id": part["record_id"], "located_country": "LA"})

    done = store.update_records(
        ["lat", "lon"],
        compute,
        chunk_rows=7,
        progress=lambda count, total: steps.append((count, total)),
        settings={"enrichment_version": "v"},
        action="enrich",
        detail={"version": "v"},
    )
    assert done == 25
    assert sorted(seen) == ids and len(seen) == 25  # each record once
    assert steps[-1] == (25, 25) and len(steps) == 4
    assert set(store.records()["located_country"]) == {"LA"}
    assert store.get_meta("enrichment_version") == "v"

    def broken(part: pd.DataFrame) -> pd.DataFrame:
        if part["record_id"].iloc[0] > "r010":
            raise ValueError("midway")
        return pd.DataFrame({"record_id": part["record_id"], "located_country": "XX"})

    with pytest.raises(ValueError, match="midway"):
        store.update_records(["lat"], broken, chunk_rows=7, settings={"enrichment_version": "w"})
    assert set(store.records()["located_country"]) == {"LA"}  # all or nothing
    assert store.get_meta("enrichment_version") == "v"
    store.close()
