"""Write seizure tables shaped like real published ones, with synthetic values.

Run from anywhere: ``python tests/data/real_shapes/make_real_shapes.py``.  Every byte written
is a function of this file alone (fixed zip timestamps, no current date), so the files and
their SHA-256 stay the same from one run to the next.

Each fixture follows the column layout, header spelling, encoding and cell habits of a real
public table (see README.md for the source of each); the values are invented.  The outcome a
user should get from an import *without a mapping* is written next to every row (``Want``);
``tests/unit/test_real_shapes.py`` loads this module and asserts those outcomes.  Conventions
are those of ``tests/data/EXPECTED.md`` plus:

- a product named in a category/group column gives taxon and commodity when the species
  cell is empty (``Ivory`` -> Elephantidae, TUS);
- per-form quantity columns give the commodity: scales -> SCA (kg), live animals -> LIV
  (individuals), carcasses -> BOD (counted as pieces or individuals: the conventions leave
  it open, see ``BODIES``), tusks -> TUS (pieces); a ``Y`` in a weight
  column means "seized, not weighed": the commodity is known, the quantity is empty;
- a cell naming several taxa keeps the first recognised one in ``taxon`` and the others,
  ``;``-joined, in ``other_taxa``;
- dates given as Year / Month / Day columns have the precision of the finest part given;
- a city (with its country, province or state code) places the record at ``city``
  precision, a province alone at ``admin1``; a province or state of one country implies
  that country;
- ``NA``, ``NULL``, ``N/A`` and ``-`` are empty cells wherever a tool wrote them.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

_ZIP_TIME = (2022, 1, 1, 0, 0, 0)
_CORE_TIME = "2022-01-01T00:00:00Z"
NBSP = "\u00a0"
# A count of carcasses: EXPECTED.md counts everything not alive in pieces; a whole dead animal
# is also one individual. Either is accepted until the conventions say which.
BODIES = ("pieces", "individuals")


@dataclass(frozen=True)
class Want:
    """What a user should get from one data row, imported without a mapping.

    Attributes
    ----------
    outcome : str
        ``accepted`` or ``quarantined``.
    field : str or None
        For a quarantined row, the record field its reason must name.
    values : dict
        Record values to check (only for rows with ``check``).  ``unit`` may be a tuple of
        acceptable units; ``near`` is ``(lat, lon, km)``: the point must lie that close.
    check : bool
        Whether the test asserts ``values`` for this row.
    eligible : bool
        The row carries a date (or year), a place (country, city or coordinates) and a
        product or taxon in its cells: it should be accepted.
    quantity_in_file : bool
        The row's cells give a number for what was seized.
    """

    outcome: str
    field: str | None = None
    values: dict = dataclasses.field(default_factory=dict)
    check: bool = False
    eligible: bool = True
    quantity_in_file: bool = False


def ok(check: bool = False, in_file: bool = True, **values) -> Want:
    """An accepted row (``check`` asserts ``values``; ``in_file``: its cells give a number)."""
    return Want("accepted", values=values, check=check, quantity_in_file=in_file)


def unweighed(**values) -> Want:
    """An accepted row whose cells give no number for what was seized (values checked)."""
    return Want("accepted", values=values, check=True, quantity_in_file=False)


def bad(field_name: str, in_file: bool = True) -> Want:
    """A row that must be quarantined, its reason naming ``field_name``."""
    return Want("quarantined", field=field_name, eligible=False, quantity_in_file=in_file)


@dataclass
class Row:
    """One data row: its cells in header order and what should become of it."""

    cells: tuple
    want: Want
    number: int = 0


@dataclass
class Shape:
    """One fixture file."""

    name: str
    follows: str
    summary: str
    headers: list[str]
    rows: list[Row]
    first_data_row: int
    mapping: str | None = None
    mapped_counts: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        for offset, row in enumerate(self.rows):
            row.number = self.first_data_row + offset
            assert len(row.cells) == len(self.headers), (self.name, row.number)


def _d(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day)


def _serial(year: int, month: int, day: int) -> int:
    """The Excel serial number of a date (1900 date system)."""
    return (datetime.date(year, month, day) - datetime.date(1899, 12, 30)).days


# fmt: off

# --------------------------------------------------------------------------------------------
# 1. An NGO incident workbook compiled from open sources (the EIA pangolin seizure workbook's
#    layout): title rows, long headers with line breaks and trailing spaces, a Taxon column,
#    Year + Date, per-form counts and weights, "Y" for seized-but-not-weighed, countries with
#    qualifiers ("China - Hong Kong", "Various").

_NGO_HEADERS = [
    "Harvard Style Reference (for external sources), may be supported by other "
    "communications and sources",
    "Taxon",
    "Type of Incident",
    "Location",
    "Latitude",
    "Longitude",
    "Country",
    "Name of incident ",
    "Major \n(= or > 500 kg weight / estimated weight /scales weight)",
    "Year",
    "Date",
    "Transit type",
    "Origin",
    "Via (coming from, before seized)",
    "Destination",
    "Carcass number",
    "Live number",
    "Whole pangolins (live + dead OR reported without details)",
    "Reported weight (kg)",
    'Scales weight (kg). Indicate "Y" if seized, but no weight given',
]


def _ngo(ref, taxon, location, latlon, country, year, date, transit, origin, via, dest,
         carcass=None, live=None, weight=None, scales=None, want=None, name=None):
    lat, lon = latlon if latlon else (None, None)
    numbers = [n for n in (carcass, live) if isinstance(n, int)]
    whole = sum(numbers) if numbers else None
    heavy = any(isinstance(v, (int, float)) and v >= 500 for v in (weight, scales))
    title = name or f"Seizure in {location or country}"
    year = float(year) if isinstance(year, int) else year  # stored as 2019.0, as Excel does
    cells = (ref, taxon, "Seizure", location, lat, lon, country, title, "Y" if heavy else "N",
             year, date, transit, origin, via, dest, carcass, live, whole, weight, scales)
    return Row(cells, want or ok())


NGO = Shape(
    name="ngo_pangolin_incidents.xlsx",
    follows="EIA pangolin seizures workbook (open-source compilation)",
    summary=(
        "NGO incident workbook (XLSX). Two title rows and a blank row above the header (row 4); "
        "headers as long sentences, one with a line break, one with a trailing space. Taxon "
        "holds 'Pangolin', binomials, common names or two species. Year (a number) and Date "
        "(date cells, one Excel serial in a General cell, one month as text, some empty); "
        "Location and Country with no coordinates for most rows; quantities in per-form columns "
        "(carcasses, live, reported weight, scales weight with 'Y', 'N/A', '-', a no-break "
        "space)."
    ),
    headers=_NGO_HEADERS,
    first_data_row=5,
    rows=[
        _ngo("Punch. 2019.", "Pangolin", "Apapa port", (6.4474, 3.3640), "Nigeria", 2019,
             _d(2019, 4, 2), "Sea", "Cameroon", None, "Viet Nam", scales=1450.5,
             want=ok(True, seizure_date="2019-04-02", date_precision="day",
                     seizing_country="NG", taxon="Manidae", commodity="SCA", quantity=1450.5,
                     unit="kg", coord_precision="exact")),
        _ngo("VnExpress. 2018.", "Manis javanica", "Hai Phong", None, "Viet Nam", 2018,
             _d(2018, 7, 19), "Sea", "Malaysia", None, "China", carcass=128,
             want=ok(True, seizure_date="2018-07-19", date_precision="day",
                     seizing_country="VN", taxon="Manis javanica", commodity="BOD",
                     quantity=128, unit=BODIES, coord_precision="city")),
        _ngo("Xinhua. 2018.", "Pangolin", "Kunming Changshui International Airport", None,
             "China", 2018, _d(2018, 11, 3), "Air", "Ethiopia", "Addis Ababa", "China",
             scales=23.6,
             want=ok(True, seizure_date="2018-11-03", seizing_country="CN", taxon="Manidae",
                     commodity="SCA", quantity=23.6, unit="kg", coord_precision="airport")),
        _ngo("Cameroon Tribune. 2018.", "Smutsia gigantea, Phataginus tricuspis", "Douala",
             None, "Cameroon", 2018, _d(2018, 2, 21), "Sea", "Cameroon", None,
             "China - Hong Kong", scales="Y",
             want=unweighed(
                 seizure_date="2018-02-21", seizing_country="CM", taxon="Smutsia gigantea",
                 other_taxa="Phataginus tricuspis", commodity="SCA", quantity=None,
                 coord_precision="city")),
        _ngo("Macau Daily Times. 2017.", "Pangolin", "Macau International Airport", None,
             "China - Macao", 2017, _d(2017, 9, 14), "Air", "Nigeria", "Ethiopia",
             "China - Macao", scales=36,
             want=ok(True, seizure_date="2017-09-14", seizing_country="MO", taxon="Manidae",
                     commodity="SCA", quantity=36, unit="kg")),
        _ngo("Taipei Times. 2016.", "Manis pentadactyla", "Taoyuan", None, "China - Taiwan",
             2016, _d(2016, 5, 10), "Air", "Viet Nam", None, "China - Taiwan", live=2,
             want=ok(True, seizure_date="2016-05-10", seizing_country="TW",
                     taxon="Manis pentadactyla", commodity="LIV", quantity=2,
                     unit="individuals")),
        _ngo("Les Dépêches de Brazzaville. 2019.", "Pangolin", "Pointe-Noire", None,
             "Republic of the Congo (Congo-Brazzaville)", 2019, _d(2019, 6, 28), "Sea",
             "Democratic Republic of Congo", None, "China", scales=310,
             want=ok(True, seizing_country="CG", commodity="SCA", quantity=310, unit="kg",
                     coord_precision="city")),
        _ngo("Radio Okapi. 2018.", "Pangolin", "Kinshasa", None, "Democratic Republic of Congo",
             2018, _d(2018, 10, 9), "Air", "Democratic Republic of Congo", None, "China",
             scales=96, want=ok(True, seizing_country="CD", quantity=96, unit="kg")),
        _ngo("Vientiane Times. 2017.", "Sunda pangolin", "Boten", None,
             "Lao People's Democratic Republic", 2017, _d(2017, 3, 17), "Land",
             "Lao People's Democratic Republic", None, "China", live=6,
             want=ok(True, seizure_date="2017-03-17", seizing_country="LA",
                     taxon="Manis javanica", commodity="LIV", quantity=6, unit="individuals",
                     coord_precision="city", near=(21.19, 101.70, 25))),
        _ngo("Yunnan Daily. 2019.", "Manis javanica; Manis pentadactyla", "Mohan, Yunnan", None,
             "China", 2019, _d(2019, 8, 22), "Land", "Lao People's Democratic Republic", None,
             "China", carcass=14, live=3,
             want=ok(True, seizure_date="2019-08-22", seizing_country="CN",
                     taxon="Manis javanica", other_taxa="Manis pentadactyla",
                     near=(21.19, 101.70, 25))),
        _ngo("Daily Monitor. 2019.", "Pangolin", "Entebbe International Airport", None,
             "Uganda", 2019, None, "Air", "Democratic Republic of Congo", None, "Viet Nam",
             scales=430,
             want=ok(True, seizure_date="2019-01-01", date_precision="year",
                     seizing_country="UG", commodity="SCA", quantity=430, unit="kg",
                     coord_precision="airport")),
        _ngo("The Star. 2017.", "Pangolin", "Port Klang", (3.0000, 101.3900), "Malaysia", 2017,
             _d(2017, 12, 5), "Sea", "Nigeria", None, "China", scales=5200),
        _ngo("Bangkok Post. 2018.", "Manis spp.", "Suvarnabhumi Airport", None, "Thailand",
             2018, _serial(2018, 6, 19), "Air", "Nigeria", None, "Lao People's Democratic "
             "Republic", scales=216,
             want=ok(True, seizure_date="2018-06-19", date_precision="day",
                     seizing_country="TH", taxon="Manis spp.", commodity="SCA", quantity=216,
                     unit="kg")),
        _ngo("Guangxi News. 2018.", "Pangolin", "Hekou", None, "China", 2018, _d(2018, 1, 25),
             "Land", "Viet Nam", None, "China", carcass=41, weight=205,
             want=ok(True, seizing_country="CN", commodity="BOD", quantity=205, unit="kg",
                     coord_precision="city", near=(22.50, 103.96, 25))),
        _ngo("Global Times. 2018.", "Pangolin", None, None, "Various", 2018, _d(2018, 3, 8),
             "Sea", "Nigeria", None, "China", scales=150, want=bad("seizing_country")),
        _ngo("Fraternité Matin. 2019.", "Pangolin", "Abidjan", None, "Côte d’Ivoire", None,
             None, "Sea", "Côte d’Ivoire", None, "Viet Nam", scales=88, want=bad("seizure_date")),
        _ngo("Online forum post. 2016.", "Pangolin", None, None, "Unknown", 2016,
             _d(2016, 9, 30), None, None, None, None, scales=12, want=bad("seizing_country")),
        _ngo("Jakarta Post. 2018.", "Manis javanica", "Medan", None, "Indonesia", 2018,
             "March 2018", "Land", "Indonesia", None, "Malaysia", carcass=19,
             want=ok(True, seizure_date="2018-03-01", date_precision="month",
                     seizing_country="ID", commodity="BOD", quantity=19, unit=BODIES)),
        _ngo("Straits Times. 2019.", "Pangolin", "Pasir Panjang", (1.2750, 103.7700),
             "Singapore", 2019, _d(2019, 4, 8), "Sea", "Nigeria", None, "Viet Nam",
             scales=f"12{NBSP}900",
             want=ok(True, seizing_country="SG", commodity="SCA", quantity=12900, unit="kg",
                     coord_precision="exact")),
        _ngo("Kathmandu Post. 2017.", "Manis pentadactyla", "Kathmandu", None, "Nepal", 2017,
             _d(2017, 2, 14), "Land", "Nepal", None, "China", carcass="N/A", scales=8.5),
        _ngo("Assam Tribune. 2019.", "Manis crassicaudata", "Imphal", None, "India", 2019,
             _d(2019, 10, 17), "Land", "India", None, "Myanmar", live=1, scales="-"),
        _ngo("Nation Media. 2018.", "Pangolin", "Mombasa", None, "Kenya", 2018,
             _d(2018, 8, 3), "Sea", "Uganda", None, "Malaysia", scales=320.4),
        _ngo("Republicain Togolais. 2017.", "Phataginus tricuspis", "Lomé", None, "Togo", 2017,
             _d(2017, 6, 20), "Sea", "Togo", None, "China", scales=270),
        _ngo("Tuoi Tre. 2019.", "Pangolin", "Noi Bai International Airport", None, "Vietnam",
             2019, _d(2019, 3, 29), "Air", "Nigeria", "Qatar", "Viet Nam", scales=52),
        _ngo("Southern Daily. 2019.", "Manis javanica", "Guangzhou", None, "China", 2019,
             _d(2019, 11, 11), "Road", "Viet Nam", None, "China", live=9),
        _ngo("Shenzhen Daily. 2018.", "Pangolin", "Shenzhen", None, "China", 2018,
             _d(2018, 5, 23), "Sea", "Nigeria", None, "China", scales="Y",
             want=Want("accepted", quantity_in_file=False)),
        _ngo("Sabah Daily Express. 2017.", "Manis javanica", "Sandakan", None, "Malaysia", 2017,
             _d(2017, 7, 1), "Sea", "Malaysia", None, "China", carcass=61, weight="-"),
        _ngo("Phnom Penh Post. 2018.", "Pangolin", "Phnom Penh International Airport", None,
             "Cambodia", 2018, _d(2018, 4, 27), "Air", "Nigeria", None, "Viet Nam",
             scales=31.2),
        _ngo("China Daily HK. 2019.", "Pangolin", "Kwai Chung", None, "China - Hong Kong",
             2019, _d(2019, 12, 17), "Sea", "Nigeria", None, "Viet Nam", scales=2150,
             want=ok(True, seizing_country="HK", commodity="SCA", quantity=2150, unit="kg")),
        _ngo("Xinhua. 2016.", "Pangolin", "Ruili", None, "China", 2016, _d(2016, 1, 9),
             "Land", "Myanmar", None, "China", carcass=4, live=2),
    ],
)


# --------------------------------------------------------------------------------------------
# 2. A single-species seizure database from a paper (pangolins; Heinrich et al. 2017 /
#    Challender et al. 2020 layout): no species column at all, Year/Month/Day as spreadsheet
#    numbers ("2016.0") or month names, counts of scales / live animals / carcasses.

_PAPER_HEADERS = ["Year", "Month", "Day", "Country of seizure", "City",
                  "Weight of scales (kg)", "Live animals", "Carcasses", "Source"]


def _paper(year, month, day, country, city, scales=None, live=None, carcasses=None,
           source="Online media", want=None):
    cells = (year, month, day, country, city, scales, live, carcasses, source)
    return Row(cells, want or ok())


PAPER = Shape(
    name="pangolin_paper_no_species.csv",
    follows="Pangolin seizure datasets of Heinrich et al. 2017 (TRAFFIC) / Challender et al. "
            "2020",
    summary=(
        "Pangolin-only seizure table (UTF-8, comma, LF) as a paper's supplementary data: no "
        "species column (every row is a pangolin seizure), Year/Month/Day exported as floats "
        "('2016.0'), a few month names, per-form quantities (scales kg, live animals, "
        "carcasses) with 'N/A', '-' and thousands commas. Without a mapping every row must be "
        "quarantined with a reason naming the missing species; with the mapping "
        "pangolin_paper_no_species.mapping.toml (file-wide taxon Manidae) every good row is "
        "accepted."
    ),
    headers=_PAPER_HEADERS,
    first_data_row=2,
    mapping="pangolin_paper_no_species.mapping.toml",
    mapped_counts=(28, 2),
    rows=[
        _paper("2016.0", "3.0", "14.0", "Nigeria", "Lagos", scales="125.5",
               want=ok(True, seizure_date="2016-03-14", date_precision="day",
                       seizing_country="NG", taxon="Manidae", commodity="SCA", quantity=125.5,
                       unit="kg", coord_precision="city")),
        _paper("2016.0", "5.0", "", "China", "Guangzhou", scales="1,200",
               want=ok(True, seizure_date="2016-05-01", date_precision="month",
                       seizing_country="CN", commodity="SCA", quantity=1200, unit="kg")),
        _paper("2015.0", "", "", "Viet Nam", "Hai Phong", carcasses="12.0",
               want=ok(True, seizure_date="2015-01-01", date_precision="year",
                       seizing_country="VN", commodity="BOD", quantity=12, unit=BODIES)),
        _paper("2017.0", "June", "2.0", "Malaysia", "Sandakan", live="3.0",
               want=ok(True, seizure_date="2017-06-02", date_precision="day",
                       seizing_country="MY", commodity="LIV", quantity=3,
                       unit="individuals")),
        _paper("2014.0", "11.0", "23.0", "Indonesia", "Medan", carcasses="46.0", scales="N/A",
               want=ok(True, seizure_date="2014-11-23", commodity="BOD", quantity=46,
                       unit=BODIES)),
        _paper("2013.0", "1.0", "9.0", "Thailand", "Songkhla", live="97.0", carcasses="-",
               want=ok(True, seizure_date="2013-01-09", commodity="LIV", quantity=97,
                       unit="individuals")),
        _paper("2015.0", "Sep", "", "Uganda", "Entebbe", scales="2,030.5",
               want=ok(True, seizure_date="2015-09-01", date_precision="month",
                       seizing_country="UG", quantity=2030.5, unit="kg")),
        _paper("", "", "", "Kenya", "Mombasa", scales="300", want=bad("seizure_date")),
        _paper("2016.0", "8.0", "17.0", "", "", scales="45", want=bad("seizing_country")),
        _paper("2012.0", "4.0", "2.0", "Cameroon", "Douala", scales="480.0"),
        _paper("2012.0", "7.0", "30.0", "China", "Kunming", live="4.0"),
        _paper("2013.0", "5.0", "11.0", "Lao PDR", "Vientiane", carcasses="7.0"),
        _paper("2013.0", "10.0", "", "India", "Imphal", scales="3.6"),
        _paper("2014.0", "2.0", "20.0", "Singapore", "Singapore", scales="3,800"),
        _paper("2014.0", "6.0", "6.0", "Hong Kong SAR", "Hong Kong", scales="950.0"),
        _paper("2015.0", "3.0", "27.0", "Viet Nam", "Da Nang", live="22.0"),
        _paper("2015.0", "12.0", "1.0", "China", "Shenzhen", scales="1,100"),
        _paper("2016.0", "1.0", "19.0", "Nigeria", "Lagos", scales="36.4"),
        _paper("2016.0", "10.0", "4.0", "Thailand", "Bangkok", scales="136"),
        _paper("2016.0", "12.0", "12.0", "Malaysia", "Kota Kinabalu", carcasses="150.0"),
        _paper("2017.0", "2.0", "28.0", "Cameroon", "Yaoundé", scales="62.0"),
        _paper("2017.0", "4.0", "", "Côte d'Ivoire", "Abidjan", scales="3,000"),
        _paper("2017.0", "8.0", "8.0", "China", "Dongxing", live="11.0", carcasses="5.0"),
        _paper("2014.0", "9.0", "15.0", "Indonesia", "Palembang", carcasses="29.0"),
        _paper("2013.0", "3.0", "3.0", "Philippines", "Puerto Princesa", carcasses="18.0"),
        _paper("2012.0", "12.0", "20.0", "Viet Nam", "Mong Cai", live="40.0"),
        _paper("2015.0", "6.0", "9.0", "Uganda", "Kampala", scales="410"),
        _paper("2016.0", "7.0", "", "Kenya", "Nairobi", scales="17.5"),
        _paper("2017.0", "11.0", "24.0", "Nepal", "Kathmandu", scales="2.2"),
        _paper("2014.0", "4.0", "16.0", "Myanmar", "Muse", live="2.0"),
    ],
)
# Without a mapping nothing names the taxon: every row is quarantined, and each of them is a
# row that a file-wide taxon would make importable (eligibility is about cells, not headers).
PAPER.rows = [
    Row(row.cells, Want("quarantined", field="taxon", values=row.want.values,
                        check=row.want.check, eligible=False,
                        quantity_in_file=row.want.quantity_in_file), row.number)
    if row.want.outcome == "accepted" else row
    for row in PAPER.rows
]
# The outcomes with the mapping, row by row (the two bad rows stay quarantined).
PAPER_MAPPED = {
    row.number: ("quarantined" if row.want.field in ("seizure_date", "seizing_country")
                 else "accepted")
    for row in PAPER.rows
}


# --------------------------------------------------------------------------------------------
# 3. Chinese court-judgment extracts (a journalists' coding of criminal judgments on
#    pangolin, ivory and other cases): judgment date (not the seizure date), court, province
#    and city, a product category 类别 with the species empty for ivory and rhino horn, the
#    seizure date in parts, quantity and unit in Chinese. Saved from Excel as "Unicode text":
#    UTF-16 with a byte-order mark, tab-delimited.

_COURT_HEADERS = ["序号", "案号", "判决日期", "法院", "省份", "城市", "类别", "物种",
                  "查获年份", "查获月份", "查获日", "数量", "单位", "备注"]


def _court(serial, case, judged, court, province, city, category, species, year, month, day,
           quantity, unit, note=None, want=None):
    cells = (serial, case, judged, court, province, city, category, species, year, month, day,
             quantity, unit, note)
    return Row(cells, want or ok())


COURT = Shape(
    name="cn_court_judgments.txt",
    follows="Chinese court-judgment coding tables (itslaw / China Judgements Online extracts) "
            "published with the Roytangrb/Pangolin data-journalism project",
    summary=(
        "Court-judgment extract (UTF-16 LE with BOM, tab-delimited, CRLF: Excel's 'Unicode "
        "text'). No country column: the province implies China. 判决日期 is the judgment date, "
        "not the seizure date; the seizure date is split in 查获年份/查获月份/查获日. 类别 names "
        "the product, 物种 is empty for ivory and rhino horn and may list two species "
        "(中华穿山甲、马来穿山甲). Quantities in Chinese units (千克, 克, 只, 根, 片, "
        "立方米), once with the unit inside the number cell. One case number appears on two "
        "seizure rows."
    ),
    headers=_COURT_HEADERS,
    first_data_row=2,
    rows=[
        _court(1, "（2016）云2823刑初95号", "二〇一六年三月九日", "勐腊县人民法院", "云南省",
               "勐腊县", "穿山甲鳞片", "中华穿山甲", "2015", "11", "28", "36", "片",
               want=ok(True, seizure_date="2015-11-28", date_precision="day",
                       seizing_country="CN", taxon="Manis pentadactyla", commodity="SCA",
                       quantity=36, unit="pieces", coord_precision="city",
                       near=(21.46, 101.56, 30))),
        _court(2, "（2017）云2532刑初41号", "2017年6月2日", "河口瑶族自治县人民法院", "云南省",
               "河口瑶族自治县", "象牙", None, "2016", "12", "4", "3.2", "千克",
               want=ok(True, seizure_date="2016-12-04", seizing_country="CN",
                       taxon="Elephantidae", commodity="TUS", quantity=3.2, unit="kg",
                       coord_precision="city", near=(22.50, 103.96, 30))),
        _court(3, "（2018）桂0681刑初212号", "2018.10.08", "东兴市人民法院", "广西壮族自治区",
               "东兴市", "犀牛角", None, "2018", "3", None, "850", "克",
               want=ok(True, seizure_date="2018-03-01", date_precision="month",
                       seizing_country="CN", taxon="Rhinocerotidae", commodity="HOR",
                       quantity=0.85, unit="kg", coord_precision="city")),
        _court(4, "（2015）瑞刑初字第118号", "2015-09-17", "瑞丽市人民法院", "云南",
               "瑞丽市", "活体穿山甲", "中华穿山甲、马来穿山甲", "2015", "4", "7", "12", "只",
               want=ok(True, seizure_date="2015-04-07", taxon="Manis pentadactyla",
                       other_taxa="Manis javanica", commodity="LIV", quantity=12,
                       unit="individuals", seizing_country="CN")),
        _court(5, "（2014）昆刑初字第77号", "2014年12月19日", "昆明市中级人民法院", "云南省",
               "昆明市", "象牙制品", None, "2014", None, None, "1.5千克", None,
               want=ok(True, seizure_date="2014-01-01", date_precision="year",
                       taxon="Elephantidae", commodity="IVC", quantity=1.5, unit="kg",
                       coord_precision="city")),
        _court(6, "（2017）云2532刑初58号", "2017年9月5日", "河口瑶族自治县人民法院", "云南省",
               "河口瑶族自治县", "象牙", None, "2017", "2", "14", "18", "根",
               want=ok(True, seizure_date="2017-02-14", taxon="Elephantidae", commodity="TUS",
                       quantity=18, unit="pieces")),
        _court(7, "（2016）桂1481刑初33号", "2016年7月26日", "凭祥市人民法院", "广西壮族自治区",
               "凭祥市", "红木", "交趾黄檀", "2015", "10", "19", "2.6", "立方米",
               want=ok(True, seizure_date="2015-10-19", taxon="Dalbergia cochinchinensis",
                       quantity=2.6, unit="m3", seizing_country="CN")),
        _court(8, "（2019）粤0111刑初1520号", "2019年11月5日", "广州市白云区人民法院", "广东省",
               "广州市", "穿山甲鳞片", None, "2019", "5", "20", "23.65", "千克",
               want=ok(True, seizing_country="CN", taxon="Manidae", commodity="SCA",
                       quantity=23.65, unit="kg", coord_precision="city")),
        # One judgment, two seizures: the case number is not a seizure id.
        _court(9, "（2016）云31刑初206号", "2016年12月1日", "德宏傣族景颇族自治州中级人民法院",
               "云南省", "芒市", "活体穿山甲", "马来穿山甲", "2015", "4", "9", "3", "只",
               want=ok(True, seizure_date="2015-04-09", commodity="LIV", quantity=3,
                       unit="individuals")),
        _court(10, "（2016）云31刑初206号", "2016年12月1日", "德宏傣族景颇族自治州中级人民法院",
               "云南省", "芒市", "穿山甲鳞片", "马来穿山甲", "2015", "4", "10", "6", "千克",
               want=ok(True, seizure_date="2015-04-10", commodity="SCA", quantity=6,
                       unit="kg")),
        _court(11, "（2018）云2532刑初12号", "2018年3月30日", "河口瑶族自治县人民法院", "云南省",
               "河口瑶族自治县", "穿山甲鳞片", None, None, None, None, "4.1", "千克",
               note="判决书未写明查获时间", want=bad("seizure_date")),
        _court(12, "（2017）湘0281刑初88号", "2017年8月11日", "浏阳市人民法院", None, None,
               "活体穿山甲", None, "2016", "9", "13", "2", "只", note="查获地点未载明",
               want=bad("seizing_country")),
        _court(13, "（2013）东刑初字第43号", "2013年3月11日", "东兴市人民法院", "广西",
               "东兴市", "活体穿山甲", None, "2012", "8", "22", "6", "只"),
        _court(14, "（2014）勐刑初字第60号", "2014年8月8日", "勐腊县人民法院", "云南省", "勐腊县",
               "穿山甲鳞片", None, "2014", "2", "13", "294", "片"),
        _court(15, "（2015）景刑初字第15号", "2015年3月2日", "景洪市人民法院", "云南省", "景洪市",
               "象牙制品", None, "2014", "10", "30", "112", "件"),
        _court(16, "（2016）桂06刑初9号", "2016年5月20日", "防城港市中级人民法院",
               "广西壮族自治区", "防城港市", "冻体穿山甲", "马来穿山甲", "2015", "7", "2",
               "41", "只"),
        _court(17, "（2017）云2624刑初5号", "2017年4月6日", "麻栗坡县人民法院", "云南省",
               "麻栗坡县", "活体陆龟", "印度星龟", "2016", "11", "18", "46", "只"),
        _court(18, "（2018）粤0304刑初866号", "2018年12月3日", "深圳市福田区人民法院", "广东省",
               "深圳市", "犀牛角", None, "2018", "6", "1", "2", "根"),
        _court(19, "（2019）云0102刑初311号", "2019年10月9日", "昆明市官渡区人民法院", "云南省",
               "昆明市", "豹皮", None, "2019", "1", "16", "3", "张"),
        _court(20, "（2014）南市刑初字第21号", "2014年6月30日", "南宁市中级人民法院",
               "广西壮族自治区", "南宁市", "象牙", None, "2013", "12", "5", "12.4", "千克"),
        _court(21, "（2015）瑞刑初字第301号", "2015年12月22日", "瑞丽市人民法院", "云南省",
               "瑞丽市", "穿山甲鳞片", None, "2015", "8", None, "190", "千克"),
        _court(22, "（2016）云2823刑初12号", "2016年2月19日", "勐腊县人民法院", "云南省", "勐腊县",
               "活体穿山甲", "马来穿山甲", "2015", "6", "25", "21", "只"),
        _court(23, "（2018）桂1481刑初77号", "2018年9月14日", "凭祥市人民法院", "广西壮族自治区",
               "凭祥市", "活体穿山甲", None, "2018", "2", "6", "9", "只"),
        _court(24, "（2019）粤0111刑初208号", "2019年4月23日", "广州市白云区人民法院", "广东省",
               "广州市", "象牙制品", None, "2018", "11", "29", "4.7", "千克"),
        _court(25, "（2017）云2532刑初99号", "2017年11月28日", "河口瑶族自治县人民法院", "云南省",
               "河口瑶族自治县", "红木", "交趾黄檀", "2017", "5", "3", "1.4", "立方米"),
        _court(26, "（2016）云0102刑初45号", "2016年3月22日", "昆明市官渡区人民法院", "云南省",
               "昆明市", "穿山甲鳞片", "中华穿山甲", "2015", "12", "7", "0.38", "千克"),
    ],
)


# --------------------------------------------------------------------------------------------
# 4. Brazilian highway-police (PRF) seizure table as published with a paper's R code:
#    R-mangled headers (Data.da.Apreensão), date-times, city + two-letter state code (UF)
#    and no country, empty coordinates written NA, "Espécie" as "scientific / common" or
#    NULL, a row-per-species layout where an event ID repeats.

_PRF_HEADERS = ["ID", "Data.da.Apreensão", "Tipo.de.local", "Em.trânsito", "Cidade", "UF",
                "Região", "Bioma", "Latitude", "Longitude", "Qtd", "Grupo", "Família",
                "Espécie", "Nome.comum"]

_BR_STATES = {
    "RO": ("Norte", "Amazônia"), "AM": ("Norte", "Amazônia"), "PA": ("Norte", "Amazônia"),
    "BA": ("Nordeste", "Caatinga"), "PE": ("Nordeste", "Caatinga"), "CE": ("Nordeste", "Caatinga"),
    "MA": ("Nordeste", "Cerrado"), "PI": ("Nordeste", "Caatinga"), "RN": ("Nordeste", "Caatinga"),
    "SP": ("Sudeste", "Mata Atlântica"), "MG": ("Sudeste", "Cerrado"),
    "PR": ("Sul", "Mata Atlântica"), "MS": ("Centro-Oeste", "Pantanal"),
    "MT": ("Centro-Oeste", "Cerrado"), "GO": ("Centro-Oeste", "Cerrado"),
}


def _prf(event, when, city, uf, qtd, group, family, species, common, want=None):
    region, biome = _BR_STATES.get(uf, ("NA", "NA"))
    cells = (event, when, "vr", "1", city, uf, region, biome, "NA", "NA", qtd, group, family,
             species, f" {common}" if common else "")
    return Row(cells, want or ok())


PRF = Shape(
    name="br_prf_rodovias.csv",
    follows="Brazilian Federal Highway Police (PRF) seizure records as published in the "
            "masemuta/huntingseizure repository (data/planilha_completa.csv)",
    summary=(
        "Highway-police table written by R's write.csv2 (ISO-8859-1, ';', CRLF, quoted text, "
        "NA for missing). Headers with R's dots (Data.da.Apreensão, Nome.comum); date-times "
        "'24/08/2019 12:29'; places as Cidade + UF (state code) with no country and NA "
        "coordinates; state codes that are also country codes (PE, PA, MA, AM, RO). Espécie "
        "as 'Amazona aestiva / Papagaio-verdadeiro' or NULL (then Família names the taxon). "
        "One event ID repeats on two rows (two species seized together)."
    ),
    headers=_PRF_HEADERS,
    first_data_row=2,
    rows=[
        _prf("1509", "24/08/2019 12:29", "Porto Velho", "RO", "2", "av", "Psittacidae",
             "Amazona aestiva / Papagaio-verdadeiro", "Papagaio-verdadeiro",
             want=ok(True, seizure_date="2019-08-24", date_precision="day",
                     seizing_country="BR", taxon="Amazona aestiva", quantity=2,
                     unit=("individuals", "pieces"), coord_precision="city",
                     near=(-8.76, -63.90, 30))),
        _prf("1788", "12/08/2020 15:30", "Recife", "PE", "35", "av", "Thraupidae",
             "Paroaria coronata / Cardeal", "Cardeal",
             want=ok(True, seizure_date="2020-08-12", seizing_country="BR",
                     taxon="Paroaria coronata", quantity=35, coord_precision="city",
                     near=(-8.05, -34.90, 30))),
        _prf("1801", "03/09/2020 07:45", "Belém", "PA", "14", "re", "Testudinidae",
             "Chelonoidis carbonarius / Jabuti-piranga", "Jabuti-piranga",
             want=ok(True, seizing_country="BR", taxon="Chelonoidis carbonarius", quantity=14,
                     coord_precision="city", near=(-1.46, -48.49, 30))),
        _prf("2245", "29/08/2021 17:48", "Imperatriz", "MA", "120", "re", "Podocnemididae",
             "Podocnemis unifilis / Tracajá", "Tracajá",
             want=ok(True, seizure_date="2021-08-29", seizing_country="BR",
                     taxon="Podocnemis unifilis", quantity=120)),
        _prf("2440", "01/02/2021 00:20", "Manaus", "AM", "6", "re", "Testudinidae", "NULL", "",
             want=ok(True, seizure_date="2021-02-01", seizing_country="BR",
                     taxon="Testudinidae", quantity=6, coord_precision="city")),
        # Event 3540: two species in one vehicle, one row each, the same ID.
        _prf("3540", "10/07/2023 22:15", "Feira de Santana", "BA", "48", "av", "Thraupidae",
             "Paroaria coronata / Cardeal", "Cardeal",
             want=ok(True, seizure_date="2023-07-10", taxon="Paroaria coronata",
                     quantity=48)),
        _prf("3540", "10/07/2023 22:15", "Feira de Santana", "BA", "3", "re", "Boidae",
             "Boa constrictor / Jiboia", "Jiboia",
             want=ok(True, seizure_date="2023-07-10", taxon="Boa constrictor", quantity=3)),
        _prf("3600", "NA", "Vitória da Conquista", "BA", "12", "av", "Psittacidae",
             "Amazona aestiva / Papagaio-verdadeiro", "Papagaio-verdadeiro",
             want=bad("seizure_date")),
        _prf("3611", "14/09/2023 10:05", "NA", "NA", "9", "av", "Thraupidae",
             "Paroaria coronata / Cardeal", "Cardeal", want=bad("seizing_country")),
        _prf("1519", "02/06/2019 23:40", "Ariquemes", "RO", "4", "re", "Iguanidae",
             "Iguana iguana / Iguana", "Iguana"),
        _prf("1687", "16/08/2020 14:00", "Vilhena", "RO", "2", "av", "Ramphastidae",
             "Ramphastos toco / Tucanuçu", "Tucanuçu"),
        _prf("1926", "02/05/2020 21:14", "Petrolina", "PE", "60", "av", "Thraupidae",
             "Paroaria coronata / Cardeal", "Cardeal"),
        _prf("2077", "03/01/2021 18:00", "Juazeiro", "BA", "5", "re", "Teiidae",
             "Salvator merianae / Teiú", "Teiú"),
        _prf("2075", "21/02/2021 04:30", "Marabá", "PA", "22", "re", "Podocnemididae",
             "Podocnemis expansa / Tartaruga-da-amazônia", "Tartaruga-da-amazônia"),
        _prf("2310", "11/05/2021 09:10", "Guarulhos", "SP", "8", "av", "Psittacidae",
             "Ara ararauna / Arara-canindé", "Arara-canindé"),
        _prf("2388", "30/06/2021 13:25", "Registro", "SP", "31", "av", "Thraupidae",
             "Sporophila caerulescens / Coleirinho", "Coleirinho"),
        _prf("2502", "19/10/2021 16:40", "Foz do Iguaçu", "PR", "17", "av", "Psittacidae",
             "Amazona aestiva / Papagaio-verdadeiro", "Papagaio-verdadeiro"),
        _prf("2566", "07/12/2021 06:55", "Campo Grande", "MS", "2", "re", "Alligatoridae",
             "Caiman yacare / Jacaré-do-pantanal", "Jacaré-do-pantanal"),
        _prf("2699", "22/01/2022 19:00", "Corumbá", "MS", "11", "av", "Psittacidae",
             "Ara ararauna / Arara-canindé", "Arara-canindé"),
        _prf("2734", "15/02/2022 11:30", "Cuiabá", "MT", "26", "re", "Testudinidae",
             "Chelonoidis carbonarius / Jabuti-piranga", "Jabuti-piranga"),
        _prf("2810", "04/04/2022 08:15", "Montes Claros", "MG", "73", "av", "Thraupidae",
             "NULL", ""),
        _prf("2905", "28/05/2022 23:05", "Teófilo Otoni", "MG", "40", "av", "Psittacidae",
             "Amazona aestiva / Papagaio-verdadeiro", "Papagaio-verdadeiro"),
        _prf("3011", "09/08/2022 12:00", "Juazeiro do Norte", "CE", "150", "av", "Thraupidae",
             "Paroaria coronata / Cardeal", "Cardeal"),
        _prf("3102", "17/10/2022 17:20", "Picos", "PI", "9", "re", "Testudinidae",
             "Chelonoidis carbonarius / Jabuti-piranga", "Jabuti-piranga"),
        _prf("3150", "02/11/2022 05:50", "Mossoró", "RN", "NA", "av", "Psittacidae",
             "Amazona aestiva / Papagaio-verdadeiro", "Papagaio-verdadeiro",
             want=ok(in_file=False)),
        _prf("3299", "13/03/2023 14:45", "Anápolis", "GO", "7", "re", "Boidae",
             "Boa constrictor / Jiboia", "Jiboia"),
        _prf("3364", "25/04/2023 22:10", "Porto Velho", "RO", "18", "re", "Podocnemididae",
             "Podocnemis unifilis / Tracajá", "Tracajá"),
        _prf("3710", "06/11/2023 10:35", "Santarém", "PA", "3", "ma", "Felidae",
             "Panthera onca / Onça-pintada", "Onça-pintada"),
    ],
)


# --------------------------------------------------------------------------------------------
# 5. A Latin American confiscation table exported from R (write.csv): an unnamed first column
#    of row names, R-mangled Spanish headers (Fecha.de.decomiso, Nombre.comun), NA for
#    missing, date-times, Pais / Departamento / Municipio, products in Grupo with Especie NA,
#    "3,5" and "1.200" (decimal comma, thousands dot).

_LATAM_HEADERS = ["", "Fecha.de.decomiso", "Pais", "Departamento", "Municipio",
                  "Lugar.de.intervencion", "Grupo", "Especie", "Nombre.comun", "Cantidad",
                  "Unidad", "Estado", "Entidad"]


def _latam(when, country, dept, town, place, group, species, common, qty, unit, state,
           agency, want=None):
    cells = (when, country, dept, town, place, group, species, common, qty, unit, state, agency)
    return Row(cells, want or ok())


def _numbered(rows: list[Row]) -> list[Row]:
    """Prefix R's row names ("1", "2", ...) as the unnamed first column."""
    return [Row((str(i), *row.cells), row.want) for i, row in enumerate(rows, start=1)]


