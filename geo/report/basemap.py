"""The offline basemap: sea, country polygons and names, a pair's land border, a scale bar.

Drawn from the shipped Natural Earth polygons (:func:`geo.spatial.boundaries.load_boundaries`),
WGS84 longitude/latitude in degrees, so a map works on a closed network.  Every redraw sends
the basemap again (Streamlit re-sends a deck whole), so :func:`basemap_for_view` sends only
what the view needs: outlines simplified to about half a pixel of the initial view (the
world at 20 km instead of 2 km), and, for a regional view, full detail only for the
countries in and around it, the rest of the world as coarse context for zooming out.

The words and the scale are placed for the initial view, in screen pixels from its centre
(:func:`geo.report.deck.to_screen`, Web Mercator): :func:`country_labels_layer` names the
countries in view without two names overlapping, :func:`scale_bar_layers` draws a bar of a
round length in its lower-left corner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pydeck as pdk
import shapely
from shapely.ops import polylabel

from geo.pairs import split_pair
from geo.reference.countries import country_name
from geo.report.basemap_levels import SIMPLIFY_KM_LEVELS
from geo.report.basemap_levels import level as _level
from geo.report.deck import (
    MAP_PIXELS,
    MERCATOR_LIMIT,
    from_screen,
    km_per_pixel,
    shown_bounds,
    surroundings,
    text_box,
    to_screen,
)
from geo.report.legend import TEXT, escape
from geo.spatial.borders import border_between, land_borders

__all__ = [
    "BORDER_COLOUR",
    "COUNTRY_LABEL_SIZES",
    "SCALE_LENGTHS_KM",
    "SIMPLIFY_KM_LEVELS",
    "basemap_for_view",
    "basemap_layer",
    "border_layer",
    "country_labels_layer",
    "scale_bar_box",
    "scale_bar_layers",
    "sea_layer",
]

# pydeck reads a plain string property as a data accessor ("@@=pixels"); a constant has to
# be marked as a string.
_PIXELS = pdk.types.String("pixels")

# The initial view's outlines may stray by this share of a pixel: zooming in once or twice
# in the browser still looks smooth.
_PIXEL_SHARE = 0.5
# Around a regional view the rest of the world is drawn at this tolerance, for zooming out.
_CONTEXT_KM = 40.0
_DECIMALS = 5  # about 1 m, for the border line

_SEA_COLOUR = (214, 228, 238)
_LAND_COLOUR = (242, 240, 234)
_OUTLINE_COLOUR = (155, 155, 155)
BORDER_COLOUR = (231, 41, 138)
"""RGB of a pair's land border line."""
_BORDER_WIDTH_PIXELS = 4

COUNTRY_LABEL_SIZES = {"pair": 17, "other": 13}
"""Font size in pixels of the pair's two country names and of the others (places: 12)."""
_COUNTRY_LABEL_COLOURS = {"pair": [20, 20, 20, 255], "other": [95, 95, 95, 235]}
_FONT = "Helvetica Neue, Arial, sans-serif"
_LABEL_GAP_PIXELS = 4.0  # at least this between two label boxes
_FRAME_MARGIN_PIXELS = 6.0  # and between a label and the edge of the map
# A country other than the pair's is named only where its part in view is at least this
# share of its name's box: a long name over a small country would seem to name a neighbour.
_MIN_AREA_SHARE = 0.6
_MAX_COUNTRY_LABELS = 40
_UNNAMED = frozenset({"AQ"})  # Antarctica: a world view's bottom edge, never a seizure

SCALE_LENGTHS_KM = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
"""The round lengths a scale bar may have."""
_SCALE_SHARE = 0.2  # of the map's width
_MAX_SCALE_SHARE_KM = 1500.0
_SCALE_TEXT_PIXELS = 12
_SCALE_MARGIN_PIXELS = (16.0, 18.0)  # from the left and the bottom edge
_SCALE_TICK_PIXELS = 6.0
_SCALE_VERTICES = 21
_INK = [40, 40, 40, 255]
# Words and the scale bar are drawn over everything, route arcs raised above the ground
# included: without this their depth puts them under the arcs.
_ON_TOP = {"depthCompare": "always"}
_HALO = [255, 255, 255, 220]
# WGS84 ellipsoid, for the length of a degree along a parallel.
_WGS84_A_KM = 6378.137
_WGS84_E2 = 0.00669437999014


