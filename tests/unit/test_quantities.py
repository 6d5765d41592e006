"""Tests for geo.ingest.quantities: seized quantities and units read from agency text."""

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geo.ingest.quantities import (
    QUANTITY_COLUMNS,
    infer_decimal_comma,
    normalise_unit,
    parse_quantities,
    primary_quantity,
)

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
    assert list(frame.columns) == ["quantity", "unit", "problem", "flag", "form"]
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


# -- cells as agencies write them -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("N/A", (None, None, None)),
        ("-", (None, None, None)),
        ("—", (None, None, None)),
        ("?", (None, None, None)),
        ("12\u00a0kg", (12.0, "kg", None)),  # no-break space before the unit
        ("\u00a012\u00a0", (12.0, None, None)),
        ("12\u200b", (12.0, None, None)),  # zero-width space
        ("\ufeff7", (7.0, None, None)),  # a byte-order mark left at the start of a cell
        ("1\u202f250", (1250.0, None, None)),  # narrow no-break space between thousands
        ("12\u2009kg", (12.0, "kg", None)),  # thin space
        ("approx. 40", (40.0, None, None)),
        ("3 tusks", (3.0, "pieces", None)),
        ("5 pieles", (5.0, "pieces", None)),
        ("2 œufs", (2.0, "pieces", None)),
    ],
)
def test_cells_as_agencies_write_them(value, expected):
    assert _parse_one(value) == expected


@pytest.mark.parametrize("flag", ["Y", "y", "Yes", "X", "x", "sí", "Si", "oui", "sim", "✓", "是"])
def test_a_yes_flag_is_seized_not_quantified(flag):
    frame = parse_quantities(pd.Series([flag], dtype=object), pd.Series(["kg"], dtype=object))
    row = frame.iloc[0]
    assert np.isnan(row["quantity"]) and row["problem"] is None and bool(row["flag"])


def test_only_yes_flags_are_flagged():
    frame = parse_quantities(pd.Series(["12", "abc", None, "N/A", "Y"], dtype=object))
    assert frame["flag"].tolist() == [False, False, False, False, True]
    assert frame["problem"].notna().tolist() == [False, True, False, False, False]


def test_a_counting_word_names_the_form():
    values = pd.Series(["3 tusks", "1.200", "12", "4 cuernos"], dtype=object)
    units = pd.Series([None, "huevos", "kg", None], dtype=object)
    frame = parse_quantities(values, units)
    assert frame["form"].tolist() == ["TUS", "EGG", None, "HOR"]
    assert frame["unit"].tolist() == ["pieces", "pieces", "kg", "pieces"]


# -- "1.200": a decimal point, unless the file writes decimal commas -------------------------


def test_a_dot_and_three_digits_is_a_decimal_point_by_default():
    assert _parse_one("1.200 kg") == (1.2, "kg", None)


def test_a_column_with_decimal_commas_groups_thousands_with_dots():
    values = pd.Series(["3,5 kg", "1.200 kg", "1.200", "0,750", "12"], dtype=object)
    frame = parse_quantities(values)
    assert frame["quantity"].tolist() == [3.5, 1200.0, 1200.0, 0.75, 12.0]


def test_a_column_with_both_decimal_marks_keeps_the_default():
    # "3,5" and "2.75" disagree, so "1.200" keeps its default reading
    values = pd.Series(["3,5", "2.75", "1.200"], dtype=object)
    assert parse_quantities(values)["quantity"].tolist() == [3.5, 2.75, 1.2]


def test_the_decimal_convention_can_be_given():
    values = pd.Series(["1.200", "0.5"], dtype=object)
    assert parse_quantities(values, decimal_comma=True)["quantity"].tolist() == [1200.0, 0.5]
    comma = pd.Series(["3,5", "1.200"], dtype=object)
    assert parse_quantities(comma, decimal_comma=False)["quantity"].tolist() == [3.5, 1.2]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ([["3,5", "12"]], True),
        ([["0,500"]], True),
        ([["1.234,5"]], True),
        ([["1,234"]], False),  # thousands comma or decimal comma: says nothing
        ([["3.5", "3,5"]], False),
        ([["1.200"]], False),
        ([["1.200", None], ["86,4 kg"]], True),  # one file, several columns
        ([["86,4"], ["2.75"]], False),
    ],
)
def test_infer_decimal_comma(columns, expected):
    series = [pd.Series(column, dtype=object) for column in columns]
    assert infer_decimal_comma(series) is expected


def test_infer_decimal_comma_reads_numeric_columns():
    assert infer_decimal_comma([pd.Series([1.5, 2.0]), pd.Series(["3,5"], dtype=object)]) is False
    assert infer_decimal_comma([pd.Series([1200, 3]), pd.Series(["3,5"], dtype=object)]) is True


# -- several quantity columns: one quantity by the stated rule -------------------------------


def _read(values, unit):
    """Parse one helper column whose header implies `unit`."""
    series = pd.Series(values, dtype=object)
    return parse_quantities(series, pd.Series([unit] * len(series), dtype=object))


def test_primary_quantity_prefers_weight_then_individuals_then_pieces():
    total_kg = _read(["205", None, None, None, "N/A"], "kg")
    scales_kg = _read([None, "1 450,5", None, None, None], "kg")
    live = _read(["3", "2", "6", None, None], "individuals")
    tusks = _read([None, None, "4", "24", None], "pieces")
    pieces = _read([None, None, None, "30", "212"], "pieces")
    chosen = primary_quantity(
        [(total_kg, None), (scales_kg, "SCA"), (live, "LIV"), (tusks, "TUS"), (pieces, None)]
    )
    assert chosen["quantity"].tolist() == [205.0, 1450.5, 6.0, 24.0, 212.0]
    assert chosen["unit"].tolist() == ["kg", "kg", "individuals", "pieces", "pieces"]
    assert chosen["column"].tolist() == [0, 1, 2, 3, 4]
    # the chosen column's form; a total names none
    assert chosen["form"].tolist() == [None, "SCA", "LIV", "TUS", None]
    # the one form the row's filled columns share
    assert chosen["only_form"].tolist() == ["LIV", None, None, "TUS", None]


def test_primary_quantity_stated_quantity_wins_and_flags_give_a_form():
    stated = parse_quantities(pd.Series(["3 kg", None], dtype=object))
    scales = _read(["Y", "Y"], "kg")
    chosen = primary_quantity([(scales, "SCA")], stated)
    assert chosen["quantity"].tolist()[0] == 3.0 and np.isnan(chosen["quantity"].tolist()[1])
    assert chosen["column"].tolist() == [-1, -1]
    assert chosen["only_form"].tolist() == ["SCA", "SCA"]


def test_quantity_columns_cover_the_rule_units():
    assert {column.unit for column in QUANTITY_COLUMNS.values()} == {"kg", "individuals", "pieces"}
    assert all(
        column.commodity is None or column.commodity.isupper()
        for column in QUANTITY_COLUMNS.values()
    )


def test_primary_quantity_keeps_a_stated_unit_where_no_column_has_a_number():
    stated = parse_quantities(
        pd.Series([None, None], dtype=object), pd.Series(["kg", "kg"], dtype=object)
    )
    live = _read([None, "4"], "individuals")
    chosen = primary_quantity([(live, "LIV")], stated)
    assert chosen["unit"].tolist() == ["kg", "individuals"]
    assert chosen["column"].tolist() == [-1, 0]
