"""The deck around the layers: compact JSON, the camera fitted to a pair or an extent, payload size.

Every coordinate here is WGS84 (``EPSG:4326``) longitude/latitude in degrees, as deck.gl
expects; zoom levels are Web Mercator's.  Decks are :class:`MapDeck`, which serialises
without the indentation and the ASCII escapes of non-ASCII text that pydeck writes (the
world basemap shrinks from 8 MB to 1.3 MB that way), and which names no tile server unless
asked: the decks fetch nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence

import h3
import numpy as np
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from geo.pairs import split_pair
from geo.report.legend import TOOLTIP
from geo.spatial.borders import border_between
from geo.spatial.boundaries import load_boundaries

__all__ = [
    "MAP_PIXELS",
    "MERCATOR_LIMIT",
    "WORLD_BOUNDS",
    "MapDeck",
    "deck_payload_bytes",
    "from_screen",
    "is_regional",
    "km_per_pixel",
    "make_deck",
    "shown_bounds",
    "surroundings",
    "text_box",
    "to_screen",
    "view_for",
    "visible_resolution",
]

WORLD_BOUNDS = (-180.0, -60.0, 180.0, 75.0)
MERCATOR_LIMIT = 85.0

_EQUATOR_KM = 40_075.017
_MIN_HEXAGON_PIXELS = 6.0
_REGIONAL_SPAN_DEGREES = 45.0
MAP_PIXELS = (800.0, 500.0)
"""A full-width Streamlit map's size in pixels (width, height): what a view is fitted into."""

# The surroundings (basemap detail, places) are measured on the full-width map, whatever
# size a view was fitted to: wider is only safer.
_VIEW_PIXELS = MAP_PIXELS
_TILE_PIXELS = 512.0
_MAX_ZOOM = 12.0
_PADDING_SHARE = 0.15
_SURROUNDINGS_SHARE = 2.0
_MIN_PADDING_DEGREES = 0.3
_GLYPH_WIDTH = 0.6
_LINE_HEIGHT = 1.2


