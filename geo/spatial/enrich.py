"""Per-record geography: the country a point lies in, its nearest land border and H3 cells."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas
import numpy as np
import pandas as pd
import pyarrow as pa
import pyproj
import shapely
from pyarrow import parquet

from geo.distance import haversine_km
from geo.schema import DERIVED_FIELDS
from geo.spatial.borders import land_borders
from geo.spatial.boundaries import WGS84, boundary_sha256, load_boundaries
from geo.spatial.h3_cells import latlng_to_cells

__all__ = [
    "BORDER_SEARCH_KM",
    "COASTAL_KM",
    "H3_RESOLUTIONS",
    "enrich_frame",
    "h3_cells",
    "locate_countries",
    "nearest_borders",
]

# How far from a land border a record still gets a border pair and distance.  The
# dashboard selects border seizures within tens of km; beyond a few hundred km "the nearest
# border" says little (an airport deep inland), and a bounded search keeps 1M points fast.
BORDER_SEARCH_KM = 300.0
# A point at sea within this distance of a country's generalised coastline (a port, a
# jittered airport, an island the 1:10m polygons leave out) counts for that country.
COASTAL_KM = 10.0
H3_RESOLUTIONS = range(3, 9)

logger = logging.getLogger(__name__)

_GEOD = pyproj.Geod(ellps="WGS84")
_KM_PER_DEGREE = 111.0  # slightly under the meridian degree, so degree radii err wide

# Country pieces keep at most this many vertices: a point-in-polygon test then costs little,
# and the tree narrows every point to one or two pieces.
_PIECE_VERTICES = 64
_SMALLEST_PIECE_DEGREES = 0.02
# Bump when the way pieces are cut changes: the user cache holds pieces by this version.
_PIECES_VERSION = "1"
# Grid boxes (degrees, coarse to fine) that settle the country of every point inside them
# at once; below this many points left, the boxes are not worth building.
_BOX_DEGREES = (1 / 32, 1 / 128, 1 / 512)
_BOX_MIN_POINTS = 256

# Border search runs in tiles of this many degrees, each in its own azimuthal equidistant
# projection centred on the tile: within a tile plus the search radius the projection's
# scale error stays under 1%, and the distance found is then measured again on the
# ellipsoid.
_TILE_DEGREES = 10.0
# Borders are cut into segments no longer than this (degrees), so that a segment is nearly
# straight in any tile projection and a tile's segments can be picked by their midpoints.
_SEGMENT_DEGREES = 0.05
# Points are grouped in square cells of this size in metres (see _nearest_in_tile); the
# coarser size is used when the fine cells would hold fewer than this many points each.
_CELL_METRES = (1000.0, 8000.0)
_POINTS_PER_CELL = 4
_CELL_OFFSET = 1 << 24
_PAIRS_PER_BATCH = 2_000_000


def _coordinates(lat: object, lon: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return float64 copies of lat and lon and a mask of usable WGS84 coordinates."""
    latitudes = np.asarray(lat, dtype="float64").ravel()
    longitudes = np.asarray(lon, dtype="float64").ravel()
    if latitudes.shape != longitudes.shape:
        raise ValueError(
            f"lat and lon should have the same length, got {latitudes.size} and {longitudes.size}"
        )
    with np.errstate(invalid="ignore"):
        usable = (
            np.isfinite(latitudes)
            & np.isfinite(longitudes)
            & (np.abs(latitudes) <= 90)
            & (np.abs(longitudes) <= 180)
        )
    return latitudes, longitudes, usable


@dataclass(frozen=True)
class _CountryIndex:
    """Country polygons cut into small pieces, with an STRtree over them (WGS84 degrees)."""

    pieces: np.ndarray
    owners: np.ndarray  # ISO-2 code of each piece
    tree: shapely.STRtree


