"""Country polygons: one valid unit per ISO code, HK/MO/TW/SG on their own."""

import numpy as np
import pytest
import shapely

from geo.reference.countries import is_country_code, load_countries
from geo.spatial.boundaries import WGS84, boundary_file, load_boundaries


@pytest.fixture(scope="module")
def boundaries():
    """The shipped 1:10m boundaries, CRS EPSG:4326."""
    frame = load_boundaries("10m")
    assert frame.crs == WGS84
    return frame


def _country_at(boundaries, lat, lon):
    inside = boundaries[boundaries.contains(shapely.Point(lon, lat))]
    return inside["iso2"].tolist()


def test_columns_and_one_row_per_code(boundaries):
    assert list(boundaries.columns) == ["iso2", "iso3", "name", "geometry"]
    assert boundaries["iso2"].is_unique
    assert boundaries["iso2"].is_monotonic_increasing


@pytest.mark.parametrize("code", ["HK", "MO", "TW", "SG", "LA", "CN", "VN", "MM", "TH", "XK"])
def test_separate_units(boundaries, code):
    assert (boundaries["iso2"] == code).sum() == 1


def test_codes_and_names_come_from_the_country_table(boundaries):
    countries = load_countries().set_index("iso2")
    assert all(is_country_code(code) for code in boundaries["iso2"])
    assert (boundaries["iso3"].to_numpy() == countries.loc[boundaries["iso2"], "iso3"]).all()
    assert boundaries.set_index("iso2").loc["LA", "name"] == "Lao PDR"


def test_geometries_are_valid_polygons(boundaries):
    assert boundaries.is_valid.all()
    assert set(boundaries.geom_type) <= {"Polygon", "MultiPolygon"}
    assert not boundaries.is_empty.any()


def _widest_part(frame):
    """Longitude span of the widest polygon part, Antarctica (round the pole) aside."""
    parts = shapely.get_parts(frame.loc[frame["iso2"] != "AQ"].geometry.to_numpy())
    return np.ptp(shapely.bounds(parts)[:, [0, 2]], axis=1).max()


def test_parts_do_not_wrap_across_the_antimeridian(boundaries):
    assert _widest_part(boundaries) < 180
    antarctica = boundaries.set_index("iso2").geometry["AQ"]
    assert antarctica.bounds[1] == -90  # closed along the pole, not across the map
    assert antarctica.contains(shapely.Point(0, -89.5))


@pytest.mark.parametrize(
    ("place", "lat", "lon", "code"),
    [
        ("Tai Mo Shan, Hong Kong", 22.410, 114.120, "HK"),
        ("Macao peninsula", 22.195, 113.545, "MO"),
        ("Taipei", 25.033, 121.565, "TW"),
        ("Singapore", 1.352, 103.820, "SG"),
        ("Hargeisa (Somaliland, merged into SO)", 9.560, 44.065, "SO"),
        ("Lefkoniko (N. Cyprus, merged into CY)", 35.250, 33.700, "CY"),
        ("Pristina", 42.663, 21.166, "XK"),
        ("Cayenne (split from FR)", 4.922, -52.313, "GF"),
        ("Saint-Denis, Réunion (split from FR)", -20.882, 55.450, "RE"),
        ("Spitsbergen (split from NO)", 78.500, 17.000, "SJ"),
        ("Christmas Island (split from Indian Ocean Ter.)", -10.490, 105.620, "CX"),
        ("Suva", -18.141, 178.442, "FJ"),
        ("Chukotka, west of 180", 66.000, 172.000, "RU"),
        ("Chukotka, east of 180", 65.800, -173.500, "RU"),
        ("Vatican City (VA left out)", 41.903, 12.453, "IT"),
        ("Paris", 48.857, 2.352, "FR"),
    ],
)
def test_known_places(boundaries, place, lat, lon, code):
    assert _country_at(boundaries, lat, lon) == [code], place


def test_returns_a_copy():
    first = load_boundaries()
    first.loc[first.index[0], "iso2"] = "ZZ"
    assert load_boundaries()["iso2"].iloc[0] != "ZZ"


def test_lighter_basemap_file():
    frame = load_boundaries("50m")
    assert frame.crs == WGS84
    assert frame.is_valid.all()
    assert {"HK", "MO", "TW", "SG", "CN", "LA"} <= set(frame["iso2"])
    assert _widest_part(frame) < 180


def test_unknown_resolution_is_refused():
    with pytest.raises(ValueError, match="110m"):
        boundary_file("110m")
