"""Where the project's shipped data lives and where the default store goes."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_DIR", "REFERENCE_DIR", "SAMPLE_FILE", "default_db"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REFERENCE_DIR = DATA_DIR / "reference"
SAMPLE_FILE = DATA_DIR / "sample" / "seizures_sample.csv"


def default_db() -> str:
    """Return the store location: ``$SEIZURES_DB``, else a DuckDB file in the user data dir.

    Returns
    -------
    str
        A DuckDB file path or a ``postgresql://`` URL.
    """
    configured = os.environ.get("SEIZURES_DB")
    if configured:
        return configured
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("wildlife-seizure-atlas", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "seizures.duckdb")
