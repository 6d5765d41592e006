"""Write data/sample/seizures_sample.parquet: the sample's records as an import stores them.

Usage (from the repository root): python data/build/sample_store.py

Imports data/sample/seizures_sample.csv into a new, temporary store and writes its records
(with the derived geography, content hashes and rows of the file) and the batch's report to
the Parquet file the dashboard loads on a fresh install (geo.ingest.sample_store).  Run it
after changing the sample CSV, the importer or the enrichment; the same inputs give the same
bytes, and tests/unit/test_sample_store.py fails while the file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.ingest.sample_store import PREPARED_SAMPLE, build_prepared_sample


def main() -> int:
    """Build the file and say what it holds."""
    metadata = build_prepared_sample()
    size = PREPARED_SAMPLE.stat().st_size
    print(
        f"{PREPARED_SAMPLE}: {metadata['accepted']:,} records from {metadata['file_name']} "
        f"(sha256 {metadata['sha256'][:12]}…, enrichment {metadata['enrichment_version']}), "
        f"{size / 1e6:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
