"""Header recognition: map a file's column names to record fields.

The aliases live in ``data/reference/header_aliases.csv`` (English, Spanish, French,
Portuguese, Chinese, CITES AITR, ETIS and C4ADS/ROUTES names).  A user mapping
(``--mapping FILE.toml``) takes precedence over the aliases.
"""

from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo.ingest.quantities import QUANTITY_COLUMNS, normalise_unit
from geo.paths import REFERENCE_DIR
from geo.schema import DERIVED_FIELDS, RECORD_FIELDS

__all__ = [
    "INPUT_FIELDS",
    "ColumnMapping",
    "MappingError",
    "UserMapping",
    "header_key",
    "header_qualifier",
    "header_unit",
    "load_header_aliases",
    "map_columns",
    "mapping_from_document",
    "match_header",
    "read_mapping_file",
    "recognised_count",
    "suggest_field",
]

# Fields a file may supply besides the record fields themselves: helpers the importer folds
# into record fields (a single "lat, lon" cell, ROUTES' "City, Country", a place hierarchy
# of province and city columns, weight/number columns, ETIS ivory columns, separate year,
# month and day columns, a free-text product description, a family column that stands in
# for an empty species, a category or dataset column naming the product).
HELPER_FIELDS = (
    "source_id",
    "year",
    "month",
    "day",
    "city_country",
    "province",
    "city",
    "latlon",
    "description",
    "family",
    "category",
    "quantity_kg",
    "quantity_pieces",
    "quantity_individuals",
    "raw_ivory_kg",
    "raw_ivory_pieces",
    "worked_ivory_kg",
    "worked_ivory_pieces",
    # per-form quantities (geo.ingest.quantities.QUANTITY_COLUMNS)
    "scales_kg",
    "horns_kg",
    "meat_kg",
    "live_individuals",
    "bodies_individuals",
    "tusks_pieces",
    "horns_pieces",
    "skins_pieces",
    "eggs_pieces",
)
# Columns that the importer recomputes (derived at import, or assigned by the store); they are
# recognised so an exported file can be re-imported, and otherwise ignored.
RECOMPUTED_FIELDS = ("batch_id", "extra", *DERIVED_FIELDS)
INPUT_FIELDS = tuple(f for f in RECORD_FIELDS if f not in ("record_id", "batch_id")) + HELPER_FIELDS


class MappingError(ValueError):
    """A user column mapping that cannot be used."""


def header_key(text: object) -> str:
    """Return the comparison key of a header: accents, case, spacing and trailing marks removed.

    Parameters
    ----------
    text : object
        A header cell as read from a file (``None`` gives an empty key).

    Returns
    -------
    str
        The key, e.g. ``"Fecha de Incautación: "`` → ``"fecha de incautacion"``.
    """
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    value = "".join(
        ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch)
    )
    value = value.casefold().replace("\ufeff", "")
    value = re.sub(r"\s+", " ", value).strip()
    return value.strip(" :*#").strip()


