"""Tests for geo.ingest.coordinates: WGS84 latitude and longitude read from agency text."""

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geo.ingest.coordinates import parse_coordinate, parse_coordinates


@pytest.mark.parametrize(
    ("text", "axis", "expected"),
    [
        ("21.18", "lat", 21.18),
        ("21,18", "lat", 21.18),
        ("-3,45", "lat", -3.45),
        (" +21.18 ", "lat", 21.18),
        (".5", "lat", 0.5),
        ("21.18°", "lat", 21.18),
        ("21°11'N", "lat", 21 + 11 / 60),
        ("21°11'30\"N", "lat", 21 + 11 / 60 + 30 / 3600),
        ("21º11′30″N", "lat", 21 + 11 / 60 + 30 / 3600),
        ("21˚11’30”N", "lat", 21 + 11 / 60 + 30 / 3600),
        ("21°11'30''N", "lat", 21 + 11 / 60 + 30 / 3600),
        ("N 21°11.5'", "lat", 21 + 11.5 / 60),
        ("N21°11,5'", "lat", 21 + 11.5 / 60),
        ("21 11 30 N", "lat", 21 + 11 / 60 + 30 / 3600),
        ("21d11m30s", "lat", 21 + 11 / 60 + 30 / 3600),
        ("21d11m30sS", "lat", -(21 + 11 / 60 + 30 / 3600)),
        ("21 11 30 s", "lat", -(21 + 11 / 60 + 30 / 3600)),
        ("S 3° 27' 12\"", "lat", -(3 + 27 / 60 + 12 / 3600)),
        ("3°27'12\" S", "lat", -(3 + 27 / 60 + 12 / 3600)),
        ("-3°27'12\" S", "lat", -(3 + 27 / 60 + 12 / 3600)),  # minus and S: still south
        ("3.5 Sur", "lat", -3.5),
        ("sud 3.5", "lat", -3.5),
        ("101°41'E", "lon", 101 + 41 / 60),
        ("101°41'", "lon", 101 + 41 / 60),
        ("60°W", "lon", -60.0),
        ("60 O", "lon", -60.0),
        ("Oeste 60", "lon", -60.0),
        ("60 ouest", "lon", -60.0),
        ("45 L", "lon", 45.0),
        ("45 leste", "lon", 45.0),
        ("−60.5", "lon", -60.5),
        ("-180", "lon", -180.0),
        ("90", "lat", 90.0),
    ],
)
def test_parse_coordinate(text, axis, expected):
    assert parse_coordinate(text, axis) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "axis", "problem"),
    [
        ("abc", "lat", "latitude 'abc' is not a coordinate"),
        ("21.18, 101.69", "lat", "latitude '21.18, 101.69' is not a coordinate"),
        ("95.2", "lat", "latitude '95.2' is outside -90..90"),
        ("95°N", "lat", "latitude '95°N' is outside -90..90"),
        ("200", "lon", "longitude '200' is outside -180..180"),
        ("21°11'E", "lat", "latitude '21°11'E' has an east/west hemisphere letter"),
        ("21 L", "lat", "latitude '21 L' has an east/west hemisphere letter"),
        ("21°N", "lon", "longitude '21°N' has a north/south hemisphere letter"),
        ("-21 N", "lat", "latitude '-21 N' has a minus sign but hemisphere N"),
        ("21°75'N", "lat", "latitude '21°75'N' has minutes or seconds of 60 or more"),
        ("21°5'60\"N", "lat", "latitude '21°5'60\"N' has minutes or seconds of 60 or more"),
        ("21.5°30'", "lat", "latitude '21.5°30'' has decimals before its minutes or seconds"),
        ("N 21 S", "lat", "latitude 'N 21 S' has two hemisphere letters"),
        ("", "lon", "longitude is missing"),
    ],
)
def test_parse_coordinate_reports_the_bad_value(text, axis, problem):
    with pytest.raises(ValueError) as raised:
        parse_coordinate(text, axis)
    assert str(raised.value) == problem


def _rows(lat, lon, latlon=None):
    """Parse coordinate columns given as lists and return (lat, lon, problem) tuples."""
    series = [None if column is None else pd.Series(column, dtype=object) for column in (lat, lon)]
    pair = None if latlon is None else pd.Series(latlon, dtype=object)
    frame = parse_coordinates(series[0], series[1], pair)
    return [
        (None if np.isnan(a) else round(a, 6), None if np.isnan(b) else round(b, 6), problem)
        for a, b, problem in frame.itertuples(index=False)
    ]