class MapDeck(pdk.Deck):
    """A :class:`pydeck.Deck` that serialises compactly and carries a note for the page.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`pydeck.Deck`.
    note : str, optional
        One line for the page to show beside the map (for example that seizures were
        aggregated into hexagons); not part of the deck's JSON.
    legend : list of dict, optional
        The key to the map's layers, as plain JSON-able data
        (:mod:`geo.report.map_key` builds and draws it); not part of the deck's JSON.
    """

    def __init__(self, *args, note: str | None = None, legend: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.note = note
        self.legend = list(legend or [])

    def to_json(self) -> str:
        """Return the deck as JSON without whitespace (what Streamlit sends to the browser)."""
        attributes = default_serialize(self)
        attributes.pop("note", None)
        attributes.pop("legend", None)
        # Non-ASCII text (place names in Chinese, "·") as UTF-8, not \u escapes: up to half
        # the bytes for such text.
        return json.dumps(
            attributes,
            sort_keys=True,
            default=default_serialize,
            separators=(",", ":"),
            ensure_ascii=False,
        )


def deck_payload_bytes(deck: pdk.Deck) -> int:
    """Return the size of a deck's JSON, the bytes a page sends to the browser.

    Parameters
    ----------
    deck : pydeck.Deck
        Any deck.

    Returns
    -------
    int
        ``len(deck.to_json().encode())``.
    """
    if not isinstance(deck, pdk.Deck):
        raise TypeError(f"'deck' should be a pydeck.Deck, got {type(deck)}")
    return len(deck.to_json().encode("utf-8"))


def make_deck(
    layers: list[pdk.Layer],
    view: pdk.ViewState,
    tile_basemap: bool,
    note: str | None,
    legend: list[dict] | None = None,
) -> MapDeck:
    """Return a :class:`MapDeck` with the shared tooltip, offline unless ``tile_basemap``.

    Without a tile basemap, ``map_provider`` is None and ``map_style`` left unset (pydeck's
    "no style" mark), so the deck names no tile server; with one, Carto's light style.
    """
    if tile_basemap:
        provider = {"map_provider": "carto", "map_style": "light"}
    else:
        # Not map_style=None: Streamlit draws a deck without a style on Carto's basemap.
        provider = {"map_provider": None}
    return MapDeck(
        layers=layers,
        # Copies of the world left and right of it: a world map wider than the world has no
        # empty margins, and an arc across 180° runs on into the next copy.
        views=[pdk.View(type="MapView", controller=True, repeat=True)],
        initial_view_state=view,
        tooltip=TOOLTIP,
        note=note,
        legend=legend,
        **provider,
    )


def view_for(
    pair: str | None = None,
    bounds: Sequence[float] | None = None,
    pixels: Sequence[float] = MAP_PIXELS,
) -> pdk.ViewState:
    """Return the initial camera: the pair's border, else the bounds, else the world.

    Parameters
    ----------
    pair : str, optional
        A country pair ("CN-LA").  The view fits the bounds of its land border; for two
        countries with no land border (China and Brazil) it fits both countries' largest
        polygons.
    bounds : (west, south, east, north), optional
        WGS84 degrees, used when no pair is given: the box around the seizures to show
        (:attr:`geo.store.cells.LocatedExtent.bounds`).
    pixels : (width, height), default :data:`MAP_PIXELS`
        The size of the map the view must fit into: a map beside a table is narrower than
        a full-width one, and a view fitted to 800 pixels would be cut at its sides.

    Returns
    -------
    pydeck.ViewState
        Longitude, latitude and zoom that fit the bounds, padded by 15% on each side, into a
        map of ``pixels`` (Web Mercator); pitch and bearing 0.
    """
    return _view_state(_view_bounds(pair, bounds), _checked_pixels(pixels))


def visible_resolution(view: pdk.ViewState, finest: int) -> int:
    """Return the finest H3 resolution, up to ``finest``, whose hexagons the view can show.

    A hexagon counts as visible when it is at least 6 pixels across at the view's centre.
    A resolution-6 hexagon is about 7 km across: a dot far under a pixel on a world map,
    which gets resolution 2 (the CN–LA border gets 6).
    """
    scale = km_per_pixel(view)
    for resolution in range(finest, -1, -1):
        across_km = 2 * h3.average_hexagon_edge_length(resolution, unit="km")
        if across_km / scale >= _MIN_HEXAGON_PIXELS:
            return resolution
    return 0


def km_per_pixel(view: pdk.ViewState) -> float:
    """Return the ground distance of one screen pixel at the view's centre, in km."""
    return _EQUATOR_KM * math.cos(math.radians(view.latitude)) / (_TILE_PIXELS * 2.0**view.zoom)


def surroundings(view: pdk.ViewState) -> tuple[float, float, float, float]:
    """Return what the initial view shows, widened by half a view on each side for panning.

    WGS84 (west, south, east, north), within ±180° longitude and the Mercator limit.
    """
    scale = _TILE_PIXELS * 2.0**view.zoom
    width, height = _VIEW_PIXELS
    half_lon = _SURROUNDINGS_SHARE * width / 2 * 360.0 / scale
    half_y = _SURROUNDINGS_SHARE * height / 2 * 2 * math.pi / scale
    centre_y = _mercator_y(view.latitude)
    south, north = (
        math.degrees(2 * math.atan(math.exp(centre_y + sign * half_y)) - math.pi / 2)
        for sign in (-1, 1)
    )
    return (
        max(view.longitude - half_lon, -180.0),
        max(south, -MERCATOR_LIMIT),
        min(view.longitude + half_lon, 180.0),
        min(north, MERCATOR_LIMIT),
    )


def shown_bounds(
    view: pdk.ViewState, pixels: Sequence[float] = MAP_PIXELS
) -> tuple[float, float, float, float]:
    """Return what a map of ``pixels`` shows of the view: WGS84 (west, south, east, north).

    Clamped to ±180° longitude and the Mercator limit.
    """
    width, height = _checked_pixels(pixels)
    west, north = from_screen(view, -width / 2, -height / 2)
    east, south = from_screen(view, width / 2, height / 2)
    return (
        max(float(west), -180.0),
        max(float(south), -MERCATOR_LIMIT),
        min(float(east), 180.0),
        min(float(north), MERCATOR_LIMIT),
    )


def to_screen(view: pdk.ViewState, lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Return WGS84 positions as screen pixels from the view's centre (x right, y down).

    Web Mercator at the view's zoom, pitch and bearing 0; latitudes beyond the Mercator
    limit are taken at the limit.  Scalars or arrays.
    """
    scale = _TILE_PIXELS * 2.0**view.zoom
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -MERCATOR_LIMIT, MERCATOR_LIMIT)
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))
    x_pixels = (lon - view.longitude) * scale / 360.0
    y_pixels = (_mercator_y(view.latitude) - y) * scale / (2 * math.pi)
    return x_pixels, y_pixels


def from_screen(view: pdk.ViewState, x, y) -> tuple[np.ndarray, np.ndarray]:
    """Return the WGS84 (lon, lat) of screen pixels from the view's centre (undoes to_screen)."""
    scale = _TILE_PIXELS * 2.0**view.zoom
    lon = view.longitude + np.asarray(x, dtype=float) * 360.0 / scale
    mercator = _mercator_y(view.latitude) - np.asarray(y, dtype=float) * 2 * math.pi / scale
    lat = np.degrees(2 * np.arctan(np.exp(mercator)) - np.pi / 2)
    return lon, lat


def text_box(text: str, size: float) -> tuple[float, float]:
    """Estimate the (width, height) in pixels of one line of text at ``size`` pixels.

    Characters x 0.6 x size wide (a generous average glyph of a sans-serif face; capitals
    and bold run wider than most lower case) and 1.2 x size high.
    """
    return len(text) * _GLYPH_WIDTH * size, _LINE_HEIGHT * size


def is_regional(bounds: tuple[float, float, float, float]) -> bool:
    """Return True when the bounds span at most 45 degrees each way (a region, not a world)."""
    west, south, east, north = bounds
    return east - west <= _REGIONAL_SPAN_DEGREES and north - south <= _REGIONAL_SPAN_DEGREES


def _view_bounds(
    pair: str | None, bounds: Sequence[float] | None
) -> tuple[float, float, float, float]:
    """(west, south, east, north) to show, padded; the world when there is nothing to fit."""
    if pair is not None:
        first, second = split_pair(pair)
        line = border_between(first, second)
        if line is not None:
            return _padded(line.bounds)
        mainland = _mainland_bounds((first, second))
        if mainland is not None:
            return _padded(mainland)
    if bounds is not None:
        values = [float(value) for value in bounds]
        if len(values) != 4 or not all(math.isfinite(value) for value in values):
            raise ValueError(f"bounds should be (west, south, east, north), got {bounds!r}")
        return _padded(values)
    return WORLD_BOUNDS


def _mainland_bounds(codes: Iterable[str]) -> tuple[float, float, float, float] | None:
    """Return the bounds of the countries' largest polygons, taken together.

    An overseas island, or Alaska's tail across 180 degrees, would otherwise stretch the
    view round the world.
    """
    boundaries = load_boundaries("50m").set_index("iso2")
    boxes = []
    for code in codes:
        if code in boundaries.index:
            parts = shapely.get_parts(boundaries.at[code, "geometry"])
            boxes.append(parts[np.argmax(shapely.area(parts))].bounds)
    if not boxes:
        return None
    box = np.array(boxes)
    return (box[:, 0].min(), box[:, 1].min(), box[:, 2].max(), box[:, 3].max())


def _padded(bounds: Sequence[float]) -> tuple[float, float, float, float]:
    """Return the bounds padded 15% each way, the padding stopping at the world view's latitudes.

    Padding seizures from Chile to Siberia towards the poles would only show Antarctica
    and the Arctic, at Mercator's largest.
    """
    west, south, east, north = (float(value) for value in bounds)
    pad_x = max((east - west) * _PADDING_SHARE, _MIN_PADDING_DEGREES)
    pad_y = max((north - south) * _PADDING_SHARE, _MIN_PADDING_DEGREES)
    _, world_south, _, world_north = WORLD_BOUNDS
    return (
        max(west - pad_x, -180.0),
        max(south - pad_y, min(south, world_south), -MERCATOR_LIMIT),
        min(east + pad_x, 180.0),
        min(north + pad_y, max(north, world_north), MERCATOR_LIMIT),
    )


def _mercator_y(latitude: float) -> float:
    latitude = max(min(latitude, MERCATOR_LIMIT), -MERCATOR_LIMIT)
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def _checked_pixels(pixels: Sequence[float]) -> tuple[float, float]:
    values = tuple(float(value) for value in pixels)
    if len(values) != 2 or not all(math.isfinite(value) and value > 0 for value in values):
        raise ValueError(f"pixels should be (width, height) above 0, got {pixels!r}")
    return values


def _view_state(
    bounds: tuple[float, float, float, float], pixels: tuple[float, float] = MAP_PIXELS
) -> pdk.ViewState:
    """Centre and Web Mercator zoom that fit the bounds into a map of ``pixels``."""
    west, south, east, north = bounds
    bottom, top = _mercator_y(south), _mercator_y(north)
    width, height = pixels
    zoom_x = math.log2(width * 360.0 / (max(east - west, 1e-6) * _TILE_PIXELS))
    zoom_y = math.log2(height * 2 * math.pi / (max(top - bottom, 1e-6) * _TILE_PIXELS))
    zoom = min(max(min(zoom_x, zoom_y), 0.0), _MAX_ZOOM)
    latitude = math.degrees(2 * math.atan(math.exp((bottom + top) / 2)) - math.pi / 2)
    return pdk.ViewState(
        longitude=round((west + east) / 2, 4),
        latitude=round(latitude, 4),
        zoom=round(zoom, 2),
        pitch=0,
        bearing=0,
    )
