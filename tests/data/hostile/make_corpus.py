"""Write the hostile-file corpus: decompression bombs, broken files and files that lose rows.

The files are generated, not committed (several are a few megabytes and unzip to a
gigabyte).  ``python tests/data/hostile/make_corpus.py DIR`` writes every case into DIR;
tests load this module and call :func:`write_case` into a temporary folder.  ``CASES``
says, per file, what is wrong with it, which review finding it reproduces, and what the
importer must do: refuse it in one sentence (``says``: words the sentence must contain) or
read it with every data row counted (``rows``).

Bombs are written without ever holding their expanded size in memory: a deflate stream
that repeats one block is built by compressing the block once after a full flush (which
resets the compressor, so every repetition compresses to the same bytes) and repeating
those bytes; the zip around it is written by hand.
"""

from __future__ import annotations

import argparse
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MB = 1 << 20
GB = 1 << 30

# --- Zip writing -------------------------------------------------------------------------


@dataclass
class _Part:
    """One zip entry: its deflated bytes (pieces written in order) and true size and CRC."""

    name: str
    pieces: list[tuple[bytes, int]]  # (deflated bytes, times written)
    size: int
    crc: int
    declared_size: int | None = None  # a lying header: the size the zip claims

    @property
    def compressed_size(self) -> int:
        return sum(len(data) * times for data, times in self.pieces)


def _deflated(name: str, data: bytes) -> _Part:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return _Part(name, [(packed, 1)], len(data), zlib.crc32(data))


