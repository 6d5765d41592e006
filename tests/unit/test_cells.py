"""The store's cell aggregates give maps and hot spots what the records gave, on every engine.

Maps and hot spots now read H3 cell tallies, the located extent and capped points from SQL
(geo.store.cells) instead of a query's records.  On the shipped synthetic sample, each of
these equals what the record-level functions compute from ``store.select``, and the hot
spots ranked from the tally equal those ranked from the records, exactly (quantities to
floating-point rounding).
"""

from __future__ import annotations

import datetime as dt
import uuid

import h3
import numpy as np
import pandas as pd
import pytest

from geo.analysis import cell_hotspots
from geo.report import views
from geo.spatial import hotspots
from geo.spatial.enrich import nearest_borders
from geo.store import cells
from geo.store.migrate import migrate_store
from geo.store.query import Query
from geo.store.store import Store
from geo.store.tables import seizures

QUERIES = {
    "everything": Query(),
    "CN-LA border": Query(pair="CN-LA"),
    "CN-VN mammals": Query(pair="CN-VN", taxon_groups=("mammals",)),
    "2021-2022 by air": Query(
        date_from=dt.date(2021, 1, 1), date_to=dt.date(2022, 12, 31), transport_modes=("air",)
    ),
}
RECORD_COLUMNS = [
    "record_id", "seizure_date", "lat", "lon", "coord_precision", "taxon", "taxon_group",
    "quantity", "unit", "border_pair", "border_distance_km",
    *(f"h3_r{resolution}" for resolution in cells.STORED_RESOLUTIONS),
]  # fmt: skip


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def store(request, sample_store_file):
    """The synthetic sample on each engine (read only): the DuckDB file, or a copy in PostgreSQL."""
    if request.param == "duckdb":
        yield Store(str(sample_store_file))
        return
    server = request.getfixturevalue("postgres_server")
    name = f"seizures_cells_{uuid.uuid4().hex[:12]}"
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = server.url.set(database=name).render_as_string(hide_password=False)
    try:
        migrate_store(str(sample_store_file), url)
        opened = Store(url)
        yield opened
        opened.close()
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _records(store: Store, query: Query) -> pd.DataFrame:
    return store.select(query, columns=RECORD_COLUMNS)


def _sorted(tally: pd.DataFrame) -> pd.DataFrame:
    """A tally in a fixed row order with plain object text, for comparing."""
    frame = tally.astype({"cell": object, "taxon": object, "unit": object})
    frame = frame.assign(_taxon=frame["taxon"].fillna(""), _unit=frame["unit"].fillna(""))
    frame = frame.sort_values(["cell", "_taxon", "_unit"]).drop(columns=["_taxon", "_unit"])
    return frame.reset_index(drop=True)


def _located(records: pd.DataFrame) -> pd.DataFrame:
    lat, lon = records["lat"].astype(float), records["lon"].astype(float)
    return records[(lat.abs() <= 90) & (lon.abs() <= 180)]


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize("resolution", [3, 6, 7, 8])
def test_cell_tally_is_the_tally_of_the_records(store, name, resolution):
    query = QUERIES[name]
    got = cells.cell_tally(store, query, resolution)
    expected = hotspots.tally_cells(_records(store, query), resolution)
    assert len(got) and list(got.columns) == list(hotspots.TALLY_COLUMNS)
    pd.testing.assert_frame_equal(_sorted(got), _sorted(expected), check_dtype=False, rtol=1e-12)


def test_map_tally_counts_every_located_record_centroids_included(store):
    query = Query(pair="CN-LA")
    got = cells.cell_tally(store, query, 6, include_centroids=True, located_only=True)
    expected = hotspots.tally_cells(_located(_records(store, query)), 6, include_centroids=True)
    pd.testing.assert_frame_equal(_sorted(got), _sorted(expected), check_dtype=False, rtol=1e-12)
    assert got["weight"].sum() == len(_located(_records(store, query)))


