"""Seized quantities and their units read from agency text, converted to the record's units.

A record has one quantity and one unit.  Files give it either as a quantity column (with the
unit in the cell or in a unit column), or as several columns that each hold one kind of
quantity (:data:`QUANTITY_COLUMNS`): a total weight, the weight of one form ("Weight of
scales (kg)"), counts of individuals ("Live animals", "Carcasses") and counts of pieces
("Tusks (number)", "Eggs", "Pieces").  :func:`primary_quantity` picks one per row by this
rule:

1. the quantity column, when it holds a number;
2. else a weight (kg): the total weight column first, then the per-form weights in the
   order of :data:`QUANTITY_COLUMNS`;
3. else a count of individuals: the general count first, then live animals, then bodies;
4. else a count of pieces: the general count first, then the per-form counts.

Quantities in different units are never added, nor are two columns of one unit (a total and
the weight of one of its forms would count twice): the columns not chosen keep their values
in the record's ``extra``.

The form of the chosen column (scales, live, tusks...) is the seizure's commodity, unless
the file's commodity column names one.  When the chosen column is a total, the form of the
row's other filled columns (if they all name the same one) is the commodity only where
nothing else in the row names one.  A cell that only says the form was seized (``Y``,
``Yes``, ``X``, ``sí``, ``✓``) gives no quantity and is no problem: it is kept in ``extra``
and its column's form still counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.ingest import _arrow
from geo.schema import UNITS

__all__ = [
    "QUANTITY_COLUMNS",
    "QuantityColumn",
    "infer_decimal_comma",
    "normalise_unit",
    "parse_quantities",
    "primary_quantity",
]


@dataclass(frozen=True)
class QuantityColumn:
    """What a helper quantity column holds.

    Attributes
    ----------
    unit : str
        The unit its numbers are in (one of ``geo.schema.UNITS``), unless a cell says another.
    commodity : str or None
        The CITES trade term of the form it counts (``"SCA"`` for a weight of scales); None
        for a total.
    taxon : str or None
        The taxon the column implies when the file names none (ETIS's ivory columns are
        elephant ivory); None for most.
    """

    unit: str
    commodity: str | None = None
    taxon: str | None = None


# Helper fields of ``geo.ingest.headers`` that hold one kind of quantity.  Their order is the
# order of preference within a unit (see the module docstring): a total before a part.
QUANTITY_COLUMNS: dict[str, QuantityColumn] = {
    "quantity_kg": QuantityColumn("kg"),
    "raw_ivory_kg": QuantityColumn("kg", "TUS", "Elephantidae"),
    "worked_ivory_kg": QuantityColumn("kg", "IVC", "Elephantidae"),
    "scales_kg": QuantityColumn("kg", "SCA"),
    "horns_kg": QuantityColumn("kg", "HOR"),
    "meat_kg": QuantityColumn("kg", "MEA"),
    "quantity_individuals": QuantityColumn("individuals"),
    "live_individuals": QuantityColumn("individuals", "LIV"),
    "bodies_individuals": QuantityColumn("individuals", "BOD"),
    "quantity_pieces": QuantityColumn("pieces"),
    "raw_ivory_pieces": QuantityColumn("pieces", "TUS", "Elephantidae"),
    "worked_ivory_pieces": QuantityColumn("pieces", "IVC", "Elephantidae"),
    "tusks_pieces": QuantityColumn("pieces", "TUS"),
    "horns_pieces": QuantityColumn("pieces", "HOR"),
    "skins_pieces": QuantityColumn("pieces", "SKI"),
    "eggs_pieces": QuantityColumn("pieces", "EGG"),
}
# Units in the order the rule prefers them; a number without a unit comes last.
_UNIT_PREFERENCE = {"kg": 0, "individuals": 1, "pieces": 2, "m3": 3, "litres": 4}

# Cell texts that mean "no value given" (compared after trimming and lower-casing).
_MISSING = frozenset(
    {"", "-", "--", "—", "–", "?", "n/a", "na", "n.a.", "nan", "none", "null", "nil", "nd"}
)
# Cell texts that say "seized" without a number (compared as folded by `_fold`).
_YES_FLAGS = frozenset(
    {"y", "yes", "x", "si", "oui", "sim", "ja", "true", "是", "有", "✓", "✔", "☑", "✅"}
)

_UNIT_NAMES: dict[tuple[str, float], tuple[str, ...]] = {
    ("kg", 1.0): (
        *("kg", "kgs", "kgr", "kilo", "kilos", "kilogram", "kilograms", "kilogramme"),
        *("kilogrammes", "kilogramo", "kilogramos", "kilograma", "kilogramas", "quilo"),
        *("quilos", "quilograma", "quilogramas", "公斤", "千克"),
    ),
    ("kg", 0.001): (
        *("g", "gr", "grs", "gm", "gms", "gram", "grams", "gramme", "grammes", "gramo"),
        *("gramos", "grama", "gramas", "克"),
    ),
    ("kg", 1000.0): (
        *("t", "ton", "tons", "tonne", "tonnes", "tonelada", "toneladas", "mt", "tm"),
        *("metric ton", "metric tons", "metric tonne", "metric tonnes", "吨", "公吨"),
    ),
    ("kg", 0.45359237): ("lb", "lbs", "pound", "pounds", "libra", "libras", "磅"),
    ("pieces", 1.0): (
        *("pcs", "pc", "pce", "pces", "piece", "pieces", "pieza", "piezas", "peca", "pecas"),
        *("unidad", "unidades", "unidade", "unite", "unites", "unit", "units", "u", "un"),
        *("uds", "nos", "no", "nr", "item", "items", "number", "count", "numero", "nombre"),
        *("件", "个", "個", "块", "塊", "片", "根", "支", "颗", "顆", "副", "张", "張", "枚"),
    ),
    ("individuals", 1.0): (
        *("individuals", "individual", "ind", "inds", "indiv", "specimen", "specimens"),
        *("head", "heads", "animal", "animals", "live", "ejemplar", "ejemplares"),
        *("individuo", "individuos", "cabeza", "cabezas", "animales", "individu"),
        *("individus", "tete", "tetes", "especime", "especimes", "cabeca", "cabecas"),
        *("只", "隻", "头", "頭", "条", "條", "尾", "羽", "匹"),
    ),
    ("m3", 1.0): (
        *("m3", "cbm", "cu m", "cubic metre", "cubic metres", "cubic meter", "cubic meters"),
        *("metro cubico", "metros cubicos", "metre cube", "metres cubes", "立方米", "方"),
        "立方",
    ),
    ("litres", 1.0): (
        *("l", "lt", "lts", "ltr", "ltrs", "litre", "litres", "liter", "liters", "litro"),
        *("litros", "升", "公升"),
    ),
    ("litres", 0.001): (
        *("ml", "millilitre", "millilitres", "milliliter", "milliliters", "mililitro"),
        *("mililitros", "毫升"),
    ),
}
# Counting words that also say what was counted ("1.200 huevos", "3 tusks"): pieces, and the
# commodity they name.
_FORM_UNIT_NAMES: dict[str, tuple[str, ...]] = {
    "EGG": ("eggs", "egg", "huevos", "huevo", "œufs", "œuf", "oeufs", "oeuf", "ovos", "ovo"),
    "TUS": ("tusks", "tusk", "colmillos", "colmillo", "defenses", "defense", "presas", "presa"),
    "SKI": ("skins", "skin", "hides", "pelts", "pieles", "piel", "peaux", "peau", "peles", "pele"),
    "HOR": ("horns", "horn", "cuernos", "cuerno", "cornes", "corne", "chifres", "chifre"),
}
_FORMS_BY_NAME = {name: form for form, names in _FORM_UNIT_NAMES.items() for name in names}
_UNITS_BY_NAME = {name: unit for unit, names in _UNIT_NAMES.items() for name in names}
_UNITS_BY_NAME |= dict.fromkeys(_FORMS_BY_NAME, ("pieces", 1.0))
_UNIT_CODES = {unit: code for code, unit in enumerate(UNITS)}
# Index -1 (no unit) picks the trailing None.
_UNIT_LABELS = np.array([*UNITS, None], dtype=object)

_APPROXIMATE_PREFIX = re.compile(
    r"^(?:~|≈|±|>|≥|approx(?:imately|\.)?|about|around|over|more than|ca\.?|c\.|circa"
    r"|aprox(?:imadamente|\.)?|environ|env\.|cerca de|mas de|plus de|mais de"
    r"|大约|约|近|超过)\s*(?=[\d+\-−])"
)
_APPROXIMATE_AFTER = re.compile(r"^(?:\+|多|余)\s*")
_APPROXIMATE_END = re.compile(r"\s*(?:以上|左右)$")
# A space groups thousands only when exactly three digits follow it.
_NUMBER_SPAN = re.compile(r"^(?P<sign>[-+−])?\s*(?P<number>\d(?:[\d.,'’]|\s(?=\d{3}(?!\d)))*)")
_RANGE = re.compile(r"^(?:-|–|—|~|〜|to|a|au|ate|hasta|至|到)\s*\d")
_SPACE_GROUPS = re.compile(r"\d{1,3}(?:[ '’]\d{3})+(?:[.,]\d+)?")
_COMMA_THOUSANDS = re.compile(r"[1-9]\d{0,2},\d{3}")

# Vectorised fast paths (RE2 syntax).  They accept only text that the per-value parser reads
# the same way, so a value's result never depends on the other rows.
_FAST_DECIMAL = r"^\d+(?:[.,]\d+)?$"
_FAST_COMMA_THOUSANDS = r"^[1-9]\d{0,2},\d{3}$"

# A number in a cell that can only be read with a decimal comma ("3,5", "0,500", "1.234,5")
# or only with a decimal point ("3.5", "0.500", "1,234.5"), in RE2 syntax.  A column with
# the first and none of the second writes "1.200" for 1200 (see `infer_decimal_comma`).
_BEFORE, _AFTER = r"(?:^|[^\d.,])", r"(?:[^\d.,]|$)"
_SHOWS_DECIMAL_COMMA = (
    _BEFORE + r"(?:\d+,(?:\d{1,2}|\d{4,})|0,\d+|\d{4,},\d+|\d{1,3}(?:\.\d{3})+,\d+)" + _AFTER
)
_SHOWS_DECIMAL_POINT = (
    _BEFORE + r"(?:\d+\.(?:\d{1,2}|\d{4,})|0\.\d+|\d{4,}\.\d+|\d{1,3}(?:,\d{3})+\.\d+)" + _AFTER
)
# "1.200": one point after one to three digits (not starting with 0), then three digits.
_DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")
_FAST_DOT_THOUSANDS = _BEFORE + r"[1-9]\d{0,2}\.\d{3}" + _AFTER
# Invisible characters that spreadsheets and web pages leave in cells (zero-width spaces and
# joiners, byte-order marks, soft hyphens): Unicode category Cf.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def normalise_unit(text: str) -> tuple[str, float] | None:
    """Map a unit as written to one of the record's units and a conversion factor.

    Knows English, Spanish, French, Portuguese and Chinese names and abbreviations, in any
    case and with or without accents or a final full stop.  Masses become kg (grams ×0.001,
    tonnes ×1000, pounds ×0.45359237) and millilitres become litres (×0.001).  Counting
    words for pairs and sets (副) count as pieces, one per pair, and so do the words for
    eggs, tusks, skins and horns (``"huevos"``, ``"tusks"``).

    Parameters
    ----------
    text : str
        The unit, such as ``"kgs"``, ``"t"``, ``"piezas"`` or ``"只"``.

    Returns
    -------
    tuple of (str, float) or None
        The unit (one of ``geo.schema.UNITS``) and the factor that converts a
        quantity into it, e.g. ``("kg", 1000.0)`` for ``"t"``; None if the unit is unknown.
    """
    return _UNITS_BY_NAME.get(_unit_key(text))


def parse_quantities(
    values: pd.Series, units: pd.Series | None = None, decimal_comma: bool | None = None
) -> pd.DataFrame:
    """Read seized quantities, with their units from the cell or from a unit column.

    Numbers may use ``.`` or ``,`` as the decimal separator and ``,``, ``.``, spaces or
    ``'`` between thousands (``"1,234.5"``, ``"1.234,5"``, ``"1 234,5"``, ``"1'234"``).
    With both ``.`` and ``,``, the last one is the decimal separator.  A single ``,``
    followed by exactly three digits, after one to three digits not starting with 0, and no
    other separator, groups thousands (``"1,234"`` is 1234, ``"0,500"`` is 0.5); any other
    single ``,`` is a decimal comma (``"12,5"``).  Approximate values keep their number
    (``"~15"``, ``"approx. 20"``, ``"15+"``, ``"约100只"``); ranges such as ``"10-12"`` are
    problems.  Text numbers ("twelve") are not read.  Invisible characters (zero-width
    spaces, byte-order marks) and no-break spaces are ignored, and ``"N/A"``, ``"-"``,
    ``"—"``, ``"?"`` are empty cells.

    A single ``.`` followed by exactly three digits (``"1.200"``) is a decimal point (1.2),
    unless the column writes decimal commas: when `decimal_comma` is true, or when it is None
    and some cell of `values` can only be read with a decimal comma (``"3,5"``) while none
    can only be read with a decimal point (``"3.5"``), ``"1.200"`` is 1200.

    A cell that only says the item was seized (``"Y"``, ``"Yes"``, ``"X"``, ``"sí"``,
    ``"✓"``) has no quantity and is not a problem; ``flag`` marks it.

    A unit may follow the number in the cell (``"3,5 t"``, ``"500g"``, ``"10只"``) or come
    from `units`; both are read by `normalise_unit`, and the quantity is converted into the
    record's unit (``"3,5 t"`` is 3500 kg).  When both give a unit, the cell's own unit
    converts the number, and units of different kinds are a problem.

    Parameters
    ----------
    values : pandas.Series
        Quantity cells, as text or None (numeric columns are accepted too).
    units : pandas.Series, optional
        Unit cells, indexed like `values`.
    decimal_comma : bool, optional
        Whether the file writes decimal commas (see above); None infers it from `values`
        as :func:`infer_decimal_comma` does.

    Returns
    -------
    pandas.DataFrame
        Indexed like `values`, with columns ``quantity`` (float64, NaN when missing),
        ``unit`` (one of ``geo.schema.UNITS`` or None) and ``problem`` (one sentence
        naming the value, or None).  A unit without a number gives NaN with that unit; a
        number with no unit anywhere gives the number with unit None; neither is a problem.
        Negative numbers, numbers that cannot be read and unknown units are problems, and a
        row with a problem has quantity NaN and unit None.  Zero is allowed.  Column
        ``flag`` (bool) is true for a yes-flag cell, and ``form`` is the commodity a
        counting word names (``"3 tusks"``, a unit column saying ``"huevos"``) or None.
    """
    count = len(values)
    if units is not None and len(units) != count:
        raise ValueError(
            f"values and units should have the same length, got {count} and {len(units)}"
        )
    cells = _parse_value_column(values, decimal_comma)
    column_codes, column_factors, problems, column_forms, column_text = _parse_unit_column(
        units, count
    )
    problems = np.where(pd.isna(cells.problems), problems, cells.problems)

    both = (cells.codes >= 0) & (column_codes >= 0) & (cells.codes != column_codes)
    disagree = np.flatnonzero(both & pd.isna(problems))
    if len(disagree):
        cell_texts = cells.texts(disagree)
        unit_texts = column_text.take(disagree).to_pylist()
        for row, cell_text, unit_text in zip(disagree, cell_texts, unit_texts, strict=True):
            problems[row] = (
                f"quantity '{cell_text}' is in {UNITS[cells.codes[row]]} "
                f"but the unit column says '{unit_text}'"
            )

    from_cell = cells.codes >= 0
    codes = np.where(from_cell, cells.codes, column_codes)
    forms = np.where(from_cell, cells.forms, column_forms)
    quantities = cells.numbers * np.where(from_cell, cells.factors, column_factors)
    failed = pd.notna(problems)
    quantities[failed] = np.nan
    codes[failed] = -1
    forms[failed] = None
    return pd.DataFrame(
        {
            "quantity": quantities,
            "unit": pd.Series(_UNIT_LABELS[codes], dtype=object),
            "problem": pd.Series(problems, dtype=object),
            "flag": cells.flags,
            "form": pd.Series(forms, dtype=object),
        }
    ).set_axis(values.index)


def infer_decimal_comma(columns: Iterable[pd.Series]) -> bool:
    """Tell whether quantity cells write decimal commas, so that ``"1.200"`` is 1200.

    Parameters
    ----------
    columns : iterable of pandas.Series
        Quantity cells of one file (several columns may be given: a file writes its numbers
        one way).

    Returns
    -------
    bool
        True when some cell can only be read with a decimal comma (``"3,5"``, ``"0,500"``,
        ``"1.234,5"``) and none only with a decimal point (``"3.5"``, ``"1,234.5"``).
    """
    comma = point = False
    for values in columns:
        if pd.api.types.is_numeric_dtype(values.dtype):
            # Numbers stored as numbers have a decimal point wherever they have a fraction.
            point = point or bool((values.dropna() % 1 != 0).any())
            continue
        shows_comma, shows_point = _decimal_marks(_arrow.arrow_cells(values))
        comma, point = comma or shows_comma, point or shows_point
    return comma and not point


def _decimal_marks(text: pa.Array) -> tuple[bool, bool]:
    """Whether some cell can only be read with a decimal comma, and with a decimal point."""
    point = bool(_arrow.matches(text, _SHOWS_DECIMAL_POINT).any())
    if not pc.any(pc.match_substring(text, ",")).as_py():
        return False, point
    return bool(_arrow.matches(text, _SHOWS_DECIMAL_COMMA).any()), point


def primary_quantity(
    columns: Sequence[tuple[pd.DataFrame, str | None]], stated: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Choose each row's quantity among several quantity columns, by the module's rule.

    Parameters
    ----------
    columns : sequence of (DataFrame, str or None)
        Each helper column as :func:`parse_quantities` read it (with its implied unit), and
        the commodity of the form it counts (None for a total), in the order of
        :data:`QUANTITY_COLUMNS`.  All indexed alike.
    stated : DataFrame, optional
        The file's own quantity column as read, which wins wherever it has a number.

    Returns
    -------
    pandas.DataFrame
        Indexed like the columns, with ``quantity`` (float, NaN when none), ``unit``,
        ``column`` (the position in `columns` of the column chosen; -1 when the stated
        quantity or nothing was), ``form`` (the commodity of the chosen column, or None) and
        ``only_form`` (the commodity of the row's columns that hold a number or a yes-flag,
        when they all name the same one; else None).
    """
    if not columns and stated is None:
        raise ValueError("primary_quantity needs at least one column")
    index = columns[0][0].index if columns else stated.index
    count = len(index)
    # Rank = unit preference, then column order; a column without a number never wins.
    never = np.iinfo(np.int64).max
    ranks = np.full((max(len(columns), 1), count), never, dtype=np.int64)
    for position, (parsed, _) in enumerate(columns):
        preference = parsed["unit"].map(_UNIT_PREFERENCE).fillna(len(_UNIT_PREFERENCE))
        rank = preference.to_numpy(dtype=np.int64) * len(columns) + position
        ranks[position] = np.where(parsed["quantity"].notna().to_numpy(), rank, never)
    chosen = ranks.argmin(axis=0)
    chosen[ranks.min(axis=0) == never] = -1

    if stated is None:
        quantity = np.full(count, np.nan)
        unit = np.full(count, None, dtype=object)
    else:
        # A stated unit without a number stays where no column has a number either.
        quantity = stated["quantity"].to_numpy(dtype=float).copy()
        unit = stated["unit"].to_numpy(dtype=object).copy()
        chosen[~np.isnan(quantity)] = -1
    for position, (parsed, _) in enumerate(columns):
        rows = chosen == position
        quantity[rows] = parsed["quantity"].to_numpy(dtype=float)[rows]
        unit[rows] = parsed["unit"].to_numpy(dtype=object)[rows]

    form = np.full(count, None, dtype=object)
    only_form = np.full(count, None, dtype=object)
    several = np.zeros(count, dtype=bool)
    for position, (parsed, commodity) in enumerate(columns):
        if commodity is None:
            continue
        form[chosen == position] = commodity
        filled = (parsed["quantity"].notna() | parsed["flag"]).to_numpy(dtype=bool)
        unset = pd.isna(only_form)
        several |= filled & ~unset & (only_form != commodity)
        only_form[filled & unset] = commodity
    only_form[several] = None
    return pd.DataFrame(
        {
            "quantity": quantity,
            "unit": pd.Series(unit, index=index, dtype=object),
            "column": chosen,
            "form": pd.Series(form, index=index, dtype=object),
            "only_form": pd.Series(only_form, index=index, dtype=object),
        },
        index=index,
    )


