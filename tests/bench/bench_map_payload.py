"""Benchmark: build the seizure map for 1,000,000 synthetic records (not a test).

Usage: python tests/bench/bench_map_payload.py [--rows 1000000] [--pair CN-LA] [--json]

Seizures are placed, as in real data, at a few thousand known places (airports, seaports and
border crossings from the shipped reference tables), most of them at the place itself and the
rest scattered within about 20 km of it, with a Zipf-like share per place; every record has
its coordinates, 2% sit at a country centre.  Building the frame is not timed.  The map is
then built twice, once as the store returns records with their stored ``h3_r6`` cells and
once from ``lat``/``lon`` alone, for the world and for one country pair, and the build time
and the payload (the deck's JSON, what the page sends to the browser) are printed.
Target: payload under 5 MB.
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

from geo.reference.places import (  # noqa: E402
    load_airports,
    load_border_crossings,
    load_seaports,
)
from geo.report.maps import deck_payload_bytes, seizure_map  # noqa: E402

TARGET_MB = 5.0
SITES = 3_000
SCATTERED_SHARE = 0.3
SCATTER_KM = 10.0
CENTROID_SHARE = 0.02
TAXA = {
    "Manis javanica": ("mammals", "SCA", "kg"),
    "Elephas maximus": ("mammals", "TUS", "kg"),
    "Loxodonta africana": ("mammals", "IVC", "pieces"),
    "Psittacus erithacus": ("birds", "LIV", "individuals"),
    "Geochelone elegans": ("reptiles", "LIV", "individuals"),
    "Python reticulatus": ("reptiles", "SKI", "pieces"),
    "Dalbergia cochinchinensis": ("timber", "TIM", "m3"),
    "Hippocampus spp.": ("fish", "BOD", "kg"),
}


def build_records(rows: int, seed: int = 11) -> pd.DataFrame:
    """Return ``rows`` synthetic seizure records (WGS84) with stored ``h3_r6`` cells."""
    rng = np.random.default_rng(seed)
    places = pd.concat(
        [
            load_airports()[["name", "country", "lat", "lon"]],
            load_seaports()[["name", "country", "lat", "lon"]],
            load_border_crossings().rename(columns={"country_a": "country"})[
                ["name", "country", "lat", "lon"]
            ],
        ],
        ignore_index=True,
    )
    sites = places.iloc[rng.choice(len(places), size=SITES, replace=False)].reset_index()
    weights = 1.0 / np.arange(1, SITES + 1)
    site = rng.choice(SITES, size=rows, p=weights / weights.sum())
    lat = sites["lat"].to_numpy()[site].copy()
    lon = sites["lon"].to_numpy()[site].copy()
    scattered = rng.random(rows) < SCATTERED_SHARE
    offsets = rng.normal(0.0, SCATTER_KM, size=(2, int(scattered.sum())))
    lat[scattered] += offsets[0] / 111.2
    lon[scattered] += offsets[1] / (111.2 * np.cos(np.radians(lat[scattered])))
    lat = np.clip(lat, -89.0, 89.0)
    lon = (lon + 180.0) % 360.0 - 180.0
    names = np.array(list(TAXA))
    attributes = np.array(list(TAXA.values()))
    chosen = rng.integers(0, len(names), rows)
    taxon = names[chosen]
    group, commodity, unit = (attributes[chosen, position] for position in range(3))
    precision = np.where(rng.random(rows) < CENTROID_SHARE, "country", "exact")
    records = pd.DataFrame(
        {
            "record_id": [f"BENCH-{number:07d}" for number in range(rows)],
            "seizure_date": pd.Timestamp("2015-01-01")
            + pd.to_timedelta(rng.integers(0, 3650, rows), unit="D"),
            "date_precision": "day",
            "seizing_country": sites["country"].to_numpy()[site],
            "location_name": sites["name"].to_numpy()[site],
            "lat": lat.round(5),
            "lon": lon.round(5),
            "coord_precision": precision,
            "taxon": taxon,
            "taxon_group": group,
            "commodity": commodity,
            "quantity": np.round(rng.lognormal(2.0, 1.5, rows), 1),
            "unit": unit,
            "notes": "synthetic benchmark record",
        }
    )
    cells = np.fromiter(
        (h3_int.latlng_to_cell(a, b, 6) for a, b in zip(lat.tolist(), lon.tolist(), strict=True)),
        dtype=np.uint64,
        count=rows,
    )
    unique, inverse = np.unique(cells, return_inverse=True)
    records["h3_r6"] = np.array([format(int(cell), "x") for cell in unique], dtype=object)[inverse]
    return records


def measure(records: pd.DataFrame, pair: str | None) -> dict:
    """Build the map once; return its build time, payload and note."""
    started = time.perf_counter()
    deck = seizure_map(records, pair=pair)
    built = time.perf_counter() - started
    started = time.perf_counter()
    payload = deck_payload_bytes(deck)
    serialised = time.perf_counter() - started
    return {
        "pair": pair,
        "stored_h3": "h3_r6" in records.columns,
        "build_s": round(built, 2),
        "to_json_s": round(serialised, 2),
        "payload_mb": round(payload / 1e6, 2),
        "layers": [layer.id for layer in deck.layers],
        "note": deck.note,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per case (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pair", default="CN-LA")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)

    records = build_records(options.rows)
    results = []
    for frame in (records, records.drop(columns=["h3_r6"])):
        for pair in (None, options.pair):
            results.append(measure(frame, pair))
    if options.json:
        print(json.dumps({"rows": options.rows, "target_mb": TARGET_MB, "results": results}))
    else:
        for result in results:
            verdict = "ok" if result["payload_mb"] < TARGET_MB else "OVER TARGET"
            print(
                f"{options.rows:,} records, pair={result['pair']}, "
                f"stored h3={result['stored_h3']}: build {result['build_s']} s, "
                f"to_json {result['to_json_s']} s, payload {result['payload_mb']} MB "
                f"({verdict}); layers {', '.join(result['layers'])}"
            )
            print(f"    note: {result['note']}")
    return 0 if all(result["payload_mb"] < TARGET_MB for result in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
