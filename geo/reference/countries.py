"""Countries: ISO 3166-1 codes and display names, and a resolver for the names agencies write."""

from __future__ import annotations

import numbers
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA

from geo.paths import REFERENCE_DIR

__all__ = [
    "UNKNOWN",
    "CountryMatch",
    "country_code",
    "country_list",
    "country_match",
    "country_name",
    "is_country_code",
    "load_countries",
]

UNKNOWN = "unknown"

COUNTRIES_FILE = REFERENCE_DIR / "countries.csv"
ALIASES_FILE = REFERENCE_DIR / "country_aliases.csv"

LANGUAGES = ("en", "zh", "es", "fr", "pt")

# Words that state "we do not know the country".  They are compared after the same
# normalisation as names, so accents, case and spacing do not matter.
_UNKNOWN_WORDS = frozenset(
    {
        "unknown",
        "unk",
        "not known",
        "not stated",
        "not specified",
        "unspecified",
        "undetermined",
        "none",
        "null",
        "nan",
        "desconocido",
        "desconocida",
        "no especificado",
        "no determinado",
        "sin dato",
        "sin datos",
        "sin informacion",
        "inconnu",
        "inconnue",
        "non specifie",
        "non precise",
        "indetermine",
        "desconhecido",
        "desconhecida",
        "nao especificado",
        "nao informado",
        "sem informacao",
        "未知",
        "不明",
        "不详",
        "未详",
        "未明",
        "xx",
        "xxx",
        "zz",
        "zzz",
        # Several or other countries: no one country to record.
        "various",
        "various countries",
        "several",
        "several countries",
        "multiple",
        "multiple countries",
        "other",
        "others",
        "unknown country",
        "not applicable",
        "varios",
        "varias",
        "varios paises",
        "diversos",
        "diversas",
        "otros",
        "otro",
        "pais desconocido",
        "divers",
        "plusieurs",
        "plusieurs pays",
        "autres",
        "pays inconnu",
        "varios países",
        "outros",
        "pais desconhecido",
        "多国",
        "多个国家",
        "其他",
        "其他国家",
    }
)

# "Country (qualifier)", "Country [code]", "Country - part", "Country, part": one country
# named with a qualifier, when the whole text is no alias.  Two countries that are each
# other's part name the part: "China - Macao" is Macao.
_QUALIFIED = re.compile(r"^(?P<main>[^()\[\]]+?)\s*[(\[](?P<qualifier>[^()\[\]]*)[)\]]$")
_PARTS = re.compile(r"^(?P<main>[^,]+?)(?:\s*,\s*|\s+[-–—:]\s+)(?P<qualifier>[^,]+)$")
_PARTS_OF = {"CN": frozenset({"HK", "MO", "TW"})}
_FILLER_QUALIFIERS = frozenset(
    {"the", "mainland", "sar", "special administrative region", "rep", "republic", "pr"}
)
# Names shared by several countries: a qualifier that is not a country may tell them apart
# ("Congo (Dem. Rep.)"), so it is never ignored.
_SHARED_NAMES = frozenset({"congo", "korea", "guinea", "sudan", "samoa", "virginislands", "yemen"})

# Abbreviations whose slash carries the meaning: without it "n/a" would read as "NA",
# which is Namibia.
_UNKNOWN_ABBREVIATIONS = frozenset({"n/a", "n/d", "n/k", "n/s", "s/d", "s/i", "n.d.", "s.d."})

# Separators between the countries of one cell.  Strong ones always mean "another
# country"; weak ones also occur inside names ("Trinidad and Tobago", "Korea, Republic
# of", "中华人民共和国"), so the pieces around them are re-joined where that makes a name.
_STRONG_SEPARATOR = re.compile(r"\s*(?:;|\||\n|->|=>|→|>|/)\s*")
_WEAK_SEPARATOR = re.compile(
    r"(\s*[,、，&+]\s*|\s+-\s+|\s+(?:and|y|et|e|und)\s+|[和及与])", re.IGNORECASE
)
_NUMERIC_CODE = re.compile(r"\d{1,3}(?:\.0+)?")
_CODE_WORD = re.compile(r"[A-Z]{2,3}")

