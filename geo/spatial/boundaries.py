"""Country polygons from Natural Earth admin-0 (world-atlas TopoJSON), keyed by ISO 3166-1."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import geopandas
import numpy as np
import pandas as pd
import shapely

from geo.paths import DATA_DIR
from geo.reference.countries import load_countries

__all__ = [
    "BOUNDARY_DIR",
    "RESOLUTIONS",
    "WGS84",
    "boundary_file",
    "boundary_sha256",
    "load_boundaries",
]

WGS84 = "EPSG:4326"
BOUNDARY_DIR = DATA_DIR / "boundaries"
RESOLUTIONS = ("10m", "50m")

# Features the file ships without an ISO numeric id.  Each goes to the ISO code of the
# state that ISO 3166 and the UN count it under, so a record there is located in that
# country and no border is drawn inside it (Somaliland's edge with Somalia, the Green Line).
# Kosovo keeps XK, the code the project's country table uses.
_UNNUMBERED_UNITS = {
    "Kosovo": "XK",
    "Somaliland": "SO",
    "N. Cyprus": "CY",
    "Cyprus U.N. Buffer Zone": "CY",
    "Akrotiri": "GB",
    "Dhekelia": "GB",
    "Baikonur": "KZ",
    "USNB Guantanamo Bay": "CU",
    "Coral Sea Is.": "AU",
    "Clipperton I.": "FR",
}

# Disputed reefs, banks and glaciers with no single ISO sovereign: left out, so a point
# there is located in no country rather than in one side's claim.
_DROPPED_UNITS = frozenset(
    {"Siachen Glacier", "Spratly Is.", "Scarborough Reef", "Bajo Nuevo Bank", "Serranilla Bank"}
)

# Natural Earth's admin-0 countries fold these ISO 3166-1 territories into another unit.
# Seizure data codes them on their own (French Guiana as GF, not FR), so their parts are
# split off by where they lie: (code of the unit in the file, ISO code of the territory,
# lon_min, lat_min, lon_max, lat_max).
_TERRITORY_BOXES = (
    ("FR", "GF", -55.0, 1.0, -51.0, 6.5),
    ("FR", "GP", -62.0, 15.8, -60.9, 16.6),
    ("FR", "MQ", -61.3, 14.3, -60.7, 15.0),
    ("FR", "RE", 55.0, -21.5, 56.0, -20.7),
    ("FR", "YT", 44.8, -13.2, 45.4, -12.5),
    ("NL", "BQ", -69.0, 11.9, -62.9, 17.8),
    ("NO", "SJ", 0.0, 74.0, 35.0, 81.0),
    ("NO", "SJ", -9.5, 70.5, -7.5, 71.5),
    ("NO", "BV", 3.0, -54.7, 3.6, -54.3),
    ("NZ", "TK", -173.0, -10.0, -171.0, -8.0),
    ("Indian Ocean Ter.", "CX", 105.0, -11.0, 106.0, -10.0),
    ("Indian Ocean Ter.", "CC", 96.0, -12.5, 97.5, -11.5),
)


def boundary_file(resolution: str = "10m") -> Path:
    """Return the shipped TopoJSON file for a Natural Earth scale.

    Parameters
    ----------
    resolution : {"10m", "50m"}
        Natural Earth scale: 1:10m (detailed, used for locating records and borders) or
        1:50m (lighter, for drawing the basemap).

    Returns
    -------
    pathlib.Path
        ``data/boundaries/countries-<resolution>.json``.
    """
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution should be one of {RESOLUTIONS}, got {resolution!r}")
    return BOUNDARY_DIR / f"countries-{resolution}.json"


@lru_cache(maxsize=4)
def boundary_sha256(resolution: str = "10m") -> str:
    """Return the SHA-256 of the shipped boundary file (keys caches derived from it)."""
    return hashlib.sha256(boundary_file(resolution).read_bytes()).hexdigest()


def _unwrap_ring(coordinates: np.ndarray) -> np.ndarray:
    """Make a ring's longitudes continuous across the antimeridian.

    A ring that goes round a pole (Antarctica) crosses the antimeridian once: it is closed
    along the pole instead.
    """
    steps = np.diff(coordinates[:, 0])
    jumps = np.nonzero(np.abs(steps) > 180)[0]
    if len(jumps) % 2 == 1:
        pole = -90.0 if coordinates[:, 1].mean() < 0 else 90.0
        at = jumps[0]
        lon_from, lat_from = coordinates[at]
        lon_to, lat_to = coordinates[at + 1]
        side_from, side_to = np.sign(lon_from) * 180.0, np.sign(lon_to) * 180.0
        closing = [[side_from, lat_from], [side_from, pole], [side_to, pole], [side_to, lat_to]]
        return np.vstack([coordinates[: at + 1], closing, coordinates[at + 1 :]])
    step_turns = np.where(steps > 180, -1, np.where(steps < -180, 1, 0))
    turns = np.concatenate([[0], np.cumsum(step_turns)])
    # Keep most of the ring where it was (the part pushed past +-180 is cut off later), and
    # leave those vertices untouched: x - 360 + 360 need not give x back, and borders are
    # found from vertices shared exactly with the neighbour.
    turns -= int(np.round(np.median(turns)))
    unwrapped = coordinates.copy()
    moved = turns != 0
    unwrapped[moved, 0] += 360.0 * turns[moved]
    return unwrapped


def _split_antimeridian(geometry: shapely.Geometry) -> shapely.Geometry:
    """Cut polygons whose rings jump across the antimeridian into parts within +-180.

    The TopoJSON joins parts of Russia and Fiji across 180 degrees; read as planar
    coordinates those rings would sweep across the whole map.
    """
    parts = []
    for polygon in shapely.get_parts(geometry):
        rings = [np.asarray(ring.coords) for ring in [polygon.exterior, *polygon.interiors]]
        crossings = [int((np.abs(np.diff(ring[:, 0])) > 180).sum()) for ring in rings]
        if not any(crossings):
            parts.append(polygon)
            continue
        # A ring crossing once goes round a pole.  The 1:50m file stores Antarctica as a
        # ring traced along the pole with the coastline as its hole; the coastline, closed
        # along the pole, is the shell.
        around_pole = [
            ring
            for ring, count in zip(rings, crossings, strict=True)
            if count % 2 == 1 and np.abs(ring[:, 1]).min() < 89.9
        ]
        shell = around_pole[0] if around_pole else rings[0]
        holes = [
            ring for ring, count in zip(rings[1:], crossings[1:], strict=True) if count % 2 == 0
        ]
        unwrapped = shapely.Polygon(_unwrap_ring(shell), [_unwrap_ring(ring) for ring in holes])
        if not unwrapped.is_valid:
            unwrapped = shapely.make_valid(unwrapped, method="structure", keep_collapsed=False)
        for offset in (-360.0, 0.0, 360.0):
            window = shapely.clip_by_rect(unwrapped, -180 + offset, -90, 180 + offset, 90)
            if not window.is_empty:
                parts.extend(
                    shapely.get_parts(shapely.transform(window, lambda xy, o=offset: xy - [o, 0]))
                )
    return shapely.MultiPolygon([part for part in parts if part.geom_type == "Polygon"])


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Repair a geometry and keep only its polygons, as one (Multi)Polygon."""
    if not geometry.is_valid:
        # "structure" rebuilds rings as areas and drops collapsed slivers, so the result is
        # polygonal; "linework" can return stray lines where the file's quantised
        # coordinates made a ring touch itself.
        geometry = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type == "Polygon"]
    if len(parts) == 1:
        return parts[0]
    return shapely.MultiPolygon(parts)