def _repeated(name: str, head: bytes, unit: bytes, times: int, tail: bytes) -> _Part:
    """A part of ``head + unit * times + tail``, deflated without building it."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed_head = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed_unit = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed_tail = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(unit) * times + len(tail)
    return _Part(name, [(packed_head, 1), (packed_unit, times), (packed_tail, 1)], size, crc)


def _write_zip(path: Path, parts: list[_Part]) -> None:
    """Write a zip of deflated parts (no zip64: every part stays under 4 GiB)."""
    date = ((2022 - 1980) << 9) | (1 << 5) | 1
    central = []
    with open(path, "wb") as handle:
        for part in parts:
            offset = handle.tell()
            name = part.name.encode()
            declared = part.size if part.declared_size is None else part.declared_size
            fields = (8, 0, date, part.crc, part.compressed_size, declared, len(name))
            handle.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *fields, 0) + name)
            for data, times in part.pieces:
                for _ in range(times):
                    handle.write(data)
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset
                )
                + name
            )
        start = handle.tell()
        directory = b"".join(central)
        handle.write(directory)
        handle.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), start, 0
            )
        )


# --- Workbooks ---------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_XML = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
HEADER = ("Date", "Country", "Species", "Quantity", "Notes")


def _content_types(shared: bool) -> bytes:
    overrides = [
        ("/xl/workbook.xml", "sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", "worksheet+xml"),
        ("/xl/styles.xml", "styles+xml"),
    ]
    if shared:
        overrides.append(("/xl/sharedStrings.xml", "sharedStrings+xml"))
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    body = "".join(
        f'<Override PartName="{part}" ContentType="{kind}{ct}"/>' for part, ct in overrides
    )
    return (
        _XML
        + (
            f'<Types xmlns="{_PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{body}</Types>"
        ).encode()
    )


def _workbook_parts(shared: bool) -> list[_Part]:
    relations = [
        ("rId1", "worksheet", "worksheets/sheet1.xml"),
        ("rId2", "styles", "styles.xml"),
    ]
    if shared:
        relations.append(("rId3", "sharedStrings", "sharedStrings.xml"))
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{_REL}/{kind}" Target="{target}"/>'
        for rid, kind, target in relations
    )
    styles = (
        f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
        '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
        'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
        'builtinId="0"/></cellStyles></styleSheet>'
    )
    return [
        _deflated("[Content_Types].xml", _content_types(shared)),
        _deflated(
            "_rels/.rels",
            _XML
            + f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
        ),
        _deflated(
            "xl/workbook.xml",
            _XML
            + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Data" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        ),
        _deflated(
            "xl/_rels/workbook.xml.rels",
            _XML + f'<Relationships xmlns="{_PKG}/relationships">{rels}</Relationships>'.encode(),
        ),
        _deflated("xl/styles.xml", _XML + styles.encode()),
    ]


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inline(ref: str, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def _row(number: int, cells: list[str]) -> str:
    body = "".join(_inline(f"{_column(i)}{number}", text) for i, text in enumerate(cells, 1))
    return f'<row r="{number}">{body}</row>'


def _record(number: int) -> list[str]:
    """A valid seizure row (accepted by the importer), different for each number."""
    return [f"2021-03-{1 + number % 28:02d}", "KE", "Loxodonta africana", str(number), ""]


def _sheet_head(dimension: str | None = None) -> str:
    tag = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{_MAIN}">{tag}<sheetData>'


_SHEET_TAIL = "</sheetData></worksheet>"


def _plain_sheet(rows: int, dimension: str | None = None) -> str:
    body = "".join(_row(n + 1, _record(n)) for n in range(1, rows + 1))
    return _sheet_head(dimension) + _row(1, list(HEADER)) + body + _SHEET_TAIL


def _write_workbook(path: Path, sheet: _Part, shared: _Part | None = None) -> None:
    _write_zip(path, [*_workbook_parts(shared is not None), sheet, *([shared] if shared else [])])


def write_one_huge_cell(path: Path) -> None:
    """A 1 MB workbook whose one shared string unzips to 1 GB."""
    header = "".join(f'<c r="{_column(i)}1" t="s"><v>{i}</v></c>' for i in range(1, 6))
    strings = "".join(f"<si><t>{text}</t></si>" for text in ("", *HEADER))
    sheet = (
        _sheet_head() + f'<row r="1">{header}</row><row r="2">'
        '<c r="A2" t="inlineStr"><is><t>2021-03-01</t></is></c>'
        '<c r="E2" t="s"><v>0</v></c></row>' + _SHEET_TAIL
    )
    shared = _repeated(
        "xl/sharedStrings.xml",
        (_XML.decode() + f'<sst xmlns="{_MAIN}"><si><t>').encode(),
        b"A" * MB,
        GB // MB,
        ("</t></si>" + strings[len("<si><t></t></si>") :] + "</sst>").encode(),
    )
    _write_workbook(path, _deflated("xl/worksheets/sheet1.xml", sheet.encode()), shared)


def write_unused_strings(path: Path) -> None:
    """A small sheet of inline strings, and an unused 1 GB shared-strings table."""
    unit = b"<si><t>x</t></si>" * (MB // 17)
    shared = _repeated(
        "xl/sharedStrings.xml",
        (_XML.decode() + f'<sst xmlns="{_MAIN}">').encode(),
        unit,
        GB // len(unit),
        b"</sst>",
    )
    _write_workbook(path, _deflated("xl/worksheets/sheet1.xml", _plain_sheet(20).encode()), shared)


def write_many_big_cells(path: Path) -> None:
    """10,000 rows whose notes are 100 KB inline strings: 1 GB of sheet XML."""
    number = 2
    head = (_sheet_head() + _row(1, list(HEADER))).encode()
    # Every row the same bytes (no r attributes), so that the sheet deflates by repetition.
    unit = (
        "<row>"
        + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in _record(number)[:4])
        + '<c t="inlineStr"><is><t>'
        + "N" * 100_000
        + "</t></is></c></row>"
    ).encode()
    part = _repeated("xl/worksheets/sheet1.xml", head, unit, 10_000, _SHEET_TAIL.encode())
    _write_workbook(path, part)


def write_repeated_big_string(path: Path) -> None:
    """One 30,000-character shared string used as the notes of 60,000 rows (1.8 GB of text)."""
    strings = _XML.decode() + f'<sst xmlns="{_MAIN}"><si><t>{"R" * 30_000}</t></si></sst>'
    head = (_sheet_head() + _row(1, list(HEADER))).encode()
    unit = (
        "<row>"
        + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in _record(3)[:4])
        + '<c t="s"><v>0</v></c></row>'
    ).encode() * 20
    sheet = _repeated("xl/worksheets/sheet1.xml", head, unit, 3_000, _SHEET_TAIL.encode())
    _write_workbook(path, sheet, _deflated("xl/sharedStrings.xml", strings.encode()))


def write_wide_row(path: Path) -> None:
    """A data row of 5 million empty cells (20 MB of XML, 20 KB zipped)."""
    head = (_sheet_head() + _row(1, list(HEADER)) + '<row r="2">').encode()
    sheet = _repeated(
        "xl/worksheets/sheet1.xml", head, b"<c/>" * 250_000, 20, ("</row>" + _SHEET_TAIL).encode()
    )
    _write_workbook(path, sheet)


def write_huge_dimension(path: Path) -> None:
    """10,000 rows, and a dimension tag claiming 16,384 columns (every row padded to it)."""
    sheet = _plain_sheet(10_000, dimension="A1:XFD1048576")
    _write_workbook(path, _deflated("xl/worksheets/sheet1.xml", sheet.encode()))


def write_short_dimension(path: Path) -> None:
    """Forty rows under a dimension tag that claims three."""
    sheet = _plain_sheet(40, dimension="A1:E3")
    _write_workbook(path, _deflated("xl/worksheets/sheet1.xml", sheet.encode()))


def write_far_row(path: Path) -> None:
    """Twenty rows, then one numbered 2,000,000,000 (openpyxl pads the gap with empty rows)."""
    sheet = _plain_sheet(20)
    far = _row(2_000_000_000, _record(99))
    sheet = sheet.replace(_SHEET_TAIL, far + _SHEET_TAIL)
    _write_workbook(path, _deflated("xl/worksheets/sheet1.xml", sheet.encode()))


def write_cell_over_limit(path: Path) -> None:
    """Row 4's notes hold 40,000 characters (openpyxl would cut them to 32,767 unasked)."""
    before, after = _plain_sheet(5).split('<row r="4">')
    long = _row(4, [*_record(3)[:4], "L" * 40_000])
    sheet = before + long + after[after.index("</row>") + len("</row>") :]
    _write_workbook(path, _deflated("xl/worksheets/sheet1.xml", sheet.encode()))


