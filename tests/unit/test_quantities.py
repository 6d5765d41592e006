"""Tests for geo.ingest.quantities: seized quantities and units read from agency text."""

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geo.ingest.quantities import normalise_unit, parse_quantities

UNKNOWN_SACKS = "unit 'sacks' is not one of kg, pieces, individuals, m3, litres"


def _parse_one(value, unit=None):
    """Parse one quantity cell (and unit cell) and return (quantity, unit, problem)."""
    units = None if unit is None else pd.Series([unit], dtype=object)
    row = parse_quantities(pd.Series([value], dtype=object), units).iloc[0]
    quantity = None if np.isnan(row["quantity"]) else round(row["quantity"], 9)
    return quantity, row["unit"], row["problem"]


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("12", None, (12.0, None, None)),
        ("12.5", None, (12.5, None, None)),
        ("12,5", None, (12.5, None, None)),
        (" 7 ", None, (7.0, None, None)),
        ("1,234.5", None, (1234.5, None, None)),
        ("1.234,5", None, (1234.5, None, None)),
        ("1 234,5", None, (1234.5, None, None)),
        ("1\u00a0234", None, (1234.0, None, None)),
        ("1'234", None, (1234.0, None, None)),
        ("1,234", None, (1234.0, None, None)),
        ("1,234,567", None, (1234567.0, None, None)),
        ("1.234.567", None, (1234567.0, None, None)),
        ("0,500", None, (0.5, None, None)),
        ("1234,567", None, (1234.567, None, None)),
        ("1E+05", None, (100000.0, None, None)),
        ("~15", None, (15.0, None, None)),
        ("approx. 20", None, (20.0, None, None)),
        ("ca. 20 kg", None, (20.0, "kg", None)),
        ("aprox. 20 kg", None, (20.0, "kg", None)),
        ("15+", None, (15.0, None, None)),
        ("0", None, (0.0, None, None)),
        ("0", "kg", (0.0, "kg", None)),
        ("12 kg", None, (12.0, "kg", None)),
        ("12kg", None, (12.0, "kg", None)),
        ("12 KGS", None, (12.0, "kg", None)),
        ("12 kg.", None, (12.0, "kg", None)),
        ("7 Kilogrammes", None, (7.0, "kg", None)),
        ("7 kilos", None, (7.0, "kg", None)),
        ("3,5 t", None, (3500.0, "kg", None)),
        ("2 toneladas", None, (2000.0, "kg", None)),
        ("500 g", None, (0.5, "kg", None)),
        ("500g", None, (0.5, "kg", None)),
        ("500 gramos", None, (0.5, "kg", None)),
        ("10 lb", None, (4.5359237, "kg", None)),
        ("5 pcs", None, (5.0, "pieces", None)),
        ("3 pièces", None, (3.0, "pieces", None)),
        ("3 peças", None, (3.0, "pieces", None)),
        ("4 unidades", None, (4.0, "pieces", None)),
        ("4 têtes", None, (4.0, "individuals", None)),
        ("12 ejemplares", None, (12.0, "individuals", None)),
        ("2 m³", None, (2.0, "m3", None)),
        ("2 metros cúbicos", None, (2.0, "m3", None)),
        ("5 ml", None, (0.005, "litres", None)),
        ("5 litros", None, (5.0, "litres", None)),
        ("10只", None, (10.0, "individuals", None)),
        ("100多只", None, (100.0, "individuals", None)),
        ("约100只", None, (100.0, "individuals", None)),
        ("1.5吨", None, (1500.0, "kg", None)),
        ("3公斤", None, (3.0, "kg", None)),
        ("20件", None, (20.0, "pieces", None)),
        ("12", "kg", (12.0, "kg", None)),
        ("12", "t", (12000.0, "kg", None)),
        ("12", "pcs", (12.0, "pieces", None)),
        ("12", "Individuos", (12.0, "individuals", None)),
        ("500 g", "kg", (0.5, "kg", None)),
        ("12 kg", "kg", (12.0, "kg", None)),
        (None, "kg", (None, "kg", None)),
        ("kg", None, (None, "kg", None)),
        (None, None, (None, None, None)),
        ("", "", (None, None, None)),
        ("n/a", "-", (None, None, None)),
    ],
)
def test_parse_quantities_reads_the_value(value, unit, expected):
    assert _parse_one(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit", "problem"),
    [
        ("-3 kg", None, "quantity '-3 kg' is negative"),
        ("-3", None, "quantity '-3' is negative"),
        ("−3", None, "quantity '−3' is negative"),
        ("10-12", None, "quantity '10-12' is a range, not a single number"),
        ("10 - 12 kg", None, "quantity '10 - 12 kg' is a range, not a single number"),
        ("10 to 12", None, "quantity '10 to 12' is a range, not a single number"),
        ("10~12只", None, "quantity '10~12只' is a range, not a single number"),
        ("abc", None, "quantity 'abc' is not a number"),
        ("twelve", None, "quantity 'twelve' is not a number"),
        ("1.2.3", None, "quantity '1.2.3' is not a number"),
        ("1,23.4", None, "quantity '1,23.4' is not a number"),
        ("inf", None, "quantity 'inf' is not a number"),
        ("12 sacks", None, UNKNOWN_SACKS),
        ("12", "sacks", UNKNOWN_SACKS),
        (None, "sacks", UNKNOWN_SACKS),
        ("12 kg", "pcs", "quantity '12 kg' is in kg but the unit column says 'pcs'"),
        ("5 只", "kg", "quantity '5 只' is in individuals but the unit column says 'kg'"),
    ],
)
def test_parse_quantities_reports_the_bad_value(value, unit, problem):
    assert _parse_one(value, unit) == (None, None, problem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kg", ("kg", 1.0)),
        ("Kg.", ("kg", 1.0)),
        ("千克", ("kg", 1.0)),
        ("㎏", ("kg", 1.0)),
        ("t", ("kg", 1000.0)),
        ("Tonnes", ("kg", 1000.0)),
        ("吨", ("kg", 1000.0)),
        ("gr", ("kg", 0.001)),
        ("grammes", ("kg", 0.001)),
        ("lbs", ("kg", 0.45359237)),
        ("no.", ("pieces", 1.0)),
        ("pièce", ("pieces", 1.0)),
        ("副", ("pieces", 1.0)),
        ("heads", ("individuals", 1.0)),
        ("spécimens", ("individuals", 1.0)),
        ("cabeças", ("individuals", 1.0)),
        ("尾", ("individuals", 1.0)),
        ("cbm", ("m3", 1.0)),
        ("cubic  metres", ("m3", 1.0)),
        ("mètres cubes", ("m3", 1.0)),
        ("立方米", ("m3", 1.0)),
        ("Ltr", ("litres", 1.0)),
        ("升", ("litres", 1.0)),
        ("ml", ("litres", 0.001)),
        ("sacks", None),
        ("", None),
    ],
)
def test_normalise_unit(text, expected):
    assert normalise_unit(text) == expected