def sea_layer() -> pdk.Layer:
    """Paint the sea as one rectangle under the countries, so the map needs no background."""
    west, east, limit = -180.0, 180.0, MERCATOR_LIMIT
    return pdk.Layer(
        "SolidPolygonLayer",
        data=[{"polygon": [[west, -limit], [east, -limit], [east, limit], [west, limit]]}],
        id="sea",
        get_polygon="polygon",
        get_fill_color=list(_SEA_COLOUR),
        pickable=False,
    )


def basemap_layer(resolution: str = "50m", simplify_km: float = 2.0) -> pdk.Layer:
    """Draw every country polygon as a light GeoJSON layer: the whole offline basemap.

    Parameters
    ----------
    resolution : {"50m", "10m"}
        Natural Earth scale of :func:`geo.spatial.boundaries.load_boundaries`.
    simplify_km : float, default 2.0
        How far the simplified outlines may stray, in km (converted to degrees at 111.32 km
        per degree).  The polygons are simplified together as a coverage
        (``shapely.coverage_simplify``), so neighbours keep one shared edge; simplifying each
        polygon on its own opens visible slivers along every border at border zoom.  0 keeps
        the file's vertices.

    Returns
    -------
    pydeck.Layer
        A non-pickable ``GeoJsonLayer`` (id ``basemap``) whose data is a FeatureCollection,
        one feature per country with property ``iso2``, coordinates in WGS84 rounded to 3
        decimals (2, and islands smaller than the tolerance squared left out, from 10 km).
        The collection is built once per process and shared: do not modify it.
        The world at 1:50m and 2 km is about 1.3 MB of JSON; :func:`basemap_for_view`
        sends far less.
    """
    if not isinstance(simplify_km, int | float) or not simplify_km >= 0:
        raise ValueError(f"simplify_km should be a number >= 0, got {simplify_km!r}")
    return _geojson_layer(_collection((), float(simplify_km), resolution))


def basemap_for_view(view: pdk.ViewState) -> pdk.Layer:
    """Draw the countries as light as the view allows: the basemap a map actually sends.

    Parameters
    ----------
    view : pydeck.ViewState
        The map's initial view (:func:`geo.report.deck.view_for`).

    Returns
    -------
    pydeck.Layer
        A ``GeoJsonLayer`` like :func:`basemap_layer`'s (id ``basemap``, property
        ``iso2``), 1:50m polygons simplified by the one of :data:`SIMPLIFY_KM_LEVELS`
        nearest to half a pixel of the initial view (2 km at a border, 20 km for the
        world).  Only the countries touching the
        view's surroundings (:func:`geo.report.deck.surroundings`) are drawn at that
        detail, the others at 40 km as context for zooming out; islands smaller than the
        tolerance squared are left out at 10 km and coarser, but every country keeps its
        largest part.  About 0.2 MB for the world or
        the CN–LA border, against 1.3 MB for :func:`basemap_layer`.
    """
    tolerance = _tolerance_for(view)
    if tolerance >= _CONTEXT_KM:
        return _geojson_layer(_collection((), tolerance))
    near = _countries_touching(surroundings(view))
    if len(near) == len(_level("50m", _CONTEXT_KM)[0]):
        return _geojson_layer(_collection((), tolerance))
    return _geojson_layer(_collection(near, tolerance))


