"""Input limits, and the streaming checks that hold a file to them before a parser reads it.

A seizure file is refused, in one sentence naming the file and the place, when it goes
beyond what a real agency file never reaches but a broken or hostile one does: a cell
longer than a spreadsheet cell can be, a line of a megabyte, a workbook that unzips to
more than it could hold, XML that nests rows of millions of cells.  Each check streams
the file in blocks, so it runs in bounded memory however large or however compressed the
file is, and runs before pandas, Arrow or openpyxl see the bytes: those parsers hold a
whole field, row or XML element in memory, and a file that passes these checks keeps
them within a few hundred megabytes.

The limits, sized so that workbooks and CSV exports of a few hundred thousand rows pass
with room to spare:

- ``MAX_CELL_CHARS`` (32,767): Excel's own limit for one cell, for every format.
- ``MAX_LINE_BYTES`` (1 MB): one CSV record (a line, or several when a quoted field
  spans lines), or the cells of one spreadsheet row.
- ``MAX_COLUMNS`` (16,384) and ``MAX_SHEET_ROWS`` (1,048,576): Excel's sheet size.
- ``MAX_XLSX_UNZIPPED_BYTES`` (200 MB): a workbook's parts once unzipped, as the zip
  declares them (Python's ``zipfile`` never inflates a part past its declared size:
  it stops there and reports a CRC error, so a lying header cannot get round this).
- ``MAX_XLSX_TEXT_CHARS`` (200 M): the text of a sheet's cells, counting a shared string
  each time a cell uses it (one long string referenced by every cell).
- ``MAX_SHARED_STRINGS`` (2,000,000): entries of a workbook's shared-strings table,
  which openpyxl holds in memory whole.
- ``MAX_GEOJSON_BYTES`` (50 MB): GeoJSON text is held whole (up to 4 bytes a character)
  while its features are decoded one by one; some 100,000 features.
"""

from __future__ import annotations

import codecs
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import numpy as np

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_CHUNK_BYTES",
    "MAX_CHUNK_CELLS",
    "MAX_COLUMNS",
    "MAX_GEOJSON_BYTES",
    "MAX_LINE_BYTES",
    "MAX_SHARED_STRINGS",
    "MAX_SHEET_ROWS",
    "MAX_XLSX_TEXT_CHARS",
    "MAX_XLSX_UNZIPPED_BYTES",
    "TextShape",
    "UnreadableFileError",
    "check_workbook",
    "describe_size",
    "one_line",
    "scan_text_table",
]

MAX_CELL_CHARS = 32_767
MAX_LINE_BYTES = 1_000_000
MAX_COLUMNS = 16_384
MAX_SHEET_ROWS = 1_048_576
MAX_XLSX_UNZIPPED_BYTES = 200_000_000
MAX_XLSX_TEXT_CHARS = 200_000_000
MAX_SHARED_STRINGS = 2_000_000
MAX_GEOJSON_BYTES = 50_000_000
# A chunk of rows handed to the importer holds at most this much text and this many cells;
# every derived frame of the chunk (records, extra JSON, quarantine rows) scales with them.
MAX_CHUNK_BYTES = 64_000_000
MAX_CHUNK_CELLS = 5_000_000

# The XML of one row (or shared string) that openpyxl builds as a tree before it hands the
# row over: 4 MB and 65,536 elements hold 16,384 cells and a few maximal inline strings.
_MAX_ROW_XML_BYTES = 4_000_000
_MAX_ROW_ELEMENTS = 65_536
# A shared string's XML: a maximal cell written entirely as character references.
_MAX_STRING_XML_BYTES = 12 * MAX_CELL_CHARS
# Elements openpyxl keeps in memory for a whole part: everything in a part it parses as
# one tree (styles, workbook, properties), and in a sheet everything outside the rows,
# which it discards one by one (as it does the shared strings' entries).
_MAX_PART_ELEMENTS = 1_000_000
_BLOCK_BYTES = 1 << 22
# The SpreadsheetML elements the part check follows; openpyxl knows them only in this
# namespace (the same names elsewhere are unknown elements, which it keeps in memory).
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TAGS = {f"{_MAIN_NS}}}{local}": local for local in ("row", "si", "c", "v", "t", "rPh")}