def _subdivide(
    geometry: shapely.Geometry, box: tuple[float, float, float, float], out: list
) -> None:
    """Halve a polygon's box along its longer side until each piece has few vertices."""
    west, south, east, north = box
    if (
        shapely.get_num_coordinates(geometry) <= _PIECE_VERTICES
        or max(east - west, north - south) < _SMALLEST_PIECE_DEGREES
    ):
        out.extend(part for part in shapely.get_parts(geometry) if part.geom_type == "Polygon")
        return
    if east - west >= north - south:
        middle = (west + east) / 2
        halves = ((west, south, middle, north), (middle, south, east, north))
    else:
        middle = (south + north) / 2
        halves = ((west, south, east, middle), (west, middle, east, north))
    for half in halves:
        piece = shapely.clip_by_rect(geometry, *half)
        if not piece.is_empty:
            _subdivide(piece, half, out)


def _build_country_index(boundaries: geopandas.GeoDataFrame) -> _CountryIndex:
    """Cut every country into pieces of at most a few dozen vertices and index them."""
    pieces: list[shapely.Polygon] = []
    owners: list[str] = []
    for code, geometry in zip(boundaries["iso2"], boundaries.geometry, strict=True):
        for polygon in shapely.get_parts(geometry):
            start = len(pieces)
            _subdivide(polygon, polygon.bounds, pieces)
            owners.extend([code] * (len(pieces) - start))
    pieces_array = np.asarray(pieces, dtype=object)
    owners_array = np.asarray(owners, dtype=object)
    return _CountryIndex(pieces_array, owners_array, shapely.STRtree(pieces_array))


@lru_cache(maxsize=2)
def _country_index(resolution: str = "10m") -> _CountryIndex:
    """Return the piece index of the shipped boundaries, built once per process.

    Building it (reading and repairing the polygons, cutting them) takes a few seconds, so
    the pieces are kept in the user cache directory, keyed by the boundary file's SHA-256,
    as the land borders are (:mod:`geo.spatial.borders`); later processes read them back.
    """
    cache = _pieces_cache_file(resolution)
    try:
        table = parquet.read_table(cache)
        pieces = shapely.from_wkb(table["piece"].to_numpy(zero_copy_only=False))
        owners = np.asarray(table["owner"].to_pylist(), dtype=object)
        return _CountryIndex(pieces, owners, shapely.STRtree(pieces))
    except (OSError, pa.ArrowException, shapely.errors.GEOSException, KeyError):
        pass  # missing, stale or unreadable: built again below
    index = _build_country_index(load_boundaries(resolution))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_name(f"{cache.name}.{os.getpid()}.partial")
        table = pa.table(
            {
                "owner": pa.array(index.owners.tolist(), pa.string()),
                "piece": pa.array(shapely.to_wkb(index.pieces).tolist(), pa.binary()),
            }
        )
        parquet.write_table(table, temporary)
        temporary.replace(cache)
    except OSError as error:  # a read-only home still gets the index, just not cached
        logger.warning("could not cache country pieces in %s: %s", cache, error)
    return index


def _pieces_cache_file(resolution: str) -> Path:
    """Return the user-cache location of the pieces cut from the current boundary file."""
    from platformdirs import user_cache_dir

    folder = Path(user_cache_dir("wildlife-seizure-atlas", appauthor=False))
    digest = boundary_sha256(resolution)[:16]
    return folder / (
        f"country-pieces-{resolution}-{digest}-{_PIECE_VERTICES}-v{_PIECES_VERSION}.parquet"
    )


