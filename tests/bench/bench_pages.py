"""Benchmark: each page's server-side work (queries and aggregation) on a large store.

Usage: python tests/bench/bench_pages.py --db STORE.duckdb [--json]

Times, for a few typical filter settings, what each page computes after a filter change
(store query plus analysis plus deck/figure building), without Streamlit's caches, and the
size of the map payload sent to the browser.  Not a test: numbers for the closing note.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from geo.analysis import breakdowns, flows, overview, trends  # noqa: E402
from geo.report import charts, maps  # noqa: E402
from geo.spatial import hotspots  # noqa: E402
from geo.spatial.enrich import nearest_borders  # noqa: E402
from geo.store.query import Query  # noqa: E402
from geo.store.store import Store  # noqa: E402
from ui import RECORD_COLUMNS  # noqa: E402


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def _pages(store: Store, query: Query) -> dict[str, float]:
    records, select_ms = _timed(store.select, query, RECORD_COLUMNS)
    timings = {"rows": len(records), "select_ms": round(select_ms)}

    def page(name, work):
        _, ms = _timed(work)
        timings[name] = round(select_ms + ms)

    def overview_page():
        figures = overview.key_figures(records)
        charts.group_bar(figures["by_taxon_group"])
        timings["overview_map_mb"] = round(
            maps.deck_payload_bytes(maps.seizure_map(records, query.pair, layers=("points",)))
            / 1e6,
            2,
        )

    def hotspot_page():
        cells = hotspots.hex_counts(records, 6)
        gi = hotspots.grid_hotspots(records, 6)
        deck = maps.seizure_map(
            records, query.pair, layers=("points", "hotspots", "places"), gi=gi, cells=cells
        )
        timings["hotspot_map_mb"] = round(maps.deck_payload_bytes(deck) / 1e6, 2)
        if query.pair:
            hotspots.border_hotspots(
                records, query.pair, query.border_km, 6, 95, nearest_border=nearest_borders
            )

    def trends_page():
        counts, _ = trends.counts_by_period(records, "month", "taxon_group")
        charts.trend_chart(counts, rolling=trends.rolling_12_months(counts), split="taxon_group")
        charts.year_on_year_chart(trends.year_on_year(records))

    def species_page():
        charts.taxa_pair_heatmap(breakdowns.taxa_by_pair(records, border_km=query.border_km))
        charts.top_taxa_chart(breakdowns.top_taxa(records, 12))
        breakdowns.country_profile(records, "CN")

    def routes_page():
        maps.route_map(flows.route_arcs(records))
        charts.sankey_chart(flows.route_flows(records))

    for name, work in (
        ("overview_ms", overview_page),
        ("hotspots_ms", hotspot_page),
        ("trends_ms", trends_page),
        ("species_ms", species_page),
        ("routes_ms", routes_page),
    ):
        page(name, work)
    return timings


def main() -> None:
    """Print per-page server-side timings for a few filter settings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    store = Store(args.db)
    print(f"{store.count():,} records in the store", file=sys.stderr)
    _pages(store, Query(pair="CN-LA"))  # warm-up: reference tables, spatial indexes
    cases = {
        "pair CN-LA": Query(pair="CN-LA"),
        "pair CN-VN, pangolins": Query(pair="CN-VN", taxa=("Manidae",)),
        "2024, timber": Query(
            date_from=__import__("datetime").date(2024, 1, 1), taxon_groups=("timber",)
        ),
        "everything": Query(),
    }
    results = {name: _pages(store, query) for name, query in cases.items()}
    if args.json:
        print(json.dumps(results))
        return
    for name, timings in results.items():
        print(f"{name}:")
        for key, value in timings.items():
            print(f"  {key:>16}: {value:,}")


if __name__ == "__main__":
    main()