class UnreadableFileError(ValueError):
    """The file cannot be read as a table of seizure records (one sentence, names the file)."""


def describe_size(size: float) -> str:
    """Return a size as people say it: ``1.0 GB``, ``200 MB``, ``512 KB``.

    Parameters
    ----------
    size : float
        Bytes (or characters).

    Returns
    -------
    str
        The size in decimal units, one decimal place above 1 GB.
    """
    if size >= 1e9:
        return f"{size / 1e9:.1f} GB"
    if size >= 1e6:
        return f"{size / 1e6:.0f} MB"
    return f"{size / 1e3:.0f} KB"


# --- Text tables -------------------------------------------------------------------------

_QUOTE, _LF, _CR, _SPACE = ord('"'), ord("\n"), ord("\r"), ord(" ")


@dataclass
class TextShape:
    """What the streaming pass learnt about a text table.

    Attributes
    ----------
    lines : int
        Physical lines (a last line without a line break counts).
    max_fields : int
        The most fields in one record.
    chunk_rows : int
        Rows per chunk that keep any chunk within ``MAX_CHUNK_BYTES`` of text.
    """

    lines: int
    max_fields: int
    chunk_rows: int


def scan_text_table(path: Path, encoding: str, delimiter: str, chunk_rows: int) -> TextShape:
    r"""Check a delimited text file end to end, in blocks, as pandas' parser will read it.

    Fields and records are found as pandas' C parser finds them (``"`` quotes a field only
    at its start, after any spaces; ``""`` inside a quoted field is one quote; ``\n``,
    ``\r\n`` and ``\r`` end a record outside quotes), so a long quoted field split over
    many short lines is measured whole.

    Parameters
    ----------
    path : Path
        The file.
    encoding : str
        Its encoding (the scan reads it as UTF-8).
    delimiter : str
        The one-character field delimiter.
    chunk_rows : int
        The rows per chunk the caller would like.

    Returns
    -------
    TextShape
        Line and field counts, and the rows per chunk to read with.

    Raises
    ------
    UnreadableFileError
        At the first NUL byte, field over ``MAX_CELL_CHARS`` characters, record over
        ``MAX_LINE_BYTES`` bytes or over ``MAX_COLUMNS`` fields, or a quote never closed.
    """
    scanner = _TextScanner(path.name, delimiter, chunk_rows)
    for block, last in _utf8_blocks(path, encoding):
        scanner.feed(block, last)
    return scanner.finish()


def _utf8_blocks(path: Path, encoding: str) -> Iterator[tuple[bytes, bool]]:
    r"""Yield the file as UTF-8 blocks, and whether each is the last.

    A block never ends with a ``\r`` unless it is the last, so that a ``\r\n`` is
    always seen whole.
    """
    decoder = None
    if encoding not in ("utf-8", "utf-8-sig"):
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    carry = b""
    first = True
    with open(path, "rb") as handle:
        while True:
            raw = handle.read(_BLOCK_BYTES)
            last = not raw
            if decoder is not None:
                raw = decoder.decode(raw, final=last).encode("utf-8")
            if first and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            first = False
            data = carry + raw
            carry = b""
            if not last and data.endswith(b"\r"):
                data, carry = data[:-1], b"\r"
            if data or last:
                yield data, last
            if last:
                return


