"""Tests for seizure hot spots: H3 counts, Getis-Ord Gi* with FDR, and border clusters."""

from __future__ import annotations

import itertools
import math

import h3
import numpy as np
import pandas as pd
import pytest

from geo.reference.places import load_border_crossings
from geo.spatial import getis_ord, hotspots
from geo.spatial.getis_ord import gi_star
from geo.spatial.hotspots import border_hotspots, hex_counts

# A crude CN–LA border (WGS84 lat, lon vertices), good enough to fabricate a border band.
CN_LA_LINE = np.array(
    [[22.40, 101.15], [21.75, 101.10], [21.186, 101.679], [21.55, 101.95], [22.05, 102.20]]
)
KM_PER_DEGREE = np.array([111.2, 111.2 * math.cos(math.radians(21.7))])
TAXA = ["Manis javanica", "Python bivittatus", "Ursus thibetanus", "Pangolin scales"]


def _boten() -> tuple[float, float]:
    crossings = load_border_crossings().set_index("crossing_id")
    return float(crossings.at["boten-mohan", "lat"]), float(crossings.at["boten-mohan", "lon"])


def _distance_to_line_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distance in km to the crude border on a local flat projection (fine at 100 km)."""
    points = np.column_stack([lat, lon])
    distance = np.full(len(points), np.inf)
    for start, end in itertools.pairwise(CN_LA_LINE):
        along = (end - start) * KM_PER_DEGREE
        offset = (points - start) * KM_PER_DEGREE
        t = np.clip(offset @ along / (along @ along), 0.0, 1.0)
        distance = np.minimum(distance, np.linalg.norm(offset - np.outer(t, along), axis=1))
    return distance


def _cn_la_locator(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stand-in for geo.spatial.enrich.nearest_borders over the crude CN–LA border."""
    lat = np.asarray(lat, dtype=float)
    return np.full(len(lat), "CN-LA", dtype=object), _distance_to_line_km(lat, lon)


def _records(lat, lon, distance, rng, **columns) -> pd.DataFrame:
    """Seizure records at the given WGS84 points on the CN–LA border band."""
    count = len(lat)
    frame = pd.DataFrame(
        {
            "lat": lat,
            "lon": lon,
            "seizure_date": pd.Timestamp("2023-01-01"),
            "taxon": rng.choice(TAXA, count),
            "quantity": rng.uniform(1.0, 10.0, count).round(1),
            "unit": rng.choice(["kg", "pieces"], count),
            "coord_precision": "exact",
            "border_pair": "CN-LA",
            "border_distance_km": distance,
        }
    )
    for name, value in columns.items():
        frame[name] = value
    frame["h3_r7"] = [h3.latlng_to_cell(a, b, 7) for a, b in zip(lat, lon, strict=True)]
    return frame


def background_records(seed: int, count: int = 800) -> pd.DataFrame:
    """Seizures scattered uniformly (per km²) within 50 km of the crude CN–LA border, WGS84."""
    rng = np.random.default_rng(seed)
    low = CN_LA_LINE.min(axis=0) - 0.6
    high = CN_LA_LINE.max(axis=0) + 0.6
    lats, lons, distances = [], [], []
    while sum(len(chunk) for chunk in lats) < count:
        lat = np.degrees(
            np.arcsin(
                rng.uniform(
                    math.sin(math.radians(low[0])), math.sin(math.radians(high[0])), 4 * count
                )
            )
        )
        lon = rng.uniform(low[1], high[1], 4 * count)
        distance = _distance_to_line_km(lat, lon)
        keep = distance <= 50.0
        lats.append(lat[keep])
        lons.append(lon[keep])
        distances.append(distance[keep])
    lat = np.concatenate(lats)[:count]
    lon = np.concatenate(lons)[:count]
    distance = np.concatenate(distances)[:count]
    return _records(lat, lon, distance, rng)


