"""Benchmark: import speed and peak memory alone (not a test; `seizures bench` does it all).

Usage: python tests/bench/bench_import.py [--rows 1000000] [--db STORE] [--json]

Writes the sample CSV (cached in the temp folder, as `seizures bench` does), imports it with
`seizures import` in a child process into a fresh DuckDB file (or --db), and reports rows per
second and the child's peak resident memory.  Handy with a profiler: the child's command is in
geo/bench/timing.py (``_IMPORT_CHILD``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.bench.timing import measure_import, sample_file


def main() -> None:
    """Run the import benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", help="store to import into (default: a temporary DuckDB file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    source, _ = sample_file(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        measured = measure_import(source, args.db or str(Path(folder) / "bench.duckdb"))
    numbers = {
        "rows": measured["report"]["rows_read"],
        "accepted": measured["report"]["accepted"],
        "seconds": round(measured["seconds"], 2),
        "rows_per_second": round(measured["rows_per_s"]),
        "peak_memory_mb": round(measured["peak_mb"]),
        "file_mb": round(source.stat().st_size / 1e6, 1),
    }
    if args.json:
        print(json.dumps(numbers))
    else:
        for key, value in numbers.items():
            print(f"{key:>16}: {value:,}")


if __name__ == "__main__":
    main()
