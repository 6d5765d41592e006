"""Benchmark: per-record enrichment (country, nearest border, H3) of many points (not a test).

Usage: python tests/bench/bench_enrich.py [--points 1000000] [--json]

Draws points from the shipped sample's coordinates, jittered by about 2 km, and times
geo.spatial.enrich on them in this fresh process: first the index builds (what the first
import of a session pays), then each step and the whole of enrich_frame, cold and warm.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from geo.paths import SAMPLE_FILE  # noqa: E402
from geo.spatial import enrich  # noqa: E402


def _points(count: int, seed: int) -> pd.DataFrame:
    sample = pd.read_csv(SAMPLE_FILE, usecols=["lat", "lon", "seizing_country"])
    sample = sample.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(sample), count)
    jitter = rng.normal(0.0, 0.02, size=(count, 2))
    frame = pd.DataFrame(
        {
            "lat": np.clip(sample["lat"].to_numpy()[rows] + jitter[:, 0], -90, 90),
            "lon": sample["lon"].to_numpy()[rows] + jitter[:, 1],
            "seizing_country": sample["seizing_country"].to_numpy()[rows],
        }
    )
    # a few records without coordinates, as real files have
    frame.loc[rng.random(count) < 0.01, ["lat", "lon"]] = np.nan
    return frame


def _timed(results: dict, name: str, function, *args):
    started = time.perf_counter()
    value = function(*args)
    results[name] = round(time.perf_counter() - started, 3)
    return value


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    frame = _points(args.points, args.seed)
    lat, lon = frame["lat"].to_numpy(), frame["lon"].to_numpy()
    seconds: dict[str, float] = {}

    # Index builds, paid once per process (the border tiles are built lazily, in the
    # first full call below).
    _timed(seconds, "build_country_index", enrich.locate_countries, [0.0], [0.0])
    _timed(seconds, "build_border_index", enrich.nearest_borders, [0.0], [0.0])
    _timed(seconds, "enrich_frame_first", enrich.enrich_frame, frame)
    _timed(seconds, "locate_countries", enrich.locate_countries, lat, lon)
    pairs, _ = _timed(seconds, "nearest_borders", enrich.nearest_borders, lat, lon)
    _timed(seconds, "h3_cells_r3_r8", enrich.h3_cells, lat, lon)
    result = _timed(seconds, "enrich_frame_warm", enrich.enrich_frame, frame)

    report = {
        "points": args.points,
        "with_coordinates": int(frame["lat"].notna().sum()),
        "located": int(result["located_country"].notna().sum()),
        "with_border_pair": int(np.not_equal(pairs, None).sum()),
        "country_mismatch": int(result["country_mismatch"].sum()),
        "border_search_km": enrich.BORDER_SEARCH_KM,
        "seconds": seconds,
        "seconds_first_call_total": round(
            seconds["build_country_index"]
            + seconds["build_border_index"]
            + seconds["enrich_frame_first"],
            3,
        ),
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"{args.points:,} points ({report['with_coordinates']:,} with coordinates)")
    for name, value in seconds.items():
        print(f"  {name:<22} {value:7.2f} s")
    print(f"  {'first call, total':<22} {report['seconds_first_call_total']:7.2f} s")
    print(
        f"located {report['located']:,}, border pair within {enrich.BORDER_SEARCH_KM:g} km "
        f"{report['with_border_pair']:,}, country mismatch {report['country_mismatch']:,}"
    )


if __name__ == "__main__":
    main()