LATAM = Shape(
    name="latam_decomisos_r.csv",
    follows="Colombian/Peruvian confiscation records (CAR / ATFFS-SERFOR / Policía databases "
            "as described by Cabrejo-Bello 2010 and Quevans et al. 2013), in the shape R's "
            "write.csv gives them",
    summary=(
        "Confiscation table exported by R's write.csv (UTF-8, comma, LF, every text quoted, "
        "NA unquoted): an unnamed first column of row names; headers with dots "
        "(Fecha.de.decomiso, Lugar.de.intervencion); date-times '2021-03-04 14:30:00'; Pais / "
        "Departamento / Municipio and a place of intervention (airports, river ports); "
        "products in Grupo ('Aletas de tiburón') with Especie NA; a common name only in "
        "Nombre.comun; Estado 'Vivo'; quantities '3,5', '1.200', 'N/A', '-', NA."
    ),
    headers=_LATAM_HEADERS,
    first_data_row=2,
    rows=_numbered([
        _latam("2021-03-04 14:30:00", "Colombia", "Cundinamarca", "Bogotá",
               "Aeropuerto Internacional El Dorado", "Aves", "Ara macao", "Guacamaya roja",
               "12", "individuos", "Vivo", "Policía Nacional",
               want=ok(True, seizure_date="2021-03-04", date_precision="day",
                       seizing_country="CO", taxon="Ara macao", commodity="LIV", quantity=12,
                       unit="individuals", coord_precision="airport",
                       near=(4.70, -74.15, 10))),
        _latam("2021-05-19 08:10:00", "Perú", "Callao", "Callao",
               "Aeropuerto Internacional Jorge Chávez", "Aletas de tiburón", "NA", "NA", "3,5",
               "kg", "Producto", "SERFOR",
               want=ok(True, seizure_date="2021-05-19", seizing_country="PE",
                       taxon="Selachimorpha", commodity="FIN", quantity=3.5, unit="kg",
                       coord_precision="airport", near=(-12.02, -77.11, 10))),
        _latam("2021-06-02", "Perú", "Loreto", "Iquitos", "Puerto fluvial de Masusa", "Reptiles",
               "Podocnemis unifilis", "Taricaya", "1.200", "huevos", "Producto", "SERFOR",
               want=ok(True, seizure_date="2021-06-02", seizing_country="PE",
                       taxon="Podocnemis unifilis", commodity="EGG", quantity=1200,
                       unit="pieces", coord_precision="city")),
        _latam("2021-07-15 16:45:00", "Perú", "Loreto", "Iquitos", "NA", "Reptiles", "NA",
               "Motelo", "7", "individuos", "Vivo", "SERFOR",
               want=ok(True, seizure_date="2021-07-15", taxon="Chelonoidis denticulatus",
                       commodity="LIV", quantity=7, unit="individuals",
                       seizing_country="PE")),
        _latam("2021-08-09 11:00:00", "Colombia", "Amazonas", "Leticia",
               "Puerto fluvial de Leticia", "Mamíferos", "Panthera onca", "Jaguar", "N/A",
               "unidades", "Producto", "Policía Nacional",
               want=unweighed(
                   seizure_date="2021-08-09", seizing_country="CO", taxon="Panthera onca",
                   quantity=None, coord_precision="city", near=(-4.21, -69.94, 30))),
        _latam("2021-09-23 09:30:00", "Ecuador", "Guayas", "Guayaquil", "Puerto Marítimo",
               "Aletas de tiburón", "NA", "NA", "1.250", "kg", "Producto", "Ministerio del "
               "Ambiente",
               want=ok(True, seizing_country="EC", taxon="Selachimorpha", commodity="FIN",
                       quantity=1250, unit="kg")),
        _latam("2022-01-27 07:05:00", "Colombia", "Valle del Cauca", "Cali", "Terminal de "
               "Transportes", "Reptiles", "Iguana iguana", "Iguana", "-", "individuos", "Vivo",
               "Policía Nacional", want=ok(in_file=False)),
        _latam("NA", "Colombia", "Cundinamarca", "Bogotá", "Aeropuerto Internacional El Dorado",
               "Aves", "Amazona ochrocephala", "Loro real", "4", "individuos", "Vivo",
               "Policía Nacional", want=bad("seizure_date")),
        _latam("2022-03-11 13:20:00", "NA", "NA", "NA", "NA", "Reptiles", "Boa constrictor",
               "Boa", "2", "individuos", "Vivo", "Policía Nacional", want=bad("seizing_country")),
        _latam("2022-02-14", "Perú", "Lima", "Lima", "Mercado Central", "Aves", "NA",
               "Guacamaya roja", "3", "individuos", "Vivo", "SERFOR",
               want=ok(True, taxon="Ara macao", commodity="LIV", quantity=3,
                       unit="individuals", seizing_country="PE")),
        _latam("2022-04-06 18:00:00", "Brasil", "Amazonas", "Tabatinga", "Porto de Tabatinga",
               "Reptiles", "Podocnemis expansa", "Charapa", "35", "individuos", "Vivo",
               "Policía Federal", want=ok(True, seizing_country="BR",
                                          taxon="Podocnemis expansa", quantity=35)),
        _latam("2022-05-30 10:15:00", "Perú", "Madre de Dios", "Puerto Maldonado",
               "Vía Interoceánica", "Mamíferos", "Panthera onca", "Jaguar", "14", "unidades",
               "Producto", "SERFOR"),
        _latam("2022-06-21 12:00:00", "Colombia", "Amazonas", "Leticia", "NA", "Aves", "Ara macao",
               "Guacamaya roja", "6", "individuos", "Vivo", "Corpoamazonia"),
        _latam("2022-07-08 17:30:00", "Ecuador", "Pichincha", "Quito",
               "Aeropuerto Internacional Mariscal Sucre", "Reptiles", "Chelonoidis denticulatus",
               "Motelo", "10", "individuos", "Vivo", "Ministerio del Ambiente"),
        _latam("2022-08-16 06:40:00", "Perú", "Ucayali", "Pucallpa", "NA", "Reptiles",
               "Podocnemis unifilis", "Taricaya", "2.400", "huevos", "Producto", "SERFOR"),
        _latam("2022-09-02", "Colombia", "Antioquia", "Medellín", "Terminal del Norte", "Aves",
               "Ara ararauna", "Guacamaya azul", "2", "individuos", "Vivo", "Policía Nacional"),
        _latam("2022-10-19 20:10:00", "Perú", "Tumbes", "Tumbes", "Puesto de control Aguas Verdes",
               "Aves", "NA", "Loro", "25", "individuos", "Vivo", "SERFOR"),
        _latam("2022-11-25 09:00:00", "Colombia", "Bolívar", "Cartagena", "Puerto de Cartagena",
               "Reptiles", "Iguana iguana", "Iguana", "1.000", "huevos", "Producto",
               "Policía Nacional"),
        _latam("2023-01-12 15:25:00", "Ecuador", "Guayas", "Guayaquil",
               "Aeropuerto Internacional José Joaquín de Olmedo", "Aletas de tiburón", "NA",
               "NA", "86,4", "kg", "Producto", "Ministerio del Ambiente"),
        _latam("2023-02-20 11:50:00", "Perú", "Lima", "Lima", "Aeropuerto Internacional Jorge "
               "Chávez", "Mamíferos", "NA", "Mono choro", "1", "individuos", "Vivo", "SERFOR"),
        _latam("2023-03-29 08:30:00", "Colombia", "Putumayo", "Puerto Asís", "NA", "Reptiles",
               "Chelonoidis carbonarius", "Morrocoy", "19", "individuos", "Vivo",
               "Policía Nacional"),
        _latam("2023-05-05 14:00:00", "Perú", "Loreto", "Iquitos", "Puerto fluvial de Masusa",
               "Mamíferos", "Panthera onca", "Jaguar", "2", "unidades", "Producto", "SERFOR"),
        _latam("2023-06-14 10:05:00", "Brasil", "Amazonas", "Manaus", "Aeroporto Eduardo Gomes",
               "Aves", "Ara chloropterus", "Guacamaya roja y verde", "5", "individuos", "Vivo",
               "Policía Federal"),
        _latam("2023-07-27 19:45:00", "Colombia", "Meta", "Villavicencio", "NA", "Reptiles",
               "Podocnemis unifilis", "Terecay", "60", "individuos", "Vivo", "Cormacarena"),
        _latam("2023-08-31 07:20:00", "Ecuador", "Sucumbíos", "Nueva Loja", "NA", "Aves",
               "Amazona spp.", "Loros", "13", "individuos", "Vivo", "Ministerio del Ambiente"),
        _latam("2023-10-10 16:00:00", "Perú", "Callao", "Callao", "Terminal Portuario del Callao",
               "Aletas de tiburón", "NA", "NA", "640", "kg", "Producto", "SERFOR"),
    ]),
)


