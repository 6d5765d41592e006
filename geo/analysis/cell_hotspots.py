"""Hot spots of a query's seizures, from the store's H3 cell tallies (never from records).

The store counts seizures per H3 cell, taxon and unit with one GROUP BY
(:func:`geo.store.cells.cell_tally`); the statistics of :mod:`geo.spatial.hotspots` run on
that tally.  Records placed at a country centroid are left out, as there.  The page, the
briefing and the command line call these, so they share one set of defaults.
"""

from __future__ import annotations

import pandas as pd

from geo.spatial import hotspots
from geo.spatial.enrich import nearest_borders
from geo.store import cells
from geo.store.query import Query
from geo.store.store import Store

__all__ = ["cell_counts", "grid_hotspot_cells", "ranked_border_hotspots"]


def cell_counts(
    store: Store,
    query: Query,
    resolution: int = 6,
    *,
    include_centroids: bool = False,
    located_only: bool = False,
    unit: str | None = None,
) -> pd.DataFrame:
    """Return the seizures per H3 cell of a query, with centres and top taxa.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters.
    resolution : int, default 6
        H3 resolution, 0–8 (0–2 are rolled up from ``h3_r3``).
    include_centroids, located_only : bool, default False
        As for :func:`geo.store.cells.cell_tally`.
    unit : str, optional
        Also add up the quantities in this unit (column ``quantity``; NaN without a unit).

    Returns
    -------
    pandas.DataFrame
        :data:`geo.spatial.hotspots.HEX_COUNT_COLUMNS`, most seizures first.
    """
    tally = cells.cell_tally(
        store,
        query,
        resolution,
        include_centroids=include_centroids,
        located_only=located_only,
        units=unit is not None,
    )
    return hotspots.hex_counts_from_tally(tally, unit)


def grid_hotspot_cells(store: Store, query: Query, resolution: int = 6) -> pd.DataFrame:
    """Return Gi* hot and cold spots over every occupied cell of a query (the map layer).

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters.
    resolution : int, default 6
        H3 resolution, 0–8.

    Returns
    -------
    pandas.DataFrame
        :func:`geo.spatial.hotspots.grid_hotspots_from_counts` of :func:`cell_counts`.
    """
    return hotspots.grid_hotspots_from_counts(cell_counts(store, query, resolution))


def ranked_border_hotspots(
    store: Store,
    query: Query,
    resolution: int = 6,
    confidence: int = 95,
    unit: str | None = None,
) -> pd.DataFrame:
    """Rank the FDR-corrected hot spots along the border of the query's pair.

    The study area is the query's records (its pair within ``query.border_km`` of the
    border); empty cells around them count only where their centre lies in that band
    (:func:`geo.spatial.enrich.nearest_borders`).  One GROUP BY for the tally, and one small
    SELECT for the median border distance of each hot spot.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters; ``query.pair`` is required.
    resolution : int, default 6
        H3 resolution of the grid, 3–8.
    confidence : {95, 90, 99}, default 95
        Lowest confidence level (after FDR) for a cell to count as hot.
    unit : str, optional
        Hot spots of the quantity seized in this unit instead of the number of seizures.

    Returns
    -------
    pandas.DataFrame
        :data:`geo.spatial.hotspots.BORDER_HOTSPOT_COLUMNS`, best first.

    Raises
    ------
    ValueError
        If the query has no pair, or an option is not valid.
    """
    if not query.pair:
        raise ValueError("hot spots are ranked along a country pair's border: set query.pair")
    tally = cells.cell_tally(store, query, resolution)

    def median_distances(cluster_of_cell: dict[str, int]) -> dict[int, float]:
        return cells.cluster_median_distances(store, query, resolution, cluster_of_cell)

    return hotspots.border_hotspots_from_tally(
        tally,
        query.pair,
        confidence,
        unit,
        max_km=query.border_km,
        nearest_border=nearest_borders,
        median_distances=median_distances,
    )
