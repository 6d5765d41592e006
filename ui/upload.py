"""Uploads on the Data page: check a file, import it, undo an import; caches refreshed after."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from geo.ingest.importer import ImportReport, import_file, validate_file
from geo.ingest.readers import UnreadableFileError
from ui.cache import store


def _saved_upload(upload: Any) -> Path:
    """Write an uploaded file to a private temporary folder under its own name."""
    folder = Path(tempfile.gettempdir()) / "seizure-atlas-uploads" / upload.file_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(upload.name).name
    if not path.exists():
        path.write_bytes(upload.getvalue())
    return path


def check_upload(upload: Any) -> dict[str, Any]:
    """Validate an uploaded file against the store (nothing stored); cached per upload."""
    key = f"_checked_{upload.file_id}"
    if key not in st.session_state:
        try:
            report = validate_file(_saved_upload(upload), store=store())
            st.session_state[key] = {"report": report}
        except UnreadableFileError as error:
            st.session_state[key] = {"error": str(error)}
    return st.session_state[key]


def import_upload(upload: Any) -> ImportReport:
    """Import an uploaded file as one batch and refresh every cached view."""
    report = import_file(_saved_upload(upload), store())
    st.session_state.pop(f"_checked_{upload.file_id}", None)
    st.cache_data.clear()
    return report


def undo(batch_id: str) -> dict[str, Any]:
    """Remove an import batch and refresh every cached view."""
    result = store().undo_batch(batch_id)
    st.cache_data.clear()
    return result
