"""Trade routes: legs of origin → export → transit → destination chains, and arcs for a map."""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.analysis.weights import weights

__all__ = [
    "CHAIN_COLUMNS",
    "ROUTE_ROLES",
    "route_arcs",
    "route_flows",
    "route_stage",
    "routes_and_arcs",
    "transit_role",
]

# A route's stages, in the order goods move; the n-th transit stop after the first has the
# role transit_role(n).  Every leg goes to a later stage, so legs keyed by (country, role)
# never form a cycle, which a Sankey diagram needs.
ROUTE_ROLES = ("origin", "export", "transit", "destination")
CHAIN_COLUMNS = (
    "origin_countries",
    "export_country",
    "transit_countries",
    "destination_country",
    "seizing_country",
)
_DESTINATION_STAGE = 1_000
_FLOW_COLUMNS = ["source", "target", "source_role", "target_role", "seizures"]
_ARC_COLUMNS = [
    "source",
    "target",
    "seizures",
    "source_lat",
    "source_lon",
    "target_lat",
    "target_lon",
]


def transit_role(hop: int) -> str:
    """Return the role of the ``hop``-th transit stop of a route (1 gives ``"transit"``).

    Parameters
    ----------
    hop : int
        1 for the first transit country, 2 for the next, and so on.

    Returns
    -------
    str
        ``"transit"``, ``"transit_2"``, ``"transit_3"``, ...
    """
    if not isinstance(hop, int) or hop < 1:
        raise ValueError(f"hop should be a positive int, got {hop!r}")
    return "transit" if hop == 1 else f"transit_{hop}"


def route_stage(role: str) -> int:
    """Return where a role stands along a route: origin 0, export 1, transits 2, 3, ...

    Parameters
    ----------
    role : str
        A role of :func:`route_flows`: ``origin``, ``export``, ``transit``,
        ``transit_<n>`` or ``destination``.

    Returns
    -------
    int
        Larger for later stages; the destination comes after any transit.
    """
    if role.startswith("transit_") and role[len("transit_") :].isdigit():
        return 1 + int(role[len("transit_") :])
    stages = {"origin": 0, "export": 1, "transit": 2, "destination": _DESTINATION_STAGE}
    if role not in stages:
        raise ValueError(f"role should be one of {ROUTE_ROLES} or transit_<n>, got {role!r}")
    return stages[role]


def route_flows(
    records: pd.DataFrame, via_transit: bool = True, top: int | None = 40
) -> pd.DataFrame:
    """Count seizures on each leg of the routes the records describe.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records with ``origin_countries``, ``export_country``,
        ``transit_countries`` (";"-joined ISO-2 codes, in route order),
        ``destination_country`` and ``seizing_country``.
    via_transit : bool, default True
        Route through the export and transit countries; ``False`` gives origin →
        destination legs only.
    top : int or None, default 40
        Keep at most this many legs (``None``: all).  They are the legs of the busiest
        whole routes, taken in turn while they fit, so that every leg shown is reached
        from an origin and leads on to a destination; each keeps its full count.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target`` (ISO-2), ``source_role``, ``target_role`` (``origin``,
        ``export``, ``transit``, ``transit_2``, ..., ``destination``) and ``seizures``,
        the busiest first.

    Notes
    -----
    A route is built per record as follows.

    - It starts at each origin country; a record naming several origins counts once per
      origin, so the legs after them carry it once per origin too (this keeps what enters
      a country equal to what leaves it, but totals can exceed the number of records).
      Without an origin it starts at the export country.
    - With ``via_transit``, the export country (when it differs from the origin) and the
      transit countries follow in order, then the seizing country when the record names it
      in no other role and it differs from the destination: the goods were intercepted
      there, so they passed through it.
    - It ends at the destination country, or, when that is missing, at the seizing
      country, the last place the goods are known to have reached (unless that is where
      the route starts: such a record gives no leg).
    - A stop in the same country as the one before, or as the destination, is dropped.
      A route from a country to itself (a domestic seizure) stays as one leg.
    - Records with no start or no end give no legs.
    """
    if top is not None and (not isinstance(top, int) or top < 1):
        raise ValueError(f"top should be None or a positive int, got {top!r}")
    return _legs_frame(_weighted_routes(records, via_transit), top)