# --------------------------------------------------------------------------------------------
# 6. An air-seizure dataset in the ROUTES / C4ADS manner: seizure date, place of seizure as
#    country + city + airport, Category and Product type naming the product (species empty for
#    ivory and rhino horn), weight and per-form counts, trafficking route countries.

_AIR_HEADERS = ["Seizure ID", "Seizure Date", "Place of seizure (country)",
                "Place of seizure (city)", "Airport", "Category", "Product type", "Species",
                "Weight seized (kg)", "Tusks (number)", "Number of items", "Live animals",
                "Origin country", "Transit country(ies)", "Destination country", "Airline"]


def _air(ident, when, country, city, airport, category, product, species, weight=None,
         tusks=None, items=None, live=None, origin=None, transit=None, dest=None,
         airline=None, want=None):
    cells = (ident, when, country, city, airport, category, product, species, weight, tusks,
             items, live, origin, transit, dest, airline)
    return Row(cells, want or ok())


AIR = Shape(
    name="air_seizures.xlsx",
    follows="C4ADS / USAID ROUTES air-transport wildlife seizure data (Runway to Extinction, "
            "In Plane Sight)",
    summary=(
        "Air-seizure workbook (XLSX): sheet 'About' of text, sheet 'Air seizures' with a merged "
        "title in row 1, a blank row 2 and the header in row 3. Dates as date cells, Excel "
        "serials in General cells, a date-time, ISO text and one missing. Place of seizure as "
        "country (long forms: 'Congo (Kinshasa)', \"Lao People's Democratic Republic\", "
        "'Hong Kong SAR, China', 'Unknown') + city + airport, no coordinates. Category / Product "
        "type name the product and Species is empty for ivory and rhino horn; species cells "
        "like 'Panthera pardus / Leopard', two species, common names only. Weight with units "
        "inside ('136 kg'), 'N/A', '-', a no-break space; tusks, items and live animals in "
        "their own columns."
    ),
    headers=_AIR_HEADERS,
    first_data_row=4,
    rows=[
        _air("RT-0001", _d(2019, 3, 12), "Uganda", "Entebbe", "Entebbe International Airport",
             "Ivory", "Raw tusks", None, 45, 24, origin="Uganda", transit="Qatar",
             dest="Viet Nam",
             want=ok(True, seizure_date="2019-03-12", date_precision="day",
                     seizing_country="UG", taxon="Elephantidae", commodity="TUS", quantity=45,
                     unit="kg", coord_precision="airport", near=(0.04, 32.44, 10))),
        _air("RT-0002", _serial(2019, 7, 14), "Nigeria", "Lagos",
             "Murtala Muhammed International Airport", "Rhino horn", "Horn", None, 12.4,
             origin="South Africa", transit="Ethiopia", dest="Lao People's Democratic Republic",
             want=ok(True, seizure_date="2019-07-14", date_precision="day",
                     seizing_country="NG", taxon="Rhinocerotidae", commodity="HOR",
                     quantity=12.4, unit="kg", coord_precision="airport")),
        _air("RT-0003", datetime.datetime(2020, 1, 9, 14, 30), "Thailand", "Bangkok",
             "Suvarnabhumi Airport", "Pangolin", "Scales", "Manis spp.", "136 kg",
             origin="Nigeria", dest="Lao People's Democratic Republic",
             want=ok(True, seizure_date="2020-01-09", date_precision="day",
                     seizing_country="TH", taxon="Manis spp.", commodity="SCA", quantity=136,
                     unit="kg", coord_precision="airport")),
        _air("RT-0004", "2018-11-27", "Congo (Kinshasa)", "Kinshasa",
             "N'djili International Airport", "Ivory", "Worked ivory (bangles)", None, 8.6,
             items=212, origin="Congo (Kinshasa)", dest="China",
             want=ok(True, seizure_date="2018-11-27", seizing_country="CD",
                     taxon="Elephantidae", commodity="IVC", quantity=8.6, unit="kg")),
        _air("RT-0005", _d(2019, 5, 30), "Lao People's Democratic Republic", "Vientiane",
             "Wattay International Airport", "Pangolin", "Scales",
             "Manis javanica; Manis pentadactyla", 22, origin="Nigeria", transit="Thailand",
             dest="China",
             want=ok(True, seizing_country="LA", taxon="Manis javanica",
                     other_taxa="Manis pentadactyla", commodity="SCA", quantity=22, unit="kg")),
        _air("RT-0006", _d(2018, 9, 3), "Kenya", "Nairobi", "Jomo Kenyatta International Airport",
             "Big cats", "Skins", "Panthera pardus / Leopard", "-", items=3, origin="Tanzania",
             dest="United Arab Emirates",
             want=ok(True, seizing_country="KE", taxon="Panthera pardus", other_taxa=None,
                     commodity="SKI", quantity=3, unit="pieces", coord_precision="airport")),
        _air("RT-0007", _d(2017, 10, 21), "Malaysia", "Sepang",
             "Kuala Lumpur International Airport", "Reptiles", "Live", "Indian star tortoise",
             "N/A", live=46, origin="India", dest="Malaysia",
             want=ok(True, seizing_country="MY", taxon="Geochelone elegans", commodity="LIV",
                     quantity=46, unit="individuals")),
        _air("RT-0008", _serial(2018, 4, 30), "Thailand", "Bangkok", "Suvarnabhumi Airport",
             "Reptiles", "Live", "Astrochelys radiata; Astrochelys yniphora", None, live=230,
             origin="Madagascar", transit="Kenya", dest="Lao People's Democratic Republic",
             want=ok(True, seizure_date="2018-04-30", taxon="Astrochelys radiata",
                     other_taxa="Astrochelys yniphora", commodity="LIV", quantity=230,
                     unit="individuals")),
        _air("RT-0009", _d(2020, 2, 17), "Hong Kong SAR, China", "Hong Kong",
             "Hong Kong International Airport", "Ivory", "Raw tusks", None, "N/A", 6,
             origin="Mozambique", transit="Qatar", dest="Viet Nam",
             want=ok(True, seizing_country="HK", taxon="Elephantidae", commodity="TUS",
                     quantity=6, unit="pieces", coord_precision="airport")),
        _air("RT-0010", _d(2019, 8, 8), "Viet Nam", "Hanoi", "Noi Bai International Airport",
             "Rhino horn", "Horn", None, "-", items=2, origin="Mozambique", transit="Qatar",
             dest="Viet Nam",
             want=ok(True, seizing_country="VN", taxon="Rhinocerotidae", commodity="HOR",
                     quantity=2, unit="pieces")),
        _air("RT-0011", _d(2019, 12, 2), "China", "Kunming",
             "Kunming Changshui International Airport", "Pangolin", "Scales", "Pangolin",
             f"1{NBSP}250", origin="Nigeria", transit="Ethiopia", dest="China",
             want=ok(True, seizure_date="2019-12-02", seizing_country="CN", taxon="Manidae",
                     commodity="SCA", quantity=1250, unit="kg", coord_precision="airport",
                     near=(25.10, 102.93, 10))),
        _air("RT-0012", _d(2021, 6, 15), "Brazil", "São Paulo",
             "São Paulo/Guarulhos International Airport", "Birds", "Live",
             "Ara ararauna / Arara-canindé", None, live=14, origin="Brazil",
             transit="Portugal", dest="Portugal",
             want=ok(True, seizing_country="BR", taxon="Ara ararauna", commodity="LIV",
                     quantity=14, unit="individuals", coord_precision="airport",
                     near=(-23.43, -46.47, 10))),
        _air("RT-0013", _d(2021, 9, 28), "Colombia", "Bogotá", "El Dorado International Airport",
             "Reptiles", "Live", "Chelonoidis carbonarius", None, live=31, origin="Colombia",
             dest="Hong Kong SAR, China",
             want=ok(True, seizing_country="CO", taxon="Chelonoidis carbonarius",
                     commodity="LIV", quantity=31, unit="individuals",
                     coord_precision="airport")),
        _air("RT-0014", None, "Peru", "Lima", "Jorge Chávez International Airport", "Sharks",
             "Fins", "Sphyrna lewini", 310, origin="Peru", dest="Hong Kong SAR, China",
             want=bad("seizure_date")),
        _air("RT-0015", _d(2020, 11, 4), "Unknown", None, None, "Pangolin", "Scales",
             "Manis spp.", 18, origin="Cameroon", dest="China", want=bad("seizing_country")),
        _air("RT-0016", _d(2017, 3, 6), "Ethiopia", "Addis Ababa", "Bole International Airport",
             "Ivory", "Worked ivory (carvings)", None, 14.2, items=38, origin="Nigeria",
             dest="China"),
        _air("RT-0017", _d(2018, 1, 24), "Kenya", "Nairobi", "Jomo Kenyatta International Airport",
             "Ivory", "Raw tusks", None, 67.5, 30, origin="Democratic Republic of Congo",
             transit="Ethiopia", dest="Thailand"),
        _air("RT-0018", _serial(2019, 2, 11), "China - Macao", "Macau",
             "Macau International Airport", "Pangolin", "Scales", "Manis spp.", 9.5,
             origin="Nigeria", transit="Ethiopia", dest="China - Macao"),
        _air("RT-0019", _d(2019, 6, 19), "Nigeria", "Lagos",
             "Murtala Muhammed International Airport", "Birds", "Live", "Psittacus erithacus",
             None, live=120, origin="Cameroon", dest="Kuwait"),
        _air("RT-0020", _d(2018, 7, 12), "Uganda", "Entebbe", "Entebbe International Airport",
             "Pangolin", "Scales", "Smutsia gigantea", 420, origin="Democratic Republic of "
             "Congo", transit="Kenya", dest="Viet Nam"),
        _air("RT-0021", _d(2020, 10, 1), "Viet Nam", "Ho Chi Minh City",
             "Tan Son Nhat International Airport", "Rhino horn", "Horn", None, 5.1,
             origin="South Africa", transit="Qatar", dest="Viet Nam"),
        _air("RT-0022", _d(2017, 11, 30), "India", "Chennai", "Chennai International Airport",
             "Reptiles", "Live", "Geochelone elegans", None, live=800, origin="India",
             dest="Malaysia"),
        _air("RT-0023", _d(2018, 12, 14), "Indonesia", "Jakarta",
             "Soekarno-Hatta International Airport", "Birds", "Live", "Yellow-crested cockatoo",
             None, live=24, origin="Indonesia", dest="Philippines"),
        _air("RT-0024", _d(2021, 3, 3), "Mexico", "Mexico City",
             "Mexico City International Airport", "Fish", "Swim bladders", "Totoaba macdonaldi",
             26.5, origin="Mexico", dest="China"),
        _air("RT-0025", _d(2019, 4, 25), "Mozambique", "Maputo", "Maputo International Airport",
             "Rhino horn", "Horn", None, 7.8, items=4, origin="Mozambique", transit="Qatar",
             dest="Viet Nam"),
        _air("RT-0026", _d(2020, 8, 20), "Cambodia", "Phnom Penh",
             "Phnom Penh International Airport", "Ivory", "Raw tusks", None, 103, 48,
             origin="Mozambique", transit="United Arab Emirates", dest="Cambodia"),
        _air("RT-0027", _d(2021, 1, 18), "South Africa", "Johannesburg",
             "O. R. Tambo International Airport", "Rhino horn", "Horn", None, 16.2,
             origin="South Africa", dest="Malaysia"),
        _air("RT-0028", _d(2017, 5, 9), "Turkey", "Istanbul", "Istanbul Atatürk Airport",
             "Birds", "Live", "Falco cherrug", None, live=9, origin="Pakistan",
             dest="Qatar"),
    ],
)