@dataclass
class _Cells:
    """Quantity cells read: numbers, unit code and factor, problems, yes-flags, forms, text."""

    numbers: np.ndarray
    codes: np.ndarray
    factors: np.ndarray
    problems: np.ndarray
    flags: np.ndarray
    forms: np.ndarray
    text: pa.Array | None

    def texts(self, rows: np.ndarray) -> list[str]:
        if self.text is None:
            return [_arrow.format_number(number) for number in self.numbers[rows]]
        return self.text.take(rows).to_pylist()


def _parse_value_column(values: pd.Series, decimal_comma: bool | None) -> _Cells:
    count = len(values)
    codes = np.full(count, -1, dtype=np.int8)
    factors = np.ones(count)
    problems = np.full(count, None, dtype=object)
    flags = np.zeros(count, dtype=bool)
    forms = np.full(count, None, dtype=object)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan).copy()
        for row in np.flatnonzero(numbers < 0):
            problems[row] = f"quantity '{_arrow.format_number(numbers[row])}' is negative"
        return _Cells(numbers, codes, factors, problems, flags, forms, None)

    cells = _arrow.arrow_cells(values)
    numbers = _arrow.cast_all_float(cells)
    if numbers is not None:
        # Arrow accepts no spaces, so these cells need no trimming; negative and non-finite
        # numbers go to the per-value parser for their message.
        text = cells
        fast = np.isfinite(numbers) & (numbers >= 0)
    else:
        text = pc.utf8_trim_whitespace(cells)
        fast = _arrow.matches(text, _FAST_DECIMAL)
        converted = pc.replace_substring(text, ",", ".")
        if pc.any(pc.match_substring(text, ",")).as_py():
            thousands = pc.match_substring_regex(text, _FAST_COMMA_THOUSANDS)
            converted = pc.if_else(thousands, pc.replace_substring(text, ",", ""), converted)
        numbers = _arrow.cast_float(
            pc.if_else(pa.array(fast), converted, pa.scalar(None, text.type))
        )
        if decimal_comma is None:
            # Cells that are all plain numbers (the first branch) show no decimal comma.
            shows_comma, shows_point = _decimal_marks(text)
            decimal_comma = shows_comma and not shows_point
    if decimal_comma:
        # "1.200" is 1200 in this column: the per-value parser reads it so.
        fast &= ~_arrow.matches(text, _FAST_DOT_THOUSANDS)

    rest = np.flatnonzero(~fast & ~pc.is_null(text).to_numpy(zero_copy_only=False))
    if len(rest):
        encoded = pc.dictionary_encode(text.take(rest))
        distinct = encoded.dictionary.to_pylist()
        unique_numbers = np.full(len(distinct), np.nan)
        unique_codes = np.full(len(distinct), -1, dtype=np.int8)
        unique_factors = np.ones(len(distinct))
        unique_problems = np.full(len(distinct), None, dtype=object)
        unique_flags = np.zeros(len(distinct), dtype=bool)
        unique_forms = np.full(len(distinct), None, dtype=object)
        for position, cell in enumerate(distinct):
            if _fold(cell) in _YES_FLAGS:
                unique_flags[position] = True
                continue
            try:
                parsed = _parse_quantity_text(cell, dot_thousands=bool(decimal_comma))
            except ValueError as error:
                unique_problems[position] = str(error)
                continue
            if parsed is None:
                continue
            unique_numbers[position], unit, unique_forms[position] = parsed
            if unit is not None:
                unique_codes[position] = _UNIT_CODES[unit[0]]
                unique_factors[position] = unit[1]
        row_codes = encoded.indices.to_numpy(zero_copy_only=False)
        numbers[rest] = unique_numbers[row_codes]
        codes[rest] = unique_codes[row_codes]
        factors[rest] = unique_factors[row_codes]
        problems[rest] = unique_problems[row_codes]
        flags[rest] = unique_flags[row_codes]
        forms[rest] = unique_forms[row_codes]
    return _Cells(numbers, codes, factors, problems, flags, forms, text)


