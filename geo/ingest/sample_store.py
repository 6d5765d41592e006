"""The shipped sample, ready to load: its records as an import of the CSV stores them.

Importing ``data/sample/seizures_sample.csv`` (20,000 rows) normalises and enriches every
row and, on a fresh install, first builds the country index that enrichment needs: half a
minute or more before the dashboard's first page.  The same records, as that import stores
them (derived geography, content hashes, rows of the file), ship beside the CSV in
``seizures_sample.parquet``, written by :func:`build_prepared_sample`
(``python data/build/sample_store.py``).  :func:`import_sample` loads them in well under a
second as the very batch the import would write (same batch id, file name, SHA-256 and
report), so the sample notice, ``seizures undo`` and a later import of the CSV behave as
after an import.

The CSV stays the source of truth: the prepared file names the SHA-256 of the CSV, the
enrichment version and the record columns it was made with, and :func:`import_sample`
imports the CSV the slow way whenever one of them differs from what it finds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as parquet

from geo.ingest.enrichment import ENRICHMENT_KEY, enrichment_version
from geo.ingest.importer import ImportReport, file_sha256, import_file
from geo.paths import SAMPLE_FILE
from geo.store.bulk import record_schema
from geo.store.store import Store, StoreError

__all__ = [
    "PREPARED_SAMPLE",
    "build_prepared_sample",
    "import_sample",
    "prepared_is_current",
    "write_prepared_sample",
]

PREPARED_SAMPLE = SAMPLE_FILE.with_suffix(".parquet")
"""``data/sample/seizures_sample.parquet``: the sample's records as an import stores them."""

_METADATA_KEY = b"wildlife_seizure_atlas.sample"
_COUNTS = ("rows_read", "accepted", "quarantined", "duplicates")
# What the audit log records for an import (as geo.ingest.importer writes it).
_AUDITED = ("file", "sha256", "batch_id", *_COUNTS)
_QUARANTINE_COLUMNS = ["batch_id", "source_row", "raw", "problems"]


def build_prepared_sample(
    source: str | Path = SAMPLE_FILE, out: str | Path = PREPARED_SAMPLE
) -> dict[str, Any]:
    """Import the sample CSV into a new store and write its records as the prepared file.

    Parameters
    ----------
    source : str or Path
        The sample CSV (default: the shipped one).
    out : str or Path
        The Parquet file to write.

    Returns
    -------
    dict
        What :func:`write_prepared_sample` wrote beside the records.
    """
    with tempfile.TemporaryDirectory(prefix="sample-store-") as folder:
        with Store(str(Path(folder) / "sample.duckdb")) as store:
            import_file(source, store)
            return write_prepared_sample(store, source, out)


def write_prepared_sample(store: Store, source: str | Path, out: str | Path) -> dict[str, Any]:
    """Write the records a store holds from its import of ``source`` as the prepared file.

    The same records always give the same bytes: in file order, with a fixed schema and
    compression, and nothing beside them that depends on when or where the import ran
    (the import report names the CSV by its file name only).

    Parameters
    ----------
    store : Store
        A store holding the import of ``source`` and nothing else.
    source : str or Path
        The CSV that was imported.
    out : str or Path
        The Parquet file to write.

    Returns
    -------
    dict
        The metadata written with the records (``file_name``, ``sha256``, ``batch_id``,
        ``enrichment_version``, the batch's ``format``, ``columns``, counts and ``report``).

    Raises
    ------
    ValueError
        If the store holds anything but the records of that one import: the prepared file
        holds accepted records only.
    """
    source, out = Path(source), Path(out)
    batch = store.batch_by_sha256(file_sha256(source))
    if batch is None or batch["quarantined"] or batch["duplicates"] or len(store.batches()) != 1:
        raise ValueError(
            f"the store should hold the import of {source.name} alone, with every row "
            "accepted; the prepared sample holds records only"
        )
    records = store.select(columns=record_schema().names, order_by_date=False)
    records = records.sort_values("source_row", kind="stable")
    stated = json.loads(batch["report"])
    stated["file"] = source.name  # not where it was built
    metadata = {
        "file_name": source.name,
        "sha256": batch["sha256"],
        "batch_id": batch["batch_id"],
        "enrichment_version": store.get_meta(ENRICHMENT_KEY),
        "format": batch["format"],
        "columns": batch["columns"],
        **{name: int(batch[name]) for name in _COUNTS},
        "report": stated,
    }
    schema = record_schema().with_metadata(
        {_METADATA_KEY: json.dumps(metadata, ensure_ascii=False)}
    )
    table = pa.Table.from_pandas(records, preserve_index=False)
    table = pa.table([table[name].cast(schema.field(name).type) for name in schema.names], schema)
    out.parent.mkdir(parents=True, exist_ok=True)
    parquet.write_table(table, out, compression="zstd", compression_level=19)
    return metadata


