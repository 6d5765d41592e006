"""Benchmark: a fresh install's first map after `streamlit run`, then every page's settling.

Usage: python tests/bench/bench_first_view.py [--runs 3] [--pages routes,routes?pair=CN-LA]

Each run is a fresh install (no store file, empty user cache and data directories, in a new
temporary directory): geo.bench.first_view starts `streamlit run dashboard.py`, opens it in
Debian's Chromium as soon as the server answers, and times process start → Overview map
drawn; then opens every page, with and without ?pair=CN-LA, in a fresh tab on that server,
each timed from navigation to settled (app idle, charts drawn, maps no longer changing).
Requests to other hosts are refused and listed under "off_host".  Prints medians and samples
as JSON.  Not a test: numbers for the README.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.bench.first_view import BenchError, first_view_timings


def main() -> int:
    """Print the timings as JSON; exit 2 with a sentence if the bench cannot run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh installs to time")
    parser.add_argument("--pages", help="comma-separated page paths (default: every page)")
    args = parser.parse_args()
    pages = args.pages.split(",") if args.pages else None
    try:
        timings = first_view_timings(args.runs, pages)
    except BenchError as error:
        print(f"bench_first_view: {error}", file=sys.stderr)
        return 2
    print(json.dumps(timings, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
