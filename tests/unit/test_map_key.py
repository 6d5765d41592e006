"""Tests for the key to each map: entries built from the layers' own colours, drawn as HTML."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import h3
import numpy as np
import pandas as pd
import pytest

from geo.report import layers, legend, map_key, maps
from geo.report.charts import GROUP_LABELS, TAXON_GROUP_COLOURS
from geo.spatial.hotspots import hex_counts

SCRIPT = "<script>alert('x')</script>"
ATTRIBUTE = '" onmouseover="alert(1)'


def _records() -> pd.DataFrame:
    """Five seizures near Boten (WGS84): mammals, reptiles, a missing group, one unplaced."""
    return pd.DataFrame(
        {
            "lat": [21.18, 21.19, 21.2, 21.21, None],
            "lon": [101.67, 101.68, 101.69, 101.7, None],
            "taxon": ["Manis javanica", "Python bivittatus", None, "Manis javanica", "Gyps"],
            "taxon_group": ["mammals", "reptiles", None, "mammals", "birds"],
            "quantity": [12.0, 3.0, None, 40.0, 1.0],
            "unit": ["kg", "pieces", None, "kg", "kg"],
        }
    )


def _gi(bins) -> pd.DataFrame:
    """A gi_star-shaped frame (WGS84 cells) with the given Gi* bins."""
    cells = [h3.latlng_to_cell(21.2 + step * 0.05, 101.6, 7) for step in range(len(bins))]
    return pd.DataFrame({"cell": cells, "count": 5, "gi_bin": list(bins)})


def _entry(built, layer_id, kind=None):
    return next(
        entry
        for entry in built.legend
        if entry["layer"] == layer_id and (kind is None or entry["kind"] == kind)
    )


def test_points_key_lists_exactly_the_groups_drawn_in_the_layers_colours():
    records = _records()
    built = maps.seizure_map(records, pair="CN-LA", layers=("points",))
    entry = _entry(built, "seizures", "swatches")
    labels = [item["label"] for item in entry["items"]]
    # birds only on the record without coordinates, which is not drawn
    assert labels == ["Mammals", "Reptiles", "Unknown"]
    points = next(layer for layer in built.layers if layer.id == "seizures")
    drawn = {tuple(row["colour"]) for row in points.data}
    keyed = {tuple(item["colour"][:3]) for item in entry["items"]}
    assert keyed == drawn
    by_label = {item["label"]: tuple(item["colour"][:3]) for item in entry["items"]}
    assert by_label["Mammals"] == TAXON_GROUP_COLOURS["mammals"]


def test_points_key_says_what_size_means_and_in_which_units():
    entry = _entry(maps.seizure_map(_records(), layers=("points",)), "seizures", "sizes")
    small, large = entry["items"]
    assert (small["radius"], large["radius"]) == layers.POINT_RADIUS_PIXELS
    assert "kg" in large["label"] and "pieces" in large["label"]
    no_quantities = _records().drop(columns=["quantity"])
    keys = map_key.points_keys(no_quantities)
    assert [entry["kind"] for entry in keys] == ["swatches"]  # all dots the same size


def test_points_under_hexagons_are_keyed_as_drawn():
    records = _records()
    built = maps.seizure_map(
        records, hex_counts(records.dropna(subset=["lat"]), 7), layers=("points", "density")
    )
    sizes = _entry(built, "seizures", "sizes")
    scale = layers.SUBDUED_POINTS["radius_scale"]
    assert sizes["items"][1]["radius"] == pytest.approx(layers.POINT_RADIUS_PIXELS[1] * scale)


def test_hotspot_key_colours_are_the_layers_and_only_the_bins_present():
    gi = _gi([3, -2, 0, 3, 1])
    built = maps.seizure_map(None, layers=("hotspots",), gi=gi, pair="CN-LA")
    entry = _entry(built, "hotspots")
    drawn = next(layer for layer in built.layers if layer.id == "hotspots")
    assert {tuple(row["colour"]) for row in drawn.data} == {
        tuple(item["colour"]) for item in entry["items"]
    }
    assert [item["label"] for item in entry["items"]] == [
        "Hot spot, 99% confidence",
        "Hot spot, 90% confidence",
        "Cold spot, 95% confidence",
    ]
    nothing = map_key.hotspots_key(_gi([0, 0]))
    assert nothing["items"] == [] and "significant" in nothing["note"]


def test_density_key_runs_low_to_high_with_its_counts():
    cells = pd.DataFrame(
        {
            "cell": [h3.latlng_to_cell(21.2, 101.6 + step * 0.1, 6) for step in range(3)],
            "count": [2, 40, 900],
        }
    )
    built = maps.seizure_map(None, cells, layers=("density",))
    entry = _entry(built, "density")
    assert entry["kind"] == "ramp"
    numbers = [int(item["label"].replace(",", "")) for item in entry["items"]]
    assert numbers[0] == 2 and numbers[-1] == 900 and numbers == sorted(numbers)
    layer = next(layer for layer in built.layers if layer.id == "density")
    assert entry["items"][0]["colour"] == layer.data[0]["colour"]  # 2 seizures
    assert entry["items"][-1]["colour"] == layer.data[2]["colour"]  # 900
    brightness = [sum(item["colour"][:3]) for item in entry["items"]]
    assert brightness == sorted(brightness, reverse=True)  # light to dark
    assert "km across" in entry["title"]


def test_border_and_places_are_keyed():
    built = maps.seizure_map(_records(), pair="CN-LA", layers=("points", "places"))
    border = _entry(built, "border")
    assert border["items"][0]["label"] == "China – Lao PDR land border"
    places = _entry(built, "places")
    assert [item["label"] for item in places["items"]] == [
        "Airport",
        "Seaport",
        "Border crossing",
    ]
    fills = {tuple(item["colour"][:3]) for item in places["items"]}
    assert len(fills) == 3
    assert fills == {tuple(symbol["fill"]) for symbol in layers.PLACE_SYMBOLS.values()}


def test_aggregated_map_is_keyed_as_hexagons_and_says_so_plainly():
    records = pd.DataFrame(
        {
            "lat": 21.2 + np.arange(50) * 0.01,
            "lon": 101.6 + np.arange(50) * 0.01,
            "taxon": "Manis javanica",
            "taxon_group": "mammals",
        }
    )
    built = maps.seizure_map(None, hex_counts(records, 6), layers=("points",), extent=None)
    assert [entry["layer"] for entry in built.legend] == ["density"]
    note = legend.map_note(50, 50, hex_counts(records, 6), limit=20)
    assert note.startswith("50 seizures shown as")
    assert "about 7.4 km across" in note and "darker the more seizures" in note
    assert "narrow the filters to 20 seizures or fewer" in note


def test_every_entry_is_plain_json_of_a_known_kind():
    records = _records()
    built = maps.seizure_map(
        records,
        hex_counts(records.dropna(subset=["lat"]), 7),
        pair="CN-LA",
        gi=_gi([3, -1]),
    )
    assert json.loads(json.dumps(built.legend)) == built.legend
    for entry in built.legend:
        assert entry["kind"] in map_key.KINDS
        assert {"layer", "title", "kind", "items"} <= set(entry)
        for item in entry["items"]:
            assert isinstance(item["label"], str)
            assert len(item["colour"]) == 4 and all(0 <= c <= 255 for c in item["colour"])


class _Collector(HTMLParser):
    """Collect the tags, attributes and text of a piece of HTML."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_legend_html_escapes_record_text():
    records = _records().assign(taxon_group=[SCRIPT, ATTRIBUTE, "mammals", "mammals", None])
    built = maps.seizure_map(records, layers=("points",))
    page = map_key.legend_html(built.legend)
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert 'onmouseover="' not in page
    parsed = _Collector()
    parsed.feed(page)
    assert set(parsed.tags) <= {"div", "span"}
    assert {name for name, _ in parsed.attributes} <= {"class", "style"}
    shown = "".join(parsed.text)
    assert SCRIPT in shown and ATTRIBUTE in shown  # shown as text, as written
    hostile = [
        {
            "layer": "x",
            "title": SCRIPT,
            "kind": "ramp",
            "items": [{"label": ATTRIBUTE, "colour": ["red;background:url(x)", 0, 0]}],
        }
    ]
    page = map_key.legend_html(hostile)
    assert "<script" not in page and "url(" not in page


def test_legend_html_draws_each_kind_readably():
    records = _records()
    built = maps.seizure_map(
        records,
        hex_counts(records.dropna(subset=["lat"]), 7),
        pair="CN-LA",
        gi=_gi([3, -1]),
    )
    page = map_key.legend_html(built.legend)
    assert page.startswith('<div class="map-legend"')
    assert "flex-wrap:wrap" in page and "font-size:14px" in page
    assert "linear-gradient" in page  # the density ramp
    assert "border-radius:50%" in page  # dots
    for word in ("Mammals", "Reptiles", "Hot spot, 99% confidence", "China – Lao PDR land border"):
        assert word in page
    assert "rgba(204,102,119," in page  # mammals' colour, written from integers
    assert map_key.legend_html([]) == ""
    with pytest.raises(TypeError):
        map_key.legend_html("not a list")
    assert "font-size:20px" in map_key.legend_html(built.legend, font_px=20)


def test_group_labels_come_from_the_one_catalogue():
    entry = map_key.points_keys(_records())[0]
    for item in entry["items"]:
        assert item["label"] in GROUP_LABELS.values()
