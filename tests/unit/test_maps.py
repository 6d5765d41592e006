"""Tests for the map builders: offline decks, escaped tooltips, light payloads, store glue."""

from __future__ import annotations

import json
import math

import h3
import numpy as np
import pandas as pd
import pydeck as pdk
import pytest
import shapely

from geo.report import basemap, deck, layers, legend, map_views, maps
from geo.report.charts import TAXON_GROUP_COLOURS
from geo.spatial.hotspots import hex_counts
from geo.store.cells import LocatedExtent
from geo.store.query import Query
from geo.store.store import Store

ATTACK = "<img src=x onerror=alert(1)>"
POINT_FIELDS = {"position", "radius", "colour", *legend.TOOLTIP_FIELDS}
# The scale bar and the country names, over every offline regional map.
WORDS = ["scale-bar", "scale-label", "country-labels"]


def _records() -> pd.DataFrame:
    """Three seizures near the CN–LA border (WGS84) and one without coordinates."""
    return pd.DataFrame(
        {
            "record_id": ["R1", "R2", "R3", "R4"],
            "seizure_date": pd.to_datetime(["2021-03-04", "2020-05-01", "2019-01-01", None]),
            "date_precision": ["day", "month", "year", "day"],
            "seizing_country": ["LA", "CN", "CN", "VN"],
            "location_name": ["Boten & Mohan", ATTACK, "Mengla", "Lào Cai"],
            "lat": [21.186123456, 21.95, 21.45, None],
            "lon": [101.679123456, 101.25, 101.57, None],
            "coord_precision": ["exact", "city", "country", "none"],
            "taxon": ["Manis javanica", ATTACK, None, "Python bivittatus"],
            "taxon_group": ["mammals", "reptiles", "unknown", "reptiles"],
            "commodity": ["SCA", "LIV", "TUS", "SKI"],
            "quantity": [12.5, 3.0, None, 4.0],
            "unit": ["kg", "pieces", None, "pieces"],
            "notes": [ATTACK, "plain note", ATTACK, ATTACK],
            "agency": ["Customs", "Customs", "Police", "Customs"],
        }
    )


def _many_records(count: int, seed: int = 5) -> pd.DataFrame:
    """``count`` seizures (WGS84) scattered around a few South-East Asian places."""
    rng = np.random.default_rng(seed)
    centres = np.array([[21.186, 101.679], [22.504, 103.964], [13.69, 100.75], [21.03, 105.8]])
    chosen = rng.integers(0, len(centres), count)
    return pd.DataFrame(
        {
            "lat": centres[chosen, 0] + rng.normal(0.0, 0.2, count),
            "lon": centres[chosen, 1] + rng.normal(0.0, 0.2, count),
            "taxon": rng.choice(["Manis javanica", "Elephas maximus", ATTACK], count),
            "taxon_group": "mammals",
            "quantity": rng.uniform(1.0, 50.0, count),
            "unit": "kg",
            "seizure_date": pd.Timestamp("2022-01-01"),
            "location_name": ATTACK,
        }
    )


def _layer(deck: pdk.Deck, layer_id: str) -> pdk.Layer:
    return next(layer for layer in deck.layers if layer.id == layer_id)


def _layer_ids(deck: pdk.Deck) -> list[str]:
    return [layer.id for layer in deck.layers]


@pytest.fixture(scope="module")
def store(sample_store_file) -> Store:
    """The shipped synthetic sample, imported and enriched (read only here)."""
    return Store(str(sample_store_file))


@pytest.fixture
def small_cap(monkeypatch) -> int:
    """Aggregate above 1,000 seizures instead of 20,000, so the sample is 'large'."""
    monkeypatch.setattr(maps, "MAX_POINTS", 1_000)
    monkeypatch.setattr(map_views, "MAX_POINTS", 1_000)
    return 1_000


def test_offline_deck_names_no_external_url():
    built = maps.seizure_map(_records(), pair="CN-LA")
    text = built.to_json()
    assert "http" not in text
    assert "mapbox" not in text.lower()
    assert "carto" not in text.lower()
    spec = json.loads(text)
    assert "http" not in str(spec.get("mapStyle", ""))  # no style to fetch (see make_deck)
    assert "mapProvider" not in spec
    assert "http" not in maps.route_map(_arcs()).to_json()


