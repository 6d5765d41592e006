"""The countries simplified for drawing, at a few tolerances: shipped ready, computed if not.

A map's basemap is the 1:50m countries simplified to about half a pixel of its view
(:mod:`geo.report.basemap`).  Simplifying the world's coverage takes about half a second a
tolerance, and a new server paid it on its first maps; the tolerances the dashboard uses
(:data:`SIMPLIFY_KM_LEVELS`) ship ready in ``data/boundaries/basemap-50m.parquet`` (built by
``data/build/basemap_levels.py``), and are read from there while the file matches the
boundary file it was built from and this module's method.  Any other tolerance, or a file
out of date, is computed as before.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as parquet
import shapely

from geo.paths import DATA_DIR
from geo.spatial.boundaries import boundary_sha256, load_boundaries

__all__ = [
    "LEVELS_FILE",
    "SIMPLIFY_KM_LEVELS",
    "compute_level",
    "level",
    "levels_file_is_current",
    "write_levels_file",
]

SIMPLIFY_KM_LEVELS = (2.0, 5.0, 10.0, 20.0, 40.0)
"""Simplification tolerances (km) a view's basemap is drawn at: few, so they stay cached."""

LEVELS_FILE = DATA_DIR / "boundaries" / "basemap-50m.parquet"
"""The shipped levels of the 1:50m countries (one row per level and country)."""

_RESOLUTION = "50m"
# Bump when the simplification below changes: the shipped file is then ignored until rebuilt.
_METHOD_VERSION = "1"
_SOURCE_KEY = b"seizures.boundary_sha256"
_METHOD_KEY = b"seizures.basemap_method"

_KM_PER_DEGREE = 111.32
# Visvalingam–Whyatt drops vertices by triangle area; with the tolerance at 1.5 x the
# distance, 99% of the 1:50m vertices stay within simplify_km of their place (measured).
_AREA_TOLERANCE_PER_KM = 1.5 / _KM_PER_DEGREE
_FINE_DECIMALS = 3  # about 100 m, well below the finest simplification
_COARSE_DECIMALS = 2  # about 1 km, for outlines simplified by 10 km or more
_COARSE_KM = 10.0

Level = tuple[np.ndarray, np.ndarray, list[dict]]


def level(resolution: str, simplify_km: float) -> Level:
    """Return (codes, geometries, GeoJSON features) of every country at one tolerance.

    Parameters
    ----------
    resolution : {"50m", "10m"}
        Natural Earth scale.
    simplify_km : float
        Tolerance in km (0: as in the file).  Parts smaller than the tolerance squared are
        left out from 10 km up, but every country keeps its largest part.

    Returns
    -------
    tuple
        ISO-2 codes (object array), shapely geometries (object array, WGS84) and one
        GeoJSON feature per country (property ``iso2``), in ``iso2`` order.  Cached: do not
        modify them.
    """
    return _level(resolution, float(simplify_km))


@lru_cache(maxsize=8)
def _level(resolution: str, simplify_km: float) -> Level:
    if resolution == _RESOLUTION and simplify_km in SIMPLIFY_KM_LEVELS:
        shipped = _shipped_levels()
        if shipped is not None:
            codes, geometries = shipped[simplify_km]
            return codes, geometries, _features(codes, geometries)
    codes, geometries = compute_level(resolution, simplify_km)
    return codes, geometries, _features(codes, geometries)


