"""Uploads on the Data page: check a file, import it, undo an import; caches refreshed after.

An uploaded file is on the server's disk only while it is checked or imported: in a private
temporary folder (mode 0700, the file 0600) that is removed afterwards, whatever happened.
Each failure comes back as one sentence for ``st.error``, naming the user's file, never the
server's temporary path or store location.  Writes made here are recorded in the audit log
under the signed-in user's name; in single-user mode (no users) as the ``dashboard``'s, not
as the server's operating-system user.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo.ingest.headers import UserMapping
from geo.ingest.importer import import_file, validate_file
from geo.ingest.mapping import mapping_toml
from geo.ingest.readers import UnreadableFileError
from geo.ingest.sample_store import import_sample
from geo.labels import FIELD_LABELS, field_label
from geo.paths import SAMPLE_FILE, default_db
from geo.store.access import AccessDenied
from geo.store.store import (
    Store,
    StoreBusy,
    StoreError,
    acting_as,
    database_error_line,
    is_database_error,
)
from ui.cache import store

ACTOR = "dashboard"
_CHECKS_KEPT = 4
_PREFIX = "seizure-upload-"
_log = logging.getLogger(__name__)


def _file_name(upload: Any) -> str:
    """The uploaded file's own name, safe as a file name."""
    name = Path(upload.name).name
    return name if name not in ("", ".", "..") else "upload"


@contextmanager
def _saved_upload(upload: Any) -> Iterator[Path]:
    """Write an upload to a private temporary folder under its own name; remove it after."""
    folder = Path(tempfile.mkdtemp(prefix=_PREFIX))  # mode 0700
    try:
        path = folder / _file_name(upload)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(upload.getvalue())
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_upload(upload: Any, mapping: UserMapping | None = None) -> dict[str, Any]:
    """Validate an uploaded file against the store (nothing stored); cached per mapping.

    Returns ``{"report": ImportReport}`` or ``{"error": one sentence}``.
    """
    mapping = mapping or UserMapping()
    checked = st.session_state.setdefault(f"_checked_{upload.file_id}", {})
    key = mapping_toml(mapping)
    if key not in checked:
        name = _file_name(upload)
        try:
            with _saved_upload(upload) as path:
                report = validate_file(path, mapping=mapping, store=store(), guess_header=True)
            report.file = name
            result: dict[str, Any] = {"report": report}
        except Exception as error:
            result = {"error": _sentence(error, name, "checking")}
        if len(checked) >= _CHECKS_KEPT:  # the oldest check goes: a user tries many mappings
            checked.pop(next(iter(checked)))
        checked[key] = result
    return checked[key]


def import_upload(
    upload: Any,
    mapping: UserMapping | None = None,
    signature: str | None = None,
    sensitivity: str | None = None,
) -> dict[str, Any]:
    """Import an uploaded file as one batch and refresh every cached view.

    A mapping the user made (not empty) is remembered by the store under the file's header
    ``signature``, so that the next file with the same headers maps itself.
    ``sensitivity`` is given to rows the file does not mark (see
    :func:`geo.ingest.importer.import_file`).

    Returns ``{"report": ImportReport, "message": its summary}`` or ``{"error": one
    sentence}``; a failed import adds nothing.
    """
    mapping = mapping or UserMapping()
    name = _file_name(upload)
    opened: Store | None = None
    before: set[str] | None = None
    try:
        opened = store()
        before = set(opened.batches()["batch_id"])
        with _saved_upload(upload) as path, acting_as(ACTOR):
            report = import_file(
                path, opened, mapping=mapping, guess_header=True, sensitivity=sensitivity
            )
            if signature and mapping != UserMapping() and report.stored:
                opened.remember_mapping(signature, mapping_toml(mapping), name)
    except Exception as error:
        race = _lost_race(error, upload, opened, before)
        return {"error": race or _sentence(error, name, "importing")}
    finally:
        st.session_state.pop(f"_checked_{upload.file_id}", None)
        st.cache_data.clear()
    report.file = name
    return {"report": report, "message": report.summary()}


def undo(batch_id: str) -> dict[str, Any]:
    """Remove an import batch and refresh every cached view.

    Returns what :meth:`geo.store.store.Store.undo_batch` returns, or ``{"error": one
    sentence}``.
    """
    try:
        with acting_as(ACTOR):
            return store().undo_batch(batch_id)
    except Exception as error:
        return {"error": _sentence(error, f"batch {batch_id}", "undoing")}
    finally:
        st.cache_data.clear()


def problems_table(problems: list[dict[str, Any]]) -> pd.DataFrame:
    """The check's problems in words: row, column, value, what is wrong, what happens to it."""
    frame = pd.DataFrame(problems, columns=["row", "column", "value", "reason", "severity"])
    outcome = {"error": "Quarantined", "warning": "Imported, with a warning"}
    # a problem about a field the file has no column for names the field: in words
    column = [field_label(c) if c in FIELD_LABELS else c for c in frame["column"]]
    return pd.DataFrame(
        {
            "Row": frame["row"],
            "Column": column,
            "Value": frame["value"].where(frame["value"].notna(), ""),
            "Problem": frame["reason"],
            "Outcome": frame["severity"].map(outcome).fillna(frame["severity"]),
        }
    )


