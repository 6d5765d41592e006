"""Seizure hot spots: H3 hexagon counts, Getis-Ord Gi* with FDR, and ranked border clusters.

Records are WGS84 points (``lat``, ``lon``) with their H3 cells (h3 v4 hexadecimal strings in
``h3_r3`` … ``h3_r8``) already stored by the import.  Records placed at a country centroid
(``coord_precision`` "country" or "none") say nothing about where along a border a seizure
happened, so they are left out of every statistic here unless asked for.

The statistic is Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995) over the hexagon grid,
with binary weights: a cell's neighbourhood is the cell itself and every cell within
``k_ring`` steps (``h3.grid_disk``).  For n cells with values x, mean X̄ and
S = sqrt(Σx²/n − X̄²), with W_i neighbours and S1_i = Σ_j w_ij² (= W_i for binary weights)::

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
from collections.abc import Callable, Iterable

import h3
import numpy as np
import pandas as pd
from h3.api import basic_int as h3_int

from geo.pairs import split_pair
from geo.reference import gazetteer
from geo.schema import UNITS

__all__ = [
    "BORDER_HOTSPOT_COLUMNS",
    "CENTROID_PRECISIONS",
    "CONFIDENCE_LEVELS",
    "HEX_COUNT_COLUMNS",
    "border_hotspots",
    "gi_star",
    "grid_hotspots",
    "hex_counts",
]

CENTROID_PRECISIONS = ("country", "none")
CONFIDENCE_LEVELS = (99, 95, 90)
HEX_COUNT_COLUMNS = ("cell", "lat", "lon", "count", "quantity", "top_taxa")
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

_ALPHA_BY_CONFIDENCE = {99: 0.01, 95: 0.05, 90: 0.10}
_METHODS = ("normal", "counts")
_ALTERNATIVES = ("two-sided", "greater", "less")
_H3_RESOLUTIONS = range(16)
_TOP_TAXA_PER_CELL = 3
_TOP_TAXA_PER_CLUSTER = 5
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hex_counts(
    records: pd.DataFrame,
    resolution: int = 6,
    unit: str | None = None,
    *,
    include_centroids: bool = False,
) -> pd.DataFrame:
    """Count seizures per H3 cell.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records with ``taxon`` and either an ``h3_r{resolution}`` column (h3 v4
        hexadecimal cell ids) or ``lat``/``lon`` in WGS84 degrees; where the cell column is
        missing or empty for a row, the cell is computed from its coordinates.  With a
        ``unit`` they need ``quantity`` and ``unit`` too.
    resolution : int, default 6
        H3 resolution, 0–15 (6: cells of about 36 km²; 7: about 5 km²).
    unit : str, optional
        One of :data:`geo.schema.UNITS`.  When given, ``quantity`` is the sum of the
        quantities of the cell's records in that unit; records in other units add nothing to
        it (they still count as seizures), because quantities are never summed across units.
    include_centroids : bool, default False
        Keep records whose ``coord_precision`` is "country" or "none" (placed at a country
        centroid, which would make a false hot spot there).

    Returns
    -------
    pandas.DataFrame
        One row per occupied cell, most seizures first (ties by cell id): ``cell``, ``lat``,
        ``lon`` (the cell's centre), ``count`` (seizures), ``quantity`` (float; NaN when no
        ``unit`` is given) and ``top_taxa`` (up to three ``(taxon, count)`` tuples, most
        frequent first).  Records with no cell and no coordinates are left out.

    Raises
    ------
    ValueError
        If ``resolution`` or ``unit`` is not valid, a needed column is missing, or a stored
        cell id is not an H3 cell of ``resolution``.
    """
    _check_resolution(resolution)
    _check_unit(unit)
    _require_columns(records, ["taxon", *(["quantity", "unit"] if unit else [])], "records")
    return _count_cells(_located(records, resolution, include_centroids), resolution, unit)


def _count_cells(located: pd.DataFrame, resolution: int, unit: str | None) -> pd.DataFrame:
    """Return :func:`hex_counts` of records already given their cell in ``_cell``."""
    codes, distinct = pd.factorize(located["_cell"], sort=False)
    cell_ints = _cell_ints(distinct, resolution)
    counts = np.bincount(codes, minlength=len(distinct)).astype(np.int64)
    if unit is None:
        quantity = np.full(len(distinct), np.nan)
    else:
        amounts = pd.to_numeric(located["quantity"], errors="coerce").to_numpy(dtype=float)
        in_unit = (located["unit"] == unit).fillna(False).to_numpy(dtype=bool)
        in_unit = in_unit & np.isfinite(amounts)
        quantity = np.bincount(codes[in_unit], weights=amounts[in_unit], minlength=len(distinct))
    top = _top_taxa(codes, located["taxon"], len(distinct), _TOP_TAXA_PER_CELL)
    cell_ids = _cell_strings(cell_ints)
    order = np.lexsort((cell_ids, -counts))
    centres = [h3_int.cell_to_latlng(int(cell)) for cell in cell_ints[order]]
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


def gi_star(
    cells: pd.DataFrame,
    value: str = "count",
    k_ring: int = 1,
    fdr: bool = True,
    *,
    method: str = "normal",
    alternative: str = "two-sided",
    study_area: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> pd.DataFrame:
    """Getis-Ord Gi* z-scores and hot/cold spot classes over an H3 grid.

    The analysis grid is the given cells plus the empty cells within ``k_ring`` of them (value
    0), so that there are low values to compare against; see the module notes.

    Parameters
    ----------
    cells : pandas.DataFrame
        One row per H3 cell: ``cell`` (h3 v4 hexadecimal id, all of one resolution) and the
        ``value`` column, as :func:`hex_counts` returns.
    value : str, default "count"
        The column analysed: non-negative numbers with no missing values.
    k_ring : int, default 1
        Neighbourhood radius in H3 steps: 1 gives the cell and its 6 neighbours, 2 gives 19
        cells.
    fdr : bool, default True
        Apply the Benjamini–Hochberg false discovery rate to the p-values before binning,
        as ArcGIS's Optimized Hot Spot Analysis does.
    method : {"normal", "counts"}, default "normal"
        "normal": normal p-values for the z-scores (ArcGIS).  "counts": for whole-number
        counts, the larger of the normal p-value and the exact binomial tail of the
        neighbourhood count under uniform random placement (see the module notes).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        "two-sided" finds hot and cold spots (ArcGIS); "greater" tests for hot spots only and
        "less" for cold spots only.
    study_area : callable, optional
        ``study_area(lat, lon)`` takes arrays of WGS84 cell-centre coordinates and returns a
        boolean array, True inside the study area.  Empty cells outside it are not added to
        the grid: they are places where no seizure could have been recorded (beyond a
        border band, say), and as zeros they would make the occupied cells look hotter.
        The given cells are always kept.

    Returns
    -------
    pandas.DataFrame
        The given rows (in their order, with ``cell`` in lower case) followed by the added
        empty cells (``value`` 0, ``count``/``quantity`` 0 when those columns exist, ``lat``/
        ``lon`` their centres), with columns added: ``padding`` (True for the added empty
        cells), ``neighbours`` (other grid cells in the neighbourhood), ``gi_z``, ``p_value``,
        ``p_adjusted`` (Benjamini–Hochberg; equal to ``p_value`` when ``fdr`` is False),
        ``gi_bin`` (+3/+2/+1 hot at 99/95/90%, −1/−2/−3 cold, 0 not significant),
        ``confidence`` (99, 95, 90 or 0) and ``hotspot_class`` ("hot 99%" … "cold 99%",
        "not significant").  When all values are equal the z-scores are 0 and nothing is
        significant.

    Raises
    ------
    ValueError
        If a column is missing, a cell id is invalid, repeated or of another resolution,
        values are missing or negative, ``method="counts"`` is given non-integer values, or
        an option is not one of its choices.
    """
    _require_columns(cells, ["cell", value], "cells")
    if not isinstance(k_ring, int | np.integer) or k_ring < 1:
        raise ValueError(f"k_ring must be a positive integer, got {k_ring!r}")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative must be one of {_ALTERNATIVES}, got {alternative!r}")
    values = pd.to_numeric(cells[value], errors="coerce").to_numpy(dtype=float)
    if np.isnan(values).any():
        raise ValueError(f"column {value!r} has missing or non-numeric values")
    if (values < 0).any():
        raise ValueError(f"column {value!r} has negative values; Gi* here needs values >= 0")
    if method == "counts" and not np.array_equal(values, np.round(values)):
        raise ValueError(f"method='counts' needs whole-number values; column {value!r} has others")
    occupied = _cell_ints(cells["cell"])
    if len(np.unique(occupied)) != len(occupied):
        raise ValueError("cells has repeated cell ids; aggregate to one row per cell first")
    if len(np.unique(_resolutions(occupied))) > 1:
        raise ValueError("cells mixes H3 resolutions; Gi* needs one grid")

    grid, disks = _analysis_grid(occupied, k_ring, study_area)
    x = np.zeros(len(grid), dtype=float)
    x[: len(occupied)] = values
    rows, columns = _neighbour_pairs(grid, disks)
    local_sum = np.bincount(rows, weights=x[columns], minlength=len(grid))
    weights = np.bincount(rows, minlength=len(grid)).astype(float)
    z = _gi_z(x, local_sum, weights)
    p_value = _normal_p(z, alternative)
    if method == "counts":
        total = round(float(x.sum()))
        exact = _binomial_p(local_sum, weights, total, len(grid), alternative)
        p_value = np.maximum(p_value, exact)
    p_adjusted = _benjamini_hochberg(p_value) if fdr else p_value.copy()
    gi_bin = _bins(z, p_adjusted, alternative)

    result = _with_padding(cells, grid, len(occupied), value)
    if "lat" not in result.columns or "lon" not in result.columns:
        centres = [h3_int.cell_to_latlng(int(cell)) for cell in grid]
        result["lat"] = [centre[0] for centre in centres]
        result["lon"] = [centre[1] for centre in centres]
    result["neighbours"] = (weights - 1).astype(np.int64)
    result["gi_z"] = z
    result["p_value"] = p_value
    result["p_adjusted"] = p_adjusted
    result["gi_bin"] = gi_bin
    result["confidence"] = _confidence_of_bins(gi_bin)
    result["hotspot_class"] = [_class_name(bin_) for bin_ in gi_bin]
    return result


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
    if confidence not in _ALPHA_BY_CONFIDENCE:
        raise ValueError(f"confidence must be one of {CONFIDENCE_LEVELS}, got {confidence!r}")
    if not max_km > 0:
        raise ValueError(f"max_km must be positive, got {max_km!r}")
    _check_resolution(resolution)
    _check_unit(unit)
    _require_columns(
        records, ["border_pair", "border_distance_km", "taxon", "quantity", "unit"], "records"
    )
    distance = pd.to_numeric(records["border_distance_km"], errors="coerce")
    in_band = (records["border_pair"] == f"{first}-{second}") & (distance <= max_km)
    study = _located(records[in_band.fillna(False).to_numpy()], resolution, include_centroids)
    if study.empty:
        return _empty_border_hotspots()

    cells = _count_cells(study, resolution, unit)
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
    hot = hot.assign(cluster=hot["cell"].map(cluster_of_cell))
    study = study.assign(cluster=study["_cell"].map(cluster_of_cell))
    study = study[study["cluster"].notna()]
    if study.empty:
        return _empty_border_hotspots()
    study = study.assign(cluster=study["cluster"].astype(np.int64))
    hot = hot.assign(cluster=hot["cluster"].astype(np.int64))

    rows = _cluster_rows(hot, study)
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
    groups: np.ndarray, taxa: pd.Series, group_count: int, limit: int
) -> list[list[tuple[str, int]]]:
    """Return, per group number, up to ``limit`` (taxon, count): most frequent, then by name."""
    top: list[list[tuple[str, int]]] = [[] for _ in range(group_count)]
    taxon_codes, taxon_names = pd.factorize(taxa, sort=False)
    named = taxon_codes >= 0
    if not named.any():
        return top
    names = np.asarray(taxon_names, dtype=object).astype(str)
    kinds = len(names)
    combined = np.asarray(groups, dtype=np.int64)[named] * kinds + taxon_codes[named]
    pair_codes, counts = np.unique(combined, return_counts=True)
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


def _analysis_grid(
    occupied: np.ndarray,
    k_ring: int,
    study_area: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
) -> tuple[np.ndarray, list]:
    """Return the grid (occupied cells in their order, then empty ones) and its disks."""
    disks = [h3_int.grid_disk(int(cell), k_ring) for cell in occupied.tolist()]
    if not disks:
        return occupied, disks
    near = np.fromiter((cell for disk in disks for cell in disk), dtype=np.uint64)
    padding = np.setdiff1d(np.unique(near), occupied)
    if study_area is not None and len(padding):
        centres = np.array([h3_int.cell_to_latlng(int(cell)) for cell in padding], dtype=float)
        inside = np.asarray(study_area(centres[:, 0], centres[:, 1]), dtype=bool)
        if inside.shape != padding.shape:
            raise ValueError(
                f"study_area returned {inside.shape} values for {padding.shape[0]} cells"
            )
        padding = padding[inside]
    disks.extend(h3_int.grid_disk(int(cell), k_ring) for cell in padding.tolist())
    return np.concatenate([occupied, padding]), disks


def _neighbour_pairs(grid: np.ndarray, disks: list) -> tuple[np.ndarray, np.ndarray]:
    """Return (row, column) grid positions of every pair within the disks, self included."""
    sizes = np.fromiter((len(disk) for disk in disks), dtype=np.int64, count=len(disks))
    flat = np.fromiter(
        (cell for disk in disks for cell in disk), dtype=np.uint64, count=int(sizes.sum())
    )
    rows = np.repeat(np.arange(len(grid)), sizes)
    columns = pd.Index(grid).get_indexer(flat)
    inside = columns >= 0
    return rows[inside], columns[inside]


def _gi_z(x: np.ndarray, local_sum: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Return Gi* z-scores for binary weights (S1_i = W_i); 0 where the statistic is undefined."""
    n = len(x)
    z = np.zeros(n, dtype=float)
    if n < 2:
        return z
    mean = x.mean()
    spread = math.sqrt(max((x * x).mean() - mean * mean, 0.0))
    if spread <= 1e-12 * max(1.0, abs(mean)):
        return z
    variance_factor = (n * weights - weights * weights) / (n - 1)
    defined = variance_factor > 0
    z[defined] = (local_sum[defined] - mean * weights[defined]) / (
        spread * np.sqrt(variance_factor[defined])
    )
    return z


