"""Species and commodities: the taxon reference, CITES appendices and a name matcher."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from geo.paths import REFERENCE_DIR
from geo.schema import COMMODITY_CODES

__all__ = [
    "LANGUAGES",
    "TaxonMatch",
    "commodity_name",
    "common_name",
    "load_commodities",
    "load_product_aliases",
    "load_species",
    "match_commodity",
    "match_taxa",
    "match_taxon",
    "taxon_info",
]

SPECIES_FILE = REFERENCE_DIR / "species.csv"
COMMODITIES_FILE = REFERENCE_DIR / "commodities.csv"
PRODUCT_ALIASES_FILE = REFERENCE_DIR / "product_aliases.csv"

# The languages the two tables give names in, each in a column ``names_<language>``.
LANGUAGES = ("en", "zh", "es", "fr", "pt", "lo")
# The names the matcher reads. Lao names are for display only: _normalise drops Lao tone
# marks and splits words at vowel signs, so ໝີ (bear) and ໝູ (pig) would read the same.
MATCHED_LANGUAGES = ("en", "zh", "es", "fr", "pt")
NAME_COLUMNS = tuple(f"names_{language}" for language in MATCHED_LANGUAGES)
ALL_NAME_COLUMNS = tuple(f"names_{language}" for language in LANGUAGES)
SPECIES_COLUMNS = (
    "taxon",
    "rank",
    "family",
    "order",
    "class",
    "taxon_group",
    "cites_appendix",
    *ALL_NAME_COLUMNS,
)

# Scores reported in TaxonMatch.score.
EXACT_SCORE = 100.0
SPECIES_IN_TEXT_SCORE = 95.0
PHRASE_IN_TEXT_SCORE = 90.0

# A ratio of 88 lets one dropped or doubled letter through in a binomial ("Psitacus") and one
# wrong letter only in names of nine letters or more, so distinct short names never collide.
FUZZY_THRESHOLD = 88
FUZZY_MIN_LENGTH = 5
FUZZY_MAX_LENGTH = 200
# Descriptions can be long; past this only the opening is searched, which keeps a
# pathological cell from costing more than a millisecond or two.
MAX_TEXT_LENGTH = 2000
MAX_TAXON_LENGTH = 200
# Contained-phrase matching: Latin-script names shorter than this ("boa", "ipe", "oud") are too
# likely to be a fragment of something else, so they only match a whole cell.
MIN_CONTAINED_LATIN = 4
MIN_CONTAINED_TERM = 3
# Cells with more words than this are read as prose: only the taxa they name are kept.
PROSE_WORDS = 8

_SCIENTIFIC, _PRODUCT, _COMMON, _VARIANT = range(4)
_RANK_LEVELS = {
    rank: level
    for level, rank in enumerate(
        (
            "subspecies",
            "species",
            "genus",
            "family",
            "infraorder",
            "suborder",
            "order",
            "superorder",
            "class",
        )
    )
}

# Cell values that mean "nothing given": no match at all, rather than an unknown taxon.
_BLANKS = frozenset({"", "-", "--", "—", "–", "?", "n/a", "n.a.", "na", "nan", "none", "null", "/"})

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"})
_NON_WORD = re.compile(r"[\W_]+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_TOKEN = re.compile(r"\S+")
_LATIN_WORD = re.compile(r"[a-z]+")

_SEPARATORS = re.compile(
    r"\s*(?:[;；/+|、，,&\n]|\s(?:and|y|e|et|or|o|ou)\s|以及|及|与|與)\s*", re.IGNORECASE
)
_OPENING = "([{（【「《"
_CLOSING = ")]}）】」》"
_SCIENTIFIC_NAME = re.compile(r"^[A-Z][a-z]+(?: [a-z]{3,}){1,2}(?:\s*[,(].*)?$")
_ABBREVIATED_BINOMIAL = re.compile(r"^([A-Z])\.\s*([a-z]{3,}\b.*)$")
_BINOMIAL_START = re.compile(r"^([A-Z][a-z]+)\s+[a-z]")
# "Leopard (Panthera pardus)": a name with another name of the same taxon in brackets.
_BRACKETED_NAME = re.compile(r"^([^()（）]+?)\s*[(（]([^()（）]+)[)）]$")
_CITED_BINOMIAL = re.compile(
    r"^([A-Z][a-z]+(?: [a-z]{3,}){1,2}),?\s+\(?[A-Z][^()\d]*,?\s*\d{4}\)?$"
)

# Second words that do not make a binomial ("Manis spp.", "Python skins" is handled apart).
_NOT_EPITHETS = frozenset(
    {"sp", "spp", "ssp", "subsp", "species", "cf", "aff", "var", "hybrid", "indet", "nov"}
)
# Filler around a taxon in a cell ("12 bags of pangolin scales"); a part of a cell made of
# these, numbers and trade terms only does not name a taxon.
_FILLER_WORDS = frozenset(
    "d l of de del des du la le les el los las lo do da dos das the a an and y e et ou or o in "
    "en with con avec com from para por pour kg g t kgs pcs pc pieces piece pieza piezas pieces "
    "pecas unidades units bags bag sacos sacs bolsas boxes box cajas cartons items "
    "seized smuggled confiscated dried dry raw whole frozen fresh approx about total "
    "incautado incautados incautada incautadas decomisado decomisados secos secas seco seca "
    "saisi saisie saisis saisies seche seches sechees brut apreendido apreendidos apreendida "
    "apreendidas".split()
)
# The same in Chinese (seized, smuggled, customs, a batch of, counters and weights), removed
# from what is left around a Chinese name before deciding whether it names anything else.
_FILLER_CJK = tuple(
    sorted(
        "走私 查获 查獲 截获 截獲 缴获 繳獲 海关 海關 一批 涉嫌 非法 进口 進口 出口 入境 出境 "
        "携带 攜帶 旅客 邮包 郵包 快件 公斤 千克 其中 干 乾 冻 凍 共 约 約 批 只 头 頭 条 條 "
        "件 个 個 袋 箱 克 吨 噸 斤 的 和 及 与 與 等".split(),
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True)
class TaxonMatch:
    """How a written taxon or product name was read.

    Attributes
    ----------
    taxon : str
        The reference scientific name, or the cleaned input text when the taxon is unknown.
    taxon_group : str
        From the species table; ``"unknown"`` when not found (for a species of a known genus,
        the genus's group).
    cites_appendix : str or None
        ``"I"``, ``"II"``, ``"III"`` or ``"none"``; None when unknown.
    commodity : str or None
        The CITES trade-term code the text implies (a product alias, or trade-term words in it).
    known : bool
        Whether the taxon is in the species reference.
    score : float
        100 for an exact match, 95 or 90 for a name found inside a longer text, the similarity
        ratio for a fuzzy match, 0 when unknown.
    warning : str or None
        One sentence when the text was not in the reference, was fuzzy-corrected, or named a
        known taxon among other words in a short cell ("sea lion" read from "lion").
    """

    taxon: str
    taxon_group: str
    cites_appendix: str | None
    commodity: str | None
    known: bool
    score: float
    warning: str | None


@dataclass(frozen=True)
class _Entry:
    """One spelling in the vocabulary: the taxon it names and the commodity it implies."""

    taxon: str
    commodity: str | None
    priority: int


@dataclass(frozen=True)
class _Hit:
    """A vocabulary phrase found inside a text, as a character span of the normalised text."""

    start: int
    end: int
    value: object
    priority: int


@dataclass
class _Index:
    """Phrases for contained matching: Latin ones by word n-grams, CJK ones by substring."""

    latin: dict[str, object]
    cjk: dict[str, object]
    max_words: int
    max_cjk: int


@dataclass
class _Reference:
    """Everything read from the three CSV files, prepared once for matching."""

    species: pd.DataFrame
    commodities: pd.DataFrame
    aliases: pd.DataFrame
    rows: dict[str, dict]
    vocabulary: dict[str, _Entry]
    taxon_index: _Index
    fuzzy_keys: list[str]
    genera: dict[str, tuple[str, str]]
    commodity_names: dict[str, str]
    commodity_index: _Index
    commodity_fuzzy_keys: list[str]


def _normalise(text: str) -> str:
    """Fold case, accents, punctuation and spacing so that spellings compare equal."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def _has_cjk(text: str) -> bool:
    return _CJK_RUN.search(text) is not None


def _split_names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split("|") if name.strip()]


