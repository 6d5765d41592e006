"""The prepared sample: the shipped Parquet file is exactly what importing the CSV stores."""

import json
import shutil

import pandas as pd
import pyarrow.parquet as parquet
import pytest

from geo.ingest.importer import import_file
from geo.ingest.sample_store import (
    PREPARED_SAMPLE,
    import_sample,
    prepared_is_current,
    write_prepared_sample,
)
from geo.paths import SAMPLE_FILE
from geo.store.store import Store
from geo.store.tables import seizures

REBUILD = "out of date: run python data/build/sample_store.py and commit the Parquet file"
BATCH_COLUMNS = ["batch_id", "file_name", "sha256", "rows_read", "accepted", "quarantined"]


def _records(store: Store) -> pd.DataFrame:
    frame = store.select(columns=[c.name for c in seizures.c], order_by_date=False)
    return frame.sort_values("record_id").reset_index(drop=True)


def _batch(store: Store) -> dict:
    row = store.batch_by_sha256(store.batches()["sha256"].iloc[0])
    return {**{name: row[name] for name in BATCH_COLUMNS}, "format": row["format"],
            "columns": row["columns"], "report": json.loads(row["report"])}  # fmt: skip


@pytest.fixture
def imported(sample_store_file, tmp_path) -> Store:
    """A private copy of the store the sample CSV's import made (tests/conftest.py)."""
    path = tmp_path / "imported.duckdb"
    shutil.copy(sample_store_file, path)
    with Store(str(path)) as store:
        yield store


def test_shipped_file_is_what_the_build_writes_from_an_import_of_the_csv(imported, tmp_path):
    built = tmp_path / "built.parquet"
    write_prepared_sample(imported, SAMPLE_FILE, built)
    assert built.read_bytes() == PREPARED_SAMPLE.read_bytes(), REBUILD
    assert prepared_is_current(), REBUILD


def test_loading_the_prepared_file_stores_what_importing_the_csv_stores(imported, tmp_path):
    with Store(str(tmp_path / "fresh.duckdb")) as fresh:
        report = import_sample(fresh)
        assert report.stored and report.accepted == 20_000
        pd.testing.assert_frame_equal(_records(fresh), _records(imported))
        assert _batch(fresh) == _batch(imported)
        assert fresh.get_meta("enrichment_version") == imported.get_meta("enrichment_version")
        # the same batch: importing the CSV adds nothing, and an undo removes every record
        assert import_file(SAMPLE_FILE, fresh).already_imported
        assert import_sample(fresh).already_imported
        assert fresh.undo_batch(report.batch_id)["records_removed"] == 20_000
        assert fresh.count() == 0


def test_a_prepared_file_of_another_csv_is_not_used(tmp_path):
    source = tmp_path / "seizures_sample.csv"
    source.write_text(
        "record_id,seizure_date,seizing_country,lat,lon,taxon,quantity,unit\n"
        "T-1,2021-03-04,LA,21.19,101.68,Manis javanica,12,kg\n"
        "T-2,2022-05-06,CN,21.69,101.55,Elephas maximus,3,pieces\n"
    )
    prepared = tmp_path / "seizures_sample.parquet"
    with Store(str(tmp_path / "build.duckdb")) as store:
        import_file(source, store)
        write_prepared_sample(store, source, prepared)
    assert prepared_is_current(source, prepared)
    with source.open("a") as handle:
        handle.write("T-3,2023-07-08,VN,21.0,105.8,Manis pentadactyla,4,kg\n")
    assert not prepared_is_current(source, prepared)
    with Store(str(tmp_path / "fresh.duckdb")) as fresh:
        report = import_sample(fresh, source, prepared)  # imports the CSV as it is now
        assert (report.rows_read, fresh.count()) == (3, 3)


def test_the_prepared_file_is_small():
    assert PREPARED_SAMPLE.stat().st_size < 2_000_000
    assert parquet.read_metadata(PREPARED_SAMPLE).num_rows == 20_000
