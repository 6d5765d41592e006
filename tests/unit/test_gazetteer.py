"""Tests for the offline gazetteer that names hot spots and map points."""

from __future__ import annotations

import numpy as np
import pytest

from geo.reference import gazetteer
from geo.reference.gazetteer import nearest_place, nearest_places, place_label
from geo.reference.places import load_border_crossings

VIENTIANE = (17.975, 102.620)  # central Vientiane, about 2 km from its GeoNames point


@pytest.fixture(scope="module")
def boten() -> tuple[float, float]:
    """The Boten–Mohan crossing point (WGS84) from the shipped crossings table."""
    crossings = load_border_crossings().set_index("crossing_id")
    return float(crossings.at["boten-mohan", "lat"]), float(crossings.at["boten-mohan", "lon"])


def test_point_at_boten_is_labelled_with_the_crossing(boten):
    assert place_label(*boten, "CN-LA") == "Boten–Mohan crossing (CN–LA)"
    assert place_label(boten[0] + 0.05, boten[1], "LA-CN") == "Boten–Mohan crossing (CN–LA)"


def test_crossing_sides_are_places_of_each_country(boten):
    on_la_side = nearest_place(*boten, country="LA")
    on_cn_side = nearest_place(*boten, country="cn")
    assert on_la_side["name"] == "Boten"
    assert on_la_side["kind"] == "crossing"
    assert on_la_side["crossing"] == "Boten–Mohan"
    assert on_cn_side["name"] == "Mohan"
    assert on_cn_side["country"] == "CN"
    assert on_cn_side["distance_km"] == pytest.approx(0.0, abs=1e-6)


def test_point_in_vientiane_is_vientiane():
    place = nearest_place(*VIENTIANE, country="LA")
    assert place["name"] == "Vientiane"
    assert place["country"] == "LA"
    assert place["kind"] == "city"
    assert place["distance_km"] < 5


def test_away_from_a_crossing_the_label_names_both_sides(boten):
    # About 40 km north of the crossing, still near the CN–LA border.
    label = place_label(boten[0] + 0.36, boten[1], "CN-LA")
    assert label.startswith("near ")
    assert "(CN)" in label
    assert "(LA)" in label
    assert "crossing" not in label


def test_label_falls_back_to_coordinates_far_from_any_place():
    assert place_label(0.0, -30.0, "CN-LA") == "0.00° N, 30.00° W"


def test_nearest_places_matches_one_at_a_time_and_respects_the_radius():
    lat = np.array([*VIENTIANE[:1], 0.0, 51.47, np.nan])
    lon = np.array([*VIENTIANE[1:], -30.0, -0.45, 10.0])
    found = nearest_places(lat, lon)
    assert found[0] == nearest_place(lat[0], lon[0])
    assert found[1] is None
    assert found[2]["country"] == "GB"
    assert found[3] is None
    assert nearest_place(*VIENTIANE, max_km=0.5) is None
    assert nearest_place(*VIENTIANE, country="TH")["country"] == "TH"


def test_longitude_wraps_at_the_antimeridian():
    # Anadyr lies at 177.5° E; a point at 179.99° W is about 110 km east of it.
    assert nearest_place(64.73, 177.50, max_km=50)["name"] == "Anadyr"
    across = nearest_place(64.73, -179.99, max_km=200)
    assert across is not None
    assert across["country"] == "RU"
    assert across["lon"] > 170
    assert 100 < across["distance_km"] < 130


def test_gazetteer_holds_every_kind_and_no_unnamed_place():
    places = gazetteer.load_gazetteer()
    assert set(places["kind"]) == set(gazetteer.PLACE_KINDS)
    assert places["name"].str.len().gt(0).all()
    assert places["country"].str.fullmatch(r"[A-Z]{2}").all()
    assert len(places[places["kind"] == "city"]) > 20_000


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="country"):
        nearest_place(0.0, 0.0, country="Laos")
    with pytest.raises(ValueError, match="max_km"):
        nearest_place(0.0, 0.0, max_km=0)
    with pytest.raises(ValueError, match="same length"):
        nearest_places(np.array([1.0, 2.0]), np.array([1.0]))
    with pytest.raises(ValueError, match="pair"):
        place_label(0.0, 0.0, "CNLA")