def _prepared_metadata(prepared: Path) -> dict[str, Any] | None:
    try:
        schema = parquet.read_schema(prepared)
    except (OSError, pa.ArrowException):  # missing or unreadable: the CSV is imported
        return None
    stated = (schema.metadata or {}).get(_METADATA_KEY)
    if stated is None or schema.remove_metadata() != record_schema():
        return None
    return json.loads(stated)


def prepared_is_current(
    source: str | Path = SAMPLE_FILE, prepared: str | Path = PREPARED_SAMPLE
) -> bool:
    """Tell whether the prepared file was made from this CSV by today's code.

    Current: it names the CSV's SHA-256 and the current enrichment version, and holds
    exactly the record columns of today's store.  (That its records are what an import gives
    today is checked by a test, which compares them with a fresh import.)
    """
    metadata = _prepared_metadata(Path(prepared))
    return (
        metadata is not None
        and metadata["sha256"] == file_sha256(source)
        and metadata["enrichment_version"] == enrichment_version()
    )


def import_sample(
    store: Store, source: str | Path = SAMPLE_FILE, prepared: str | Path = PREPARED_SAMPLE
) -> ImportReport:
    """Import the shipped sample: from the prepared file when it is current, else the CSV.

    Parameters
    ----------
    store : Store
        Where the records go.
    source : str or Path
        The sample CSV: the batch is recorded as its import (its name, SHA-256, batch id).
    prepared : str or Path
        The prepared records (:func:`build_prepared_sample`).

    Returns
    -------
    ImportReport
        As :func:`geo.ingest.importer.import_file` returns for the CSV: ``already_imported``
        when the store holds the batch already.
    """
    source, prepared = Path(source), Path(prepared)
    if not prepared_is_current(source, prepared):
        return import_file(source, store)
    metadata = _prepared_metadata(prepared)
    previous = store.batch_by_sha256(metadata["sha256"])
    if previous is not None:
        return ImportReport(
            file=str(source),
            sha256=metadata["sha256"],
            batch_id=previous["batch_id"],
            rows_read=previous["rows_read"],
            duplicates=previous["rows_read"],
            already_imported=True,
        )
    records = parquet.read_table(prepared).to_pandas(types_mapper=pd.ArrowDtype)
    if len(records) != metadata["accepted"]:
        raise StoreError(
            f"{prepared.name} holds {len(records)} records but says {metadata['accepted']}; "
            "rebuild it with python data/build/sample_store.py"
        )
    # The batch's report as the import writes it (problems cut to the first 50, not yet
    # stored), naming the CSV where it is now.
    stated = {**metadata["report"], "file": str(source)}
    with store.add_batch() as batch:
        batch.add(records, pd.DataFrame(columns=_QUARANTINE_COLUMNS))
        batch.finish(
            {
                "batch_id": metadata["batch_id"],
                "file_name": source.name,
                "sha256": metadata["sha256"],
                "imported_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                "imported_by": store.actor,
                "format": metadata["format"],
                "columns": metadata["columns"],
                **{name: metadata[name] for name in _COUNTS},
                "report": json.dumps(stated, ensure_ascii=False, default=str),
            },
            {name: stated[name] for name in _AUDITED},
            settings_if_unset={ENRICHMENT_KEY: metadata["enrichment_version"]},
        )
    known = {field.name for field in dataclasses.fields(ImportReport)}
    report = ImportReport(**{name: value for name, value in stated.items() if name in known})
    report.stored = True
    return report
