"""Seized quantities and their units read from agency text, converted to the record's units."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.ingest import _arrow
from geo.schema import UNITS

__all__ = ["normalise_unit", "parse_quantities"]

# Cell texts that mean "no value given" (compared after trimming and lower-casing).
_MISSING = frozenset(
    {"", "-", "--", "—", "–", "?", "n/a", "na", "n.a.", "nan", "none", "null", "nil", "nd"}
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
_UNITS_BY_NAME = {name: unit for unit, names in _UNIT_NAMES.items() for name in names}
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


def normalise_unit(text: str) -> tuple[str, float] | None:
    """Map a unit as written to one of the record's units and a conversion factor.

    Knows English, Spanish, French, Portuguese and Chinese names and abbreviations, in any
    case and with or without accents or a final full stop.  Masses become kg (grams ×0.001,
    tonnes ×1000, pounds ×0.45359237) and millilitres become litres (×0.001).  Counting
    words for pairs and sets (副) count as pieces, one per pair.

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


def parse_quantities(values: pd.Series, units: pd.Series | None = None) -> pd.DataFrame:
    """Read seized quantities, with their units from the cell or from a unit column.

    Numbers may use ``.`` or ``,`` as the decimal separator and ``,``, ``.``, spaces or
    ``'`` between thousands (``"1,234.5"``, ``"1.234,5"``, ``"1 234,5"``, ``"1'234"``).
    With both ``.`` and ``,``, the last one is the decimal separator.  A single ``,``
    followed by exactly three digits, after one to three digits not starting with 0, and no
    other separator, groups thousands (``"1,234"`` is 1234, ``"0,500"`` is 0.5); any other
    single ``,`` is a decimal comma (``"12,5"``).  Approximate values keep their number
    (``"~15"``, ``"approx. 20"``, ``"15+"``, ``"约100只"``); ranges such as ``"10-12"`` are
    problems.  Text numbers ("twelve") are not read.

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

    Returns
    -------
    pandas.DataFrame
        Indexed like `values`, with columns ``quantity`` (float64, NaN when missing),
        ``unit`` (one of ``geo.schema.UNITS`` or None) and ``problem`` (one sentence
        naming the value, or None).  A unit without a number gives NaN with that unit; a
        number with no unit anywhere gives the number with unit None; neither is a problem.
        Negative numbers, numbers that cannot be read and unknown units are problems, and a
        row with a problem has quantity NaN and unit None.  Zero is allowed.
    """
    count = len(values)
    if units is not None and len(units) != count:
        raise ValueError(
            f"values and units should have the same length, got {count} and {len(units)}"
        )
    cells = _parse_value_column(values)
    column_codes, column_factors, problems, column_text = _parse_unit_column(units, count)
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
    quantities = cells.numbers * np.where(from_cell, cells.factors, column_factors)
    failed = pd.notna(problems)
    quantities[failed] = np.nan
    codes[failed] = -1
    return pd.DataFrame(
        {
            "quantity": quantities,
            "unit": pd.Series(_UNIT_LABELS[codes], dtype=object),
            "problem": pd.Series(problems, dtype=object),
        }
    ).set_axis(values.index)


@dataclass
class _Cells:
    """Quantity cells read: numbers, the cell's own unit code and factor, problems, text."""

    numbers: np.ndarray
    codes: np.ndarray
    factors: np.ndarray
    problems: np.ndarray
    text: pa.Array | None

    def texts(self, rows: np.ndarray) -> list[str]:
        if self.text is None:
            return [_arrow.format_number(number) for number in self.numbers[rows]]
        return self.text.take(rows).to_pylist()


