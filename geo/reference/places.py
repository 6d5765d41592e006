"""Known places that seizures are named after: crossings, airports, seaports, states/provinces.

All coordinates are WGS84 (EPSG:4326) decimal degrees.  The crossings ship in
``data/reference/border_crossings.csv`` and the first-level divisions (states, provinces) of
the countries agencies most often report by province in ``data/reference/admin1.csv``;
airports come from the ``airportsdata`` package and seaports from the ``searoute`` package's
``ports.geojson``, so nothing is downloaded.  Each table is read once per process; every call
returns a fresh copy, so callers may modify it.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from geo.distance import haversine_km
from geo.paths import REFERENCE_DIR

__all__ = [
    "ADMIN1_FILE",
    "BORDER_CROSSINGS_FILE",
    "load_admin1",
    "load_airports",
    "load_border_crossings",
    "load_seaports",
    "nearest_airport",
]

BORDER_CROSSINGS_FILE = REFERENCE_DIR / "border_crossings.csv"
ADMIN1_FILE = REFERENCE_DIR / "admin1.csv"

_CROSSING_TEXT_COLUMNS = (
    "crossing_id",
    "name",
    "country_a",
    "place_a",
    "country_b",
    "place_b",
    "notes",
)
_LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}")

# searoute still files a few ports under withdrawn ISO codes (Netherlands Antilles "AN",
# Serbia and Montenegro "CS"); these are the countries the ports lie in today.
_SUCCESSOR_COUNTRY_BY_LOCODE = {
    "ANBUB": "CW",  # Bullen Bay, Curaçao
    "ANCRB": "CW",  # Caracas Bay, Curaçao
    "ANFUI": "CW",  # Fuik Bay, Curaçao
    "ANSMB": "CW",  # St Michiel's Bay, Curaçao
    "ANWIL": "CW",  # Willemstad, Curaçao
    "ANKRA": "BQ",  # Kralendijk, Bonaire
    "ANEUX": "BQ",  # St. Eustatius
    "ANPHI": "SX",  # Philipsburg, Sint Maarten
    "CSBAR": "ME",  # Bar
    "CSKOT": "ME",  # Kotor
    "CSZEL": "ME",  # Zelenika
}
# "CNHKG" is not a UN/LOCODE: it repeats Hong Kong (HKHKG) under China with a point in the
# sea south of the island, which would mislabel Hong Kong seizures as Chinese.
_REJECTED_LOCODES = frozenset({"CNHKG"})


def load_border_crossings() -> pd.DataFrame:
    """Return the land border crossings shipped in ``data/reference/border_crossings.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per crossing with columns ``crossing_id``, ``name``, ``country_a``,
        ``place_a``, ``country_b``, ``place_b`` (ISO 3166-1 alpha-2 codes and local place
        names), ``lat``, ``lon`` (WGS84 degrees, the point where the road or bridge meets the
        border, to within about 2 km) and ``notes`` (how the point was placed).
    """
    return _read_border_crossings().copy()


def load_admin1() -> pd.DataFrame:
    """Return the first-level divisions (states, provinces) in ``data/reference/admin1.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per division with ``country`` (ISO 3166-1 alpha-2), ``code`` (the ISO 3166-2
        code after the country's, such as ``"AM"`` for BR-AM), ``name``, ``capital``,
        ``geonames_admin1`` (the division's code in GeoNames, which ties it to GeoNames'
        cities), ``lat``, ``lon`` (WGS84 degrees of the capital, which stands for the
        division) and ``aliases`` (other names and abbreviations, separated by ``|``).
    """
    return _read_admin1().copy()


def load_airports() -> pd.DataFrame:
    """Return the airports that have an IATA code, from the ``airportsdata`` package.

    Returns
    -------
    pandas.DataFrame
        Columns ``iata``, ``icao`` (missing where the airport has none), ``name``, ``city``,
        ``country`` (ISO 3166-1 alpha-2), ``lat``, ``lon`` (WGS84 degrees), sorted by ``iata``.
    """
    return _read_airports().copy()


def load_seaports() -> pd.DataFrame:
    """Return the seaports listed in the ``searoute`` package's ``ports.geojson``.

    Ports whose code is not shaped like a UN/LOCODE are left out, and so are repeats of a code
    (the first listing is kept).  The country is the LOCODE's first two letters, except for
    ports still filed under a withdrawn code, which get the country they lie in today.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``locode``, ``country`` (ISO 3166-1 alpha-2), ``lat``, ``lon``
        (WGS84 degrees), sorted by ``locode``.
    """
    return _read_seaports().copy()


def nearest_airport(
    lat: float, lon: float, *, max_distance_km: float | None = None
) -> pd.Series | None:
    """Return the IATA airport nearest to a point, by great-circle distance.

    Parameters
    ----------
    lat, lon : float
        The point, in WGS84 decimal degrees.
    max_distance_km : float, optional
        When given, an airport farther away than this counts as no airport.

    Returns
    -------
    pandas.Series or None
        The airport's row from :func:`load_airports` with an extra ``distance_km``, or None
        when the point is missing (NaN) or no airport is close enough.

    Raises
    ------
    ValueError
        If ``lat`` is outside [-90, 90] or ``lon`` outside [-180, 180].
    """
    if lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
        return None
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude must be within [-90, 90], got {lat!r}")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude must be within [-180, 180], got {lon!r}")
    airports = _read_airports()
    distances = haversine_km(lat, lon, airports["lat"].to_numpy(), airports["lon"].to_numpy())
    position = int(np.argmin(distances))
    distance = float(distances[position])
    if max_distance_km is not None and distance > max_distance_km:
        return None
    found = airports.iloc[position].copy()
    found["distance_km"] = distance
    return found


@lru_cache(maxsize=1)
def _read_border_crossings() -> pd.DataFrame:
    """Read the crossings CSV once; "NA" stays Namibia rather than becoming missing."""
    frame = pd.read_csv(
        BORDER_CROSSINGS_FILE,
        encoding="utf-8",
        dtype=dict.fromkeys(_CROSSING_TEXT_COLUMNS, str),
        keep_default_na=False,
    )
    frame["lat"] = frame["lat"].astype(float)
    frame["lon"] = frame["lon"].astype(float)
    return frame


@lru_cache(maxsize=1)
def _read_admin1() -> pd.DataFrame:
    """Read the divisions CSV once; codes such as "NA" or "01" stay text."""
    text = ("country", "code", "name", "capital", "geonames_admin1", "aliases")
    return pd.read_csv(
        ADMIN1_FILE,
        encoding="utf-8",
        dtype={**dict.fromkeys(text, str), "lat": float, "lon": float},
        keep_default_na=False,
    )


@lru_cache(maxsize=1)
def _read_airports() -> pd.DataFrame:
    """Build the IATA airport table once from ``airportsdata``."""
    import airportsdata

    rows = [
        {
            "iata": code,
            "icao": entry.get("icao") or None,
            "name": entry.get("name", ""),
            "city": entry.get("city", ""),
            "country": entry.get("country", ""),
            "lat": float(entry["lat"]),
            "lon": float(entry["lon"]),
        }
        for code, entry in airportsdata.load("IATA").items()
        if code
    ]
    frame = pd.DataFrame(rows, columns=["iata", "icao", "name", "city", "country", "lat", "lon"])
    return frame.sort_values("iata", kind="stable").reset_index(drop=True)


@lru_cache(maxsize=1)
def _read_seaports() -> pd.DataFrame:
    """Build the seaport table once from ``searoute``'s ``ports.geojson``."""
    source = resources.files("searoute").joinpath("data", "ports.geojson")
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    rows = []
    seen: set[str] = set()
    for feature in features:
        properties = feature.get("properties") or {}
        locode = str(properties.get("port") or "").strip().upper()
        if not _LOCODE.fullmatch(locode) or locode in _REJECTED_LOCODES or locode in seen:
            continue
        seen.add(locode)
        lon, lat = feature["geometry"]["coordinates"][:2]
        rows.append(
            {
                "name": str(properties.get("name") or "").strip(),
                "locode": locode,
                "country": _SUCCESSOR_COUNTRY_BY_LOCODE.get(locode, locode[:2]),
                "lat": float(lat),
                "lon": float(lon),
            }
        )
    frame = pd.DataFrame(rows, columns=["name", "locode", "country", "lat", "lon"])
    return frame.sort_values("locode", kind="stable").reset_index(drop=True)
