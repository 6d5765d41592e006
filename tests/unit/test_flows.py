"""Tests for trade-route legs and map arcs."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.analysis.flows import (
    CHAIN_COLUMNS,
    _country_point,
    route_arcs,
    route_flows,
    route_stage,
    routes_and_arcs,
)
from geo.analysis.weights import weights
from geo.spatial.boundaries import load_boundaries

FLOW_COLUMNS = ["source", "target", "source_role", "target_role", "seizures"]
ARC_COLUMNS = [
    "source", "target", "seizures", "source_lat", "source_lon", "target_lat", "target_lon",
]  # fmt: skip

ROLE_ORDER = {"origin": 0, "export": 1, "transit": 2, "destination": 100}


def _chains(rows: list[tuple]) -> pd.DataFrame:
    """Records from (origins, export, transits, destination, seizing) tuples."""
    return pd.DataFrame(
        rows,
        columns=[
            "origin_countries",
            "export_country",
            "transit_countries",
            "destination_country",
            "seizing_country",
        ],
    )


def _legs(frame: pd.DataFrame) -> dict[tuple[str, str, str, str], int]:
    return {
        (row.source, row.target, row.source_role, row.target_role): row.seizures
        for row in frame.itertuples()
    }


def _stage(role: str) -> int:
    if role.startswith("transit_"):
        return 2 + int(role.split("_")[1])
    return ROLE_ORDER[role]


def test_multiple_origins_count_the_record_once_per_origin():
    legs = _legs(route_flows(_chains([("CD;CM", None, "KE", "CN", "CN")])))
    assert legs == {
        ("CD", "KE", "origin", "transit"): 1,
        ("CM", "KE", "origin", "transit"): 1,
        ("KE", "CN", "transit", "destination"): 2,
    }


def test_route_runs_through_export_and_transits_in_order():
    legs = _legs(route_flows(_chains([("CD", "UG", "KE;ET", "VN", "VN")] * 3)))
    assert legs == {
        ("CD", "UG", "origin", "export"): 3,
        ("UG", "KE", "export", "transit"): 3,
        ("KE", "ET", "transit", "transit_2"): 3,
        ("ET", "VN", "transit_2", "destination"): 3,
    }


def test_without_transit_legs_go_straight_to_the_destination():
    legs = _legs(route_flows(_chains([("CD", "UG", "KE;ET", "VN", "VN")]), via_transit=False))
    assert legs == {("CD", "VN", "origin", "destination"): 1}


def test_missing_destination_falls_back_to_the_seizing_country():
    legs = _legs(route_flows(_chains([("NG", None, None, None, "TH")])))
    assert legs == {("NG", "TH", "origin", "destination"): 1}


def test_seizing_country_on_the_way_is_a_transit_stop():
    legs = _legs(route_flows(_chains([("NG", None, None, "CN", "VN")])))
    assert legs == {
        ("NG", "VN", "origin", "transit"): 1,
        ("VN", "CN", "transit", "destination"): 1,
    }


def test_repeated_countries_are_dropped_and_domestic_routes_kept():
    legs = _legs(
        route_flows(
            _chains(
                [
                    ("LA", "LA", "LA;CN", "CN", "CN"),  # export and transit repeat the ends
                    ("CN", None, None, "CN", "CN"),  # domestic
                    (None, "TH", None, None, "TH"),  # seized at export, bound nowhere known
                    (None, None, "LA", "CN", "CN"),  # no start at all
                ]
            )
        )
    )
    assert legs == {
        ("LA", "CN", "origin", "destination"): 1,
        ("CN", "CN", "origin", "destination"): 1,
    }


def test_missing_origin_starts_at_export():
    legs = _legs(route_flows(_chains([(None, "MZ", None, "VN", "VN")])))
    assert legs == {("MZ", "VN", "export", "destination"): 1}


def test_top_keeps_whole_routes_with_full_counts():
    records = _chains(
        [("VN", None, None, "CN", "CN")] * 5
        + [("NG", None, "ET", "CN", "CN")] * 2
        + [("CM", None, "ET", "CN", "CN")] * 1
    )
    flows = route_flows(records, top=3)
    legs = _legs(flows)
    # the busiest route, then the next that fits; CM → ET would make four legs
    assert legs == {
        ("VN", "CN", "origin", "destination"): 5,
        ("NG", "ET", "origin", "transit"): 2,
        ("ET", "CN", "transit", "destination"): 3,
    }
    assert flows["seizures"].is_monotonic_decreasing


def test_top_rejects_zero():
    with pytest.raises(ValueError, match="top"):
        route_flows(_chains([]), top=0)


def test_no_records_give_no_legs():
    flows = route_flows(_chains([]))
    assert flows.empty
    assert list(flows.columns) == ["source", "target", "source_role", "target_role", "seizures"]


codes = st.sampled_from(["CN", "LA", "VN", "TH", "NG", None])
code_lists = st.lists(st.sampled_from(["CN", "LA", "VN", "TH", "NG"]), max_size=3).map(
    lambda parts: ";".join(parts) or None
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(code_lists, codes, code_lists, codes, codes), max_size=12))
def test_legs_always_move_to_a_later_stage(rows):
    """Legs keyed by (country, role) never form a cycle: every leg moves to a later stage."""
    flows = route_flows(_chains(rows), top=None)
    for row in flows.itertuples():
        assert _stage(row.source_role) < _stage(row.target_role)


@pytest.fixture(scope="module")
def boundaries():
    """Natural Earth 1:50m country polygons, WGS84 (EPSG:4326)."""
    return load_boundaries("50m").set_index("iso2")


def test_route_arcs_have_positions_inside_the_countries(boundaries):
    records = _chains(
        [("VN", None, None, "CN", "CN")] * 3
        + [("CN", None, None, "VN", "VN")]
        + [("CN", None, None, "CN", "CN")]
        + [("LA", None, "GI", "CN", "CN")]
    )
    arcs = route_arcs(records)
    assert list(arcs.columns) == [
        "source",
        "target",
        "seizures",
        "source_lat",
        "source_lon",
        "target_lat",
        "target_lon",
    ]
    pairs = dict(
        zip(zip(arcs["source"], arcs["target"], strict=True), arcs["seizures"], strict=True)
    )
    # both directions kept apart; the domestic CN → CN leg is no arc
    assert pairs[("VN", "CN")] == 3
    assert pairs[("CN", "VN")] == 1
    assert ("CN", "CN") not in pairs
    # Gibraltar is too small for the 1:50m file and comes from the 1:10m one
    assert ("LA", "GI") in pairs
    row = arcs[(arcs["source"] == "VN") & (arcs["target"] == "CN")].iloc[0]
    assert shapely.contains_xy(
        boundaries.loc["VN", "geometry"], row["source_lon"], row["source_lat"]
    )
    assert shapely.contains_xy(
        boundaries.loc["CN", "geometry"], row["target_lon"], row["target_lat"]
    )


def test_route_arcs_top():
    records = _chains([("VN", None, None, "CN", "CN")] * 3 + [("LA", None, None, "TH", "TH")])
    arcs = route_arcs(records, top=1)
    assert arcs[["source", "target", "seizures"]].values.tolist() == [["VN", "CN", 3]]


def test_route_stage_orders_roles():
    roles = ["origin", "export", "transit", "transit_2", "transit_3", "destination"]
    assert [route_stage(role) for role in roles] == sorted(route_stage(role) for role in roles)
    assert len({route_stage(role) for role in roles}) == len(roles)
    with pytest.raises(ValueError, match="role"):
        route_stage("seizing")


# --- the array implementation against the per-record rules --------------------------------
#
# ``geo.analysis.flows`` builds routes on whole arrays.  The functions below follow the
# rules of ``route_flows`` one record at a time, as the module did before, and are the
# reference: the two must give identical frames (values, order and dtypes) on any chains.


def _reference_codes(value):
    if not isinstance(value, str):
        return []
    return [part.strip().upper() for part in value.split(";") if part.strip()]


def _reference_code(value):
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().upper()


def _reference_routes(chain: dict, via_transit: bool) -> list[list[tuple[str, str]]]:
    origins = _reference_codes(chain["origin_countries"])
    export = _reference_code(chain["export_country"])
    seizing = _reference_code(chain["seizing_country"])
    stated = _reference_code(chain["destination_country"])
    destination = stated or seizing
    if destination is None:
        return []
    if origins:
        starts = [(origin, "origin") for origin in origins]
    elif export:
        starts = [(export, "export")]
    else:
        return []
    stops = []
    if via_transit:
        transit = _reference_codes(chain["transit_countries"])
        if origins and export:
            stops.append((export, "export"))
        stops += [(country, "transit") for country in transit]
        if seizing and seizing not in {*origins, export, *transit, stated}:
            stops.append((seizing, "transit"))
    routes = []
    for start in starts:
        route, hops = [start], 0
        for country, kind in stops:
            if country in (route[-1][0], destination):
                continue
            if kind == "transit":
                hops += 1
                kind = "transit" if hops == 1 else f"transit_{hops}"
            route.append((country, kind))
        if stated is None and route == [(destination, route[0][1])]:
            continue
        route.append((destination, "destination"))
        routes.append(tuple(route))
    return routes


def _reference_weighted_routes(records: pd.DataFrame, via_transit: bool) -> dict:
    totals: dict = {}
    columns = [
        records[column].tolist() if column in records else [None] * len(records)
        for column in CHAIN_COLUMNS
    ]
    for count, *values in zip(weights(records).tolist(), *columns, strict=True):
        chain = {
            column: value if type(value) is str else None
            for column, value in zip(CHAIN_COLUMNS, values, strict=True)
        }
        for route in _reference_routes(chain, via_transit):
            totals[route] = totals.get(route, 0) + count
    return {route: total for route, total in totals.items() if total}


def _reference_route_legs(route):
    return [(s, t, sr, tr) for (s, sr), (t, tr) in itertools.pairwise(route)]


def _reference_busiest(routes: dict, top: int) -> set:
    kept: set = set()
    for route in sorted(routes, key=lambda route: (-routes[route], route)):
        new = set(_reference_route_legs(route)) - kept
        if len(kept) + len(new) <= top:
            kept |= new
        if len(kept) >= top:
            break
    return kept


def _reference_legs_frame(routes: dict, top: int | None) -> pd.DataFrame:
    legs: dict = {}
    for route, count in routes.items():
        for leg in _reference_route_legs(route):
            legs[leg] = legs.get(leg, 0) + count
    if top is not None:
        kept = _reference_busiest(routes, top)
        legs = {leg: count for leg, count in legs.items() if leg in kept}
    frame = pd.DataFrame(
        [(*leg, count) for leg, count in legs.items()], columns=FLOW_COLUMNS
    ).astype({"seizures": "int64"})
    frame = frame.sort_values(
        ["seizures", "source", "target", "source_role", "target_role"],
        ascending=[False, True, True, True, True],
    )
    return frame.reset_index(drop=True)


def _reference_arcs(legs: pd.DataFrame, top: int | None) -> pd.DataFrame:
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
    return arcs[ARC_COLUMNS].astype({"seizures": "int64"}).reset_index(drop=True)


def _reference_flows(records, via_transit=True, top=40):
    return _reference_legs_frame(_reference_weighted_routes(records, via_transit), top)


def _reference_route_arcs(records, top=60):
    return _reference_arcs(_reference_flows(records, True, None), top)


def _assert_as_reference(records: pd.DataFrame, top_legs, top_arcs) -> None:
    routes = {via: _reference_weighted_routes(records, via) for via in (True, False)}
    for via_transit in (True, False):
        expected = _reference_legs_frame(routes[via_transit], top_legs)
        got = route_flows(records, via_transit=via_transit, top=top_legs)
        pd.testing.assert_frame_equal(got, expected)
    every = _reference_legs_frame(routes[True], None)
    expected_arcs = _reference_arcs(every, top_arcs)
    pd.testing.assert_frame_equal(route_arcs(records, top=top_arcs), expected_arcs)
    legs, arcs = routes_and_arcs(records, top_legs, top_arcs)
    if top_legs is not None and not every.empty:  # the busiest routes' legs, from all legs
        kept = _reference_busiest(routes[True], top_legs)
        chosen = [leg in kept for leg in zip(*(every[c] for c in FLOW_COLUMNS[:4]), strict=True)]
        every = every[chosen].reset_index(drop=True)
    pd.testing.assert_frame_equal(legs, every)
    pd.testing.assert_frame_equal(arcs, expected_arcs)


# Codes as stores and files may hold them: in other cases, padded, several to a cell or
# none; some countries have no polygon (XX), one only in the 1:10m file (GI).
_CODES = ["CN", "LA", "VN", "TH", "NG", "GI", "XX", "cn", " la ", "\tVN", "", "  ", None]
_code_cells = st.sampled_from(_CODES)
_list_cells = st.one_of(
    st.none(),
    st.lists(st.sampled_from(_CODES[:-1]), max_size=4).map(";".join),
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(_list_cells, _code_cells, _list_cells, _code_cells, _code_cells), max_size=15
    ),
    counts=st.one_of(st.none(), st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=15)),
    top_legs=st.sampled_from([None, 1, 2, 3, 5, 40]),
    top_arcs=st.sampled_from([None, 1, 3, 60]),
)
def test_legs_and_arcs_equal_the_per_record_rules(rows, counts, top_legs, top_arcs):
    """Multi-origin cells, transit chains, missing roles, weights: the reference's frames."""
    records = _chains(rows)
    if counts is not None:  # a grouped frame: rows stand for several records, or none
        records["weight"] = pd.array(counts[: len(rows)], dtype="Int64")
    _assert_as_reference(records, top_legs, top_arcs)


