"""Benchmark: each page's data work against hand-written SQL, on an existing store (not a test).

Usage: python tests/bench/bench_pages.py --db STORE.duckdb [--runs 5] [--pair CN-LA] [--json]

The page part of `seizures bench` without generating and importing a store first, so a page
can be re-timed (or profiled: ``pyinstrument tests/bench/bench_pages.py --db ...``) against
the same large store after each change.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.bench.timing import PAIR, time_views
from geo.store.store import Store


def main() -> None:
    """Print per-page medians (page ms, SQL ms, ratio), unfiltered and for a pair."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pair", default=PAIR)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    store = Store(args.db)
    print(f"{store.count():,} records in the store", file=sys.stderr)
    result = time_views(store, args.runs, args.pair)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{'page':<10} {'ms':>10} {'SQL ms':>9} {'ratio':>7}   {args.pair}: ms, SQL ms, ratio")
    for name, t in result["pages"].items():
        p = t["pair"]
        print(
            f"{name:<10} {t['ms']:>10,.1f} {t['sql_ms']:>9,.1f} {t['ratio']:>7.1f}   "
            f"{p['ms']:>10,.1f} {p['sql_ms']:>9,.1f} {p['ratio']:>7.1f}"
        )
    print(f"hot spots for {args.pair}: {result['hotspots_ms']:,.1f} ms")
    print(f"map payload bytes: {result['map_payload_bytes']}")


if __name__ == "__main__":
    main()
