"""Seizure hot spots: H3 hexagon counts, Getis-Ord Gi* with FDR, and ranked border clusters.

Records are WGS84 points (``lat``, ``lon``) with their H3 cells (h3 v4 hexadecimal strings in
``h3_r3`` … ``h3_r8``) already stored by the import.  Records placed at a country centroid
(``coord_precision`` "country" or "none") say nothing about where along a border a seizure
happened, so they are left out of every statistic here unless asked for.

**Cell tallies.**  Every statistic here needs only seizures counted per cell, taxon and unit
(:data:`TALLY_COLUMNS`): the store computes that tally with one GROUP BY
(:func:`geo.store.cells.cell_tally`), and :func:`tally_cells` computes the same from
records in memory.  The ``*_from_tally``/``*_from_counts`` functions are the core; the
functions taking records (:func:`hex_counts`, :func:`grid_hotspots`,
:func:`border_hotspots`) tally them and call it, so both paths give the same results.

The statistic (:func:`gi_star`, in :mod:`geo.spatial.getis_ord`) is Getis-Ord Gi* (Getis &
Ord 1992; Ord & Getis 1995) over the hexagon grid, with binary weights: a cell's
neighbourhood is the cell itself and every cell within ``k_ring`` steps (``h3.grid_disk``).
For n cells with values x, mean X̄ and S = sqrt(Σx²/n − X̄²), with W_i neighbours and
S1_i = Σ_j w_ij² (= W_i for binary weights)::

    G*_i = (Σ_j w_ij x_j − X̄ W_i) / (S sqrt((n S1_i − W_i²) / (n − 1)))

**The study area includes empty cells.**  Only occupied cells come out of a count, but a
Gi* z-score compares each neighbourhood with the whole study area: with occupied cells alone
there are no low values to compare against, the mean is inflated and nothing can be cold.
So the analysis grid is the occupied cells plus every cell within ``k_ring`` of one, with
value 0 for the empty ones.  It stops there rather than filling a bounding box: a
box would add large empty stretches (sea, another country's interior, land beyond the
border band) where no seizure could have been recorded, and they would make every
occupied cell look hot.  For the same reason empty cells outside a given study area are
left out (``study_area`` of :func:`gi_star`; ``nearest_border`` of :func:`border_hotspots`
trims the grid to the border band).  Cells on the outer edge of the grid have fewer
neighbours (their W_i is smaller), as features near the edge of a fixed distance band do in
ArcGIS.

**Significance.**  ``method="normal"`` is the analysis ArcGIS reports: a normal p-value for
the z-score, then the Benjamini–Hochberg false discovery rate (FDR) over all cells, as
Optimized Hot Spot Analysis applies it; a cell is in the 95% bin when its adjusted p-value is
at most 0.05 (Gi_Bin ±2), and so on for 90% and 99%.

The normal approximation is poor for sparse counts, the usual case for seizures at H3
resolution 7: a neighbourhood sum of a few skewed counts has a much heavier upper tail than a
normal curve, and the FDR step looks far out in that tail (p ≈ 0.05 / number of cells).  In
simulated pure noise along the CN–LA border (seizures scattered uniformly over the 50 km band,
resolution 7, ``k_ring`` 1), the normal p-values gave at least one 95% hot spot after FDR in
10 of 40 seeds with 800 seizures and 37 of 40 with 3,000.

``method="counts"`` (the default of :func:`border_hotspots`) keeps the Gi* z-score but takes as
p-value the larger of the normal p-value and the exact binomial tail of the neighbourhood
count had the same number of seizures fallen independently and uniformly over the grid's
cells: an intersection–union test, so a cell counts only when it is extreme both against the
spread of counts (Gi*) and against chance placement.  :func:`border_hotspots` also tests
one-sided ("greater"): it asks only where seizures concentrate, and the empty cells beyond
the band would otherwise be counted as cold discoveries, which loosens the FDR threshold for
hot cells.  In the same simulations this gave a false hot spot in 0 of 40 seeds (800
seizures) and 4 of 200 (3,000).  It is still liberal when the band is densely filled (20,000
seizures: 24 of 200 seeds at 95%, 5 of 200 at 99%, with the study area trimmed to the band),
probably because cells cut by the band's edge hold less than a full cell's share of seizures
and pull the mean down; real seizure data are far from that dense.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import h3
import numpy as np
import pandas as pd
from h3.api import basic_int as h3_int

from geo.pairs import split_pair
from geo.reference import gazetteer
from geo.schema import UNITS
from geo.spatial.getis_ord import (
    ALPHA_BY_CONFIDENCE,
    CONFIDENCE_LEVELS,
    cell_ints,
    cell_resolutions,
    cell_strings,
    gi_star,
)

__all__ = [
    "BORDER_HOTSPOT_COLUMNS",
    "CENTROID_PRECISIONS",
    "HEX_COUNT_COLUMNS",
    "TALLY_COLUMNS",
    "border_hotspots",
    "border_hotspots_from_tally",
    "grid_hotspots",
    "grid_hotspots_from_counts",
    "hex_counts",
    "hex_counts_from_tally",
    "regroup_tally",
    "roll_up_tally",
    "tally_cells",
]

CENTROID_PRECISIONS = ("country", "none")
HEX_COUNT_COLUMNS = ("cell", "lat", "lon", "count", "quantity", "top_taxa")
TALLY_COLUMNS = ("cell", "taxon", "unit", "weight", "quantity")
BORDER_HOTSPOT_COLUMNS = (
    "rank",
    "lat",
    "lon",
    "count",
    "quantity_by_unit",
    "top_taxa",
    "cells",
    "gi_z",
    "p_value",
    "confidence",
    "border_distance_km",
    "place",
    "place_a",
    "place_b",
)

_H3_RESOLUTIONS = range(16)
_TOP_TAXA_PER_CELL = 3
_TOP_TAXA_PER_CLUSTER = 5


def tally_cells(
    records: pd.DataFrame, resolution: int = 6, *, include_centroids: bool = False
) -> pd.DataFrame:
    """Group records by H3 cell, taxon and unit: the in-memory twin of the store's cell tally.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records with ``taxon`` and either an ``h3_r{resolution}`` column (h3 v4
        hexadecimal cell ids) or ``lat``/``lon`` in WGS84 degrees; where the cell column is
        missing or empty for a row, the cell is computed from its coordinates.  ``unit`` and
        ``quantity`` are used when present.
    resolution : int, default 6
        H3 resolution, 0–15 (6: cells of about 36 km²; 7: about 5 km²).
    include_centroids : bool, default False
        Keep records whose ``coord_precision`` is "country" or "none" (placed at a country
        centroid, which would make a false hot spot there).

    Returns
    -------
    pandas.DataFrame
        :data:`TALLY_COLUMNS`, one row per distinct (cell, taxon, unit): ``cell`` (lower
        case), ``taxon`` and ``unit`` (None when missing), ``weight`` (int64, the records of
        the group) and ``quantity`` (their quantities added up, NaN when none has one).
        Records with no cell and no coordinates are left out.  This is what
        :func:`geo.store.cells.cell_tally` computes in SQL.

    Raises
    ------
    ValueError
        If ``resolution`` is not valid, ``taxon`` is missing, or a stored cell id is not an
        H3 cell of ``resolution``.
    """
    _check_resolution(resolution)
    _require_columns(records, ["taxon"], "records")
    return _tally_located(_located(records, resolution, include_centroids), resolution)


def hex_counts(
    records: pd.DataFrame,
    resolution: int = 6,
    unit: str | None = None,
    *,
    include_centroids: bool = False,
) -> pd.DataFrame:
    """Count seizures per H3 cell: :func:`hex_counts_from_tally` of :func:`tally_cells`.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records, as for :func:`tally_cells`; with a ``unit`` they need ``quantity``
        and ``unit`` too.
    resolution : int, default 6
        H3 resolution, 0–15.
    unit : str, optional
        One of :data:`geo.schema.UNITS`, as for :func:`hex_counts_from_tally`.
    include_centroids : bool, default False
        Keep records placed at a country centroid (``coord_precision`` "country"/"none").

    Returns
    -------
    pandas.DataFrame
        As :func:`hex_counts_from_tally`.
    """
    _check_resolution(resolution)
    _check_unit(unit)
    _require_columns(records, ["taxon", *(["quantity", "unit"] if unit else [])], "records")
    tally = tally_cells(records, resolution, include_centroids=include_centroids)
    return hex_counts_from_tally(tally, unit)


def hex_counts_from_tally(tally: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """Count seizures per H3 cell from a cell tally.

    Parameters
    ----------
    tally : pandas.DataFrame
        :data:`TALLY_COLUMNS` as :func:`tally_cells` or :func:`geo.store.cells.cell_tally`
        return them: ``cell`` (h3 v4 hexadecimal ids, all of one resolution) and ``weight``
        are required; ``taxon``, ``unit`` and ``quantity`` are used when present.  A cell
        may span several rows.
    unit : str, optional
        One of :data:`geo.schema.UNITS`.  When given, ``quantity`` is the sum of the
        quantities of the cell's records in that unit; records in other units add nothing to
        it (they still count as seizures), because quantities are never summed across units.

    Returns
    -------
    pandas.DataFrame
        One row per occupied cell, most seizures first (ties by cell id): ``cell``, ``lat``,
        ``lon`` (the cell's centre), ``count`` (seizures), ``quantity`` (float; NaN when no
        ``unit`` is given) and ``top_taxa`` (up to three ``(taxon, count)`` tuples, most
        frequent first, ties by name).

    Raises
    ------
    ValueError
        If ``unit`` is not valid, a needed column is missing, or a cell id is not valid or
        of another resolution than the others.
    """
    _check_unit(unit)
    _require_columns(tally, ["cell", "weight", *(["quantity", "unit"] if unit else [])], "tally")
    codes, distinct = pd.factorize(_lower(tally["cell"]), sort=False)
    integers = cell_ints(distinct)
    if len(np.unique(cell_resolutions(integers))) > 1:
        raise ValueError("tally mixes H3 resolutions; count one resolution at a time")
    weights = pd.to_numeric(tally["weight"]).to_numpy(dtype=np.int64)
    counts = np.bincount(codes, weights=weights, minlength=len(distinct)).astype(np.int64)
    if unit is None:
        quantity = np.full(len(distinct), np.nan)
    else:
        amounts = pd.to_numeric(tally["quantity"], errors="coerce").to_numpy(dtype=float)
        in_unit = (tally["unit"] == unit).fillna(False).to_numpy(dtype=bool)
        in_unit = in_unit & np.isfinite(amounts)
        quantity = np.bincount(codes[in_unit], weights=amounts[in_unit], minlength=len(distinct))
    top = _top_taxa(codes, _taxa(tally), len(distinct), _TOP_TAXA_PER_CELL, weights)
    cell_ids = cell_strings(integers)
    order = np.lexsort((cell_ids, -counts))
    centres = [h3_int.cell_to_latlng(int(cell)) for cell in integers[order]]
    return pd.DataFrame(
        {
            "cell": cell_ids[order],
            "lat": [centre[0] for centre in centres],
            "lon": [centre[1] for centre in centres],
            "count": counts[order],
            "quantity": quantity[order].astype(float),
            "top_taxa": [top[position] for position in order.tolist()],
        },
        columns=list(HEX_COUNT_COLUMNS),
    )


def roll_up_tally(tally: pd.DataFrame, resolution: int) -> pd.DataFrame:
    """Return a cell tally at a coarser resolution: each cell replaced by its H3 parent.

    Parameters
    ----------
    tally : pandas.DataFrame
        :data:`TALLY_COLUMNS`, cells of one resolution at or finer than ``resolution``.
    resolution : int
        The H3 resolution of the parents, 0–15.

    Returns
    -------
    pandas.DataFrame
        :data:`TALLY_COLUMNS`, one row per distinct (parent cell, taxon, unit), weights and
        quantities added up (NaN when none of the group's quantities is known).  A point
        near a cell's edge may lie in another parent than the one H3 computes for the point
        at the coarse resolution: parents nest by index, not exactly by area.
    """
    _check_resolution(resolution)
    _require_columns(tally, TALLY_COLUMNS, "tally")
    codes, distinct = pd.factorize(_lower(tally["cell"]), sort=False)
    integers = cell_ints(distinct)
    if len(integers) and (cell_resolutions(integers) < resolution).any():
        raise ValueError(f"tally has cells coarser than resolution {resolution}")
    parents = cell_strings(
        np.fromiter(
            (h3_int.cell_to_parent(int(cell), resolution) for cell in integers.tolist()),
            dtype=np.uint64,
            count=len(integers),
        )
    )
    return regroup_tally(tally.assign(cell=parents[codes] if len(codes) else []))


def regroup_tally(tally: pd.DataFrame) -> pd.DataFrame:
    """Return a tally with one row per distinct (cell, taxon, unit), weights added up.

    Quantities are added up too, NaN where none of a group's is known.  Rows come in the
    order their group first appears.
    """
    _require_columns(tally, TALLY_COLUMNS, "tally")
    keys = []
    uniques = []
    for name, values in (
        ("cell", _lower(tally["cell"])),
        ("taxon", tally["taxon"].astype(object)),
        ("unit", tally["unit"].astype(object)),
    ):
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        keys.append(codes.astype(np.int64) + 1)  # 0: missing
        uniques.append(np.concatenate([[None], np.asarray(distinct, dtype=object)]))
        if name == "cell" and (codes < 0).any():
            raise ValueError("tally has rows without a cell")
    sizes = [len(distinct) for distinct in uniques]
    combined = (keys[0] * sizes[1] + keys[1]) * sizes[2] + keys[2]
    groups, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    position = np.empty(len(groups), dtype=np.int64)
    position[order] = np.arange(len(groups))
    inverse = position[inverse]
    weights = pd.to_numeric(tally["weight"]).to_numpy(dtype=np.int64)
    amounts = pd.to_numeric(tally["quantity"], errors="coerce").to_numpy(dtype=float)
    known = ~np.isnan(amounts)
    quantity = np.bincount(inverse[known], weights=amounts[known], minlength=len(groups))
    counted = np.bincount(inverse[known], minlength=len(groups))
    rows = groups[order]
    unit = rows % sizes[2]
    taxon = (rows // sizes[2]) % sizes[1]
    cell = rows // (sizes[2] * sizes[1])
    return pd.DataFrame(
        {
            "cell": uniques[0][cell],
            "taxon": uniques[1][taxon],
            "unit": uniques[2][unit],
            "weight": np.bincount(inverse, weights=weights, minlength=len(groups)).astype(np.int64),
            "quantity": np.where(counted > 0, quantity, np.nan),
        },
        columns=list(TALLY_COLUMNS),
    )


def _tally_located(located: pd.DataFrame, resolution: int) -> pd.DataFrame:
    """Return :func:`tally_cells` of records already given their cell in ``_cell``."""
    cell_ints(pd.unique(located["_cell"]), resolution)
    quantity = (
        pd.to_numeric(located["quantity"], errors="coerce").to_numpy(dtype=float)
        if "quantity" in located.columns
        else np.full(len(located), np.nan)
    )
    return regroup_tally(
        pd.DataFrame(
            {
                "cell": located["_cell"].to_numpy(dtype=object),
                "taxon": _optional(located, "taxon"),
                "unit": _optional(located, "unit"),
                "weight": np.ones(len(located), dtype=np.int64),
                "quantity": quantity,
            }
        )
    )


def grid_hotspots(
    records: pd.DataFrame,
    resolution: int = 6,
    *,
    k_ring: int = 1,
    method: str = "counts",
    alternative: str = "two-sided",
    include_centroids: bool = False,
) -> pd.DataFrame:
    """Classify every H3 cell of the records as a hot spot, a cold spot or neither.

    :func:`hex_counts` of the records, then :func:`gi_star` on the counts with the FDR
    correction: the map layer for records of any extent, with no border band.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records, as for :func:`hex_counts`.
    resolution : int, default 6
        H3 resolution of the grid.
    k_ring : int, default 1
        Gi* neighbourhood radius in H3 steps.
    method : {"counts", "normal"}, default "counts"
        Significance method of :func:`gi_star`; "normal" is what ArcGIS reports, "counts"
        also requires the exact binomial tail, which keeps sparse counts from producing
        false hot spots (see the module notes).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        Hot and cold spots, hot only, or cold only.
    include_centroids : bool, default False
        Keep records placed at a country centroid (``coord_precision`` "country"/"none").

    Returns
    -------
    pandas.DataFrame
        The :func:`gi_star` frame: one row per occupied cell and per empty cell around them.
    """
    cells = hex_counts(records, resolution, include_centroids=include_centroids)
    return grid_hotspots_from_counts(cells, k_ring=k_ring, method=method, alternative=alternative)


def grid_hotspots_from_counts(
    cells: pd.DataFrame,
    *,
    k_ring: int = 1,
    method: str = "counts",
    alternative: str = "two-sided",
) -> pd.DataFrame:
    """Classify every H3 cell of a cell count as a hot spot, a cold spot or neither.

    :func:`gi_star` on the seizure counts with the FDR correction: the map layer for
    seizures of any extent, with no border band.

    Parameters
    ----------
    cells : pandas.DataFrame
        :func:`hex_counts_from_tally` output (``cell`` and ``count`` are required).
    k_ring : int, default 1
        Gi* neighbourhood radius in H3 steps.
    method : {"counts", "normal"}, default "counts"
        Significance method of :func:`gi_star` (see the module notes).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        Hot and cold spots, hot only, or cold only.

    Returns
    -------
    pandas.DataFrame
        The :func:`gi_star` frame: one row per occupied cell and per empty cell around them.
    """
    return gi_star(cells, "count", k_ring, fdr=True, method=method, alternative=alternative)


def border_hotspots(
    records: pd.DataFrame,
    pair: str,
    max_km: float = 50.0,
    resolution: int = 7,
    confidence: int = 95,
    unit: str | None = None,
    *,
    k_ring: int = 1,
    method: str | None = None,
    include_centroids: bool = False,
    nearest_border: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """Rank the significant seizure hot spots along the land border of a country pair.

    The study area is the records whose ``border_pair`` is the pair and whose
    ``border_distance_km`` is at most ``max_km``.  Their H3 counts go through :func:`gi_star`
    (one-sided, hot spots only, FDR-corrected); hot cells at ``confidence`` or above that
    touch each other (H3 adjacency) merge into one cluster, and clusters are ranked by their
    seizures.  A cluster may include empty cells that Gi* marks hot because of their
    neighbours; clusters made only of such cells carry no seizures and are left out.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records with ``lat``, ``lon`` (WGS84 degrees), ``taxon``, ``quantity``,
        ``unit``, ``border_pair`` (alphabetical, "CN-LA"), ``border_distance_km`` and
        ``coord_precision``, and ideally ``h3_r{resolution}``.
    pair : str
        ISO alpha-2 codes of the two countries, "CN-LA" or "LA-CN".
    max_km : float, default 50.0
        Distance from the border that bounds the study area.
    resolution : int, default 7
        H3 resolution of the grid (7: cells of about 5 km², 1.2 km edges).
    confidence : {95, 90, 99}, default 95
        Lowest confidence level (after FDR) for a cell to count as hot.
    unit : str, optional
        When given, the hot spots are of the quantity seized in this unit (records in other
        units count as 0) and clusters are ranked by that quantity, then by seizures.
    k_ring : int, default 1
        Gi* neighbourhood radius in H3 steps.
    method : {"counts", "normal"}, optional
        Significance method of :func:`gi_star`; by default "counts" for seizure counts and
        "normal" for quantities (the exact check needs whole numbers).
    include_centroids : bool, default False
        Keep records placed at a country centroid (``coord_precision`` "country"/"none").
    nearest_border : callable, optional
        ``nearest_border(lat, lon) -> (pairs, distances_km)`` for arrays of WGS84 points, as
        :func:`geo.spatial.enrich.nearest_borders` computes ``border_pair`` and
        ``border_distance_km`` at import.  When given, the empty cells added around the
        occupied ones are kept only if their centre lies in the study area (nearest border
        is the pair's, within ``max_km``); without it, empty cells just beyond the band
        count as study area, which makes hot spots slightly too easy to find where the band
        is densely filled (see the module notes).

    Returns
    -------
    pandas.DataFrame
        One row per cluster, best first, with :data:`BORDER_HOTSPOT_COLUMNS`: ``rank`` (1 …),
        ``lat``/``lon`` (centroid of the cluster's cell centres weighted by seizures),
        ``count``, ``quantity_by_unit`` (dict unit → summed quantity), ``top_taxa`` (up to
        five ``(taxon, count)``), ``cells`` (H3 ids), ``gi_z`` (the largest in the cluster),
        ``p_value`` (the smallest FDR-adjusted one), ``confidence`` (99, 95 or 90, the best
        in the cluster), ``border_distance_km`` (median over its records), ``place`` (label
        from :func:`geo.reference.gazetteer.place_label`), ``place_a``/``place_b`` (nearest
        named place within 100 km in the pair's first/second country alphabetically, as
        "Mohan (CN)", or None).  Empty, with these columns, when nothing is significant.

    Raises
    ------
    ValueError
        If ``pair``, ``confidence``, ``max_km``, ``resolution`` or ``unit`` is not valid or
        a needed column is missing.
    """
    first, second = split_pair(pair)
    _check_border_options(confidence, max_km, unit)
    _check_resolution(resolution)
    _require_columns(
        records, ["border_pair", "border_distance_km", "taxon", "quantity", "unit"], "records"
    )
    distance = pd.to_numeric(records["border_distance_km"], errors="coerce")
    in_band = (records["border_pair"] == f"{first}-{second}") & (distance <= max_km)
    study = _located(records[in_band.fillna(False).to_numpy()], resolution, include_centroids)
    if study.empty:
        return _empty_border_hotspots()
    distance = pd.to_numeric(study["border_distance_km"], errors="coerce")

    def median_distances(cluster_of_cell: dict[str, int]) -> dict[int, float]:
        clusters = study["_cell"].map(cluster_of_cell)
        inside = clusters.notna().to_numpy()
        medians = distance[inside].groupby(clusters[inside].astype(np.int64)).median()
        return {int(cluster): float(value) for cluster, value in medians.dropna().items()}

    return border_hotspots_from_tally(
        _tally_located(study, resolution),
        pair,
        confidence,
        unit,
        max_km=max_km,
        k_ring=k_ring,
        method=method,
        nearest_border=nearest_border,
        median_distances=median_distances,
    )


def border_hotspots_from_tally(
    tally: pd.DataFrame,
    pair: str,
    confidence: int = 95,
    unit: str | None = None,
    *,
    max_km: float = 50.0,
    k_ring: int = 1,
    method: str | None = None,
    nearest_border: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
    median_distances: Callable[[dict[str, int]], Mapping[int, float]] | None = None,
) -> pd.DataFrame:
    """Rank the significant seizure hot spots along a border from the study area's cell tally.

    The method of :func:`border_hotspots`, on seizures already counted per cell.

    Parameters
    ----------
    tally : pandas.DataFrame
        :data:`TALLY_COLUMNS` of the study area: the records of the pair within ``max_km``
        of its border, without those placed at a country centroid (as
        :func:`geo.store.cells.cell_tally` returns them for a query with the pair).
    pair : str
        ISO alpha-2 codes of the two countries, "CN-LA" or "LA-CN".
    confidence : {95, 90, 99}, default 95
        Lowest confidence level (after FDR) for a cell to count as hot.
    unit : str, optional
        When given, the hot spots are of the quantity seized in this unit.
    max_km : float, default 50.0
        The band's width in km, for ``nearest_border``'s study area.
    k_ring : int, default 1
        Gi* neighbourhood radius in H3 steps.
    method : {"counts", "normal"}, optional
        Significance method of :func:`gi_star`; by default "counts" for seizure counts and
        "normal" for quantities.
    nearest_border : callable, optional
        As for :func:`border_hotspots`: trims the empty cells added around the occupied
        ones to the band.
    median_distances : callable, optional
        ``median_distances(cluster_of_cell)`` takes a dict from H3 id to cluster number and
        returns the median ``border_distance_km`` of each cluster's study records, as a
        mapping from cluster number to km (as
        :func:`geo.store.cells.cluster_median_distances` computes in SQL).  Without it
        ``border_distance_km`` is NaN.

    Returns
    -------
    pandas.DataFrame
        As :func:`border_hotspots`.
    """
    first, second = split_pair(pair)
    _check_border_options(confidence, max_km, unit)
    _require_columns(tally, TALLY_COLUMNS, "tally")
    if tally.empty:
        return _empty_border_hotspots()

    cells = hex_counts_from_tally(tally, unit)
    value = "count" if unit is None else "quantity"
    chosen_method = method or ("counts" if unit is None else "normal")
    study_area = None
    if nearest_border is not None:
        study_area = _border_band(nearest_border, f"{first}-{second}", float(max_km))
    tested = gi_star(
        cells,
        value,
        k_ring,
        fdr=True,
        method=chosen_method,
        alternative="greater",
        study_area=study_area,
    )
    hot = tested[tested["confidence"] >= confidence]
    if hot.empty:
        return _empty_border_hotspots()

    cluster_of_cell = _clusters(hot["cell"].tolist())
    hot = hot.assign(cluster=hot["cell"].map(cluster_of_cell).astype(np.int64))
    study = tally.assign(cluster=_lower(tally["cell"]).map(cluster_of_cell))
    study = study[study["cluster"].notna().to_numpy()]
    if study.empty:
        return _empty_border_hotspots()
    study = study.assign(cluster=study["cluster"].astype(np.int64))
    median_distance = {} if median_distances is None else median_distances(cluster_of_cell)

    rows = _cluster_rows(hot, study, median_distance)
    rows = [row for row in rows if row["count"] > 0]
    if unit is None:
        rows.sort(key=lambda row: (-row["count"], -row["gi_z"], row["lat"], row["lon"]))
    else:
        rows.sort(
            key=lambda row: (
                -row["quantity_by_unit"].get(unit, 0.0),
                -row["count"],
                -row["gi_z"],
                row["lat"],
            )
        )
    pair_text = f"{first}-{second}"
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["place"] = gazetteer.place_label(row["lat"], row["lon"], pair_text)
        row["place_a"] = _side_place(row["lat"], row["lon"], first)
        row["place_b"] = _side_place(row["lat"], row["lon"], second)
    if not rows:
        return _empty_border_hotspots()
    return pd.DataFrame(rows, columns=list(BORDER_HOTSPOT_COLUMNS))


def _located(records: pd.DataFrame, resolution: int, include_centroids: bool) -> pd.DataFrame:
    """Return the records that have a cell at ``resolution``, with it in ``_cell``."""
    frame = records
    if not include_centroids and "coord_precision" in frame.columns:
        frame = frame[~frame["coord_precision"].isin(CENTROID_PRECISIONS).to_numpy()]
    column = f"h3_r{resolution}"
    if column in frame.columns:
        cells = frame[column]
        missing = (cells.isna() | cells.astype(object).eq("")).to_numpy(dtype=bool, copy=True)
    else:
        _require_columns(frame, ["lat", "lon"], "records")
        cells = pd.Series(None, index=frame.index, dtype=object)
        missing = np.ones(len(frame), dtype=bool)
    if missing.any() and {"lat", "lon"} <= set(frame.columns):
        lats = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
        lons = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
        computable = missing & np.isfinite(lats) & np.isfinite(lons)
        computable &= (np.abs(lats) <= 90.0) & (np.abs(lons) <= 180.0)
        positions = np.flatnonzero(computable)
        if positions.size:
            values = cells.to_numpy(dtype=object, copy=True)
            values[positions] = [
                h3.latlng_to_cell(lats[position], lons[position], resolution)
                for position in positions.tolist()
            ]
            cells = pd.Series(values, index=frame.index, dtype=object)
            missing[positions] = False
    # h3 writes lower case; upper-case ids from elsewhere must land in the same cell.
    located = frame.assign(_cell=cells)[~missing]
    return located.assign(_cell=located["_cell"].astype(str).str.lower())


def _border_band(
    nearest_border: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    pair: str,
    max_km: float,
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Return a study-area test: the point's nearest border is ``pair``, within ``max_km``."""

    def inside(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        pairs, distances = nearest_border(lat, lon)
        distances = np.asarray(distances, dtype=float)
        same_pair = np.array([found == pair for found in pairs], dtype=bool)
        return same_pair & (distances <= max_km)

    return inside


def _top_taxa(
    groups: np.ndarray,
    taxa: pd.Series,
    group_count: int,
    limit: int,
    weights: np.ndarray | None = None,
) -> list[list[tuple[str, int]]]:
    """Return, per group number, up to ``limit`` (taxon, count): most frequent, then by name.

    Each row counts ``weights`` times (once without weights).
    """
    top: list[list[tuple[str, int]]] = [[] for _ in range(group_count)]
    taxon_codes, taxon_names = pd.factorize(taxa, sort=False)
    named = taxon_codes >= 0
    if not named.any():
        return top
    names = np.asarray(taxon_names, dtype=object).astype(str)
    kinds = len(names)
    combined = np.asarray(groups, dtype=np.int64)[named] * kinds + taxon_codes[named]
    if weights is None:
        pair_codes, counts = np.unique(combined, return_counts=True)
    else:
        pair_codes, inverse = np.unique(combined, return_inverse=True)
        counts = np.bincount(inverse, weights=np.asarray(weights)[named]).astype(np.int64)
    group_of = pair_codes // kinds
    taxon_of = pair_codes % kinds
    name_rank = np.argsort(np.argsort(names, kind="stable"), kind="stable")
    order = np.lexsort((name_rank[taxon_of], -counts, group_of))
    ordered_groups = group_of[order]
    starts = np.flatnonzero(np.r_[True, ordered_groups[1:] != ordered_groups[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = order[np.arange(len(order)) - group_start < limit]
    for group, taxon, count in zip(
        group_of[keep].tolist(), taxon_of[keep].tolist(), counts[keep].tolist(), strict=True
    ):
        top[group].append((str(names[taxon]), int(count)))
    return top


def _clusters(cells: list[str]) -> dict[str, int]:
    """Map cell → cluster number: connected components of the cells under H3 adjacency."""
    members = set(cells)
    cluster_of: dict[str, int] = {}
    number = -1
    for start in cells:
        if start in cluster_of:
            continue
        number += 1
        cluster_of[start] = number
        frontier = [start]
        while frontier:
            cell = frontier.pop()
            for neighbour in h3.grid_disk(cell, 1):
                if neighbour in members and neighbour not in cluster_of:
                    cluster_of[neighbour] = number
                    frontier.append(neighbour)
    return cluster_of


def _cluster_rows(
    hot: pd.DataFrame, study: pd.DataFrame, median_distance: Mapping[int, float]
) -> list[dict]:
    """Return one summary dict per cluster (rank and place names are filled in later).

    ``study`` is the tally's rows in a cluster (column ``cluster``); ``median_distance`` the
    median border distance of each cluster's records.
    """
    quantities = pd.to_numeric(study["quantity"], errors="coerce")
    with_quantity = study.assign(_quantity=quantities)
    with_quantity = with_quantity[
        with_quantity["_quantity"].notna().to_numpy() & with_quantity["unit"].notna().to_numpy()
    ]
    by_unit = with_quantity.groupby(["cluster", "unit"], sort=True)["_quantity"].sum()
    quantity_by_unit: dict[int, dict[str, float]] = {}
    for (cluster, unit_name), total in by_unit.items():
        quantity_by_unit.setdefault(int(cluster), {})[str(unit_name)] = float(total)
    cluster_count = int(hot["cluster"].max()) + 1
    weights = pd.to_numeric(study["weight"]).to_numpy(dtype=np.int64)
    top = _top_taxa(
        study["cluster"].to_numpy(), _taxa(study), cluster_count, _TOP_TAXA_PER_CLUSTER, weights
    )
    counts_by_cluster = study.groupby("cluster")["weight"].sum()

    rows = []
    for cluster, members in hot.groupby("cluster", sort=True):
        cluster = int(cluster)
        member_weights = members["count"].to_numpy(dtype=float)
        lat, lon = _weighted_centre(
            members["lat"].to_numpy(dtype=float),
            members["lon"].to_numpy(dtype=float),
            member_weights,
        )
        rows.append(
            {
                "lat": lat,
                "lon": lon,
                "count": int(counts_by_cluster.get(cluster, 0)),
                "quantity_by_unit": quantity_by_unit.get(cluster, {}),
                "top_taxa": top[cluster],
                "cells": sorted(members["cell"].tolist()),
                "gi_z": float(members["gi_z"].max()),
                "p_value": float(members["p_adjusted"].min()),
                "confidence": int(members["confidence"].max()),
                "border_distance_km": float(median_distance.get(cluster, np.nan)),
            }
        )
    return rows


def _weighted_centre(
    lats: np.ndarray, lons: np.ndarray, weights: np.ndarray
) -> tuple[float, float]:
    """Return the weighted mean position on the sphere (whole across 180° longitude)."""
    if weights.sum() <= 0:
        weights = np.ones_like(weights)
    phi = np.radians(lats)
    lam = np.radians(lons)
    x = np.sum(weights * np.cos(phi) * np.cos(lam))
    y = np.sum(weights * np.cos(phi) * np.sin(lam))
    z = np.sum(weights * np.sin(phi))
    return (
        math.degrees(math.atan2(z, math.hypot(x, y))),
        math.degrees(math.atan2(y, x)),
    )


def _side_place(lat: float, lon: float, country: str) -> str | None:
    place = gazetteer.nearest_place(lat, lon, country)
    if place is None:
        return None
    return f"{place['name']} ({place['country']})"


def _empty_border_hotspots() -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in BORDER_HOTSPOT_COLUMNS}).astype(
        {"rank": np.int64, "count": np.int64, "confidence": np.int64}
    )


def _check_resolution(resolution: int) -> None:
    if not isinstance(resolution, int | np.integer) or resolution not in _H3_RESOLUTIONS:
        raise ValueError(f"resolution must be an H3 resolution 0-15, got {resolution!r}")


def _check_border_options(confidence: int, max_km: float, unit: str | None) -> None:
    if confidence not in ALPHA_BY_CONFIDENCE:
        raise ValueError(f"confidence must be one of {CONFIDENCE_LEVELS}, got {confidence!r}")
    if not max_km > 0:
        raise ValueError(f"max_km must be positive, got {max_km!r}")
    _check_unit(unit)


def _lower(cells: pd.Series) -> pd.Series:
    """Cell ids as lower-case text: h3 writes lower case, ids from elsewhere may not."""
    return cells.astype(object).astype(str).str.lower()


def _text_or_none(values: pd.Series | np.ndarray) -> np.ndarray:
    """Values as objects, None where missing (text columns of a tally)."""
    column = pd.Series(values, dtype=object)
    return column.where(column.notna(), None).to_numpy(dtype=object)


def _optional(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    return _text_or_none(frame[name].to_numpy(dtype=object))


def _taxa(frame: pd.DataFrame) -> pd.Series:
    if "taxon" not in frame.columns:
        return pd.Series([None] * len(frame), dtype=object)
    return frame["taxon"].astype(object).reset_index(drop=True)


def _check_unit(unit: str | None) -> None:
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS} or None, got {unit!r}")


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name!r} should be a pandas DataFrame, got {type(frame)}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(frame.columns)}")
