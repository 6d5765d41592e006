"""Benchmark: border hot spots and Gi* over 1,000,000 synthetic records (not a test).

Usage: python tests/bench/bench_hotspots.py [--rows 1000000] [--repeat 3] [--json]

Builds a frame of seizures concentrated near a few South-East Asian border crossings with a
uniform background, and the columns the import would store (``border_pair`` and
``border_distance_km`` taken crudely from the nearest of those crossings, ``h3_r6`` and
``h3_r7`` from h3).  Building it is not timed; then it times ``border_hotspots`` for CN-LA and
``hex_counts`` + ``gi_star`` over all records, and prints the best of ``--repeat`` runs.
Target: under 2 s each on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from h3.api import basic_int as h3_int

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from geo.reference.places import load_border_crossings  # noqa: E402
from geo.spatial.hotspots import border_hotspots, gi_star, hex_counts  # noqa: E402

# Crossing id -> share of the concentrated records and spread (km) around it.
HOT_CROSSINGS = {
    "boten-mohan": (0.30, 6.0),
    "hekou-laocai": (0.15, 8.0),
    "youyiguan-huunghi": (0.10, 5.0),
    "dongxing-mongcai": (0.10, 4.0),
    "ruili-muse": (0.10, 10.0),
    "maesai-tachileik": (0.05, 5.0),
    "nongkhai-vientiane": (0.05, 12.0),
}
BACKGROUND_SHARE = 0.15
TAXA = np.array(
    ["Manis javanica", "Manis spp.", "Elephas maximus", "Python bivittatus", "Dalbergia spp."]
)


def build_records(rows: int, seed: int = 7) -> pd.DataFrame:
    """Return ``rows`` synthetic enriched seizure records (WGS84) for the benchmark."""
    rng = np.random.default_rng(seed)
    crossings = load_border_crossings().set_index("crossing_id").loc[list(HOT_CROSSINGS)]
    shares = np.array([share for share, _ in HOT_CROSSINGS.values()])
    spreads = np.array([spread for _, spread in HOT_CROSSINGS.values()])
    hot_rows = int(rows * (1.0 - BACKGROUND_SHARE))
    source = rng.choice(len(shares), size=hot_rows, p=shares / shares.sum())
    centre_lat = crossings["lat"].to_numpy()[source]
    centre_lon = crossings["lon"].to_numpy()[source]
    radius_km = rng.normal(0.0, spreads[source], size=(2, hot_rows))
    hot_lat = centre_lat + radius_km[0] / 111.2
    hot_lon = centre_lon + radius_km[1] / (111.2 * np.cos(np.radians(centre_lat)))
    background = rows - hot_rows
    lat = np.concatenate([hot_lat, rng.uniform(10.0, 25.0, background)])
    lon = np.concatenate([hot_lon, rng.uniform(97.0, 110.0, background)])

    # Crude enrichment: the nearest hot crossing stands in for the nearest border.
    best = np.full(rows, np.inf)
    pair = np.empty(rows, dtype=object)
    for crossing in crossings.itertuples():
        distance = _haversine_km(lat, lon, crossing.lat, crossing.lon)
        closer = distance < best
        best[closer] = distance[closer]
        pair[closer] = "-".join(sorted((crossing.country_a, crossing.country_b)))
    records = pd.DataFrame(
        {
            "lat": lat,
            "lon": lon,
            "taxon": TAXA[rng.integers(0, len(TAXA), rows)],
            "quantity": rng.gamma(2.0, 5.0, rows).round(1),
            "unit": np.where(rng.random(rows) < 0.7, "kg", "pieces"),
            "coord_precision": np.where(rng.random(rows) < 0.02, "country", "exact"),
            "border_pair": pair,
            "border_distance_km": best,
        }
    )
    for resolution in (6, 7):
        records[f"h3_r{resolution}"] = [
            format(h3_int.latlng_to_cell(a, b, resolution), "x")
            for a, b in zip(lat.tolist(), lon.tolist(), strict=True)
        ]
    return records


def _haversine_km(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    phi, phi0 = np.radians(lat), np.radians(lat0)
    h = (
        np.sin((phi - phi0) / 2) ** 2
        + np.cos(phi) * np.cos(phi0) * np.sin(np.radians(lon - lon0) / 2) ** 2
    )
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _best_time(repeat: int, action) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    records = build_records(args.rows)
    built = time.perf_counter() - started

    border_s, ranked = _best_time(args.repeat, lambda: border_hotspots(records, "CN-LA"))
    grid_s, tested = _best_time(
        args.repeat, lambda: gi_star(hex_counts(records, resolution=6), "count")
    )
    grid7_s, tested7 = _best_time(
        args.repeat, lambda: gi_star(hex_counts(records, resolution=7), "count")
    )
    numbers = {
        "rows": args.rows,
        "build_s": round(built, 2),
        "cn_la_records": int((records["border_pair"] == "CN-LA").sum()),
        "border_hotspots_s": round(border_s, 3),
        "border_clusters": len(ranked),
        "top_cluster": ranked.iloc[0]["place"] if len(ranked) else None,
        "hex_counts_gi_star_r6_s": round(grid_s, 3),
        "grid_cells_r6": len(tested),
        "hex_counts_gi_star_r7_s": round(grid7_s, 3),
        "grid_cells_r7": len(tested7),
    }
    if args.json:
        print(json.dumps(numbers))
    else:
        for name, value in numbers.items():
            print(f"{name:>26}: {value}")


if __name__ == "__main__":
    main()
