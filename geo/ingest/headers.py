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

from geo.paths import REFERENCE_DIR
from geo.schema import DERIVED_FIELDS, RECORD_FIELDS

__all__ = [
    "INPUT_FIELDS",
    "ColumnMapping",
    "MappingError",
    "UserMapping",
    "header_key",
    "load_header_aliases",
    "map_columns",
    "read_mapping_file",
    "recognised_count",
]

# Fields a file may supply besides the record fields themselves: helpers the importer folds
# into record fields (a single "lat, lon" cell, ROUTES' "City, Country", weight/number
# columns, ETIS ivory columns, a year-only column, a free-text product description).
HELPER_FIELDS = (
    "source_id",
    "year",
    "city_country",
    "latlon",
    "description",
    "quantity_kg",
    "quantity_pieces",
    "quantity_individuals",
    "raw_ivory_kg",
    "raw_ivory_pieces",
    "worked_ivory_kg",
    "worked_ivory_pieces",
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
    """

    fields: dict[str, str]
    extra: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    duplicates: dict[str, str] = field(default_factory=dict)


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
    columns = document.get("columns", {})
    defaults = document.get("defaults", {})
    if not isinstance(columns, dict) or not isinstance(defaults, dict):
        raise MappingError(f"mapping file {path}: [columns] and [defaults] must be tables")
    for source, target in columns.items():
        if target not in INPUT_FIELDS and target != "extra":
            raise MappingError(
                f"mapping file {path}: column {source!r} maps to {target!r}, which is not a "
                f"record field (one of {', '.join(INPUT_FIELDS)}, or 'extra')"
            )
    for target in defaults:
        if target not in INPUT_FIELDS:
            raise MappingError(
                f"mapping file {path}: default for {target!r}, which is not a record field"
            )
    dayfirst = document.get("dayfirst")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise MappingError(f"mapping file {path}: dayfirst must be true or false")
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
    aliases = load_header_aliases()
    return len({aliases[key] for key in map(header_key, cells) if key in aliases})


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
    aliases = load_header_aliases()
    explicit = {header_key(k): v for k, v in (user.columns if user else {}).items()}
    fields: dict[str, str] = {}
    extra: list[str] = []
    ignored: list[str] = []
    duplicates: dict[str, str] = {}
    for column in columns:
        key = header_key(column)
        target = explicit.get(key) or aliases.get(key)
        if target is None or target == "extra":
            extra.append(column)
        elif target in RECOMPUTED_FIELDS:
            ignored.append(column)
        elif target in fields:
            duplicates[column] = target
            extra.append(column)
        else:
            fields[target] = column
    return ColumnMapping(fields, tuple(extra), tuple(ignored), duplicates)