class _TextScanner:
    """Field and record boundaries of a text table, block by block (numpy, no per-byte loop).

    Offsets are positions in the UTF-8 stream; ``line`` is the line number at ``offset``.
    A field or record that runs across blocks carries its start and, for fields, how many
    characters (UTF-8 lead bytes) and quote bytes it has so far.
    """

    def __init__(self, name: str, delimiter: str, chunk_rows: int):
        self.name = name
        self.delimiter = ord(delimiter)
        self.offset = 0
        self.line = 1
        self.inside = False  # inside a quoted field at ``offset``
        self.last_byte = -1  # the byte before ``offset`` (-1: none yet)
        self.at_field_start = True  # only spaces since the last field boundary
        self.last_close = -2  # offset of the last quote that closed a quoted field
        self.field_start, self.field_line, self.field_chars, self.field_quotes = 0, 1, 0, 0
        self.record_start, self.record_line, self.record_fields = 0, 1, 1
        self.max_fields = 0
        self.seen_bytes = False
        # Record-end offsets, for the largest text any `k` consecutive rows hold.
        self.windows = _halvings(chunk_rows)
        self.window_max = dict.fromkeys(self.windows, 0)
        self.ends = np.zeros(1, dtype=np.int64)  # the start of the file
        self.breaks = np.empty(0, dtype=np.int64)  # line ends in the current block

    def feed(self, block: bytes, last: bool) -> None:
        if block:
            self.seen_bytes = True
            self._feed(block)
        if last:
            self._close_last_record()

    def finish(self) -> TextShape:
        if self.inside:
            raise UnreadableFileError(
                f"{self.name} line {self.field_line}: a quoted field starts on this line and "
                "is never closed (a missing closing quote?)."
            )
        lines = self.line - (1 if self.last_byte in (_LF, _CR) else 0)
        chunk = min(self.windows)
        for k in self.windows:  # largest first
            if self.window_max[k] <= MAX_CHUNK_BYTES:
                chunk = k
                break
        width = max(self.max_fields, 1)
        chunk = max(1, min(chunk, MAX_CHUNK_CELLS // width))
        return TextShape(
            lines=max(lines, 1 if self.seen_bytes else 0), max_fields=width, chunk_rows=chunk
        )

    # -- one block ------------------------------------------------------------------------

    def _feed(self, block: bytes) -> None:
        b = np.frombuffer(block, dtype=np.uint8)
        n = b.size
        # Only delimiters and line-break bytes can end a field: the work is done on them.
        candidates = np.flatnonzero((b == self.delimiter) | (b == _LF) | (b == _CR))
        kinds = b[candidates]
        is_break = kinds == _LF
        is_cr = kinds == _CR
        if is_cr.any():
            cr = candidates[is_cr]  # "\r" ends a line unless "\n" follows
            is_break[is_cr] = (cr == n - 1) | (b[np.minimum(cr + 1, n - 1)] != _LF)
        self.breaks = candidates[is_break]
        nul = block.find(b"\x00")
        if nul >= 0:
            self._fail(self._line_at(nul), "holds a NUL byte (binary data)")
        outside = self._outside_at(b, block, candidates)
        if outside is None:  # the whole block is inside one quoted field
            field_ends = record_ends = delimiters = np.empty(0, dtype=np.int64)
        else:
            field_ends = candidates[outside]
            record_ends = candidates[outside & is_break]
            delimiters = candidates[outside & (kinds == self.delimiter)]
        self._check_fields(b, field_ends)
        self._check_records(b, record_ends, delimiters)
        self._carry(block, b, field_ends, record_ends, delimiters)

    def _outside_at(self, b: np.ndarray, block: bytes, candidates: np.ndarray) -> np.ndarray | None:
        """Which candidates lie outside quoted fields (None: the whole block is inside one)."""
        if block.find(b'"') < 0:
            return None if self.inside else np.ones(candidates.size, dtype=bool)
        toggles = self._significant_quotes(b, np.flatnonzero(b == _QUOTE))
        # Toggles before each candidate: few toggles, so place them among the candidates.
        placed = np.bincount(np.searchsorted(candidates, toggles), minlength=candidates.size)
        state = (np.cumsum(placed[: candidates.size]) + self.inside) % 2
        if toggles.size:
            closing = (np.arange(toggles.size) + self.inside) % 2 == 1
            closes = toggles[closing]
            if closes.size:
                self.last_close = self.offset + int(closes[-1])
            self.inside = (toggles.size + self.inside) % 2 == 1
        return state == 0

    def _significant_quotes(self, b: np.ndarray, quotes: np.ndarray) -> np.ndarray:
        """Positions of the quotes that open or close a quoted field; the others are text.

        Outside a quoted field a quote opens one only at a field's start (after spaces),
        or right after a closing quote (``""``: an escaped quote, read as close-and-reopen).
        Inside, every quote closes.  The common case, where every quote is such a quote,
        is checked at once; otherwise the quotes are walked one by one.
        """
        before = b[np.maximum(quotes - 1, 0)].astype(np.int16)
        if quotes[0] == 0:
            before[0] = self.last_byte
        at_start = (before == self.delimiter) | (before == _LF) | (before == _CR)
        for k in np.flatnonzero(before == _SPACE).tolist():
            at_start[k] = self._start_after_spaces(b, int(quotes[k]))
        after_quote = before == _QUOTE
        if quotes[0] == 0:
            at_start[0] = self.at_field_start
            after_quote[0] = self.last_close == self.offset - 1
        opening = (np.arange(quotes.size) + self.inside) % 2 == 0
        if bool(np.all(~opening | at_start | after_quote)):
            return quotes
        significant = []
        inside, last_close = self.inside, self.last_close - self.offset
        for k, position in enumerate(quotes.tolist()):
            if inside:
                inside, last_close = False, position
                significant.append(position)
            elif at_start[k] or last_close == position - 1:
                inside = True
                significant.append(position)
        return np.asarray(significant, dtype=np.int64)

    def _start_after_spaces(self, b: np.ndarray, position: int) -> bool:
        j = position - 1
        while j >= 0 and b[j] == _SPACE:
            j -= 1
        if j < 0:
            return self.at_field_start
        return int(b[j]) in (self.delimiter, _LF, _CR)

    def _check_fields(self, b: np.ndarray, ends: np.ndarray) -> None:
        if ends.size:
            starts = np.empty(ends.size, dtype=np.int64)
            starts[0] = self.field_start - self.offset
            starts[1:] = ends[:-1] + 1
            for k in np.flatnonzero(ends - starts > MAX_CELL_CHARS).tolist():
                start, end = int(starts[k]), int(ends[k])
                chars, quotes = _chars_and_quotes(b[max(start, 0) : end])
                if start < 0:
                    chars, quotes = chars + self.field_chars, quotes + self.field_quotes
                # Every quote byte counted as markup: never more than the value's length.
                if chars - quotes > MAX_CELL_CHARS:
                    self._field_too_long(self.field_line if start < 0 else self._line_at(start))
        tail = int(ends[-1]) + 1 if ends.size else 0
        open_bytes = b.size - tail + (0 if ends.size else self.offset - self.field_start)
        if open_bytes > MAX_CELL_CHARS:
            chars, quotes = _chars_and_quotes(b[tail:])
            if not ends.size:
                chars, quotes = chars + self.field_chars, quotes + self.field_quotes
            if chars - quotes > MAX_CELL_CHARS:
                self._field_too_long(self._line_at(tail) if ends.size else self.field_line)

    def _check_records(self, b: np.ndarray, ends: np.ndarray, delimiters: np.ndarray) -> None:
        if ends.size:
            starts = np.empty(ends.size, dtype=np.int64)
            starts[0] = self.record_start - self.offset
            starts[1:] = ends[:-1] + 1
            lengths = ends - starts
            long = np.flatnonzero(lengths > MAX_LINE_BYTES)
            if long.size:
                k = int(long[0])
                line = self.record_line if k == 0 else self._line_at(int(starts[k]))
                self._record_too_long(line, self._line_at(int(ends[k])))
            before = np.searchsorted(delimiters, ends)
            fields = np.diff(before, prepend=0) + 1
            fields[0] += self.record_fields - 1
            widest = int(fields.argmax())
            if fields[widest] > MAX_COLUMNS:
                start = int(starts[widest])
                line = self.record_line if widest == 0 else self._line_at(start)
                self._too_many_fields(line, int(fields[widest]))
            self.max_fields = max(self.max_fields, int(fields[widest]))
            # A record is a row unless it is blank ("\r\n" leaves a lone "\r").
            blank = (lengths == 0) | ((lengths == 1) & (b[np.maximum(ends - 1, 0)] == _CR))
            self._count_windows(self.offset + ends[~blank])
        open_start = int(ends[-1]) + 1 if ends.size else self.record_start - self.offset
        open_line = self._line_at(open_start) if ends.size else self.record_line
        if b.size - open_start > MAX_LINE_BYTES:
            self._record_too_long(open_line, None)
        open_fields = (1 if ends.size else self.record_fields) + int(
            np.count_nonzero(delimiters >= open_start)
        )
        if open_fields > MAX_COLUMNS:
            self._too_many_fields(open_line, open_fields)

    def _count_windows(self, ends: np.ndarray) -> None:
        """Track, for each candidate chunk size k, the most bytes k consecutive rows span."""
        if not ends.size:
            return
        joined = np.concatenate([self.ends, ends])
        for k in self.windows:
            # Windows that end at one of the new record ends; fewer than k rows so far: all.
            first = max(joined.size - ends.size, k)
            if first < joined.size:
                spans = joined[first:] - joined[first - k : joined.size - k]
                self.window_max[k] = max(self.window_max[k], int(spans.max()))
            elif joined.size <= k:
                self.window_max[k] = max(self.window_max[k], int(joined[-1] - joined[0]))
        self.ends = joined[-max(self.windows) :]

    def _carry(self, block, b, field_ends, record_ends, delimiters) -> None:
        if field_ends.size:
            tail = int(field_ends[-1]) + 1
            self.field_start = self.offset + tail
            self.field_line = self._line_at(tail)
            self.field_chars, self.field_quotes = _chars_and_quotes(b[tail:])
        else:
            chars, quotes = _chars_and_quotes(b)
            self.field_chars += chars
            self.field_quotes += quotes
        if record_ends.size:
            tail = int(record_ends[-1]) + 1
            self.record_start = self.offset + tail
            self.record_line = self._line_at(tail)
            self.record_fields = 1 + int(np.count_nonzero(delimiters >= tail))
        else:
            self.record_fields += int(delimiters.size)
        j = b.size - 1
        while j >= 0 and block[j] == _SPACE:
            j -= 1
        if j >= 0:  # a quote after spaces at the next block's start opens a field iff:
            self.at_field_start = bool(field_ends.size) and int(field_ends[-1]) == j
        self.line += int(self.breaks.size)
        self.last_byte = int(b[-1])
        self.offset += b.size

    def _close_last_record(self) -> None:
        """Count a last record that has no line break: it is a row too."""
        if self.offset > self.record_start and not self.inside:
            self._count_windows(np.asarray([self.offset], dtype=np.int64))
            self.max_fields = max(self.max_fields, self.record_fields)

    def _line_at(self, position: int) -> int:
        """Return the line number at a position of the current block."""
        return self.line + int(np.searchsorted(self.breaks, position))

    # -- refusals -------------------------------------------------------------------------

    def _fail(self, line: int, problem: str) -> None:
        raise UnreadableFileError(f"{self.name} line {line} {problem}; this is not a text table.")

    def _field_too_long(self, line: int) -> None:
        raise UnreadableFileError(
            f"{self.name} line {line}: a field that starts on this line is longer than "
            f"{MAX_CELL_CHARS:,} characters, more than a spreadsheet cell can hold "
            "(a missing closing quote, or a whole document pasted into one cell)."
        )

    def _record_too_long(self, line: int, last_line: int | None) -> None:
        span = "" if last_line in (None, line) else f" (through line {last_line})"
        raise UnreadableFileError(
            f"{self.name} line {line}: the record that starts on this line{span} is longer "
            f"than {MAX_LINE_BYTES // 1_000_000} MB; this is not a table of seizure records."
        )

    def _too_many_fields(self, line: int, fields: int) -> None:
        raise UnreadableFileError(
            f"{self.name} line {line} has {fields:,} fields, more than the {MAX_COLUMNS:,} "
            "columns a spreadsheet can hold; this is not a table of seizure records."
        )


def _halvings(rows: int) -> list[int]:
    """Candidate chunk sizes, largest first: rows, rows/2, ... down to what 64 MB always holds."""
    floor = max(1, MAX_CHUNK_BYTES // MAX_LINE_BYTES)
    sizes = [max(rows, 1)]
    while sizes[-1] > floor:
        sizes.append(max(sizes[-1] // 2, floor))
    return sizes


def _chars_and_quotes(segment: np.ndarray) -> tuple[int, int]:
    """Characters (UTF-8 lead bytes) and quote bytes in a stretch of the stream."""
    if not segment.size:
        return 0, 0
    chars = int(np.count_nonzero((segment & 0xC0) != 0x80))
    return chars, int(np.count_nonzero(segment == _QUOTE))


# --- Workbooks ---------------------------------------------------------------------------


def check_workbook(path: Path) -> None:
    """Check an XLSX file's parts before openpyxl opens it.

    The zip's declared sizes must add up to at most ``MAX_XLSX_UNZIPPED_BYTES``.  Every XML
    part is then inflated in bounded blocks and read by a streaming parser that refuses
    DTDs (entity expansion), XML that is not well formed, rows beyond ``MAX_SHEET_ROWS``,
    rows of more than ``MAX_COLUMNS`` cells or of more XML than openpyxl should build at
    once, more than ``MAX_SHARED_STRINGS`` shared strings, and cell text beyond the limits:
    a cell over ``MAX_CELL_CHARS``, a row over ``MAX_LINE_BYTES``, a sheet over
    ``MAX_XLSX_TEXT_CHARS`` (a shared string counts each time a cell uses it).

    Parameters
    ----------
    path : Path
        The workbook.

    Raises
    ------
    UnreadableFileError
        Naming the file, the part and the problem (and the row and column, for a cell).
    """
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except Exception as error:  # zipfile raises many types on a damaged directory
        raise UnreadableFileError(
            f"{name} is not a readable Excel workbook: its zip structure is damaged "
            f"({one_line(error)})."
        ) from error
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        if total > MAX_XLSX_UNZIPPED_BYTES:
            biggest = max(infos, key=lambda info: info.file_size)
            what = "the workbook"
            if biggest.file_size > MAX_XLSX_UNZIPPED_BYTES:
                what = f"{_part_role(biggest.filename)} ({biggest.filename})"
                total = biggest.file_size
            raise UnreadableFileError(
                f"{name}: {what} expands to {describe_size(total)} when unzipped, more than "
                f"the {describe_size(MAX_XLSX_UNZIPPED_BYTES)} this importer reads; save the "
                "sheet as CSV, or split it into smaller workbooks."
            )
        # Shared strings first: a sheet's cells are measured by the strings they use.
        shared_lengths = array("q")
        for info in sorted(infos, key=lambda info: "sharedstrings" not in info.filename.lower()):
            _check_part(archive, info, name, shared_lengths)


def _part_role(part: str) -> str:
    lowered = part.lower()
    if "worksheets/" in lowered:
        return "the sheet"
    if "sharedstrings" in lowered:
        return "the shared-strings table"
    return "the part"


def _check_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, shared_lengths: array
) -> None:
    """Stream one part through expat if it is XML; refuse what openpyxl must not read."""
    if info.is_dir() or info.file_size == 0:
        return
    parser = None
    try:
        with archive.open(info) as handle:
            while block := handle.read(1 << 20):
                if parser is None:
                    if not block.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                        return  # not XML (an image, a VBA project): openpyxl does not parse it
                    parser = _part_parser(name, info.filename, shared_lengths)
                parser.Parse(block, False)
        if parser is not None:
            parser.Parse(b"", True)
    except expat.ExpatError as error:
        if info.filename.lower().endswith(".vml"):
            return  # legacy drawings are often not well formed; openpyxl does not read them
        raise UnreadableFileError(
            f"{name} is a damaged workbook: part {info.filename} is not well-formed XML "
            f"({expat.ErrorString(error.code)} at line {error.lineno}, column {error.offset}); "
            "open it in Excel and save it again."
        ) from error
    except UnreadableFileError:
        raise
    except Exception as error:  # CRC, inflate, encryption, unknown method: damaged either way
        raise UnreadableFileError(
            f"{name} is a damaged workbook: part {info.filename} cannot be unzipped "
            f"({one_line(error)}); open it in Excel and save it again."
        ) from error


def _part_parser(name: str, part: str, shared_lengths: array) -> expat.XMLParserType:
    """Return an expat parser that measures rows, cells, shared strings and text as it goes.

    A "unit" is a ``row`` of a sheet or an ``si`` of the shared-strings table: what
    openpyxl builds as one tree and then discards; every other element it keeps.  Text
    is counted only inside cell values (``v``, and ``t`` of inline strings) and shared
    strings, by switching the character handler on and off, so Python sees little of
    the XML.  The handlers run for every element of a sheet: their state lives in local
    variables of this function (faster than attributes), and they raise
    :class:`UnreadableFileError` at the first limit passed.
    """
    lowered = part.lower()
    # Rows and strings are streamed only where openpyxl streams them: elsewhere they count.
    whole_tree = not ("worksheets/" in lowered or "sharedstrings" in lowered.rsplit("/", 1)[-1])
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0
    unit: str | None = None  # "row" or "si" while inside one
    unit_depth = unit_start = unit_elements = unit_cells = unit_chars = 0
    unit_number: object = None
    cell_depth = cell_chars = text_depth = phonetic_depth = 0
    cell_ref: str | None = None
    cell_shared = False
    index_text: list[str] = []
    rows = strings = others = sheet_chars = 0

    def refuse_row(problem: str) -> None:
        raise UnreadableFileError(
            f"{name}: row {unit_number} of {part} {problem}; "
            "this is not a table of seizure records."
        )

    def check_unit_bytes() -> None:
        size = parser.CurrentByteIndex - unit_start
        if unit == "row" and size > _MAX_ROW_XML_BYTES:
            refuse_row(f"takes more than {describe_size(_MAX_ROW_XML_BYTES)} of XML")
        if unit == "si" and size > _MAX_STRING_XML_BYTES:
            raise UnreadableFileError(
                f"{name}: shared string {strings:,} of {part} is longer than "
                f"{MAX_CELL_CHARS:,} characters, more than a spreadsheet cell can hold."
            )

    def count_cell_text(data: str) -> None:
        nonlocal cell_chars
        cell_chars += len(data)

    def count_string_text(data: str) -> None:
        nonlocal unit_chars
        unit_chars += len(data)

    def open_unit(local: str, attributes: dict[str, str]) -> None:
        nonlocal unit, unit_depth, unit_start, unit_elements, unit_cells, unit_chars
        nonlocal unit_number, rows, strings
        unit, unit_depth, unit_start = local, depth, parser.CurrentByteIndex
        unit_elements = unit_cells = unit_chars = 0
        if local == "si":
            strings += 1
            if strings > MAX_SHARED_STRINGS:
                raise UnreadableFileError(
                    f"{name}: the shared-strings table ({part}) holds more than "
                    f"{MAX_SHARED_STRINGS:,} strings, more than this importer reads; save the "
                    "sheet as CSV."
                )
            return
        rows += 1
        number = attributes.get("r")
        unit_number = number or rows
        if rows > MAX_SHEET_ROWS or (number and number.isdigit() and int(number) > MAX_SHEET_ROWS):
            refuse_row(f"is beyond Excel's last row ({MAX_SHEET_ROWS:,})")

    def close_cell() -> None:
        nonlocal cell_depth, unit_chars
        cell_depth = 0
        if cell_chars > MAX_CELL_CHARS:
            column = (cell_ref or "").rstrip("0123456789") or _column_letters(unit_cells)
            raise UnreadableFileError(
                f"{name}: row {unit_number}, column {column} of {part} holds "
                f"{cell_chars:,} characters, more than the {MAX_CELL_CHARS:,} a "
                "spreadsheet cell can hold."
            )
        unit_chars += cell_chars

    def close_unit() -> None:
        nonlocal unit, sheet_chars
        check_unit_bytes()
        if unit == "si":
            shared_lengths.append(unit_chars)
        else:
            if unit_chars > MAX_LINE_BYTES:
                refuse_row(
                    f"holds {unit_chars:,} characters of text, more than "
                    f"{MAX_LINE_BYTES // 1_000_000} MB"
                )
            sheet_chars += unit_chars
            if sheet_chars > MAX_XLSX_TEXT_CHARS:
                raise UnreadableFileError(
                    f"{name}: by row {unit_number}, the cells of {part} hold more than "
                    f"{describe_size(MAX_XLSX_TEXT_CHARS)} of text (a long string repeated in "
                    "many cells?), more than this importer reads."
                )
        unit = None

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth, others, unit_elements, unit_cells, cell_depth, cell_chars, cell_ref
        nonlocal cell_shared, text_depth, index_text, phonetic_depth
        depth += 1
        local = _TAGS.get(tag)
        if unit is None:
            if (local == "row" or local == "si") and not whole_tree:
                open_unit(local, attributes)
                return
            others += 1
            if others > _MAX_PART_ELEMENTS:
                raise UnreadableFileError(
                    f"{name}: part {part} holds more than {_MAX_PART_ELEMENTS:,} XML elements "
                    "outside its rows, more than a workbook needs; open it in Excel and save "
                    "it again."
                )
            return
        unit_elements += 1
        if unit_elements > _MAX_ROW_ELEMENTS:
            refuse_row(f"holds more than {_MAX_ROW_ELEMENTS:,} XML elements")
        if local is None:
            return
        if unit == "row":
            if local == "c" and not cell_depth:
                unit_cells += 1
                if unit_cells > MAX_COLUMNS:
                    refuse_row(f"has more than {MAX_COLUMNS:,} cells, Excel's limit")
                check_unit_bytes()
                cell_depth, cell_chars = depth, 0
                cell_ref = attributes.get("r")
                cell_shared = attributes.get("t") == "s"
            elif (local == "v" or local == "t") and cell_depth and not text_depth:
                text_depth = depth
                if local == "v" and cell_shared:
                    index_text = []
                    parser.CharacterDataHandler = index_text.append
                else:
                    parser.CharacterDataHandler = count_cell_text
        elif local == "rPh":  # phonetic hints are not part of the string
            phonetic_depth = phonetic_depth or depth
        elif local == "t" and not phonetic_depth and not text_depth:
            text_depth = depth
            parser.CharacterDataHandler = count_string_text

    def end(_tag: str) -> None:
        nonlocal depth, text_depth, cell_chars, phonetic_depth
        ended = depth
        depth -= 1
        if unit is None:
            return
        if ended == text_depth:
            parser.CharacterDataHandler = None
            text_depth = 0
            if unit == "row" and cell_shared:
                cell_chars += _shared_length(shared_lengths, "".join(index_text))
        elif ended == cell_depth:
            close_cell()
        elif ended == unit_depth:
            close_unit()
        elif ended == phonetic_depth:
            phonetic_depth = 0

    def refuse_doctype(*_args: object) -> None:
        raise UnreadableFileError(
            f"{name} is not a plain Excel workbook: part {part} declares a DTD or "
            "entities, which workbooks never hold (an entity-expansion bomb?)."
        )

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    return parser


def _shared_length(shared_lengths: array, index: str) -> int:
    """Return the length of the shared string a cell names (its index's length if none)."""
    index = index.strip()
    if index.isdigit() and int(index) < len(shared_lengths):
        return shared_lengths[int(index)]
    return len(index)


def _column_letters(position: int) -> str:
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def one_line(error: BaseException) -> str:
    """Return an exception's text as one short clause: one line, no final full stop.

    Parameters
    ----------
    error : BaseException
        The exception (from a parser) to quote in a sentence.

    Returns
    -------
    str
        Its message, whitespace collapsed, at most 160 characters.
    """
    text = " ".join(str(error).split()) or type(error).__name__
    if len(text) > 160:
        text = text[:157] + "..."
    return text.rstrip(".")