def batches_table(batches: pd.DataFrame) -> pd.DataFrame:
    """The import batches in words, newest first: what was imported, when, by whom, counts."""
    return pd.DataFrame(
        {
            "Import": batches["batch_id"],
            "File": batches["file_name"],
            "Imported at (UTC)": pd.to_datetime(batches["imported_at"]).dt.strftime(
                "%Y-%m-%d %H:%M"
            ),
            "By": batches["imported_by"].fillna(""),
            "Rows read": batches["rows_read"],
            "Accepted": batches["accepted"],
            "Quarantined": batches["quarantined"],
            "Duplicates": batches["duplicates"],
        }
    )


def _sentence(error: Exception, name: str, doing: str) -> str:
    """One sentence for a failure ``doing`` (checking, importing, undoing) ``name``."""
    added = "; nothing from it was added" if doing == "importing" else ""
    if isinstance(error, AccessDenied):
        return f"{str(error).rstrip('.')}{added}."
    if isinstance(error, UnreadableFileError):
        return _private(str(error))
    if isinstance(error, StoreBusy):
        return (
            f"Another process (an import from the command line?) is holding the store, so "
            f"{doing} {name} could not start{added}; try again when it has finished."
        )
    if isinstance(error, StoreError):
        return _private(f"{doing.capitalize()} {name} failed: {str(error).rstrip('.')}{added}.")
    if isinstance(error, MemoryError):
        return f"The server ran out of memory {doing} {name}{added}; try a smaller file."
    if isinstance(error, OSError):
        reason = error.strerror or type(error).__name__
        return f"The server could not finish {doing} {name}: {reason}{added}."
    if is_database_error(error):
        return _private(f"The store failed {doing} {name}: {database_error_line(error)}{added}.")
    _log.exception("internal error %s %s", doing, name)
    return (
        f"Internal error {doing} {name} ({type(error).__name__}){added}; please report it to "
        "the Wildlife Seizure Atlas maintainers (the server's log has the details)."
    )


def _lost_race(error: Exception, upload: Any, opened: Store | None, before: set[str] | None) -> str:
    """The sentence for the losing side of two imports of the same records, or ``""``.

    A database error after another batch appeared since this import began: the other import
    (another tab, or the command line) committed the same records first.
    """
    if opened is None or before is None or not is_database_error(error):
        return ""
    try:
        batches = opened.batches()
        new = batches[~batches["batch_id"].isin(before)]
        if new.empty:
            return ""
        same = opened.batch_by_sha256(hashlib.sha256(upload.getvalue()).hexdigest())
    except Exception:  # the store itself may be failing: the plain sentence says so
        return ""
    if same is not None and same["batch_id"] in set(new["batch_id"]):
        what = f"the same file first (batch {same['batch_id']})"
    else:
        first = new.iloc[-1]
        what = f"the same records first (batch {first['batch_id']}, {first['file_name']})"
    return (
        f"Another import into the store was running and added {what}; nothing from "
        f"{_file_name(upload)} was added; import it again."
    )


def _private(text: str) -> str:
    """Leave server paths out: the temporary folder and the store's location."""
    folders = re.escape(os.path.join(tempfile.gettempdir(), _PREFIX)) + r"[^/\\\s]*[/\\]"
    text = re.sub(folders, "", text)
    places = {default_db()}
    try:
        opened = store()
        places |= {opened.location, opened.url}
    except Exception:  # the store did not open: its location is the default one
        pass
    for where in sorted(places, key=len, reverse=True):
        text = text.replace(where, "the store")
    return text


_SAMPLE_REMOVED = "sample_removed"


def remove_sample() -> dict[str, Any]:
    """Undo every import of the shipped synthetic sample; remember it was removed on purpose.

    Returns ``{"records_removed": n}`` or ``{"error": one sentence}``.
    """
    opened = store()
    found = opened.batches()
    removed = 0
    try:
        with acting_as(ACTOR):
            for batch_id in found.loc[found["file_name"] == SAMPLE_FILE.name, "batch_id"]:
                removed += opened.undo_batch(batch_id)["records_removed"]
            with opened.transaction() as connection:
                opened.set_meta(connection, _SAMPLE_REMOVED, "1")
    except Exception as error:
        return {"error": _sentence(error, "the synthetic sample", "undoing")}
    finally:
        st.cache_data.clear()
    return {"records_removed": removed}


def sample_removed() -> bool:
    """True when the synthetic sample was removed from the Data page (and can come back)."""
    return store().get_meta(_SAMPLE_REMOVED) == "1"


def restore_sample() -> dict[str, Any]:
    """Import the shipped synthetic sample again (after :func:`remove_sample`)."""
    opened = store()
    try:
        with acting_as(ACTOR):
            report = import_sample(opened)
            with opened.transaction() as connection:
                opened.set_meta(connection, _SAMPLE_REMOVED, "0")
    except Exception as error:
        return {"error": _sentence(error, "the synthetic sample", "importing")}
    finally:
        st.cache_data.clear()
    return {"report": report, "message": report.summary()}