def boten_cluster(seed: int, count: int = 200, radius_km: float = 5.0) -> pd.DataFrame:
    """Seizures within ``radius_km`` of the Boten–Mohan crossing, uniformly over the disc."""
    rng = np.random.default_rng(seed)
    centre_lat, centre_lon = _boten()
    angle = rng.uniform(0.0, 2.0 * math.pi, count)
    radius = radius_km * np.sqrt(rng.uniform(0.0, 1.0, count))
    lat = centre_lat + radius * np.sin(angle) / KM_PER_DEGREE[0]
    lon = centre_lon + radius * np.cos(angle) / (111.2 * math.cos(math.radians(centre_lat)))
    return _records(lat, lon, _distance_to_line_km(lat, lon), rng)


def literal_gi_star(cells: list[str], values: list[float], k_ring: int) -> dict[str, float]:
    """Gi* written straight from Ord & Getis (1995), one cell pair at a time.

    The grid is the cells plus every cell within ``k_ring`` of one (value 0); w_ij is 1 when
    h3.grid_distance(i, j) <= k_ring.
    """
    grid = list(cells)
    for cell in cells:
        for ring in range(1, k_ring + 1):
            for neighbour in h3.grid_ring(cell, ring):
                if neighbour not in grid:
                    grid.append(neighbour)
    value_of = dict(zip(cells, values, strict=True))
    x = [float(value_of.get(cell, 0.0)) for cell in grid]
    n = len(grid)
    mean = sum(x) / n
    spread = math.sqrt(sum(v * v for v in x) / n - mean * mean)
    result = {}
    for cell_i in grid:
        weighted_sum = 0.0
        weight_total = 0.0
        weight_squares = 0.0
        for j, cell_j in enumerate(grid):
            w = 1.0 if h3.grid_distance(cell_i, cell_j) <= k_ring else 0.0
            weighted_sum += w * x[j]
            weight_total += w
            weight_squares += w * w
        numerator = weighted_sum - mean * weight_total
        denominator = spread * math.sqrt((n * weight_squares - weight_total**2) / (n - 1))
        result[cell_i] = numerator / denominator
    return result


# --- hex_counts ---------------------------------------------------------------------------


def test_hex_counts_counts_cells_and_ranks_taxa():
    cell = h3.latlng_to_cell(21.5, 101.5, 6)
    other = h3.latlng_to_cell(21.9, 101.2, 6)
    records = pd.DataFrame(
        {
            "lat": [21.5] * 5 + [21.9],
            "lon": [101.5] * 5 + [101.2],
            "taxon": ["B", "A", "A", "C", "D", "A"],
            "quantity": 1.0,
            "unit": "kg",
            "coord_precision": "exact",
        }
    )
    counts = hex_counts(records, resolution=6)
    assert list(counts.columns) == list(hotspots.HEX_COUNT_COLUMNS)
    assert counts["cell"].tolist() == [cell, other]
    assert counts["count"].tolist() == [5, 1]
    assert counts["top_taxa"].iloc[0] == [("A", 2), ("B", 1), ("C", 1)]
    assert counts["quantity"].isna().all()
    centre = h3.cell_to_latlng(cell)
    assert counts["lat"].iloc[0] == pytest.approx(centre[0])
    assert counts["lon"].iloc[0] == pytest.approx(centre[1])


def test_hex_counts_never_sums_across_units():
    records = pd.DataFrame(
        {
            "lat": [21.5, 21.5, 21.5, 21.5],
            "lon": [101.5, 101.5, 101.5, 101.5],
            "taxon": "Manis javanica",
            "quantity": [2.0, 3.0, 100.0, np.nan],
            "unit": ["kg", "kg", "pieces", "kg"],
        }
    )
    in_kg = hex_counts(records, resolution=7, unit="kg")
    assert in_kg["count"].tolist() == [4]
    assert in_kg["quantity"].tolist() == [5.0]
    assert hex_counts(records, resolution=7, unit="pieces")["quantity"].tolist() == [100.0]
    assert hex_counts(records, resolution=7, unit="m3")["quantity"].tolist() == [0.0]
    with pytest.raises(ValueError, match="unit"):
        hex_counts(records, unit="tonnes")


