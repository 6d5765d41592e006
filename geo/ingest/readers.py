"""Readers: CSV/TSV, XLSX, GeoJSON, GeoPackage and Parquet files as chunks of text cells.

Every reader yields ``pandas.DataFrame`` chunks whose cells are ``str`` or ``None`` under
the file's own (de-duplicated) column names, with the apostrophe an export puts before a
formula character dropped (:mod:`geo.ingest.escapes`), indexed by the row's number in the source
(the line number for CSV, header line included; the spreadsheet row for XLSX; the feature
number for GeoJSON and GeoPackage; the row number for Parquet).  Chunks keep memory bounded
for files of millions of rows.  A file that cannot be read as a table raises
:class:`UnreadableFileError` with one sentence naming the file, the place (line, row,
feature, column) and the problem; so does a file beyond the limits of
:mod:`geo.ingest.limits`, which streaming passes check before pandas, Arrow or openpyxl
see the file, so that no file drives an import out of memory.  No data row is dropped:
rows above a header must be titles or blank, and cells beyond the header are kept.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from geo.ingest.escapes import drop_export_escapes, drop_export_escapes_arrow
from geo.ingest.headers import header_key, load_header_aliases, recognised_count
from geo.ingest.limits import (
    MAX_CELL_CHARS,
    MAX_CHUNK_BYTES,
    MAX_CHUNK_CELLS,
    MAX_COLUMNS,
    MAX_GEOJSON_BYTES,
    MAX_LINE_BYTES,
    MAX_SHEET_ROWS,
    MAX_XLSX_TEXT_CHARS,
    UnreadableFileError,
    check_workbook,
    describe_size,
    one_line,
    scan_text_table,
)

__all__ = [
    "CHUNK_ROWS",
    "MAX_LINE_BYTES",
    "HeaderHints",
    "TableFile",
    "UnreadableFileError",
    "open_table",
]

# Rows per chunk: large enough that per-chunk work (distinct values parsed, indexes asked)
# is spread thin, small enough that a chunk and its derived frames stay a few hundred MB.
CHUNK_ROWS = 100_000
HEADER_SCAN_ROWS = 30
SAMPLE_BYTES = 1 << 20
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = ",;\t|"


@dataclass
class TableFile:
    """A table opened for reading.

    Attributes
    ----------
    path : Path
        The file.
    format : str
        ``csv``, ``xlsx``, ``geojson``, ``gpkg`` or ``parquet``.
    columns : list of str
        Column names as read (made unique with ``.2``, ``.3`` suffixes).
    header_row : int
        The source row number of the header (1-based; 0 when the format has no header row).
    encoding, delimiter, sheet : str or None
        What was detected or chosen.
    rows_hint : int or None
        About how many data rows follow (for a progress bar), when cheap to know.
    chunks : iterator of DataFrame
        The data, chunk by chunk (consumed once).
    """

    path: Path
    format: str
    columns: list[str]
    header_row: int
    chunks: Iterator[pd.DataFrame]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    rows_hint: int | None = None


@dataclass(frozen=True)
class HeaderHints:
    """What helps find a file's header row besides the alias table.

    Attributes
    ----------
    known : frozenset of str
        Header keys (:func:`geo.ingest.headers.header_key`) that a user's mapping names:
        they count as recognised, so a file whose headers no alias knows can be read.
    guess : bool
        With no recognised header, take the first row that is as full as the rows below
        it (for the mapping step, which shows the columns so the user can name them).
    """

    known: frozenset[str] = frozenset()
    guess: bool = False

    def score(self, cells: list[object]) -> int:
        """How many cells of a candidate header row name a field (aliases and ``known``)."""
        mapped = {key for key in map(header_key, cells) if key and key in self.known}
        return recognised_count(cells) + len(mapped)


def open_table(
    path: str | Path,
    sheet: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    hints: HeaderHints | None = None,
) -> TableFile:
    """Open a seizure file of any supported format.

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``, ``.geojson``/``.json``, ``.gpkg``
        or ``.parquet`` file.
    sheet : str, optional
        The XLSX worksheet to read; by default the first sheet whose header is recognised.
    chunk_rows : int
        Rows per chunk.
    hints : HeaderHints, optional
        Headers a user's mapping names, and whether to guess a header no name is known of.

    Returns
    -------
    TableFile
        The opened table; iterate ``chunks`` to read it.

    Raises
    ------
    UnreadableFileError
        If the file is missing, empty, not a table, has no recognisable header or no data.
    """
    path = Path(path)
    hints = hints or HeaderHints()
    if not path.is_file():
        raise UnreadableFileError(f"{path}: no such file.")
    if path.stat().st_size == 0:
        raise UnreadableFileError(f"{path.name} is empty (0 bytes).")
    with open(path, "rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head.startswith(_OLE2_SIGNATURE):
        raise UnreadableFileError(
            f"{path.name} is a password-protected workbook or an old-style .xls file; "
            "remove the password or save it as .xlsx and import again."
        )
    if suffix in (".xlsx", ".xlsm"):
        table = _open_xlsx(path, sheet, chunk_rows, hints)
    elif suffix in (".geojson", ".json"):
        table = _open_geojson(path, chunk_rows, hints)
    elif suffix == ".gpkg":
        table = _open_geopackage(path, chunk_rows, hints)
    elif suffix in (".parquet", ".pq"):
        table = _open_parquet(path, chunk_rows, hints)
    elif head.startswith(b"PK\x03\x04"):
        raise UnreadableFileError(
            f"{path.name} is a zip archive, not a table; unzip it or give it its real extension."
        )
    else:
        table = _open_csv(path, chunk_rows, hints)
    return _require_rows(table)


def _require_rows(table: TableFile) -> TableFile:
    """Fail early on a file with a header but no data rows; otherwise yield all chunks."""
    chunks = iter(table.chunks)
    first = None
    for chunk in chunks:
        if len(chunk):
            first = chunk
            break
    if first is None:
        raise UnreadableFileError(f"{table.path.name} has a header row but no data rows.")

    def _all() -> Iterator[pd.DataFrame]:
        yield first
        for chunk in chunks:
            if len(chunk):
                yield chunk

    table.chunks = _all()
    return table


def _unique_columns(cells: list[object]) -> list[str]:
    """Name blank headers by position and de-duplicate repeated names."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(cells, start=1):
        name = "" if cell is None else str(cell).strip()
        if not name:
            name = f"column {position}"
        count = seen.get(name, 0) + 1
        seen[name] = count
        names.append(name if count == 1 else f"{name}.{count}")
    return names