def compute_level(resolution: str, simplify_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Simplify every country's polygons by ``simplify_km``; return (codes, geometries).

    The countries are simplified as one coverage (neighbours keep a shared edge), rounded
    to about 100 m (1 km from 10 km up), specks dropped from 10 km up; empty results left out.
    """
    boundaries = load_boundaries(resolution)
    geometries = boundaries.geometry.to_numpy()
    if simplify_km > 0:
        geometries = _simplify_coverage(geometries, simplify_km)
    if simplify_km >= _COARSE_KM:
        geometries = np.array([_without_specks(g, simplify_km) for g in geometries], dtype=object)
    decimals = _COARSE_DECIMALS if simplify_km >= _COARSE_KM else _FINE_DECIMALS
    geometries = shapely.transform(geometries, lambda xy: np.round(xy, decimals))
    codes = boundaries["iso2"].to_numpy(dtype=object)
    kept = np.array([g is not None and not g.is_empty for g in geometries], dtype=bool)
    return codes[kept], geometries[kept]


def write_levels_file(path: Path = LEVELS_FILE) -> int:
    """Compute every level of :data:`SIMPLIFY_KM_LEVELS` and write them; return the rows.

    Columns ``level_km``, ``iso2`` and ``geometry`` (WKB), with the boundary file's SHA-256
    and the method version in the file's metadata.  The same inputs give the same bytes.
    """
    kms, codes, blobs = [], [], []
    for km in SIMPLIFY_KM_LEVELS:
        level_codes, geometries = compute_level(_RESOLUTION, km)
        kms += [km] * len(level_codes)
        codes += [str(code) for code in level_codes]
        blobs += list(shapely.to_wkb(geometries))
    table = pa.table(
        {
            "level_km": pa.array(kms, pa.float64()),
            "iso2": pa.array(codes, pa.string()),
            "geometry": pa.array(blobs, pa.binary()),
        }
    ).replace_schema_metadata(
        {_SOURCE_KEY: boundary_sha256(_RESOLUTION).encode(), _METHOD_KEY: _METHOD_VERSION.encode()}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    parquet.write_table(table, path, compression="zstd")
    return table.num_rows


def levels_file_is_current(path: Path = LEVELS_FILE) -> bool:
    """Tell whether the levels file was built from today's 1:50m file by this method."""
    if not path.exists():
        return False
    try:
        metadata = parquet.read_schema(path).metadata or {}
    except Exception:  # a truncated or foreign file is simply not used
        return False
    return (
        metadata.get(_SOURCE_KEY) == boundary_sha256(_RESOLUTION).encode()
        and metadata.get(_METHOD_KEY) == _METHOD_VERSION.encode()
    )


@lru_cache(maxsize=1)
def _shipped_levels() -> dict[float, tuple[np.ndarray, np.ndarray]] | None:
    if not levels_file_is_current(LEVELS_FILE):
        return None
    table = parquet.read_table(LEVELS_FILE)
    kms = table["level_km"].to_numpy()
    codes = np.array(table["iso2"].to_pylist(), dtype=object)
    geometries = shapely.from_wkb(np.array(table["geometry"].to_pylist(), dtype=object))
    return {km: (codes[kms == km], geometries[kms == km]) for km in SIMPLIFY_KM_LEVELS}


def _features(codes: np.ndarray, geometries: np.ndarray) -> list[dict]:
    # One parse for all: GeoJSON with lists (not tuples), so a cached collection serialises
    # the same way every time.
    texts = shapely.to_geojson(geometries)
    parsed = json.loads("[" + ",".join(texts) + "]")
    return [
        {"type": "Feature", "properties": {"iso2": str(code)}, "geometry": geometry}
        for code, geometry in zip(codes, parsed, strict=True)
    ]


def _without_specks(geometry: shapely.Geometry | None, simplify_km: float):
    """Drop the parts smaller than the tolerance squared, keeping the largest part."""
    if geometry is None or geometry.is_empty:
        return geometry
    parts = shapely.get_parts(geometry)
    if len(parts) < 2:
        return geometry
    areas = shapely.area(parts)
    keep = areas >= (simplify_km / _KM_PER_DEGREE) ** 2
    keep[np.argmax(areas)] = True
    return shapely.multipolygons(parts[keep]) if keep.sum() > 1 else parts[keep][0]


def _simplify_coverage(geometries: np.ndarray, simplify_km: float) -> np.ndarray:
    try:
        return shapely.coverage_simplify(geometries, simplify_km * _AREA_TOLERANCE_PER_KM)
    except (AttributeError, shapely.errors.UnsupportedGEOSVersionError):
        # Before shapely 2.1 / GEOS 3.12: per-polygon simplification, slivers and all.
        return shapely.simplify(geometries, simplify_km / _KM_PER_DEGREE, preserve_topology=True)