def _parse_value_column(values: pd.Series) -> _Cells:
    count = len(values)
    codes = np.full(count, -1, dtype=np.int8)
    factors = np.ones(count)
    problems = np.full(count, None, dtype=object)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan).copy()
        for row in np.flatnonzero(numbers < 0):
            problems[row] = f"quantity '{_arrow.format_number(numbers[row])}' is negative"
        return _Cells(numbers, codes, factors, problems, None)

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

    rest = np.flatnonzero(~fast & ~pc.is_null(text).to_numpy(zero_copy_only=False))
    if len(rest):
        encoded = pc.dictionary_encode(text.take(rest))
        distinct = encoded.dictionary.to_pylist()
        unique_numbers = np.full(len(distinct), np.nan)
        unique_codes = np.full(len(distinct), -1, dtype=np.int8)
        unique_factors = np.ones(len(distinct))
        unique_problems = np.full(len(distinct), None, dtype=object)
        for position, cell in enumerate(distinct):
            try:
                parsed = _parse_quantity_text(cell)
            except ValueError as error:
                unique_problems[position] = str(error)
                continue
            if parsed is None:
                continue
            unique_numbers[position], unit = parsed
            if unit is not None:
                unique_codes[position] = _UNIT_CODES[unit[0]]
                unique_factors[position] = unit[1]
        row_codes = encoded.indices.to_numpy(zero_copy_only=False)
        numbers[rest] = unique_numbers[row_codes]
        codes[rest] = unique_codes[row_codes]
        factors[rest] = unique_factors[row_codes]
        problems[rest] = unique_problems[row_codes]
    return _Cells(numbers, codes, factors, problems, text)


def _parse_unit_column(
    units: pd.Series | None, count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pa.Array | None]:
    """Read the unit column: codes (-1 for none), factors, problems and trimmed text."""
    if units is None:
        return (
            np.full(count, -1, dtype=np.int8),
            np.ones(count),
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
    for position, cell in enumerate(distinct):
        if _fold(cell) in _MISSING:
            continue
        unit = normalise_unit(cell)
        if unit is None:
            unique_problems[position] = _unknown_unit(cell)
        else:
            unique_codes[position] = _UNIT_CODES[unit[0]]
            unique_factors[position] = unit[1]
    rows = pc.fill_null(encoded.indices, len(distinct)).to_numpy(zero_copy_only=False)
    return unique_codes[rows], unique_factors[rows], unique_problems[rows], text


def _parse_quantity_text(text: str) -> tuple[float, tuple[str, float] | None] | None:
    """Read one trimmed cell: (number, unit and factor), None if empty, or ValueError."""
    if _arrow.PLAIN_NUMBER.match(text):
        number = float(text)
        if number < 0:
            raise ValueError(f"quantity '{text}' is negative")
        if not np.isfinite(number):
            raise ValueError(f"quantity '{text}' is not a number")
        return number, None
    folded = _fold(text)
    if folded in _MISSING:
        return None
    body = _APPROXIMATE_PREFIX.sub("", folded, count=1)
    match = _NUMBER_SPAN.match(body)
    if match is None:
        unit = normalise_unit(body)
        if unit is None:
            raise ValueError(f"quantity '{text}' is not a number")
        return np.nan, unit

    span = match["number"].rstrip(".,'’ ")
    rest = body[match.start("number") + len(span) :].strip()
    if _RANGE.match(rest):
        raise ValueError(f"quantity '{text}' is a range, not a single number")
    number = _parse_number(span)
    if number is None:
        raise ValueError(f"quantity '{text}' is not a number")
    if match["sign"] in ("-", "−") and number > 0:
        raise ValueError(f"quantity '{text}' is negative")

    rest = rest.lstrip(".,").strip()
    rest = _APPROXIMATE_END.sub("", _APPROXIMATE_AFTER.sub("", rest)).strip()
    if not rest:
        return number, None
    unit = normalise_unit(rest)
    if unit is None:
        raise ValueError(_unknown_unit(rest))
    return number, unit


def _parse_number(span: str) -> float | None:
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
    if re.fullmatch(r"\d+(?:[.,]\d+)?", span):
        return float(span.replace(",", "."))
    return None


def _unknown_unit(text: str) -> str:
    return f"unit '{text}' is not one of {', '.join(UNITS)}"


def _unit_key(text: str) -> str:
    return " ".join(_fold(text).strip().rstrip(".").split())


def _fold(text: str) -> str:
    """Lower-case, compatibility-normalised text without accents (m³ → m3, ㎏ → kg)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()
