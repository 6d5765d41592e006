"""The maps the pages show: seizures (points or hexagons), hot spots, places and routes, offline.

Every coordinate here is WGS84 (``EPSG:4326``) longitude/latitude in degrees.  The builders
take the store's small aggregates, never a query's records: the capped points of
:func:`geo.store.cells.map_points`, the cell counts of
:func:`geo.spatial.hotspots.hex_counts_from_tally`, Gi* frames, route arcs, and the
:class:`~geo.store.cells.LocatedExtent` of the selection for the note and the camera.
:mod:`geo.report.map_views` fetches those for a query.

The decks fetch nothing: the basemap is drawn from the shipped Natural Earth polygons
(:mod:`geo.report.basemap`), lightened to what the view needs, so a map works on a closed
network; a Carto tile basemap is only an option.  Layers are in :mod:`geo.report.layers`,
the country names and the scale bar in :mod:`geo.report.basemap`, tooltip text and
escaping in :mod:`geo.report.legend`, the key to each map (``deck.legend``) in
:mod:`geo.report.map_key`, the deck and its camera in :mod:`geo.report.deck`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pydeck as pdk

from geo.pairs import split_pair
from geo.report.basemap import (
    basemap_for_view,
    border_layer,
    country_labels_layer,
    scale_bar_box,
    scale_bar_layers,
    sea_layer,
)
from geo.report.deck import (
    MAP_PIXELS,
    MapDeck,
    deck_payload_bytes,
    is_regional,
    make_deck,
    surroundings,
    to_screen,
    view_for,
)
from geo.report.layers import (
    density_layer,
    hotspot_layer,
    hotspot_marks_layer,
    place_label_boxes,
    place_labels_layer,
    places_layer,
    route_arcs_layer,
    seizure_points_layer,
)
from geo.report.legend import map_note
from geo.report.map_key import (
    border_key,
    density_key,
    hotspots_key,
    places_key,
    points_keys,
    routes_key,
)
from geo.store.cells import LocatedExtent

__all__ = [
    "MAX_POINTS",
    "SEIZURE_MAP_LAYERS",
    "SEIZURE_MAP_PIXELS",
    "MapDeck",
    "deck_payload_bytes",
    "route_map",
    "seizure_map",
]

MAX_POINTS = 20_000
"""Above this many seizures with coordinates, a map shows H3 hexagons instead of points."""

SEIZURE_MAP_LAYERS = ("points", "density", "hotspots", "places")

SEIZURE_MAP_PIXELS = (480.0, 420.0)
"""The part of a seizure map every page shows, in pixels (width, height).

The Overview and Border hotspots maps sit beside a table: about 484 x 420 pixels in a
1280-pixel-wide window (556 at 1400).  The view is fitted into this, and the country names
and the scale bar are placed inside it, so none is cut off in a narrow window.
"""

_ARC_SAMPLES = 17
_WORLD_SPAN_DEGREES = 270.0
_END_PIXELS = 8.0


def seizure_map(
    points: pd.DataFrame | None = None,
    cells: pd.DataFrame | None = None,
    pair: str | None = None,
    layers: Sequence[str] = SEIZURE_MAP_LAYERS,
    gi: pd.DataFrame | None = None,
    *,
    extent: LocatedExtent | None = None,
    tile_basemap: bool = False,
    pixels: Sequence[float] = SEIZURE_MAP_PIXELS,
) -> MapDeck:
    """Build the seizure map: basemap, border, seizures, hexagons, places, names and scale.

    Parameters
    ----------
    points : pandas.DataFrame, optional
        The seizures to draw as dots (see :func:`geo.report.layers.seizure_points_layer`),
        at most :data:`MAX_POINTS`; None when the selection is larger.
    cells : pandas.DataFrame, optional
        :func:`geo.spatial.hotspots.hex_counts_from_tally` output, for the density layer,
        and drawn in place of the points when "points" is asked for and ``points`` is None.
    pair : str, optional
        A country pair ("CN-LA"): its land border is highlighted, its two countries'
        names are placed first and larger, and the view fits the border.  Without a pair
        the view fits ``extent.bounds``.
    layers : sequence of {"points", "density", "hotspots", "places"}
        What to draw, stacked in a fixed order whatever the order given (see Notes).
    gi : pandas.DataFrame, optional
        :func:`geo.spatial.hotspots.gi_star` output; the "hotspots" layer is drawn only
        when it is given.
    extent : LocatedExtent, optional
        How many seizures the filters select, how many have coordinates and their bounds
        (:func:`geo.store.cells.located_extent`).  By default taken from ``points`` (its rows,
        those with valid coordinates and their box).
    tile_basemap : bool, default False
        Use Carto's light tile basemap (fetched from the internet by the browser) instead
        of the country polygons; its tiles name the countries, so the map does not.
    pixels : (width, height), default :data:`SEIZURE_MAP_PIXELS`
        The map's size that the view is fitted into and the names and the scale bar are
        placed in.

    Returns
    -------
    MapDeck
        ``map_provider`` and ``map_style`` None unless ``tile_basemap``, so nothing is
        fetched; tooltip :data:`geo.report.legend.TOOLTIP`.  ``deck.note`` is a line for the
        page, or None: it says when seizures were aggregated into hexagons and how many
        records have no coordinates.  ``deck.legend`` is the key to the layers drawn
        (:mod:`geo.report.map_key`): taxon groups present and dot sizes, the density ramp
        with its counts, the Gi* bins present, the border, the kinds of place.

    Notes
    -----
    Layers, bottom to top: sea and countries; the pair's border; the seizure dots; the
    density hexagons; the Gi* hexagons and a ring round each (never under 7 pixels, so a
    hot spot shows at any zoom); places and their names; the scale bar; country names.
    The hexagons are the analysis, so they go over the dots, not under them: where
    hundreds of dots pile up at a crossing they would hide the one hexagon that says it
    is a hot spot.  The hexagons are translucent, and when any is drawn the dots are
    drawn smaller and fainter (:data:`geo.report.layers.SUBDUED_POINTS`), as context;
    hovering a hexagon gives its count and top taxa, and turning the hexagon layers off
    brings back each seizure's own tooltip.  The border lies under the data, so a
    crossing's dots and hexagons are not cut by it.  Places and words stay on top, where
    nothing hides them; country names last, over everything, on a faint white box.
    """
    unknown = [name for name in layers if name not in SEIZURE_MAP_LAYERS]
    if unknown or isinstance(layers, str):
        raise ValueError(
            f"layers should be a sequence drawn from {SEIZURE_MAP_LAYERS}, got {layers!r}"
        )
    for name, frame in (("points", points), ("cells", cells), ("gi", gi)):
        if frame is not None and not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{name!r} should be a pandas DataFrame or None, got {type(frame)}")
    if extent is None:
        extent = _extent_of(points)
    view = view_for(pair, extent.bounds, pixels)
    aggregated = "points" in layers and points is None and cells is not None
    drawn: list[pdk.Layer] = [] if tile_basemap else [sea_layer(), basemap_for_view(view)]
    legend: list[dict] = []
    hexagons: list[pdk.Layer] = []
    if cells is not None and len(cells) and ("density" in layers or aggregated):
        hexagons.append(density_layer(cells))
        legend.append(density_key(cells))
    if "hotspots" in layers and gi is not None:
        spots = hotspot_layer(gi)
        marks = hotspot_marks_layer(spots)
        hexagons.extend([spots, *([marks] if marks is not None else [])])
        legend.append(hotspots_key(gi))
    if pair is not None:
        border = border_layer(pair)
        if border is not None:
            drawn.append(border)
            legend.append(border_key(pair))
    if "points" in layers and points is not None and len(points):
        drawn.append(seizure_points_layer(points, subdued=bool(hexagons)))
        legend[:0] = points_keys(points, subdued=bool(hexagons))
    drawn.extend(hexagons)
    around = surroundings(view)
    scale = scale_bar_layers(view, pixels)
    scale_box = scale_bar_box(scale, view)
    labels = None
    if "places" in layers and is_regional(around):
        places = places_layer(bounds=around)
        drawn.append(places)
        legend.append(places_key(places))
        labels = place_labels_layer(
            bounds=around, view=view, keep_off=[scale_box] if scale_box else []
        )
        if labels is not None:
            drawn.append(labels)
    drawn.extend(scale)
    if not tile_basemap:
        drawn.extend(_country_names(view, pixels, pair, labels, scale_box))
    note = map_note(extent.total, extent.located, cells if aggregated else None, limit=MAX_POINTS)
    return make_deck(drawn, view, tile_basemap, note, [entry for entry in legend if entry])


def route_map(
    arcs: pd.DataFrame,
    tile_basemap: bool = False,
    *,
    pair: str | None = None,
    pixels: Sequence[float] = MAP_PIXELS,
) -> MapDeck:
    """Build the map of trafficking routes: arcs over the offline basemap, countries named.

    Parameters
    ----------
    arcs : pandas.DataFrame
        As for :func:`geo.report.layers.route_arcs_layer` (WGS84).
    tile_basemap : bool, default False
        Use Carto's light tile basemap instead of the country polygons.
    pair : str, optional
        A country pair ("CN-LA") whose two names are placed first and larger.
    pixels : (width, height), default :data:`geo.report.deck.MAP_PIXELS`
        The map's size (the Routes page's map is full width).

    Returns
    -------
    MapDeck
        Basemap, arcs, a scale bar on a regional view and the country names.  The view
        fits the arcs, their ends and the great circles between them, padded by 15%
        (the world when there are none, or when they span more than 270° of longitude,
        as arcs across the Pacific do).  Every arc runs from a light orange source end to
        a dark red target end; ``deck.legend`` says so and what width means.  Nothing is
        fetched unless ``tile_basemap``.
    """
    layer = route_arcs_layer(arcs)
    bounds = _arc_bounds(layer.data)
    if bounds is not None and bounds[2] - bounds[0] >= _WORLD_SPAN_DEGREES:
        bounds = None  # arcs round the world (or across 180°): the world, not a squeezed box
    view = view_for(bounds=bounds, pixels=pixels)
    drawn = [] if tile_basemap else [sea_layer(), basemap_for_view(view)]
    drawn.append(layer)
    scale = scale_bar_layers(view, pixels)
    drawn.extend(scale)
    if not tile_basemap:
        # The arcs end inside each country, where its name would go: keep the names off
        # the ends, where arcs bunch.
        ends = _end_boxes(layer.data, view)
        drawn.extend(_country_names(view, pixels, pair, None, scale_bar_box(scale, view), ends))
    key = routes_key(layer)
    return make_deck(drawn, view, tile_basemap, None, [key] if key else [])


def _country_names(
    view: pdk.ViewState,
    pixels: Sequence[float],
    pair: str | None,
    place_labels: pdk.Layer | None,
    scale_box: tuple[float, ...] | None,
    others: Sequence[tuple[float, ...]] = (),
) -> list[pdk.Layer]:
    """Name the countries off the place names, the scale bar, ``others`` and each other."""
    obstacles = [*place_label_boxes(place_labels, view, pixels), *others]
    if scale_box is not None:
        obstacles.append(scale_box)
    emphasised = split_pair(pair) if pair is not None else ()
    countries = country_labels_layer(view, pixels, emphasised, obstacles)
    return [countries] if countries is not None else []


def _end_boxes(rows: list[dict], view: pdk.ViewState) -> list[tuple[float, ...]]:
    """Screen boxes round the arcs' ends (each place once)."""
    ends = {tuple(row[end]) for row in rows for end in ("from", "to")}
    if not ends:
        return []
    points = np.array(sorted(ends), dtype=float)
    x, y = to_screen(view, points[:, 0], points[:, 1])
    half = _END_PIXELS
    return [
        (round(left - half, 1), round(top - half, 1), round(left + half, 1), round(top + half, 1))
        for left, top in zip(x.tolist(), y.tolist(), strict=True)
    ]