def _read_csv(path, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{path} lacks the column(s) {missing}; found {list(frame.columns)}")
    return frame


def _add(vocabulary: dict[str, _Entry], key: str, entry: _Entry) -> None:
    # The first spelling of a priority wins: the table lists the specific before the general.
    if not key:
        return
    current = vocabulary.get(key)
    if current is None or entry.priority < current.priority:
        vocabulary[key] = entry


def _plural(name: str) -> str | None:
    """Return a naive plural of a Latin-script name ("grey parrot" -> "grey parrots"), or None."""
    if _has_cjk(name) or not name or not name[-1].isalpha() or name[-1] in "sxz":
        return None
    return name + "s"


def _build_index(phrases: dict[str, object], min_latin: int, min_cjk: int) -> _Index:
    latin: dict[str, object] = {}
    cjk: dict[str, object] = {}
    for key, value in phrases.items():
        if _has_cjk(key):
            if len(key) >= min_cjk:
                cjk[key] = value
        elif len(key) >= min_latin:
            latin[key] = value
    return _Index(
        latin=latin,
        cjk=cjk,
        max_words=max((len(key.split()) for key in latin), default=1),
        max_cjk=max((len(key) for key in cjk), default=1),
    )


def _vocabulary(species: pd.DataFrame, aliases: pd.DataFrame) -> dict[str, _Entry]:
    vocabulary: dict[str, _Entry] = {}
    abbreviations: dict[str, set[str]] = {}
    for row in species.itertuples(index=False):
        taxon = row.taxon
        key = _normalise(taxon)
        _add(vocabulary, key, _Entry(taxon, None, _SCIENTIFIC))
        first = key.split()[0]
        if row.rank == "genus":
            for form in (first, f"{first} sp", f"{first} spp", f"{first} species"):
                _add(vocabulary, form, _Entry(taxon, None, _VARIANT))
        elif row.rank == "species":
            words = key.split()
            abbreviations.setdefault(f"{words[0][0]} {words[1]}", set()).add(taxon)
        else:
            for form in (f"{key} sp", f"{key} spp"):
                _add(vocabulary, form, _Entry(taxon, None, _VARIANT))
        for column in NAME_COLUMNS:
            for name in _split_names(getattr(row, column)):
                _add(vocabulary, _normalise(name), _Entry(taxon, None, _COMMON))
                plural = _plural(name)
                if plural:
                    _add(vocabulary, _normalise(plural), _Entry(taxon, None, _VARIANT))
    for short, taxa in abbreviations.items():
        if len(taxa) == 1:
            _add(vocabulary, short, _Entry(next(iter(taxa)), None, _VARIANT))
    for row in aliases.itertuples(index=False):
        _add(vocabulary, _normalise(row.alias), _Entry(row.taxon, row.commodity, _PRODUCT))
    return vocabulary


def _genera(species: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Genus (normalised) -> (genus as written, taxon group), from species and genus rows."""
    genera: dict[str, tuple[str, str]] = {}
    for row in species.itertuples(index=False):
        if row.rank in ("species", "subspecies", "genus"):
            genus = row.taxon.split()[0]
            genera.setdefault(_normalise(genus), (genus, row.taxon_group))
    return genera


@lru_cache(maxsize=1)
def _reference() -> _Reference:
    species = _read_csv(SPECIES_FILE, SPECIES_COLUMNS)
    commodities = _read_csv(COMMODITIES_FILE, ("code", *ALL_NAME_COLUMNS))
    aliases = _read_csv(PRODUCT_ALIASES_FILE, ("alias", "language", "taxon", "commodity"))
    rows = {row["taxon"]: row for row in species.to_dict("records")}
    vocabulary = _vocabulary(species, aliases)

    commodity_names: dict[str, str] = {}
    exact_only: set[str] = set()
    for row in commodities.itertuples(index=False):
        for column in NAME_COLUMNS:
            for name in _split_names(getattr(row, column)):
                key = _normalise(name)
                commodity_names.setdefault(key, row.code)
                # "other", "unknown" and the like name no product inside a longer text.
                if row.code == "UNK":
                    exact_only.add(key)
    return _Reference(
        species=species,
        commodities=commodities,
        aliases=aliases,
        rows=rows,
        vocabulary=vocabulary,
        taxon_index=_build_index(vocabulary, MIN_CONTAINED_LATIN, 2),
        fuzzy_keys=[
            key for key in vocabulary if len(key) >= FUZZY_MIN_LENGTH and not _has_cjk(key)
        ],
        genera=_genera(species),
        commodity_names=commodity_names,
        commodity_index=_build_index(
            {key: code for key, code in commodity_names.items() if key not in exact_only},
            MIN_CONTAINED_TERM,
            1,
        ),
        commodity_fuzzy_keys=[
            key
            for key in commodity_names
            if len(key) >= FUZZY_MIN_LENGTH and not _has_cjk(key) and key not in exact_only
        ],
    )


def _find(key: str, index: _Index, min_cjk: int = 1) -> list[_Hit]:
    """Every indexed phrase inside ``key``: whole words for Latin script, substrings for CJK."""
    hits: list[_Hit] = []
    tokens = [(match.start(), match.end()) for match in _TOKEN.finditer(key)]
    for first in range(len(tokens)):
        for last in range(first, min(first + index.max_words, len(tokens))):
            phrase = key[tokens[first][0] : tokens[last][1]]
            if phrase in index.latin:
                value = index.latin[phrase]
                hits.append(_Hit(tokens[first][0], tokens[last][1], value, _priority(value)))
    for run in _CJK_RUN.finditer(key):
        text = run.group()
        for start in range(len(text)):
            longest = min(index.max_cjk, len(text) - start)
            for length in range(max(min_cjk, 1), longest + 1):
                value = index.cjk.get(text[start : start + length])
                if value is not None:
                    begin = run.start() + start
                    hits.append(_Hit(begin, begin + length, value, _priority(value)))
    return hits


def _priority(value: object) -> int:
    return value.priority if isinstance(value, _Entry) else 0


def _best(hits: list[_Hit]) -> _Hit | None:
    """Pick the longest hit; on a tie the higher-priority spelling, then the earliest."""
    if not hits:
        return None
    return min(hits, key=lambda hit: (-(hit.end - hit.start), hit.priority, hit.start))


def _leftover(key: str, hit: _Hit) -> str:
    return " ".join((key[: hit.start] + " " + key[hit.end :]).split())


def _rank_level(taxon: str) -> int:
    return _RANK_LEVELS.get(_reference().rows[taxon]["rank"], len(_RANK_LEVELS))


def _taxon_hit(key: str) -> _Hit | None:
    """Find the taxon named inside a text: the longest phrase, made more specific if it can.

    A product phrase names a broad taxon ("aletas de tiburón" is the sharks); when a finer
    name overlaps it ("aletas de tiburón sedoso", "escamas de pangolín gigante") the finer
    taxon is kept with the product's commodity.
    """
    hits = _find(key, _reference().taxon_index, min_cjk=2)
    best = _best(hits)
    if best is None or best.priority != _PRODUCT:
        return best
    rows = _reference().rows
    group = rows[best.value.taxon]["taxon_group"]
    level = _rank_level(best.value.taxon)
    finer = [
        hit
        for hit in hits
        if hit.priority != _PRODUCT
        and hit.start < best.end
        and best.start < hit.end
        and rows[hit.value.taxon]["taxon_group"] == group
        and _rank_level(hit.value.taxon) < level
    ]
    chosen = _best(finer)
    if chosen is None:
        return best
    return _Hit(
        min(best.start, chosen.start),
        max(best.end, chosen.end),
        _Entry(chosen.value.taxon, best.value.commodity, _PRODUCT),
        _PRODUCT,
    )


def _commodity_near(key: str, start: int, end: int) -> str | None:
    """Find the trade term written next to a name, with only filler between them.

    "Pointes d'ivoire dissimulées sous des grumes" is tusks, not logs: the term beside the
    name says what the product is; another term further on is usually part of the story.
    """
    nearest: tuple[int, int, str] | None = None
    for hit in _find(key, _reference().commodity_index):
        if hit.start < end and start < hit.end:
            continue
        gap = key[hit.end : start] if hit.end <= start else key[end : hit.start]
        single = hit.end - hit.start == 1 and _has_cjk(key[hit.start : hit.end])
        if (single and gap) or not _names_nothing(gap):
            continue
        rank = (len(gap), -(hit.end - hit.start), hit.value)
        if nearest is None or rank < nearest:
            nearest = rank
    return nearest[2] if nearest else None


def _commodity_in(key: str) -> str | None:
    """Find the trade term named inside a normalised text, longest first.

    Single Chinese characters (皮 skin, 骨 bone) count only when they are most of what is
    left, since they also occur inside unrelated words.
    """
    if not key:
        return None
    reference = _reference()
    if key in reference.commodity_names:
        return reference.commodity_names[key]
    short = len(key.replace(" ", "")) <= 2
    hits = [
        hit
        for hit in _find(key, reference.commodity_index)
        if short or hit.end - hit.start > 1 or not _has_cjk(key[hit.start : hit.end])
    ]
    best = _best(hits)
    return best.value if best else None


def _row_match(
    entry_taxon: str, commodity: str | None, score: float, warning: str | None = None
) -> TaxonMatch:
    row = _reference().rows[entry_taxon]
    return TaxonMatch(
        taxon=entry_taxon,
        taxon_group=row["taxon_group"],
        cites_appendix=row["cites_appendix"],
        commodity=commodity,
        known=True,
        score=score,
        warning=warning,
    )


def _shown(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def _shown_taxon(text: str) -> str:
    # No taxon name is this long: a longer cell is prose, and the record keeps the cell.
    return text if len(text) <= MAX_TAXON_LENGTH else text[: MAX_TAXON_LENGTH - 1] + "…"


def _is_epithet(word: str) -> bool:
    reference = _reference()
    return (
        _LATIN_WORD.fullmatch(word) is not None
        and len(word) >= 3
        and word not in _NOT_EPITHETS
        and word not in _FILLER_WORDS
        and word not in reference.commodity_names
    )


def _genus_fallback(cleaned: str, key: str, commodity: str | None) -> TaxonMatch | None:
    """Read a species of a genus the table knows: keep the name, take the genus's group."""
    words = key.split()
    genus = _reference().genera.get(words[0]) if words else None
    if genus is None or (len(words) > 1 and not _is_epithet(words[1])):
        return None
    written, group = genus
    # Keep the epithets, not an author or a trade term after them ("Crocodylus johnstoni
    # Krefft"); a source written in capitals still gives "Genus epithet".
    kept = [written]
    for part in cleaned.split()[1:3]:
        if not part.isalpha() or (part[0].isupper() and not cleaned.isupper()):
            break
        if not _is_epithet(_normalise(part)):
            break
        kept.append(part.lower())
    taxon = " ".join(kept)
    return TaxonMatch(
        taxon=taxon,
        taxon_group=group,
        cites_appendix=None,
        commodity=commodity,
        known=False,
        score=0.0,
        warning=(
            f"taxon '{_shown(cleaned)}' is not in the species reference; taxon group "
            f"'{group}' taken from the genus {written}, CITES appendix left blank"
        ),
    )


def _clean(text: object) -> str | None:
    """Return the cell as text with its spacing collapsed, or None for a blank value."""
    if text is None:
        return None
    if isinstance(text, float) and math.isnan(text):
        return None
    if text is pd.NA or text is pd.NaT:
        return None
    cleaned = " ".join(str(text).split())
    if cleaned.casefold() in _BLANKS:
        return None
    return cleaned


def match_taxon(text: str) -> TaxonMatch | None:
    """Read one written taxon or product name against the species reference.

    Tried in order: an exact match on a scientific name (genus forms such as "Manis sp." or a
    bare "Manis" read as "Manis spp."), a common name in English, Chinese, Spanish, French or
    Portuguese, or a product alias ("pangolin scales", "象牙"); a known name with only
    numbers, filler and trade terms around it ("12 bags of pangolin scales", "走私穿山甲鳞片");
    a fuzzy match for misspellings ("Manis javinica"); a known binomial followed by a
    subspecies or author; a species of a genus the table knows (kept, with the genus's group);
    the longest known name or product phrase inside a longer text. Comparison ignores case,
    accents, punctuation and spacing. Results are cached per distinct text.

    Parameters
    ----------
    text : str
        One cell value.

    Returns
    -------
    TaxonMatch or None
        None for an empty cell or a stated blank ("-", "n/a"); otherwise a match, with
        ``known=False``, taxon group ``"unknown"`` and a warning when the taxon is not in the
        reference. Never raises on odd input.
    """
    cleaned = _clean(text)
    if cleaned is None:
        return None
    return _match_taxon_cached(cleaned)


@lru_cache(maxsize=65536)
def _match_taxon_cached(cleaned: str) -> TaxonMatch | None:
    reference = _reference()
    key = _normalise(cleaned[:MAX_TEXT_LENGTH])
    if not key:
        return None
    vocabulary = reference.vocabulary
    cited = _CITED_BINOMIAL.match(cleaned)
    for candidate in (key, _normalise(cited.group(1)) if cited else ""):
        entry = vocabulary.get(candidate)
        if entry is not None:
            return _row_match(entry.taxon, entry.commodity, EXACT_SCORE)

    # A known name with nothing around it but numbers, filler and trade terms ("12 bags of
    # pangolin scales", "Psittacus erithacus, live") is read as is, before any fuzzy guess.
    best = _taxon_hit(key)
    rest = _leftover(key, best) if best is not None else key
    if best is not None and _names_nothing(rest):
        return _phrase_match(key, best, rest)

    corrected = _fuzzy_match(cleaned, key)
    if corrected is not None:
        return corrected

    words = key.split()
    binomial = len(words) >= 2 and words[0] in reference.genera and _is_epithet(words[1])
    if binomial:
        # "Panthera tigris altaica", "Manis javanica Desmarest 1822 (holotype)"
        for size in range(min(len(words), 4), 1, -1):
            phrase = " ".join(words[:size])
            entry = vocabulary.get(phrase)
            if entry is not None and entry.priority == _SCIENTIFIC:
                commodity = (
                    _commodity_near(key, 0, len(phrase))
                    or entry.commodity
                    or _commodity_in(" ".join(words[size:]))
                )
                return _row_match(entry.taxon, commodity, SPECIES_IN_TEXT_SCORE)

    # In "Python molurus" or "Cuora galbinifrons" only the genus is known: keeping the
    # species with its genus's group says more than "Pythonidae" or "Cuora spp." would.
    genus_only = best is not None and best.start == 0 and best.end == len(words[0])
    if best is not None and not (binomial and genus_only):
        warning = None
        if len(words) <= PROSE_WORDS:
            # In a short cell the other words may change the animal ("sea lion", "leopard
            # seal"), so say what was read; in prose they are only the story around it.
            phrase = key[best.start : best.end]
            warning = (
                f"taxon '{_shown(cleaned)}' read as '{best.value.taxon}' from the words "
                f"'{phrase}'; the rest is not in the species reference"
            )
        return _phrase_match(key, best, rest, warning)

    commodity = _commodity_in(key)
    if _has_cjk(key):
        # A one-character name beside a trade term or a counter: "活体龟" (live turtles).
        residue = " ".join(_cjk_residue(word) for word in key.split()).split()
        if len(residue) == 1 and residue[0] in vocabulary:
            entry = vocabulary[residue[0]]
            return _row_match(entry.taxon, commodity or entry.commodity, PHRASE_IN_TEXT_SCORE)
    fallback = _genus_fallback(cleaned, key, commodity)
    if fallback is not None:
        return fallback
    return TaxonMatch(
        taxon=cited.group(1) if cited else _shown_taxon(cleaned),
        taxon_group="unknown",
        cites_appendix=None,
        commodity=commodity,
        known=False,
        score=0.0,
        warning=(
            f"taxon '{_shown(cleaned)}' is not in the species reference; kept with taxon "
            "group 'unknown'"
        ),
    )


def _phrase_match(key: str, hit: _Hit, rest: str, warning: str | None = None) -> TaxonMatch:
    """Read a taxon named inside a longer text, with the commodity the words imply.

    A trade term right beside the name ("红木原木", "rhino horn powder") beats the product
    alias's own commodity, which beats a trade term elsewhere in the text.
    """
    entry = hit.value
    score = SPECIES_IN_TEXT_SCORE if entry.priority == _SCIENTIFIC else PHRASE_IN_TEXT_SCORE
    commodity = _commodity_near(key, hit.start, hit.end) or entry.commodity or _commodity_in(rest)
    return _row_match(entry.taxon, commodity, score, warning)


def _fuzzy_match(cleaned: str, key: str) -> TaxonMatch | None:
    """Correct a misspelt name ("Manis javinica", "pangolin scals"), ignoring filler words."""
    core, extras = _split_extras(key)
    if not FUZZY_MIN_LENGTH <= len(core) <= FUZZY_MAX_LENGTH or _has_cjk(core):
        return None
    reference = _reference()
    candidates = process.extract(
        core,
        reference.fuzzy_keys,
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=FUZZY_THRESHOLD,
        limit=5,
    )
    for choice, score, _ in candidates:
        if not _plausible_correction(core, choice):
            continue
        entry = reference.vocabulary[choice]
        warning = f"taxon '{_shown(cleaned)}' read as '{entry.taxon}' (fuzzy match {score:.0f})"
        commodity = _commodity_in(extras) or entry.commodity
        return _row_match(entry.taxon, commodity, round(score, 1), warning)
    return None


def _plausible_correction(written: str, known: str) -> bool:
    """Whether ``known`` is a misspelling's likely intent, word by word.

    A high overall ratio can hide a different genus ("Gyps bengalensis" is not the leopard
    cat), and within a genus one letter often separates two species ("Amazona festiva" and
    "A. aestiva"), so each word must be close and a short epithet exact.
    """
    written_words, known_words = written.split(), known.split()
    if len(written_words) != len(known_words):
        return False
    same_genus = written_words[0] == known_words[0] and written_words[0] in _reference().genera
    for position, (word, target) in enumerate(zip(written_words, known_words, strict=True)):
        allowed = 2 if len(target) >= 9 else 1 if len(target) >= 5 else 0
        if position == 1 and same_genus:
            allowed = 1 if len(target) >= 8 else 0
        if OSA.distance(word, target, score_cutoff=allowed) > allowed:
            return False
    return True


def match_taxa(text: str) -> list[TaxonMatch]:
    """Read a cell that may name several taxa ("Manis javanica; M. pentadactyla").

    The whole cell is tried first, so a name that contains a separator ("guacamayo azul y
    amarillo") stays whole. A taxon written twice, as a common and a scientific name
    ("Leopard (Panthera pardus)", "Panthera pardus / Leopard", "Pangolin (Manis javanica)"),
    is one taxon, the more specific of the two. Otherwise the cell is split on
    ``; / + , 、 ，`` and the words and/y/e/et/or/o/ou, abbreviated genera are expanded from
    the part before ("M. javanica", a bare "pentadactyla"), and each part is read with
    :func:`match_taxon`. Parts that only name a trade term ("live") give their commodity to
    the others; author citations and, in prose, parts naming no known taxon are dropped.

    Parameters
    ----------
    text : str
        One cell value.

    Returns
    -------
    list of TaxonMatch
        One match per distinct taxon and commodity, in the order written; ``[]`` for an empty
        cell.
    """
    cleaned = _clean(text)
    if cleaned is None:
        return []
    return list(_match_taxa_cached(cleaned))


@lru_cache(maxsize=65536)
def _match_taxa_cached(cleaned: str) -> tuple[TaxonMatch, ...]:
    whole = _match_taxon_cached(cleaned)
    if whole is None:
        return ()
    if whole.score == EXACT_SCORE:
        return (whole,)
    bracketed = _bracketed_names(cleaned)
    if bracketed is not None:
        return (bracketed,)
    parts = _expand_abbreviations(_split_cell(cleaned[:MAX_TEXT_LENGTH]))
    if len(parts) < 2:
        return (whole,)
    matches: list[TaxonMatch] = []
    commodities: list[str] = []
    for part in parts:
        match = _bracketed_names(part) or _match_taxon_cached(part)
        if match is None:
            continue
        if match.known:
            matches.append(match)
        elif _names_nothing(part):
            if match.commodity:
                commodities.append(match.commodity)
        elif match.taxon_group != "unknown" or _SCIENTIFIC_NAME.match(part):
            # Other unknown parts are prose ("hidden in a truck", "锯成小块"), not taxa.
            matches.append(match)
    known = {match.taxon for match in matches if match.known}
    unknown = [match for match in matches if not match.known]
    if len(known) == 1 and not unknown:
        # "Panthera pardus / Leopard": one taxon, both names known, nothing left unread.
        clean = whole.taxon in known and not any(match.warning for match in matches)
        return (replace(whole, warning=None) if clean else whole,)
    if not known:
        return (whole,)
    finest = _finest(known) if not unknown else None
    if finest is not None:
        # "Pangolin scales / Manis pentadactyla": one seizure of the finer taxon, named twice.
        named = {match.commodity for match in matches if match.commodity} | set(commodities)
        base = next(match for match in matches if match.taxon == finest)
        warning = next((match.warning for match in matches if match.warning), None)
        commodity = named.pop() if len(named) == 1 else base.commodity
        return (replace(base, commodity=commodity, warning=warning),)
    if len(set(commodities)) == 1:
        matches = [
            match if match.commodity else replace(match, commodity=commodities[0])
            for match in matches
        ]
    distinct: dict[tuple[str, str | None], TaxonMatch] = {}
    for match in matches:
        distinct.setdefault((match.taxon, match.commodity), match)
    return tuple(distinct.values())


def _bracketed_names(text: str) -> TaxonMatch | None:
    """Read "Leopard (Panthera pardus)": two names of one taxon, the finer one kept.

    None unless both the name and the bracketed text are known taxa, one of them within the
    other (the same taxon, or a species and its genus, family, order or class).
    """
    found = _BRACKETED_NAME.match(text)
    if found is None:
        return None
    outer, inner = (_match_taxon_cached(part.strip()) for part in found.groups())
    if outer is None or inner is None or not (outer.known and inner.known):
        return None
    if _within(inner.taxon, outer.taxon):
        finer = inner
    elif _within(outer.taxon, inner.taxon):
        finer = outer
    else:
        return None
    return replace(
        finer,
        commodity=outer.commodity or inner.commodity,
        score=min(outer.score, inner.score),
        warning=outer.warning or inner.warning,
    )


def _finest(taxa: set[str]) -> str | None:
    """Return the taxon of a set that lies within all the others, if there is one."""
    for candidate in taxa:
        if all(_within(candidate, other) for other in taxa):
            return candidate
    return None


def _within(finer: str, broader: str) -> bool:
    """Whether one reference taxon is the same as, or inside, another."""
    if finer == broader:
        return True
    rows = _reference().rows
    row, above = rows[finer], rows[broader]
    if above["rank"] == "genus":
        return row["rank"] in ("species", "subspecies") and finer.split()[0] == broader.split()[0]
    return broader in (row["family"], row["order"], row["class"])


def _split_cell(text: str) -> list[str]:
    """Split a cell on its separators, but not inside brackets ("象牙制品（手镯、吊坠）")."""
    depth = 0
    masked = []
    for ch in text:
        if ch in _CLOSING:
            depth = max(depth - 1, 0)
        masked.append(ch if depth == 0 else "\0")
        if ch in _OPENING:
            depth += 1
    parts = []
    start = 0
    for separator in _SEPARATORS.finditer("".join(masked)):
        parts.append(text[start : separator.start()])
        start = separator.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _split_extras(key: str) -> tuple[str, str]:
    """Split a normalised text into its name words and its numbers, filler and trade terms."""
    names = _reference().commodity_names
    core: list[str] = []
    extras: list[str] = []
    for word in key.split():
        explained = word.isdigit() or word in _FILLER_WORDS or word in names
        (extras if explained else core).append(word)
    return " ".join(core), " ".join(extras)


def _names_nothing(part: str) -> bool:
    """Whether a part of a cell is only numbers, filler words and trade terms."""
    key = _normalise(part)
    reference = _reference()
    if not key or key in reference.commodity_names:
        return True
    for word in key.split():
        if word.isdigit() or word in _FILLER_WORDS or word in reference.commodity_names:
            continue
        if _has_cjk(word) and not _cjk_residue(word):
            continue
        return False
    return True


def _cjk_residue(word: str) -> str:
    """Return what is left of a Chinese word once digits, filler and trade terms are out."""
    for filler in _FILLER_CJK:
        word = word.replace(filler, " ")
    word = "".join(ch for ch in word if not ch.isdigit())
    for hit in sorted(_find(word, _reference().commodity_index), key=lambda h: h.start - h.end):
        word = word[: hit.start] + " " * (hit.end - hit.start) + word[hit.end :]
    return word.strip()


def _expand_abbreviations(parts: list[str]) -> list[str]:
    """Write out "M. pentadactyla" and a bare "pentadactyla" after "Manis javanica"."""
    vocabulary = _reference().vocabulary
    genus: str | None = None
    expanded = []
    for part in parts:
        abbreviated = _ABBREVIATED_BINOMIAL.match(part)
        if abbreviated and genus and genus[0] == abbreviated.group(1):
            part = f"{genus} {abbreviated.group(2)}"
        elif genus and _LATIN_WORD.fullmatch(part) and _is_epithet(part) and part not in vocabulary:
            part = f"{genus} {part}"
        start = _BINOMIAL_START.match(part)
        if start:
            genus = start.group(1)
        expanded.append(part)
    return expanded


def match_commodity(text: str) -> str | None:
    """Read a CITES trade term from a code ("SCA", "sca") or a name in en, zh, es, fr or pt.

    Product names count too ("鱼翅" is FIN, "ivory" is TUS), and a trade term inside a longer
    text is found ("dried shark fins", "escamas de pangolín"), then a fuzzy match on the
    names for misspellings.

    Parameters
    ----------
    text : str
        One cell value.

    Returns
    -------
    str or None
        A code from ``COMMODITY_CODES``, or None when nothing is recognised.
    """
    cleaned = _clean(text)
    if cleaned is None:
        return None
    return _match_commodity_cached(cleaned)


@lru_cache(maxsize=16384)
def _match_commodity_cached(cleaned: str) -> str | None:
    code = cleaned.strip().upper()
    if code in COMMODITY_CODES:
        return code
    reference = _reference()
    key = _normalise(cleaned[:MAX_TEXT_LENGTH])
    if not key:
        return None
    if key in reference.commodity_names:
        return reference.commodity_names[key]
    entry = reference.vocabulary.get(key)
    if entry is not None and entry.commodity:
        return entry.commodity
    # Trade terms and product phrases compete on length, so "colmillos de jaguar" (teeth)
    # beats the "colmillos" (tusks) inside it; on a tie the trade term wins ("红木原木" is
    # logs, though 红木 alone is timber).
    short = len(key.replace(" ", "")) <= 2
    terms = [
        (hit.end - hit.start, hit.value)
        for hit in _find(key, reference.commodity_index)
        if short or hit.end - hit.start > 1 or not _has_cjk(key[hit.start : hit.end])
    ]
    products = [
        (hit.end - hit.start, hit.value.commodity)
        for hit in _find(key, reference.taxon_index, min_cjk=2)
        if hit.value.commodity is not None
    ]
    if terms or products:
        return max(terms + products, key=lambda found: found[0])[1]
    if FUZZY_MIN_LENGTH <= len(key) <= FUZZY_MAX_LENGTH and not _has_cjk(key):
        near = process.extractOne(
            key,
            reference.commodity_fuzzy_keys,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=FUZZY_THRESHOLD,
        )
        if near is not None:
            return reference.commodity_names[near[0]]
    return None


def taxon_info(taxon: str) -> dict | None:
    """Return the reference row of a taxon: ranks, group, appendix and names.

    Parameters
    ----------
    taxon : str
        A scientific name from the species table (case and accents ignored).

    Returns
    -------
    dict or None
        The row's columns, with empty ranks as None and each ``names_<language>`` as a list;
        None when the taxon is not in the table.
    """
    if not isinstance(taxon, str):
        return None
    reference = _reference()
    row = reference.rows.get(taxon.strip())
    if row is None:
        entry = reference.vocabulary.get(_normalise(taxon))
        if entry is None or entry.priority != _SCIENTIFIC:
            return None
        row = reference.rows[entry.taxon]
    info: dict = {}
    for column, value in row.items():
        if column in ALL_NAME_COLUMNS:
            info[column] = _split_names(value)
        else:
            info[column] = value or None
    return info


def load_species() -> pd.DataFrame:
    """Return the species table (one row per taxon).

    Returns
    -------
    DataFrame
        Columns ``taxon, rank, family, order, class, taxon_group, cites_appendix`` and
        ``names_en, names_zh, names_es, names_fr, names_pt, names_lo`` ("|"-separated), all
        text, empty where a rank does not apply or no name is known (``names_lo`` for most
        taxa). A copy: changing it does not change the reference.
    """
    return _reference().species.copy()


def load_commodities() -> pd.DataFrame:
    """Return the commodity table: a CITES trade-term code and its names in six languages.

    Returns
    -------
    DataFrame
        Columns ``code, names_en, names_zh, names_es, names_fr, names_pt, names_lo``
        ("|"-separated).
    """
    return _reference().commodities.copy()


def load_product_aliases() -> pd.DataFrame:
    """Return the product aliases: phrases that name both a taxon and a commodity.

    Returns
    -------
    DataFrame
        Columns ``alias, language, taxon, commodity``.
    """
    return _reference().aliases.copy()


def _check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        supported = ", ".join(LANGUAGES[:-1]) + f" and {LANGUAGES[-1]}"
        raise ValueError(f"Unknown language {lang!r}: the supported languages are {supported}.")
    return lang


def common_name(taxon: str, lang: str) -> str | None:
    """Return the display common name of a taxon in one language.

    The display name is the first of the ``names_<lang>`` cell. No language falls back to
    another: a caller that wants English where a Lao name is missing asks for it.

    Parameters
    ----------
    taxon : str
        A scientific name from the species table (case and accents ignored), as for
        :func:`taxon_info`.
    lang : str
        One of ``en, zh, es, fr, pt, lo``.

    Returns
    -------
    str or None
        E.g. ``("Manis javanica", "lo")`` → "ລິ່ນຄວາຍ"; None when the taxon is not in the
        table or has no name in that language (most taxa in Lao).

    Raises
    ------
    ValueError
        If ``lang`` is not one of the six languages.
    """
    column = f"names_{_check_language(lang)}"
    info = taxon_info(taxon)
    if info is None:
        return None
    names = info[column]
    return names[0] if names else None


@lru_cache(maxsize=512)
def commodity_name(code: str, lang: str = "en") -> str | None:
    """Return the display name of a commodity code in one of the six languages.

    Parameters
    ----------
    code : str
        A code from ``COMMODITY_CODES`` (any case).
    lang : str, default "en"
        One of ``en, zh, es, fr, pt, lo``.

    Returns
    -------
    str or None
        The first name listed for that language ("SCA" → "scales", in Lao "ເກັດ"), or None
        for an unknown code.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the six languages.
    """
    column = f"names_{_check_language(lang)}"
    table = _reference().commodities
    found = table.loc[table["code"] == str(code).strip().upper(), column]
    if found.empty:
        return None
    names = _split_names(found.iloc[0])
    return names[0] if names else None