def _normal_p(z: np.ndarray, alternative: str) -> np.ndarray:
    """Return the p-values of standard-normal z-scores."""
    erfc = np.frompyfunc(math.erfc, 1, 1)
    if alternative == "two-sided":
        return erfc(np.abs(z) / math.sqrt(2.0)).astype(float)
    sign = 1.0 if alternative == "greater" else -1.0
    return (0.5 * erfc(sign * z / math.sqrt(2.0))).astype(float)


def _binomial_p(
    local_sum: np.ndarray, weights: np.ndarray, total: int, n: int, alternative: str
) -> np.ndarray:
    """Return exact binomial tails of each neighbourhood count under uniform random placement.

    With ``total`` seizures each falling in one of the ``n`` grid cells at random, the count
    in a neighbourhood of W cells is Binomial(total, W/n).
    """
    counts = np.rint(local_sum).astype(np.int64)
    p = np.ones(len(counts), dtype=float)
    if total == 0 or n < 2:
        return p
    # Terms beyond mean + 40 standard deviations are below 1e-300 and need no computing.
    largest_share = min(float(weights.max()) / n, 1.0)
    spread = math.sqrt(total * largest_share * (1.0 - largest_share))
    top = min(total, max(int(counts.max()), math.ceil(total * largest_share + 40 * spread + 40)))
    k = np.arange(top + 1, dtype=float)
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, total + 1)))])
    log_choose = (
        log_factorial[total] - log_factorial[: top + 1] - log_factorial[total - top :][::-1]
    )
    for size in np.unique(weights):
        share = float(size) / n
        if share >= 1.0:
            continue
        chosen = weights == size
        pmf = np.exp(log_choose + k * math.log(share) + (total - k) * math.log1p(-share))
        at = counts[chosen]
        upper = np.cumsum(pmf[::-1])[::-1][at]
        lower = np.cumsum(pmf)[at]
        if alternative == "two-sided":
            p[chosen] = 2.0 * np.minimum(upper, lower)
        elif alternative == "greater":
            p[chosen] = upper
        else:
            p[chosen] = lower
    return np.clip(p, 0.0, 1.0)


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Return Benjamini–Hochberg (1995) adjusted p-values: min over j >= rank of p_(j) m / j."""
    m = len(p)
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    scaled = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted = np.empty(m, dtype=float)
    adjusted[order] = np.minimum(scaled, 1.0)
    return adjusted


def _bins(z: np.ndarray, p_adjusted: np.ndarray, alternative: str) -> np.ndarray:
    """Return ArcGIS Gi_Bin values: ±3/±2/±1 at 99/95/90% confidence, signed by the z-score."""
    level = np.zeros(len(z), dtype=np.int64)
    for bin_level, confidence in enumerate(sorted(_ALPHA_BY_CONFIDENCE), start=1):
        level[p_adjusted <= _ALPHA_BY_CONFIDENCE[confidence]] = bin_level
    sign = np.sign(z).astype(np.int64)
    if alternative == "greater":
        sign[sign < 0] = 0
    elif alternative == "less":
        sign[sign > 0] = 0
    return level * sign


def _confidence_of_bins(gi_bin: np.ndarray) -> np.ndarray:
    levels = np.array([0, *sorted(_ALPHA_BY_CONFIDENCE)], dtype=np.int64)
    return levels[np.abs(gi_bin)]


def _class_name(gi_bin: int) -> str:
    if gi_bin == 0:
        return "not significant"
    confidence = sorted(_ALPHA_BY_CONFIDENCE)[abs(int(gi_bin)) - 1]
    return f"{'hot' if gi_bin > 0 else 'cold'} {confidence}%"


def _with_padding(cells: pd.DataFrame, grid: np.ndarray, occupied: int, value: str) -> pd.DataFrame:
    """Return the given rows, then one row per added empty cell, with ``padding`` telling which."""
    given = cells.reset_index(drop=True).copy()
    given["cell"] = _cell_strings(grid[:occupied])
    given["padding"] = False
    added_cells = grid[occupied:]
    if len(added_cells) == 0:
        return given
    added = pd.DataFrame({"cell": _cell_strings(added_cells)})
    for column in dict.fromkeys([value, "count", "quantity"]):
        if column in given.columns:
            added[column] = 0
    if "top_taxa" in given.columns:
        added["top_taxa"] = [[] for _ in range(len(added))]
    if "lat" in given.columns and "lon" in given.columns:
        centres = [h3_int.cell_to_latlng(int(cell)) for cell in added_cells]
        added["lat"] = [centre[0] for centre in centres]
        added["lon"] = [centre[1] for centre in centres]
    added["padding"] = True
    combined = pd.concat([given, added], ignore_index=True)
    for column in dict.fromkeys([value, "count", "quantity"]):
        if column in given.columns and pd.api.types.is_integer_dtype(given[column]):
            combined[column] = combined[column].astype(given[column].dtype)
    return combined


def _cell_ints(cells: Iterable, resolution: int | None = None) -> np.ndarray:
    """Parse hexadecimal H3 cell ids to unsigned 64-bit integers, checking each one."""
    texts = list(cells)
    ints = np.empty(len(texts), dtype=np.uint64)
    for position, cell in enumerate(texts):
        try:
            ints[position] = int(cell, 16)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"not an H3 cell id: {cell!r}") from None
    valid = np.fromiter(
        (h3_int.is_valid_cell(cell) for cell in ints.tolist()), dtype=bool, count=len(ints)
    )
    if not valid.all():
        raise ValueError(f"not an H3 cell id: {texts[int(np.argmin(valid))]!r}")
    if resolution is not None:
        wrong = _resolutions(ints) != resolution
        if wrong.any():
            cell = texts[int(np.argmax(wrong))]
            raise ValueError(
                f"h3_r{resolution} holds {cell!r}, not an H3 cell of resolution {resolution}"
            )
    return ints


def _resolutions(cells: np.ndarray) -> np.ndarray:
    """Return the resolution of each H3 cell, read from bits 52-55 of its index."""
    return ((cells >> np.uint64(52)) & np.uint64(0xF)).astype(np.int64)


def _cell_strings(cells: np.ndarray) -> np.ndarray:
    """Format H3 cell integers as h3's 15-digit lower-case hexadecimal ids, all at once."""
    if len(cells) == 0:
        return np.array([], dtype=object)
    # A cell index has bits 60-63 clear and bit 59 set, so it always prints as 15 digits.
    shifts = np.arange(56, -1, -4, dtype=np.uint64)
    digits = (np.asarray(cells, dtype=np.uint64)[:, None] >> shifts) & np.uint64(0xF)
    characters = np.ascontiguousarray(_HEX_DIGITS[digits.astype(np.intp)])
    return characters.view("S15").ravel().astype(str).astype(object)


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


def _cluster_rows(hot: pd.DataFrame, study: pd.DataFrame) -> list[dict]:
    """Return one summary dict per cluster (rank and place names are filled in later)."""
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
    top = _top_taxa(
        study["cluster"].to_numpy(), study["taxon"], cluster_count, _TOP_TAXA_PER_CLUSTER
    )
    distance = pd.to_numeric(study["border_distance_km"], errors="coerce")
    median_distance = distance.groupby(study["cluster"]).median()
    counts_by_cluster = study.groupby("cluster").size()

    rows = []
    for cluster, members in hot.groupby("cluster", sort=True):
        cluster = int(cluster)
        weights = members["count"].to_numpy(dtype=float)
        lat, lon = _weighted_centre(
            members["lat"].to_numpy(dtype=float), members["lon"].to_numpy(dtype=float), weights
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


def _check_unit(unit: str | None) -> None:
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS} or None, got {unit!r}")


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name!r} should be a pandas DataFrame, got {type(frame)}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(frame.columns)}")
