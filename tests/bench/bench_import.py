"""Benchmark: import speed and peak memory for a large CSV (not a test).

Usage: python tests/bench/bench_import.py [--rows 1000000] [--json]

Generates a synthetic CSV of the requested size (cached in the temp folder), imports it into
a fresh DuckDB store in a child process, and reports rows per second and the child's peak
resident memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _sample_file(rows: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"seizures_bench_{rows}.csv"
    if not path.exists():
        sys.path.insert(0, str(ROOT))
        from geo.ingest.sample import write_sample

        started = time.perf_counter()
        write_sample(path, rows=rows, seed=7)
        print(f"generated {rows:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    source = _sample_file(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "geo.cli",
                "import",
                str(source),
                "--db",
                str(database),
                "--json",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - started
    report = json.loads(result.stdout.splitlines()[-1])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    numbers = {
        "rows": report["rows_read"],
        "accepted": report["accepted"],
        "seconds": round(elapsed, 2),
        "rows_per_second": round(report["rows_read"] / elapsed),
        "peak_memory_mb": round(peak_mb),
        "file_mb": round(source.stat().st_size / 1e6, 1),
    }
    if args.json:
        print(json.dumps(numbers))
    else:
        for key, value in numbers.items():
            print(f"{key:>16}: {value:,}")


if __name__ == "__main__":
    main()