def test_a_tally_without_units_counts_cells_and_taxa_only(store):
    query = QUERIES["2021-2022 by air"]
    lean = cells.cell_tally(store, query, 6, units=False)
    assert lean["unit"].isna().all() and lean["quantity"].isna().all()
    full = cells.cell_tally(store, query, 6)
    by_taxon = full.fillna({"taxon": ""}).groupby(["cell", "taxon"])["weight"].sum()
    got = lean.fillna({"taxon": ""}).set_index(["cell", "taxon"])["weight"]
    pd.testing.assert_series_equal(got.sort_index(), by_taxon.sort_index(), check_dtype=False)
    records = _records(store, query)
    pd.testing.assert_frame_equal(
        cell_hotspots.cell_counts(store, query, 6, unit="kg"),
        hotspots.hex_counts(records, 6, "kg"),
        check_dtype=False,
        rtol=1e-12,
    )


def test_world_resolutions_roll_up_from_h3_r3(store):
    coarse = cells.cell_tally(store, Query(), 2)
    fine = cells.cell_tally(store, Query(), 3)
    assert {h3.get_resolution(cell) for cell in coarse["cell"]} == {2}
    assert coarse["weight"].sum() == fine["weight"].sum()
    expected = hotspots.roll_up_tally(fine, 2)
    pd.testing.assert_frame_equal(_sorted(coarse), _sorted(expected), check_dtype=False)
    assert {h3.get_resolution(cell) for cell in cells.cell_tally(store, Query(), 0)["cell"]} == {0}


def test_located_extent_counts_and_boxes_the_records(store):
    for query in QUERIES.values():
        records = _records(store, query)
        located = _located(records)
        extent = cells.located_extent(store, query)
        assert extent.total == len(records)
        assert extent.located == len(located)
        assert extent.bounds == pytest.approx(
            (located["lon"].min(), located["lat"].min(), located["lon"].max(), located["lat"].max())
        )
    nothing = cells.located_extent(store, Query(taxa=("Panthera tigris",), pair="BR-CN"))
    assert (nothing.total, nothing.located, nothing.bounds) == (0, 0, None)


def test_map_points_are_the_newest_located_records_with_only_their_columns(store):
    query = Query(pair="CN-LA")
    points = cells.map_points(store, query, 50)
    assert list(points.columns) == list(cells.POINT_COLUMNS)
    newest = store.select(query, columns=["record_id", *cells.POINT_COLUMNS], limit=50)
    pd.testing.assert_frame_equal(
        points.astype(object), newest.drop(columns="record_id").astype(object), check_dtype=False
    )
    assert len(cells.map_points(store, Query(), 7)) == 7
    with pytest.raises(ValueError, match="limit"):
        cells.map_points(store, query, -1)


def test_cluster_medians_are_the_median_border_distances(store):
    query = Query(pair="CN-VN")
    records = _records(store, query)
    records = records[~records["coord_precision"].isin(hotspots.CENTROID_PRECISIONS)]
    chosen = records["h3_r7"].dropna().unique()[:12]
    cluster_of_cell = {cell: number % 3 for number, cell in enumerate(chosen)}
    clusters = records["h3_r7"].map(cluster_of_cell)
    expected = records["border_distance_km"].groupby(clusters).median()
    got = cells.cluster_median_distances(store, query, 7, cluster_of_cell)
    assert got == {int(cluster): float(value) for cluster, value in expected.items()}
    assert cells.cluster_median_distances(store, query, 7, {}) == {}


