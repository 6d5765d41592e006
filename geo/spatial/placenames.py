"""Reading place names: the key a name is looked up by, and the kinds of place a text states.

Names are compared by key: case-folded, without accents, punctuation or spaces ("Lào Cai" and
"LAO CAI" are both ``laocai``).  A location text is read for the kinds of place its words state
(airport, aeropuerto, 机场; port, puerto de, 港; border, cửa khẩu, 口岸; mail, 邮件; market,
市场), which are dropped from the name it is looked up by, and for a country it names exactly
(from ``data/reference/country_aliases.csv``).  The places themselves are indexed by
:mod:`geo.spatial.place_index`; which place a text means is decided by
:mod:`geo.spatial.geocode`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from geo.reference.countries import ALIASES_FILE as _COUNTRY_ALIASES_FILE

__all__ = [
    "AIRPORT",
    "ANY_PORT",
    "CJK",
    "LAND_BORDER",
    "SEAPORT",
    "PlaceText",
    "airport_name_variants",
    "country_named",
    "name_key",
    "read_place_text",
]

AIRPORT = "airport"
SEAPORT = "seaport"
LAND_BORDER = "land_border"
_MAIL_CENTRE = "mail_centre"
_MARKET = "market"
# "port" alone names a seaport or a land port of entry (Mohan port, 磨憨口岸 in English).
ANY_PORT = "port"

# Chinese characters (CJK Unified Ideographs and compatibility ideographs).
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

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
    ("san", "bay"): AIRPORT,
    ("cua", "khau"): LAND_BORDER,
    ("border", "post"): LAND_BORDER,
    ("check", "point"): LAND_BORDER,
    ("one", "stop"): LAND_BORDER,
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
    ("国际机场", AIRPORT),
    ("國際機場", AIRPORT),
    ("机场", AIRPORT),
    ("機場", AIRPORT),
    ("空港", AIRPORT),
    ("口岸", LAND_BORDER),
    ("边境", LAND_BORDER),
    ("邊境", LAND_BORDER),
    ("关口", LAND_BORDER),
    ("關口", LAND_BORDER),
    ("检查站", LAND_BORDER),
    ("港口", SEAPORT),
    ("码头", SEAPORT),
    ("碼頭", SEAPORT),
    ("港区", SEAPORT),
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
_NAME_PART_SEPARATORS = re.compile(r" - |/|\(|\)|,")


@dataclass(frozen=True)
class PlaceText:
    """A location text read for matching.

    Attributes
    ----------
    key : str
        The text normalised (case-folded, no accents or punctuation), without spaces.
    named : str
        The same without words for kinds of place and generic words ("customs", "terminal").
    stripped : str
        The same without articles either ("Puerto de Callao" gives ``callao``).
    signals : frozenset of str
        The kinds of place the words state: ``airport``, ``seaport``, ``port`` (a seaport or
        a land port of entry), ``land_border``, ``mail_centre``, ``market``.
    """

    key: str
    named: str
    stripped: str
    signals: frozenset[str]


def name_key(text: str) -> str:
    """Return the lookup key of a name: case-folded, without accents, punctuation or spaces.

    Parameters
    ----------
    text : str
        A place name in any script.

    Returns
    -------
    str
        The key, e.g. ``"laocai"`` for "Lào Cai"; empty when the name has no letters or digits.
    """
    # The short path gives the same key for plain ASCII, and most GeoNames names are.
    if text.isascii():
        return text.lower().translate(_ASCII_NON_WORD)
    return _NON_WORD.sub("", _fold(text))


@lru_cache(maxsize=200_000)
def read_place_text(text: str) -> PlaceText:
    """Read a text: its key, its key without kind words and filler, and the kinds it states.

    Parameters
    ----------
    text : str
        A location text as an agency wrote it ("Port of Mombasa", "磨憨口岸").

    Returns
    -------
    PlaceText
        The keys and signals; "International" alone counts as a word for airport
        ("Nairobi International") unless another word says port or border.
    """
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
            signals.add(AIRPORT)
        elif word in _INTERNATIONAL_WORDS:
            signals.add("international")
        elif word in _SEAPORT_WORDS:
            signals.add(SEAPORT)
        elif word in _PORT_WORDS:
            signals.add(ANY_PORT)
        elif word in _BORDER_WORDS:
            signals.add(LAND_BORDER)
        elif word in _MAIL_WORDS:
            signals.add(_MAIL_CENTRE)
        elif word in _MARKET_WORDS:
            signals.add(_MARKET)
        elif word not in _GENERIC_WORDS:
            if CJK.search(word):
                word = _strip_cjk_signals(word, signals)
            if word:
                named.append(word)
        position += 1
    # "International" alone hints at an airport ("Nairobi International") unless another
    # word says port or border ("Boten international border gate").
    if "international" in signals:
        signals.discard("international")
        if not signals:
            signals.add(AIRPORT)
    # Articles left at either end belonged to the dropped words ("Port of ...").
    while named and named[0] in _ARTICLE_WORDS:
        named.pop(0)
    while named and named[-1] in _ARTICLE_WORDS:
        named.pop()
    return PlaceText(
        key="".join(words),
        named="".join(named),
        stripped="".join(word for word in named if word not in _ARTICLE_WORDS),
        signals=frozenset(signals),
    )


def airport_name_variants(name: str, city: str) -> set[str]:
    """Return the keys an airport's name may be written as, without airport words.

    Parameters
    ----------
    name : str
        The airport's name, e.g. "Shanghai Pudong International Airport".
    city : str
        The city it serves, e.g. "Shanghai"; may be empty.

    Returns
    -------
    set of str
        Keys of three characters or more: the example gives "shanghaipudong", "pudong" and
        "pudongshanghai"; each part of "Guarulhos - Governador Andre Franco Montoro
        International Airport" gives its own keys.
    """
    city_words = _normalise(city).split()
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


def country_named(text: str, *, codes: bool = True) -> str | None:
    """Return the country a text names exactly, or None.

    Spelling is not corrected: a misspelt place name must not read as a country.

    Parameters
    ----------
    text : str
        A location text or part of one.
    codes : bool, default True
        Whether a text in capitals may be an ISO alpha-3 code ("KEN"); a country's name or
        abbreviation ("USA", "LAO", "UAE") always counts.

    Returns
    -------
    str or None
        The ISO 3166-1 alpha-2 code, from the names of ``country_aliases.csv``.
    """
    key = name_key(text)
    names, alpha3 = _country_keys()
    found = names.get(key)
    if found is None and codes and text.isupper():
        found = alpha3.get(key)
    return found


def _normalise(text: str) -> str:
    """Return text case-folded, without accents or punctuation, words separated by a space."""
    return " ".join(_NON_WORD.sub(" ", _fold(text)).split())


def _fold(text: str) -> str:
    """Return text case-folded and without accents; đ and the like become plain letters."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_LETTER_FOLDS)
    return text if text.isascii() else _COMBINING_MARKS.sub("", text)


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
        signals.add(SEAPORT)
    return word


@lru_cache(maxsize=1)
def _country_keys() -> tuple[dict[str, str], dict[str, str]]:
    """Read the country names and alpha-3 codes of ``country_aliases.csv``, by lookup key."""
    aliases = pd.read_csv(_COUNTRY_ALIASES_FILE, dtype=str, keep_default_na=False)
    names: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    for row in aliases.itertuples(index=False):
        table = alpha3 if row.source == "iso_alpha3" else names
        key = name_key(row.alias)
        if len(key) >= 3:
            table.setdefault(key, row.iso2)
    return names, alpha3


def _without_sequence(words: list[str], sequence: list[str]) -> list[str]:
    """Return words with the first run equal to sequence removed."""
    size = len(sequence)
    if not size:
        return words
    for start in range(len(words) - size + 1):
        if words[start : start + size] == sequence:
            return words[:start] + words[start + size :]
    return words
