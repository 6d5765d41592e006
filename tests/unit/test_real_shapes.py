"""Files shaped like real published seizure tables import as a user would expect.

The fixtures and the outcome of every row live in ``tests/data/real_shapes/make_real_shapes.py``
(README.md there names the real table each one follows).  Every file is imported WITHOUT a
mapping, as a user dropping it on the Data page would, except where a test says otherwise.

``test_every_row_is_accounted_for`` holds today.  The other tests describe the behaviour the
importer should have (product from category columns, per-form quantity columns, dates in
parts, place hierarchies, header and value variants, several taxa in one cell); some of them
fail until that behaviour lands.

Run this file as a script to print the headline figures: of the rows that carry a date, a
place and a product or taxon, the share accepted, and the share with a quantity where the
file gives one.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.ingest.headers import read_mapping_file
from geo.ingest.importer import import_file
from geo.store.store import Store

DATA = Path(__file__).resolve().parent.parent / "data" / "real_shapes"
TODAY = dt.date(2026, 11, 25)

_spec = importlib.util.spec_from_file_location("make_real_shapes", DATA / "make_real_shapes.py")
make_real_shapes = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = make_real_shapes  # dataclasses look their module up while loading
_spec.loader.exec_module(make_real_shapes)  # importing writes nothing

SHAPES = make_real_shapes.SHAPES
PAPER = make_real_shapes.PAPER

# Words that show a quarantine reason is about the field the row lacks.
_FIELD_WORDS = {
    "seizure_date": ("date", "year"),
    "seizing_country": ("country", "place", "coordinates", "location"),
    "taxon": ("species", "taxon"),
}


class Imported:
    """One file imported into a fresh store: the report, records, quarantine and duplicates."""

    def __init__(self, folder: Path, name: str, mapping=None):
        store = Store(str(folder / "s.duckdb"))
        self.report = import_file(DATA / name, store, mapping, today=TODAY)
        self.records = store.records().set_index("source_row")
        self.held = store.quarantined(self.report.batch_id).set_index("source_row")
        repeated = store.run_sql(
            "SELECT source_row FROM duplicates WHERE batch_id = :batch",
            {"batch": self.report.batch_id},
        )
        self.repeated = {int(row) for row in repeated["source_row"]}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Import each file once per module (with or without the paper's mapping), on demand."""
    cache: dict[tuple[str, bool], Imported] = {}

    def get(name: str, mapped: bool = False) -> Imported:
        if (name, mapped) not in cache:
            mapping = read_mapping_file(DATA / PAPER.mapping) if mapped else None
            folder = tmp_path_factory.mktemp("store")
            cache[name, mapped] = Imported(folder, name, mapping)
        return cache[name, mapped]

    return get


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _mismatches(got: pd.Series, want: dict) -> list[str]:
    """Compare a stored record with the values a user expects; describe every difference."""
    problems = []
    for name, expected in want.items():
        if name == "near":
            lat, lon, km = expected
            if _missing(got.get("lat")) or _missing(got.get("lon")):
                problems.append(f"near: no coordinates, expected within {km} km of {lat}, {lon}")
            else:
                distance = _km(float(got["lat"]), float(got["lon"]), lat, lon)
                if distance > km:
                    problems.append(
                        f"near: ({got['lat']:.4f}, {got['lon']:.4f}) is {distance:.0f} km from "
                        f"({lat}, {lon}), expected within {km} km"
                    )
            continue
        if name not in got.index:
            if expected is not None:
                problems.append(f"{name}: the record has no such field (expected {expected!r})")
            continue
        value = got[name]
        if expected is None:
            if not (_missing(value) or value == ""):
                problems.append(f"{name}: {value!r}, expected empty")
        elif name == "quantity":
            if _missing(value) or not math.isclose(float(value), expected, rel_tol=1e-9):
                problems.append(f"quantity: {value!r}, expected {expected!r}")
        elif name == "seizure_date":
            if _missing(value) or str(value)[:10] != expected:
                problems.append(f"seizure_date: {value!r}, expected {expected}")
        elif isinstance(expected, tuple):
            if value not in expected:
                problems.append(f"{name}: {value!r}, expected one of {expected!r}")
        elif _missing(value) or value != expected:
            problems.append(f"{name}: {value!r}, expected {expected!r}")
    return problems


