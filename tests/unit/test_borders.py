"""Land borders: shared lines of neighbouring polygons, keyed by an alphabetical pair."""

import geopandas
import pytest
import shapely

from geo.spatial import borders
from geo.spatial.borders import (
    BORDER_COLUMNS,
    border_between,
    borders_file,
    compute_land_borders,
    land_borders,
    pair_key,
)


@pytest.fixture(scope="module")
def world_borders():
    """The shipped 1:10m land borders, CRS EPSG:4326."""
    frame = land_borders()
    assert frame.crs == "EPSG:4326"
    return frame


@pytest.fixture
def two_squares():
    """Two 1-degree squares sharing the meridian 0 from the equator to 1°N, EPSG:4326."""
    return geopandas.GeoDataFrame(
        {"iso2": ["TH", "LA"]},
        geometry=[shapely.box(-1, 0, 0, 1), shapely.box(0, 0, 1, 1)],
        crs="EPSG:4326",
    )


def _length(world_borders, pair):
    return world_borders.set_index("pair").loc[pair, "length_km"]


def test_columns(world_borders):
    assert tuple(world_borders.columns) == BORDER_COLUMNS
    assert world_borders["pair"].is_unique


def test_china_lao_length(world_borders):
    assert _length(world_borders, "CN-LA") == pytest.approx(364, rel=0.05)


def test_china_viet_nam_length(world_borders):
    assert _length(world_borders, "CN-VN") == pytest.approx(1050, rel=0.05)


def test_borders_are_lines(world_borders):
    assert set(world_borders.geom_type) == {"MultiLineString"}
    assert (world_borders["length_km"] > 0).all()


def test_pairs_are_two_different_countries_in_order(world_borders):
    assert (world_borders["country_a"] < world_borders["country_b"]).all()
    expected = world_borders["country_a"] + "-" + world_borders["country_b"]
    assert (world_borders["pair"] == expected).all()


def test_hong_kong_and_macao_have_borders_with_china(world_borders):
    assert _length(world_borders, "CN-HK") == pytest.approx(18, abs=5)
    # Macao's border collapses to points at 1:10m; the overlap gives a short line.
    assert 0 < _length(world_borders, "CN-MO") < 5


def test_no_border_inside_merged_units(world_borders):
    # Somaliland and N. Cyprus are merged into SO and CY: no line of a country with itself,
    # and SO keeps its land borders with Djibouti and Ethiopia.
    assert {"DJ-SO", "ET-SO", "CY-GB"} <= set(world_borders["pair"])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("LA", "CN", "CN-LA"), ("CN", "LA", "CN-LA"), ("vn", "cn", "CN-VN"), (" HK", "CN", "CN-HK")],
)
def test_pair_key(a, b, expected):
    assert pair_key(a, b) == expected


@pytest.mark.parametrize(("a", "b"), [("CN", "CN"), ("CN", "CHN"), ("CN", None), ("C1", "LA")])
def test_pair_key_refuses_bad_codes(a, b):
    with pytest.raises(ValueError):
        pair_key(a, b)


def test_border_between_either_order():
    line = border_between("LA", "CN")
    assert line is not None
    assert line.equals(border_between("CN", "LA"))
    assert border_between("CN", "AU") is None


def test_compute_on_synthetic_squares(two_squares):
    result = compute_land_borders(two_squares)
    assert result["pair"].tolist() == ["LA-TH"]
    assert result.geometry.iloc[0].equals(shapely.MultiLineString([[(0, 0), (0, 1)]]))
    assert result["length_km"].iloc[0] == pytest.approx(110.57, rel=0.001)


def test_compute_needs_wgs84(two_squares):
    with pytest.raises(ValueError, match="EPSG:4326"):
        compute_land_borders(two_squares.set_crs(3857, allow_override=True))


def test_shipped_file_matches_the_boundary_file():
    # Fails when countries-10m.json or the derivation changed without a rebuild:
    # python data/build/boundaries.py
    assert borders._is_current(borders_file("10m"), "10m")


def test_stale_file_is_rebuilt_in_the_cache(tmp_path, monkeypatch):
    stale = tmp_path / "borders-10m.parquet"
    stale.write_bytes(b"not parquet")
    cache = tmp_path / "cache" / "borders.parquet"
    monkeypatch.setattr(borders, "borders_file", lambda resolution: stale)
    monkeypatch.setattr(borders, "_cache_file", lambda resolution: cache)
    borders._land_borders.cache_clear()
    try:
        rebuilt = borders._land_borders("10m")
        assert cache.exists()
        assert borders._is_current(cache, "10m")
        assert "CN-LA" in set(rebuilt["pair"])
    finally:
        borders._land_borders.cache_clear()


def test_shipped_file_matches_a_fresh_computation(world_borders):
    # Fails when the unit rules in geo/spatial/boundaries.py changed without a rebuild.
    fresh = compute_land_borders(borders.load_boundaries("10m"))
    assert fresh["pair"].tolist() == world_borders["pair"].tolist()
    assert fresh["length_km"].to_numpy() == pytest.approx(world_borders["length_km"].to_numpy())