def border_layer(pair: str) -> pdk.Layer | None:
    """Draw the land border of a country pair as a thick highlighted line.

    Parameters
    ----------
    pair : str
        Two ISO 3166-1 alpha-2 codes joined by "-", in either order ("CN-LA", "LA-CN").

    Returns
    -------
    pydeck.Layer or None
        A pickable ``PathLayer`` (id ``border``) of the Natural Earth 1:10m border
        (:func:`geo.spatial.borders.border_between`), WGS84, one path per part; None when
        the two countries share no land border.

    Raises
    ------
    ValueError
        If ``pair`` is not two different ISO alpha-2 codes.
    """
    first, second = split_pair(pair)
    line = border_between(first, second)
    if line is None:
        return None
    borders = land_borders()
    length = borders.loc[borders["pair"] == f"{first}-{second}", "length_km"]
    title = TEXT["border"].format(first=country_name(first), second=country_name(second))
    detail = "" if length.empty else TEXT["border_length"].format(length=f"{length.iloc[0]:,.0f}")
    rows = [
        {
            "path": np.round(shapely.get_coordinates(part), _DECIMALS).tolist(),
            "title": escape(title),
            "detail": escape(detail),
            "where": "",
        }
        for part in shapely.get_parts(line)
    ]
    return pdk.Layer(
        "PathLayer",
        data=rows,
        id="border",
        get_path="path",
        get_color=list(BORDER_COLOUR),
        width_units=_PIXELS,
        get_width=_BORDER_WIDTH_PIXELS,
        width_min_pixels=3,
        cap_rounded=True,
        joint_rounded=True,
        pickable=True,
        auto_highlight=True,
    )


def country_labels_layer(
    view: pdk.ViewState,
    pixels: Sequence[float] = MAP_PIXELS,
    emphasised: Sequence[str] = (),
    obstacles: Sequence[Sequence[float]] = (),
) -> pdk.Layer | None:
    """Name the countries in the initial view, the pair's two first, no two names overlapping.

    Parameters
    ----------
    view : pydeck.ViewState
        The map's initial view.
    pixels : (width, height), default :data:`geo.report.deck.MAP_PIXELS`
        The part of the view that the map surely shows, in pixels: the names are placed
        inside it.
    emphasised : sequence of str
        ISO alpha-2 codes named first, larger and darker (a pair's two countries).
    obstacles : sequence of (x0, y0, x1, y1)
        Boxes in screen pixels from the view's centre (:func:`geo.report.deck.to_screen`)
        that no name may cover: the place names, the scale bar.

    Returns
    -------
    pydeck.TextLayer or None
        A non-pickable ``TextLayer`` (id ``country-labels``) with one row per name:
        ``position`` [lon, lat] (WGS84), ``text`` (:func:`geo.reference.countries.country_name`,
        escaped like the map's other text, though glyphs are never markup), ``size``
        (:data:`COUNTRY_LABEL_SIZES`) and ``colour``; None when no country can be named.

    Notes
    -----
    Each country is cut to the view (1:50m polygons at the basemap's tolerance) and its
    largest part in view is taken, so a country much larger than the view (China on the
    CN–LA border) is named inside the view, not at its own centre.  A name goes at the
    pole of inaccessibility (:func:`shapely.ops.polylabel`) of the places in that part
    where its box, estimated by :func:`geo.report.deck.text_box`, stays inside the view
    and off the obstacles and the names already placed.  Names are placed in order: the
    emphasised countries, then the others by area in view, largest first; a name that
    finds no room is left out, and so is one whose country's part in view is smaller than
    0.6 of the name's box.  At most 40 names.  Computed once per view (cached).
    """
    codes = tuple(str(code).upper() for code in emphasised)
    boxes = tuple(tuple(round(float(value), 1) for value in box) for box in obstacles)
    placed = _placed_country_labels(
        float(view.longitude),
        float(view.latitude),
        float(view.zoom),
        tuple(float(value) for value in pixels),
        codes,
        boxes,
    )
    if not placed:
        return None
    rows = [
        {
            "position": [round(lon, 4), round(lat, 4)],
            "text": escape(name),
            "size": COUNTRY_LABEL_SIZES[kind],
            "colour": _COUNTRY_LABEL_COLOURS[kind],
        }
        for name, lon, lat, kind in placed
    ]
    return pdk.Layer(
        "TextLayer",
        data=rows,
        id="country-labels",
        get_position="position",
        get_text="text",
        get_size="size",
        size_units=_PIXELS,
        get_color="colour",
        get_text_anchor=pdk.types.String("middle"),
        get_alignment_baseline=pdk.types.String("center"),
        font_family=pdk.types.String(_FONT),
        font_weight=600,
        character_set=pdk.types.String("auto"),
        # A faint white box keeps a name readable over arcs, hexagons and dots (an SDF
        # halo came out faint in software rendering).
        background=True,
        get_background_color=[255, 255, 255, 150],
        background_padding=[3, 0],
        parameters=_ON_TOP,
        pickable=False,
    )


def scale_bar_layers(view: pdk.ViewState, pixels: Sequence[float] = MAP_PIXELS) -> list[pdk.Layer]:
    """Draw a scale bar of a round length in the lower-left corner of the initial view.

    Parameters
    ----------
    view : pydeck.ViewState
        The map's initial view.
    pixels : (width, height), default :data:`geo.report.deck.MAP_PIXELS`
        The part of the view the map surely shows; the bar starts 16 pixels from its left
        edge and 18 above its bottom.

    Returns
    -------
    list of pydeck.Layer
        A ``PathLayer`` (id ``scale-bar``, rows ``part`` "bar", "tick", each drawn twice:
        a white halo then dark ink) and a ``TextLayer`` (id ``scale-label``, "50 km"); an
        empty list for a view wider than a region (a fifth of it over 1,500 km), where one
        bar cannot be true across the map.

    Notes
    -----
    The length is the one of :data:`SCALE_LENGTHS_KM` nearest (by ratio) to a fifth of
    the map's width at the bar's latitude.  The bar is geographic, not drawn on the
    screen: it runs along the parallel at its latitude, where a degree of longitude is
    ``N(φ) cos φ`` of the WGS84 ellipsoid, so it stays true as the user zooms and pans.
    In Web Mercator the scale grows with latitude, so the bar is true at its own latitude
    only: on a view spanning 60° N and 40° N, things at 60° N are drawn 1.5 times larger
    than at 40° N.
    """
    width, height = (float(value) for value in pixels)
    left_x = -width / 2 + _SCALE_MARGIN_PIXELS[0]
    bar_y = height / 2 - _SCALE_MARGIN_PIXELS[1]
    left_lon, bar_lat = (float(value) for value in from_screen(view, left_x, bar_y))
    km_per_degree = _parallel_km_per_degree(bar_lat)
    degrees_per_pixel = 360.0 / (512.0 * 2.0**view.zoom)
    wanted = width * _SCALE_SHARE * degrees_per_pixel * km_per_degree
    if not math.isfinite(wanted) or not 0 < wanted <= _MAX_SCALE_SHARE_KM:
        return []
    length = min(SCALE_LENGTHS_KM, key=lambda km: abs(math.log(km / wanted)))
    right_lon = left_lon + length / km_per_degree
    bar = [
        [round(lon, 6), round(bar_lat, 6)]
        for lon in np.linspace(left_lon, right_lon, _SCALE_VERTICES).tolist()
    ]
    tick_lat = float(from_screen(view, left_x, bar_y - _SCALE_TICK_PIXELS)[1])
    ticks = [
        [[round(lon, 6), round(bar_lat, 6)], [round(lon, 6), round(tick_lat, 6)]]
        for lon in (left_lon, right_lon)
    ]
    parts = [("bar", bar), *(("tick", tick) for tick in ticks)]
    rows = [
        {"part": part, "path": path, "colour": colour, "width": line_width}
        for colour, line_width in ((_HALO, 5), (_INK, 2))
        for part, path in parts
    ]
    bar_layer = pdk.Layer(
        "PathLayer",
        data=rows,
        id="scale-bar",
        get_path="path",
        get_color="colour",
        get_width="width",
        width_units=_PIXELS,
        cap_rounded=False,
        parameters=_ON_TOP,
        pickable=False,
    )
    label = pdk.Layer(
        "TextLayer",
        data=[
            {
                "position": [round(left_lon, 6), round(tick_lat, 6)],
                "text": _scale_text(length),
            }
        ],
        id="scale-label",
        get_position="position",
        get_text="text",
        get_size=_SCALE_TEXT_PIXELS,
        size_units=_PIXELS,
        get_color=_INK,
        get_text_anchor=pdk.types.String("start"),
        get_alignment_baseline=pdk.types.String("bottom"),
        get_pixel_offset=[0, -2],
        font_family=pdk.types.String(_FONT),
        background=True,
        get_background_color=[255, 255, 255, 190],
        background_padding=[2, 1],
        parameters=_ON_TOP,
        pickable=False,
    )
    return [bar_layer, label]


