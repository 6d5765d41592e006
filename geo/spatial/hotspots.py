"""Seizure hot spots: H3 hexagon counts, Getis-Ord Gi* with FDR, and ranked border places.

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

**Places, not clusters.**  Hot cells used to merge into one cluster whenever they touched,
so a busy border could come out as one cluster holding most of the band, which ranks
nothing.  :func:`place_groups` makes places instead: the busiest hot cells become peaks at
least :data:`PLACE_RADIUS_KM` (10 km) apart, and every hot or occupied cell within 10 km of
a peak joins the nearest one.  A place's ``count`` is all the seizures of its cells, so it
hardly depends on which fringe cells passed the test (on the sample, CN–LA's crossing holds
1,837 seizures at resolution 6 and 1,854 at 7).  In the 1,000,000-record store CN–LA's
hot cells lie within 5 km of the Boten–Mohan crossing and its place (cells within 10 km)
holds 89,911 of the band's 93,906 seizures, because that one crossing truly holds 89,918 of
them (95% within 5.6 km of it); the old clusters held 75,776 (resolution 7).  Along CN–VN
the three crossings stay three places at resolutions 7 and 8.

**When one site dominates the band.**  If a site covers m cells and the band's grid has n
cells, the site's Gi* is about sqrt(m n / 7) (``k_ring`` 1) however many seizures it has:
the spread S it is compared with is mostly its own.  At resolution 6 the CN–LA band is a grid
of 30–34 cells, its crossing covers about three, and z stays at 3.2–3.4 whether the band
holds 1,932 seizures or 93,906; after the FDR over those cells the adjusted p-value is 0.012
on the sample: hot at 95%, not at 99%.  At resolution 7 (73–92 cells, the crossing on about
11) z is 7.4–8.4 and the adjusted p-value about 1e-12.  A site whose seizures sit in one or
two cells with empty neighbours (an airport, a seaport, records placed at a town) may not be
hot at any resolution.  So the ranking is said with a sentence
(:func:`geo.analysis.cell_hotspots.summarise_border_hotspots`) that names a place holding
most of the band whether or not the test marks it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import h3
import numpy as np
import pandas as pd
from h3.api import basic_int as h3_int

from geo.distance import haversine_km
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
from geo.spatial.hotspot_defaults import (
    CONFIDENCES,
    DEFAULT_CONFIDENCE,
    DEFAULT_RESOLUTION,
    PLACE_RADIUS_KM,
    RESOLUTIONS,
)

__all__ = [
    "BORDER_HOTSPOT_COLUMNS",
    "CENTROID_PRECISIONS",
    "CONFIDENCES",
    "DEFAULT_CONFIDENCE",
    "DEFAULT_RESOLUTION",
    "HEX_COUNT_COLUMNS",
    "PLACE_RADIUS_KM",
    "RESOLUTIONS",
    "TALLY_COLUMNS",
    "border_hotspots",
    "border_hotspots_from_tally",
    "grid_hotspots",
    "grid_hotspots_from_counts",
    "hex_counts",
    "hex_counts_from_tally",
    "place_groups",
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
    resolution: int = DEFAULT_RESOLUTION,
    confidence: int = DEFAULT_CONFIDENCE,
    unit: str | None = None,
    *,
    k_ring: int = 1,
    method: str | None = None,
    include_centroids: bool = False,
    nearest_border: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
    radius_km: float = PLACE_RADIUS_KM,
) -> pd.DataFrame:
    """Rank the significant seizure hot spots along the land border of a country pair.

    The study area is the records whose ``border_pair`` is the pair and whose
    ``border_distance_km`` is at most ``max_km``.  Their H3 counts go through :func:`gi_star`
    (one-sided, hot spots only, FDR-corrected); hot cells at ``confidence`` or above are
    grouped into places around their busiest cells, and every other cell with seizures within
    ``radius_km`` of one joins its place (:func:`place_groups`), so no place reaches farther
    than ``radius_km`` from its busiest hot cell; places are ranked by their seizures.  A
    place may include empty cells that Gi* marks hot because of their neighbours; places
    made only of such cells carry no seizures and are left out.

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
    resolution : int, default :data:`DEFAULT_RESOLUTION` (7)
        H3 resolution of the grid (7: cells of about 5 km², 1.4 km edges).
    confidence : {99, 95, 90}, default :data:`DEFAULT_CONFIDENCE` (95)
        Lowest confidence level (after FDR) for a cell to count as hot.
    unit : str, optional
        When given, the hot spots are of the quantity seized in this unit (records in other
        units count as 0) and places are ranked by that quantity, then by seizures.
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
    radius_km : float, default :data:`PLACE_RADIUS_KM` (10)
        The farthest (km) a cell may lie from the busiest hot cell of its place.

    Returns
    -------
    pandas.DataFrame
        One row per place, best first, with :data:`BORDER_HOTSPOT_COLUMNS`: ``rank`` (1 …),
        ``lat``/``lon`` (centroid of the place's cell centres weighted by seizures),
        ``count`` (seizures in its cells), ``quantity_by_unit`` (dict unit → summed
        quantity), ``top_taxa`` (up to five ``(taxon, count)``), ``cells`` (its H3 ids: hot
        cells and the cells with seizures around them), ``gi_z`` (the largest of its hot
        cells), ``p_value`` (their smallest FDR-adjusted one), ``confidence`` (99, 95 or 90,
        their best), ``border_distance_km`` (median over its records), ``place`` (label from
        :func:`geo.reference.gazetteer.place_label`; a label already used by a place ranked
        above gives way to the nearest named place, "near Lạng Sơn (VN)"),
        ``place_a``/``place_b`` (nearest named place within 100 km in the pair's
        first/second country alphabetically, as "Mohan (CN)", or None).  Empty, with these
        columns, when nothing is significant.

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
        radius_km=radius_km,
    )


