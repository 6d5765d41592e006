"""Tests for the words and the scale on the maps: country names, the scale bar, route views."""

from __future__ import annotations

import json
import pickle
import re

import h3
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from geo.report import basemap, deck, layers, maps
from geo.spatial.boundaries import load_boundaries
from geo.spatial.hotspots import hex_counts
from geo.store.cells import LocatedExtent

GEOD = pyproj.Geod(ellps="WGS84")


def _border_records() -> pd.DataFrame:
    """Seizures along the CN–LA border (WGS84): most at Boten, a few in Mengla."""
    rng = np.random.default_rng(3)
    count = 60
    at_boten = rng.random(count) < 0.8
    return pd.DataFrame(
        {
            "lat": np.where(at_boten, 21.186, 21.45) + rng.normal(0, 0.01, count),
            "lon": np.where(at_boten, 101.679, 101.57) + rng.normal(0, 0.01, count),
            "taxon": "Manis javanica",
            "taxon_group": np.where(at_boten, "mammals", "reptiles"),
            "quantity": rng.uniform(1, 40, count),
            "unit": "kg",
        }
    )


def _border_gi() -> pd.DataFrame:
    """A gi_star-shaped frame (WGS84 cells): a hot spot at Boten, one cold cell, the rest 0."""
    cells = [h3.latlng_to_cell(21.186 + step * 0.05, 101.679, 7) for step in range(4)]
    return pd.DataFrame(
        {
            "cell": cells,
            "count": [48, 3, 0, 1],
            "gi_z": [4.1, 1.8, -2.2, 0.1],
            "p_adjusted": [0.001, 0.07, 0.04, 0.9],
            "gi_bin": [3, 1, -2, 0],
        }
    )


def _hotspot_deck() -> maps.MapDeck:
    records = _border_records()
    return maps.seizure_map(
        records,
        hex_counts(records, 7),
        pair="CN-LA",
        layers=maps.SEIZURE_MAP_LAYERS,
        gi=_border_gi(),
    )


def _layer(built, layer_id):
    return next(layer for layer in built.layers if layer.id == layer_id)


def _boxes(built, pixels) -> list[tuple[str, shapely.Polygon]]:
    """Each country name's box in screen pixels, estimated as the placement does."""
    view = built.initial_view_state
    rows = _layer(built, "country-labels").data
    boxes = []
    for row in rows:
        x, y = (float(value) for value in deck.to_screen(view, *row["position"]))
        width, height = deck.text_box(row["text"], row["size"])
        boxes.append(
            (row["text"], shapely.box(x - width / 2, y - height / 2, x + width / 2, y + height / 2))
        )
    return boxes


def test_cn_la_hotspot_map_names_both_countries_in_its_json():
    built = _hotspot_deck()
    text = built.to_json()
    assert "China" in text and "Lao PDR" in text
    spec = json.loads(text)
    labels = next(layer for layer in spec["layers"] if layer["id"] == "country-labels")
    assert labels["@@type"] == "TextLayer"
    names = [row["text"] for row in labels["data"]]
    assert names[:2] == ["China", "Lao PDR"]  # the pair first
    sizes = {row["text"]: row["size"] for row in labels["data"]}
    assert sizes["China"] > max(
        size for name, size in sizes.items() if name not in {"China", "Lao PDR"}
    )
    assert sizes["China"] > 12  # larger than the place names


def test_country_names_do_not_overlap_and_lie_inside_the_view():
    built = _hotspot_deck()
    width, height = maps.SEIZURE_MAP_PIXELS
    frame = shapely.box(-width / 2, -height / 2, width / 2, height / 2)
    boxes = _boxes(built, maps.SEIZURE_MAP_PIXELS)
    assert len(boxes) >= 2
    for index, (name, box) in enumerate(boxes):
        assert frame.contains(box), name
        for other, other_box in boxes[index + 1 :]:
            assert not box.intersects(other_box), (name, other)


def test_china_is_named_inside_the_view_on_its_own_side_of_the_border():
    built = _hotspot_deck()
    west, south, east, north = deck.shown_bounds(built.initial_view_state, maps.SEIZURE_MAP_PIXELS)
    rows = {row["text"]: row["position"] for row in _layer(built, "country-labels").data}
    boundaries = load_boundaries("50m").set_index("iso2")
    for name, code in (("China", "CN"), ("Lao PDR", "LA")):
        lon, lat = rows[name]
        assert west < lon < east and south < lat < north
        assert boundaries.at[code, "geometry"].contains(shapely.Point(lon, lat)), name


def test_country_names_keep_off_the_place_names():
    built = _hotspot_deck()
    view = built.initial_view_state
    obstacles = [
        shapely.box(*box)
        for box in layers.place_label_boxes(
            _layer(built, "place-labels"), view, maps.SEIZURE_MAP_PIXELS
        )
    ]
    assert obstacles
    for name, box in _boxes(built, maps.SEIZURE_MAP_PIXELS):
        assert not any(box.intersects(obstacle) for obstacle in obstacles), name