def _parse_unit_column(
    units: pd.Series | None, count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, pa.Array | None]:
    """Read the unit column: codes (-1 for none), factors, problems, forms and trimmed text."""
    if units is None:
        return (
            np.full(count, -1, dtype=np.int8),
            np.ones(count),
            np.full(count, None, dtype=object),
            np.full(count, None, dtype=object),
            None,
        )
    text = _arrow.arrow_text(units)
    encoded = pc.dictionary_encode(text)
    distinct = encoded.dictionary.to_pylist()
    # One extra slot, at the end, for empty cells.
    unique_codes = np.full(len(distinct) + 1, -1, dtype=np.int8)
    unique_factors = np.ones(len(distinct) + 1)
    unique_problems = np.full(len(distinct) + 1, None, dtype=object)
    unique_forms = np.full(len(distinct) + 1, None, dtype=object)
    for position, cell in enumerate(distinct):
        if _fold(cell) in _MISSING:
            continue
        unit = normalise_unit(cell)
        if unit is None:
            unique_problems[position] = _unknown_unit(cell)
        else:
            unique_codes[position] = _UNIT_CODES[unit[0]]
            unique_factors[position] = unit[1]
            unique_forms[position] = _FORMS_BY_NAME.get(_unit_key(cell))
    rows = pc.fill_null(encoded.indices, len(distinct)).to_numpy(zero_copy_only=False)
    return (
        unique_codes[rows],
        unique_factors[rows],
        unique_problems[rows],
        unique_forms[rows],
        text,
    )