# --------------------------------------------------------------------------------------------
# 7. A press-derived incident table (media reports coded by researchers), tab-separated with
#    a title line: snake_case headers, report date beside the seizure date, country /
#    province / city / place, species and product in free words, quantities with words.

_PRESS_HEADERS = ["seizure_date", "reported_on", "headline", "outlet", "url", "country",
                  "province", "city", "place", "species", "product", "quantity", "notes"]


def _press(when, reported, country, province, city, place, species, product, quantity,
           outlet="Yunnan Daily", notes=None, want=None):
    slug = re.sub(r"\W+", "-", f"{product or species}-{city or province or country}").strip("-")
    headline = f"{(product or species or 'wildlife').capitalize()} seized in {city or province}"
    url = f"https://news.example.org/{reported[:4] if reported else '0000'}/{slug.lower()}"
    cells = (when, reported, headline, outlet, url, country, province, city, place, species,
             product, quantity, notes)
    return Row(cells, want or ok())


PRESS = Shape(
    name="press_incidents.tsv",
    follows="Media-derived seizure tables (Omifolaji et al. 2022, Nature Conservation 45; "
            "Indraswari et al. 2020, Biological Conservation 243)",
    summary=(
        "Press-derived incident table (UTF-8, tab-separated, LF) with a title line and a blank "
        "line above the header (line 3). snake_case headers as a script writes them; "
        "seizure_date as date-times, months ('March 2020'), years, '12 Jan 2021', and one "
        "missing (only reported_on); country / province / city / place around the China–Lao "
        "PDR–Viet Nam borders (Mohan, Boten, Hekou, Tianbao, Kunming Changshui airport); "
        "species in free words ('Manis javanica; Manis pentadactyla', 'Sunda pangolin', "
        "'Panthera pardus / Leopard') and product words; quantities with units and words "
        "('about 200 kg', '1.2 tonnes', '3 tusks')."
    ),
    headers=_PRESS_HEADERS,
    first_data_row=4,
    rows=[
        _press("2021-03-04 14:30", "2021-03-06", "China", "Yunnan", "Mengla", "Mohan port",
               "Manis javanica; Manis pentadactyla", "scales", "12 kg",
               want=ok(True, seizure_date="2021-03-04", date_precision="day",
                       seizing_country="CN", taxon="Manis javanica",
                       other_taxa="Manis pentadactyla", commodity="SCA", quantity=12, unit="kg",
                       near=(21.19, 101.70, 40))),
        _press("March 2020", "2020-04-02", "Lao PDR", "Luang Namtha", "Boten", "Boten SEZ",
               "Sunda pangolin", "live", "8", outlet="Vientiane Times",
               want=ok(True, seizure_date="2020-03-01", date_precision="month",
                       seizing_country="LA", taxon="Manis javanica", commodity="LIV",
                       quantity=8, unit="individuals", coord_precision="city",
                       near=(21.19, 101.70, 25))),
        _press("2019", "2019-12-30", "China", "Yunnan", "Hekou", "Hekou port",
               "Panthera pardus / Leopard", "skins", "2",
               want=ok(True, seizure_date="2019-01-01", date_precision="year",
                       seizing_country="CN", taxon="Panthera pardus", commodity="SKI",
                       quantity=2, unit="pieces", coord_precision="city",
                       near=(22.50, 103.96, 25))),
        _press("12 Jan 2021", "2021-01-14", "China", "Yunnan", "Malipo", "Tianbao port",
               "elephant", "tusks", "3 tusks",
               want=ok(True, seizure_date="2021-01-12", seizing_country="CN",
                       taxon="Elephantidae", commodity="TUS", quantity=3, unit="pieces",
                       coord_precision="city", near=(23.00, 104.75, 60))),
        _press("2020-11-17", "2020-11-19", "China", "Yunnan", "Kunming",
               "Kunming Changshui airport", "Manis spp.", "scales", "about 200 kg",
               want=ok(True, seizure_date="2020-11-17", seizing_country="CN",
                       taxon="Manis spp.", commodity="SCA", quantity=200, unit="kg",
                       coord_precision="airport", near=(25.10, 102.93, 10))),
        _press("2021/06/05", "2021-06-08", "Viet Nam", "Lao Cai", "Lao Cai", None, None,
               "ivory", "1.2 tonnes", outlet="Tuoi Tre",
               want=ok(True, seizure_date="2021-06-05", seizing_country="VN",
                       taxon="Elephantidae", commodity="TUS", quantity=1200, unit="kg",
                       coord_precision="city")),
        _press("2020-07-21", "2020-07-23", "China", "Yunnan", None, None, "rhino", "horn",
               "4.6 kg",
               want=ok(True, seizing_country="CN", taxon="Rhinocerotidae", commodity="HOR",
                       quantity=4.6, unit="kg", coord_precision="admin1")),
        _press(None, "2021-09-14", "China", "Guangxi", "Pingxiang", "Youyiguan", "pangolin",
               "scales", "65 kg", outlet="Guangxi Daily", want=bad("seizure_date")),
        _press("2021-10-02", "2021-10-05", None, None, None, None, "Hill myna", "live", "40",
               outlet="WeChat channel", want=bad("seizing_country")),
        _press("2022-02-11 09:00", "2022-02-12", "Lao People's Democratic Republic", "Bokeo",
               "Ton Pheung", "Golden Triangle SEZ", "Indochinese tiger", "bones", "23 kg",
               outlet="Vientiane Times",
               want=ok(True, seizing_country="LA", taxon="Panthera tigris", commodity="BON",
                       quantity=23, unit="kg")),
        _press("2019-05-16", "2019-05-18", "China", "Guangxi", "Dongxing", "Dongxing port",
               "Southeast Asian box turtle", "live", "N/A", outlet="Guangxi Daily",
               want=unweighed(
                   taxon="Cuora amboinensis", commodity="LIV", quantity=None,
                   seizing_country="CN")),
        _press("2020-01-08", "2020-01-09", "China (mainland)", "Yunnan", "Ruili", "Jiegao",
               "Siamese rosewood", "logs", "18 m3",
               want=ok(True, seizing_country="CN", taxon="Dalbergia cochinchinensis",
                       commodity="LOG", quantity=18, unit="m3")),
        _press("2018-08-30", "2018-09-01", "China", "Yunnan", "Jinghong", None, "pangolin",
               "live", "11"),
        _press("2019-02-26", "2019-02-28", "China", "Yunnan", "Mengla", "Mohan port", "elephant",
               "ivory carvings", "6.4 kg"),
        _press("2019-09-12", "2019-09-13", "Vietnam", "Quang Ninh", "Mong Cai", None,
               "pangolin", "scales", "2,400 kg", outlet="VnExpress"),
        _press("2020-05-05", "2020-05-07", "Myanmar", "Shan", "Tachileik", None, "tiger", "skins",
               "1", outlet="Irrawaddy"),
        _press("2020-09-18", "2020-09-21", "China", "Guangxi", "Pingxiang", "Youyiguan",
               "Tokay gecko", "bodies", "1,300", outlet="Guangxi Daily"),
        _press("2021-04-27", "2021-04-29", "China", "Yunnan", "Hekou", "Hekou port", "pangolin",
               "scales", "0.8 kg"),
        _press("2021-08-13", "2021-08-15", "Lao PDR", "Luang Namtha", "Boten", None,
               "Manis javanica", "live", "5", outlet="Vientiane Times"),
        _press("2021-12-01", "2021-12-03", "China", "Yunnan", "Kunming",
               "Kunming Changshui airport", "Rhinocerotidae", "horn", "2.2 kg"),
        _press("2022-04-19", "2022-04-20", "China", "Yunnan", "Mengla", "Mohan port",
               "Siamese rosewood", "logs", "6 m3"),
        _press("2022-06-07", "2022-06-09", "Viet Nam", "Lao Cai", "Lao Cai", None, "rhino",
               "horn", "7.5 kg", outlet="Tuoi Tre"),
        _press("2022-08-22", "2022-08-24", "China", "Guangxi", "Dongxing", "Dongxing port",
               "pangolin", "scales", "350 kg", outlet="Guangxi Daily"),
        _press("2022-10-30", "2022-11-01", "China", "Yunnan", "Ruili", "Jiegao", "elephant",
               "tusks", "14 kg"),
        _press("2023-01-16", "2023-01-18", "Lao PDR", "Bokeo", "Ton Pheung", None, "leopard",
               "bones", "9 kg", outlet="Vientiane Times"),
        _press("2023-03-09 18:20", "2023-03-10", "China", "Yunnan", "Malipo", "Tianbao port",
               "pangolin", "live", "3"),
    ],
)