def write_lying_size(path: Path) -> None:
    """A sheet that unzips to 1 GB while the zip declares 40 KB."""
    head = (_sheet_head() + _row(1, list(HEADER))).encode()
    row = _row(2, _record(2)).replace('r="2"', "").replace('r="A2"', "").encode()
    part = _repeated(
        "xl/worksheets/sheet1.xml", head, row * (MB // len(row)), GB // MB, _SHEET_TAIL.encode()
    )
    part.declared_size = 40_000
    _write_workbook(path, part)


def write_broken_sheet_xml(path: Path) -> None:
    """A valid zip whose sheet XML breaks off in the middle of row 6."""
    sheet = _plain_sheet(10)
    cut = sheet.index('<row r="6">') + 30
    _write_workbook(path, _deflated("xl/worksheets/sheet1.xml", sheet[:cut].encode()))


def write_entity_bomb(path: Path) -> None:
    """Billion laughs: a DTD whose nested entities expand to gigabytes."""
    entities = '<!ENTITY a0 "hahahahahahahahahaha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    sheet = _plain_sheet(3).replace(
        "<sheetData>", "<sheetData>" + _row(9, ["&a9;"]).replace("&amp;a9;", "&a9;"), 1
    )
    sheet = f"<!DOCTYPE worksheet [{entities}]>" + sheet
    _write_workbook(path, _deflated("xl/worksheets/sheet1.xml", sheet.encode()))


# --- Text tables -------------------------------------------------------------------------

CSV_HEADER = "Date,Country,Species,Quantity,Notes\n"


def _csv_rows(first: int, count: int) -> str:
    return "".join(
        f"2021-03-{1 + n % 28:02d},KE,Loxodonta africana,{n},seized at the port\n"
        for n in range(first, first + count)
    )


def write_long_field_head(path: Path) -> None:
    """A 200 KB quoted notes field on line 3 (a 200 KB line, under the 1 MB line limit)."""
    path.write_text(
        CSV_HEADER
        + _csv_rows(1, 1)
        + f'2021-03-02,KE,Loxodonta africana,2,"{"L" * 200_000}"\n'
        + _csv_rows(3, 10),
        encoding="utf-8",
    )


def write_long_field_split(path: Path) -> None:
    """After 3,000 rows, a quoted field of 8 MB split over lines of 400 KB (line 3,002)."""
    chunk = "S" * 400_000
    field_text = "\n".join([chunk] * 20)
    path.write_text(
        CSV_HEADER
        + _csv_rows(1, 3000)
        + f'2021-03-02,KE,Loxodonta africana,7,"{field_text}"\n'
        + _csv_rows(3001, 10),
        encoding="utf-8",
    )


def write_nul_late(path: Path) -> None:
    """A NUL byte on line 30,002, about 2 MB into the file."""
    path.write_text(
        CSV_HEADER
        + _csv_rows(1, 30_000)
        + "2021-03-02,KE,Loxodonta\x00 africana,1,x\n"
        + _csv_rows(30_001, 10),
        encoding="utf-8",
    )


def write_no_header(path: Path) -> None:
    """200 data lines and no header row; line 3 happens to read "pieces" and "transit"."""
    lines = []
    for n in range(1, 201):
        unit, leg = ("pieces", "transit") if n == 3 else ("kg", "seized")
        lines.append(f"2021-03-{1 + n % 28:02d},KE,Loxodonta africana,{n},{unit},{leg}\n")
    path.write_text("".join(lines), encoding="utf-8")


