"""The writes ingest asks of the store: an import batch, and stored records derived again.

Both run in one transaction, so an interrupted import or re-enrichment leaves the store as it
was.  Callers hand over frames and get counts back; they never see a connection or a table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from geo.store.tables import batches, duplicates, meta, quarantine, seizures

if TYPE_CHECKING:
    from geo.store.store import Store

__all__ = ["BatchWriter", "update_records"]


class BatchWriter:
    """Adds the records and quarantined rows of one import batch, then its batch entry.

    Obtained from :meth:`geo.store.store.Store.add_batch`, which commits everything added
    when :meth:`finish` has been called and the ``with`` block ends without an error, and
    nothing otherwise.

    Notes
    -----
    Each part is written by one background thread while the caller prepares the next one:
    the database engine does its share of the work on the second core.  At most one part
    is in flight, so memory stays bounded by two parts.
    """

    def __init__(self, store: Store, connection: sa.Connection, before: dict[str, str]):
        self._store = store
        self._connection = connection
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-writer")
        self._pending: Future | None = None
        self.before = before  # {batch_id: sha256} committed when this batch began
        self._hashes: list[np.ndarray] = []  # content hashes of the records added
        self._lock: threading.Lock | None = None
        self.sha256: str | None = None
        self.batch_ids: set[str] = set()  # the batch ids of the rows added (one, normally)
        self.finished = False

    def add(
        self,
        records: pd.DataFrame,
        quarantined: pd.DataFrame,
        repeated: pd.DataFrame | None = None,
    ) -> None:
        """Queue one part of the batch: accepted records, quarantined rows and duplicates.

        Parameters
        ----------
        records : DataFrame
            Seizure records; columns are those of the ``seizures`` table (others ignored).
        quarantined : DataFrame
            ``batch_id, source_row, raw, problems`` for rows that were not accepted.
        repeated : DataFrame, optional
            ``batch_id, source_row, record_id, content_hash, extra`` for rows that repeated a
            stored record or an earlier row (the ``duplicates`` table), so that an undo of
            the batch holding the record can restore them.
        """
        if self.finished:
            raise RuntimeError("this batch is finished; open a new one with Store.add_batch()")
        self._wait()
        self._pending = self._writer.submit(self._write, records, quarantined, repeated)

    def finish(
        self,
        batch: dict[str, Any],
        detail: dict[str, Any],
        settings_if_unset: dict[str, str] | None = None,
    ) -> None:
        """Write the batch entry, the audit event and first-time store settings.

        Parameters
        ----------
        batch : dict
            The ``batches`` row (``batch_id``, ``file_name``, ``sha256``, counts, report...).
        detail : dict
            What the audit log records for this import.
        settings_if_unset : dict, optional
            Store settings written only when the store has none yet under that key.

        Raises
        ------
        geo.store.store.ImportConflict
            If another import stored the same file or some of the same records since this
            batch began (see :meth:`geo.store.store.Store.add_batch`).
        """
        self._wait()
        connection = self._connection
        self.sha256 = batch.get("sha256")
        self.batch_ids.add(str(batch.get("batch_id")))
        # One import at a time ends, until its commit; then what the others committed shows.
        self._lock = self._store._lock_imports(connection)
        conflict = self._store._rival_import(self)
        if conflict is not None:
            raise conflict
        for key, value in (settings_if_unset or {}).items():
            # all(): DuckDB refuses new work on a connection whose last result is unread.
            present = connection.execute(sa.select(meta.c.value).where(meta.c.key == key)).all()
            # DuckDB's transaction does not see a setting committed since it began; ask anew.
            if not present and self._store._committed_meta(key) is None:
                self._store.set_meta(connection, key, value)
        self._store.insert_frame(connection, batches, pd.DataFrame([batch]))
        self._store.log(connection, "import", detail, records=batch.get("accepted"))
        self.finished = True

    def close(self, failed: bool) -> None:
        """Wait for the part in flight (so a rollback never races it) and stop the thread."""
        try:
            if failed:
                pending, self._pending = self._pending, None
                if pending is not None:
                    pending.exception()  # wait; the caller's own error is the one to report
            else:
                self._wait()
        finally:
            self._writer.shutdown(wait=True)

    def hashes(self) -> np.ndarray:
        """Return the content hashes of the records added so far."""
        return np.concatenate(self._hashes) if self._hashes else np.empty(0, np.int64)

    def release(self) -> None:
        """Let the next import end (after this batch's commit or rollback)."""
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def _write(
        self, records: pd.DataFrame, quarantined: pd.DataFrame, repeated: pd.DataFrame | None
    ) -> None:
        if len(records):  # before the write: a write that collided names what it held
            self._hashes.append(records["content_hash"].to_numpy(dtype=np.int64))
        for part in (records, quarantined):
            if "batch_id" in part and len(part):
                self.batch_ids.update(part["batch_id"].dropna().astype(str).unique().tolist())
        self._store.insert_frame(self._connection, seizures, records)
        self._store.insert_frame(self._connection, quarantine, quarantined)
        if repeated is not None and len(repeated):
            self._store.insert_frame(self._connection, duplicates, repeated)


def update_records(
    store: Store,
    columns: list[str],
    compute: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    chunk_rows: int,
    progress: Callable[[int, int], None] | None,
    settings: dict[str, str],
    action: str,
    detail: dict[str, Any],
) -> int:
    """Recompute columns of every stored record, in steps, inside one transaction.

    See :meth:`geo.store.store.Store.update_records`.
    """
    wanted = ["record_id", *[name for name in columns if name != "record_id"]]
    done = 0
    with store.transaction() as connection:
        total = int(connection.execute(sa.select(sa.func.count()).select_from(seizures)).scalar())
        last: str | None = None
        while True:
            # Keyset paging: each step starts after the last id of the one before, so no step
            # re-reads (or re-sorts past) the records already done.
            statement = (
                sa.select(*[seizures.c[name] for name in wanted])
                .order_by(seizures.c.record_id)
                .limit(chunk_rows)
            )
            if last is not None:
                statement = statement.where(seizures.c.record_id > last)
            part = _text_missing_as_none(pd.read_sql(statement, connection))
            if part.empty:
                break
            last = str(part["record_id"].iloc[-1])
            store.update_columns(connection, compute(part))
            done += len(part)
            if progress:
                progress(done, total)
        for key, value in settings.items():
            store.set_meta(connection, key, value)
        store.log(connection, action, {"records": done, **detail}, records=done)
    return done


def _text_missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Give text columns ``None`` for SQL NULL, as the records' producers do."""
    for name in frame.columns:
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name]):
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame
