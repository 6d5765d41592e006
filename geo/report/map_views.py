"""Each map's data work for a query: the store's aggregates, at the detail the view can show.

A map never loads the query's records.  It asks the store how many seizures the filters
select and where (:func:`geo.store.cells.located_extent`), then either the capped points
(:func:`geo.store.cells.map_points`, up to :data:`geo.report.maps.MAX_POINTS`) or seizures
counted per H3 cell (:func:`geo.store.cells.cell_tally`, one GROUP BY), and builds the deck
from those with :func:`geo.report.maps.seizure_map`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo.analysis import cell_hotspots
from geo.report.deck import view_for, visible_resolution
from geo.report.maps import (
    MAX_POINTS,
    SEIZURE_MAP_LAYERS,
    SEIZURE_MAP_PIXELS,
    MapDeck,
    seizure_map,
)
from geo.spatial import hotspots
from geo.store import cells
from geo.store.query import Query
from geo.store.store import Store

__all__ = ["MAX_CELLS", "hotspot_map", "overview_map"]

MAX_CELLS = MAX_POINTS
"""At most this many hexagons in an aggregated map (coarser cells beyond)."""


def overview_map(store: Store, query: Query, resolution: int = 6) -> MapDeck:
    """Build the Overview's map of a query's seizures: points, or hexagons above the cap.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters; with a pair the view fits its border, otherwise the seizures.
    resolution : int, default 6
        The finest H3 resolution of the hexagons.  A coarser one is used where its hexagons
        would be under 6 pixels across in the initial view (a world view gets resolution 2,
        the CN–LA border 6) or would number more than :data:`MAX_CELLS`.

    Returns
    -------
    MapDeck
        The "points" layer of :func:`geo.report.maps.seizure_map`: every seizure with
        coordinates (places at a country centre included) as a dot, or, above
        :data:`geo.report.maps.MAX_POINTS`, as hexagons counted in the store; the note says
        which and how many seizures have no coordinates.
    """
    _check_resolution(resolution)
    extent = cells.located_extent(store, query)
    if extent.located <= MAX_POINTS:
        points = cells.map_points(store, query, MAX_POINTS)
        return seizure_map(points, None, query.pair, ("points",), extent=extent)
    view = view_for(query.pair, extent.bounds, SEIZURE_MAP_PIXELS)
    finest = visible_resolution(view, int(resolution))
    tally = cells.cell_tally(
        store, query, finest, include_centroids=True, located_only=True, units=False
    )
    counts = hotspots.hex_counts_from_tally(_within_cell_limit(tally, finest))
    return seizure_map(None, counts, query.pair, ("points",), extent=extent)


def hotspot_map(
    store: Store,
    query: Query,
    layers: Sequence[str] = ("points", "hotspots", "places"),
    resolution: int = 6,
) -> MapDeck:
    """Build the Border hotspots page's map: H3 counts, Gi* and seizures, from the store.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters; the pair's border is highlighted and fitted.
    layers : sequence of {"points", "density", "hotspots", "places"}
        As for :func:`geo.report.maps.seizure_map`.  The cells (density, and the points'
        stand-in above :data:`geo.report.maps.MAX_POINTS`) and Gi* are at ``resolution``,
        records placed at a country centre left out; the points include them.
    resolution : int, default 6
        H3 resolution of the density and hot-spot hexagons, 0–8.

    Returns
    -------
    MapDeck
        The deck, with its note.
    """
    _check_resolution(resolution)
    unknown = [name for name in layers if name not in SEIZURE_MAP_LAYERS]
    if unknown or isinstance(layers, str):
        raise ValueError(
            f"layers should be a sequence drawn from {SEIZURE_MAP_LAYERS}, got {layers!r}"
        )
    extent = cells.located_extent(store, query)
    wants_points = "points" in layers and extent.located <= MAX_POINTS
    counts = gi = None
    if {"density", "hotspots"} & set(layers) or ("points" in layers and not wants_points):
        counts = cell_hotspots.cell_counts(store, query, resolution)
        if "hotspots" in layers and len(counts):
            gi = hotspots.grid_hotspots_from_counts(counts)
    points = cells.map_points(store, query, MAX_POINTS) if wants_points else None
    return seizure_map(points, counts, query.pair, tuple(layers), gi, extent=extent)


def _within_cell_limit(tally: pd.DataFrame, resolution: int) -> pd.DataFrame:
    """Return the tally, rolled up to coarser cells until at most MAX_CELLS remain."""
    while resolution > 0 and tally["cell"].nunique() > MAX_CELLS:
        resolution -= 1
        tally = hotspots.roll_up_tally(tally, resolution)
    return tally


def _check_resolution(resolution: int) -> None:
    if not isinstance(resolution, int | np.integer) or not 0 <= resolution <= 8:
        raise ValueError(f"resolution should be an H3 resolution 0-8, got {resolution!r}")
