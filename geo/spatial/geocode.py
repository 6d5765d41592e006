"""Offline geocoding of seizure locations given only as text: airports, seaports, crossings, cities.

All coordinates are WGS84 (EPSG:4326) decimal degrees.  Nothing is fetched: the places
(airports, seaports, land border crossings, GeoNames cities and capitals, curated aliases) are
indexed by :mod:`geo.spatial.place_index`, and a text's words are read by
:mod:`geo.spatial.placenames`.

A text is read in this order, the first step that decides wins:

1. an airport code (IATA, three capitals; ICAO, four) or a UN/LOCODE (``KEMBA``, ``KE MBA``),
   as the whole text, in parentheses, or beside a word for airport or port; a whole text that
   is a country's name or abbreviation ("USA", "LAO") is not a code;
2. a country's name: the country, or the city for a small country named like its capital
   ("Singapore", "Hong Kong", "Kuwait");
3. a curated alias;
4. when the text carries a word for airport (airport, aeropuerto, aéroport, 机场, ...), for port
   (port of, puerto de, 港, ...) or for border (border, checkpoint, 口岸, ...): that kind of place
   by full name, by name with those words dropped, by the city it serves, then by a close
   spelling within the seizing country; failing that, the city the text names.  Words for a
   mail centre or a market (mail, 邮件, mercado, 市场) give that town with that location type;
5. a bare name: a border crossing or one of its towns, then a city by its main name, then an
   airport or seaport by name, then a city by an alternate name.  A bare "Haiphong" is the
   city: the text does not say the seizure was at the port.  A border town is the crossing
   ("Boten", "Lao Cai"), except where the name belongs to a large city ("Vientiane",
   "Tijuana");
6. parts of the text split at commas, slashes and parentheses, the most precise part winning,
   a part naming a country giving the country when none is known;
7. a state or province of ``data/reference/admin1.csv`` named by the whole text ("Yunnan
   Province", "云南省"): its capital, with precision ``admin1``;
8. the seizing country alone: its capital, with precision ``country``.

Before all of these, a text whose last part names a state or province ("Manaus, AM",
"Springfield, IL", "Kunming, Yunnan", also followed by a country) is read as a place within
that division: a city of that name in it, else an airport, port or crossing of that name,
else the division itself (precision ``admin1``).  Without a seizing country the division
counts only when the city is found in it.  :func:`geocode_places` reads the same from
separate city and province columns.

Precision is ``airport`` or ``seaport`` for those, and ``city`` for a city and for a crossing:
the crossing point is exact to about 2 km, but a seizure "at Boten" may be anywhere in the
border town; ``admin1`` for a state or province, placed at its capital.  Two equally good
places in different countries give no answer rather than a guess.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.distance import haversine_km
from geo.reference.countries import is_country_code
from geo.reference.places import load_admin1
from geo.spatial.place_index import (
    Place,
    PlaceIndex,
    aliases_within,
    capital_index,
    closest_places,
    country_area_km2,
    load_place_index,
)
from geo.spatial.placenames import (
    AIRPORT,
    ANY_PORT,
    LAND_BORDER,
    SEAPORT,
    PlaceText,
    country_named,
    name_key,
    read_place_text,
)

__all__ = ["Geocoded", "geocode_frame", "geocode_place", "geocode_places"]

# Without a country, the most populous city of a name wins only when it is this many times
# more populous than the next one of that name in another country.
_CITY_DOMINANCE = 5

# A port named as "<city> port" is the nearest seaport of that city within this distance.
_PORT_OF_CITY_KM = 30.0

# A text that names a small country whose capital bears the same name (Singapore, Hong Kong,
# Kuwait) reads as the city; a larger one ("Mexico", "Panama") reads as the country.
_CITY_STATE_MAX_AREA_KM2 = 25_000

# Whole-text codes that are also the name of a city this large, or of a country, are left
# undecided when no country is given ("ICA" is Icabarú's code and the Peruvian city of Ica).
_CODE_CLASH_POPULATION = 100_000

_IATA = re.compile(r"[A-Z]{3}")
_ICAO = re.compile(r"[A-Z]{4}")
_LOCODE = re.compile(r"([A-Z]{2}) ?([A-Z2-9]{3})")
_CODE_IN_PARENTHESES = re.compile(r"\(\s*([A-Z]{3,4}|[A-Z]{2} ?[A-Z2-9]{3})\s*\)")
_CODE_TOKEN = re.compile(r"\b[A-Z]{3,5}\b")
_PART_SEPARATORS = re.compile(r"[,;/|()\[\]（）]| - | – | — ")

_PRECISION_RANK = {"airport": 0, "seaport": 0, "exact": 0, "city": 1, "admin1": 2, "country": 3}


@dataclass(frozen=True)
class Geocoded:
    """Where a location text was placed.

    Attributes
    ----------
    lat, lon : float
        WGS84 decimal degrees.
    precision : str
        One of ``geo.schema.COORD_PRECISIONS``: ``airport``, ``seaport``, ``city``
        (also for a land border crossing matched by name, whose point stands for a few km
        around the crossing town) or ``country`` (the capital, standing for the country).
    location_type : str or None
        ``airport``, ``seaport`` or ``land_border`` when the match or the text says so;
        ``mail_centre`` or ``market`` when the text says so ("Kunming international mail
        centre", "Manaus market"), the point being the town's.
    matched : str
        What the text was read as, e.g. ``"NBO Jomo Kenyatta International Airport"``;
        ``" (fuzzy)"`` is added when a misspelling was corrected.
    """

    lat: float
    lon: float
    precision: str
    location_type: str | None
    matched: str


class _Ambiguous:
    """Marks a text that names several places equally well: no answer, and no weaker guess."""


_AMBIGUOUS = _Ambiguous()
_Result = Geocoded | _Ambiguous | None


def geocode_place(name: str | None, country: str | None) -> Geocoded | None:
    """Place a seizure location given as text, without a network.

    Parameters
    ----------
    name : str or None
        The location text as the agency wrote it: an airport name or code ("Jomo Kenyatta
        International Airport", "NBO", "VTBS"), a seaport name or UN/LOCODE ("Port of
        Mombasa", "KEMBA"), a border crossing ("Boten", "磨憨口岸") or a city.  Missing values
        (None, NaN, blank) are allowed.
    country : str or None
        The ISO 3166-1 alpha-2 code of the seizing country, when known.  Only places in that
        country are considered (a crossing counts for both its countries), and when the text
        names nothing the country's capital is returned.  Anything that is not an upper- or
        lower-case code of ``countries.csv`` ("XX", "unknown", NaN) counts as no country.

    Returns
    -------
    Geocoded or None
        The place, in WGS84 degrees; None when nothing matches, or when the text names several
        places equally well and no country tells them apart.

    Examples
    --------
    >>> geocode_place("Jomo Kenyatta International Airport", None).matched
    'NBO Jomo Kenyatta International Airport'
    """
    return _geocode_cached(_clean_text(name), _clean_country(country))


def geocode_frame(names: pd.Series, countries: pd.Series) -> pd.DataFrame:
    """Geocode a column of location texts, resolving each distinct (text, country) pair once.

    Parameters
    ----------
    names : pandas.Series
        Location texts; missing values are allowed.
    countries : pandas.Series
        ISO 3166-1 alpha-2 seizing countries, the same length as ``names``; missing values
        are allowed.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``names``, with columns ``lat``, ``lon`` (float WGS84 degrees, NaN where
        nothing matched), ``precision``, ``location_type`` and ``matched`` (None where nothing
        matched or, for ``location_type``, where the match does not say).

    Raises
    ------
    ValueError
        If the two series differ in length.
    """
    if len(names) != len(countries):
        raise ValueError(
            f"'names' and 'countries' must have the same length, got {len(names)} and "
            f"{len(countries)}"
        )
    pair_positions, pairs = _distinct_rows((names, _clean_text), (countries, _clean_country))
    results = [_geocode_cached(text, code) for text, code in pairs]
    return _spread(results, pair_positions, names.index)


def geocode_places(cities: pd.Series, provinces: pd.Series, countries: pd.Series) -> pd.DataFrame:
    """Place records given as a hierarchy of columns: city, state or province, country.

    Each distinct (city, province, country) is resolved once.  A city is looked for within
    its province when the province is known (``data/reference/admin1.csv``), so that
    "Springfield" in "IL" is not Springfield, Missouri; a city cell may carry its state itself
    ("Manaus, AM").  A city that is not found gives the province's capital, with precision
    ``admin1``; a province alone gives the same.  Without a country, a province counts only
    when the city is found in it.  Nothing found gives NaN: the caller falls back to the
    country.

    Parameters
    ----------
    cities, provinces : pandas.Series
        City and province texts, indexed alike; missing values are allowed.
    countries : pandas.Series
        ISO 3166-1 alpha-2 seizing countries indexed like `cities`; missing values allowed.

    Returns
    -------
    pandas.DataFrame
        Indexed like `cities`, with ``lat``, ``lon`` (WGS84 degrees, NaN where nothing was
        found), ``precision`` (``city``, ``airport``, ``seaport`` or ``admin1``),
        ``location_type`` and ``matched``, as :func:`geocode_frame` gives them.

    Raises
    ------
    ValueError
        If the three series differ in length.
    """
    if not len(cities) == len(provinces) == len(countries):
        raise ValueError(
            f"'cities', 'provinces' and 'countries' must have the same length, got "
            f"{len(cities)}, {len(provinces)} and {len(countries)}"
        )
    positions, keys = _distinct_rows(
        (cities, _clean_text), (provinces, _clean_text), (countries, _clean_country)
    )
    results = [_hierarchy_cached(*key) for key in keys]
    return _spread(results, positions, cities.index)


def _spread(results: list, positions: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Turn the results for distinct rows into the frame of every row (NaN where none)."""
    unique = pd.DataFrame(
        {
            "lat": [math.nan if r is None else r.lat for r in results],
            "lon": [math.nan if r is None else r.lon for r in results],
            "precision": pd.Series(
                [None if r is None else r.precision for r in results], dtype=object
            ),
            "location_type": pd.Series(
                [None if r is None else r.location_type for r in results], dtype=object
            ),
            "matched": pd.Series([None if r is None else r.matched for r in results], dtype=object),
        }
    )
    frame = unique.take(positions) if len(unique) else unique.iloc[:0]
    frame.index = index
    return frame


def _distinct_rows(
    *columns: tuple[pd.Series, Callable[[object], str | None]],
) -> tuple[np.ndarray, list[tuple[str | None, ...]]]:
    """Return each row's position among the distinct cleaned rows, and those rows.

    Each column's distinct cells are cleaned once (a chunk repeats a few place names many
    times), and rows are grouped by their cleaned values, so that "Manaus" and " Manaus "
    share one look-up.
    """
    combined = np.zeros(len(columns[0][0]), dtype=np.int64)
    cleaned_columns = []
    for values, clean in columns:
        codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
        cleaned = [clean(value) for value in uniques]
        # Equal cleaned values share a code, and missing cells take the code of None.
        cleaned_codes: dict[str | None, int] = {None: 0}
        remap = np.array(
            [cleaned_codes.setdefault(text, len(cleaned_codes)) for text in cleaned] + [0],
            dtype=np.int64,
        )
        combined = combined * (len(cleaned_codes) + 1) + remap[codes]
        cleaned_columns.append(list(cleaned_codes))
    distinct, positions = np.unique(combined, return_inverse=True)
    keys = []
    for value in distinct.tolist():
        parts = []
        for texts in reversed(cleaned_columns):
            value, code = divmod(value, len(texts) + 1)
            parts.append(texts[code])
        keys.append(tuple(reversed(parts)))
    return positions.reshape(-1), keys


def _clean_text(value: object) -> str | None:
    """Return the text of a cell with its spaces tidied, or None when it is empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = " ".join(str(value).split())
    return text or None


def _clean_country(value: object) -> str | None:
    """Return an ISO alpha-2 code of the country table, or None for anything else."""
    text = _clean_text(value)
    if text is None:
        return None
    code = text.upper()
    return code if is_country_code(code) else None


def _answer(place: Place, location_type: str | None = None, *, fuzzy: bool = False) -> Geocoded:
    """Return a place as an answer, with the text's kind when the place has none."""
    return Geocoded(
        lat=place.lat,
        lon=place.lon,
        precision=place.precision,
        location_type=place.location_type or location_type,
        matched=place.label + (" (fuzzy)" if fuzzy else ""),
    )


@lru_cache(maxsize=200_000)
def _geocode_cached(text: str | None, country: str | None) -> Geocoded | None:
    """Resolve one cleaned (text, country) pair; cached across import chunks."""
    found: _Result = None
    named_country: str | None = None
    if text is not None:
        found = _resolve_with_area(text, country)
        if found is None:
            found = _resolve_text(text, country)
        if found is None:
            found, named_country = _resolve_parts(text, country)
        if found is None:
            found = _area_named(text, country or named_country)
    if isinstance(found, Geocoded):
        return found
    return _country_point(country or named_country)


@dataclass(frozen=True)
class _Area:
    """A state or province of ``admin1.csv``, tied to GeoNames by its admin1 code."""

    country: str
    code: str
    name: str
    admin1: str
    lat: float
    lon: float


# Words around a division's name ("Yunnan Province", "Estado do Amazonas", "Prov. de Lima").
_AREA_WORDS = frozenset(
    {
        *("province", "provincia", "prov", "state", "estado", "of", "de", "do", "da", "del"),
        *("departamento", "department", "dept", "depto", "region", "dpto", "municipality"),
    }
)
# A city just outside the division GeoNames files it under still counts within this distance
# of the division's capital.
_NEAR_AREA_KM = 150.0
_AREA_CODE = re.compile(r"(?:[A-Za-z]{2}-)?[A-Za-z]{2,3}\.?")


@lru_cache(maxsize=1)
def _area_tables() -> tuple[dict[str, list[_Area]], dict[str, list[_Area]]]:
    """Index the divisions by name key (names and aliases) and by code key."""
    names: dict[str, list[_Area]] = {}
    codes: dict[str, list[_Area]] = {}
    for row in load_admin1().itertuples(index=False):
        area = _Area(row.country, row.code, row.name, row.geonames_admin1, row.lat, row.lon)
        for text in (row.name, *row.aliases.split("|")):
            _add_area(names, name_key(text), area)
        _add_area(codes, name_key(row.code), area)
        _add_area(codes, name_key(f"{row.country}-{row.code}"), area)
    return names, codes


def _add_area(table: dict[str, list[_Area]], key: str, area: _Area) -> None:
    if key and area not in table.setdefault(key, []):
        table[key].append(area)


def _areas(text: str | None, country: str | None) -> list[_Area]:
    """Return the divisions a text names (by name, abbreviation or ISO 3166-2 code).

    Without a country, a bare code ("AM", "PR") is too short to name a division alone and
    gives none; the caller may still try it with a city (:func:`_coded_areas`).
    """
    if not text:
        return []
    names, _ = _area_tables()
    key = name_key(text)
    found = names.get(key)
    if found is None and country is not None:
        found = _coded_areas(text, country) or None
    if found is None:
        words = [
            word for word in text.replace(".", " ").split() if word.casefold() not in _AREA_WORDS
        ]
        stripped = name_key(" ".join(words))
        if stripped and stripped != key:
            found = names.get(stripped)
        if found is None and key.endswith("省"):
            found = names.get(key[:-1])
    if not found:
        return []
    return [area for area in found if country is None or area.country == country]


def _coded_areas(text: str, country: str | None) -> list[_Area]:
    """Return the divisions whose ISO 3166-2 code a text is ("AM", "BR-AM", "jal.")."""
    if not _AREA_CODE.fullmatch(text.strip()):
        return []
    found = _area_tables()[1].get(name_key(text), [])
    return [area for area in found if country is None or area.country == country]


def _area_point(area: _Area) -> Geocoded:
    """Return a division's capital as its representative point."""
    return Geocoded(
        lat=area.lat,
        lon=area.lon,
        precision="admin1",
        location_type=None,
        matched=f"{area.name}, {area.country}",
    )


def _city_in_area(text: str, area: _Area, index: PlaceIndex) -> Geocoded | None:
    """Return the most populous city of a name within a division, or None."""
    key = read_place_text(text).key
    for table in (index.city_primary, index.city_alternate):
        positions = [
            position
            for position in table.get(key, ())
            if index.city_country[position] == area.country
            and index.city_admin1[position] == area.admin1
        ]
        if positions:
            best = max(positions, key=lambda position: index.city_population[position])
            return _answer(index.city_place(best))
    return None


def _resolve_in_areas(text: str, areas: list[_Area], *, area_point: bool) -> _Result:
    """Resolve a place name within one of some divisions.

    An airport, port or crossing of that name in the division's country wins (a crossing
    town is the crossing, as for a bare name); then a city of that name in the division, or
    close to its capital (Bogotá, a district of its own, named in Cundinamarca); else, when
    `area_point` allows, the division itself.  A city of that name farther away is not taken:
    the division says it is another place ("Springfield, IL" is not Springfield, Missouri).
    """
    index = load_place_index()
    answers: list[Geocoded] = []
    for area in areas:
        other = _resolve_text(text, area.country)
        if isinstance(other, Geocoded) and other.location_type in (AIRPORT, SEAPORT, LAND_BORDER):
            found: Geocoded | None = other
        else:
            found = _city_in_area(text, area, index)
        if (
            found is None
            and isinstance(other, Geocoded)
            and other.precision == "city"
            and haversine_km(area.lat, area.lon, other.lat, other.lon) <= _NEAR_AREA_KM
        ):
            found = other
        if found is None and area_point:
            found = _area_point(area)
        if found is not None and found not in answers:
            answers.append(found)
    if len(answers) == 1:
        return answers[0]
    return _AMBIGUOUS if answers else None


def _resolve_with_area(text: str, country: str | None) -> _Result:
    """Read "City, ST", "City, Province" and "City, Province, Country" texts."""
    parts = [part.strip() for part in _PART_SEPARATORS.split(text)]
    parts = [part for part in parts if part]
    while len(parts) > 1:
        named = country_named(parts[-1], codes=False)
        if named is None:
            break
        if country is not None and named != country:
            return None
        country = named
        parts.pop()
    if len(parts) < 2:
        return None
    areas = _areas(parts[-1], country) or _coded_areas(parts[-1], country)
    if not areas:
        return None
    return _resolve_in_areas(", ".join(parts[:-1]), areas, area_point=country is not None)


def _area_named(text: str, country: str | None) -> Geocoded | None:
    """Return the division a whole text names, when one alone fits."""
    areas = _areas(text, country)
    return _area_point(areas[0]) if len(areas) == 1 else None


@lru_cache(maxsize=100_000)
def _hierarchy_cached(
    city: str | None, province: str | None, country: str | None
) -> Geocoded | None:
    """Resolve one cleaned (city, province, country); None when nothing is found."""
    areas = _areas(province, country)
    found: _Result = None
    if city is not None:
        with_code = areas or (_coded_areas(province, country) if province else [])
        if with_code:
            found = _resolve_in_areas(city, with_code, area_point=country is not None)
        else:
            found = _resolve_with_area(city, country)
            if found is None:
                found = _resolve_text(city, country)
            if found is None:
                found, _ = _resolve_parts(city, country)
    if isinstance(found, Geocoded):
        return found
    if len(areas) == 1 and (country is not None or city is None):
        return _area_point(areas[0])
    if province is not None and not areas and country is not None:
        # A province the table does not list may share its name with its capital
        # ("Lào Cai"): the city stands for the province, at the province's precision.
        capital = _resolve_city(read_place_text(province).key, country, load_place_index())
        if isinstance(capital, Place):
            return Geocoded(capital.lat, capital.lon, "admin1", None, capital.label)
    return None


def _resolve_parts(text: str, country: str | None) -> tuple[_Result, str | None]:
    """Resolve a text part by part; return the most precise match and any country named."""
    parts = [part.strip() for part in _PART_SEPARATORS.split(text)]
    parts = [part for part in parts if part and part != text]
    if not parts:
        return None, None
    named = {code for code in map(country_named, parts) if code is not None}
    named_country = next(iter(named)) if len(named) == 1 else None
    scope = country or named_country
    best: Geocoded | None = None
    for part in parts:
        if country_named(part) is not None:
            continue
        found = _resolve_text(part, scope)
        if isinstance(found, Geocoded) and (
            best is None or _PRECISION_RANK[found.precision] < _PRECISION_RANK[best.precision]
        ):
            best = found
    return best, named_country


def _resolve_text(text: str, country: str | None) -> _Result:
    """Resolve one text (or one part of it) to a place, without the country fallback."""
    index = load_place_index()
    read = read_place_text(text)
    found = _resolve_codes(text, read, country, index)
    if found is not None:
        return found
    named = country_named(text)
    if named is not None:
        return _resolve_country_name(read, named, country, index)
    if not read.key:
        return None
    found = _choose(index.alias_full.get(read.key), country)
    if found is not None:
        return found
    if read.signals:
        found = _resolve_typed(read, country, index)
        if found is not None:
            return found
    found = _resolve_bare(read.key, country, index)
    if found is None and read.stripped and read.stripped != read.key and not read.signals:
        # Only filler was dropped ("JKIA cargo", "Nairobi customs"): read what is left.
        found = _choose(index.alias_full.get(read.stripped), country)
        if found is None:
            found = _resolve_bare(read.stripped, country, index)
    if found is None:
        # A curated Chinese alias inside a longer Chinese text (云南省勐腊县磨憨口岸).
        found = _choose(aliases_within(read.key), country)
    return found


def _resolve_codes(text: str, read: PlaceText, country: str | None, index: PlaceIndex) -> _Result:
    """Resolve an airport code or UN/LOCODE that is the whole text or clearly marked in it."""
    candidates: list[Place] = []
    whole = _LOCODE.fullmatch(text)
    is_whole_code = bool(_IATA.fullmatch(text) or _ICAO.fullmatch(text) or whole)
    # A country's name or abbreviation ("USA", "LAO", "UAE") is not read as an airport code;
    # an alpha-3 code that is no name ("CAN", "FRA", "MEX") is.
    if is_whole_code and country_named(text, codes=False) is not None:
        return None
    codes = [text] if is_whole_code else _CODE_IN_PARENTHESES.findall(text)
    # Beside a word for airport or port, a code stands out only in a text not in capitals
    # ("JFK Airport"): in "SAN JOSE AIRPORT" every word looks like a code.
    if not codes and read.signals and not text.isupper():
        codes = _CODE_TOKEN.findall(text)
    for code in codes:
        place = _place_of_code(code.replace(" ", ""), index)
        if place is not None and place not in candidates:
            candidates.append(place)
    if not candidates:
        return None
    if country is not None:
        candidates = [place for place in candidates if country in place.countries]
        if not candidates:
            return None
    elif is_whole_code and _code_clashes_with_name(text, candidates[0], index):
        return _AMBIGUOUS
    if len(candidates) > 1:
        return _AMBIGUOUS
    return _answer(candidates[0])


def _place_of_code(code: str, index: PlaceIndex) -> Place | None:
    """Return the airport or seaport with this IATA, ICAO or UN/LOCODE code."""
    if len(code) == 3:
        return index.airport_by_iata.get(code)
    if len(code) == 4:
        return index.airport_by_icao.get(code)
    if len(code) == 5:
        return index.port_by_locode.get(code)
    return None


def _code_clashes_with_name(text: str, place: Place, index: PlaceIndex) -> bool:
    """Tell whether a code-shaped text also names a large city in another country."""
    return any(
        index.city_population[position] >= _CODE_CLASH_POPULATION
        and index.city_country[position] not in place.countries
        for position in index.city_primary.get(name_key(text), ())
    )


def _resolve_country_name(
    read: PlaceText, named: str, country: str | None, index: PlaceIndex
) -> _Result:
    """Resolve a text that names a country: the city of a city-state, else the country."""
    if country is not None and country != named:
        return None
    capital = capital_index(named)
    if (
        capital is not None
        and country_area_km2(named) < _CITY_STATE_MAX_AREA_KM2
        and capital in index.city_indices(read.key, named)
    ):
        return _answer(index.city_place(capital))
    return _country_point(named)


def _resolve_typed(read: PlaceText, country: str | None, index: PlaceIndex) -> _Result:
    """Resolve a text that says what kind of place it is (airport, port, border).

    Every kind the words allow is tried by name first, then by the city it serves, then by a
    close spelling, so that "Mohan port" finds the land port before a city called Mohan.
    """
    kinds = _kinds_of_signals(read.signals)
    for stage in (_by_name, _by_city, _by_spelling):
        for kind in kinds:
            found = stage(kind, read, country, index)
            if found is not None:
                return found
    # The place itself is unknown, but the text may still name its town.
    location_type = _location_type_of_signals(read.signals)
    for key in dict.fromkeys((read.key, read.named, read.stripped)):
        if not key:
            continue
        found = _resolve_city(key, country, index)
        if isinstance(found, Place):
            return _answer(found, location_type if key != read.key else None)
        if found is _AMBIGUOUS:
            return found
    return None


def _kinds_of_signals(signals: frozenset[str]) -> list[str]:
    """Return the kinds of place to try, in order, for the words a text carries."""
    kinds: list[str] = []
    if AIRPORT in signals:
        kinds.append(AIRPORT)
    if LAND_BORDER in signals:
        kinds.append(LAND_BORDER)
    if SEAPORT in signals or ANY_PORT in signals:
        kinds.append(SEAPORT)
    if ANY_PORT in signals and LAND_BORDER not in kinds:
        kinds.append(LAND_BORDER)
    return kinds


def _location_type_of_signals(signals: frozenset[str]) -> str | None:
    """Return the kind of place a text's words state, when they state only one."""
    if len(signals) == 1 and ANY_PORT not in signals:
        return next(iter(signals))
    if LAND_BORDER in signals and signals <= {LAND_BORDER, ANY_PORT}:
        return LAND_BORDER
    return None


def _by_name(kind: str, read: PlaceText, country: str | None, index: PlaceIndex) -> _Result:
    """Find a place of one kind by its full name, or by its name without kind words.

    Curated aliases and the packages' own names are pooled at each step, so that "El Dorado
    Airport" stays undecided between Bogotá and the other El Dorado airports.
    """
    key, stripped = read.key, read.stripped
    if kind == AIRPORT:
        full, names = index.airport_full, index.airport_names
    elif kind == SEAPORT:
        full, names = index.port_full, index.port_names
    else:
        # With a word for border, a town shared with a large city still means the crossing
        # ("Tijuana border").
        full, names = index.crossing_keys, index.crossing_town_keys
    stages = (
        full.get(key),
        [
            *(_matching_kind(index.alias_stripped.get(stripped), kind) or ()),
            *names.get(stripped, ()),
        ],
    )
    for candidates in stages:
        found = _choose(candidates, country)
        if found is not None:
            return found
    # A name that is itself a city's ("Puerto Maldonado", "Port Louis") is that city.
    if key != stripped and index.city_indices(key, country):
        city = _resolve_city(key, country, index)
        return _answer(city) if isinstance(city, Place) else city
    return None


def _by_city(kind: str, read: PlaceText, country: str | None, index: PlaceIndex) -> _Result:
    """Find the airport or seaport of the city a text names ("Mombasa airport", "海防港")."""
    if not read.stripped:
        return None
    if kind == AIRPORT:
        return _airport_of_city(read.stripped, country, index)
    if kind == SEAPORT:
        return _port_of_city(read.stripped, country, index)
    return None


def _by_spelling(kind: str, read: PlaceText, country: str | None, index: PlaceIndex) -> _Result:
    """Find a place of one kind by a close spelling, only within a known country."""
    if country is None or not read.stripped:
        return None
    return _fuzzy(read.stripped, kind, country)


def _matching_kind(places: list[Place] | None, kind: str) -> list[Place] | None:
    """Keep the curated aliases of one kind of place."""
    if not places:
        return None
    return [place for place in places if place.location_type == kind] or None


def _airport_of_city(key: str, country: str | None, index: PlaceIndex) -> _Result:
    """Return the one airport of the city a text names, or the city when it has several."""
    airports = _in_country(index.airport_by_city.get(key), country)
    city = _resolve_city(key, country, index)
    if not airports and isinstance(city, Place):
        # The text may spell the city in another language (内罗毕机场): use its own name.
        city_key = name_key(city.label.rsplit(",", 1)[0])
        airports = _in_country(index.airport_by_city.get(city_key), _only(city.countries))
    if not airports:
        return None
    if len(airports) == 1:
        return _answer(airports[0])
    # Several airports serve the city: say which city, not which airport.
    return _answer(city, AIRPORT) if isinstance(city, Place) else _AMBIGUOUS


def _port_of_city(key: str, country: str | None, index: PlaceIndex) -> _Result:
    """Return the seaport nearest the city a text names ("海防港"), when one is close."""
    city = _resolve_city(key, country, index)
    if not isinstance(city, Place):
        return city
    city_country = _only(city.countries)
    ports = [port for port in index.ports if city_country in port.countries]
    if not ports:
        return None
    lats = np.array([port.lat for port in ports])
    lons = np.array([port.lon for port in ports])
    distances = haversine_km(city.lat, city.lon, lats, lons)
    nearest = int(np.argmin(distances))
    if distances[nearest] > _PORT_OF_CITY_KM:
        return None
    return _answer(ports[nearest])


def _resolve_bare(key: str, country: str | None, index: PlaceIndex) -> _Result:
    """Resolve a name that says nothing of its kind.

    A crossing town comes first, then a city by its main name, then an airport or seaport
    by name, then a city by one of its alternate names (GeoNames lists "Jorge Chávez" as
    another name of a Peruvian village, and the airport is meant).
    """
    found = _choose(index.crossing_keys.get(key), country)
    if found is not None:
        return found
    city = _resolve_city(key, country, index, alternate=False)
    if city is not None:
        return _answer(city) if isinstance(city, Place) else city
    airports = _in_country(index.airport_names.get(key), country)
    ports = _in_country(index.port_full.get(key), country)
    candidates = list(dict.fromkeys(airports + ports))
    if len(candidates) == 1:
        return _answer(candidates[0])
    if candidates:
        return _AMBIGUOUS
    city = _resolve_city(key, country, index)
    if city is not None:
        return _answer(city) if isinstance(city, Place) else city
    if country is not None:
        return _fuzzy(key, None, country)
    return None


def _fuzzy(key: str, kind: str | None, country: str) -> _Result:
    """Correct a misspelt name against the places of one country, at a high threshold."""
    places = closest_places(key, kind, country)
    if len(places) == 1:
        return _answer(places[0], fuzzy=True)
    return _AMBIGUOUS if places else None


def _choose(candidates: list[Place] | None, country: str | None) -> _Result:
    """Return the one candidate in the country, nothing, or ambiguity when several remain."""
    kept = _in_country(candidates, country)
    if not kept:
        return None
    distinct = list(dict.fromkeys(kept))
    if len(distinct) > 1:
        return _AMBIGUOUS
    return _answer(distinct[0])


def _in_country(candidates: Iterable[Place] | None, country: str | None) -> list[Place]:
    """Keep the candidates that lie in the country (all of them when it is unknown)."""
    if not candidates:
        return []
    if country is None:
        return list(candidates)
    return [place for place in candidates if country in place.countries]


def _only(countries: frozenset[str]) -> str:
    """Return the single country of a city or airport."""
    return next(iter(countries))


def _resolve_city(
    key: str, country: str | None, index: PlaceIndex, *, alternate: bool = True
) -> Place | _Ambiguous | None:
    """Return the most populous city of a name, or ambiguity across countries."""
    indices = index.city_indices(key, country, alternate=alternate)
    if not indices:
        return None
    population = index.city_population
    ranked = sorted(indices, key=lambda position: -population[position])
    top = ranked[0]
    if country is None:
        rivals = [i for i in ranked[1:] if index.city_country[i] != index.city_country[top]]
        if rivals and population[rivals[0]] * _CITY_DOMINANCE >= population[top]:
            return _AMBIGUOUS
    return index.city_place(top)


def _country_point(country: str | None) -> Geocoded | None:
    """Return the capital of a country as its representative point, or None."""
    if country is None:
        return None
    capital = capital_index(country)
    if capital is None:
        return None
    index = load_place_index()
    return Geocoded(
        lat=float(index.city_lat[capital]),
        lon=float(index.city_lon[capital]),
        precision="country",
        location_type=None,
        matched=f"{country} (capital {index.city_name[capital]})",
    )