def test_an_obstacle_moves_a_name_rather_than_hiding_it():
    view = deck.view_for("CN-LA", pixels=maps.SEIZURE_MAP_PIXELS)
    free = basemap.country_labels_layer(view, maps.SEIZURE_MAP_PIXELS, ("CN", "LA"))
    china = next(row for row in free.data if row["text"] == "China")
    x, y = (float(value) for value in deck.to_screen(view, *china["position"]))
    blocked = basemap.country_labels_layer(
        view, maps.SEIZURE_MAP_PIXELS, ("CN", "LA"), [(x - 30, y - 15, x + 30, y + 15)]
    )
    moved = next(row for row in blocked.data if row["text"] == "China")
    assert moved["position"] != china["position"]
    x2, y2 = (float(value) for value in deck.to_screen(view, *moved["position"]))
    width, height = deck.text_box("China", moved["size"])
    assert not shapely.box(x - 30, y - 15, x + 30, y + 15).intersects(
        shapely.box(x2 - width / 2, y2 - height / 2, x2 + width / 2, y2 + height / 2)
    )


def test_world_view_names_large_countries_without_overlap_and_not_antarctica():
    asia = LocatedExtent(total=10, located=10, bounds=(60.0, -10.0, 150.0, 55.0))
    built = maps.seizure_map(None, layers=(), extent=asia)
    world = maps.seizure_map(None, layers=())
    for shown in (built, world):
        names = [row["text"] for row in _layer(shown, "country-labels").data]
        assert "Antarctica" not in names
        boxes = _boxes(shown, maps.SEIZURE_MAP_PIXELS)
        for index, (name, box) in enumerate(boxes):
            for other, other_box in boxes[index + 1 :]:
                assert not box.intersects(other_box), (name, other)
    names = {row["text"] for row in _layer(world, "country-labels").data}
    assert {"Russia", "China", "Brazil", "Australia"} <= names
    assert "Luxembourg" not in names  # too small to name at this zoom


def test_tile_basemap_maps_leave_the_names_to_the_tiles():
    built = maps.seizure_map(_border_records(), pair="CN-LA", tile_basemap=True)
    ids = [layer.id for layer in built.layers]
    assert "country-labels" not in ids
    assert "scale-bar" in ids


@pytest.mark.parametrize(
    "view",
    [
        deck.view_for("CN-LA", pixels=maps.SEIZURE_MAP_PIXELS),
        deck.view_for("TH-MY"),
        deck.view_for(bounds=(5.0, 60.0, 25.0, 70.0)),  # Scandinavia: a degree is short
        deck.view_for(bounds=(100.0, 0.0, 100.2, 0.1)),  # a town on the equator
    ],
    ids=["cn-la", "th-my", "scandinavia", "equator-town"],
)
def test_scale_bar_label_matches_its_geodesic_length(view):
    bar, label = basemap.scale_bar_layers(view, maps.SEIZURE_MAP_PIXELS)
    path = np.array(next(row["path"] for row in bar.data if row["part"] == "bar"))
    measured_km = GEOD.line_length(path[:, 0], path[:, 1]) / 1000
    stated = label.data[0]["text"]
    assert re.fullmatch(r"[\d,]+ km", stated)
    stated_km = float(stated.split()[0].replace(",", ""))
    assert stated_km in basemap.SCALE_LENGTHS_KM
    assert measured_km == pytest.approx(stated_km, rel=0.01)
    # about a fifth of the map's width, in its lower-left corner
    x, y = deck.to_screen(view, path[:, 0], path[:, 1])
    width, height = maps.SEIZURE_MAP_PIXELS
    assert 0.08 * width < x.max() - x.min() < 0.45 * width
    assert x.min() < -width / 4 and y.min() > height / 4


def test_no_scale_bar_on_a_world_view():
    assert basemap.scale_bar_layers(deck.view_for(), maps.SEIZURE_MAP_PIXELS) == []
    world = maps.seizure_map(None, layers=())
    assert "scale-bar" not in [layer.id for layer in world.layers]


def _regional_arcs() -> pd.DataFrame:
    """Routes inside mainland South-East Asia and southern China (WGS84)."""
    return pd.DataFrame(
        {
            "source": ["VN", "LA", "TH", "MM"],
            "target": ["CN", "CN", "LA", "CN"],
            "source_lat": [21.0, 19.9, 13.7, 21.9],
            "source_lon": [105.8, 102.1, 100.5, 96.1],
            "target_lat": [23.1, 25.0, 19.9, 25.0],
            "target_lon": [113.3, 102.7, 102.1, 102.7],
            "seizures": [120, 30, 12, 4],
        }
    )