def routes_and_arcs(
    records: pd.DataFrame, top_legs: int | None = 40, top_arcs: int | None = 60
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return :func:`route_flows` and :func:`route_arcs` of the same records, built once.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records or the store's grouped chains (with ``weight``).
    top_legs, top_arcs : int or None
        As ``top`` of :func:`route_flows` and :func:`route_arcs`.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(legs, arcs)``, equal to ``route_flows(records, top=top_legs)`` and
        ``route_arcs(records, top=top_arcs)``.
    """
    _check_top(top_legs)
    _check_top(top_arcs)
    routes = _weighted_routes(records, via_transit=True)
    every_leg = _legs_frame(routes, None)
    if top_legs is None:
        return every_leg, _arcs_of(every_leg, top_arcs)
    kept = _busiest_routes_legs(routes, top_legs)
    keys = zip(*(every_leg[c] for c in _FLOW_COLUMNS[:4]), strict=True)
    legs = every_leg[[key in kept for key in keys]].reset_index(drop=True)
    return legs, _arcs_of(every_leg, top_arcs)


def _check_top(top: int | None) -> None:
    if top is not None and (not isinstance(top, int) or top < 1):
        raise ValueError(f"top should be None or a positive int, got {top!r}")


def _weighted_routes(
    records: pd.DataFrame, via_transit: bool
) -> dict[tuple[tuple[str, str], ...], int]:
    """Return every (country, role) route the records describe, with its seizures."""
    if records.empty:
        return {}
    _forget_routes_when_full()  # before numbering: numbers stay valid through this call
    columns = [
        [value if type(value) is str else None for value in records[column].tolist()]
        if column in records
        else [None] * len(records)
        for column in CHAIN_COLUMNS
    ]  # text, or None for anything missing (None, NaN, NA)
    # Few distinct chains stand for many records: add their weights up, then look each
    # chain's routes up once (numbered, so that adding routes up is numpy's work).
    counts = weights(records).tolist()
    chain_weights = dict(zip(zip(*columns, strict=True), counts, strict=True))
    if len(chain_weights) < len(counts):  # some chains recur (records, not the store's groups)
        chain_weights = {}
        for chain, weight in zip(zip(*columns, strict=True), counts, strict=True):
            chain_weights[chain] = chain_weights.get(chain, 0) + weight
    known = _CHAIN_ROUTES[via_transit]
    route_ids = [known.get(chain) for chain in chain_weights]
    route_ids = [
        _chain_route_ids(chain, via_transit) if ids is None else ids
        for chain, ids in zip(chain_weights, route_ids, strict=True)
    ]
    flat = np.fromiter(itertools.chain.from_iterable(route_ids), dtype=np.int64)
    repeated = np.repeat(
        np.fromiter(chain_weights.values(), dtype=np.int64, count=len(chain_weights)),
        [len(ids) for ids in route_ids],
    )
    totals = np.bincount(flat, weights=repeated, minlength=len(_ROUTES))
    totals = np.rint(totals).astype(np.int64).tolist()
    return {_ROUTES[i]: total for i, total in enumerate(totals) if total}


def _legs_frame(routes: dict[tuple[tuple[str, str], ...], int], top: int | None) -> pd.DataFrame:
    legs: dict[tuple[str, str, str, str], int] = {}
    for route, count in routes.items():
        for leg in _route_legs(route):
            legs[leg] = legs.get(leg, 0) + count
    if top is not None:
        kept = _busiest_routes_legs(routes, top)
        legs = {leg: count for leg, count in legs.items() if leg in kept}
    frame = pd.DataFrame(
        [(*leg, count) for leg, count in legs.items()], columns=_FLOW_COLUMNS
    ).astype({"seizures": "int64"})
    frame = frame.sort_values(
        ["seizures", "source", "target", "source_role", "target_role"],
        ascending=[False, True, True, True, True],
    )
    return frame.reset_index(drop=True)


def route_arcs(records: pd.DataFrame, top: int | None = 60) -> pd.DataFrame:
    """Return country-to-country arcs of the routes, with positions for a map.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records, as for :func:`route_flows` (legs run through export and transit
        countries).
    top : int or None, default 60
        Keep this many arcs, the busiest first (``None``: all).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target`` (ISO-2; A → B and B → A are separate arcs), ``seizures``
        (the legs between them in any role), and WGS84 ``source_lat``, ``source_lon``,
        ``target_lat``, ``target_lon``: a point inside each country's largest polygon
        (Natural Earth 1:50m, 1:10m for countries too small for it).  Legs from a country
        to itself, and countries with no polygon, are left out.
    """
    if top is not None and (not isinstance(top, int) or top < 1):
        raise ValueError(f"top should be None or a positive int, got {top!r}")
    return _arcs_of(route_flows(records, via_transit=True, top=None), top)


def _arcs_of(legs: pd.DataFrame, top: int | None) -> pd.DataFrame:
    legs = legs[legs["source"] != legs["target"]]
    arcs = legs.groupby(["source", "target"], as_index=False)["seizures"].sum()
    positions = {code: _country_point(code) for code in set(arcs["source"]) | set(arcs["target"])}
    arcs = arcs[
        arcs["source"].map(positions).notna() & arcs["target"].map(positions).notna()
    ].copy()
    for end in ("source", "target"):
        points = arcs[end].map(positions)
        arcs[f"{end}_lat"] = [point[0] for point in points]
        arcs[f"{end}_lon"] = [point[1] for point in points]
    arcs = arcs.sort_values(["seizures", "source", "target"], ascending=[False, True, True])
    if top is not None:
        arcs = arcs.head(top)
    return arcs[_ARC_COLUMNS].astype({"seizures": "int64"}).reset_index(drop=True)


def _route_legs(route: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str, str]]:
    """Return a route's legs as (source, target, source_role, target_role)."""
    return [
        (source, target, source_role, target_role)
        for (source, source_role), (target, target_role) in itertools.pairwise(route)
    ]


def _busiest_routes_legs(
    routes: dict[tuple[tuple[str, str], ...], int], top: int
) -> set[tuple[str, str, str, str]]:
    """Return the legs of the busiest routes, adding whole routes while they fit in ``top``."""
    kept: set[tuple[str, str, str, str]] = set()
    by_count: dict[int, list[tuple[tuple[str, str], ...]]] = {}
    for route, count in routes.items():
        by_count.setdefault(count, []).append(route)
    # Busiest first, ties in route order; sorted a count at a time, since the loop usually
    # fills ``top`` long before the many routes seen once or twice.
    for count in sorted(by_count, reverse=True):
        for route in sorted(by_count[count]):
            new = set(_route_legs(route)) - kept
            if len(kept) + len(new) <= top:
                kept |= new
            if len(kept) >= top:
                return kept
    return kept


# Every route seen, numbered once, and each distinct chain's route numbers (per
# ``via_transit``): chains recur across views, and numbers are cheap to add up.
_ROUTES: list[tuple[tuple[str, str], ...]] = []
_ROUTE_NUMBERS: dict[tuple[tuple[str, str], ...], int] = {}
_CHAIN_ROUTES: dict[bool, dict[tuple[str | None, ...], tuple[int, ...]]] = {True: {}, False: {}}
_MAX_REMEMBERED = 300_000


def _forget_routes_when_full() -> None:
    """Start the numbering afresh once it is large (a long-running server never grows it)."""
    if len(_ROUTES) + sum(len(chains) for chains in _CHAIN_ROUTES.values()) > _MAX_REMEMBERED:
        _ROUTES.clear()
        _ROUTE_NUMBERS.clear()
        for chains in _CHAIN_ROUTES.values():
            chains.clear()


def _chain_route_ids(chain: tuple[str | None, ...], via_transit: bool) -> tuple[int, ...]:
    """Return the numbers of one distinct chain's routes (see :data:`_ROUTES`), remembered."""
    numbers = []
    for route in _chain_routes(chain, via_transit):
        if route not in _ROUTE_NUMBERS:
            _ROUTE_NUMBERS[route] = len(_ROUTES)
            _ROUTES.append(route)
        numbers.append(_ROUTE_NUMBERS[route])
    _CHAIN_ROUTES[via_transit][chain] = tuple(numbers)
    return tuple(numbers)


def _chain_routes(
    chain: tuple[str | None, ...], via_transit: bool
) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Return the routes of one distinct trade chain."""
    routes = _routes(dict(zip(CHAIN_COLUMNS, chain, strict=True)), via_transit)
    return tuple(tuple(route) for route in routes)


def _routes(chain: dict[str, object], via_transit: bool) -> list[list[tuple[str, str]]]:
    """Return each (country, role) route a record's trade chain describes, one per origin."""
    origins = _codes(chain["origin_countries"])
    export = _code(chain["export_country"])
    seizing = _code(chain["seizing_country"])
    stated = _code(chain["destination_country"])
    destination = stated or seizing
    if destination is None:
        return []
    if origins:
        starts = [(origin, "origin") for origin in origins]
    elif export:
        starts = [(export, "export")]
    else:
        return []
    stops: list[tuple[str, str]] = []
    if via_transit:
        transit = _codes(chain["transit_countries"])
        if origins and export:
            stops.append((export, "export"))
        stops += [(country, "transit") for country in transit]
        named = {*origins, export, *transit, stated}
        if seizing and seizing not in named:
            stops.append((seizing, "transit"))
    routes = []
    for start in starts:
        route = [start]
        hops = 0
        for country, kind in stops:
            if country in (route[-1][0], destination):
                continue
            if kind == "transit":
                hops += 1
                kind = transit_role(hops)
            route.append((country, kind))
        if stated is None and route == [(destination, route[0][1])]:
            # Seized where the route starts, bound for no stated place: no route is known.
            continue
        route.append((destination, "destination"))
        routes.append(route)
    return routes


def _codes(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [part.strip().upper() for part in str(value).split(";") if part.strip()]


def _code(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().upper()


def _country_point(code: str) -> tuple[float, float] | None:
    return _country_points("50m").get(code) or _country_points("10m").get(code)


@lru_cache(maxsize=2)
def _country_points(resolution: str) -> dict[str, tuple[float, float]]:
    """(lat, lon) inside each country's largest polygon, read once per process."""
    from geo.spatial.boundaries import load_boundaries

    points = {}
    boundaries = load_boundaries(resolution)
    for code, geometry in zip(boundaries["iso2"], boundaries["geometry"], strict=True):
        # A point inside the largest part keeps France in Europe and the US off Alaska.
        parts = getattr(geometry, "geoms", [geometry])
        largest = max(parts, key=lambda part: part.area)
        point = largest.representative_point()
        points[code] = (float(point.y), float(point.x))
    return points