def _find_header(rows: list[list[object]], name: str, unit: str, hints: HeaderHints) -> int:
    """Return the index of the row of ``rows`` that names the most record fields (two at least).

    With ``hints.guess`` and no such row, the first row as full as the fullest rows below it.
    """
    best_index, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = hints.score(row)
        if score >= 2 and score > best_score:
            best_index, best_score = index, score
            if score >= 4:
                break
    if best_index < 0 and hints.guess:
        filled = [_filled(row) for row in rows[:HEADER_SCAN_ROWS]]
        widest = max(filled, default=0)
        best_index = next((i for i, n in enumerate(filled) if n >= max(2, widest - 1)), -1)
    if best_index < 0:
        raise UnreadableFileError(
            f"{name} has no header row: none of its first {HEADER_SCAN_ROWS} {unit}s names two "
            "or more columns this importer knows, such as date, species, country, latitude; "
            "add a header row that names the columns."
        )
    return best_index


def _check_rows_above(
    rows: list[list[object]], header_index: int, numbers: list[int], name: str, unit: str
) -> None:
    """Refuse a header found below rows that hold data: those rows would be counted nowhere.

    Above its header a file may carry titles, notes and blank rows: rows of one or two
    cells, or of fewer than half the header's.  A row as full as a record means that the
    "header" is a data row that happens to hold field names, and the file has no header.
    """
    header = rows[header_index]
    least = max(3, (_filled(header) + 1) // 2)
    for index in range(header_index):
        if _filled(rows[index]) >= least:
            aliases = load_header_aliases()
            known = [str(cell).strip() for cell in header if header_key(cell) in aliases]
            raise UnreadableFileError(
                f"{name} has no clear header row: {unit} {numbers[header_index]} names columns "
                f"this importer knows ({', '.join(known[:4])}), but {unit} {numbers[index]} "
                f"above it holds data; add a header row as the first {unit}, or remove the "
                f"{unit}s above the header."
            )


def _filled(row: list[object]) -> int:
    return sum(1 for cell in row if cell is not None and str(cell).strip())


def _cell_text(value: object) -> str | None:
    """Turn a spreadsheet/parquet value into the text the normalisers read."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _frame(
    rows: list[list[str | None]], columns: list[str], index: list[int] | range
) -> pd.DataFrame:
    """Build a chunk from rows of text cells, padding short rows and folding long ones."""
    width = len(columns)
    fixed = []
    for cells in rows:
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        elif len(cells) > width:
            overflow = [c for c in cells[width:] if c is not None]
            cells = cells[:width]
            if overflow:
                # Values beyond the header are kept, not dropped: they go to extra.
                cells[-1] = " | ".join([c for c in [cells[-1], *overflow] if c is not None])
        fixed.append(cells)
    frame = pd.DataFrame(fixed, columns=columns, dtype=object)
    frame.index = pd.Index(index, dtype="int64", name="row")
    return drop_export_escapes(frame)


# --- CSV ---------------------------------------------------------------------------------


def _detect_encoding(sample: bytes, name: str) -> str:
    """Choose the encoding of a text file from its first megabyte."""
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFileError(f"{name} is not a text table: it contains binary data.")
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is not an error.
        if error.start >= len(sample) - 3 and error.reason == "unexpected end of data":
            return "utf-8"
    try:
        chinese = sample.decode("gb18030")
    except UnicodeDecodeError:
        chinese = None
    if chinese is not None:
        cjk = sum(1 for ch in chinese if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
        high = sum(1 for ch in chinese if ord(ch) > 127)
        # GB18030 decodes almost any byte string; take it only when the non-ASCII text
        # reads as Chinese rather than accented Latin letters.
        if high and cjk / high > 0.7:
            return "gb18030"
    latin = sample.decode("cp1252", errors="replace")
    controls = sum(1 for ch in latin if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(10, len(latin) // 100):
        raise UnreadableFileError(f"{name} is not a text table: it contains binary data.")
    return "cp1252"


def _open_csv(path: Path, chunk_rows: int, hints: HeaderHints) -> TableFile:
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = _detect_encoding(sample, path.name)
    text = sample.decode(encoding, errors="ignore")
    delimiter = _sniff_delimiter("\n".join(text.splitlines()[: HEADER_SCAN_ROWS + 5]), path.name)
    # The whole file, before any parser: NUL bytes, over-long fields and records, too many
    # fields; and the rows per chunk that keep a chunk's text bounded.
    shape = scan_text_table(path, encoding, delimiter, chunk_rows)
    raw_rows, line_numbers = _first_rows(text, delimiter, path.name)
    header_index = _find_header(raw_rows, path.name, "line", hints)
    _check_rows_above(raw_rows, header_index, line_numbers, path.name, "line")
    columns = _unique_columns(raw_rows[header_index])
    header_line = line_numbers[header_index]
    chunk_rows = shape.chunk_rows
    # As wide as the widest record: cells beyond the header go to extra, none is dropped.
    width = max(len(columns), shape.max_fields)

    def _chunks() -> Iterator[pd.DataFrame]:
        done = 0
        if encoding in ("utf-8", "utf-8-sig"):
            try:
                for frame in _plain_csv_chunks(path, delimiter, columns, header_line, chunk_rows):
                    start = header_line + 1 + done
                    frame.index = pd.RangeIndex(start, start + len(frame), name="row")
                    done += len(frame)
                    yield frame
                return
            except _NotPlainCsv:
                pass  # read on (or again) with pandas' parser, from the first row not given
        first_row = header_line + 1
        try:
            reader = pd.read_csv(
                path,
                sep=delimiter,
                encoding=encoding,
                header=None,
                skiprows=header_line,
                # Python strings straight from the C parser: no Arrow round trip per chunk.
                dtype=object,
                na_filter=False,
                skipinitialspace=True,
                skip_blank_lines=True,
                chunksize=chunk_rows,
                names=range(width),
                index_col=False,
            )
            for chunk in reader:
                if done:  # rows already given by the Arrow reader
                    skipped = min(done, len(chunk))
                    chunk, done, first_row = (
                        chunk.iloc[skipped:],
                        done - skipped,
                        first_row + skipped,
                    )
                    if chunk.empty:
                        continue
                cells = chunk.to_numpy(dtype=object)
                cells[cells == ""] = None
                # Cells beyond the header are kept (they go to extra); empty ones are dropped.
                overflow = [
                    i
                    for i in range(len(columns), width)
                    if (cells[:, i] != None).any()  # noqa: E711
                ]
                names = [*columns, *(f"column {i + 1}" for i in overflow)]
                frame = pd.DataFrame(
                    cells[:, list(range(len(columns))) + overflow], columns=names, dtype=object
                )
                frame.index = pd.RangeIndex(first_row, first_row + len(frame), name="row")
                first_row += len(frame)
                yield drop_export_escapes(frame)
        except UnicodeDecodeError as error:
            raise UnreadableFileError(
                f"{path.name} is not consistently encoded: it started as {encoding} but "
                f"byte {error.start} of a later part does not decode; save it as UTF-8."
            ) from error
        except pd.errors.ParserError as error:
            problem = one_line(error).removeprefix("Error tokenizing data. C error: ")
            raise UnreadableFileError(
                f"{path.name} cannot be parsed as CSV near row {first_row}: {problem}."
            ) from error

    return TableFile(
        path,
        "csv",
        columns,
        header_line,
        _chunks(),
        encoding,
        delimiter,
        rows_hint=max(shape.lines - header_line, 0),
    )


def _first_rows(text: str, delimiter: str, name: str) -> tuple[list[list[str]], list[int]]:
    """Parse the first rows of the sample; return them and the line on which each ends."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)
            if len(rows) >= HEADER_SCAN_ROWS + 5:
                break
    except csv.Error as error:
        raise UnreadableFileError(
            f"{name} line {reader.line_num + 1} cannot be read as CSV ({one_line(error)})."
        ) from error
    return rows, lines


class _NotPlainCsv(Exception):
    """The file needs pandas' parser: ragged rows, spaces after delimiters, bad bytes..."""


def _plain_csv_chunks(
    path: Path, delimiter: str, columns: list[str], header_line: int, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    """Yield the data rows of a plain UTF-8 CSV, parsed by Arrow outside the interpreter lock.

    "Plain": every row has exactly the header's number of cells and no cell starts with a
    space or a tab.  Such a file reads the same as with pandas' parser below (cells as
    ``str``, empty cells as ``None``), several times faster and mostly on another core.  At
    the first row that is not plain this raises :class:`_NotPlainCsv`, and the caller goes
    on with pandas' parser from the first row not yet given.
    """
    try:
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(
                skip_rows=header_line, column_names=list(columns), block_size=1 << 22
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                # No invalid_row_handler: Arrow then stops at a ragged row, as wanted (a
                # Python handler would also have Arrow decode the row, and print a traceback
                # when it is not UTF-8).
                ignore_empty_lines=True,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
        pending: list[pa.RecordBatch] = []
        held = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            pending.append(batch)
            held += batch.num_rows
            while held >= chunk_rows:
                table = pa.Table.from_batches(pending)
                yield _plain_frame(table.slice(0, chunk_rows), columns)
                rest = table.slice(chunk_rows)
                pending, held = rest.to_batches(), rest.num_rows
        if held:
            yield _plain_frame(pa.Table.from_batches(pending), columns)
    except (pa.ArrowException, UnicodeDecodeError) as error:
        raise _NotPlainCsv(str(error)) from error


def _plain_frame(table: pa.Table, columns: list[str]) -> pd.DataFrame:
    """Turn Arrow text columns into the readers' frame of ``str`` and ``None`` cells.

    Each column's distinct values become Python strings once and are shared by every cell
    that holds them: agency files repeat a few hundred values a million times, and shared
    strings also hash once for all the per-value parsing downstream.
    """
    cells = np.empty((table.num_rows, len(columns)), dtype=object)
    for position, column in enumerate(table.columns):
        encoded = pc.dictionary_encode(column.combine_chunks())
        distinct = encoded.dictionary
        # pandas' parser skips spaces after a delimiter (and reads `, "a"` as quoted): a
        # file with such cells is left to it
        if (
            pc.any(pc.starts_with(distinct, " ")).as_py()
            or pc.any(pc.starts_with(distinct, "\t")).as_py()
        ):
            raise _NotPlainCsv(f"cells of {columns[position]!r} start with a space")
        values = np.empty(len(distinct) + 1, dtype=object)  # the last slot: missing
        values[:-1] = drop_export_escapes_arrow(distinct).to_numpy(zero_copy_only=False)
        codes = pc.fill_null(encoded.indices, len(distinct)).to_numpy(zero_copy_only=False)
        cells[:, position] = values[codes]
    return pd.DataFrame(cells, columns=list(columns), dtype=object)


def _sniff_delimiter(text: str, name: str) -> str:
    """Pick the delimiter that splits the sample's lines most consistently."""
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SCAN_ROWS]
    if not lines:
        raise UnreadableFileError(f"{name} has no text lines.")
    best, best_score = ",", -1.0
    for delimiter in _DELIMITERS:
        try:
            counts = [
                len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            ]
        except csv.Error:
            continue  # a field over csv's own limit: the scan of the whole file names it
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) / len(counts) * min(common, 50)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- XLSX --------------------------------------------------------------------------------


def _open_xlsx(path: Path, sheet: str | None, chunk_rows: int, hints: HeaderHints) -> TableFile:
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise UnreadableFileError(f"{path.name} is not an Excel workbook (.xlsx is a zip file).")
    # Sizes, XML and cell text, part by part, before openpyxl inflates anything.
    check_workbook(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook fails openpyxl in many ways
        raise UnreadableFileError(
            f"{path.name} is not a readable Excel workbook "
            f"({type(error).__name__}: {one_line(error)})."
        ) from error
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise UnreadableFileError(
            f"{path.name} has no sheet {sheet!r}; its sheets are {', '.join(names)}."
        )
    chosen, header_index, rows, claimed_rows = None, -1, [], None
    for candidate in [sheet] if sheet else names:
        worksheet = book[candidate]
        if not hasattr(worksheet, "iter_rows"):
            if sheet:
                raise UnreadableFileError(f"{path.name} sheet {sheet!r} is a chart, not a table.")
            continue
        claimed_rows = worksheet.max_row  # the sheet's own claim: a progress hint only
        rows = _sheet_head(path, worksheet, candidate)
        try:
            header_index = _find_header(rows, f"{path.name} sheet {candidate!r}", "row", hints)
        except UnreadableFileError:
            if sheet:
                raise
            continue
        chosen = candidate
        break
    if chosen is None:
        raise UnreadableFileError(
            f"{path.name} has no sheet with a recognisable header row (sheets: "
            f"{', '.join(names)}); use --sheet and --mapping."
        )
    numbers = list(range(1, len(rows) + 1))
    _check_rows_above(rows, header_index, numbers, f"{path.name} sheet {chosen!r}", "row")
    columns = _unique_columns(rows[header_index])
    header_row = header_index + 1
    rows_hint = max(min(claimed_rows, MAX_SHEET_ROWS) - header_row, 0) if claimed_rows else None
    chunks = _sheet_chunks(path, book, chosen, columns, header_row, chunk_rows)
    return TableFile(path, "xlsx", columns, header_row, chunks, sheet=chosen, rows_hint=rows_hint)


def _sheet_head(path: Path, worksheet, name: str) -> list[list[object]]:
    """Return the first rows of a sheet, read whatever its dimension tag claims."""
    # A dimension tag is only a claim: a short one would cut rows off, a huge one would
    # pad every row to 16,384 cells and the sheet to 1,048,576 rows.
    worksheet.reset_dimensions()
    try:
        return [
            list(row) for row in worksheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)
        ]
    except Exception as error:  # a damaged workbook fails openpyxl in many ways
        raise _damaged_sheet(path, name, 0, error) from error


def _sheet_chunks(
    path: Path, book, name: str, columns: list[str], header_row: int, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    """Yield a sheet's data rows as chunks of text cells, holding each to the limits.

    Blank rows are skipped (spreadsheets carry empty formatted rows); a chunk ends at
    ``chunk_rows`` rows, ``MAX_CHUNK_BYTES`` of text or ``MAX_CHUNK_CELLS`` cells.
    """
    worksheet = book[name]
    width = len(columns)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    number, chars, cells, total = header_row, 0, 0, 0
    try:
        for values in worksheet.iter_rows(min_row=header_row + 1, values_only=True):
            number += 1
            if number > MAX_SHEET_ROWS:
                raise UnreadableFileError(
                    f"{path.name} sheet {name!r} has rows beyond Excel's last row "
                    f"({MAX_SHEET_ROWS:,}); this is not a table of seizure records."
                )
            texts = [_cell_text(value) for value in values]
            size = 0
            for position, text in enumerate(texts):
                if text is not None:
                    if len(text) > MAX_CELL_CHARS:
                        _cell_too_long(f"{path.name} sheet {name!r} row {number}", position, text)
                    size += len(text)
            if not size:
                continue
            if size > MAX_LINE_BYTES:
                raise UnreadableFileError(
                    f"{path.name} sheet {name!r} row {number} holds {size:,} characters, more "
                    f"than {MAX_LINE_BYTES // 1_000_000} MB; this is not a table of seizure "
                    "records."
                )
            total += size
            if total > MAX_XLSX_TEXT_CHARS:
                raise UnreadableFileError(
                    f"{path.name} sheet {name!r}: by row {number} its cells hold more than "
                    f"{describe_size(MAX_XLSX_TEXT_CHARS)} of text, more than this importer "
                    "reads."
                )
            rows.append(texts)
            numbers.append(number)
            chars += size
            cells += max(len(texts), width)
            if len(rows) >= chunk_rows or chars >= MAX_CHUNK_BYTES or cells >= MAX_CHUNK_CELLS:
                yield _frame(rows, columns, numbers)
                rows, numbers, chars, cells = [], [], 0, 0
    except UnreadableFileError:
        raise
    except Exception as error:  # a damaged workbook fails openpyxl in many ways
        raise _damaged_sheet(path, name, number, error) from error
    finally:
        book.close()
    if rows:
        yield _frame(rows, columns, numbers)


def _damaged_sheet(path: Path, name: str, row: int, error: Exception) -> UnreadableFileError:
    where = f"after row {row}" if row else "at its first rows"
    return UnreadableFileError(
        f"{path.name} is a damaged workbook: sheet {name!r} cannot be read {where} "
        f"({type(error).__name__}: {one_line(error)}); open it in Excel and save it again."
    )


def _cell_too_long(where: str, position: int, text: str) -> None:
    from openpyxl.utils import get_column_letter

    raise UnreadableFileError(
        f"{where}, column {get_column_letter(position + 1)}: the cell holds {len(text):,} "
        f"characters, more than the {MAX_CELL_CHARS:,} a spreadsheet cell can hold."
    )


# --- GeoJSON, GeoPackage, Parquet --------------------------------------------------------


def _open_geojson(path: Path, chunk_rows: int, hints: HeaderHints) -> TableFile:
    size = path.stat().st_size
    if size > MAX_GEOJSON_BYTES:
        raise UnreadableFileError(
            f"{path.name} is {describe_size(size)}; GeoJSON is read whole, and this importer "
            f"reads GeoJSON files of up to {describe_size(MAX_GEOJSON_BYTES)}: save it as "
            "GeoPackage or CSV, or split it."
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"{path.name} is not valid GeoJSON: byte {error.start} is not UTF-8."
        ) from error
    # Two passes over the features, each decoded on its own and let go: the first checks
    # them and collects the field names, the second builds the chunks.  Memory holds the
    # text and one chunk, never every feature as Python objects (~20 bytes per byte).
    names: dict[str, None] = {}
    count = 0
    for number, feature in _geojson_features(text, path.name):
        names.update(dict.fromkeys(_feature_row(feature, number, path.name)))
        count = number
    columns = _record_columns(path, list(names), hints)
    unique = _unique_columns(columns)
    chunk = max(1, min(chunk_rows, MAX_CHUNK_CELLS // max(len(columns), 1)))

    def _chunks() -> Iterator[pd.DataFrame]:
        rows: list[list[str | None]] = []
        first = 1
        for number, feature in _geojson_features(text, path.name):
            row = _feature_row(feature, number, path.name)
            rows.append(_record_cells(path, row, columns, number, "feature"))
            if len(rows) >= chunk:
                yield _frame(rows, unique, range(first, first + len(rows)))
                rows, first = [], number + 1
        if rows:
            yield _frame(rows, unique, range(first, first + len(rows)))

    return TableFile(path, "geojson", unique, 0, _chunks(), rows_hint=count)


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _geojson_features(text: str, name: str) -> Iterator[tuple[int, object]]:
    """Yield ``(number, feature)`` for a FeatureCollection's features, decoding one at a time."""
    decoder = json.JSONDecoder()

    def skip(position: int) -> int:
        return _JSON_SPACE.match(text, position).end()

    def expect(position: int, marks: str) -> int:
        if position >= len(text) or text[position] not in marks:
            raise json.JSONDecodeError(f"Expecting {' or '.join(map(repr, marks))}", text, position)
        return position

    try:
        position = skip(0)
        if text[position : position + 1] != "{":
            decoder.raw_decode(text, position)  # invalid JSON says so; valid JSON is not GeoJSON
            raise UnreadableFileError(f"{name} is not a GeoJSON FeatureCollection.")
        position, seen = skip(position + 1), False
        while text[position : position + 1] != "}":
            key, position = decoder.raw_decode(text, expect(position, '"'))
            position = skip(expect(skip(position), ":") + 1)
            if key == "features" and text[position : position + 1] == "[":
                if seen:
                    raise UnreadableFileError(f"{name} has two lists of features.")
                seen = True
                position, number = skip(position + 1), 0
                while text[position : position + 1] != "]":
                    feature, position = decoder.raw_decode(text, position)
                    number += 1
                    if number > MAX_SHEET_ROWS:
                        raise UnreadableFileError(
                            f"{name} holds more than {MAX_SHEET_ROWS:,} features, more rows "
                            "than a sheet can hold; this is not a table of seizure records."
                        )
                    yield number, feature
                    position = skip(position)
                    if text[expect(position, ",]")] == ",":
                        position = skip(position + 1)
                position += 1
            else:
                _, position = decoder.raw_decode(text, position)  # "type", "crs", "bbox", ...
            position = skip(position)
            if text[expect(position, ",}")] == ",":
                position = skip(position + 1)
        if skip(position + 1) != len(text):
            raise json.JSONDecodeError("Extra data", text, skip(position + 1))
    except UnreadableFileError:
        raise
    except RecursionError as error:
        raise UnreadableFileError(
            f"{name} is not GeoJSON: it nests arrays or objects too deeply to read."
        ) from error
    except json.JSONDecodeError as error:
        raise UnreadableFileError(
            f"{name} is not valid GeoJSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from error
    except ValueError as error:  # a number of more than 4,300 digits
        raise UnreadableFileError(
            f"{name} is not valid GeoJSON: {one_line(error).split(';')[0]}."
        ) from error
    if not seen:
        raise UnreadableFileError(f"{name} is not a GeoJSON FeatureCollection.")


def _feature_row(feature: object, number: int, name: str) -> dict[str, object]:
    """Return a feature's properties, with a Point's coordinates as ``lon`` and ``lat``."""
    if feature is None:
        return {}  # a null feature is still a row: it is counted, and quarantined
    if not isinstance(feature, dict):
        raise UnreadableFileError(
            f"{name} feature {number} is {_json_kind(feature)}, not a GeoJSON Feature object."
        )
    properties = feature.get("properties")
    if properties is not None and not isinstance(properties, dict):
        raise UnreadableFileError(
            f"{name} feature {number}: its properties are {_json_kind(properties)}, not an "
            "object of named values."
        )
    geometry = feature.get("geometry")
    if geometry is not None and not isinstance(geometry, dict):
        raise UnreadableFileError(
            f"{name} feature {number}: its geometry is {_json_kind(geometry)}, not a GeoJSON "
            "geometry object."
        )
    row = dict(properties or {})
    if geometry and geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates")
        if coordinates is not None and not isinstance(coordinates, list):
            raise UnreadableFileError(
                f"{name} feature {number}: its Point's coordinates are "
                f"{_json_kind(coordinates)}, not a [longitude, latitude] list."
            )
        if coordinates and len(coordinates) >= 2:
            # GeoJSON is always lon, lat (RFC 7946, WGS84).
            row["lon"], row["lat"] = coordinates[:2]
    return row


def _json_kind(value: object) -> str:
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def _open_geopackage(path: Path, chunk_rows: int, hints: HeaderHints) -> TableFile:
    import geopandas as gpd

    try:
        frame = gpd.read_file(path)
    except Exception as error:  # GDAL raises many types; all mean the same to the user
        raise UnreadableFileError(f"{path.name} is not a readable GeoPackage: {error}.") from error
    if frame.crs is not None:
        frame = frame.to_crs(4326)
    points = frame.geometry.representative_point()
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    table["lat"], table["lon"] = points.y, points.x
    return _from_records(path, "gpkg", table.to_dict("records"), chunk_rows, hints)


def _from_records(
    path: Path, kind: str, rows: list[dict[str, object]], chunk_rows: int, hints: HeaderHints
) -> TableFile:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    columns = _record_columns(path, list(names), hints)
    unique = _unique_columns(columns)
    chunk = max(1, min(chunk_rows, MAX_CHUNK_CELLS // max(len(columns), 1)))

    def _chunks() -> Iterator[pd.DataFrame]:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            texts = [
                _record_cells(path, row, columns, number, "feature")
                for number, row in enumerate(part, start + 1)
            ]
            yield _frame(texts, unique, range(start + 1, start + 1 + len(part)))

    return TableFile(path, kind, unique, 0, _chunks())


def _record_columns(path: Path, columns: list[str], hints: HeaderHints) -> list[str]:
    """Check the field names of a GeoJSON or GeoPackage file; return them."""
    if len(columns) > MAX_COLUMNS:
        raise UnreadableFileError(
            f"{path.name} has {len(columns):,} distinct fields, more than the {MAX_COLUMNS:,} "
            "columns a spreadsheet can hold; this is not a table of seizure records."
        )
    if hints.score(columns) < 2 and not hints.guess:
        raise UnreadableFileError(
            f"{path.name} has no recognisable fields: its properties ({', '.join(columns[:8])}) "
            "name fewer than two seizure fields; use --mapping."
        )
    return columns


def _record_cells(
    path: Path, row: dict[str, object], columns: list[str], number: int, unit: str
) -> list[str | None]:
    """Return a record's values as text cells in column order, each within the cell limit."""
    try:
        cells = [_cell_text(row.get(column)) for column in columns]
    except RecursionError as error:  # str() of a deeply nested value
        raise UnreadableFileError(
            f"{path.name} {unit} {number} nests a value too deeply to read."
        ) from error
    for position, text in enumerate(cells):
        if text is not None and len(text) > MAX_CELL_CHARS:
            raise UnreadableFileError(
                f"{path.name} {unit} {number}, field {columns[position]!r}: the value holds "
                f"{len(text):,} characters, more than the {MAX_CELL_CHARS:,} a spreadsheet "
                "cell can hold."
            )
    return cells


def _open_parquet(path: Path, chunk_rows: int, hints: HeaderHints) -> TableFile:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise UnreadableFileError(
            f"{path.name} is not a readable Parquet file: {error}."
        ) from error
    columns = list(parquet.schema_arrow.names)
    if hints.score(columns) < 2 and not hints.guess:
        raise UnreadableFileError(
            f"{path.name} has no recognisable columns ({', '.join(columns[:8])}); use --mapping."
        )
    unique = _unique_columns(columns)

    def _chunks() -> Iterator[pd.DataFrame]:
        first = 1
        for batch in parquet.iter_batches(batch_size=chunk_rows):
            frame = batch.to_pandas()
            frame.columns = unique
            for column in frame.columns:
                series = frame[column]
                if pd.api.types.is_datetime64_any_dtype(series):
                    frame[column] = series.dt.strftime("%Y-%m-%d").where(series.notna(), None)
                elif series.dtype != object or not pd.api.types.is_string_dtype(series):
                    frame[column] = [_cell_text(v) for v in series.tolist()]
                else:
                    frame[column] = series.astype(object).where(series.notna(), None)
            frame = frame.astype(object)
            frame.index = pd.RangeIndex(first, first + len(frame), name="row")
            first += len(frame)
            yield drop_export_escapes(frame)

    return TableFile(path, "parquet", unique, 0, _chunks())