def test_route_map_view_fits_the_arcs_not_the_world():
    arcs = _regional_arcs()
    built = maps.route_map(arcs)
    view = built.initial_view_state
    west, south, east, north = deck.shown_bounds(view, deck.MAP_PIXELS)
    for lat_column, lon_column in (("source_lat", "source_lon"), ("target_lat", "target_lon")):
        assert (arcs[lon_column] > west).all() and (arcs[lon_column] < east).all()
        assert (arcs[lat_column] > south).all() and (arcs[lat_column] < north).all()
    assert view.zoom > deck.view_for().zoom + 2
    assert east - west < 40  # a region, not the world
    names = {row["text"] for row in _layer(built, "country-labels").data}
    assert {"China", "Lao PDR", "Thailand"} <= names
    assert "scale-bar" in [layer.id for layer in built.layers]


def test_route_map_of_arcs_round_the_world_shows_the_world():
    arcs = pd.DataFrame(
        {
            "source_lat": [-15.0, 40.0],
            "source_lon": [-50.0, -100.0],
            "target_lat": [35.0, 35.0],
            "target_lon": [105.0, 105.0],
            "seizures": [5, 3],
        }
    )
    view = maps.route_map(arcs).initial_view_state
    assert view.zoom == deck.view_for().zoom


def test_route_arcs_run_light_to_dark_and_the_key_says_which_end_is_which():
    built = maps.route_map(_regional_arcs(), pair="CN-LA")
    routes = _layer(built, "routes")
    source, target = routes.get_source_color, routes.get_target_color
    assert sum(source[:3]) > sum(target[:3]) + 200  # light origin, dark destination
    (entry,) = built.legend
    assert entry["layer"] == "routes"
    direction = entry["items"][0]
    assert direction["colour"] == list(source) and direction["colour_to"] == list(target)
    assert "came from" in direction["label"] and "going" in direction["label"]
    assert "120 seizures" in entry["items"][1]["label"]
    names = [row["text"] for row in _layer(built, "country-labels").data]
    assert names[:2] == ["China", "Lao PDR"]


def test_words_and_scale_are_drawn_over_raised_arcs():
    built = maps.route_map(_regional_arcs())
    for layer_id in ("country-labels", "scale-bar", "scale-label"):
        assert _layer(built, layer_id).parameters == {"depthCompare": "always"}


def test_hot_spots_are_ringed_so_they_show_at_any_zoom():
    built = _hotspot_deck()
    ids = [layer.id for layer in built.layers]
    assert ids.index("hotspot-marks") == ids.index("hotspots") + 1
    spots, marks = _layer(built, "hotspots"), _layer(built, "hotspot-marks")
    assert len(marks.data) == len(spots.data) == 3
    assert [row["colour"][:3] for row in marks.data] == [row["colour"][:3] for row in spots.data]
    assert marks.radius_min_pixels >= 5


def test_legend_and_note_stay_out_of_the_json_and_survive_pickling():
    built = _hotspot_deck()
    spec = json.loads(built.to_json())
    assert "legend" not in spec and "note" not in spec
    again = pickle.loads(pickle.dumps(built))  # st.cache_data pickles decks
    assert again.legend == built.legend
    json.dumps(built.legend)  # plain data


def test_screen_positions_round_trip_and_narrow_maps_zoom_out():
    view = deck.view_for("CN-LA")
    lon, lat = deck.from_screen(view, [-200.0, 0.0, 150.0], [120.0, 0.0, -90.0])
    x, y = deck.to_screen(view, lon, lat)
    assert np.allclose(x, [-200.0, 0.0, 150.0]) and np.allclose(y, [120.0, 0.0, -90.0])
    wide = deck.view_for("CN-VN")
    narrow = deck.view_for("CN-VN", pixels=(480, 420))
    assert narrow.zoom < wide.zoom
    with pytest.raises(ValueError, match="pixels"):
        deck.view_for("CN-VN", pixels=(0, 420))


def test_place_names_that_would_overlap_are_thinned_crossings_first():
    view = deck.view_for("CN-VN", pixels=maps.SEIZURE_MAP_PIXELS)
    around = deck.surroundings(view)
    every = layers.place_labels_layer(bounds=around)
    thinned = layers.place_labels_layer(bounds=around, view=view)
    assert 0 < len(thinned.data) < len(every.data)
    boxes = [shapely.box(*box) for box in layers.place_label_boxes(thinned, view, (1e5, 1e5))]
    names = [shapely.box(box.bounds[0] + 8, *box.bounds[1:]) for box in boxes]  # less marker
    for index, box in enumerate(names):
        assert not any(box.intersects(other) for other in names[index + 1 :])
    kept = {row["text"] for row in thinned.data}
    assert "Hekou–Lào Cai" in kept  # the crossings are named first
    built = maps.seizure_map(_border_records(), pair="CN-VN", layers=("places",))
    scale = shapely.box(*basemap.scale_bar_box(built.layers, built.initial_view_state))
    for box in layers.place_label_boxes(_layer(built, "place-labels"), built.initial_view_state):
        assert not scale.intersects(shapely.box(box[0] + 8, *box[1:]))