# Fuzzy matching only for names this long, so that a short code is never turned into a
# guess; at most one typo below ten letters, two from ten on.
_FUZZY_MIN_LETTERS = 5
_FUZZY_LONG_NAME = 10


@dataclass(frozen=True)
class CountryMatch:
    """The outcome of reading one country value.

    Attributes
    ----------
    code : str or None
        ISO 3166-1 alpha-2 code, or None when the value is unknown or unrecognised.
    unknown : bool
        True when the value states that the country is unknown ("XX", "unknown", "未知"):
        a stated unknown, not an error.
    problem : str or None
        One sentence saying why the value could not be read, when it could not.
    fuzzy : bool
        True when the code was guessed from a misspelling; not part of equality.
    """

    code: str | None
    unknown: bool
    problem: str | None
    fuzzy: bool = field(default=False, compare=False)


_STATED_UNKNOWN = CountryMatch(code=None, unknown=True, problem=None)


@dataclass(frozen=True)
class _Index:
    """Lookup tables built once from the reference files."""

    by_alpha2: dict[str, str]
    by_numeric: dict[str, str]
    by_name: dict[str, str]
    fuzzy_keys: list[str]
    fuzzy_codes: list[str]
    names: dict[str, dict[str, str]]


def _normalise_key(text: str) -> str:
    """Return the lookup key: case, accents, punctuation and spaces removed, any script kept."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if unicodedata.category(char)[0] in "LN")


def _loose_form(text: str) -> str:
    """Return text case-folded, without accents and without spaces, punctuation kept."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(
        char for char in decomposed if not char.isspace() and unicodedata.category(char) != "Mn"
    )


_UNKNOWN_KEYS = frozenset(_normalise_key(word) for word in _UNKNOWN_WORDS)


def _is_stated_unknown_key(key: str) -> bool:
    """Tell whether a normalised key is a pseudo-code or a word for "unknown"."""
    if key in _UNKNOWN_KEYS:
        return True
    if not key.isascii():
        return False
    # ISO 3166 leaves X? for user assignment; ETIS and others use it for regions and
    # "somewhere in Africa".  XK is the one widely used for a country (Kosovo).
    if len(key) == 2 and key[0] == "x" and key != "xk":
        return True
    return len(key) == 3 and key.startswith("xx")