def _parse_quantity_text(
    text: str, dot_thousands: bool = False
) -> tuple[float, tuple[str, float] | None, str | None] | None:
    """Read one trimmed cell: (number, unit and factor, form), None if empty, or ValueError.

    The form is the commodity a counting word names ("3 tusks": TUS).  With `dot_thousands`,
    "1.200" is 1200 (the file writes decimal commas).
    """
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text).strip()
    if _arrow.PLAIN_NUMBER.match(text) and not (dot_thousands and _DOT_THOUSANDS.fullmatch(text)):
        number = float(text)
        if number < 0:
            raise ValueError(f"quantity '{text}' is negative")
        if not np.isfinite(number):
            raise ValueError(f"quantity '{text}' is not a number")
        return number, None, None
    folded = _fold(text)
    if folded in _MISSING:
        return None
    body = _APPROXIMATE_PREFIX.sub("", folded, count=1)
    match = _NUMBER_SPAN.match(body)
    if match is None:
        unit = normalise_unit(body)
        if unit is None:
            raise ValueError(f"quantity '{text}' is not a number")
        return np.nan, unit, _FORMS_BY_NAME.get(_unit_key(body))

    span = match["number"].rstrip(".,'’ ")
    rest = body[match.start("number") + len(span) :].strip()
    if _RANGE.match(rest):
        raise ValueError(f"quantity '{text}' is a range, not a single number")
    number = _parse_number(span, dot_thousands)
    if number is None:
        raise ValueError(f"quantity '{text}' is not a number")
    if match["sign"] in ("-", "−") and number > 0:
        raise ValueError(f"quantity '{text}' is negative")

    rest = rest.lstrip(".,").strip()
    rest = _APPROXIMATE_END.sub("", _APPROXIMATE_AFTER.sub("", rest)).strip()
    if not rest:
        return number, None, None
    unit = normalise_unit(rest)
    if unit is None:
        raise ValueError(_unknown_unit(rest))
    return number, unit, _FORMS_BY_NAME.get(_unit_key(rest))