def test_tallies_leave_out_country_centroids_unless_asked(engine_url):
    """Four seizures in one cell, two placed at a country centroid; three not on any map."""
    store = Store(engine_url)
    lat, lon = 21.18, 101.67
    rows = pd.DataFrame(
        {
            "record_id": ["A", "B", "C", "D", "E", "F", "G"],
            "lat": [lat, lat, lat, lat, None, 95.0, 10.0],
            "lon": [lon, lon, lon, lon, None, 10.0, None],
            "coord_precision": ["exact", "country", "none", None, "none", "exact", "exact"],
            "taxon": ["Manis javanica", "Manis javanica", None, "Elephas maximus", "X", "Y", "Z"],
            "unit": ["kg", "kg", "pieces", None, "kg", "kg", "kg"],
            "quantity": [2.5, 1.0, 3.0, None, 9.0, 1.0, 1.0],
            "border_pair": "CN-LA",
            "border_distance_km": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            "content_hash": [1, 2, 3, 4, 5, 6, 7],
            **{
                f"h3_r{res}": [h3.latlng_to_cell(lat, lon, res)] * 4 + [None] * 3
                for res in cells.STORED_RESOLUTIONS
            },
        }
    )
    with store.transaction() as connection:
        store.insert_frame(connection, seizures, rows)
    cell = h3.latlng_to_cell(lat, lon, 7)
    study = cells.cell_tally(store, Query(pair="CN-LA"), 7)
    assert study["weight"].sum() == 2 and set(study["cell"]) == {cell}
    everything = cells.cell_tally(store, Query(), 7, include_centroids=True)
    assert everything["weight"].sum() == 4
    kg = everything[everything["unit"] == "kg"]
    assert kg["weight"].sum() == 2 and kg["quantity"].sum() == pytest.approx(3.5)
    assert everything.loc[everything["unit"].isna(), "quantity"].isna().all()
    extent = cells.located_extent(store, Query())
    assert (extent.total, extent.located, extent.bounds) == (7, 4, (lon, lat, lon, lat))
    only_good = cells.located_extent(store, Query(taxa=("Manis javanica",)))
    assert (only_good.total, only_good.located) == (2, 2)
    assert cells.cluster_median_distances(store, Query(), 7, {cell: 0}) == {0: 2.5}
    assert len(cells.map_points(store, Query(), 10)) == 4
    store.close()


def test_resolutions_the_store_does_not_keep_are_refused(store):
    for resolution in (9, -1, 2.5):
        with pytest.raises(ValueError, match="resolution"):
            cells.cell_tally(store, Query(), resolution)


@pytest.mark.parametrize(
    "query",
    [Query(pair="CN-LA"), Query(pair="CN-VN"), Query(pair="CN-LA", taxon_groups=("mammals",))],
    ids=str,
)
@pytest.mark.parametrize("resolution", [6, 7])
@pytest.mark.parametrize("confidence", [95, 99])
def test_ranked_hot_spots_equal_those_ranked_from_the_records(store, query, resolution, confidence):
    expected = hotspots.border_hotspots(
        _records(store, query),
        query.pair,
        query.border_km,
        resolution,
        confidence,
        nearest_border=nearest_borders,
    )
    got = views.hotspot_ranking(store, query, resolution, confidence).ranking
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-12)
    exact = ["rank", "count", "cells", "gi_z", "p_value", "border_distance_km", "place"]
    assert got[exact].equals(expected[exact])


def test_ranked_hot_spots_find_boten_in_the_sample(store):
    ranked = views.hotspot_ranking(store, Query(pair="CN-LA")).ranking
    assert "Boten" in ranked.iloc[0]["place"] or "Mohan" in ranked.iloc[0]["place"]
    by_kg = cell_hotspots.ranked_border_hotspots(store, Query(pair="CN-LA"), 7, 95, unit="kg")
    records = _records(store, Query(pair="CN-LA"))
    expected = hotspots.border_hotspots(
        records, "CN-LA", 50.0, 7, 95, unit="kg", nearest_border=nearest_borders
    )
    pd.testing.assert_frame_equal(by_kg, expected, check_dtype=False, rtol=1e-9)
    with pytest.raises(ValueError, match="pair"):
        views.hotspot_ranking(store, Query())


@pytest.mark.parametrize("name", QUERIES)
def test_map_cells_and_gi_equal_those_of_the_records(store, name):
    query = QUERIES[name]
    records = _records(store, query)
    counts = cell_hotspots.cell_counts(store, query, 6)
    pd.testing.assert_frame_equal(
        counts, hotspots.hex_counts(records, 6), check_dtype=False, rtol=1e-12
    )
    gi = cell_hotspots.grid_hotspot_cells(store, query, 6)
    expected = hotspots.grid_hotspots(records, 6)
    pd.testing.assert_frame_equal(gi, expected, check_dtype=False)
    assert np.array_equal(gi["gi_bin"].to_numpy(), expected["gi_bin"].to_numpy())
