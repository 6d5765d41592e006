"""Controlled vocabularies (transport mode, location type, sensitivity, ...) in five languages.

The aliases live in ``data/reference/vocabulary.csv`` as ``field, alias, value`` rows.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from geo.ingest.headers import header_key
from geo.paths import REFERENCE_DIR

__all__ = ["controlled_value", "load_vocabulary"]


@lru_cache(maxsize=1)
def load_vocabulary() -> dict[str, dict[str, str]]:
    """Return ``{field: {alias key: value}}`` from ``vocabulary.csv``."""
    table: dict[str, dict[str, str]] = {}
    with open(REFERENCE_DIR / "vocabulary.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["field"], {})[header_key(row["alias"])] = row["value"]
    return table


@lru_cache(maxsize=4096)
def controlled_value(field: str, text: str) -> str | None:
    """Return the controlled value for ``text`` in ``field``'s vocabulary, or ``None``.

    Parameters
    ----------
    field : str
        ``transport_mode``, ``location_type``, ``sensitivity``, ``cites_appendix``,
        ``coord_precision``, ``date_precision`` or ``taxon_group``.
    text : str
        The cell as written, in any of the five languages (case and accents ignored).

    Returns
    -------
    str or None
        The controlled value, e.g. ``"aéreo"`` → ``"air"``; ``None`` when unrecognised.
    """
    aliases = load_vocabulary().get(field)
    if aliases is None:
        raise KeyError(f"no controlled vocabulary for field {field!r}")
    key = header_key(text)
    if key in aliases:
        return aliases[key]
    # Longer phrases ("air - passenger luggage", "vía aérea (equipaje)") name their mode first.
    for part in key.replace("(", " ").replace("/", " ").replace("-", " ").split():
        if part in aliases and len(part) > 2:
            return aliases[part]
    return None
