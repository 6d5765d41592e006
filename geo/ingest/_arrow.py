"""Arrow helpers shared by the vectorised parsers (dates, coordinates, quantities)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "PLAIN_NUMBER",
    "arrow_cells",
    "arrow_text",
    "cast_all_float",
    "cast_float",
    "format_number",
    "matches",
]


# Numbers in the forms Arrow's fast float cast accepts (".5", "5.", "1E+05"): the per-value
# parsers read these the same way, so the fast path and the slow path agree.
PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def format_number(value: float) -> str:
    if not np.isfinite(value):
        return str(value)
    return f"{value:.6f}".rstrip("0").rstrip(".")


def cast_all_float(cells: pa.Array) -> np.ndarray | None:
    """Every cell read as a float by Arrow, or None if any cell is not a plain number."""
    # A failed cast costs time for every failing cell, so a spread-out sample goes first.
    sample = np.linspace(0, len(cells) - 1, num=min(len(cells), 1000), dtype=np.int64)
    try:
        cast_float(cells.take(sample))
        return cast_float(cells)
    except pa.ArrowInvalid:
        return None


def cast_float(texts: pa.Array) -> np.ndarray:
    numbers = pc.cast(texts, pa.float64())
    return pc.fill_null(numbers, np.nan).to_numpy(zero_copy_only=False).copy()


def arrow_cells(values: pd.Series) -> pa.Array:
    """Cells as an Arrow string array, with null for missing cells."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        array = pa.array(values)
    else:
        cells = values.to_numpy(dtype=object)
        try:
            array = pa.array(cells, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            array = pa.array([None if pd.isna(cell) else str(cell) for cell in cells])
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array


def arrow_text(values: pd.Series) -> pa.Array:
    """Cells as a trimmed Arrow string array, with null for missing cells."""
    return pc.utf8_trim_whitespace(arrow_cells(values))


def matches(texts: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(texts, pattern)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)