def test_hex_counts_leaves_out_country_centroids_unless_asked():
    rng = np.random.default_rng(0)
    exact = _records(np.full(3, 21.5), np.full(3, 101.5), np.zeros(3), rng)
    centroid = _records(np.full(40, 19.86), np.full(40, 102.5), np.zeros(40), rng)
    centroid["coord_precision"] = ["country"] * 20 + ["none"] * 20
    records = pd.concat([exact, centroid], ignore_index=True)
    assert hex_counts(records, resolution=7)["count"].tolist() == [3]
    included = hex_counts(records, resolution=7, include_centroids=True)
    assert included["count"].tolist() == [40, 3]


def test_hex_counts_uses_stored_cells_and_fills_missing_ones_from_coordinates():
    rng = np.random.default_rng(1)
    records = _records(np.array([21.5, 21.6, 21.7]), np.array([101.5, 101.6, 101.7]), 0, rng)
    stored = hex_counts(records, resolution=7)
    records.loc[1, "h3_r7"] = None
    assert hex_counts(records, resolution=7).equals(stored)
    assert hex_counts(records.drop(columns="h3_r7"), resolution=7).equals(stored)
    # The stored column wins over coordinates: a moved point keeps its stored cell.
    records.loc[0, "lat"] = 10.0
    assert hex_counts(records, resolution=7).equals(stored)


def test_hex_counts_merges_upper_and_lower_case_cell_ids():
    cell = h3.latlng_to_cell(21.5, 101.5, 7)
    records = pd.DataFrame({"h3_r7": [cell, cell.upper(), cell], "taxon": ["a", "b", "a"]})
    counts = hex_counts(records, resolution=7)
    assert counts["cell"].tolist() == [cell]
    assert counts["count"].tolist() == [3]


def test_hex_counts_of_no_records_is_empty_with_its_columns():
    records = pd.DataFrame({"lat": [np.nan], "lon": [np.nan], "taxon": ["a"]})
    counts = hex_counts(records, resolution=7)
    assert counts.empty
    assert list(counts.columns) == list(hotspots.HEX_COUNT_COLUMNS)


def test_cell_ids_are_formatted_as_h3_writes_them():
    rng = np.random.default_rng(9)
    cells = [
        h3.latlng_to_cell(lat, lon, resolution)
        for lat, lon, resolution in zip(
            rng.uniform(-89, 89, 200),
            rng.uniform(-180, 180, 200),
            rng.integers(0, 16, 200).tolist(),
            strict=True,
        )
    ]
    ints = np.array([h3.str_to_int(cell) for cell in cells], dtype=np.uint64)
    assert getis_ord.cell_strings(ints).tolist() == cells


def test_hex_counts_rejects_cells_of_another_resolution():
    records = pd.DataFrame(
        {"h3_r7": [h3.latlng_to_cell(21.5, 101.5, 6)], "taxon": ["x"], "lat": 1.0, "lon": 1.0}
    )
    with pytest.raises(ValueError, match="resolution 7"):
        hex_counts(records, resolution=7)


# --- gi_star ------------------------------------------------------------------------------


def test_gi_star_matches_a_literal_double_loop():
    centre = h3.latlng_to_cell(21.5, 101.5, 7)
    rng = np.random.default_rng(3)
    cells = [cell for cell in h3.grid_disk(centre, 3) if rng.random() < 0.6]
    values = [float(v) for v in rng.poisson(3.0, len(cells))]
    values[0] = 25.0
    frame = pd.DataFrame({"cell": cells, "count": values})
    for k_ring in (1, 2):
        expected = literal_gi_star(cells, values, k_ring)
        result = gi_star(frame, "count", k_ring=k_ring)
        assert sorted(result["cell"]) == sorted(expected)
        for cell, z in zip(result["cell"], result["gi_z"], strict=True):
            assert z == pytest.approx(expected[cell], abs=1e-9)
        assert result["padding"].tolist() == [False] * len(cells) + [True] * (
            len(result) - len(cells)
        )