def _read_reference(path: Path) -> pd.DataFrame:
    """Read a reference CSV as text, keeping "NA" (Namibia) as a value."""
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: rebuild it with 'python data/build/country_aliases.py'"
        )
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=1)
def _countries_frame() -> pd.DataFrame:
    """Return countries.csv, read once."""
    return _read_reference(COUNTRIES_FILE)


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Build the lookup tables from countries.csv and country_aliases.csv, once."""
    countries = _countries_frame()
    aliases = _read_reference(ALIASES_FILE)
    by_alpha2: dict[str, str] = {}
    by_numeric: dict[str, str] = {}
    by_name: dict[str, str] = {}
    names: dict[str, dict[str, str]] = {}
    for row in countries.itertuples(index=False):
        by_alpha2[row.iso2.casefold()] = row.iso2
        if row.numeric:
            by_numeric[row.numeric] = row.iso2
        if row.iso3:
            by_name[row.iso3.casefold()] = row.iso2
        names[row.iso2] = {language: getattr(row, f"name_{language}") for language in LANGUAGES}
    fuzzy_pairs: dict[str, str] = {}
    for alias, code in zip(aliases["alias"], aliases["iso2"], strict=True):
        key = _normalise_key(alias)
        if not key:
            continue
        # The build script removed conflicting aliases; first wins keeps a hand edit safe.
        by_name.setdefault(key, code)
        if sum(char.isalpha() for char in key) >= _FUZZY_MIN_LETTERS:
            fuzzy_pairs.setdefault(key, code)
    for key in _UNKNOWN_KEYS:
        if len(key) >= _FUZZY_MIN_LETTERS:
            fuzzy_pairs.setdefault(key, UNKNOWN)
    return _Index(
        by_alpha2=by_alpha2,
        by_numeric=by_numeric,
        by_name=by_name,
        fuzzy_keys=list(fuzzy_pairs),
        fuzzy_codes=list(fuzzy_pairs.values()),
        names=names,
    )


def _unrecognised(text: str, detail: str = "") -> CountryMatch:
    """Return the match for a value that names no known country."""
    return CountryMatch(
        code=None,
        unknown=False,
        problem=f"'{text}' is not a recognised country name or code{detail}",
    )


def _fuzzy_match(text: str, key: str, index: _Index) -> CountryMatch | None:
    """Guess the country of a misspelt name, or None when no single country is close."""
    letters = sum(char.isalpha() for char in key)
    if letters < _FUZZY_MIN_LETTERS:
        return None
    allowed = 1 if letters < _FUZZY_LONG_NAME else 2
    candidates = process.extract(
        key, index.fuzzy_keys, scorer=OSA.distance, score_cutoff=allowed, limit=None
    )
    if not candidates:
        return None
    best = min(distance for _, distance, _ in candidates)
    codes = {
        index.fuzzy_codes[position] for _, distance, position in candidates if distance == best
    }
    if len(codes) > 1:
        close = sorted(index.names[code]["en"] for code in codes if code != UNKNOWN)
        if UNKNOWN in codes:
            close.append("the word 'unknown'")
        listed = ", ".join(close[:-1]) + " and " + close[-1]
        return _unrecognised(text, f" (it is equally close to {listed})")
    code = codes.pop()
    if code == UNKNOWN:
        return _STATED_UNKNOWN
    return CountryMatch(code=code, unknown=False, problem=None, fuzzy=True)


def _lookup(text: str, index: _Index, *, fuzzy: bool) -> CountryMatch:
    """Resolve one stripped, non-empty value against the index."""
    if _loose_form(text) in _UNKNOWN_ABBREVIATIONS:
        return _STATED_UNKNOWN
    if _NUMERIC_CODE.fullmatch(text):
        # Spreadsheets turn numeric codes into numbers: "4" and "4.0" are Afghanistan's 004.
        numeric = text.split(".")[0].zfill(3)
        code = index.by_numeric.get(numeric)
        return CountryMatch(code, False, None) if code else _unrecognised(text)
    key = _normalise_key(text)
    if not key:
        # Only punctuation ("-", "?", "—"): the cell says there is nothing to tell.
        return _STATED_UNKNOWN
    if _is_stated_unknown_key(key):
        return _STATED_UNKNOWN
    code = index.by_alpha2.get(key) if len(key) == 2 else None
    code = code or index.by_name.get(key)
    if code:
        return CountryMatch(code=code, unknown=False, problem=None)
    code = _qualified_code(text, index)
    if code:
        return CountryMatch(code=code, unknown=False, problem=None)
    if fuzzy:
        guess = _fuzzy_match(text, key, index)
        if guess is not None:
            return guess
    return _unrecognised(text)


def _qualified_code(text: str, index: _Index) -> str | None:
    """Read "Brazil (BR)", "China - Macao", "Netherlands (the)": a country and a qualifier."""
    match = _QUALIFIED.match(text) or _PARTS.match(text)
    if match is None:
        return None
    main_text, qualifier = match["main"].strip(), match["qualifier"].strip()
    main = _lookup(main_text, index, fuzzy=False).code if main_text else None
    if main is None:
        return None
    qualifier_key = " ".join(_loose_form(word) for word in qualifier.split()).strip(".")
    if not qualifier or qualifier_key in _FILLER_QUALIFIERS:
        return main
    other = _lookup(qualifier, index, fuzzy=False)
    if other.code == main:
        return main
    if other.code in _PARTS_OF.get(main, ()):
        return other.code
    if main in _PARTS_OF.get(other.code, ()):
        return main
    if other.code is None and not other.unknown and match.re is _QUALIFIED:
        # "Kenya (Mombasa)": a place in the country, unless the name is shared.
        return None if _normalise_key(main_text) in _SHARED_NAMES else main
    return None


@lru_cache(maxsize=100_000)
def _match_text(text: str) -> CountryMatch | None:
    """Resolve one value already turned into text; cached."""
    stripped = " ".join(text.split())
    if not stripped:
        return None
    return _lookup(stripped, _index(), fuzzy=True)


def _as_text(value: object) -> str | None:
    """Turn a cell value into text, or None when the cell is empty."""
    if isinstance(value, str):
        return value
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        raise TypeError(f"a country should be text or a numeric code, got {value!r}")
    # numbers.* rather than int/float, so that numpy scalars from a frame are read too.
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        return str(int(number)) if number.is_integer() else str(number)
    raise TypeError(f"a country should be text or a numeric code, got {type(value)}")


def country_match(text: str | float | None) -> CountryMatch | None:
    """Read one country value: a name in any supported language, or an ISO code.

    Case, accents, punctuation and spaces are ignored.  ISO 3166-1 alpha-2 (any case),
    alpha-3 and numeric codes are read; "NA" is Namibia.  Pseudo-codes ("XX", any "X?"
    but XK, "ZZ", "UNK") and words for unknown ("unknown", "desconocido", "未知", "N/A",
    "-") give a stated unknown.  A misspelt name of five or more letters is matched when
    it is one typo (two from ten letters on) from exactly one country.

    Parameters
    ----------
    text : str, int, float or None
        The cell value; numbers are read as ISO numeric codes.

    Returns
    -------
    CountryMatch or None
        None for an empty value; otherwise the code, a stated unknown, or a problem.

    Raises
    ------
    TypeError
        When the value is neither text, a number nor None.
    """
    value = _as_text(text)
    if value is None:
        return None
    return _match_text(value)


def country_code(text: str | float | None) -> str | None:
    """Return the ISO 3166-1 alpha-2 code of a country value, or None.

    Parameters
    ----------
    text : str, int, float or None
        The cell value, read as by `country_match`.

    Returns
    -------
    str or None
        The code; None when the value is empty, unknown or unrecognised.
    """
    match = country_match(text)
    return match.code if match is not None else None


def _resolve_chunk(chunk: str, index: _Index) -> tuple[list[str], list[str]]:
    """Resolve the part of a cell between strong separators."""
    whole = _lookup(chunk, index, fuzzy=True)
    if whole.code or whole.unknown:
        return ([whole.code] if whole.code else []), []
    # re.split with a capturing group keeps the separators at odd positions.
    pieces = _WEAK_SEPARATOR.split(chunk)
    tokens = [piece.strip() for piece in pieces[0::2]]
    separators = pieces[1::2]
    if len(tokens) == 1:
        return _resolve_code_words(chunk, whole, index)
    codes: list[str] = []
    problems: list[str] = []
    unresolved_start: int | None = None

    def flush(end: int) -> None:
        nonlocal unresolved_start
        if unresolved_start is None:
            return
        text = _join_tokens(tokens, separators, unresolved_start, end)
        if text:
            found, failed = _resolve_code_words(text, _unrecognised(text), index)
            codes.extend(found)
            problems.extend(failed)
        unresolved_start = None

    start = 0
    while start < len(tokens):
        if not tokens[start]:
            start += 1
            continue
        matched_end, match = _longest_name(tokens, separators, start, index)
        if match is None:
            if unresolved_start is None:
                unresolved_start = start
            start += 1
            continue
        flush(start)
        if match.code:
            codes.append(match.code)
        start = matched_end
    flush(len(tokens))
    return codes, problems


def _join_tokens(tokens: list[str], separators: list[str], start: int, end: int) -> str:
    """Rebuild the original text of tokens[start:end] with the separators between them."""
    parts = [tokens[start]]
    for position in range(start + 1, end):
        parts.append(separators[position - 1])
        parts.append(tokens[position])
    return "".join(parts).strip()


def _longest_name(
    tokens: list[str], separators: list[str], start: int, index: _Index
) -> tuple[int, CountryMatch | None]:
    """Find the longest run of tokens from start that reads as one country or an unknown."""
    for end in range(len(tokens), start, -1):
        text = _join_tokens(tokens, separators, start, end)
        if not text:
            continue
        # Joined runs must match exactly: a fuzzy guess over several pieces is too bold.
        match = _lookup(text, index, fuzzy=end - start == 1)
        if match.code or match.unknown:
            return end, match
    return start + 1, None


def _resolve_code_words(
    text: str, failure: CountryMatch, index: _Index
) -> tuple[list[str], list[str]]:
    """Read "CN LA VN" (codes separated by spaces only), else report the failure."""
    words = text.split()
    if len(words) > 1 and all(_CODE_WORD.fullmatch(word) for word in words):
        matches = [_lookup(word, index, fuzzy=False) for word in words]
        if all(match.code or match.unknown for match in matches):
            return [match.code for match in matches if match.code], []
    return [], [failure.problem] if failure.problem else []


@lru_cache(maxsize=100_000)
def _list_text(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Resolve a cell that may hold several countries; cached."""
    stripped = text.strip()
    if not stripped:
        return (), ()
    index = _index()
    chunks = [" ".join(chunk.split()) for chunk in _STRONG_SEPARATOR.split(stripped)]
    if len(chunks) > 1 and _lookup(" ".join(stripped.split()), index, fuzzy=False).unknown:
        return (), ()  # "n/a", "s/d": the slash belongs to the abbreviation
    codes: list[str] = []
    problems: list[str] = []
    for chunk in chunks:
        if not chunk:
            continue
        found, failed = _resolve_chunk(chunk, index)
        for code in found:
            if code not in codes:
                codes.append(code)
        problems.extend(failed)
    return tuple(codes), tuple(problems)


