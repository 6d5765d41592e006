"""Tests for trade-route legs and map arcs."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.analysis.flows import route_arcs, route_flows, route_stage
from geo.spatial.boundaries import load_boundaries

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