# --------------------------------------------------------------------------------------------
# 8. A bird-trade table coded from media reports (Indonesia): English headers, Country /
#    Province / Regency-City / seizure location, common and scientific names in separate
#    columns (often only the common name), counts split into Alive and Dead.

_BIRD_HEADERS = ["No.", "Date of seizure", "Country", "Province", "Regency/City",
                 "Seizure location", "Origin (province)", "Destination (province)",
                 "Species (common name)", "Scientific name", "No. of birds", "Alive", "Dead",
                 "Media source"]


def _bird(number, when, country, province, city, place, origin, dest, common, scientific,
          alive=None, dead=None, source="Antara", want=None):
    counts = [n for n in (alive, dead) if isinstance(n, int)]
    total = sum(counts) if counts else None
    cells = (number, when, country, province, city, place, origin, dest, common, scientific,
             total, alive, dead, source)
    return Row(cells, want or ok())


BIRDS = Shape(
    name="id_bird_seizures.csv",
    follows="Indonesian wild-bird seizure records coded from media reports (Indraswari et al. "
            "2020, Biological Conservation 243)",
    summary=(
        "Bird-trade table (UTF-8 with BOM as Excel's 'CSV UTF-8' writes it, ';', CRLF). Dates "
        "'15/10/2019', '3-Feb-2020', '2020'; Country / Province / Regency-City and a seizure "
        "location (ports, airports); common names with the scientific name often empty, once "
        "two species; counts in 'No. of birds' (total) split into 'Alive' and 'Dead'."
    ),
    headers=_BIRD_HEADERS,
    first_data_row=2,
    rows=[
        _bird(1, "15/10/2019", "Indonesia", "Lampung", "Bakauheni", "Bakauheni port",
              "Sumatera Utara", "Jawa Barat", "Hill myna", "Gracula religiosa", alive=64,
              want=ok(True, seizure_date="2019-10-15", date_precision="day",
                      seizing_country="ID", taxon="Gracula religiosa", commodity="LIV",
                      quantity=64, unit="individuals", coord_precision="city")),
        _bird(2, "3-Feb-2020", "Indonesia", "Jawa Timur", "Surabaya", "Tanjung Perak port",
              "Maluku Utara", "Jawa Timur", "Yellow-crested cockatoo", None, alive=11,
              source="Kompas",
              want=ok(True, seizure_date="2020-02-03", date_precision="day",
                      seizing_country="ID", taxon="Cacatua sulphurea", commodity="LIV",
                      quantity=11, unit="individuals", coord_precision="city")),
        _bird(3, "2020", "Indonesia", "Maluku Utara", "Ternate", None, "Maluku Utara",
              "Sulawesi Utara", "Chattering lory", None, alive=37, dead=5,
              want=ok(True, seizure_date="2020-01-01", date_precision="year",
                      seizing_country="ID", taxon="Lorius garrulus")),
        _bird(4, "22/07/2019", "Indonesia", "Papua", "Jayapura", "Sentani airport", "Papua",
              "DKI Jakarta", "Palm cockatoo; Eclectus parrot",
              "Probosciger aterrimus; Eclectus roratus", alive=6,
              want=ok(True, taxon="Probosciger aterrimus", other_taxa="Eclectus roratus",
                      commodity="LIV", quantity=6, unit="individuals", seizing_country="ID")),
        _bird(5, "09/12/2019", "Indonesia", "Sumatera Utara", "Medan", "Belawan port",
              "Aceh", "Riau", "Hill myna", None, dead=18, source="Tribun",
              want=ok(True, taxon="Gracula religiosa", commodity="BOD", quantity=18,
                      unit=BODIES, seizing_country="ID")),
        _bird(6, "14/03/2020", "Malaysia", "Sabah", "Tawau", "Tawau port", "Kalimantan Utara",
              "Sabah", "Moluccan cockatoo", "Cacatua moluccensis", alive=4, source="The Star",
              want=ok(True, seizing_country="MY", taxon="Cacatua moluccensis",
                      commodity="LIV", quantity=4, unit="individuals")),
        _bird(7, None, "Indonesia", "DKI Jakarta", "Jakarta", "Tanjung Priok port", "Lampung",
              "DKI Jakarta", "Bali myna", "Leucopsar rothschildi", alive=2,
              want=bad("seizure_date")),
        _bird(8, "27/05/2020", None, None, None, None, "Kalimantan Barat", None,
              "Straw-headed bulbul", None, alive=15, source="Facebook group",
              want=bad("seizing_country")),
        _bird(9, "04/11/2019", "Indonesia", "Riau", "Pekanbaru", None, "Riau", "Jawa Barat",
              "White-rumped shama", None, alive=120),
        _bird(10, "18/01/2020", "Indonesia", "Kalimantan Barat", "Pontianak", "Supadio airport",
              "Kalimantan Barat", "DKI Jakarta", "Straw-headed bulbul", None, alive=9),
        _bird(11, "30/06/2020", "Indonesia", "Jawa Tengah", "Semarang", "Tanjung Emas port",
              "Kalimantan Tengah", "Jawa Tengah", "Hill myna", "Gracula religiosa", alive=25),
        _bird(12, "11/08/2020", "Indonesia", "Sulawesi Selatan", "Makassar", "Soekarno–Hatta "
              "port", "Maluku", "Jawa Timur", "Eclectus parrot", None, alive=7),
        _bird(13, "25/09/2020", "Indonesia", "Lampung", "Bakauheni", "Bakauheni port",
              "Sumatera Selatan", "Banten", "White-rumped shama", None, alive=1450, dead=60),
        _bird(14, "02/10/2020", "Indonesia", "Banten", "Merak", "Merak port", "Lampung",
              "Jawa Barat", "Black-winged myna", None, alive=30),
        _bird(15, "16/11/2020", "Indonesia", "Jawa Timur", "Surabaya", "Juanda airport",
              "Papua", "Jawa Timur", "Palm cockatoo", "Probosciger aterrimus", alive=3),
        _bird(16, "08/01/2021", "Indonesia", "Kalimantan Timur", "Balikpapan", None,
              "Sulawesi Tengah", "Kalimantan Timur", "Chattering lory", "Lorius garrulus",
              alive=12),
        _bird(17, "21/02/2021", "Indonesia", "Sumatera Selatan", "Palembang", None, "Jambi",
              "Lampung", "Sumatran laughingthrush", None, alive=55),
        _bird(18, "05/04/2021", "Indonesia", "DKI Jakarta", "Jakarta", "Pramuka bird market",
              "Jawa Barat", "DKI Jakarta", "Javan hawk-eagle", None, alive=1),
        _bird(19, "19/05/2021", "Philippines", "Davao Region", "Davao City", "Sasa port",
              "Sulawesi Utara", "Davao Region", "Yellow-crested cockatoo", "Cacatua sulphurea",
              alive=8, source="Philippine Daily Inquirer"),
        _bird(20, "03/07/2021", "Indonesia", "Sulawesi Utara", "Bitung", "Bitung port",
              "Maluku Utara", "Philippines", "Moluccan cockatoo", None, alive=19, dead=2),
        _bird(21, "29/08/2021", "Indonesia", "Riau", "Dumai", "Dumai port", "Riau", "Malaysia",
              "Hill myna", None, alive=40),
        _bird(22, "12/10/2021", "Indonesia", "Jawa Barat", "Bandung", None, "Jawa Tengah",
              "Jawa Barat", "Bali myna", "Leucopsar rothschildi", alive=4),
        _bird(23, "07/12/2021", "Indonesia", "Nusa Tenggara Barat", "Mataram", "Lembar port",
              "Nusa Tenggara Timur", "Bali", "Yellow-crested cockatoo", None, alive=6),
        _bird(24, "14/01/2022", "Indonesia", "Aceh", "Banda Aceh", None, "Aceh",
              "Sumatera Utara", "White-rumped shama", None, alive=210, dead=15),
    ],
)