@lru_cache(maxsize=1)
def load_header_aliases() -> dict[str, str]:
    """Return the alias table as ``{header_key: field}``.

    Returns
    -------
    dict of str to str
        Every alias of ``data/reference/header_aliases.csv``, keyed by :func:`header_key`,
        plus each canonical field name.
    """
    aliases: dict[str, str] = {}
    with open(REFERENCE_DIR / "header_aliases.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = header_key(row["alias"])
            previous = aliases.setdefault(key, row["field"])
            if previous != row["field"]:
                raise ValueError(
                    f"header alias {row['alias']!r} maps to both {previous!r} and "
                    f"{row['field']!r} in header_aliases.csv"
                )
    for name in (*INPUT_FIELDS, *RECOMPUTED_FIELDS):
        aliases.setdefault(header_key(name), name)
    return aliases


# Marks that tools put between the words of a header (R's "Fecha.de.decomiso", snake_case,
# "Lat/Lon", "Country:"); they are read as spaces.
_LOOSE_MARKS = re.compile(r"[._\-\u2010-\u2015/\\|,:;'\u2019`\"*#?!]+")
_BRACKETED = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")

# A bracketed qualifier after a general place header says which level of place it holds:
# "Place of seizure (country)", "Location [city]".
_PLACE_FIELDS = frozenset({"location_name", "city_country"})
_PLACE_QUALIFIERS = {
    **dict.fromkeys(
        ("country", "pais", "pays", "iso", "iso2", "iso 2", "iso3", "iso 3", "国家", "国"),
        "seizing_country",
    ),
    **dict.fromkeys(
        ("city", "town", "ciudad", "ville", "cidade", "municipality", "municipio", "城市", "市"),
        "city",
    ),
    **dict.fromkeys(
        ("province", "state", "provincia", "estado", "uf", "region", "departamento", "省"),
        "province",
    ),
}
# Helper columns whose header names their unit; a qualifier that names another unit
# ("Weight (t)") makes the column a plain quantity, whose unit the mapping then reports.
_IMPLIED_UNITS = {
    "quantity_kg": "kg",
    "raw_ivory_kg": "kg",
    "worked_ivory_kg": "kg",
    "quantity_pieces": "pieces",
    "raw_ivory_pieces": "pieces",
    "worked_ivory_pieces": "pieces",
    "quantity_individuals": "individuals",
    **{name: column.unit for name, column in QUANTITY_COLUMNS.items()},
}
_FIELD_OF_UNIT = {
    "kg": "quantity_kg",
    "pieces": "quantity_pieces",
    "individuals": "quantity_individuals",
}


def _loose_key(key: str) -> str:
    """Return a header key with the marks tools write between words read as spaces."""
    return " ".join(_LOOSE_MARKS.sub(" ", key).split())


def _split_qualifier(key: str) -> tuple[str, str]:
    """Return a header key without its bracketed qualifiers, and the qualifiers' text."""
    qualifiers = [_loose_key(text) for text in _BRACKETED.findall(key)]
    return _loose_key(_BRACKETED.sub(" ", key)), " ".join(text for text in qualifiers if text)


@lru_cache(maxsize=1)
def _loose_aliases() -> dict[str, str | None]:
    """Return the alias table keyed by :func:`_loose_key`; None where two fields collide."""
    loose: dict[str, str | None] = {}
    for key, name in load_header_aliases().items():
        loose_key = _loose_key(key)
        if loose.get(loose_key, name) != name:
            loose[loose_key] = None
        else:
            loose[loose_key] = name
    return loose


def header_qualifier(text: object) -> str:
    """Return the bracketed qualifier of a header, such as ``"kg"`` for ``"Weight (kg)"``.

    Parameters
    ----------
    text : object
        A header cell as read from a file.

    Returns
    -------
    str
        The text inside the header's brackets (several joined by a space), read as
        :func:`header_key` reads headers; empty when the header has none.
    """
    return _split_qualifier(header_key(text))[1]


def header_unit(text: object) -> tuple[str, float] | None:
    """Return the unit a header's bracketed qualifier names (``"Weight (t)"`` → tonnes).

    Parameters
    ----------
    text : object
        A header cell as read from a file.

    Returns
    -------
    tuple of (str, float) or None
        The unit and the factor to the record's unit, as
        :func:`geo.ingest.quantities.normalise_unit` gives them (``("kg", 1000.0)``);
        None when the header has no qualifier or it is not a unit.
    """
    return _qualifier_unit(header_qualifier(text))


def _qualifier_unit(qualifier: str) -> tuple[str, float] | None:
    if not qualifier:
        return None
    words = qualifier.split()
    if len(words) > 1 and words[0] in ("in", "en", "em"):
        qualifier = " ".join(words[1:])
    return normalise_unit(qualifier)


def match_header(text: object) -> tuple[str, str] | None:
    """Return the field a header names, and the qualifier dropped to find it.

    The header is compared with the alias table as written (case, accents, spacing and
    trailing colons aside), then with dots, underscores, hyphens, slashes and other marks
    read as spaces (``Fecha.de.decomiso``, ``seizure_date``), then without its bracketed
    qualifiers (``Country of seizure (ISO)``).  A qualifier keeps its meaning where it has
    one: ``Place of seizure (country)`` is the seizing country, ``Location (city)`` the city,
    and a unit decides the quantity column (``Weight (kg)`` is a weight in kg, ``Weight (t)``
    a quantity whose unit the header states, ``Quantity (kg)`` a weight in kg).

    Parameters
    ----------
    text : object
        A header cell as read from a file.

    Returns
    -------
    tuple of (str, str) or None
        The field (an input field, a recomputed field or ``"extra"``) and the qualifier text
        that was dropped (empty when the header matched with it); None when the header names
        no known field.
    """
    return _match_key(header_key(text))


@lru_cache(maxsize=4096)
def _match_key(key: str) -> tuple[str, str] | None:
    if not key:
        return None
    exact = load_header_aliases().get(key)
    if exact is not None:
        return exact, ""
    loose = _loose_aliases()
    found = loose.get(_loose_key(key))
    if found is not None:
        return found, ""
    base, qualifier = _split_qualifier(key)
    found = loose.get(base) if base else None
    if found is None:
        return None
    return _qualified_field(found, qualifier), qualifier


def _qualified_field(name: str, qualifier: str) -> str:
    """Return the field a header means once its bracketed qualifier is read."""
    if name in _PLACE_FIELDS and qualifier in _PLACE_QUALIFIERS:
        return _PLACE_QUALIFIERS[qualifier]
    unit = _qualifier_unit(qualifier)
    if unit is None:
        return name
    if name in _IMPLIED_UNITS:
        return name if unit == (_IMPLIED_UNITS[name], 1.0) else "quantity"
    if name == "quantity" and unit[1] == 1.0:
        return _FIELD_OF_UNIT.get(unit[0], name)
    return name


@dataclass(frozen=True)
class ColumnMapping:
    """How a file's columns map to record fields.

    Attributes
    ----------
    fields : dict
        ``{field: source column}`` for each recognised input field.
    extra : tuple of str
        Source columns that are not record fields; kept in the record's ``extra`` JSON.
    ignored : tuple of str
        Recomputed columns (derived fields, ``batch_id``) from an exported file.
    duplicates : dict
        ``{source column: field}`` for columns that named a field already taken by an
        earlier column; they are kept in ``extra``.
    qualifiers : dict
        ``{source column: qualifier}`` for columns recognised once a bracketed qualifier
        was set aside (``"Country of seizure (ISO)"`` → ``"iso"``).
    units : dict
        ``{field: unit}`` for quantity columns whose header states a unit other than the
        field's own (``"Weight (t)"`` → ``{"quantity": "t"}``).
    """

    fields: dict[str, str]
    extra: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    duplicates: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UserMapping:
    """A user's ``--mapping`` file: explicit columns and per-file options.

    Attributes
    ----------
    columns : dict
        ``{source column header: field}``.
    defaults : dict
        ``{field: value}`` used where the file has no such column (e.g. the seizing
        country of a single-agency file).
    dayfirst : bool or None
        How to read ambiguous ``03/04/2021`` dates; ``None`` infers from the file.
    sheet : str or None
        The worksheet to read from an XLSX file.
    """

    columns: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    dayfirst: bool | None = None
    sheet: str | None = None


def read_mapping_file(path: str | Path) -> UserMapping:
    """Read a TOML column mapping.

    The file has a ``[columns]`` table of ``"Source header" = "field"`` lines, an optional
    ``[defaults]`` table of ``field = "value"`` lines, and optional top-level ``dayfirst``
    (bool) and ``sheet`` (str) settings.

    Parameters
    ----------
    path : str or Path
        The ``.toml`` file.

    Returns
    -------
    UserMapping
        The parsed mapping.

    Raises
    ------
    MappingError
        If the file cannot be read or names a field that does not exist.
    """
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise MappingError(f"mapping file {path} cannot be read: {error}") from error
    return mapping_from_document(document, f"mapping file {path}")


def mapping_from_document(document: dict, name: str) -> UserMapping:
    """Check a parsed TOML mapping and return it (``name`` says where it came from).

    Raises
    ------
    MappingError
        If a table is not a table, or a column or default names a field that does not exist.
    """
    columns = document.get("columns", {})
    defaults = document.get("defaults", {})
    if not isinstance(columns, dict) or not isinstance(defaults, dict):
        raise MappingError(f"{name}: [columns] and [defaults] must be tables")
    for source, target in columns.items():
        if target not in INPUT_FIELDS and target != "extra":
            raise MappingError(
                f"{name}: column {source!r} maps to {target!r}, which is not a "
                f"record field (one of {', '.join(INPUT_FIELDS)}, or 'extra')"
            )
    for target in defaults:
        if target not in INPUT_FIELDS:
            raise MappingError(f"{name}: default for {target!r}, which is not a record field")
    dayfirst = document.get("dayfirst")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise MappingError(f"{name}: dayfirst must be true or false")
    sheet = document.get("sheet")
    return UserMapping(
        columns={str(k): str(v) for k, v in columns.items()},
        defaults={str(k): str(v) for k, v in defaults.items()},
        dayfirst=dayfirst,
        sheet=None if sheet is None else str(sheet),
    )


def recognised_count(cells: list[object]) -> int:
    """Count the cells of a candidate header row that name a known field.

    Parameters
    ----------
    cells : list
        The row's cells.

    Returns
    -------
    int
        How many distinct fields the row names.
    """
    return len({found[0] for found in map(match_header, cells) if found is not None})


def map_columns(columns: list[str], user: UserMapping | None = None) -> ColumnMapping:
    """Map a file's headers to record fields.

    Parameters
    ----------
    columns : list of str
        The file's column names, in order (already made unique by the reader).
    user : UserMapping, optional
        Explicit mappings that override the alias table.

    Returns
    -------
    ColumnMapping
        The first column naming a field wins; later ones naming the same field go to
        ``extra`` and are listed in ``duplicates``.
    """
    explicit: dict[str, str] = {}
    for source, target in (user.columns if user else {}).items():
        explicit.setdefault(header_key(source), target)
        explicit.setdefault(_loose_key(header_key(source)), target)
    fields: dict[str, str] = {}
    extra: list[str] = []
    ignored: list[str] = []
    duplicates: dict[str, str] = {}
    qualifiers: dict[str, str] = {}
    units: dict[str, str] = {}
    for column in columns:
        key = header_key(column)
        target = explicit.get(key) or explicit.get(_loose_key(key))
        qualifier = ""
        if target is None:
            found = _match_key(key)
            target, qualifier = found if found is not None else (None, "")
        if target is None or target == "extra":
            extra.append(column)
        elif target in RECOMPUTED_FIELDS:
            ignored.append(column)
        elif target in fields:
            duplicates[column] = target
            extra.append(column)
        else:
            fields[target] = column
            if qualifier:
                qualifiers[column] = qualifier
                if target == "quantity" and _qualifier_unit(qualifier) is not None:
                    units[target] = qualifier
    return ColumnMapping(fields, tuple(extra), tuple(ignored), duplicates, qualifiers, units)


@lru_cache(maxsize=1)
def _load_header_hints() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Return ``header_hints.csv`` as (field, what it looks like, stems), in file order.

    A Latin stem matches a header word that starts with it ("count" would match "country",
    so a stem ending in ``$``, and any two-letter stem, must be the whole word); a Chinese
    one matches anywhere in the header.  The first field wins.
    """
    hints: dict[str, tuple[str, list[str]]] = {}
    with open(REFERENCE_DIR / "header_hints.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            stem = row["stem"]
            stem = header_key(stem[:-1]) + "$" if stem.endswith("$") else header_key(stem)
            hints.setdefault(row["field"], (row["looks_like"], []))[1].append(stem)
    return tuple((name, what, tuple(stems)) for name, (what, stems) in hints.items())


def suggest_field(header: object) -> tuple[str, str] | None:
    """Suggest the record field an unrecognised column probably holds, with the reason.

    Meant for the column-mapping step: a header that the alias table does not know but whose
    words name a field ("Weight of scales (kg)", "Prov.", "Tusks (number)") is offered to
    the user, who confirms it.  A header the alias table knows is returned with its field.

    Parameters
    ----------
    header : object
        A header cell as read from a file.

    Returns
    -------
    tuple of (str, str) or None
        The field and one sentence saying why, such as
        ``("quantity_kg", "'Weight of scales (kg)' looks like a weight")``; None when the
        header's words suggest nothing.
    """
    shown = " ".join(str(header).split()) if header is not None else ""
    found = match_header(header)
    if found is not None and found[0] in INPUT_FIELDS:
        return found[0], f"'{shown}' is a known name for {found[0]}"
    key = header_key(header)
    words = _loose_key(_BRACKETED.sub(lambda m: f" {m.group(1)} ", key)).split()
    for name, what, stems in _load_header_hints():
        if any(_hint_matches(stem, words, key) for stem in stems):
            if name == "quantity_kg":
                unit = header_unit(header)
                if unit is not None and unit != ("kg", 1.0):
                    return (
                        "quantity",
                        f"'{shown}' looks like a weight in {header_qualifier(header)}",
                    )
            return name, f"'{shown}' looks like {what}"
    return None


def _hint_matches(stem: str, words: list[str], key: str) -> bool:
    """Tell whether a hint's stem is in a header (its words, or its key for Chinese)."""
    if not stem.isascii():
        return stem in key
    if stem.endswith("$"):
        return stem[:-1] in words
    if len(stem) <= 2:
        return stem in words
    return any(word.startswith(stem) for word in words)