def _split_territories(codes: list[str], geometries: list[shapely.Geometry]) -> pd.DataFrame:
    """Move the parts of a unit that lie in a territory's box to that territory's code."""
    rows: list[tuple[str, shapely.Geometry]] = []
    for code, geometry in zip(codes, geometries, strict=True):
        boxes = [box for box in _TERRITORY_BOXES if box[0] == code]
        if not boxes:
            rows.append((code, geometry))
            continue
        parts = shapely.get_parts(geometry)
        points = shapely.point_on_surface(parts)
        x, y = shapely.get_x(points), shapely.get_y(points)
        assigned = np.full(len(parts), code, dtype=object)
        for _, territory, lon_min, lat_min, lon_max, lat_max in boxes:
            inside = (x >= lon_min) & (x <= lon_max) & (y >= lat_min) & (y <= lat_max)
            assigned[inside] = territory
        rows.extend((str(part_code), part) for part_code, part in zip(assigned, parts, strict=True))
    return pd.DataFrame(rows, columns=["iso2", "geometry"])


@lru_cache(maxsize=2)
def _boundaries(resolution: str) -> geopandas.GeoDataFrame:
    """Read, code, repair and merge the polygons of one file, once."""
    raw = geopandas.read_file(boundary_file(resolution), layer="countries")
    countries = load_countries()
    numeric_to_iso2 = dict(zip(countries["numeric"], countries["iso2"], strict=True))
    names = dict(zip(countries["iso2"], countries["name_en"], strict=True))
    iso3 = dict(zip(countries["iso2"], countries["iso3"], strict=True))

    codes: list[str] = []
    geometries: list[shapely.Geometry] = []
    for feature_id, name, geometry in zip(raw["id"], raw["name"], raw.geometry, strict=True):
        if name in _DROPPED_UNITS or geometry is None:
            continue
        if isinstance(feature_id, str) and feature_id in numeric_to_iso2:
            code = numeric_to_iso2[feature_id]
        elif name in _UNNUMBERED_UNITS:
            code = _UNNUMBERED_UNITS[name]
        elif any(box[0] == name for box in _TERRITORY_BOXES):
            code = name  # split into its ISO territories below
        else:
            raise ValueError(
                f"{boundary_file(resolution).name}: feature {name!r} (id {feature_id!r}) has no "
                "ISO code; add it to _UNNUMBERED_UNITS or _DROPPED_UNITS"
            )
        west, _, east, _ = geometry.bounds
        if east - west > 355:
            geometry = _split_antimeridian(geometry)
        codes.append(code)
        geometries.append(_polygonal(geometry))

    pieces = _split_territories(codes, geometries)
    unplaced = sorted(set(pieces["iso2"]) - set(names))
    if unplaced:
        raise ValueError(f"parts left without an ISO code after splitting: {unplaced}")

    rows = []
    for code, group in pieces.groupby("iso2", sort=True):
        members = list(group["geometry"])
        # Several source units make one country (Somalia and Somaliland; Australia, Ashmore
        # and the Coral Sea Is.): their union removes the line between them.
        geometry = members[0] if len(members) == 1 else shapely.union_all(members)
        geometry = _polygonal(geometry)
        # The Holy See collapses to a line at the file's precision: it is left out, and a
        # point there falls in Italy's polygon.
        if not geometry.is_empty:
            rows.append((code, iso3[code], names[code], geometry))
    frame = pd.DataFrame(rows, columns=["iso2", "iso3", "name", "geometry"])
    return geopandas.GeoDataFrame(frame, geometry="geometry", crs=WGS84)


def load_boundaries(resolution: str = "10m") -> geopandas.GeoDataFrame:
    """Return one polygon row per country, from the shipped Natural Earth file.

    Parameters
    ----------
    resolution : {"10m", "50m"}
        Natural Earth scale: 1:10m (default; what records are located and borders drawn
        with) or 1:50m (lighter, for a basemap).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso2``, ``iso3``, ``name`` (the project's English display name) and
        ``geometry`` (valid Polygon or MultiPolygon, CRS WGS84 ``EPSG:4326``), sorted by
        ``iso2``, one row per ISO 3166-1 code present (Kosovo as ``XK``).  The file is read
        once per process; each call returns a copy, so callers may change it.

    Notes
    -----
    Units without an ISO id in the file are merged into the ISO country they belong to
    (Somaliland into SO, N. Cyprus into CY, Baikonur into KZ, ...); disputed reefs and the
    Siachen Glacier are left out, and so is the Holy See (VA), too small to survive the
    1:10m file's precision.  Territories Natural Earth folds into another unit get
    their own ISO code (GF, GP, MQ, RE, YT, BQ, SJ, BV, TK, CX, CC).  See data/README.md.
    """
    return _boundaries(resolution).copy()