def write_title_lines(path: Path) -> None:
    """A title line, a "generated on" line and a blank line above the header: all rows count."""
    path.write_text(
        "Seizure register 2021\nGenerated on:,2022-01-05\n\n" + CSV_HEADER + _csv_rows(1, 50),
        encoding="utf-8",
    )


def write_unclosed_quote(path: Path) -> None:
    """A quote opened on line 4 and never closed."""
    path.write_text(
        CSV_HEADER + _csv_rows(1, 2) + '2021-03-03,KE,"Loxodonta africana,3,x\n' + _csv_rows(4, 20),
        encoding="utf-8",
    )


def write_overflow_cells(path: Path) -> None:
    """Rows with 30 cells more than the header names: every value must be kept."""
    extra = ",".join(f"v{i}" for i in range(30))
    path.write_text(
        CSV_HEADER
        + "".join(
            line[:-1] + "," + extra + "\n" for line in _csv_rows(1, 20).splitlines(keepends=True)
        ),
        encoding="utf-8",
    )


def write_inch_marks(path: Path) -> None:
    """Quotes inside unquoted fields (5" tusks) are text, not the start of a quoted field."""
    rows = "".join(
        f'2021-03-{1 + n % 28:02d},KE,Loxodonta africana,{n},tusks 30" long; {"x" * 20_000}\n'
        for n in range(1, 21)
    )
    path.write_text(CSV_HEADER + rows, encoding="utf-8")


# --- GeoJSON -----------------------------------------------------------------------------


def _feature(number: int) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "date": f"2021-03-{1 + number % 28:02d}",
            "country": "KE",
            "species": "Loxodonta africana",
            "quantity": number,
        },
        "geometry": {"type": "Point", "coordinates": [39.66, -4.04]},
    }


def _geojson(path: Path, features: list, raw: str | None = None) -> None:
    text = json.dumps({"type": "FeatureCollection", "features": features})
    if raw is not None:
        text = text.replace('"RAW"', raw)
    path.write_text(text, encoding="utf-8")


def write_feature_string(path: Path) -> None:
    """Feature 3 is a string."""
    _geojson(path, [_feature(1), _feature(2), "Feature", _feature(4)])


def write_geometry_string(path: Path) -> None:
    """Feature 2's geometry is a string."""
    broken = _feature(2) | {"geometry": "POINT (39.66 -4.04)"}
    _geojson(path, [_feature(1), broken, _feature(3)])


def write_properties_list(path: Path) -> None:
    """Feature 2's properties are a list."""
    broken = _feature(2) | {"properties": ["2021-03-02", "KE"]}
    _geojson(path, [_feature(1), broken, _feature(3)])


def write_deep_nesting(path: Path) -> None:
    """Feature 2 holds a property nested 100,000 arrays deep."""
    broken = _feature(2)
    broken["properties"]["notes"] = "RAW"
    _geojson(path, [_feature(1), broken], raw="[" * 100_000 + "]" * 100_000)


def write_huge_integer(path: Path) -> None:
    """A quantity of 5,000 digits (Python refuses to convert more than 4,300)."""
    broken = _feature(2)
    broken["properties"]["quantity"] = "RAW"
    _geojson(path, [_feature(1), broken], raw="9" * 5000)


def write_coordinates_object(path: Path) -> None:
    """Feature 2's Point coordinates are an object, not a list."""
    broken = _feature(2)
    broken["geometry"] = {"type": "Point", "coordinates": {"lon": 39.66, "lat": -4.04}}
    _geojson(path, [_feature(1), broken])


# --- The catalogue -----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One hostile file and what the importer must do with it."""

    name: str
    finding: str
    what: str
    write: Callable[[Path], None]
    says: tuple[str, ...] = ()  # the refusal names these (lowercase); empty: it is read
    rows: int | None = None  # data rows, for a file that must be read
    bomb: bool = False  # run it in a memory-limited subprocess
    extra: dict = field(default_factory=dict)