def scale_bar_box(layers: Sequence[pdk.Layer], view: pdk.ViewState) -> tuple[float, ...] | None:
    """Return the screen box (x0, y0, x1, y1) that :func:`scale_bar_layers` covers, or None."""
    bar = next((layer for layer in layers if layer.id == "scale-bar"), None)
    label = next((layer for layer in layers if layer.id == "scale-label"), None)
    if bar is None or label is None:
        return None
    path = np.array([point for row in bar.data for point in row["path"]], dtype=float)
    x, y = to_screen(view, path[:, 0], path[:, 1])
    text_width, text_height = text_box(label.data[0]["text"], _SCALE_TEXT_PIXELS)
    return (
        float(x.min()) - 4,
        float(y.min()) - text_height - 6,
        float(max(x.max(), x.min() + text_width)) + 4,
        float(y.max()) + 4,
    )


def _scale_text(length: int) -> str:
    return TEXT["scale"].format(length=f"{length:,}")


def _parallel_km_per_degree(latitude: float) -> float:
    """Length of one degree of longitude along the parallel at ``latitude``, WGS84, in km."""
    phi = math.radians(latitude)
    normal = _WGS84_A_KM / math.sqrt(1 - _WGS84_E2 * math.sin(phi) ** 2)
    return math.radians(1.0) * normal * math.cos(phi)


@lru_cache(maxsize=64)
def _placed_country_labels(
    longitude: float,
    latitude: float,
    zoom: float,
    pixels: tuple[float, float],
    emphasised: tuple[str, ...],
    obstacles: tuple[tuple[float, ...], ...],
) -> tuple[tuple[str, float, float, str], ...]:
    """(name, lon, lat, "pair" or "other") of each country name placed in the view."""
    view = pdk.ViewState(longitude=longitude, latitude=latitude, zoom=zoom)
    width, height = pixels
    margin = _FRAME_MARGIN_PIXELS
    frame = (-width / 2 + margin, -height / 2 + margin, width / 2 - margin, height / 2 - margin)
    in_view = _countries_in_view(view, pixels, frame)
    first = {code: index for index, code in enumerate(emphasised)}
    in_view.sort(key=lambda row: (first.get(row[0], len(first)), -row[2]))
    blockers = [shapely.box(*box) for box in obstacles if len(box) == 4]
    names: list[shapely.Polygon] = []
    placed = []
    for code, part, area in in_view:
        if len(placed) >= _MAX_COUNTRY_LABELS:
            break
        kind = "pair" if code in first else "other"
        name = country_name(code)
        label_width, label_height = text_box(name, COUNTRY_LABEL_SIZES[kind])
        if kind == "other" and area < _MIN_AREA_SHARE * label_width * label_height:
            continue
        size = (label_width, label_height)
        point = _label_point(part, size, frame, [*blockers, *names])
        if point is None and kind == "pair":
            # The pair's names matter more than a place name: cover one if need be.
            point = _label_point(part, size, frame, names)
        if point is None:
            continue
        x, y = point
        names.append(
            shapely.box(
                x - label_width / 2, y - label_height / 2, x + label_width / 2, y + label_height / 2
            )
        )
        lon, lat = from_screen(view, x, y)
        placed.append((name, float(lon), float(lat), kind))
    return tuple(placed)