def _arc_bounds(rows: list[dict]) -> tuple[float, float, float, float] | None:
    """WGS84 bounds of the arcs' ends and of the great circles between them, or None."""
    if not rows:
        return None
    ends = np.array([[row["from"], row["to"]] for row in rows], dtype=float)
    lon = np.radians(ends[:, :, 0])
    lat = np.radians(ends[:, :, 1])
    xyz = np.stack(
        [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1
    )  # (arcs, 2 ends, 3)
    start, end = xyz[:, 0, :], xyz[:, 1, :]
    angle = np.arccos(np.clip(np.sum(start * end, axis=1), -1.0, 1.0))[:, None]
    steps = np.linspace(0.0, 1.0, _ARC_SAMPLES)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        sine = np.sin(angle)
        first = np.where(sine > 1e-9, np.sin((1 - steps) * angle) / sine, 1 - steps)
        second = np.where(sine > 1e-9, np.sin(steps * angle) / sine, steps)
    along = first[:, :, None] * start[:, None, :] + second[:, :, None] * end[:, None, :]
    lons = np.degrees(np.arctan2(along[..., 1], along[..., 0])).ravel()
    lats = np.degrees(np.arcsin(np.clip(along[..., 2] / np.linalg.norm(along, axis=-1), -1, 1)))
    lats = lats.ravel()
    return (float(lons.min()), float(lats.min()), float(lons.max()), float(lats.max()))


def _extent_of(points: pd.DataFrame | None) -> LocatedExtent:
    """Return a frame's extent: its rows, those with valid coordinates, and their box."""
    if points is None or points.empty:
        return LocatedExtent(total=0 if points is None else len(points), located=0, bounds=None)
    missing = [name for name in ("lat", "lon") if name not in points.columns]
    if missing:
        raise ValueError(f"points lacks the column(s) {missing}; it has {list(points.columns)}")
    lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not valid.any():
        return LocatedExtent(total=len(points), located=0, bounds=None)
    bounds = (lon[valid].min(), lat[valid].min(), lon[valid].max(), lat[valid].max())
    return LocatedExtent(
        total=len(points), located=int(valid.sum()), bounds=tuple(float(b) for b in bounds)
    )
