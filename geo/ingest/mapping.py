"""The mapping step: a file's columns, the field each was matched to, and the user's changes.

What the Data page's mapping step and ``seizures mapping`` show and write:

- :func:`file_columns` reads a file's header and first rows and says, for every column, the
  record field it was matched to (by the alias table or by the user's mapping) or that it is
  kept in ``extra``, with a few sample values and, for an unmatched column that looks like a
  field, what it looks like ("looks like a weight").  A file whose headers no alias knows is
  read too: its first full row is taken as the header, so the user can name the columns.
- :func:`mapping_toml` writes a :class:`~geo.ingest.headers.UserMapping` as the TOML that
  ``seizures import --mapping`` reads (and :func:`geo.ingest.headers.read_mapping_file`).
- :func:`header_signature` names a set of headers, so that the store can remember a mapping
  and apply it to the next file from the same agency (:meth:`Store.remember_mapping`).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from geo.ingest.headers import (
    INPUT_FIELDS,
    MappingError,
    UserMapping,
    header_key,
    load_header_aliases,
    map_columns,
    mapping_from_document,
    suggest_field,
)
from geo.ingest.readers import HeaderHints, open_table

__all__ = [
    "FILE_WIDE_FIELDS",
    "MAPPABLE_FIELDS",
    "ColumnMatch",
    "FileColumns",
    "file_columns",
    "header_signature",
    "mapping_from_toml",
    "mapping_toml",
    "match_columns",
    "starting_mapping_toml",
]

# Fields a column can be mapped to, in the order a user looks for them.
MAPPABLE_FIELDS: tuple[str, ...] = INPUT_FIELDS
# Fields a user may set for the whole file when it has no column for them.
FILE_WIDE_FIELDS = ("seizing_country", "agency", "taxon", "commodity", "unit")
_SAMPLE_ROWS = 500
_SAMPLES = 3
_SAMPLE_CHARS = 40


@dataclass(frozen=True)
class ColumnMatch:
    """One column of a file and what the import does with it.

    Attributes
    ----------
    column : str
        The file's header for the column.
    field : str or None
        The record field it feeds, or None when it is kept in ``extra`` (or recomputed).
    how : str
        ``"alias"`` (a known header), ``"mapping"`` (the user's choice), ``"extra"`` (not
        matched, kept), ``"repeat"`` (a second column for a field already taken, kept in
        extra) or ``"recomputed"`` (a derived field of an exported file, recomputed).
    samples : tuple of str
        Up to three distinct values from the file's first rows.
    suggestion : str or None
        For an unmatched column that looks like a field: what it looks like, in a sentence
        (``"'Weight of scales (kg)' looks like a weight"``); for a repeat, why it is unused.
    """

    column: str
    field: str | None
    how: str
    samples: tuple[str, ...]
    suggestion: str | None = None


@dataclass(frozen=True)
class FileColumns:
    """A file's columns as the mapping step shows them.

    Attributes
    ----------
    columns : list of ColumnMatch
        Every column, in the file's order.
    header_row : int
        The line (CSV) or row (XLSX) of the header; 0 for GeoJSON and Parquet.
    sheet : str or None
        The worksheet read, for XLSX.
    header_guessed : bool
        True when no header row named two known fields, and the first full row was taken.
    signature : str
        :func:`header_signature` of the columns.
    """

    columns: list[ColumnMatch]
    header_row: int
    sheet: str | None
    header_guessed: bool
    signature: str

    @property
    def matched(self) -> dict[str, str]:
        """``{field: column}`` for every matched column."""
        return {m.field: m.column for m in self.columns if m.field and m.how != "recomputed"}


def header_signature(columns: list[str]) -> str:
    """Return a short name for a list of headers: equal for the same headers, however written.

    Headers are compared as the importer compares them (case, accents and spacing ignored),
    in order.

    Parameters
    ----------
    columns : list of str
        The file's headers.

    Returns
    -------
    str
        16 hexadecimal digits.
    """
    joined = "\x1f".join(header_key(column) for column in columns)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def file_columns(
    path: str | Path, mapping: UserMapping | None = None, sheet: str | None = None
) -> FileColumns:
    """Read a file's header and first rows; say what each column is matched to.

    Parameters
    ----------
    path : str or Path
        The file (any format the importer reads).
    mapping : UserMapping, optional
        The user's mapping so far; its columns take precedence over the alias table.
    sheet : str, optional
        The XLSX worksheet.

    Returns
    -------
    FileColumns
        The columns and how each is matched.

    Raises
    ------
    geo.ingest.readers.UnreadableFileError
        If the file cannot be read as a table at all.
    """
    mapping = mapping or UserMapping()
    known = frozenset(header_key(column) for column in mapping.columns)
    table = open_table(
        path,
        sheet=sheet or mapping.sheet,
        chunk_rows=_SAMPLE_ROWS,
        hints=HeaderHints(known=known, guess=True),
    )
    try:
        first = next(iter(table.chunks))
    finally:
        close = getattr(table.chunks, "close", None)
        if close is not None:
            close()
    aliases = load_header_aliases()
    guessed = sum(header_key(c) in aliases or header_key(c) in known for c in table.columns) < 2
    result = [
        replace(match, samples=_samples(first[match.column].tolist()))
        if match.column in first
        else match
        for match in match_columns(list(table.columns), mapping)
    ]
    return FileColumns(
        columns=result,
        header_row=table.header_row,
        sheet=table.sheet,
        header_guessed=guessed,
        signature=header_signature(list(table.columns)),
    )


def match_columns(columns: list[str], mapping: UserMapping | None = None) -> list[ColumnMatch]:
    """Say what the import does with each of a file's columns (no sample values).

    Parameters
    ----------
    columns : list of str
        The file's headers, in order.
    mapping : UserMapping, optional
        The user's mapping; its columns take precedence over the alias table.

    Returns
    -------
    list of ColumnMatch
        One per column, in order.
    """
    mapping = mapping or UserMapping()
    matched = map_columns(columns, mapping)
    by_column = {column: name for name, column in matched.fields.items()}
    explicit = {header_key(k): v for k, v in mapping.columns.items()}
    result = []
    for column in columns:
        field = by_column.get(column)
        suggestion = None
        if field is not None:
            how = "mapping" if header_key(column) in explicit else "alias"
        elif column in matched.ignored:
            how = "recomputed"
        elif column in matched.duplicates:
            how = "repeat"
            suggestion = f"a second column for {matched.duplicates[column]}; kept in extra"
        else:
            how = "extra"
            suggested = suggest_field(column)
            if suggested and explicit.get(header_key(column)) != "extra":
                suggestion = suggested[1]
        result.append(ColumnMatch(column, field, how, (), suggestion))
    return result


def _samples(values: list[object]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value is None:
            continue
        text = re.sub(r"\s+", " ", str(value)).strip()
        if text and text not in seen:
            seen[text] = None
            if len(seen) == _SAMPLES:
                break
    return tuple(t if len(t) <= _SAMPLE_CHARS else t[: _SAMPLE_CHARS - 1] + "…" for t in seen)


def mapping_toml(mapping: UserMapping, comment: str | None = None) -> str:
    """Write a mapping as the TOML that ``seizures import --mapping`` reads.

    Parameters
    ----------
    mapping : UserMapping
        Columns, file-wide values, the day-first reading and the sheet.
    comment : str, optional
        A first comment line (e.g. the file the mapping was made for).

    Returns
    -------
    str
        TOML text; :func:`mapping_from_toml` reads it back to an equal mapping.
    """
    lines = ["# Column mapping for `seizures import --mapping` (Wildlife Seizure Atlas)."]
    if comment:
        lines += [f"# {line}" for line in comment.splitlines()]
    if mapping.dayfirst is not None:
        lines.append(f"dayfirst = {'true' if mapping.dayfirst else 'false'}")
    if mapping.sheet is not None:
        lines.append(f"sheet = {_toml_string(mapping.sheet)}")
    lines += ["", "[columns]", "# file header = record field (or extra)"]
    lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in mapping.columns.items()]
    lines += ["", "[defaults]", "# field = value, for fields the file has no column for"]
    lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in mapping.defaults.items()]
    return "\n".join(lines) + "\n"


def starting_mapping_toml(found: FileColumns, mapping: UserMapping, file_name: str) -> str:
    """Write a mapping that names every column of a file, to edit by hand.

    Each column is listed with the field it is matched to now (``extra`` when none), with
    its sample values and, for an unmatched column, what it looks like, as comments.
    """
    lines = [
        f"# Column mapping for {file_name}, written by `seizures mapping`: edit the fields",
        "# on the right (a record field, or extra), then `seizures import FILE --mapping`.",
        "# Fields: " + ", ".join(MAPPABLE_FIELDS),
    ]
    if mapping.dayfirst is not None:
        lines.append(f"dayfirst = {'true' if mapping.dayfirst else 'false'}")
    else:
        lines.append("# dayfirst = true   # how 03/04/2021 reads; left out, the file decides")
    sheet = mapping.sheet or found.sheet
    if sheet is not None:
        lines.append(f"sheet = {_toml_string(sheet)}")
    lines += ["", "[columns]"]
    for match in found.columns:
        if match.how == "recomputed":
            lines.append(f"# {_toml_string(match.column)}: recomputed at import, not read")
            continue
        note = f"  # e.g. {', '.join(match.samples)}" if match.samples else ""
        if match.suggestion:
            note += f"  ({match.suggestion})"
        target = match.field or "extra"
        lines.append(f"{_toml_string(match.column)} = {_toml_string(target)}{_one_line(note)}")
    lines += ["", "[defaults]", "# field = value, for fields the file has no column for:"]
    if mapping.defaults:
        lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in mapping.defaults.items()]
    else:
        lines += ['# seizing_country = "CN"', '# agency = "..."', '# taxon = "Manis javanica"']
    return "\n".join(lines) + "\n"


def _one_line(comment: str) -> str:
    """Keep a comment on one TOML line (line breaks in sample values become spaces)."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", comment)


def mapping_from_toml(text: str, name: str = "the mapping") -> UserMapping:
    """Read a mapping from TOML text (what :func:`mapping_toml` writes).

    Raises
    ------
    MappingError
        If the text is not TOML or names a field that does not exist.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{name} is not valid TOML: {error}") from error
    return mapping_from_document(document, name)


def _toml_string(text: str) -> str:
    """Return ``text`` as a TOML basic string (quotes, backslashes, control characters escaped)."""
    out = []
    for ch in str(text):
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
