"""The filter state of every view as data: a frozen :class:`Query` that round-trips via URLs."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["COUNTRY_ROLES", "Query", "describe_query"]

COUNTRY_ROLES = ("any", "origin", "export", "transit", "destination", "seizing")

_TUPLE_FIELDS = (
    "taxon_groups",
    "taxa",
    "countries",
    "commodities",
    "transport_modes",
    "location_types",
)


@dataclass(frozen=True)
class Query:
    """Which seizure records a view shows.

    Every field is optional; an empty tuple or ``None`` means "no restriction".

    Attributes
    ----------
    date_from, date_to : datetime.date or None
        Inclusive seizure-date range.
    taxon_groups, taxa : tuple of str
        Taxon groups (``mammals``, ...) and reference taxa (``Manis javanica``).
    countries : tuple of str
        ISO-2 codes; a record matches when any of them plays ``country_role``.
    country_role : str
        ``any`` (seizing or any trade-chain role), ``origin``, ``export``, ``transit``,
        ``destination`` or ``seizing``.
    pair : str or None
        An unordered country pair ``"CN-LA"``: records whose nearest land border is that pair's
        and that lie within ``border_km`` of it.
    border_km : float
        The distance from the pair's border that counts as a border seizure.
    commodities, transport_modes, location_types : tuple of str
        CITES trade terms and controlled values.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    taxon_groups: tuple[str, ...] = ()
    taxa: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    country_role: str = "any"
    pair: str | None = None
    border_km: float = 50.0
    commodities: tuple[str, ...] = ()
    transport_modes: tuple[str, ...] = ()
    location_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.country_role not in COUNTRY_ROLES:
            roles = ", ".join(COUNTRY_ROLES)
            raise ValueError(f"country_role should be one of {roles}, got {self.country_role!r}")
        if self.pair is not None:
            parts = self.pair.split("-")
            if len(parts) != 2 or not all(len(p) == 2 and p.isalpha() for p in parts):
                raise ValueError(f"pair should look like 'CN-LA', got {self.pair!r}")
            object.__setattr__(self, "pair", "-".join(sorted(p.upper() for p in parts)))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        if not math.isfinite(self.border_km) or self.border_km <= 0:
            raise ValueError(f"border_km should be a positive number of km, got {self.border_km}")
        for name in _TUPLE_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"{name} should be a tuple of str, got the string {value!r}")
            object.__setattr__(self, name, tuple(sorted(set(value))))

    def with_changes(self, **changes: Any) -> Query:
        """Return a copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_params(self) -> dict[str, str]:
        """Return URL query parameters: only fields that differ from the default.

        Returns
        -------
        dict of str to str
            Lists joined with ``,``; dates ISO; e.g. ``{"pair": "CN-LA", "taxa": "Manidae"}``.
        """
        default = Query()
        params: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value == getattr(default, item.name):
                continue
            if item.name in _TUPLE_FIELDS:
                params[item.name] = ",".join(value)
            elif isinstance(value, dt.date):
                params[item.name] = value.isoformat()
            else:
                params[item.name] = str(value)
        return params

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Query:
        """Build a query from URL parameters, ignoring unknown or malformed ones.

        Parameters
        ----------
        params : dict
            As produced by :meth:`to_params` (values may also be lists, as some web
            frameworks give them).

        Returns
        -------
        Query
            The query; a malformed value falls back to that field's default, so a
            hand-edited URL never breaks the page.
        """
        known = {item.name for item in fields(cls)}
        values: dict[str, Any] = {}
        for name, raw in params.items():
            if name not in known:
                continue
            text = ",".join(raw) if isinstance(raw, list | tuple) else str(raw)
            try:
                if name in _TUPLE_FIELDS:
                    values[name] = tuple(v.strip() for v in text.split(",") if v.strip())
                elif name in ("date_from", "date_to"):
                    values[name] = dt.date.fromisoformat(text)
                elif name == "border_km":
                    values[name] = float(text)
                else:
                    values[name] = text or None
            except ValueError:
                continue
        for name in list(values):
            try:
                cls(**{name: values[name]})
            except (ValueError, TypeError):
                del values[name]
        try:
            return cls(**values)
        except ValueError:
            values.pop("date_from", None)
            values.pop("date_to", None)
            return cls(**values)


_ROLE_WORDS = {
    "any": "involving",
    "origin": "originating in",
    "export": "exported from",
    "transit": "transiting",
    "destination": "destined for",
    "seizing": "seized by",
}


def describe_query(
    query: Query, names: dict[str, str] | None = None, taxa: str | None = None
) -> str:
    """Return a one-line summary of the filters, for every page and for the slides.

    Parameters
    ----------
    query : Query
        The filters.
    names : dict, optional
        Display names for codes (countries, commodities); codes are shown as they are
        otherwise.
    taxa : str, optional
        The words for the selected taxa (e.g. "Pangolins (6 taxa)"); by default their names.

    Returns
    -------
    str
        E.g. "CN–LA border (≤ 50 km) · 2020-01-01 to 2024-12-31 · Manidae · involving VN".
    """
    names = names or {}

    def show(codes: tuple[str, ...]) -> str:
        return ", ".join(names.get(code, code) for code in codes)

    parts = []
    if query.pair:
        from geo.spatial.borders import bordering_pairs

        a, b = query.pair.split("-")
        if query.pair in bordering_pairs():
            parts.append(f"{names.get(a, a)}–{names.get(b, b)} border (≤ {query.border_km:g} km)")
        else:  # no land border: the seizures both countries play a part in
            parts.append(f"{names.get(a, a)}–{names.get(b, b)} (seizures involving both)")
    if query.date_from or query.date_to:
        start = query.date_from.isoformat() if query.date_from else "start"
        end = query.date_to.isoformat() if query.date_to else "latest"
        parts.append(f"{start} to {end}")
    if query.taxon_groups:
        parts.append(show(query.taxon_groups))
    if query.taxa:
        parts.append(taxa or ", ".join(query.taxa))
    if query.countries:
        parts.append(f"{_ROLE_WORDS[query.country_role]} {show(query.countries)}")
    for label, values in (
        ("", query.commodities),
        ("by ", query.transport_modes),
        ("at ", query.location_types),
    ):
        if values:
            parts.append(label + show(values).replace("_", " "))
    return " · ".join(parts) if parts else "All seizures"
