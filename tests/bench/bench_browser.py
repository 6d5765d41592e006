"""Benchmark: the dashboard's first map and its redraw after a pair change, in Chromium.

Usage: python tests/bench/bench_browser.py --db STORE.duckdb [--runs 3] [--pairs CN-LA,CN-VN]

The browser part of `seizures bench --browser` on an existing store (no other process may hold
a DuckDB file open): geo.bench starts `streamlit run dashboard.py` on a free port, loads it
once to warm the server, then per run opens a fresh page (timed to the map drawn) and chooses
the next pair in the sidebar (timed to the map redrawn).  Not a test: numbers for the notes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.bench.browser import BenchError, browser_timings


def main() -> int:
    """Print the medians and samples as JSON; exit 2 with a sentence if it cannot run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pairs", default="CN-LA,CN-VN,LA-TH,CN-MM,KH-VN")
    args = parser.parse_args()
    try:
        timings = browser_timings(args.db, args.pairs.split(","), args.runs)
    except BenchError as error:
        print(f"bench_browser: {error}", file=sys.stderr)
        return 2
    print(json.dumps(timings, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