def country_list(text: str | float | None) -> tuple[list[str], list[str]]:
    """Read a cell that may name several countries, such as a transit route.

    The cell is split on ";", "/", "|", "->", "→" and ">", which never occur inside a
    name.  Each part is first read whole, so "Hong Kong, China" and "Korea, Republic of"
    stay one country; only when that fails is it split on ",", "、", "，", "&", " - " and
    the words for "and" (and, y, et, e, und, 和, 及, 与), re-joining neighbouring pieces
    where together they make one name ("Trinidad and Tobago and Guyana").

    Parameters
    ----------
    text : str, int, float or None
        The cell value.

    Returns
    -------
    tuple of (list of str, list of str)
        The ISO alpha-2 codes in order of appearance without repeats, and one sentence
        per part that could not be read.  Stated unknowns ("XX", "unknown") are dropped
        without a problem.
    """
    value = _as_text(text)
    if value is None:
        return [], []
    codes, problems = _list_text(value)
    return list(codes), list(problems)


def country_name(code: str, language: str = "en") -> str:
    """Return the display name of a country in one of the supported languages.

    Parameters
    ----------
    code : str
        ISO 3166-1 alpha-2 code, any case.
    language : str, default "en"
        "en", "zh", "es", "fr" or "pt"; regional forms such as "zh_CN" or "pt-BR" are
        read by their language.  Any other language gives the English name.

    Returns
    -------
    str
        The display name; the code itself, unchanged, when it is not a country code.
    """
    names = _index().names.get(code.strip().upper()) if isinstance(code, str) else None
    if names is None:
        return code
    base = language.replace("-", "_").split("_")[0].casefold()
    return names.get(base) or names["en"]


def load_countries() -> pd.DataFrame:
    """Return the country table, one row per ISO 3166-1 country (and Kosovo, XK).

    Returns
    -------
    pandas.DataFrame
        Text columns iso2, iso3, numeric (three digits), name_en, name_zh, name_es,
        name_fr, name_pt; a copy, so callers may change it.
    """
    return _countries_frame().copy()


def is_country_code(code: str) -> bool:
    """Tell whether a value is an upper-case ISO 3166-1 alpha-2 code in the country table.

    Parameters
    ----------
    code : str
        The value to check, as stored in a record.

    Returns
    -------
    bool
        True for "LA" or "NA"; False for "la", "XX", "UK" or anything that is not text.
    """
    return isinstance(code, str) and code.isupper() and code.casefold() in _index().by_alpha2
