"""Readers: CSV/TSV, XLSX, GeoJSON, GeoPackage and Parquet files as chunks of text cells.

Every reader yields ``pandas.DataFrame`` chunks whose cells are ``str`` or ``None`` under
the file's own (de-duplicated) column names, indexed by the row's number in the source
(the line number for CSV, header line included; the spreadsheet row for XLSX; the feature
number for GeoJSON and GeoPackage; the row number for Parquet).  Chunks keep memory bounded
for files of millions of rows.  A file that cannot be read as a table raises
:class:`UnreadableFileError` with one sentence naming the file and the problem.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from geo.ingest.headers import recognised_count

__all__ = [
    "CHUNK_ROWS",
    "MAX_LINE_BYTES",
    "TableFile",
    "UnreadableFileError",
    "open_table",
]

# Rows per chunk: large enough that per-chunk work (distinct values parsed, indexes asked)
# is spread thin, small enough that a chunk and its derived frames stay a few hundred MB.
CHUNK_ROWS = 100_000
# A row longer than this is not a seizure record; it is usually a binary file or a whole
# document pasted into one cell, and it would blow the memory bound.
MAX_LINE_BYTES = 1_000_000
HEADER_SCAN_ROWS = 30
SAMPLE_BYTES = 1 << 20
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = ",;\t|"
# Rows may carry a few more cells than the header names; beyond this the file is not a table.
_OVERFLOW_COLUMNS = 16


class UnreadableFileError(ValueError):
    """The file cannot be read as a table of seizure records (one sentence, names the file)."""


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


def open_table(
    path: str | Path, sheet: str | None = None, chunk_rows: int = CHUNK_ROWS
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
        table = _open_xlsx(path, sheet, chunk_rows)
    elif suffix in (".geojson", ".json"):
        table = _open_geojson(path, chunk_rows)
    elif suffix == ".gpkg":
        table = _open_geopackage(path, chunk_rows)
    elif suffix in (".parquet", ".pq"):
        table = _open_parquet(path, chunk_rows)
    elif head.startswith(b"PK\x03\x04"):
        raise UnreadableFileError(
            f"{path.name} is a zip archive, not a table; unzip it or give it its real extension."
        )
    else:
        table = _open_csv(path, chunk_rows)
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


def _find_header(rows: list[list[object]], name: str) -> int:
    """Return the index of the first row of ``rows`` that names at least two record fields."""
    best_index, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = recognised_count(row)
        if score >= 2 and score > best_score:
            best_index, best_score = index, score
            if score >= 4:
                break
    if best_index < 0:
        raise UnreadableFileError(
            f"{name} has no recognisable header row: none of its first {HEADER_SCAN_ROWS} rows "
            "names at least two seizure fields (date, country, species, quantity, ...); "
            "use --mapping to name the columns."
        )
    return best_index


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


def _frame(rows: list[list[object]], columns: list[str], first_row: int) -> pd.DataFrame:
    """Build a chunk of text cells from raw rows, padding or folding ragged rows."""
    width = len(columns)
    fixed = []
    for row in rows:
        cells = [_cell_text(value) for value in row]
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
        elif len(cells) > width:
            overflow = [c for c in cells[width:] if c is not None]
            cells = cells[:width]
            if overflow:
                # Values beyond the header are kept, not dropped: they go to extra.
                cells[-1] = " | ".join([c for c in [cells[-1], *overflow] if c is not None])
        fixed.append(cells)
    frame = pd.DataFrame(fixed, columns=columns, dtype=object)
    frame.index = pd.RangeIndex(first_row, first_row + len(frame), name="row")
    return frame


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


def _check_line_lengths(path: Path) -> int:
    """Reject a file with a line longer than ``MAX_LINE_BYTES``; return its number of lines."""
    line_number, current = 1, 0  # current: bytes of the line read so far
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            # Line ends found by numpy: a million-line file is not walked line by line.
            ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n"))
            if ends.size:
                lengths = np.diff(ends, prepend=-1) - 1
                lengths[0] += current
                too_long = np.flatnonzero(lengths > MAX_LINE_BYTES)
                if too_long.size:
                    _line_too_long(path, line_number + int(too_long[0]))
                line_number += ends.size
                current = len(block) - int(ends[-1]) - 1
            else:
                current += len(block)
            if current > MAX_LINE_BYTES:
                _line_too_long(path, line_number)
    return line_number


def _line_too_long(path: Path, line_number: int) -> None:
    raise UnreadableFileError(
        f"{path.name} line {line_number} is longer than "
        f"{MAX_LINE_BYTES // 1_000_000} MB; this is not a table of seizure records."
    )


def _open_csv(path: Path, chunk_rows: int) -> TableFile:
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = _detect_encoding(sample, path.name)
    lines_total = _check_line_lengths(path)
    text = sample.decode(encoding, errors="ignore")
    lines = text.splitlines()[: HEADER_SCAN_ROWS + 5]
    delimiter = _sniff_delimiter("\n".join(lines), path.name)
    raw_rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    header_index = _find_header(raw_rows, path.name)
    columns = _unique_columns(raw_rows[header_index])
    # With one record per line, the data starts on the line after the header.
    header_line = header_index + 1

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
        width = len(columns) + _OVERFLOW_COLUMNS
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
        first_row = header_line + 1
        try:
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
                yield frame
        except UnicodeDecodeError as error:
            raise UnreadableFileError(
                f"{path.name} is not consistently encoded: it started as {encoding} but "
                f"byte {error.start} of a later part does not decode; save it as UTF-8."
            ) from error
        except pd.errors.ParserError as error:
            raise UnreadableFileError(f"{path.name} cannot be parsed as CSV: {error}.") from error

    return TableFile(
        path,
        "csv",
        columns,
        header_line,
        _chunks(),
        encoding,
        delimiter,
        rows_hint=max(lines_total - header_line, 0),
    )


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

    def refuse(_row: object) -> str:
        return "error"

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
                ignore_empty_lines=True,
                invalid_row_handler=refuse,
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
        values[:-1] = distinct.to_numpy(zero_copy_only=False)
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
        counts = [
            len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
        ]
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) / len(counts) * min(common, 50)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- XLSX --------------------------------------------------------------------------------


def _open_xlsx(path: Path, sheet: str | None, chunk_rows: int) -> TableFile:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):
        raise UnreadableFileError(f"{path.name} is not an Excel workbook (.xlsx is a zip file).")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFileError(
            f"{path.name} is not a readable Excel workbook ({type(error).__name__}: {error})."
        ) from error
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise UnreadableFileError(
            f"{path.name} has no sheet {sheet!r}; its sheets are {', '.join(names)}."
        )
    chosen, header_index = None, -1
    for candidate in [sheet] if sheet else names:
        rows = [
            list(row)
            for row in book[candidate].iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)
        ]
        try:
            header_index = _find_header(rows, f"{path.name} sheet {candidate!r}")
        except UnreadableFileError:
            if sheet:
                raise
            continue
        chosen = candidate
        columns = _unique_columns(rows[header_index])
        break
    if chosen is None:
        raise UnreadableFileError(
            f"{path.name} has no sheet with a recognisable header row (sheets: "
            f"{', '.join(names)}); use --sheet and --mapping."
        )
    header_row = header_index + 1

    def _chunks() -> Iterator[pd.DataFrame]:
        batch: list[list[object]] = []
        first = header_row + 1
        for row in book[chosen].iter_rows(min_row=header_row + 1, values_only=True):
            batch.append(list(row))
            if len(batch) >= chunk_rows:
                yield _drop_blank(_frame(batch, columns, first))
                first += len(batch)
                batch = []
        if batch:
            yield _drop_blank(_frame(batch, columns, first))
        book.close()

    last_row = book[chosen].max_row
    rows_hint = last_row - header_row if last_row else None
    return TableFile(
        path, "xlsx", columns, header_row, _chunks(), sheet=chosen, rows_hint=rows_hint
    )


def _drop_blank(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop rows with no value at all (spreadsheets often carry empty formatted rows)."""
    return frame[frame.notna().any(axis=1)]


