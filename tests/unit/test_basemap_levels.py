"""The basemap's simplified countries: shipped ready, the same as computing them, never stale."""

from __future__ import annotations

import shutil

import numpy as np
import pyarrow.parquet as parquet
import pytest
import shapely

from geo.report import basemap_levels
from geo.report.basemap_levels import (
    LEVELS_FILE,
    SIMPLIFY_KM_LEVELS,
    compute_level,
    level,
    levels_file_is_current,
    write_levels_file,
)


@pytest.fixture
def fresh_cache():
    basemap_levels._level.cache_clear()
    basemap_levels._shipped_levels.cache_clear()
    yield
    basemap_levels._level.cache_clear()
    basemap_levels._shipped_levels.cache_clear()


def test_the_shipped_file_matches_todays_boundaries_and_method():
    # Fails after a change to the boundary file or the simplification until
    # `python data/build/basemap_levels.py` is run again.
    assert levels_file_is_current(LEVELS_FILE)
    levels = set(parquet.read_table(LEVELS_FILE, columns=["level_km"])["level_km"].to_pylist())
    assert levels == set(SIMPLIFY_KM_LEVELS)


@pytest.mark.parametrize("km", [2.0, 40.0])
def test_shipped_outlines_are_the_computed_ones(fresh_cache, km):
    codes, geometries, features = level("50m", km)
    computed_codes, computed = compute_level("50m", km)
    assert list(codes) == list(computed_codes)
    assert all(shapely.equals_exact(geometries, computed, tolerance=0))
    # the features sent to the browser are those geometries, country by country
    assert [feature["properties"]["iso2"] for feature in features] == list(codes)
    china = features[list(codes).index("CN")]["geometry"]
    assert shapely.equals_exact(
        shapely.geometry.shape(china), geometries[list(codes).index("CN")], 1e-9
    )


def test_a_file_built_from_another_boundary_file_is_ignored(fresh_cache, tmp_path, monkeypatch):
    stale = tmp_path / "basemap-50m.parquet"
    shutil.copy(LEVELS_FILE, stale)
    table = parquet.read_table(stale)
    metadata = dict(table.schema.metadata)
    metadata[b"seizures.boundary_sha256"] = b"0" * 64
    # and its outlines are wrong: every country a point
    wrong = table.set_column(2, "geometry", [[shapely.to_wkb(shapely.Point(0, 0))] * len(table)])
    parquet.write_table(wrong.replace_schema_metadata(metadata), stale)
    monkeypatch.setattr(basemap_levels, "LEVELS_FILE", stale)
    assert not levels_file_is_current(stale)
    _, geometries, _ = level("50m", 40.0)
    assert (shapely.get_type_id(geometries) >= 3).all()  # polygons, computed afresh


def test_rebuilding_gives_the_same_bytes(tmp_path):
    rebuilt = tmp_path / "basemap-50m.parquet"
    write_levels_file(rebuilt)
    assert rebuilt.read_bytes() == LEVELS_FILE.read_bytes()


def test_a_coarse_level_drops_specks_but_keeps_every_country(fresh_cache):
    fine_codes, _, _ = level("50m", 2.0)
    coarse_codes, coarse, _ = level("50m", 40.0)
    assert set(coarse_codes) == set(fine_codes)
    parts = lambda geoms: int(np.sum(shapely.get_num_geometries(geoms)))  # noqa: E731
    assert parts(coarse) < parts(level("50m", 2.0)[1])