CASES: dict[str, Case] = {
    case.name: case
    for case in [
        Case(
            "one_huge_cell.xlsx",
            "2",
            "one 1 GB cell in a 1 MB workbook",
            write_one_huge_cell,
            says=("1.1 gb", "200 mb", "unzipped"),
            bomb=True,
        ),
        Case(
            "unused_strings.xlsx",
            "2",
            "an unused 1 GB shared-strings table",
            write_unused_strings,
            says=("1.1 gb", "unzipped"),
            bomb=True,
        ),
        Case(
            "many_big_cells.xlsx",
            "2",
            "10,000 cells of 100 KB",
            write_many_big_cells,
            says=("1.0 gb", "unzipped"),
            bomb=True,
        ),
        Case(
            "repeated_big_string.xlsx",
            "2",
            "one 30,000-character string in 60,000 cells",
            write_repeated_big_string,
            says=("200 mb", "text"),
            bomb=True,
        ),
        Case(
            "wide_row.xlsx",
            "2",
            "a row of 5 million cells",
            write_wide_row,
            says=("row 2", "16,384"),
            bomb=True,
        ),
        Case(
            "huge_dimension.xlsx",
            "2",
            "10,000 rows under a dimension tag of 16,384 x 1,048,576",
            write_huge_dimension,
            rows=10_000,
            bomb=True,
        ),
        Case(
            "far_row.xlsx",
            "2",
            "a row numbered 2,000,000,000",
            write_far_row,
            says=("2000000000", "1,048,576"),
            bomb=True,
        ),
        Case(
            "lying_size.xlsx",
            "2",
            "a sheet of 1 GB that the zip declares as 40 KB",
            write_lying_size,
            says=("sheet1.xml",),  # zipfile stops at the declared size: a CRC error
            bomb=True,
        ),
        Case(
            "entity_bomb.xlsx",
            "2",
            "billion laughs in the sheet XML",
            write_entity_bomb,
            says=("sheet1.xml", "dtd"),
            bomb=True,
        ),
        Case(
            "cell_over_limit.xlsx",
            "2",
            "a cell of 40,000 characters in row 4",
            write_cell_over_limit,
            says=("row 4", "column e", "40,000"),
        ),
        Case(
            "short_dimension.xlsx",
            "4",
            "40 rows under a dimension tag that claims 3",
            write_short_dimension,
            rows=40,
        ),
        Case(
            "broken_sheet_xml.xlsx",
            "3",
            "a valid zip whose sheet XML breaks off",
            write_broken_sheet_xml,
            says=("sheet1.xml", "xml", "line"),
        ),
        Case(
            "long_field_head.csv",
            "3",
            "a 200 KB quoted field on line 3",
            write_long_field_head,
            says=("line 3", "32,767"),
        ),
        Case(
            "long_field_split.csv",
            "5",
            "an 8 MB quoted field split over 400 KB lines",
            write_long_field_split,
            says=("line 3002",),
        ),
        Case(
            "nul_late.csv",
            "5",
            "a NUL byte 2 MB into the file",
            write_nul_late,
            says=("line 30002", "nul"),
        ),
        Case(
            "no_header.csv",
            "4",
            "200 data lines without a header row",
            write_no_header,
            says=("header", "line 3"),
        ),
        Case(
            "title_lines.csv",
            "4",
            "title lines and a blank line above the header",
            write_title_lines,
            rows=50,
        ),
        Case(
            "unclosed_quote.csv",
            "3",
            "a quote opened on line 4 and never closed",
            write_unclosed_quote,
            says=("line 4", "never closed"),
        ),
        Case(
            "overflow_cells.csv",
            "4",
            "rows with 30 more cells than the header",
            write_overflow_cells,
            rows=20,
            extra={"values": [f"v{i}" for i in range(30)]},
        ),
        Case(
            "inch_marks.csv",
            "5",
            'unquoted fields with a quote inside (30" tusks)',
            write_inch_marks,
            rows=20,
        ),
        Case(
            "feature_string.geojson",
            "3",
            "a feature that is a string",
            write_feature_string,
            says=("feature 3", "string"),
        ),
        Case(
            "geometry_string.geojson",
            "3",
            "a geometry that is a string",
            write_geometry_string,
            says=("feature 2", "geometry"),
        ),
        Case(
            "properties_list.geojson",
            "3",
            "properties that are a list",
            write_properties_list,
            says=("feature 2", "properties"),
        ),
        Case(
            "deep_nesting.geojson",
            "3",
            "arrays nested 100,000 deep",
            write_deep_nesting,
            says=("deep",),
        ),
        Case(
            "huge_integer.geojson",
            "3",
            "an integer of 5,000 digits",
            write_huge_integer,
            says=("digits",),
        ),
        Case(
            "coordinates_object.geojson",
            "3",
            "Point coordinates that are an object",
            write_coordinates_object,
            says=("feature 2", "coordinates"),
        ),
    ]
}


def write_case(name: str, folder: Path) -> Path:
    """Write one case into a folder and return its path."""
    path = Path(folder) / name
    CASES[name].write(path)
    return path


def write_corpus(folder: Path) -> list[Path]:
    """Write every case into a folder; return the paths."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    return [write_case(name, folder) for name in CASES]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    for path in write_corpus(parser.parse_args().folder):
        print(f"{path.stat().st_size:>12,}  {path}")