# --- GeoJSON, GeoPackage, Parquet --------------------------------------------------------


def _open_geojson(path: Path, chunk_rows: int) -> TableFile:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFileError(f"{path.name} is not valid GeoJSON: {error}.") from error
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise UnreadableFileError(f"{path.name} is not a GeoJSON FeatureCollection.")
    rows: list[dict[str, object]] = []
    for feature in features:
        properties = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry") or {}
        if geometry.get("type") == "Point" and len(geometry.get("coordinates") or []) >= 2:
            # GeoJSON is always lon, lat (RFC 7946, WGS84).
            properties["lon"], properties["lat"] = geometry["coordinates"][:2]
        rows.append(properties)
    return _from_records(path, "geojson", rows, chunk_rows)


def _open_geopackage(path: Path, chunk_rows: int) -> TableFile:
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
    return _from_records(path, "gpkg", table.to_dict("records"), chunk_rows)


def _from_records(
    path: Path, kind: str, rows: list[dict[str, object]], chunk_rows: int
) -> TableFile:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    if recognised_count(columns) < 2:
        raise UnreadableFileError(
            f"{path.name} has no recognisable fields: its properties ({', '.join(columns[:8])}) "
            "name fewer than two seizure fields; use --mapping."
        )
    unique = _unique_columns(columns)

    def _chunks() -> Iterator[pd.DataFrame]:
        for start in range(0, len(rows), chunk_rows):
            part = rows[start : start + chunk_rows]
            yield _frame([[row.get(c) for c in columns] for row in part], unique, start + 1)

    return TableFile(path, kind, unique, 0, _chunks())


def _open_parquet(path: Path, chunk_rows: int) -> TableFile:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise UnreadableFileError(
            f"{path.name} is not a readable Parquet file: {error}."
        ) from error
    columns = list(parquet.schema_arrow.names)
    if recognised_count(columns) < 2:
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
            yield frame

    return TableFile(path, "parquet", unique, 0, _chunks())
