"""Trade routes: legs of origin → export → transit → destination chains, and arcs for a map."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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
        ``destination_country`` and ``seizing_country``; or the store's grouped chains
        (with ``weight``, :mod:`geo.analysis.weights`).
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

    Country codes are read as written, trimmed and upper-cased.  The work is done once per
    distinct trade chain and then on whole arrays (no Python step per chain), so the
    store's tens of thousands of grouped chains take milliseconds.
    """
    _check_top(top)
    routes = _distinct_routes(records, via_transit)
    every = _every_leg(routes)
    kept = None if top is None else _busiest_routes_legs(routes, top)
    return _legs_frame(every, kept)


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
    routes = _distinct_routes(records, via_transit=True)
    every = _every_leg(routes)
    every_leg = _legs_frame(every, None)
    arcs = _arcs_of(every, top_arcs, every_leg["source"].dtype)
    if top_legs is None:
        return every_leg, arcs
    kept = _busiest_routes_legs(routes, top_legs)
    legs = every_leg[np.isin(every.keys, kept)].reset_index(drop=True)
    return legs, arcs


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
    _check_top(top)
    every = _every_leg(_distinct_routes(records, via_transit=True))
    text = _legs_frame(every, None)["source"].dtype
    return _arcs_of(every, top, text)


def _check_top(top: int | None) -> None:
    if top is not None and (not isinstance(top, int) or top < 1):
        raise ValueError(f"top should be None or a positive int, got {top!r}")


# --- routes as arrays ---------------------------------------------------------------------
#
# Countries are numbered in code order and each stop of a route is one integer,
# ``country * stages + stage``, where the stage is :func:`route_stage`'s (origin 0, export 1,
# the n-th transit 1 + n) but with the destination numbered just after the last transit
# stage the records can reach.  A route is a row of such numbers, -1 after its end; since
# numbers follow the order of codes and role names, sorting rows sorts the routes as tuples.

_NOWHERE = -1
_ORIGIN, _EXPORT, _TRANSIT = 0, 1, 2  # a stop's kind before transit stops are numbered
_LIST_COLUMNS = ("origin_countries", "transit_countries")
_BLOCK = 256  # routes looked at a time when picking the busiest


@dataclass(frozen=True)
class _Routes:
    """The distinct (country, role) routes of some records, with their seizures."""

    stops: np.ndarray  # (routes, longest) int64: country * stages + stage; -1 past the end
    seizures: np.ndarray  # (routes,) int64, none zero
    codes: np.ndarray  # country codes (object), sorted: a country's number is its index
    stages: int  # stage numbers run 0 .. stages - 1; the last is the destination

    @property
    def roles(self) -> list[str]:
        """The role of each stage number."""
        transits = [transit_role(hop) for hop in range(1, self.stages - 2)]
        return ["origin", "export", *transits, "destination"]

    def role_ranks(self) -> np.ndarray:
        """Each stage's place when the roles are sorted by name (how tuples sort them)."""
        ranks = np.empty(self.stages, dtype=np.int64)
        ranks[np.argsort(np.array(self.roles, dtype=object), kind="stable")] = np.arange(
            self.stages
        )
        return ranks


@dataclass(frozen=True)
class _Legs:
    """Every leg of some routes: stop numbers of both ends and seizures, the busiest first."""

    keys: np.ndarray  # int64: source * (countries * stages) + target, one per leg
    source: np.ndarray  # stop numbers (see _Routes.stops)
    target: np.ndarray
    seizures: np.ndarray  # int64
    routes: _Routes