# fmt: on

SHAPES: dict[str, Shape] = {
    shape.name: shape for shape in (NGO, PAPER, COURT, PRF, LATAM, AIR, PRESS, BIRDS)
}

MAPPING_TOML = """\
# A pangolin seizure database: every row is a pangolin seizure, so the file has no species
# column. The taxon is given once for the whole file.
[defaults]
taxon = "Manidae"
"""


# --------------------------------------------------------------------------------------------
# Writers.


def _zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.create_system = 0
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()


def _save_workbook(workbook: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed timestamps, so the bytes (and the file's SHA-256) never vary."""
    workbook.properties.creator = "Wildlife Seizure Atlas test fixtures"
    workbook.properties.created = datetime.datetime(2022, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    entries = []
    with zipfile.ZipFile(buffer) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>" + _CORE_TIME.encode() + rb"\g<3>",
                    data,
                )
            entries.append((name, data))
    path.write_bytes(_zip_bytes(entries))


def _put(sheet, shape: Shape, header_row: int) -> None:
    for column, header in enumerate(shape.headers, start=1):
        sheet.cell(row=header_row, column=column, value=header)
    for row in shape.rows:
        for column, value in enumerate(row.cells, start=1):
            cell = sheet.cell(row=row.number, column=column, value=value)
            if isinstance(value, datetime.datetime):
                has_time = value.time() != datetime.time(0, 0)
                cell.number_format = "DD/MM/YYYY HH:MM" if has_time else "DD/MM/YYYY"


def _write_ngo(shape: Shape, path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Pangolin seizures"
    sheet["A1"] = "Pangolin seizures compiled from open sources, 2016-2019 (synthetic extract)"
    sheet["A2"] = "Figures as reported; blank = not reported. Coordinates only where published."
    _put(sheet, shape, header_row=shape.first_data_row - 1)
    _save_workbook(workbook, path)


def _write_air(shape: Shape, path: Path) -> None:
    workbook = openpyxl.Workbook()
    about = workbook.active
    about.title = "About"
    about["A1"] = (
        "Wildlife seizures in the air transport sector, compiled from public seizure reports. "
        "Each row is one seizure; quantities are as reported. Synthetic values for testing."
    )
    sheet = workbook.create_sheet("Air seizures")
    sheet["A1"] = "Air seizures database - extract"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(shape.headers))
    _put(sheet, shape, header_row=shape.first_data_row - 1)
    _save_workbook(workbook, path)


def _delimited(
    shape: Shape,
    delimiter: str,
    line_end: str,
    quoting: int = csv.QUOTE_MINIMAL,
    above: tuple[str, ...] = (),
) -> str:
    buffer = io.StringIO()
    for line in above:
        buffer.write(line + line_end)
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    writer.writerow(shape.headers)
    for row in shape.rows:
        writer.writerow(["" if value is None else value for value in row.cells])
    return buffer.getvalue()


def _r_csv(shape: Shape, delimiter: str, line_end: str) -> str:
    """As R's write.csv writes: character columns quoted, numeric columns bare, NA bare."""

    def numeric(column: int) -> bool:
        if shape.headers[column] == "":  # row names are always quoted
            return False
        values = [row.cells[column] for row in shape.rows]
        return all(v in (None, "NA") or re.fullmatch(r"-?\d+", str(v)) for v in values)

    bare = [numeric(column) for column in range(len(shape.headers))]

    def cell(value: object, plain: bool) -> str:
        if value is None or value == "NA":
            return "NA"
        text = str(value)
        return text if plain else '"' + text.replace('"', '""') + '"'

    lines = [delimiter.join(cell(h, False) for h in shape.headers)]
    for row in shape.rows:
        lines.append(delimiter.join(cell(v, b) for v, b in zip(row.cells, bare, strict=True)))
    return line_end.join(lines) + line_end


def write_real_shapes(folder: Path = HERE) -> None:
    """Write every fixture and the mapping file into ``folder``."""
    _write_ngo(NGO, folder / NGO.name)
    (folder / PAPER.name).write_bytes(_delimited(PAPER, ",", "\n").encode("utf-8"))
    (folder / PAPER.mapping).write_text(MAPPING_TOML, encoding="utf-8")
    # Excel's "Unicode text": UTF-16 little-endian with a byte-order mark, tabs, CRLF.
    (folder / COURT.name).write_bytes(_delimited(COURT, "\t", "\r\n").encode("utf-16"))
    (folder / PRF.name).write_bytes(_r_csv(PRF, ";", "\r\n").encode("latin-1"))
    (folder / LATAM.name).write_bytes(_r_csv(LATAM, ",", "\n").encode("utf-8"))
    _write_air(AIR, folder / AIR.name)
    title = (
        "Wildlife seizures reported in the press: Yunnan, Guangxi and neighbouring border "
        "areas (synthetic extract)"
    )
    press = _delimited(PRESS, "\t", "\n", above=(title, ""))
    (folder / PRESS.name).write_bytes(press.encode("utf-8"))
    (folder / BIRDS.name).write_bytes(_delimited(BIRDS, ";", "\r\n").encode("utf-8-sig"))
    _check()


def _check() -> None:
    for shape in SHAPES.values():
        assert 20 <= len(shape.rows) <= 60, shape.name
        for row in shape.rows:
            want = row.want
            assert want.outcome in ("accepted", "quarantined"), (shape.name, row.number)
            assert (want.outcome == "quarantined") == (want.field is not None)
            if want.outcome == "quarantined" and shape is not PAPER:
                assert not want.eligible
        outcomes = [row.want.outcome for row in shape.rows]
        assert outcomes.count("quarantined") >= 2, shape.name
        assert sum(row.want.check for row in shape.rows) >= 4, shape.name


if __name__ == "__main__":
    write_real_shapes()