def _names_field(problems: list[dict], field: str) -> bool:
    words = _FIELD_WORDS[field]
    for problem in problems:
        text = f"{problem.get('column') or ''} {problem.get('reason') or ''}".casefold()
        if any(word in text for word in words):
            return True
    return False


# Known gaps: what these files still get wrong, each a strict xfail, so a fix shows up as an
# unexpected pass and the mark must then go.
_COURT_PLACES = "county names with 县 are not found, and 河口/瑞丽 match the crossing's other side"
_GAPS = {
    "br_prf_rodovias.csv": "one event ID covers two species seized together (id conflict)",
    "cn_court_judgments.txt": _COURT_PLACES,
    "latam_decomisos_r.csv": "R's bare NA is read as Namibia; Estado = Vivo is not read as live",
    "br_prf_rodovias.csv:2": "a bare count with an unknown commodity gets no unit",
    "br_prf_rodovias.csv:8": "one event ID covers two species seized together (id conflict)",
    "cn_court_judgments.txt:2": _COURT_PLACES,
    "cn_court_judgments.txt:3": _COURT_PLACES,
    "cn_court_judgments.txt:5": _COURT_PLACES,
    "cn_court_judgments.txt:8": _COURT_PLACES,
    "id_bird_seizures.csv:2": "the regency is not in the gazetteer: placed on the country",
    "latam_decomisos_r.csv:2": "Estado = Vivo (the specimen's condition) is not read as live",
    "latam_decomisos_r.csv:5": "Estado = Vivo (the specimen's condition) is not read as live",
    "latam_decomisos_r.csv:11": "Estado = Vivo (the specimen's condition) is not read as live",
}


def _case(*values, id: str):
    gap = _GAPS.get(id)
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(*values, id=id, marks=marks)


# --------------------------------------------------------------------------------------------
# Holds today: nothing is lost, whatever the file looks like.


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_row_is_accounted_for(imported, name):
    shape = SHAPES[name]
    result = imported(name)
    report = result.report
    numbers = {row.number for row in shape.rows}
    assert report.rows_read == len(shape.rows)
    assert report.rows_read == report.accepted + report.quarantined + report.duplicates
    accepted, held = set(result.records.index), set(result.held.index)
    assert len(accepted) == report.accepted
    assert len(held) == report.quarantined
    assert len(result.repeated) == report.duplicates
    assert not accepted & held and not accepted & result.repeated and not held & result.repeated
    assert accepted | held | result.repeated == numbers


# --------------------------------------------------------------------------------------------
# What a user should get, without a mapping.


def _expected_outcomes(shape) -> dict[int, str]:
    return {row.number: row.want.outcome for row in shape.rows}


@pytest.mark.parametrize("name", [_case(name, id=name) for name in sorted(SHAPES)])
def test_accepted_and_quarantined_counts(imported, name):
    shape = SHAPES[name]
    result = imported(name)
    outcomes = list(_expected_outcomes(shape).values())
    assert (result.report.accepted, result.report.quarantined, result.report.duplicates) == (
        outcomes.count("accepted"),
        outcomes.count("quarantined"),
        0,
    )


@pytest.mark.parametrize("name", [_case(name, id=name) for name in sorted(SHAPES)])
def test_the_bad_rows_are_the_ones_quarantined_with_a_reason(imported, name):
    shape = SHAPES[name]
    result = imported(name)
    expected = {row.number: row.want.field for row in shape.rows if row.want.field}
    held = set(result.held.index)
    assert held == set(expected), (
        f"quarantined {sorted(held - set(expected))} should be accepted; "
        f"accepted {sorted(set(expected) - held)} should be quarantined"
    )
    for number, field in expected.items():
        problems = result.held.loc[number, "problems"]
        assert _names_field(problems, field), (number, field, problems)


def _checked_rows():
    for name, shape in sorted(SHAPES.items()):
        if shape is PAPER:
            continue  # its values are checked with its mapping below
        for row in shape.rows:
            if row.want.check and row.want.outcome == "accepted":
                yield _case(name, row.number, id=f"{name}:{row.number}")


@pytest.mark.parametrize(("name", "number"), list(_checked_rows()))
def test_accepted_rows_have_the_values_a_user_expects(imported, name, number):
    shape = SHAPES[name]
    want = next(row.want for row in shape.rows if row.number == number)
    result = imported(name)
    assert number in result.records.index, (
        f"row {number} is not accepted: "
        f"{result.held.loc[number, 'problems'] if number in result.held.index else 'missing'}"
    )
    problems = _mismatches(result.records.loc[number], want.values)
    assert not problems, "; ".join(problems)