def _countries_in_view(
    view: pdk.ViewState, pixels: tuple[float, float], frame: tuple[float, ...]
) -> list[tuple[str, shapely.Polygon, float]]:
    """(code, largest part in view in screen pixels, its area in pixels²) of each country."""
    west, south, east, north = shown_bounds(view, pixels)
    codes, geometries, _ = _level("50m", _tolerance_for(view))
    near = shapely.intersects(geometries, shapely.box(west, south, east, north))

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(to_screen(view, xy[:, 0], xy[:, 1]))

    rows = []
    for code, geometry in zip(codes[near], geometries[near], strict=True):
        if code in _UNNAMED:
            continue
        clipped = shapely.clip_by_rect(geometry, west, south, east, north)
        if clipped.is_empty:
            continue
        on_screen = shapely.clip_by_rect(shapely.transform(clipped, project), *frame)
        parts = [
            part
            for part in shapely.get_parts(on_screen)
            if isinstance(part, shapely.Polygon) and not part.is_empty
        ]
        if not parts:
            continue
        largest = max(parts, key=lambda part: part.area)
        rows.append((str(code), largest, float(largest.area)))
    return rows


def _label_point(
    part: shapely.Polygon,
    size: tuple[float, float],
    frame: tuple[float, ...],
    blockers: Sequence[shapely.Polygon],
) -> tuple[float, float] | None:
    """Return a centre in ``part`` for a label box of ``size``: in the frame, off blockers."""
    half_width, half_height = size[0] / 2, size[1] / 2
    left, top, right, bottom = frame
    if right - left < 2 * half_width or bottom - top < 2 * half_height:
        return None
    room = part.intersection(
        shapely.box(left + half_width, top + half_height, right - half_width, bottom - half_height)
    )
    if blockers and not room.is_empty:
        gap = _LABEL_GAP_PIXELS
        grown = [
            shapely.box(
                box.bounds[0] - half_width - gap,
                box.bounds[1] - half_height - gap,
                box.bounds[2] + half_width + gap,
                box.bounds[3] + half_height + gap,
            )
            for box in blockers
        ]
        room = room.difference(shapely.union_all(grown))
    pieces = [piece for piece in shapely.get_parts(room) if isinstance(piece, shapely.Polygon)]
    pieces = [piece for piece in pieces if piece.area > 0]
    if not pieces:
        return None
    largest = max(pieces, key=lambda piece: piece.area)
    centre = polylabel(largest, tolerance=max(0.5, math.sqrt(largest.area) / 40))
    return float(centre.x), float(centre.y)


def _geojson_layer(collection: dict) -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer",
        data=collection,
        id="basemap",
        stroked=True,
        filled=True,
        get_fill_color=list(_LAND_COLOUR),
        get_line_color=list(_OUTLINE_COLOUR),
        line_width_units=_PIXELS,
        get_line_width=0.7,
        line_width_min_pixels=0.5,
        pickable=False,
    )


def _tolerance_for(view: pdk.ViewState) -> float:
    """Return the level nearest (by ratio) to half a pixel at the view's centre."""
    wanted = _PIXEL_SHARE * km_per_pixel(view)
    return min(SIMPLIFY_KM_LEVELS, key=lambda level: abs(math.log(level / wanted)))


def _countries_touching(bounds: tuple[float, float, float, float]) -> tuple[str, ...]:
    codes, geometries, _ = _level("50m", _CONTEXT_KM)
    touching = shapely.intersects(geometries, shapely.box(*bounds))
    return tuple(sorted(str(code) for code in codes[touching]))


@lru_cache(maxsize=16)
def _collection(near: tuple[str, ...], tolerance: float, resolution: str = "50m") -> dict:
    """Return ``near`` countries at ``tolerance``, the others at the context tolerance.

    With no ``near`` countries, every country at ``tolerance``.  Built once per view kind
    and shared: do not modify it.
    """
    if not near:
        return {"type": "FeatureCollection", "features": _level(resolution, tolerance)[2]}
    wanted = set(near)
    _, _, detailed = _level(resolution, tolerance)
    _, _, context = _level(resolution, _CONTEXT_KM)
    features = [feature for feature in context if feature["properties"]["iso2"] not in wanted]
    features += [feature for feature in detailed if feature["properties"]["iso2"] in wanted]
    return {"type": "FeatureCollection", "features": features}
