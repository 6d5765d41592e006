"""Write data/boundaries/basemap-50m.parquet: the 1:50m countries simplified for drawing.

Usage (from the repository root): python data/build/basemap_levels.py

Simplifies data/boundaries/countries-50m.json at every tolerance a map's basemap is drawn
at (geo.report.basemap_levels.SIMPLIFY_KM_LEVELS) and writes them, so that a new server
draws its first maps without simplifying the world first.  Run it after changing the
boundary file or the simplification; the same inputs give the same bytes, and
tests/unit/test_basemap_levels.py fails while the file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.report.basemap_levels import LEVELS_FILE, SIMPLIFY_KM_LEVELS, write_levels_file


def main() -> int:
    """Build the file and say what it holds."""
    rows = write_levels_file(LEVELS_FILE)
    levels = ", ".join(f"{km:g}" for km in SIMPLIFY_KM_LEVELS)
    size = LEVELS_FILE.stat().st_size
    print(f"{LEVELS_FILE}: {rows:,} country outlines at {levels} km, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