def _distinct_routes(records: pd.DataFrame, via_transit: bool) -> _Routes:
    """Return every route the records describe (see :func:`route_flows`), with its seizures."""
    chains = _distinct_chains(records)
    codes, weight = chains.pop("codes"), chains.pop("weight")
    origins, transits = chains["origin_countries"], chains["transit_countries"]
    export, stated, seizing = (
        chains[column][0] for column in ("export_country", "destination_country", "seizing_country")
    )
    destination = np.where(stated >= 0, stated, seizing)
    has_origin = origins[0] >= 0

    # The stops after the start, per chain, each a column: the export country, the transit
    # countries in order, then the seizing country when no other role names it.
    after: list[tuple[np.ndarray, int]] = []
    if via_transit:
        named = (seizing == export) | (seizing == stated)
        for country in (*origins, *transits):
            named |= country == seizing
        after = [
            (np.where(has_origin, export, _NOWHERE), _EXPORT),
            *((country, _TRANSIT) for country in transits),
            (np.where(named, _NOWHERE, seizing), _TRANSIT),
        ]
    # origin, export, a transit stage per column that may hold one, destination
    stages = 3 + sum(kind == _TRANSIT for _, kind in after)

    # One route per origin, or one from the export country; none without an end.
    n_origins = sum((country >= 0).astype(np.int64) for country in origins)
    per_chain = np.where(has_origin, n_origins, export >= 0) * (destination >= 0)
    chain = np.repeat(np.arange(len(weight)), per_chain)
    nth = np.arange(len(chain)) - np.repeat(np.cumsum(per_chain) - per_chain, per_chain)
    from_origin = has_origin[chain]
    start = export[chain]
    for i, country in enumerate(origins):
        start = np.where(from_origin & (nth == i), country[chain], start)
    end = destination[chain]

    # Walk along the stops: one in the destination's country, or in the country of the stop
    # before it, is dropped; the n-th transit stop kept is at stage 1 + n.
    stops = [start * stages + np.where(from_origin, _ORIGIN, _EXPORT)]
    previous, hops = start, np.zeros(len(chain), dtype=np.int64)
    for country, kind in after:
        country = country[chain]
        present = (country >= 0) & (country != end)
        kept = present & (country != previous)
        previous = np.where(present, country, previous)
        if kind == _TRANSIT:
            hops += kept
            stage = 1 + hops
        else:
            stage = kind
        stops.append(np.where(kept, country * stages + stage, _NOWHERE))
    stops.append(end * stages + stages - 1)
    stops = _close_up(stops)
    # Seized where it starts, bound for no stated place: no route is known.
    known = ~((stops[:, 1] // stages == end) & (stops[:, 1] % stages == stages - 1))
    known |= stated[chain] >= 0
    known |= start != end
    stops, chain = stops[known], chain[known]

    # The same route from several chains (or origins) is added up.
    route, first = _number_rows(list(stops.T + 1), [len(codes) * stages + 1] * stops.shape[1])
    totals = np.bincount(route, weights=weight[chain], minlength=len(first))
    totals = np.rint(totals).astype(np.int64)
    busy = totals != 0
    return _Routes(stops[first][busy], totals[busy], codes, stages)


def _distinct_chains(records: pd.DataFrame) -> dict:
    """Return the records' distinct trade chains as country numbers, with their weights.

    ``codes``: the country codes named, sorted (a country's number is its index);
    ``weight``: each chain's records (float64); per chain column, a list of arrays (one per
    listed country for origins and transits, one for the others) of country numbers, -1
    for none.
    """
    count = len(records)
    values, vocabulary = {}, set()
    for column in CHAIN_COLUMNS:
        if column in records and count:
            numbers, uniques = pd.factorize(records[column], use_na_sentinel=True)
            # text, or None for anything missing (None, NaN, NA) or not text
            parse = _codes if column in _LIST_COLUMNS else _code
            parsed = [parse(value) if type(value) is str else None for value in uniques]
        else:
            numbers, parsed = np.full(count, _NOWHERE, dtype=np.int64), []
        lists = [
            value or [] if column in _LIST_COLUMNS else [value] if value else [] for value in parsed
        ]
        for named in lists:
            vocabulary.update(named)
        values[column] = (np.asarray(numbers, dtype=np.int64), lists)
    codes = np.array(sorted(vocabulary), dtype=object)
    number = {code: i for i, code in enumerate(codes)}

    # Few distinct chains stand for many records: add their weights up.
    chain, first = _number_rows(
        [numbers + 1 for numbers, _ in values.values()],
        [len(lists) + 1 for _, lists in values.values()],
    )
    chains = {
        "codes": codes,
        "weight": np.bincount(chain, weights=weights(records).to_numpy(), minlength=len(first)),
    }
    for column, (numbers, lists) in values.items():
        # one row per distinct value, then one for missing values (number -1)
        table = np.full((len(lists) + 1, max([1, *map(len, lists)])), _NOWHERE, dtype=np.int64)
        for row, named in enumerate(lists):
            table[row, : len(named)] = [number[code] for code in named]
        chains[column] = [row[numbers[first]] for row in table.T.copy()]
    return chains


def _number_rows(columns: list[np.ndarray], bases: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Give each distinct row of some columns of naturals (each below its base) a number.

    Returns each row's number (0, 1, ... in order of first appearance) and, per number, the
    first row that has it.
    """
    rows = len(columns[0]) if columns else 0
    numbers, distinct = np.zeros(rows, dtype=np.int64), 1
    for column, base in zip(columns, bases, strict=True):
        if distinct * base >= 2**62:  # number the rows so far before the key grows too big
            numbers = pd.factorize(numbers)[0].astype(np.int64)
            distinct = int(numbers.max(initial=-1)) + 1
        numbers = numbers * base + column
        distinct *= base
    numbers = pd.factorize(numbers)[0].astype(np.int64)
    # numbers appear in order: a row is the first of its number when it exceeds all before it
    new = np.ones(rows, dtype=bool)
    new[1:] = numbers[1:] > np.maximum.accumulate(numbers)[:-1]
    return numbers, np.flatnonzero(new)


def _close_up(stops: list[np.ndarray]) -> np.ndarray:
    """Return the stops as rows, each moved left over its gaps (-1), keeping their order."""
    closed = np.full((len(stops[0]), len(stops)), _NOWHERE, dtype=np.int64)
    place = np.zeros(len(stops[0]), dtype=np.int64)
    for column in stops:
        present = column >= 0
        closed[present, place[present]] = column[present]
        place += present
    return closed


def _every_leg(routes: _Routes) -> _Legs:
    """Return each distinct leg of the routes with the seizures of the routes through it."""
    stops = len(routes.codes) * routes.stages
    source, target = routes.stops[:, :-1], routes.stops[:, 1:]
    leg = target >= 0
    numbers, keys = pd.factorize(source[leg] * stops + target[leg])
    counts = np.broadcast_to(routes.seizures[:, None], leg.shape)[leg]
    seizures = np.rint(np.bincount(numbers, weights=counts, minlength=len(keys)))
    seizures = seizures.astype(np.int64)
    source, target = np.divmod(np.asarray(keys, dtype=np.int64), stops)
    # The busiest first, then by source, target, source role, target role.
    ranks = routes.role_ranks()
    source_country, source_stage = np.divmod(source, routes.stages)
    target_country, target_stage = np.divmod(target, routes.stages)
    order = np.lexsort(
        (ranks[target_stage], ranks[source_stage], target_country, source_country, -seizures)
    )
    return _Legs(
        source[order] * stops + target[order], source[order], target[order], seizures[order], routes
    )


def _legs_frame(legs: _Legs, kept: np.ndarray | None) -> pd.DataFrame:
    """Return the legs (those in ``kept`` when given) as a frame, the busiest first."""
    routes = legs.routes
    chosen = slice(None) if kept is None else np.isin(legs.keys, kept)
    seizures = legs.seizures[chosen]
    if not len(seizures):
        return pd.DataFrame([], columns=_FLOW_COLUMNS).astype({"seizures": "int64"})
    source_country, source_stage = np.divmod(legs.source[chosen], routes.stages)
    target_country, target_stage = np.divmod(legs.target[chosen], routes.stages)
    roles = np.array(routes.roles, dtype=object)
    return pd.DataFrame(
        {
            "source": routes.codes[source_country].tolist(),
            "target": routes.codes[target_country].tolist(),
            "source_role": roles[source_stage].tolist(),
            "target_role": roles[target_stage].tolist(),
            "seizures": seizures,
        }
    )


def _busiest_routes_legs(routes: _Routes, top: int) -> np.ndarray:
    """Return the keys of the busiest routes' legs, adding whole routes while they fit."""
    legs = len(routes.codes) * routes.stages  # a leg's key: source stop * legs + target stop
    kept: set[int] = set()
    # Busiest first, ties in route order.  The loop usually fills ``top`` within the first
    # few routes, so they are sorted (and turned into Python lists) a block at a time.
    for block in _busiest_first(routes):
        stops = routes.stops[block]
        source, target = stops[:, :-1], stops[:, 1:]
        for route in np.where(target >= 0, source * legs + target, -1).tolist():
            new = {leg for leg in route if leg >= 0} - kept
            if len(kept) + len(new) <= top:
                kept |= new
            if len(kept) >= top:
                return np.fromiter(kept, dtype=np.int64, count=len(kept))
    return np.fromiter(kept, dtype=np.int64, count=len(kept))


def _busiest_first(routes: _Routes) -> Iterator[np.ndarray]:
    """Yield the routes' indexes, the busiest first and ties in route order, in blocks.

    Routes compare as tuples of (country, role) pairs: code first, then role name, a route
    before the longer ones it begins.  Each block holds at least :data:`_BLOCK` routes
    (fewer at the end) and every route as busy as its last one.
    """
    country, stage = np.divmod(routes.stops, routes.stages)
    ended = routes.stops < 0
    country = np.where(ended, -1, country)
    role = np.where(ended, -1, routes.role_ranks()[stage])
    keys = [column for pair in zip(country.T, role.T, strict=True) for column in pair]
    left = np.arange(len(routes.seizures))
    while len(left):
        seizures = routes.seizures[left]
        if len(left) > _BLOCK:
            least = -np.partition(-seizures, _BLOCK - 1)[_BLOCK - 1]
            block, left = left[seizures >= least], left[seizures < least]
        else:
            block, left = left, left[:0]
        # np.lexsort sorts by its last key first
        yield block[np.lexsort([*(key[block] for key in reversed(keys)), -routes.seizures[block]])]


def _arcs_of(legs: _Legs, top: int | None, text: object) -> pd.DataFrame:
    """Return the arcs of the legs between different countries (``text``: the codes' dtype)."""
    routes = legs.routes
    source = legs.source // routes.stages
    target = legs.target // routes.stages
    apart = source != target
    countries = len(routes.codes)
    numbers, pairs = pd.factorize(source[apart] * countries + target[apart])
    seizures = np.rint(np.bincount(numbers, weights=legs.seizures[apart], minlength=len(pairs)))
    pairs = np.asarray(pairs, dtype=np.int64)
    source, target = np.divmod(pairs, countries)
    points = [_country_point(code) for code in routes.codes]
    placed = np.array([point is not None for point in points], dtype=bool)
    shown = placed[source] & placed[target]
    source, target, seizures = source[shown], target[shown], seizures[shown].astype(np.int64)
    order = np.lexsort((target, source, -seizures))[:top]
    source, target, seizures = source[order], target[order], seizures[order]
    if not len(order):
        empty = {name: pd.Series([], dtype=text) for name in ("source", "target")}
        floats = {name: pd.Series([], dtype="float64") for name in _ARC_COLUMNS[3:]}
        return pd.DataFrame({**empty, "seizures": pd.Series([], dtype="int64"), **floats})[
            _ARC_COLUMNS
        ]
    lat = np.array([point[0] if point else np.nan for point in points], dtype=float)
    lon = np.array([point[1] if point else np.nan for point in points], dtype=float)
    return pd.DataFrame(
        {
            "source": routes.codes[source].tolist(),
            "target": routes.codes[target].tolist(),
            "seizures": seizures,
            "source_lat": lat[source],
            "source_lon": lon[source],
            "target_lat": lat[target],
            "target_lon": lon[target],
        }
    )


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