def test_result_is_aligned_to_the_input_index():
    values = pd.Series(["12", None, "-1"], index=[5, 6, 7])
    frame = parse_quantities(values, pd.Series(["kg", "kg", "kg"], index=[5, 6, 7]))
    assert list(frame.columns) == ["quantity", "unit", "problem"]
    assert frame.index.tolist() == [5, 6, 7]
    assert frame["quantity"].dtype == "float64"
    assert frame["unit"].tolist() == ["kg", "kg", None]
    assert frame["problem"].tolist() == [None, None, "quantity '-1' is negative"]


def test_numeric_column():
    frame = parse_quantities(pd.Series([12.5, np.nan, -2.0]))
    assert frame["quantity"].tolist()[0] == 12.5
    assert frame["problem"].tolist() == [None, None, "quantity '-2' is negative"]


def test_units_must_match_values_in_length():
    with pytest.raises(ValueError, match="same length"):
        parse_quantities(pd.Series(["1"]), pd.Series(["kg", "kg"]))


VALUE_POOL = ["12", "12.5", "12,5", "1,234", "-3", "3,5 t", "500g", "10-12", "~15", "abc", None, ""]
UNIT_POOL = [None, "kg", "t", "pcs", "sacks", "只"]


@pytest.mark.parametrize("numbers_only", [False, True])
def test_large_series_matches_parsing_each_unique_value(numbers_only):
    values = ["12", "0.5", "7", None, "-2", "1E+05"] if numbers_only else VALUE_POOL
    pool = [(value, unit) for value in values for unit in UNIT_POOL]
    rng = np.random.default_rng(5)
    picks = rng.integers(0, len(pool), 200_000)
    index = picks * 7
    value_column = pd.Series([pool[pick][0] for pick in picks], dtype=object, index=index)
    unit_column = pd.Series([pool[pick][1] for pick in picks], dtype=object, index=index)

    frame = parse_quantities(value_column, unit_column)

    one_by_one = pd.concat(
        [
            parse_quantities(pd.Series([value], dtype=object), pd.Series([unit], dtype=object))
            for value, unit in pool
        ],
        ignore_index=True,
    )
    expected = one_by_one.iloc[picks].set_axis(index)
    assert_frame_equal(frame, expected)
