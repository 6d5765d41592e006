"""Shared fixtures: a store holding the shipped synthetic sample, built once per test run."""

import shutil
from pathlib import Path

import pytest

from geo.ingest.importer import import_file
from geo.paths import SAMPLE_FILE
from geo.store.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def sample_store_file(tmp_path_factory) -> Path:
    """A DuckDB file with the 20,000 synthetic sample records imported and enriched."""
    path = tmp_path_factory.mktemp("sample-store") / "sample.duckdb"
    import_file(SAMPLE_FILE, Store(str(path)))
    return path


@pytest.fixture
def sample_db(sample_store_file, tmp_path, monkeypatch) -> Path:
    """A private copy of the sample store, set as SEIZURES_DB for the code under test."""
    path = tmp_path / "store.duckdb"
    shutil.copy(sample_store_file, path)
    monkeypatch.setenv("SEIZURES_DB", str(path))
    return path