@pytest.mark.parametrize(
    ("lat", "lon", "latlon", "expected"),
    [
        ("21.18", "101.69", None, (21.18, 101.69, None)),
        ("21,18", "101,69", None, (21.18, 101.69, None)),
        ("21°11'N", "101°41'E", None, (21.183333, 101.683333, None)),
        (None, None, None, (None, None, None)),
        ("", "n/a", None, (None, None, None)),
        ("21.18", None, None, (None, None, "longitude is missing")),
        (None, "101.69", None, (None, None, "latitude is missing")),
        ("0", "0", None, (None, None, "coordinates (0, 0) are a placeholder, not a location")),
        ("0", "101.69", None, (0.0, 101.69, None)),
        (
            "101.7",
            "21.2",
            None,
            (
                None,
                None,
                "latitude 101.7 and longitude 21.2 look swapped (latitude must be within -90..90)",
            ),
        ),
        ("95.2", "101.7", None, (None, None, "latitude '95.2' is outside -90..90")),
        ("21.1", "200", None, (None, None, "longitude '200' is outside -180..180")),
        ("abc", "101.69", None, (None, None, "latitude 'abc' is not a coordinate")),
        ("21.18", "abc", None, (None, None, "longitude 'abc' is not a coordinate")),
        (None, None, "21.18, 101.69", (21.18, 101.69, None)),
        (None, None, "21.18 101.69", (21.18, 101.69, None)),
        (None, None, "21,18; 101,69", (21.18, 101.69, None)),
        (None, None, "(21.18, 101.69)", (21.18, 101.69, None)),
        (None, None, "21.18/101.69", (21.18, 101.69, None)),
        (None, None, "21°11'N 101°41'E", (21.183333, 101.683333, None)),
        (None, None, "21°11'N101°41'E", (21.183333, 101.683333, None)),
        (None, None, "21 11 30 N 101 41 0 E", (21.191667, 101.683333, None)),
        (None, None, "S 3° 27' 12\" W 60° 1' 2\"", (-3.453333, -60.017222, None)),
        (None, None, "21,18, 101,69", (21.18, 101.69, None)),
        (None, None, "21,18 101,69", (21.18, 101.69, None)),
        ("21.18", None, "21.5, 101.5", (21.5, 101.5, None)),
        ("21.18", "101.69", "1, 2", (21.18, 101.69, None)),
        ("abc", None, "21.5, 101.5", (None, None, "latitude 'abc' is not a coordinate")),
        (
            None,
            None,
            "21.18, 101,69",
            (
                None,
                None,
                "coordinates '21.18, 101,69' are ambiguous: "
                "use '.' for decimals or ';' between latitude and longitude",
            ),
        ),
        (
            None,
            None,
            "21,18,101,69",
            (
                None,
                None,
                "coordinates '21,18,101,69' are ambiguous: "
                "use '.' for decimals or ';' between latitude and longitude",
            ),
        ),
        (
            None,
            None,
            "21.18",
            (None, None, "coordinates '21.18' are not a latitude, longitude pair"),
        ),
        (None, None, "abc, 101", (None, None, "latitude 'abc' is not a coordinate")),
        (
            None,
            None,
            "101.7, 21.2",
            (
                None,
                None,
                "latitude 101.7 and longitude 21.2 look swapped (latitude must be within -90..90)",
            ),
        ),
        (None, None, "95.2; 101.7", (None, None, "latitude '95.2' is outside -90..90")),
        (None, None, "0, 0", (None, None, "coordinates (0, 0) are a placeholder, not a location")),
    ],
)
def test_parse_coordinates_rows(lat, lon, latlon, expected):
    latlon_column = None if latlon is None else [latlon]
    assert _rows([lat], [lon], latlon_column) == [expected]


def test_only_a_pair_column():
    assert _rows(None, None, ["21.18, 101.69", None]) == [(21.18, 101.69, None), (None, None, None)]


def test_numeric_columns_and_index():
    lat = pd.Series([21.18, np.nan, 95.0], index=["a", "b", "c"])
    lon = pd.Series([101.69, np.nan, 10.0], index=["a", "b", "c"])
    frame = parse_coordinates(lat, lon)
    assert frame.index.tolist() == ["a", "b", "c"]
    assert frame["lat"].dtype == "float64" and frame["problem"].dtype == object
    assert frame["problem"].tolist() == [
        None,
        None,
        "latitude 95 and longitude 10 look swapped (latitude must be within -90..90)",
    ]


def test_needs_a_column():
    with pytest.raises(ValueError, match="at least one of lat, lon or latlon"):
        parse_coordinates(None, None)


LAT_POOL = ["21.18", "-3,45", "21°11'N", "N 21°11.5'", "95.2", "101.7", "0", "abc", None, "", "7"]
LON_POOL = ["101.69", "101,69", "101°41'E", "200", "21.2", "0", None, "x", "-60.5"]
PAIR_POOL = [None, "21.18, 101.69", "21,18; 101,69", "21°11'N 101°41'E", "bad", "0, 0"]


@pytest.mark.parametrize("numeric_only", [False, True])
def test_large_series_matches_parsing_each_unique_value(numeric_only):
    if numeric_only:
        pool = [(lat, lon, None) for lat in ("21.18", "-3.5", "95", None) for lon in ("1.5", "7")]
    else:
        pool = [(lat, lon, pair) for lat in LAT_POOL for lon in LON_POOL for pair in PAIR_POOL]
    rng = np.random.default_rng(11)
    picks = rng.integers(0, len(pool), 200_000)
    columns = [
        pd.Series([pool[pick][axis] for pick in picks], dtype=object, index=picks * 2)
        for axis in range(3)
    ]

    frame = parse_coordinates(*columns)

    one_by_one = pd.concat(
        [parse_coordinates(*(pd.Series([cell], dtype=object) for cell in cells)) for cells in pool],
        ignore_index=True,
    )
    expected = one_by_one.iloc[picks].set_axis(columns[0].index)
    assert_frame_equal(frame, expected)