def _locate(
    index: _CountryIndex, latitudes: np.ndarray, longitudes: np.ndarray, coastal_km: float
) -> np.ndarray:
    """Return the ISO-2 code of the piece each point is in, or near (None elsewhere).

    Points are first looked up by small grid boxes: a box that lies inside one piece and
    touches no other gives that piece's country to every point in it, without a point
    geometry per record.  The points left (in boxes on a coast, a border or a cut between
    pieces) are tested one by one.
    """
    result = np.full(latitudes.size, None, dtype=object)
    pending = np.arange(latitudes.size)
    for degrees in _BOX_DEGREES:
        if pending.size < _BOX_MIN_POINTS:
            break
        inside, owners = _locate_by_box(index, latitudes[pending], longitudes[pending], degrees)
        result[pending[inside]] = owners
        pending = pending[~inside]
    if pending.size:
        result[pending] = _locate_points(index, latitudes[pending], longitudes[pending], coastal_km)
    return result


def _locate_by_box(
    index: _CountryIndex, latitudes: np.ndarray, longitudes: np.ndarray, degrees: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return a mask of points whose grid box settles their country, and those countries."""
    columns = int(np.ceil(360.0 / degrees)) + 1
    row = np.floor((latitudes + 90.0) / degrees).astype(np.int64)
    column = np.floor((longitudes + 180.0) / degrees).astype(np.int64)
    codes, keys = pd.factorize(row * columns + column)
    box_row, box_column = np.divmod(keys, columns)
    west, south = box_column * degrees - 180.0, box_row * degrees - 90.0
    boxes = shapely.box(west, south, west + degrees, south + degrees)
    within_box, within_piece = index.tree.query(boxes, predicate="within")
    touching_box, _ = index.tree.query(boxes, predicate="intersects")
    # Only a box inside exactly one piece and touching no other: where polygons overlap or
    # meet, the point-by-point test decides, as it always has.
    settled = (np.bincount(within_box, minlength=keys.size) == 1) & (
        np.bincount(touching_box, minlength=keys.size) == 1
    )
    owner = np.full(keys.size, None, dtype=object)
    owner[within_box] = index.owners[within_piece]
    inside = settled[codes]
    return inside, owner[codes[inside]]


def _locate_points(
    index: _CountryIndex, latitudes: np.ndarray, longitudes: np.ndarray, coastal_km: float
) -> np.ndarray:
    """Return the ISO-2 code of the piece each point is in, or near, testing each point."""
    result = np.full(latitudes.size, None, dtype=object)
    if latitudes.size == 0:
        return result
    points = shapely.points(longitudes, latitudes)
    # "intersects" rather than "within": a point on a cut between two pieces, or on a
    # border, still finds a piece.
    point_index, piece_index = index.tree.query(points, predicate="intersects")
    result[point_index] = index.owners[piece_index]
    if coastal_km <= 0:
        return result
    missing = np.nonzero(result == None)[0]  # noqa: E711 (element-wise comparison)
    if missing.size == 0:
        return result
    # A degree radius that covers coastal_km east-west too, then the true distance.
    cos_lat = np.cos(np.radians(np.minimum(np.abs(latitudes[missing]), 85.0)))
    radius = coastal_km / (_KM_PER_DEGREE * cos_lat)
    near_point, near_piece = index.tree.query(points[missing], predicate="dwithin", distance=radius)
    if near_point.size == 0:
        return result
    lines = shapely.shortest_line(points[missing][near_point], index.pieces[near_piece])
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    _, _, metres = _GEOD.inv(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
    order = np.lexsort((metres, near_point))
    near_point, near_piece, metres = near_point[order], near_piece[order], metres[order]
    first = np.ones(near_point.size, dtype=bool)
    first[1:] = near_point[1:] != near_point[:-1]
    close = first & (metres <= coastal_km * 1000.0)
    result[missing[near_point[close]]] = index.owners[near_piece[close]]
    return result


def locate_countries(
    lat: np.ndarray, lon: np.ndarray, coastal_km: float = COASTAL_KM
) -> np.ndarray:
    """Return the country each point falls in.

    Parameters
    ----------
    lat, lon : array_like
        WGS84 (``EPSG:4326``) latitude and longitude in degrees, of the same length.  NaN and
        out-of-range values give None.
    coastal_km : float, default 10
        A point in no country but within this many km (geodesic) of one counts for the
        nearest such country: ports, coastal airports and small islands fall just off
        Natural Earth's generalised coastlines.  0 turns this off.

    Returns
    -------
    numpy.ndarray
        Object array of ISO 3166-1 alpha-2 codes (Kosovo ``XK``), None where no country is
        within reach.

    Notes
    -----
    Uses the 1:10m boundaries (:func:`geo.spatial.boundaries.load_boundaries`), cut into
    pieces of at most 64 vertices and indexed once per process (about 2 s on first use).
    A point on a border line gets one of the two countries.
    """
    latitudes, longitudes, usable = _coordinates(lat, lon)
    result = np.full(latitudes.size, None, dtype=object)
    if usable.any():
        result[usable] = _locate(
            _country_index(), latitudes[usable], longitudes[usable], float(coastal_km)
        )
    return result


@dataclass
class _BorderTile:
    """Border segments near one tile, projected around the tile's centre."""

    to_plane: pyproj.Transformer
    segments: np.ndarray  # index into _BorderIndex arrays
    starts: np.ndarray  # projected segment starts, metres
    ends: np.ndarray
    tree: shapely.STRtree | None


@dataclass
class _BorderIndex:
    """Border segments of every pair, searched tile by tile (see _TILE_DEGREES)."""

    max_km: float
    pairs: np.ndarray  # pair code of each border row
    owner: np.ndarray  # border row of each segment
    starts: np.ndarray  # (n, 2) lon/lat of segment starts
    ends: np.ndarray
    midpoints: np.ndarray  # (n, 2) lon/lat
    half_length_km: float
    tiles: dict[int, _BorderTile] = field(default_factory=dict)

    def tile(self, tile_id: int) -> _BorderTile:
        """Return the tile's projected segments, building them on first use."""
        found = self.tiles.get(tile_id)
        if found is None:
            found = self.tiles[tile_id] = self._build_tile(tile_id)
        return found

    def _build_tile(self, tile_id: int) -> _BorderTile:
        row, column = divmod(tile_id, _tile_columns())
        south = -90.0 + row * _TILE_DEGREES
        west = -180.0 + column * _TILE_DEGREES
        centre_lat = min(south + _TILE_DEGREES / 2, 89.0)
        centre_lon = west + _TILE_DEGREES / 2
        corners_lat = np.array([south, south, min(south + _TILE_DEGREES, 90.0)])
        corners_lon = np.array([west, west + _TILE_DEGREES, west])
        reach = haversine_km(corners_lat, corners_lon, centre_lat, centre_lon).max()
        reach += self.max_km * 1.05 + self.half_length_km + 1.0
        distance = haversine_km(self.midpoints[:, 1], self.midpoints[:, 0], centre_lat, centre_lon)
        chosen = np.nonzero(distance <= reach)[0]
        to_plane = pyproj.Transformer.from_crs(
            WGS84,
            f"+proj=aeqd +lat_0={centre_lat} +lon_0={centre_lon} +datum=WGS84 +units=m",
            always_xy=True,
        )
        if chosen.size == 0:
            empty = np.empty((0, 2))
            return _BorderTile(to_plane, chosen, empty, empty, None)
        starts = np.column_stack(to_plane.transform(*self.starts[chosen].T))
        ends = np.column_stack(to_plane.transform(*self.ends[chosen].T))
        lines = shapely.linestrings(np.stack([starts, ends], axis=1))
        return _BorderTile(to_plane, chosen, starts, ends, shapely.STRtree(lines))


def _tile_columns() -> int:
    return round(360 / _TILE_DEGREES)


def _tile_ids(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    """Return the search tile of each point."""
    last_row = round(180 / _TILE_DEGREES) - 1
    rows = np.clip(((latitudes + 90.0) // _TILE_DEGREES).astype(int), 0, last_row)
    columns = ((longitudes + 180.0) // _TILE_DEGREES).astype(int)
    columns = np.clip(columns, 0, _tile_columns() - 1)
    return rows * _tile_columns() + columns


def _build_border_index(borders: geopandas.GeoDataFrame, max_km: float) -> _BorderIndex:
    """Cut border lines into short segments, ready for the tiled search."""
    if not isinstance(borders, geopandas.GeoDataFrame):
        raise TypeError(f"'borders' should be a GeoDataFrame, got {type(borders)}")
    if borders.crs is None or not borders.crs.equals(WGS84):
        raise ValueError(f"'borders' should be in {WGS84}, got {borders.crs}")
    if not max_km > 0:
        raise ValueError(f"max_km should be a positive number of km, got {max_km!r}")
    lines = shapely.segmentize(borders.geometry.to_numpy(), _SEGMENT_DEGREES)
    parts, part_owner = shapely.get_parts(lines, return_index=True)
    coordinates, vertex_part = shapely.get_coordinates(parts, return_index=True)
    # A segment joins two consecutive vertices of the same part.
    same_part = vertex_part[1:] == vertex_part[:-1]
    starts = coordinates[:-1][same_part]
    ends = coordinates[1:][same_part]
    lengths = haversine_km(starts[:, 1], starts[:, 0], ends[:, 1], ends[:, 0])
    return _BorderIndex(
        max_km=float(max_km),
        pairs=borders["pair"].to_numpy(dtype=object),
        owner=part_owner[vertex_part[:-1][same_part]],
        starts=starts,
        ends=ends,
        midpoints=(starts + ends) / 2,
        half_length_km=float(np.max(lengths, initial=0.0) / 2),
    )


@lru_cache(maxsize=4)
def _border_index(max_km: float) -> _BorderIndex:
    """Return the segment index of the shipped 1:10m borders for one search radius."""
    return _build_border_index(land_borders("10m"), max_km)


def _grid_cells(
    x: np.ndarray, y: np.ndarray, points: int
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Group projected points into square cells; return size, cell x/y indices, inverse."""
    for size in _CELL_METRES:
        column = np.floor(x / size).astype(np.int64)
        row = np.floor(y / size).astype(np.int64)
        keys = (column + _CELL_OFFSET) * (2 * _CELL_OFFSET) + (row + _CELL_OFFSET)
        cells, inverse = np.unique(keys, return_inverse=True)
        if cells.size * _POINTS_PER_CELL <= points:
            break
    cell_column = cells // (2 * _CELL_OFFSET) - _CELL_OFFSET
    cell_row = cells % (2 * _CELL_OFFSET) - _CELL_OFFSET
    return size, cell_column, cell_row, inverse


def _nearest_in_tile(
    tile: _BorderTile, x: np.ndarray, y: np.ndarray, search_metres: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return the nearest segment (tile-local index, -1 for none) of each projected point.

    Also returns the foot of the perpendicular on it (projected metres, NaN for none).
    Points are grouped in grid cells: for a cell whose centre lies D from its nearest
    segment, every point in the cell has its nearest segment within D + 2r of the centre
    (r = half the cell's diagonal).  One tree query per occupied cell gives those few
    candidates, and the exact planar distances to them are computed with numpy, which is
    several times faster than one tree search per point.
    """
    nearest = np.full(x.size, -1, dtype=np.int64)
    feet = np.full((x.size, 2), np.nan)
    size, cell_column, cell_row, inverse = _grid_cells(x, y, x.size)
    half_diagonal = size * np.sqrt(0.5)
    centres = shapely.points((cell_column + 0.5) * size, (cell_row + 0.5) * size)
    # The projection stretches distances across the tile by at most about 1%, so the planar
    # search looks a little further; the true distance is measured afterwards.
    (reached, _), centre_distance = tile.tree.query_nearest(
        centres,
        max_distance=search_metres * 1.05 + half_diagonal,
        all_matches=False,
        return_distance=True,
    )
    if reached.size == 0:
        return nearest, feet
    candidate_cell, candidate_segment = tile.tree.query(
        centres[reached], predicate="dwithin", distance=centre_distance + 2 * half_diagonal
    )
    order = np.argsort(candidate_cell, kind="stable")
    candidate_segment = candidate_segment[order]
    per_cell = np.bincount(candidate_cell, minlength=reached.size)
    cell_start = np.concatenate([[0], np.cumsum(per_cell)[:-1]])
    position = np.full(inverse.max() + 1, -1, dtype=np.int64)
    position[reached] = np.arange(reached.size)
    point_cell = position[inverse]
    searched = np.nonzero(point_cell >= 0)[0]
    counts = per_cell[point_cell[searched]]
    # Bound memory: candidates are expanded for a few million point-segment pairs at a time.
    cumulative = np.cumsum(counts)
    cuts = np.searchsorted(
        cumulative, np.arange(_PAIRS_PER_BATCH, cumulative[-1], _PAIRS_PER_BATCH)
    )
    for batch in np.split(np.arange(searched.size), cuts):
        if batch.size == 0:
            continue
        members = searched[batch]
        batch_counts = counts[batch]
        total = int(batch_counts.sum())
        owner = np.repeat(np.arange(batch.size), batch_counts)
        offset = np.arange(total) - np.repeat(np.cumsum(batch_counts) - batch_counts, batch_counts)
        segment = candidate_segment[
            np.repeat(cell_start[point_cell[members]], batch_counts) + offset
        ]
        foot, squared = _feet(tile, segment, x[members][owner], y[members][owner])
        group_start = np.concatenate([[0], np.cumsum(batch_counts)[:-1]])
        smallest = np.minimum.reduceat(squared, group_start)
        is_smallest = np.nonzero(squared == np.repeat(smallest, batch_counts))[0]
        first = is_smallest[np.concatenate([[True], np.diff(owner[is_smallest]) != 0])]
        nearest[members] = segment[first]
        feet[members] = foot[first]
    return nearest, feet


def _feet(
    tile: _BorderTile, segment: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the nearest point on each segment to each point, and the squared distance."""
    start = tile.starts[segment]
    along = tile.ends[segment] - start
    length_squared = np.einsum("ij,ij->i", along, along)
    offset_x, offset_y = x - start[:, 0], y - start[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (offset_x * along[:, 0] + offset_y * along[:, 1]) / length_squared
    share = np.clip(np.nan_to_num(share, nan=0.0), 0.0, 1.0)
    foot = start + share[:, None] * along
    squared = (x - foot[:, 0]) ** 2 + (y - foot[:, 1]) ** 2
    return foot, squared


def _nearest(
    index: _BorderIndex, latitudes: np.ndarray, longitudes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the nearest border pair and its geodesic distance (km) for valid points."""
    pairs = np.full(latitudes.size, None, dtype=object)
    distances = np.full(latitudes.size, np.nan)
    if latitudes.size == 0 or index.owner.size == 0:
        return pairs, distances
    tiles = _tile_ids(latitudes, longitudes)
    order = np.argsort(tiles, kind="stable")
    splits = np.flatnonzero(np.diff(tiles[order])) + 1
    search_metres = index.max_km * 1000.0
    for members in np.split(order, splits):
        tile = index.tile(int(tiles[members[0]]))
        if tile.tree is None:
            continue
        lons, lats = longitudes[members], latitudes[members]
        x, y = tile.to_plane.transform(lons, lats)
        segment, foot = _nearest_in_tile(tile, np.asarray(x), np.asarray(y), search_metres)
        hit = np.nonzero(segment >= 0)[0]
        if hit.size == 0:
            continue
        foot_lon, foot_lat = tile.to_plane.transform(
            foot[hit, 0], foot[hit, 1], direction=pyproj.enums.TransformDirection.INVERSE
        )
        _, _, metres = _GEOD.inv(lons[hit], lats[hit], foot_lon, foot_lat)
        within = metres <= search_metres
        rows = members[hit[within]]
        pairs[rows] = index.pairs[index.owner[tile.segments[segment[hit[within]]]]]
        distances[rows] = metres[within] / 1000.0
    return pairs, distances


def _nearest_border_to(
    borders: geopandas.GeoDataFrame,
    lat: np.ndarray,
    lon: np.ndarray,
    max_km: float = BORDER_SEARCH_KM,
) -> tuple[np.ndarray, np.ndarray]:
    """Find the nearest of the given border lines (``pair``, geometry in WGS84), uncached."""
    latitudes, longitudes, usable = _coordinates(lat, lon)
    return _nearest_on_usable(_build_border_index(borders, max_km), latitudes, longitudes, usable)


def _nearest_on_usable(
    index: _BorderIndex, latitudes: np.ndarray, longitudes: np.ndarray, usable: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Run the border search on the usable points; the others get None and NaN."""
    pairs = np.full(latitudes.size, None, dtype=object)
    distances = np.full(latitudes.size, np.nan)
    if usable.any():
        pairs[usable], distances[usable] = _nearest(index, latitudes[usable], longitudes[usable])
    return pairs, distances


def nearest_borders(
    lat: np.ndarray, lon: np.ndarray, max_km: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return the nearest land border of any country pair, and the distance to it.

    Parameters
    ----------
    lat, lon : array_like
        WGS84 (``EPSG:4326``) latitude and longitude in degrees, of the same length.  NaN and
        out-of-range values give None and NaN.
    max_km : float, optional
        Search radius in km; points with no land border that close get None and NaN.
        Default :data:`BORDER_SEARCH_KM` (300 km).

    Returns
    -------
    pairs : numpy.ndarray
        Object array of pair keys such as ``"CN-LA"`` (see
        :func:`geo.pairs.pair_key`), None where no border is within ``max_km``.
    distances : numpy.ndarray
        Float array of geodesic distances in km on the WGS84 ellipsoid, NaN where no border
        is within ``max_km``.

    Notes
    -----
    The search uses the 1:10m borders (:func:`geo.spatial.borders.land_borders`) cut into
    segments of at most 0.05 degrees, in 10-degree tiles each projected with an azimuthal
    equidistant projection centred on the tile.  The nearest segment found there is then
    measured on the ellipsoid (``pyproj.Geod``), so distances are geodesic to well within
    1%.  A tile's index is built the first time a point falls in it.
    """
    radius = BORDER_SEARCH_KM if max_km is None else float(max_km)
    latitudes, longitudes, usable = _coordinates(lat, lon)
    return _nearest_on_usable(_border_index(radius), latitudes, longitudes, usable)


def h3_cells(
    lat: np.ndarray, lon: np.ndarray, resolutions: range | list[int] = H3_RESOLUTIONS
) -> dict[int, np.ndarray]:
    """Return the H3 cell of each point at each resolution.

    Parameters
    ----------
    lat, lon : array_like
        WGS84 (``EPSG:4326``) latitude and longitude in degrees, of the same length.  NaN and
        out-of-range values give None.
    resolutions : iterable of int, default range(3, 9)
        H3 resolutions, 0 to 15.

    Returns
    -------
    dict of int to numpy.ndarray
        For each resolution, an object array of H3 cell ids as 15-character hex strings
        (h3 4.x ``latlng_to_cell``), None where the coordinates are missing.

    Notes
    -----
    Each resolution is computed from the point itself, not as the parent of a finer cell:
    H3 children do not nest exactly, and the cell drawn on the map must contain the point.
    The library is asked once per distinct cell (see :mod:`geo.spatial.h3_cells`).
    """
    latitudes, longitudes, usable = _coordinates(lat, lon)
    wanted = [int(resolution) for resolution in resolutions]
    for resolution in wanted:
        if not 0 <= resolution <= 15:
            raise ValueError(f"H3 resolutions run from 0 to 15, got {resolution}")
    found = latlng_to_cells(latitudes[usable], longitudes[usable], wanted)
    cells = {}
    for resolution in wanted:
        # Points share cells: each distinct cell is written out as text once.
        codes, distinct = pd.factorize(found[resolution])
        names = np.array([format(int(cell), "x") for cell in distinct], dtype=object)
        column = np.full(latitudes.size, None, dtype=object)
        column[usable] = names[codes]
        cells[resolution] = column
    return cells


def _country_codes(values: pd.Series) -> np.ndarray:
    """Return stored country codes as an upper-case object array, None where missing/blank."""
    codes = values.astype("string").str.strip().str.upper()
    result = codes.to_numpy(dtype=object, na_value=None)
    result[result == ""] = None
    return result


def enrich_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Compute the derived geography of each record.

    Parameters
    ----------
    frame : pandas.DataFrame
        Records with columns ``lat`` and ``lon`` (WGS84 degrees, NaN allowed) and
        ``seizing_country`` (ISO-2 code, missing allowed).

    Returns
    -------
    pandas.DataFrame
        Exactly the columns of ``geo.schema.DERIVED_FIELDS``, aligned to
        ``frame.index``: ``located_country`` (see :func:`locate_countries`),
        ``country_mismatch`` (nullable boolean: the point lies in a known country other
        than ``seizing_country``; missing when either is unknown), ``border_pair`` and
        ``border_distance_km`` (see :func:`nearest_borders`, within
        :data:`BORDER_SEARCH_KM`), and ``h3_r3`` … ``h3_r8`` (see :func:`h3_cells`).
        Text columns are object dtype with None; rows without coordinates get None and NaN.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"'frame' should be a DataFrame, got {type(frame)}")
    missing = [name for name in ("lat", "lon", "seizing_country") if name not in frame.columns]
    if missing:
        raise KeyError(f"enrich_frame needs the columns {missing}")
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    latitudes, longitudes, usable = _coordinates(lat, lon)
    # Records share coordinates (an airport, a crossing, a city centre): each distinct
    # point is computed once.  The last slot of every result stays empty and is where rows
    # without coordinates point.
    codes = np.full(latitudes.size, -1, dtype=np.int64)
    codes[usable], distinct = pd.factorize(latitudes[usable] + 1j * longitudes[usable])
    distinct_lat = np.append(distinct.real, np.nan)
    distinct_lon = np.append(distinct.imag, np.nan)
    located = locate_countries(distinct_lat, distinct_lon)[codes]
    pairs, distances = nearest_borders(distinct_lat, distinct_lon)
    pairs, distances = pairs[codes], distances[codes]
    cells = {
        resolution: column[codes]
        for resolution, column in h3_cells(distinct_lat, distinct_lon, H3_RESOLUTIONS).items()
    }

    seizing = _country_codes(frame["seizing_country"])
    known = np.not_equal(located, None) & np.not_equal(seizing, None)
    differs = np.zeros(len(frame), dtype=bool)
    differs[known] = located[known] != seizing[known]

    columns = {
        "located_country": pd.Series(located, index=frame.index, dtype=object),
        "country_mismatch": pd.Series(
            pd.arrays.BooleanArray(differs, mask=~known), index=frame.index
        ),
        "border_pair": pd.Series(pairs, index=frame.index, dtype=object),
        "border_distance_km": pd.Series(distances, index=frame.index, dtype="float64"),
        **{
            f"h3_r{resolution}": pd.Series(cells[resolution], index=frame.index, dtype=object)
            for resolution in H3_RESOLUTIONS
        },
    }
    return pd.DataFrame({name: columns[name] for name in DERIVED_FIELDS}, index=frame.index)