def test_tile_basemap_is_an_option():
    spec = json.loads(maps.seizure_map(_records(), tile_basemap=True).to_json())
    assert spec["mapProvider"] == "carto"
    assert "carto" in spec["mapStyle"]
    assert "basemap" not in [layer["id"] for layer in spec["layers"]]


def test_deck_json_is_compact_valid_and_leaves_the_note_out():
    built = maps.seizure_map(_records(), pair="CN-LA")
    text = built.to_json()
    spec = json.loads(text)  # strict JSON: a NaN would have been written as NaN
    assert "NaN" not in text
    assert "\n" not in text
    assert "note" not in spec
    assert built.note is not None
    assert maps.deck_payload_bytes(built) == len(text.encode("utf-8"))
    # constants such as units must not turn into data accessors ("@@=pixels")
    assert "@@=pixels" not in text


def test_basemap_has_the_countries_and_stays_small():
    layer = basemap.basemap_layer()
    features = layer.data["features"]
    assert len(features) > 150
    assert {"CN", "LA", "BR"} <= {feature["properties"]["iso2"] for feature in features}
    size = len(json.dumps(layer.data, separators=(",", ":")).encode())
    assert size < 1_500_000
    assert basemap.basemap_layer().data is layer.data  # built once


def test_basemap_rejects_a_negative_tolerance():
    with pytest.raises(ValueError, match="simplify_km"):
        basemap.basemap_layer(simplify_km=-1)


def _size(layer: pdk.Layer) -> int:
    return len(json.dumps(layer.data, separators=(",", ":"), ensure_ascii=False).encode())


def _codes(layer: pdk.Layer) -> list[str]:
    return [feature["properties"]["iso2"] for feature in layer.data["features"]]


def test_basemap_for_a_view_is_far_lighter_and_keeps_every_country():
    whole = basemap.basemap_layer()
    world = basemap.basemap_for_view(deck.view_for())
    border = basemap.basemap_for_view(deck.view_for("CN-LA"))
    assert world.id == border.id == "basemap"
    assert _size(world) < _size(whole) / 4
    assert _size(border) < _size(whole) / 4
    every = set(_codes(whole))
    assert set(_codes(world)) == every == set(_codes(border))
    assert len(_codes(border)) == len(every)  # each country once
    assert basemap.basemap_for_view(deck.view_for("CN-LA")).data is border.data  # cached


def test_basemap_near_a_border_is_detailed_and_coarse_elsewhere():
    layer = basemap.basemap_for_view(deck.view_for("CN-LA"))
    by_code = {f["properties"]["iso2"]: f["geometry"] for f in layer.data["features"]}
    laos = np.array(shapely.geometry.shape(by_code["LA"]).exterior.coords)
    far = shapely.geometry.shape(by_code["BR"])
    assert len(laos) > 200  # 2 km detail along the border
    assert shapely.get_num_coordinates(far) < 200  # 40 km context for zooming out
    whole = {
        f["properties"]["iso2"]: f["geometry"] for f in basemap.basemap_layer().data["features"]
    }
    assert by_code["LA"] == whole["LA"]


def test_border_layer_of_cn_la_lies_on_the_border():
    layer = basemap.border_layer("CN-LA")
    assert layer is not None
    coordinates = np.array([point for row in layer.data for point in row["path"]])
    lon, lat = coordinates[:, 0], coordinates[:, 1]
    assert lat.min() > 20.9 and lat.max() < 22.6
    assert lon.min() > 100.9 and lon.max() < 102.3
    assert layer.data[0]["title"] == "China – Lao PDR land border"


def test_border_layer_ignores_the_order_and_knows_pairs_without_a_border():
    forward, backward = basemap.border_layer("CN-LA"), basemap.border_layer("LA-CN")
    assert forward.data == backward.data
    assert basemap.border_layer("CN-BR") is None
    with pytest.raises(ValueError):
        basemap.border_layer("CN")


def test_view_for_a_pair_is_centred_on_its_border():
    view = deck.view_for("CN-LA")
    assert 21.0 < view.latitude < 22.5
    assert 100.5 < view.longitude < 102.5
    assert view.zoom > 5


def test_view_for_a_pair_without_border_and_for_bounds_and_the_world():
    far_apart = deck.view_for("CN-BR")
    assert far_apart.zoom < 3
    fitted = deck.view_for(bounds=(101.25, 21.186, 101.68, 21.95))
    assert 21.0 < fitted.latitude < 22.0 and 101.0 < fitted.longitude < 102.0
    assert fitted.zoom > 6
    world = deck.view_for()
    assert world.zoom < 2
    with pytest.raises(ValueError, match="bounds"):
        deck.view_for(bounds=(1.0, 2.0, float("nan"), 3.0))


