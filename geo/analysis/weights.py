"""How many records each row of a frame stands for: grouped frames carry ``weight``."""

from __future__ import annotations

import pandas as pd

__all__ = ["WEIGHT", "weights"]

# The column of :func:`geo.store.aggregates.grouped` frames: the records a row stands for.
WEIGHT = "weight"


def weights(frame: pd.DataFrame) -> pd.Series:
    """Return each row's weight: its ``weight`` column, or 1 for a frame of plain records.

    Parameters
    ----------
    frame : pandas.DataFrame
        Records (one row each) or a grouped frame from the store's aggregates.

    Returns
    -------
    pandas.Series
        int64, aligned with ``frame``.
    """
    if WEIGHT in frame:
        return frame[WEIGHT].fillna(0).astype("int64")
    return pd.Series(1, index=frame.index, dtype="int64")