def test_gi_star_by_hand_one_seizure():
    # One cell holding 1, padded by its 6 neighbours: n = 7, mean 1/7, S = sqrt(6)/7.  The
    # centre neighbours all 7 cells, so n*W - W^2 = 0 and G* is undefined (reported 0).  A
    # ring cell sees itself, the centre and two ring cells: W = 4, local sum 1, so
    # z = (1 - 4/7) / (sqrt(6)/7 * sqrt((28 - 16) / 6)) = 3 / sqrt(12) = sqrt(3)/2.
    centre = h3.latlng_to_cell(21.5, 101.5, 7)
    result = gi_star(pd.DataFrame({"cell": [centre], "count": [1]}))
    assert len(result) == 7
    assert result["gi_z"].iloc[0] == 0.0
    assert result["neighbours"].tolist() == [6] + [3] * 6
    assert result["gi_z"].iloc[1:].tolist() == pytest.approx([math.sqrt(3) / 2] * 6, abs=1e-12)
    assert result["p_value"].iloc[1] == pytest.approx(math.erfc(math.sqrt(3) / 2 / math.sqrt(2)))
    assert (result["count"].iloc[1:] == 0).all()
    assert (result["hotspot_class"] == "not significant").all()


def test_gi_star_classes_hot_and_cold_as_arcgis_bins():
    """A ring of 20s and a ring of 0s in a field of 5s: one hot 99%, one cold."""
    centre = h3.latlng_to_cell(21.5, 101.5, 7)
    field = h3.grid_disk(centre, 9)
    ring = h3.grid_ring(centre, 4)
    hot_core, cold_core = ring[0], ring[len(ring) // 2]
    hot = set(h3.grid_disk(hot_core, 1))
    cold = set(h3.grid_disk(cold_core, 2))
    values = [20 if cell in hot else (0 if cell in cold else 5) for cell in field]
    frame = pd.DataFrame({"cell": field, "count": values})
    by_cell = gi_star(frame).set_index("cell")
    assert by_cell.at[hot_core, "hotspot_class"] == "hot 99%"
    assert by_cell.at[hot_core, "gi_bin"] == 3
    assert by_cell.at[hot_core, "confidence"] == 99
    assert by_cell.at[cold_core, "gi_bin"] < 0
    assert by_cell.at[cold_core, "hotspot_class"].startswith("cold")
    assert set(by_cell["hotspot_class"]) <= {
        "hot 99%",
        "hot 95%",
        "hot 90%",
        "cold 90%",
        "cold 95%",
        "cold 99%",
        "not significant",
    }
    assert (gi_star(frame, alternative="greater")["gi_bin"] >= 0).all()


def test_gi_star_fdr_is_benjamini_hochberg():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    # sorted 0.01, 0.03, 0.04, 0.5 times m/rank: 0.04, 0.06, 0.0533, 0.5; then running
    # minimum from the largest rank down.
    expected = [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5]
    assert getis_ord._benjamini_hochberg(p) == pytest.approx(expected)
    centre = h3.latlng_to_cell(21.5, 101.5, 7)
    cells = pd.DataFrame({"cell": h3.grid_disk(centre, 2), "count": range(19)})
    raw = gi_star(cells, fdr=False)
    assert raw["p_adjusted"].tolist() == raw["p_value"].tolist()
    adjusted = gi_star(cells)
    assert (adjusted["p_adjusted"] >= adjusted["p_value"] - 1e-15).all()


def test_binomial_tail_matches_a_direct_sum():
    total, n = 30, 50
    local_sum = np.array([0.0, 2.0, 5.0, 9.0, 14.0])
    weights = np.array([7.0, 7.0, 4.0, 7.0, 3.0])

    def upper(count, size):
        share = size / n
        return sum(
            math.comb(total, k) * share**k * (1 - share) ** (total - k)
            for k in range(int(count), total + 1)
        )

    def lower(count, size):
        return 1.0 - upper(count + 1, size)

    greater = getis_ord._binomial_p(local_sum, weights, total, n, "greater")
    less = getis_ord._binomial_p(local_sum, weights, total, n, "less")
    both = getis_ord._binomial_p(local_sum, weights, total, n, "two-sided")
    for position, (count, size) in enumerate(zip(local_sum, weights, strict=True)):
        assert greater[position] == pytest.approx(upper(count, size), rel=1e-9, abs=1e-15)
        assert less[position] == pytest.approx(lower(count, size), rel=1e-9, abs=1e-15)
        expected = min(1.0, 2 * min(upper(count, size), lower(count, size)))
        assert both[position] == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_gi_star_counts_method_is_never_less_conservative_than_normal():
    rng = np.random.default_rng(4)
    centre = h3.latlng_to_cell(21.5, 101.5, 7)
    cells = h3.grid_disk(centre, 5)
    frame = pd.DataFrame({"cell": cells, "count": rng.poisson(0.3, len(cells))})
    normal = gi_star(frame, fdr=False)
    counts = gi_star(frame, fdr=False, method="counts")
    assert counts["gi_z"].tolist() == normal["gi_z"].tolist()
    assert (counts["p_value"] >= normal["p_value"]).all()
    with pytest.raises(ValueError, match="whole-number"):
        gi_star(frame.assign(count=frame["count"] + 0.5), method="counts")


def test_gi_star_study_area_keeps_empty_cells_inside_only():
    centre = h3.latlng_to_cell(21.5, 101.5, 7)
    frame = pd.DataFrame({"cell": [centre], "count": [3]})
    north_only = gi_star(frame, study_area=lambda lat, lon: lat > 21.5)
    padding = north_only[north_only["padding"]]
    assert 0 < len(padding) < 6
    assert (padding["lat"] > 21.5).all()


def test_gi_star_equal_values_are_not_significant():
    centre = h3.latlng_to_cell(21.5, 101.5, 7)
    flat = gi_star(pd.DataFrame({"cell": [centre], "count": [0]}))
    assert (flat["gi_z"] == 0).all()
    assert (flat["confidence"] == 0).all()


def test_gi_star_rejects_bad_input():
    centre = h3.latlng_to_cell(21.5, 101.5, 7)
    with pytest.raises(ValueError, match="repeated"):
        gi_star(pd.DataFrame({"cell": [centre, centre], "count": [1, 2]}))
    with pytest.raises(ValueError, match="not an H3 cell"):
        gi_star(pd.DataFrame({"cell": ["nonsense"], "count": [1]}))
    with pytest.raises(ValueError, match="missing"):
        gi_star(pd.DataFrame({"cell": [centre], "count": [np.nan]}))
    with pytest.raises(ValueError, match="lacks"):
        gi_star(pd.DataFrame({"cell": [centre]}), value="quantity")
    with pytest.raises(ValueError, match="k_ring"):
        gi_star(pd.DataFrame({"cell": [centre], "count": [1]}), k_ring=0)
    parent = h3.cell_to_parent(centre, 6)
    with pytest.raises(ValueError, match="resolutions"):
        gi_star(pd.DataFrame({"cell": [centre, parent], "count": [1, 1]}))


def test_gi_star_on_no_cells_returns_the_columns():
    result = gi_star(pd.DataFrame({"cell": pd.Series([], dtype=object), "count": []}))
    assert result.empty
    assert {"gi_z", "p_value", "p_adjusted", "confidence", "hotspot_class"} <= set(result)


def test_grid_hotspots_is_gi_star_of_hex_counts():
    records = pd.concat([background_records(30, 300), boten_cluster(31, 80)], ignore_index=True)
    layer = hotspots.grid_hotspots(records, resolution=7)
    expected = gi_star(hex_counts(records, resolution=7), method="counts")
    pd.testing.assert_frame_equal(layer, expected)
    boten_cell = h3.latlng_to_cell(*_boten(), 7)
    assert layer.set_index("cell").at[boten_cell, "hotspot_class"] == "hot 99%"


# --- border_hotspots ----------------------------------------------------------------------


def test_planted_cluster_at_boten_is_ranked_first():
    records = pd.concat([background_records(11), boten_cluster(12)], ignore_index=True)
    ranked = border_hotspots(records, "LA-CN")
    assert list(ranked.columns) == list(hotspots.BORDER_HOTSPOT_COLUMNS)
    first = ranked.iloc[0]
    assert first["rank"] == 1
    assert ("Boten" in first["place"]) or ("Mohan" in first["place"])
    boten_lat, boten_lon = _boten()
    assert _distance_to_line_km(np.array([first["lat"]]), np.array([first["lon"]]))[0] < 5
    assert abs(first["lat"] - boten_lat) < 0.03
    assert abs(first["lon"] - boten_lon) < 0.03
    assert 190 <= first["count"] <= 260
    assert first["confidence"] == 99
    assert first["p_value"] < 0.01
    assert first["place_a"] == "Mohan (CN)"
    assert first["place_b"] == "Boten (LA)"
    assert len(first["top_taxa"]) <= 5
    assert first["top_taxa"][0][1] >= first["top_taxa"][-1][1]
    assert set(first["quantity_by_unit"]) == {"kg", "pieces"}
    assert all(len(cell) == 15 for cell in first["cells"])
    assert 0 <= first["border_distance_km"] <= 5
    assert ranked["count"].is_monotonic_decreasing


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pure_background_has_no_hot_spot_after_fdr(seed):
    ranked = border_hotspots(background_records(seed), "CN-LA", confidence=95)
    assert ranked.empty
    assert list(ranked.columns) == list(hotspots.BORDER_HOTSPOT_COLUMNS)


def test_planted_cluster_is_found_with_the_study_area_trimmed():
    records = pd.concat([background_records(21), boten_cluster(22)], ignore_index=True)
    ranked = border_hotspots(records, "CN-LA", nearest_border=_cn_la_locator)
    assert "Boten" in ranked.iloc[0]["place"]
    assert border_hotspots(background_records(3), "CN-LA", nearest_border=_cn_la_locator).empty


def test_border_hotspots_sums_quantities_per_unit_only():
    rng = np.random.default_rng(5)
    cluster = boten_cluster(6, count=60, radius_km=2.0)
    cluster["unit"] = ["kg", "pieces"] * 30
    cluster["quantity"] = [2.0, 1000.0] * 30
    records = pd.concat([background_records(7, 300), cluster], ignore_index=True)
    records.loc[records.index[:300], "quantity"] = rng.uniform(1, 2, 300)
    first = border_hotspots(records, "CN-LA").iloc[0]
    in_cluster = records[records["h3_r7"].isin(first["cells"])]
    assert first["count"] == len(in_cluster)
    expected = in_cluster.groupby("unit")["quantity"].sum().to_dict()
    assert first["quantity_by_unit"] == pytest.approx(expected)
    by_kg = border_hotspots(records, "CN-LA", unit="kg").iloc[0]
    kg_cluster = records[records["h3_r7"].isin(by_kg["cells"]) & (records["unit"] == "kg")]
    assert by_kg["quantity_by_unit"]["kg"] == pytest.approx(kg_cluster["quantity"].sum())
    assert by_kg["place"] == "Boten–Mohan crossing (CN–LA)"


def test_border_hotspots_ignores_country_centroids_and_other_pairs():
    background = background_records(8)
    centroid = boten_cluster(9)
    centroid["coord_precision"] = "country"
    elsewhere = boten_cluster(10)
    elsewhere["border_pair"] = "CN-VN"
    far = boten_cluster(13)
    far["border_distance_km"] = 80.0
    records = pd.concat([background, centroid, elsewhere, far], ignore_index=True)
    assert border_hotspots(records, "CN-LA").empty
    with_centroids = border_hotspots(records, "CN-LA", include_centroids=True)
    assert with_centroids.iloc[0]["count"] >= 200
    assert not border_hotspots(records, "CN-LA", max_km=100).empty


def test_border_hotspots_rejects_bad_arguments():
    records = background_records(0, 50)
    with pytest.raises(ValueError, match="pair"):
        border_hotspots(records, "CN")
    with pytest.raises(ValueError, match="pair"):
        border_hotspots(records, "CN-CN")
    with pytest.raises(ValueError, match="confidence"):
        border_hotspots(records, "CN-LA", confidence=80)
    with pytest.raises(ValueError, match="max_km"):
        border_hotspots(records, "CN-LA", max_km=0)
    with pytest.raises(ValueError, match="lacks"):
        border_hotspots(records.drop(columns="border_pair"), "CN-LA")
    assert border_hotspots(records.iloc[:0], "CN-LA").empty


# --- cell tallies: the core the store's GROUP BY feeds ------------------------------------


def test_a_tally_counts_as_its_records_do():
    rng = np.random.default_rng(14)
    records = pd.concat([background_records(15, 300), boten_cluster(16, 80)], ignore_index=True)
    records.loc[records.index[:40], "unit"] = None
    records.loc[records.index[40:60], "taxon"] = None
    tally = hotspots.tally_cells(records, 7)
    assert list(tally.columns) == list(hotspots.TALLY_COLUMNS)
    assert tally["weight"].sum() == len(records)
    assert len(tally) == len(tally.drop_duplicates(["cell", "taxon", "unit"]))
    for unit in (None, "kg"):
        pd.testing.assert_frame_equal(
            hotspots.hex_counts_from_tally(tally, unit), hex_counts(records, 7, unit)
        )
    # Any split of the same records into groups gives the same counts.
    shuffled = tally.sample(frac=1.0, random_state=int(rng.integers(1000)))
    first = shuffled["weight"] // 2
    share = first / shuffled["weight"]
    halves = pd.concat(
        [
            shuffled.assign(weight=first, quantity=shuffled["quantity"] * share),
            shuffled.assign(
                weight=shuffled["weight"] - first, quantity=shuffled["quantity"] * (1 - share)
            ),
        ],
        ignore_index=True,
    )
    halves = halves[halves["weight"] > 0]
    pd.testing.assert_frame_equal(
        hotspots.hex_counts_from_tally(halves, "pieces"),
        hex_counts(records, 7, "pieces"),
        rtol=1e-12,
    )


def test_grid_and_border_hot_spots_from_a_tally_equal_those_from_records():
    records = pd.concat([background_records(17), boten_cluster(18)], ignore_index=True)
    counts = hotspots.hex_counts_from_tally(hotspots.tally_cells(records, 7))
    pd.testing.assert_frame_equal(
        hotspots.grid_hotspots_from_counts(counts), hotspots.grid_hotspots(records, resolution=7)
    )
    expected = border_hotspots(records, "CN-LA")
    tally = hotspots.tally_cells(records, 7)
    without = hotspots.border_hotspots_from_tally(tally, "CN-LA")
    assert without["border_distance_km"].isna().all()
    pd.testing.assert_frame_equal(
        without.drop(columns="border_distance_km"),
        expected.drop(columns="border_distance_km"),
        rtol=1e-12,
    )
    with pytest.raises(ValueError, match="confidence"):
        hotspots.border_hotspots_from_tally(tally, "CN-LA", confidence=80)
    with pytest.raises(ValueError, match="lacks"):
        hotspots.border_hotspots_from_tally(tally.drop(columns="weight"), "CN-LA")
    assert hotspots.border_hotspots_from_tally(tally.iloc[:0], "CN-LA").empty


def test_rolling_a_tally_up_keeps_weights_and_units_apart():
    records = background_records(20, 500)
    records.loc[records.index[:30], "quantity"] = np.nan
    fine = hotspots.tally_cells(records, 7)
    coarse = hotspots.roll_up_tally(fine, 5)
    assert {h3.get_resolution(cell) for cell in coarse["cell"]} == {5}
    assert coarse["weight"].sum() == len(records)
    parents = records["h3_r7"].map(lambda cell: h3.cell_to_parent(cell, 5))
    expected = records.assign(cell=parents).groupby(["cell", "unit"])["quantity"].sum()
    got = coarse.groupby(["cell", "unit"])["quantity"].sum()
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)
    with pytest.raises(ValueError, match="coarser"):
        hotspots.roll_up_tally(coarse, 6)
    mixed = pd.concat([fine, coarse], ignore_index=True)
    with pytest.raises(ValueError, match="resolutions"):
        hotspots.hex_counts_from_tally(mixed)
