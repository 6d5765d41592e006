"""Free-text search over records (the Data page's search box)."""

from __future__ import annotations

import pandas as pd

__all__ = ["SEARCHED_COLUMNS", "search_records"]

SEARCHED_COLUMNS = (
    "record_id", "taxon", "location_name", "notes", "seizing_country", "commodity",
    "origin_countries", "destination_country",
)  # fmt: skip


def search_records(records: pd.DataFrame, text: str) -> pd.DataFrame:
    """Return the records where every word of ``text`` appears in one of the searched columns.

    Parameters
    ----------
    records : DataFrame
        Records as the store returns them.
    text : str
        Words to look for (case-insensitive, plain text: no patterns).

    Returns
    -------
    DataFrame
        The matching rows, in the input order.
    """
    words = [word for word in text.casefold().split() if word]
    if not words or records.empty:
        return records
    columns = [c for c in SEARCHED_COLUMNS if c in records.columns]
    haystack = records[columns].fillna("").astype(str).agg(" ".join, axis=1).str.casefold()
    keep = pd.Series(True, index=records.index)
    for word in words:
        keep &= haystack.str.contains(word, regex=False)
    return records[keep]
