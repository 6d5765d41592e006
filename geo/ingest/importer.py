"""Import a seizure file into the store as one batch, accounting for every row.

Every input row ends as exactly one of: accepted, quarantined (stored whole with a reason
per field) or duplicate (of a stored record or of an earlier row of the same file).  The
whole file is one transaction: an interrupted import leaves the store as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.ingest.dates import infer_dayfirst
from geo.ingest.enrichment import ENRICHMENT_KEY, enrich_records, enrichment_version
from geo.ingest.headers import UserMapping, header_key, map_columns
from geo.ingest.mapping import match_columns
from geo.ingest.normalise import NormaliseOptions, normalise_chunk
from geo.ingest.readers import CHUNK_ROWS, HeaderHints, open_table
from geo.schema import SENSITIVITIES
from geo.store.store import Store

__all__ = ["MAX_REPORTED_PROBLEMS", "ImportReport", "file_sha256", "import_file", "validate_file"]

MAX_REPORTED_PROBLEMS = 200


@dataclass
class ImportReport:
    """What happened to one file.

    ``rows_read == accepted + quarantined + duplicates`` always holds.
    """

    file: str
    sha256: str
    batch_id: str | None
    rows_read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    already_imported: bool = False
    stored: bool = False
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    dayfirst: bool | None = None
    dayfirst_source: str | None = None
    # {header: {"field", "matched_by", "note"}}: every column, matched or kept in extra
    # ("matched_by": alias, mapping, extra, repeat or recomputed; "note": what an unmatched
    # column looks like, or why it is not used)
    columns: dict[str, dict[str, str | None]] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    problems_total: int = 0
    warnings_total: int = 0
    problems_truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return asdict(self)

    def summary(self) -> str:
        """Return a one-line human summary."""
        if self.already_imported and self.batch_id is None:
            return (
                f"{self.file}: already imported, by a user whose imports you do not see; "
                f"nothing added ({self.rows_read} rows)."
            )
        if self.already_imported:
            return (
                f"{self.file}: already imported as batch {self.batch_id}; nothing added "
                f"({self.rows_read} rows)."
            )
        verb = "imported" if self.stored else "checked (nothing stored)"
        return (
            f"{self.file}: {verb} {self.rows_read} rows: {self.accepted} accepted, "
            f"{self.quarantined} quarantined, {self.duplicates} duplicates"
            + (f"; batch {self.batch_id}" if self.stored else "")
            + "."
        )


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def validate_file(
    path: str | Path,
    mapping: UserMapping | None = None,
    sheet: str | None = None,
    store: Store | None = None,
    today: dt.date | None = None,
    guess_header: bool = False,
) -> ImportReport:
    """Check a file as an import would, storing nothing.

    Parameters
    ----------
    path : str or Path
        The file.
    mapping : UserMapping, optional
        Explicit column mapping and per-file options.
    sheet : str, optional
        XLSX worksheet.
    store : Store, optional
        When given, rows already in the store count as duplicates, as an import would.
    today : datetime.date, optional
        The date after which seizure dates are "in the future" (default: today).
    guess_header : bool
        With no header row naming two known fields, read the first full row as the header
        (as the Data page's mapping step shows it) instead of refusing the file.

    Returns
    -------
    ImportReport
        The report; ``stored`` is False.
    """
    return _run(path, store, mapping, sheet, today, False, None, guess_header, None)


def import_file(
    path: str | Path,
    store: Store,
    mapping: UserMapping | None = None,
    sheet: str | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    guess_header: bool = False,
    sensitivity: str | None = None,
) -> ImportReport:
    """Import a file into the store as one all-or-nothing batch.

    Parameters
    ----------
    path : str or Path
        CSV/TSV, XLSX, GeoJSON, GeoPackage or Parquet.
    store : Store
        Where the records go.
    mapping : UserMapping, optional
        Explicit column mapping and per-file options.
    sheet : str, optional
        XLSX worksheet (overrides the mapping's).
    today : datetime.date, optional
        The date after which seizure dates are "in the future" (default: today).
    progress : callable, optional
        Called after each chunk with the rows read so far and the estimated total (or None).
    guess_header : bool
        As for :func:`validate_file`.
    sensitivity : str, optional
        ``public`` or ``restricted`` for rows whose file states none.  By default
        ``restricted`` when a user imports (sharing is a decision), ``public`` on a store
        without users.  Rows without an owner country get the importing user's home
        country (without users: the seizing country).

    Returns
    -------
    ImportReport
        The report.  A file imported before (same SHA-256) adds nothing and says so.

    Raises
    ------
    geo.ingest.readers.UnreadableFileError
        If the file cannot be read as a table at all.
    geo.store.access.AccessDenied
        If the store's user may not import (a viewer).
    """
    store.principal.require("import", "import files")
    return _run(path, store, mapping, sheet, today, True, progress, guess_header, sensitivity)


def _ownership(store: Store | None, sensitivity: str | None) -> dict[str, Any]:
    """Return the sensitivity and owner of rows that state none (see :func:`import_file`)."""
    principal = store.principal if store is not None else None
    signed_in = principal is not None and not principal.sees_everything
    if sensitivity is None:
        sensitivity = "restricted" if signed_in else "public"
    if sensitivity not in SENSITIVITIES:
        raise ValueError(f"sensitivity should be public or restricted, got {sensitivity!r}")
    return {"sensitivity": sensitivity, "owner_country": principal.country if signed_in else None}


def _run(
    path, store, mapping, sheet, today, write, progress, guess_header, sensitivity
) -> ImportReport:
    path = Path(path)
    mapping = mapping or UserMapping()
    sha256 = file_sha256(path)
    batch_id = f"b{sha256[:12]}"
    report = ImportReport(file=str(path), sha256=sha256, batch_id=batch_id)
    if store is not None:
        previous = store.batch_by_sha256(sha256)
        if previous is not None:
            report.batch_id = previous["batch_id"]
            report.already_imported = True
            report.rows_read = report.duplicates = previous["rows_read"]
            return report
    known = frozenset(header_key(column) for column in mapping.columns)
    hints = HeaderHints(known=known, guess=guess_header)
    table = open_table(path, sheet=sheet or mapping.sheet, chunk_rows=CHUNK_ROWS, hints=hints)
    columns = map_columns(table.columns, mapping)
    report.format, report.encoding, report.delimiter = table.format, table.encoding, table.delimiter
    report.sheet, report.header_row = table.sheet, table.header_row
    report.columns = {
        match.column: {"field": match.field, "matched_by": match.how, "note": match.suggestion}
        for match in match_columns(list(table.columns), mapping)
    }
    report.extra_columns = list(columns.extra)
    problems: list[pd.DataFrame] = []
    ownership = _ownership(store, sensitivity)
    parts = _parts(
        table, columns, mapping, today, report, problems, store, batch_id, progress, ownership
    )
    if not write:
        for _ in parts:
            pass
        _finish_problems(report, problems)
        return report
    with store.add_batch() as batch:
        for accepted, held, repeated in parts:
            batch.add(accepted, held, repeated)
        _finish_problems(report, problems)
        batch.finish(
            _batch_row(report, table, path, store),
            {name: getattr(report, name) for name in _AUDITED},
            # A new store is enriched by the current code; an older one waits for its upgrade.
            settings_if_unset={ENRICHMENT_KEY: enrichment_version()},
        )
    report.stored = True
    return report


_AUDITED = ("file", "sha256", "batch_id", "rows_read", "accepted", "quarantined", "duplicates")


def _parts(table, columns, mapping, today, report, problems, store, batch_id, progress, ownership):
    """Yield (accepted records, quarantined rows, duplicates) per chunk, counting every row.

    Three stages overlap, each in its own thread: reading the next chunk, normalising and
    sorting this one (here), and enriching the one before (geometry that runs mostly
    outside the interpreter lock, so it gets the second core).  Results come out in file
    order.
    """
    known = _KnownRecords(store)
    options: NormaliseOptions | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="enrich") as enricher:
        waiting: tuple[Future, pd.DataFrame, pd.DataFrame] | None = None
        for raw in _read_ahead(table.chunks):
            if options is None:
                options = _options(raw, columns, mapping, today, report, ownership)
            accepted, held, repeated = _sort_rows(
                raw, columns, options, known, report, problems, batch_id
            )
            enriching = enricher.submit(enrich_records, accepted)
            if waiting is not None:
                yield _enriched(*waiting, problems)
            waiting = (enriching, held, repeated)
            if progress:
                progress(report.rows_read, table.rows_hint)
        if waiting is not None:
            yield _enriched(*waiting, problems)


def _sort_rows(raw, columns, options, known, report, problems, batch_id):
    """Normalise a chunk; return its accepted records, quarantined rows and duplicates."""
    result = normalise_chunk(raw, columns, options)
    records = result.records
    is_bad = np.zeros(len(records), dtype=bool)
    if not result.errors.empty:
        is_bad = records.index.isin(result.errors["row"].unique())
    hashes = records["content_hash"].to_numpy(dtype=np.int64)
    duplicate = np.zeros(len(records), dtype=bool)
    valid = ~is_bad
    duplicate[valid] = known.duplicates(hashes[valid])
    id_errors = known.id_conflicts(records, valid & ~duplicate)
    if not id_errors.empty:
        result.errors = pd.concat([result.errors, id_errors], ignore_index=True)
        is_bad |= records.index.isin(id_errors["row"].tolist())
    keep = ~is_bad & ~duplicate
    known.add(records["record_id"].to_numpy(dtype=object)[keep], hashes[keep])
    report.rows_read += len(records)
    report.accepted += int(keep.sum())
    report.duplicates += int(duplicate.sum())
    report.quarantined += int(is_bad.sum())
    problems.append(result.errors.assign(severity="error"))
    problems.append(result.warnings.assign(severity="warning"))
    accepted = records.loc[keep]
    accepted["batch_id"] = batch_id
    accepted["source_row"] = accepted.index.astype("int64")
    repeats = records.loc[duplicate]
    repeated = pd.DataFrame(
        {
            "batch_id": batch_id,
            "source_row": repeats.index.astype("int64"),
            "record_id": repeats["record_id"].to_numpy(dtype=object),
            "content_hash": repeats["content_hash"].to_numpy(dtype=np.int64),
            "extra": repeats["extra"].to_numpy(dtype=object) if "extra" in repeats else None,
        }
    )
    return accepted, _quarantine_rows(raw, result.errors, is_bad, batch_id), repeated


def _enriched(
    enriching: Future, held: pd.DataFrame, repeated: pd.DataFrame, problems: list
) -> tuple:
    """Wait for a chunk's enrichment; file its warnings; return the chunk's three parts."""
    accepted, mismatches = enriching.result()
    if not mismatches.empty:
        problems.append(mismatches.assign(severity="warning"))
    return accepted, held, repeated


def _read_ahead(chunks: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Yield the chunks, reading the next one in a background thread meanwhile."""
    iterator = iter(chunks)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read") as reader:
        coming = reader.submit(next, iterator, None)
        while (chunk := coming.result()) is not None:
            coming = reader.submit(next, iterator, None)
            yield chunk


class _KnownRecords:
    """The records an import has already met: stored ones, and earlier rows of the file.

    Stored content hashes are read once, sorted, and searched per chunk; the file's own
    accepted rows are kept in a set and a dict (hash -> seen, id -> hash), so each chunk's
    checks cost about its own length, however many chunks came before.
    """

    def __init__(self, store: Store | None):
        self._store = store
        stored = store.content_hashes() if store is not None else np.empty(0, np.int64)
        self._stored = np.sort(stored)
        self._hashes: set[int] = set()
        self._ids: dict[str, int] = {}

    def duplicates(self, hashes: np.ndarray) -> np.ndarray:
        """Mask of hashes already stored, met in an earlier chunk, or repeated in this one."""
        stored = np.zeros(len(hashes), dtype=bool)
        if self._stored.size:
            where = np.searchsorted(self._stored, hashes).clip(max=self._stored.size - 1)
            stored = self._stored[where] == hashes
        earlier = np.fromiter(map(self._hashes.__contains__, hashes.tolist()), bool, len(hashes))
        return stored | earlier | pd.Series(hashes).duplicated().to_numpy()

    def add(self, record_ids: np.ndarray, hashes: np.ndarray) -> None:
        """Remember accepted rows (their content and the id they claim).

        An accepted row's id is new to the file: a repeat of an earlier id is either the
        same record (a duplicate) or an id conflict (quarantined), so neither is accepted.
        """
        contents = hashes.tolist()
        self._hashes.update(contents)
        self._ids.update(zip(record_ids.tolist(), contents, strict=True))

    def id_conflicts(self, records: pd.DataFrame, candidates: np.ndarray) -> pd.DataFrame:
        """Rows whose own id is already used by a different record (in the file or the store)."""
        with_id = records.loc[candidates & records["source_id"].notna().to_numpy()]
        if with_id.empty:
            return pd.DataFrame(columns=["row", "column", "value", "reason"])
        ids = with_id["record_id"].tolist()
        contents = with_id["content_hash"].to_numpy(dtype=np.int64).tolist()
        earlier = [self._ids.get(record_id) for record_id in ids]
        unknown = [record_id for record_id, seen in zip(ids, earlier, strict=True) if seen is None]
        # An empty store at the start (no stored hashes) holds no ids to ask about.
        asked = self._store is not None and self._stored.size and unknown
        stored = self._store.record_hashes(unknown) if asked else {}
        # Only ids met before (in the file or the store) or repeated in this chunk can
        # conflict; the others, nearly all of a clean file, are not looked at one by one.
        met = pd.Series(ids).duplicated(keep=False).to_numpy(copy=True)
        met |= np.fromiter((seen is not None for seen in earlier), bool, len(ids))
        if stored:
            met |= np.fromiter(map(stored.__contains__, ids), bool, len(ids))
        rows, values, reasons = [], [], []
        local: dict[str, int] = {}
        for position in np.flatnonzero(met).tolist():
            row, record_id = with_id.index[position], ids[position]
            content, seen = contents[position], earlier[position]
            first = seen if seen is not None else local.get(record_id, stored.get(record_id))
            if first is None or first == content:
                local.setdefault(record_id, content)
                continue
            where = (
                "an earlier row of this file"
                if seen is not None or record_id in local
                else "the store"
            )
            rows.append(row)
            values.append(record_id)
            reasons.append(
                f"record id {record_id!r} is already used by a different record in {where}"
            )
        return pd.DataFrame(
            {"row": rows, "column": "record id", "value": values, "reason": reasons}
        )


def _options(raw, columns, mapping, today, report, ownership) -> NormaliseOptions:
    """Settle the day-first reading for the whole file from its first chunk."""
    dayfirst = mapping.dayfirst
    if dayfirst is not None:
        source = "mapping"
    else:
        date_column = columns.fields.get("seizure_date")
        inferred = infer_dayfirst(raw[date_column]) if date_column else None
        if inferred is None:
            dayfirst, source = True, "default (day first; the file's dates do not decide it)"
        else:
            dayfirst, source = inferred, "inferred from the file's dates"
    report.dayfirst, report.dayfirst_source = dayfirst, source
    return NormaliseOptions(
        dayfirst=dayfirst,
        today=today or dt.date.today(),
        defaults=dict(mapping.defaults),
        **ownership,
    )


def _quarantine_rows(raw, errors, is_bad, batch_id) -> pd.DataFrame:
    bad = raw.loc[is_bad]
    if bad.empty:
        return pd.DataFrame(columns=["batch_id", "source_row", "raw", "problems"])
    grouped = {
        row: group[["column", "value", "reason"]].to_dict("records")
        for row, group in errors.groupby("row")
    }
    return pd.DataFrame(
        {
            "batch_id": batch_id,
            "source_row": bad.index.astype("int64"),
            "raw": [json.dumps(cells, ensure_ascii=False) for cells in bad.to_dict("records")],
            "problems": [json.dumps(grouped.get(row, []), ensure_ascii=False) for row in bad.index],
        }
    )


def _finish_problems(report: ImportReport, problems: list[pd.DataFrame]) -> None:
    frame = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame()
    if frame.empty:
        return
    report.problems_total = int((frame["severity"] == "error").sum())
    report.warnings_total = int((frame["severity"] == "warning").sum())
    # Errors first (they explain quarantined rows), then warnings, each in row order.
    frame = frame.sort_values(["severity", "row"], kind="stable")
    shown = frame.head(MAX_REPORTED_PROBLEMS)
    report.problems_truncated = len(frame) > len(shown)
    report.problems = [
        {
            "row": int(item["row"]),
            "column": item["column"],
            "value": item["value"],
            "reason": item["reason"],
            "severity": item["severity"],
        }
        for item in shown.to_dict("records")
    ]


def _batch_row(report: ImportReport, table, path: Path, store: Store) -> dict[str, Any]:
    summary = report.to_dict()
    summary["problems"] = summary["problems"][:50]
    return {
        "batch_id": report.batch_id,
        "file_name": path.name,
        "sha256": report.sha256,
        "imported_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "imported_by": store.actor,
        "owner_country": store.principal.country,
        "format": table.format,
        "columns": json.dumps(table.columns, ensure_ascii=False),
        "rows_read": report.rows_read,
        "accepted": report.accepted,
        "quarantined": report.quarantined,
        "duplicates": report.duplicates,
        "report": json.dumps(summary, ensure_ascii=False, default=str),
    }