# --------------------------------------------------------------------------------------------
# A single-species file with no species column: quarantined with a clear reason, unless a
# mapping gives the taxon for the whole file.


def test_no_species_column_quarantines_every_row_with_a_reason(imported):
    result = imported(PAPER.name)
    assert result.report.accepted == 0
    assert result.report.quarantined == len(PAPER.rows)
    for row in PAPER.rows:
        problems = result.held.loc[row.number, "problems"]
        assert _names_field(problems, "taxon"), (row.number, problems)


def test_the_mapping_file_gives_a_file_wide_taxon():
    mapping = read_mapping_file(DATA / PAPER.mapping)
    assert mapping.defaults == {"taxon": "Manidae"}
    assert mapping.columns == {}


def test_no_species_column_with_a_file_wide_taxon_accepts_every_good_row(imported):
    result = imported(PAPER.name, mapped=True)
    accepted, quarantined = PAPER.mapped_counts
    report = result.report
    # Distinct seizures must stay distinct: no row may collapse into another as a duplicate.
    assert (report.accepted, report.quarantined, report.duplicates) == (accepted, quarantined, 0)
    expected = {n for n, outcome in make_real_shapes.PAPER_MAPPED.items() if outcome != "accepted"}
    assert set(result.held.index) == expected
    assert (result.records["taxon"] == "Manidae").all()


def _mapped_rows():
    for row in PAPER.rows:
        if row.want.check and make_real_shapes.PAPER_MAPPED[row.number] == "accepted":
            yield pytest.param(row.number, id=f"{PAPER.name}:{row.number}")


@pytest.mark.parametrize("number", list(_mapped_rows()))
def test_no_species_column_with_a_file_wide_taxon_reads_the_values(imported, number):
    want = next(row.want for row in PAPER.rows if row.number == number)
    result = imported(PAPER.name, mapped=True)
    assert number in result.records.index
    problems = _mismatches(result.records.loc[number], want.values)
    assert not problems, "; ".join(problems)


# --------------------------------------------------------------------------------------------
# Headline figures (python tests/unit/test_real_shapes.py).


def headline(folder: Path) -> None:
    """Print, per file and overall, how many importable rows are accepted and quantified."""
    totals = {"eligible": 0, "accepted": 0, "with_quantity": 0, "quantified": 0}
    print(f"{'file':34} {'eligible':>8} {'accepted':>9} {'qty in file':>11} {'qty kept':>9}")
    for index, (name, shape) in enumerate(sorted(SHAPES.items())):
        place = folder / str(index)
        place.mkdir()
        result = Imported(place, name)
        eligible = [row for row in shape.rows if row.want.eligible]
        accepted = [row for row in eligible if row.number in result.records.index]
        with_quantity = [row for row in eligible if row.want.quantity_in_file]
        quantified = [
            row
            for row in with_quantity
            if row.number in result.records.index
            and not _missing(result.records.loc[row.number, "quantity"])
        ]
        counts = (len(eligible), len(accepted), len(with_quantity), len(quantified))
        for key, count in zip(totals, counts, strict=True):
            totals[key] += count
        print(f"{name:34} {counts[0]:8} {counts[1]:9} {counts[2]:11} {counts[3]:9}")
    print(
        f"accepted: {totals['accepted']}/{totals['eligible']} "
        f"= {100 * totals['accepted'] / totals['eligible']:.0f}% of rows with a date, a place "
        f"and a product or taxon; quantity kept: {totals['quantified']}/"
        f"{totals['with_quantity']} = {100 * totals['quantified'] / totals['with_quantity']:.0f}%"
        " of those rows whose cells give a quantity."
    )
    paper = Imported(folder / "paper", PAPER.name, read_mapping_file(DATA / PAPER.mapping))
    good = [n for n, outcome in make_real_shapes.PAPER_MAPPED.items() if outcome == "accepted"]
    kept = [n for n in good if n in paper.records.index]
    print(
        f"{PAPER.name} (no species column; not counted above) with its mapping: "
        f"{len(kept)}/{len(good)} good rows accepted."
    )


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        headline(Path(scratch))