def test_hexagons_are_as_fine_as_the_view_can_show():
    assert deck.visible_resolution(deck.view_for("CN-LA"), 6) == 6
    assert deck.visible_resolution(deck.view_for(), 6) <= 2


def test_points_layer_ships_only_the_needed_fields():
    layer = layers.seizure_points_layer(_records())
    assert len(layer.data) == 3  # the record without coordinates is left out
    for row in layer.data:
        assert set(row) == POINT_FIELDS
    first = layer.data[0]
    assert first["position"] == [101.67912, 21.18612]
    assert first["title"] == "Manis javanica"
    assert first["detail"] == "2021-03-04 · scales · 12.5 kg"
    assert first["where"] == "Boten & Mohan · seized by Lao PDR"
    second, third = layer.data[1], layer.data[2]
    assert second["detail"].startswith("2020-05 ")
    assert "(city centre)" in second["where"]
    assert third["title"] == legend.TEXT["unknown_taxon"]
    assert third["detail"].startswith("2019 ")
    assert "country centre" in third["where"]


def test_points_tooltip_text_is_escaped():
    layer = layers.seizure_points_layer(_records())
    second = layer.data[1]
    assert second["title"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert second["where"].startswith("&lt;img src=x onerror=alert(1)&gt;")
    built = maps.seizure_map(_records(), pair="CN-LA")
    text = built.to_json()
    assert "&lt;img" in text
    assert "<img src=x" not in text
    assert "plain note" not in text  # notes are not shipped at all


def test_tooltip_template_uses_only_the_escaped_fields():
    fields = set(pd.Series([legend.TOOLTIP["html"]]).str.findall(r"{(\w+)}")[0])
    assert fields == set(legend.TOOLTIP_FIELDS)
    built = maps.seizure_map(_records(), hex_counts(_records(), 6), "CN-LA", gi=_gi())
    spec = json.loads(built.to_json())
    for layer in spec["layers"]:
        if layer.get("pickable"):
            for row in layer["data"]:
                assert set(legend.TOOLTIP_FIELDS) <= set(row), layer["id"]


def test_radius_is_log_scaled_within_each_unit():
    records = pd.DataFrame(
        {
            "lat": [10.0, 10.1, 10.2, 10.3, 10.4],
            "lon": [100.0, 100.1, 100.2, 100.3, 100.4],
            "quantity": [1000.0, 10.0, 3.0, 1.0, None],
            "unit": ["kg", "kg", "pieces", "pieces", None],
        }
    )
    radius = [row["radius"] for row in layers.seizure_points_layer(records).data]
    largest_kg, small_kg, largest_pieces, small_pieces, unknown = radius
    assert largest_kg == largest_pieces == 10.0  # units are not compared with each other
    assert small_kg < largest_kg and small_pieces < largest_pieces
    assert small_kg == pytest.approx(3 + 7 * math.log1p(10) / math.log1p(1000), abs=0.05)
    assert unknown == 3.0


def test_points_are_coloured_by_taxon_group():
    layer = layers.seizure_points_layer(_records())
    colours = [tuple(row["colour"]) for row in layer.data]
    assert colours[0] == TAXON_GROUP_COLOURS["mammals"]
    assert colours[1] == TAXON_GROUP_COLOURS["reptiles"]
    assert colours[0] != colours[1]


def test_cells_stand_in_for_points_above_the_cap():
    records = _many_records(100_000)
    cells = hex_counts(records, 6)
    extent = LocatedExtent(total=100_000, located=100_000, bounds=(100.0, 13.0, 106.5, 23.0))
    built = maps.seizure_map(None, cells, layers=("points",), extent=extent)
    assert "seizures" not in _layer_ids(built)
    density = _layer(built, "density")
    assert 0 < len(density.data) <= maps.MAX_POINTS
    assert sum(int(row["title"].split()[0].replace(",", "")) for row in density.data) == 100_000
    assert "100,000 seizures shown as" in built.note
    assert "km across" in built.note
    assert maps.deck_payload_bytes(built) < 5_000_000
    assert "<img src=x" not in built.to_json()


def test_overview_map_of_a_large_selection_is_hexagons_counted_in_the_store(store, small_cap):
    located = store.count()
    built = map_views.overview_map(store, Query())
    assert "seizures" not in _layer_ids(built)
    density = _layer(built, "density")
    assert sum(int(row["title"].split()[0].replace(",", "")) for row in density.data) == located
    assert h3.get_resolution(density.data[0]["cell"]) <= 2  # a world view
    assert f"{located:,} seizures shown as" in built.note
    assert "narrow the filters to 1,000 seizures or fewer" in built.note
    assert "http" not in built.to_json()
    border = map_views.overview_map(store, Query(pair="CN-LA"))
    assert h3.get_resolution(_layer(border, "density").data[0]["cell"]) == 6


def test_overview_map_of_a_small_selection_is_points(store):
    query = Query(pair="CN-LA", taxon_groups=("reptiles",))
    built = map_views.overview_map(store, query)
    points = _layer(built, "seizures")
    assert len(points.data) == len(store.select(query, columns=["record_id"]))
    assert set(points.data[0]) == POINT_FIELDS
    assert built.note is None
    assert "border" in _layer_ids(built)


def test_hotspot_map_draws_counts_gi_and_points_from_the_store(store):
    query = Query(pair="CN-LA")
    built = map_views.hotspot_map(store, query, ("points", "density", "hotspots", "places"), 6)
    assert _layer_ids(built) == [
        "sea",
        "basemap",
        "border",
        "seizures",
        "density",
        "hotspots",
        "hotspot-marks",
        "places",
        "place-labels",
        *WORDS,
    ]
    cell = _layer(built, "density").data[0]["cell"]
    assert h3.get_resolution(cell) == 6
    assert built.note is None
    only_places = map_views.hotspot_map(store, query, ("places",), 7)
    assert _layer_ids(only_places) == ["sea", "basemap", "border", "places", "place-labels", *WORDS]


def test_hotspot_map_above_the_cap_draws_its_cells_instead_of_points(store, small_cap):
    built = map_views.hotspot_map(store, Query(pair="CN-LA"), ("points", "hotspots"), 7)
    assert "seizures" not in _layer_ids(built)
    assert h3.get_resolution(_layer(built, "density").data[0]["cell"]) == 7
    assert "hexagons (H3 resolution 7)" in built.note


def test_payload_of_a_redraw_is_far_below_the_whole_basemap(store):
    whole = len(json.dumps(basemap.basemap_layer().data, separators=(",", ":")).encode())
    for query in (Query(), Query(pair="CN-LA", taxon_groups=("reptiles",))):
        built = map_views.overview_map(store, query)
        spec = json.loads(built.to_json())
        sent = next(layer for layer in spec["layers"] if layer["id"] == "basemap")
        assert len(json.dumps(sent["data"], separators=(",", ":")).encode()) < whole / 4


def test_note_counts_records_without_coordinates():
    built = maps.seizure_map(_records(), layers=("points",))
    assert built.note == "1 of 4 seizures has no coordinates and is not on the map."


def test_seizure_map_validates_its_options(store):
    with pytest.raises(ValueError, match="layers"):
        maps.seizure_map(_records(), layers=("points", "heat"))
    with pytest.raises(ValueError, match="resolution"):
        map_views.hotspot_map(store, Query(), resolution=20)
    with pytest.raises(ValueError, match="layers"):
        map_views.hotspot_map(store, Query(), layers="points")
    with pytest.raises(TypeError):
        maps.seizure_map([{"lat": 1, "lon": 2}])


def test_seizure_map_stacks_layers_in_a_fixed_order():
    gi = _gi()
    built = maps.seizure_map(
        _records(),
        hex_counts(_records(), 6),
        pair="CN-LA",
        layers=("places", "points", "hotspots", "density"),
        gi=gi,
    )
    assert _layer_ids(built) == [
        "sea",
        "basemap",
        "border",
        "seizures",
        "density",
        "hotspots",
        "hotspot-marks",
        "places",
        "place-labels",
        *WORDS,
    ]
    # under hexagons the dots are context: smaller and fainter
    assert _layer(built, "seizures").radius_scale < 1
    alone = maps.seizure_map(_records(), pair="CN-LA", layers=("points",))
    assert _layer(alone, "seizures").radius_scale == 1
    assert _layer(alone, "seizures").opacity > _layer(built, "seizures").opacity
    without_gi = maps.seizure_map(_records(), layers=("hotspots",))
    assert "hotspots" not in _layer_ids(without_gi)


def _gi() -> pd.DataFrame:
    """A gi_star-shaped frame: two hot cells, one cold, one not significant (WGS84)."""
    cells = [h3.latlng_to_cell(21.2 + step * 0.1, 101.6, 7) for step in range(4)]
    return pd.DataFrame(
        {
            "cell": cells,
            "count": [12, 7, 0, 1],
            "gi_z": [3.4, 2.1, -2.0, 0.3],
            "p_adjusted": [0.004, 0.04, 0.05, 0.8],
            "gi_bin": [3, 2, -2, 0],
        }
    )


def test_hotspot_layer_omits_not_significant_cells_and_colours_hot_and_cold_apart():
    gi = _gi()
    layer = layers.hotspot_layer(gi)
    shown = [row["cell"] for row in layer.data]
    assert shown == list(gi["cell"][:3])
    hot_99, hot_95, cold_95 = (row["colour"] for row in layer.data)
    assert hot_99[0] > hot_99[2] and hot_95[0] > hot_95[2]  # reds
    assert cold_95[2] > cold_95[0]  # blue
    assert hot_99 != hot_95
    assert layer.data[0]["title"] == "Hot spot, 99% confidence"
    assert layer.data[2]["title"] == "Cold spot, 95% confidence"
    assert layer.data[0]["detail"] == "12 seizures"


def test_density_layer_darkens_with_the_count():
    cells = pd.DataFrame(
        {
            "cell": [h3.latlng_to_cell(21.2, 101.6 + step * 0.2, 6) for step in range(3)],
            "count": [1, 10, 100],
            "top_taxa": [[(ATTACK, 1)], [("Manis javanica", 10)], []],
        }
    )
    layer = layers.density_layer(cells)
    brightness = [sum(row["colour"][:3]) for row in layer.data]
    assert brightness[0] > brightness[1] > brightness[2]
    assert layer.data[0]["title"] == "1 seizure"
    assert layer.data[1]["detail"] == "Manis javanica (10)"
    assert layer.data[0]["detail"] == "&lt;img src=x onerror=alert(1)&gt; (1)"


def _arcs() -> pd.DataFrame:
    """Three routes between WGS84 points, one of them with a hostile label."""
    return pd.DataFrame(
        {
            "source": ["VN", "LA", ATTACK],
            "target": ["CN", "CN", "VN"],
            "source_lat": [21.0, 19.9, 9.08],
            "source_lon": [105.8, 102.1, 7.4],
            "target_lat": [23.1, 23.1, 10.8],
            "target_lon": [113.3, 113.3, 106.7],
            "seizures": [120, 30, 0],
        }
    )


def test_route_arcs_are_as_wide_as_their_seizures():
    layer = layers.route_arcs_layer(_arcs())
    widths = [row["width"] for row in layer.data]
    assert widths[0] > widths[1] > widths[2]
    assert layer.data[0]["title"] == "Viet Nam → China"
    assert layer.data[0]["detail"] == "120 seizures"
    assert layer.data[2]["title"].startswith("&lt;img")
    built = maps.route_map(_arcs())
    assert _layer_ids(built)[:3] == ["sea", "basemap", "routes"]
    assert _layer_ids(built)[-1] == "country-labels"
    assert "<img src=x" not in built.to_json()
    assert built.initial_view_state.zoom > 1  # fitted to the arcs, not the world
    assert _layer_ids(maps.route_map(_arcs().iloc[:0]))[:3] == ["sea", "basemap", "routes"]


def test_places_are_limited_to_the_bounds():
    bounds = (100.5, 20.5, 102.5, 22.5)
    layer = layers.places_layer(bounds=bounds)
    positions = np.array([row["position"] for row in layer.data])
    assert len(positions)
    assert (positions[:, 0] >= 100.5).all() and (positions[:, 0] <= 102.5).all()
    assert (positions[:, 1] >= 20.5).all() and (positions[:, 1] <= 22.5).all()
    assert "Boten–Mohan" in {row["title"] for row in layer.data}
    crossings = layers.places_layer(kinds=("crossing",), bounds=bounds)
    assert {row["detail"].split(" · ")[0] for row in crossings.data} == {"Border crossing"}
    labels = layers.place_labels_layer(bounds=bounds)
    assert labels is not None and len(labels.data) == len(layer.data)
    assert layers.place_labels_layer() is None  # the whole world: too many to label
    with pytest.raises(ValueError, match="kinds"):
        layers.places_layer(kinds=("railway",))
