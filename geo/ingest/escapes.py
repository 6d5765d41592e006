"""Undo the apostrophe an export puts before a formula character.

Exports (this project's among them) write ``'-3.2`` or ``'=1+1`` so that a spreadsheet does
not run a cell as a formula.  A quarantined row exported, corrected in a spreadsheet and
imported again must read as it was first written: ``'-3.2`` is the longitude -3.2, ``'=1+1``
the note ``=1+1``.  The readers drop these apostrophes from every cell they yield, at the
start of a cell or of a line inside it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["drop_export_escapes", "drop_export_escapes_arrow"]

_ESCAPE = re.compile("\n'(?=[=+\\-@\t\r])")
_ESCAPE_RE2 = "(^|\n)'([=+\\-@\t\r])"


def drop_export_escapes_arrow(values: pa.Array) -> pa.Array:
    """Return Arrow strings with the export apostrophes dropped (vectorised)."""
    if len(values) == 0 or not pc.any(pc.match_substring(values, "'")).as_py():
        return values
    return pc.replace_substring_regex(values, _ESCAPE_RE2, "\\1\\2")


def drop_export_escapes(raw: pd.DataFrame) -> pd.DataFrame:
    """Return a frame of text cells with the export apostrophes dropped, in every column."""
    fixed = {}
    for column in raw.columns:
        # Each distinct value once: files repeat their values, and most columns hold no
        # escape at all, so they are left as they are.
        cells = raw[column].to_numpy(dtype=object)
        distinct = [cell for cell in pd.unique(cells) if isinstance(cell, str) and "'" in cell]
        changed = {
            cell: _ESCAPE.sub("\n", "\n" + cell)[1:]
            for cell in distinct
            if _ESCAPE.search("\n" + cell)
        }
        if changed:
            fixed[column] = pd.Series(
                np.array([changed.get(c, c) if isinstance(c, str) else c for c in cells], object),
                index=raw.index,
                dtype=object,
            )
    return raw.assign(**fixed) if fixed else raw