def border_hotspots_from_tally(
    tally: pd.DataFrame,
    pair: str,
    confidence: int = DEFAULT_CONFIDENCE,
    unit: str | None = None,
    *,
    max_km: float = 50.0,
    k_ring: int = 1,
    method: str | None = None,
    nearest_border: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
    median_distances: Callable[[dict[str, int]], Mapping[int, float]] | None = None,
    radius_km: float = PLACE_RADIUS_KM,
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
    confidence : {99, 95, 90}, default :data:`DEFAULT_CONFIDENCE` (95)
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
        ``median_distances(cluster_of_cell)`` takes a dict from H3 id to place number and
        returns the median ``border_distance_km`` of each place's study records, as a
        mapping from place number to km (as
        :func:`geo.store.cells.cluster_median_distances` computes in SQL).  Without it
        ``border_distance_km`` is NaN.
    radius_km : float, default :data:`PLACE_RADIUS_KM` (10)
        As for :func:`border_hotspots`.

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
    is_hot = (tested["confidence"] >= confidence).to_numpy()
    if not is_hot.any():
        return _empty_border_hotspots()

    # A place is its hot cells and the occupied cells around them, up to radius_km away,
    # so its seizures do not depend on which of its fringe cells passed the test.
    kept = is_hot | (tested["count"] > 0).to_numpy()
    members = tested[kept].assign(hot=is_hot[kept])
    groups = place_groups(members, value, radius_km, peaks_from=is_hot[kept])
    members = members.assign(cluster=groups)[groups >= 0]
    # Only cells with seizures: the hot empty ones have no records to count or measure.
    occupied = members[members["count"].to_numpy() > 0]
    cluster_of_cell = dict(
        zip(occupied["cell"].tolist(), occupied["cluster"].tolist(), strict=True)
    )
    study = tally.assign(cluster=_lower(tally["cell"]).map(cluster_of_cell))
    study = study[study["cluster"].notna().to_numpy()]
    if study.empty:
        return _empty_border_hotspots()
    study = study.assign(cluster=study["cluster"].astype(np.int64))
    median_distance = {} if median_distances is None else median_distances(cluster_of_cell)

    rows = _cluster_rows(members, study, median_distance)
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
    labels: set[str] = set()
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["place"] = _distinct_label(row["lat"], row["lon"], first, second, labels)
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


def place_groups(
    cells: pd.DataFrame,
    value: str = "count",
    radius_km: float = PLACE_RADIUS_KM,
    *,
    peaks_from: np.ndarray | pd.Series | None = None,
) -> np.ndarray:
    """Group H3 cells into places: the busiest cells and the cells around them, capped.

    Peaks first: cells that may be peaks (``peaks_from``, by default all) are taken busiest
    first (by the ``value`` of the cell and its six neighbours, so that a peak sits where
    seizures are densest rather than on one busy cell at a place's edge; then by the cell's
    own ``value``, then by cell id), and each one farther than ``radius_km`` from every peak
    found so far becomes a peak.  Then every cell within ``radius_km`` of a peak joins the
    nearest one in H3 steps (``h3.grid_distance``; at equal steps the busier peak, so a small
    peak cannot take cells from a big one next to it).  Distances are great circles between
    cell centres (WGS84), so the cap means the same at every resolution.

    So a place reaches at most ``radius_km`` from its peak and two peaks are more than
    ``radius_km`` apart: a long belt of touching hot cells along a busy border becomes a
    ranked list of places, not one cluster that swallows the border, while the scatter of
    seizures around one crossing (checkpoints on both sides, searches along the roads: within
    about 6 km) stays one place.  Whether cells touch does not matter: two hot patches a few
    km apart around one crossing are one place.

    Parameters
    ----------
    cells : pandas.DataFrame
        One row per cell, all of one resolution: ``cell`` (h3 id), ``lat``/``lon`` (the
        cell's centre, WGS84 degrees) and ``value``.
    value : str, default "count"
        What makes a cell busy: seizures, or a quantity.
    radius_km : float, default :data:`PLACE_RADIUS_KM`
        The farthest a cell may lie from its place's peak, in km.
    peaks_from : array of bool, optional
        Which rows may be peaks (the hot cells of a ranking); the others only join a peak.

    Returns
    -------
    numpy.ndarray
        int64 place number of each row: 0 for the place of the busiest peak, 1 for the next,
        and so on; -1 for a row farther than ``radius_km`` from every peak (only rows that may
        not be peaks).

    Raises
    ------
    ValueError
        If ``radius_km`` is not positive, a column is missing or ``peaks_from`` is of another
        length.
    """
    if not radius_km > 0:
        raise ValueError(f"radius_km must be positive, got {radius_km!r}")
    _require_columns(cells, ["cell", "lat", "lon", value], "cells")
    count = len(cells)
    may_peak = np.ones(count, dtype=bool)
    if peaks_from is not None:
        may_peak = np.asarray(peaks_from, dtype=bool)
        if may_peak.shape != (count,):
            raise ValueError(f"peaks_from has {may_peak.size} values for {count} cells")
    groups = np.full(count, -1, dtype=np.int64)
    if count == 0:
        return groups
    values = pd.to_numeric(cells[value], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    ids = _lower(cells["cell"]).to_numpy(dtype=str)
    cell_integers = cell_ints(ids)
    lats = cells["lat"].to_numpy(dtype=float)
    lons = cells["lon"].to_numpy(dtype=float)
    order = np.lexsort((ids, -values, -_ring_sums(cell_integers, values)))
    peaks: list[int] = []
    for position in order[may_peak[order]].tolist():
        if peaks:
            reach = haversine_km(lats[position], lons[position], lats[peaks], lons[peaks])
            if reach.min() <= radius_km:
                continue
        peaks.append(position)
    if not peaks:
        return groups
    peak_ints = cell_integers[peaks]
    reach = haversine_km(lats[:, None], lons[:, None], lats[peaks][None, :], lons[peaks][None, :])
    for position in range(count):
        within = np.flatnonzero(reach[position] <= radius_km)
        if within.size == 0:
            continue
        # Peaks are busiest first, and min() keeps the first of equal steps.
        groups[position] = min(
            within.tolist(),
            key=lambda peak: (
                _steps(int(cell_integers[position]), int(peak_ints[peak]), reach[position, peak]),
                peak,
            ),
        )
    return groups


def _ring_sums(cells: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Return each cell's value plus its six neighbours' (those among ``cells``)."""
    position = pd.Index(cells)
    disks = [h3_int.grid_disk(int(cell), 1) for cell in cells.tolist()]
    sizes = np.fromiter((len(disk) for disk in disks), dtype=np.int64, count=len(disks))
    flat = np.fromiter((cell for disk in disks for cell in disk), dtype=np.uint64)
    found = position.get_indexer(flat)
    rows = np.repeat(np.arange(len(cells)), sizes)
    inside = found >= 0
    return np.bincount(rows[inside], weights=values[found[inside]], minlength=len(cells))


def _steps(cell: int, peak: int, km: float) -> float:
    """H3 steps between two cells of one resolution (km as a stand-in where H3 has none)."""
    try:
        return float(h3_int.grid_distance(cell, peak))
    except h3.H3BaseException:  # across a pentagon's distortion: rare, and only ever near
        return km


def _cluster_rows(
    members: pd.DataFrame, study: pd.DataFrame, median_distance: Mapping[int, float]
) -> list[dict]:
    """Return one summary dict per place (rank and place names are filled in later).

    ``members`` is the places' cells (``cluster``: place number, ``hot``: marked by Gi*, and
    the :func:`gi_star` columns); ``study`` the tally's rows in a place (column ``cluster``);
    ``median_distance`` the median border distance of each place's records.  The Gi*
    figures of a place are those of its hot cells.
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
    cluster_count = int(members["cluster"].max()) + 1
    weights = pd.to_numeric(study["weight"]).to_numpy(dtype=np.int64)
    top = _top_taxa(
        study["cluster"].to_numpy(), _taxa(study), cluster_count, _TOP_TAXA_PER_CLUSTER, weights
    )
    counts_by_cluster = study.groupby("cluster")["weight"].sum()

    rows = []
    for cluster, cells in members.groupby("cluster", sort=True):
        cluster = int(cluster)
        hot = cells[cells["hot"].to_numpy(dtype=bool)]
        lat, lon = _weighted_centre(
            cells["lat"].to_numpy(dtype=float),
            cells["lon"].to_numpy(dtype=float),
            cells["count"].to_numpy(dtype=float),
        )
        rows.append(
            {
                "lat": lat,
                "lon": lon,
                "count": int(counts_by_cluster.get(cluster, 0)),
                "quantity_by_unit": quantity_by_unit.get(cluster, {}),
                "top_taxa": top[cluster],
                "cells": sorted(cells["cell"].tolist()),
                "gi_z": float(hot["gi_z"].max()),
                "p_value": float(hot["p_adjusted"].min()),
                "confidence": int(hot["confidence"].max()),
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


def _distinct_label(lat: float, lon: float, first: str, second: str, used: set[str]) -> str:
    """Name a place as :func:`geo.reference.gazetteer.place_label` does, unless ranked already.

    A crossing names every place within 15 km of it, so a town 14 km from a crossing ranked
    above would carry the crossing's name twice; it is named after the nearest place on
    either side instead ("near Lạng Sơn (VN)"), or its coordinates.  Adds the label to
    ``used``.
    """
    label = gazetteer.place_label(lat, lon, f"{first}-{second}")
    if label in used:
        near = [gazetteer.nearest_place(lat, lon, country) for country in (first, second)]
        found = [place for place in near if place is not None]
        nearest = min(found, key=lambda place: place["distance_km"], default=None)
        label = f"near {nearest['name']} ({nearest['country']})" if nearest else label
        if label in used:
            north, east = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
            label = f"{label}, {abs(lat):.2f}° {north}, {abs(lon):.2f}° {east}"
    used.add(label)
    return label


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