def _parse_number(span: str, dot_thousands: bool = False) -> float | None:
    """Read a number with thousands and decimal separators; None if malformed."""
    if _SPACE_GROUPS.fullmatch(span):
        return float(re.sub(r"[ '’]", "", span).replace(",", "."))
    if re.search(r"[ '’]", span):
        return None
    commas, dots = span.count(","), span.count(".")
    if commas and dots:
        thousands, decimal = (".", ",") if span.rfind(",") > span.rfind(".") else (",", ".")
        grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+{re.escape(decimal)}\d+"
        if not re.fullmatch(grouped, span):
            return None
        return float(span.replace(thousands, "").replace(decimal, "."))
    for separator, count in ((",", commas), (".", dots)):
        if count > 1:
            grouped = rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+"
            return float(span.replace(separator, "")) if re.fullmatch(grouped, span) else None
    if commas and _COMMA_THOUSANDS.fullmatch(span):
        return float(span.replace(",", ""))
    if dot_thousands and _DOT_THOUSANDS.fullmatch(span):
        return float(span.replace(".", ""))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", span):
        return float(span.replace(",", "."))
    return None


def _unknown_unit(text: str) -> str:
    return f"unit '{text}' is not one of {', '.join(UNITS)}"


def _unit_key(text: str) -> str:
    return " ".join(_fold(text).strip().rstrip(".").split())


def _fold(text: str) -> str:
    """Lower-case, compatibility-normalised text without accents (m³ → m3, ㎏ → kg)."""
    text = _INVISIBLE.sub("", text)
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()