def test_text_columns_read_from_arrow_give_the_same_routes():
    """The store hands text over as pandas strings (NA for NULL), not Python objects."""
    rows = [
        ("CD;CM", "UG", "KE;ET;KE", "VN", "TH"),
        ("cd ; CM", " ug", "KE;;ET", None, "th"),
        (None, "MZ", None, None, "MZ"),
        ("NG", None, "NG;NG", "CN", "LA"),
    ] * 3
    objects = _chains(rows).assign(weight=[1, 2, 3, 4] * 3)
    strings = objects.astype(dict.fromkeys(CHAIN_COLUMNS, "string[pyarrow]"))
    _assert_as_reference(strings, 3, 2)
    for top in (None, 3):
        pd.testing.assert_frame_equal(route_flows(strings, top=top), route_flows(objects, top=top))


def test_a_column_left_out_counts_as_missing():
    records = _chains([("CD", "UG", "KE", "VN", "VN")]).drop(columns=["transit_countries"])
    assert _legs(route_flows(records)) == {
        ("CD", "UG", "origin", "export"): 1,
        ("UG", "VN", "export", "destination"): 1,
    }
    _assert_as_reference(records, 40, 60)


def _varied_records(count: int, seed: int) -> pd.DataFrame:
    """Records with every kind of chain, as a store may hold them (not only as imported)."""
    rng = random.Random(seed)
    codes = ["CN", "LA", "VN", "TH", "MM", "KH", "NG", "KE", "GI", "XX", "la", " vn "]

    def listed() -> str | None:
        cell = ";".join(rng.choice([*codes, ""]) for _ in range(rng.choice([0, 1, 1, 2, 3, 4])))
        return rng.choice([cell, cell, None])

    def single() -> str | None:
        return rng.choice([*codes, codes[0], codes[1], None, None, ""])

    rows = [(listed(), single(), listed(), single(), single()) for _ in range(count)]
    records = _chains(rows)
    records.insert(0, "record_id", [f"r{i:04d}" for i in range(count)])
    records["content_hash"] = range(count)
    records["border_pair"] = [rng.choice(["CN-LA", "LA-TH", None]) for _ in range(count)]
    records["border_distance_km"] = [rng.uniform(0, 80) for _ in range(count)]
    return records


def test_the_routes_page_follows_the_rules_on_each_engine(engine_url):
    """The page's chains come from the store's GROUP BY: the same legs as record by record."""
    from geo.report import views
    from geo.store import aggregates
    from geo.store.query import Query
    from geo.store.store import Store
    from geo.store.tables import seizures

    store = Store(engine_url)
    with store.transaction() as connection:
        store.insert_frame(connection, seizures, _varied_records(600, seed=11))
    try:
        for query in (Query(), Query(pair="CN-LA"), Query(countries=("VN",))):
            records = store.select(query, columns=list(CHAIN_COLUMNS))
            page = views.routes_page(store, query)
            pd.testing.assert_frame_equal(page["legs"], _reference_flows(records))
            pd.testing.assert_frame_equal(page["arcs"], _reference_route_arcs(records))
            chains = aggregates.counted(store, query, CHAIN_COLUMNS)
            assert chains["weight"].sum() == len(records)
            _assert_as_reference(chains, 5, 4)
            legs, arcs = routes_and_arcs(chains, 5, 4)
            pd.testing.assert_frame_equal(legs, routes_and_arcs(records, 5, 4)[0])
            pd.testing.assert_frame_equal(arcs, _reference_route_arcs(records, 4))
    finally:
        store.close()
