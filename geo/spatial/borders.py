"""Land borders: the lines neighbouring country polygons share, one row per country pair."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import geopandas
import pandas as pd
import pyarrow.parquet as parquet
import pyproj
import shapely

from geo.pairs import pair_key
from geo.spatial.boundaries import BOUNDARY_DIR, WGS84, boundary_sha256, load_boundaries

__all__ = [
    "BORDER_COLUMNS",
    "border_between",
    "bordering_pairs",
    "borders_file",
    "compute_land_borders",
    "land_borders",
    "write_borders_file",
]

BORDER_COLUMNS = ("pair", "country_a", "country_b", "length_km", "geometry")

# Bump when the way borders are derived changes (not the boundary file: its hash is
# checked separately), so stale cached files are rebuilt.
_METHOD_VERSION = "1"
_SOURCE_KEY = b"wildlife_seizure_atlas_source_sha256"
_METHOD_KEY = b"wildlife_seizure_atlas_method"

_GEOD = pyproj.Geod(ellps="WGS84")
_LINE_TYPES = ("LineString", "LinearRing", "MultiLineString")

logger = logging.getLogger(__name__)


def _line_parts(geometry: shapely.Geometry) -> list[shapely.LineString]:
    """Return the line pieces of an intersection result (points are dropped)."""
    return [
        part
        for part in shapely.get_parts(geometry)
        if part.geom_type in _LINE_TYPES and part.length > 0
    ]


def compute_land_borders(boundaries: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """Derive the land borders of a set of country polygons.

    Parameters
    ----------
    boundaries : geopandas.GeoDataFrame
        Columns ``iso2`` and ``geometry``, CRS WGS84 (``EPSG:4326``), as returned by
        :func:`geo.spatial.boundaries.load_boundaries`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per pair of countries whose polygons share a line, with columns ``pair``
        (``"CN-LA"``), ``country_a`` and ``country_b`` (in the pair's order),
        ``length_km`` (geodesic, on the WGS84 ellipsoid) and ``geometry`` (MultiLineString,
        WGS84), sorted by ``pair``.

    Notes
    -----
    A border is ``a.boundary ∩ b.boundary``: in Natural Earth neighbouring polygons share
    exact vertices.  Where two polygons overlap without sharing an edge (Macao and China in
    the 1:10m file, whose short land border collapses to points at that scale), the border
    is the part of each boundary lying inside the other polygon instead.  Countries that
    touch at a point only (Botswana and Zambia at Kazungula) have no border row.
    """
    if not isinstance(boundaries, geopandas.GeoDataFrame):
        raise TypeError(f"'boundaries' should be a GeoDataFrame, got {type(boundaries)}")
    if boundaries.crs is None or not boundaries.crs.equals(WGS84):
        raise ValueError(f"'boundaries' should be in {WGS84}, got {boundaries.crs}")
    codes = boundaries["iso2"].to_numpy()
    polygons = boundaries.geometry.to_numpy()
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    outlines = shapely.boundary(polygons)
    shared = shapely.intersection(outlines[left], outlines[right])

    rows = []
    for first, second, line in zip(left, right, shared, strict=True):
        parts = _line_parts(line)
        if not parts and shapely.intersection(polygons[first], polygons[second]).area > 0:
            inside = shapely.union(
                shapely.intersection(outlines[first], polygons[second]),
                shapely.intersection(outlines[second], polygons[first]),
            )
            parts = _line_parts(inside)
        if not parts:
            continue
        merged = shapely.line_merge(shapely.MultiLineString(_flatten(parts)))
        geometry = shapely.MultiLineString(_flatten(_line_parts(merged)))
        country_a, country_b = sorted((codes[first], codes[second]))
        rows.append(
            (
                pair_key(country_a, country_b),
                country_a,
                country_b,
                _GEOD.geometry_length(geometry) / 1000.0,
                geometry,
            )
        )
    frame = pd.DataFrame(rows, columns=list(BORDER_COLUMNS)).sort_values("pair")
    return geopandas.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=WGS84)


def _flatten(parts: list[shapely.Geometry]) -> list[shapely.LineString]:
    """Return single LineStrings from a list of (Multi)LineStrings."""
    lines = []
    for part in parts:
        lines.extend(shapely.get_parts(part) if part.geom_type == "MultiLineString" else [part])
    return [shapely.LineString(line.coords) for line in lines]


def borders_file(resolution: str = "10m") -> Path:
    """Return where the shipped, precomputed borders of a boundary file live.

    Parameters
    ----------
    resolution : {"10m", "50m"}
        The Natural Earth scale of the boundary file.

    Returns
    -------
    pathlib.Path
        ``data/boundaries/borders-<resolution>.parquet`` (GeoParquet, WGS84); it may not
        exist (only the 1:10m borders are shipped).
    """
    return BOUNDARY_DIR / f"borders-{resolution}.parquet"


def write_borders_file(path: str | Path, resolution: str = "10m") -> geopandas.GeoDataFrame:
    """Compute the land borders of a boundary file and write them as GeoParquet.

    Parameters
    ----------
    path : str or Path
        Output file.  The boundary file's SHA-256 and the method version are stored in the
        Parquet metadata, so a reader can tell whether the file is still current.
    resolution : {"10m", "50m"}
        The Natural Earth scale to use.

    Returns
    -------
    geopandas.GeoDataFrame
        The borders written.
    """
    borders = compute_land_borders(load_boundaries(resolution))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".partial")
    # geopandas writes the GeoParquet "geo" metadata; the provenance keys are added beside it.
    borders.to_parquet(temporary, compression="zstd", write_covering_bbox=False)
    table = parquet.read_table(temporary)
    metadata = dict(table.schema.metadata or {})
    metadata[_SOURCE_KEY] = boundary_sha256(resolution).encode()
    metadata[_METHOD_KEY] = _METHOD_VERSION.encode()
    parquet.write_table(table.replace_schema_metadata(metadata), temporary, compression="zstd")
    temporary.replace(target)
    return borders


def _is_current(path: Path, resolution: str) -> bool:
    """Tell whether a borders file was built from today's boundary file by this method."""
    if not path.exists():
        return False
    try:
        metadata = parquet.read_schema(path).metadata or {}
    except Exception:  # a truncated or foreign file is simply rebuilt
        return False
    return (
        metadata.get(_SOURCE_KEY) == boundary_sha256(resolution).encode()
        and metadata.get(_METHOD_KEY) == _METHOD_VERSION.encode()
    )


def _cache_file(resolution: str) -> Path:
    """Return the user-cache location for borders derived from the current boundary file."""
    from platformdirs import user_cache_dir

    folder = Path(user_cache_dir("wildlife-seizure-atlas", appauthor=False))
    digest = boundary_sha256(resolution)[:16]
    return folder / f"borders-{resolution}-{digest}-v{_METHOD_VERSION}.parquet"


@lru_cache(maxsize=2)
def _land_borders(resolution: str) -> geopandas.GeoDataFrame:
    """Read the borders from the shipped file or the user cache, computing them if needed."""
    for path in (borders_file(resolution), _cache_file(resolution)):
        if _is_current(path, resolution):
            borders = geopandas.read_parquet(path)
            return borders[list(BORDER_COLUMNS)].set_crs(WGS84, allow_override=True)
    cache = _cache_file(resolution)
    try:
        return write_borders_file(cache, resolution)
    except OSError as error:  # a read-only home still gets borders, just not cached
        logger.warning("could not cache land borders in %s: %s", cache, error)
        return compute_land_borders(load_boundaries(resolution))


def land_borders(resolution: str = "10m") -> geopandas.GeoDataFrame:
    """Return every land border between two countries.

    Parameters
    ----------
    resolution : {"10m", "50m"}
        The Natural Earth scale of the polygons (default 1:10m).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``pair`` (``"CN-LA"``: the two ISO-2 codes in alphabetical order, joined by
        "-"), ``country_a``, ``country_b``, ``length_km`` (geodesic, WGS84 ellipsoid) and
        ``geometry`` (MultiLineString, CRS WGS84 ``EPSG:4326``), one row per pair, sorted by
        ``pair``.  A copy: callers may change it.

    Notes
    -----
    The 1:10m borders ship precomputed in ``data/boundaries/borders-10m.parquet``, stamped
    with the SHA-256 of the boundary file they come from.  When that file is missing or
    stale (the boundary file changed), the borders are computed once (under a second) and
    kept in the user cache directory.  Lengths are of Natural Earth's generalised lines, so
    shorter than official figures: China–Lao PDR is about 364 km here.
    """
    return _land_borders(resolution).copy()


def border_between(a: str, b: str, resolution: str = "10m") -> shapely.Geometry | None:
    """Return the land border between two countries, or None where they share none.

    Parameters
    ----------
    a, b : str
        ISO 3166-1 alpha-2 codes, in any order.
    resolution : {"10m", "50m"}
        The Natural Earth scale (default 1:10m).

    Returns
    -------
    shapely.MultiLineString or None
        The border in WGS84 longitude/latitude (``EPSG:4326``).
    """
    key = pair_key(a, b)
    borders = _land_borders(resolution)
    match = borders.geometry[borders["pair"] == key]
    return None if match.empty else match.iloc[0]


@lru_cache(maxsize=1)
def bordering_pairs(resolution: str = "10m") -> frozenset[str]:
    """Return the keys of every pair of countries that share a land border ("CN-LA", ...)."""
    return frozenset(str(pair) for pair in _land_borders(resolution)["pair"])
