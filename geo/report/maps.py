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
tooltip text and escaping in :mod:`geo.report.legend`, the deck and its camera in
:mod:`geo.report.deck`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pydeck as pdk

from geo.report.basemap import basemap_for_view, border_layer, sea_layer
from geo.report.deck import (
    MapDeck,
    deck_payload_bytes,
    is_regional,
    make_deck,
    surroundings,
    view_for,
)
from geo.report.layers import (
    density_layer,
    hotspot_layer,
    place_labels_layer,
    places_layer,
    route_arcs_layer,
    seizure_points_layer,
)
from geo.report.legend import map_note
from geo.store.cells import LocatedExtent

__all__ = [
    "MAX_POINTS",
    "SEIZURE_MAP_LAYERS",
    "MapDeck",
    "deck_payload_bytes",
    "route_map",
    "seizure_map",
]

MAX_POINTS = 20_000
"""Above this many seizures with coordinates, a map shows H3 hexagons instead of points."""

SEIZURE_MAP_LAYERS = ("points", "density", "hotspots", "places")


def seizure_map(
    points: pd.DataFrame | None = None,
    cells: pd.DataFrame | None = None,
    pair: str | None = None,
    layers: Sequence[str] = SEIZURE_MAP_LAYERS,
    gi: pd.DataFrame | None = None,
    *,
    extent: LocatedExtent | None = None,
    tile_basemap: bool = False,
) -> MapDeck:
    """Build the seizure map: basemap, border, hexagons, hot spots, seizures and places.

    Parameters
    ----------
    points : pandas.DataFrame, optional
        The seizures to draw as dots (see :func:`geo.report.layers.seizure_points_layer`),
        at most :data:`MAX_POINTS`; None when the selection is larger.
    cells : pandas.DataFrame, optional
        :func:`geo.spatial.hotspots.hex_counts_from_tally` output, for the density layer,
        and drawn in place of the points when "points" is asked for and ``points`` is None.
    pair : str, optional
        A country pair ("CN-LA"): its land border is highlighted and the view fits it.
        Without a pair the view fits ``extent.bounds``.
    layers : sequence of {"points", "density", "hotspots", "places"}
        What to draw.  They are stacked in a fixed order whatever the order given: density,
        hot spots, the border, points, places (so dots and place names stay on top).
    gi : pandas.DataFrame, optional
        :func:`geo.spatial.hotspots.gi_star` output; the "hotspots" layer is drawn only
        when it is given.
    extent : LocatedExtent, optional
        How many seizures the filters select, how many have coordinates and their bounds
        (:func:`geo.store.cells.located_extent`).  By default taken from ``points`` (its rows,
        those with valid coordinates and their box).
    tile_basemap : bool, default False
        Use Carto's light tile basemap (fetched from the internet by the browser) instead
        of the country polygons.

    Returns
    -------
    MapDeck
        ``map_provider`` and ``map_style`` None unless ``tile_basemap``, so nothing is
        fetched; tooltip :data:`geo.report.legend.TOOLTIP`.  ``deck.note`` is a line for the
        page, or None: it says when seizures were aggregated into hexagons and how many
        records have no coordinates.
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
    view = view_for(pair, extent.bounds)
    aggregated = "points" in layers and points is None and cells is not None
    drawn: list[pdk.Layer] = [] if tile_basemap else [sea_layer(), basemap_for_view(view)]
    if cells is not None and len(cells) and ("density" in layers or aggregated):
        drawn.append(density_layer(cells))
    if "hotspots" in layers and gi is not None:
        drawn.append(hotspot_layer(gi))
    if pair is not None:
        border = border_layer(pair)
        if border is not None:
            drawn.append(border)
    if "points" in layers and points is not None and len(points):
        drawn.append(seizure_points_layer(points))
    around = surroundings(view)
    if "places" in layers and is_regional(around):
        drawn.append(places_layer(bounds=around))
        labels = place_labels_layer(bounds=around)
        if labels is not None:
            drawn.append(labels)
    note = map_note(extent.total, extent.located, cells if aggregated else None, limit=MAX_POINTS)
    return make_deck(drawn, view, tile_basemap, note)


def route_map(arcs: pd.DataFrame, tile_basemap: bool = False) -> MapDeck:
    """Build the map of trafficking routes: arcs over the offline basemap.

    Parameters
    ----------
    arcs : pandas.DataFrame
        As for :func:`geo.report.layers.route_arcs_layer` (WGS84).
    tile_basemap : bool, default False
        Use Carto's light tile basemap instead of the country polygons.

    Returns
    -------
    MapDeck
        Basemap and arcs, the view fitted to the arcs' ends (the world when there are
        none); nothing is fetched unless ``tile_basemap``.
    """
    layer = route_arcs_layer(arcs)
    ends = np.array(
        [point for row in layer.data for point in (row["from"], row["to"])], dtype=float
    ).reshape(-1, 2)
    bounds = None
    if len(ends):
        bounds = (ends[:, 0].min(), ends[:, 1].min(), ends[:, 0].max(), ends[:, 1].max())
    view = view_for(bounds=bounds)
    drawn = [] if tile_basemap else [sea_layer(), basemap_for_view(view)]
    return make_deck([*drawn, layer], view, tile_basemap, None)


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
