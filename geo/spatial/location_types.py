"""Infer where a seizure happened (airport, seaport, land border) from its coordinates."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from shapely import STRtree

from geo.distance import haversine_km
from geo.reference.places import load_airports, load_seaports

__all__ = ["PLACE_RADIUS_KM", "infer_location_types"]

# A seizure within this distance of an airport, seaport or land border happened there.
PLACE_RADIUS_KM = 5.0
# Candidates are searched in degrees (WGS84) and then measured on the sphere; 0.25° covers
# 5 km of longitude up to about 79° of latitude, which holds every airport and port of interest.
_SEARCH_DEGREES = 0.25


@lru_cache(maxsize=2)
def _index(kind: str) -> tuple[STRtree, np.ndarray, np.ndarray]:
    table = load_airports() if kind == "airport" else load_seaports()
    lats = table["lat"].to_numpy(dtype=float)
    lons = table["lon"].to_numpy(dtype=float)
    return STRtree(shapely.points(lons, lats)), lats, lons


def _within(kind: str, lat: np.ndarray, lon: np.ndarray, radius_km: float) -> np.ndarray:
    """Return a mask of points within ``radius_km`` of a place of ``kind`` (haversine)."""
    found = np.zeros(len(lat), dtype=bool)
    valid = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if not len(valid):
        return found
    tree, place_lats, place_lons = _index(kind)
    points = shapely.points(lon[valid], lat[valid])
    source, target = tree.query_nearest(points, max_distance=_SEARCH_DEGREES, all_matches=False)
    distance = haversine_km(
        lat[valid][source], lon[valid][source], place_lats[target], place_lons[target]
    )
    found[valid[source[distance <= radius_km]]] = True
    return found


def infer_location_types(
    lat: np.ndarray,
    lon: np.ndarray,
    border_distance_km: np.ndarray,
    radius_km: float = PLACE_RADIUS_KM,
) -> np.ndarray:
    """Return ``airport``, ``seaport``, ``land_border`` or ``None`` for each point.

    Coordinates are WGS84 degrees.  An airport within ``radius_km`` wins over a seaport (cargo
    and passengers are searched at the terminal), a seaport over a land border (river ports sit
    on borders); points near none of them get ``None``.

    Parameters
    ----------
    lat, lon : numpy.ndarray
        Coordinates; NaN where unknown.
    border_distance_km : numpy.ndarray
        Distance to the nearest land border (NaN where unknown or far).
    radius_km : float
        How near counts as "at" the place.

    Returns
    -------
    numpy.ndarray
        Object array of location types.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    border = np.asarray(border_distance_km, dtype=float)
    types = np.full(len(lat), None, dtype=object)
    types[np.nan_to_num(border, nan=np.inf) <= radius_km] = "land_border"
    types[_within("seaport", lat, lon, radius_km)] = "seaport"
    types[_within("airport", lat, lon, radius_km)] = "airport"
    return types
