"""Getis-Ord Gi* over an H3 grid, with Benjamini–Hochberg FDR, and H3 ids as integers.

The statistic, its study area of occupied and empty cells, and the two significance methods
("normal" as ArcGIS reports, "counts" with the exact binomial tail) are described, with
their measured false-positive rates, in :mod:`geo.spatial.hotspots`, which applies them to
seizure counts.  Cells are h3 v4 ids: 15-digit lower-case hexadecimal text outside, unsigned
64-bit integers inside (:func:`cell_ints`, :func:`cell_strings`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
from h3.api import basic_int as h3_int

__all__ = [
    "ALPHA_BY_CONFIDENCE",
    "CONFIDENCE_LEVELS",
    "cell_ints",
    "cell_resolutions",
    "cell_strings",
    "gi_star",
]

CONFIDENCE_LEVELS = (99, 95, 90)
ALPHA_BY_CONFIDENCE = {99: 0.01, 95: 0.05, 90: 0.10}
"""The FDR-adjusted p-value at or below which a cell is significant at each confidence."""

_METHODS = ("normal", "counts")
_ALTERNATIVES = ("two-sided", "greater", "less")
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


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
    occupied = cell_ints(cells["cell"])
    if len(np.unique(occupied)) != len(occupied):
        raise ValueError("cells has repeated cell ids; aggregate to one row per cell first")
    if len(np.unique(cell_resolutions(occupied))) > 1:
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
    statistics = pd.DataFrame(
        {
            "neighbours": (weights - 1).astype(np.int64),
            "gi_z": z,
            "p_value": p_value,
            "p_adjusted": p_adjusted,
            "gi_bin": gi_bin,
            "confidence": _confidence_of_bins(gi_bin),
            "hotspot_class": [_class_name(bin_) for bin_ in gi_bin],
        },
        index=result.index,
    )
    return pd.concat(
        [result.drop(columns=list(statistics.columns), errors="ignore"), statistics], axis=1
    )


def _analysis_grid(
    occupied: np.ndarray,
    k_ring: int,
    study_area: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
) -> tuple[np.ndarray, list]:
    """Return the grid (occupied cells in their order, then empty ones) and its disks."""
    disks = [_grid_disk(cell, k_ring) for cell in occupied.tolist()]
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
    disks.extend(_grid_disk(cell, k_ring) for cell in padding.tolist())
    return np.concatenate([occupied, padding]), disks


@lru_cache(maxsize=1 << 17)
def _grid_disk(cell: int, k_ring: int) -> tuple[int, ...]:
    """Return the cells within ``k_ring`` of a cell (kept: maps ask for the same grids again)."""
    return tuple(h3_int.grid_disk(int(cell), k_ring))


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
    log_factorial = _log_factorials(total)
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


def _log_factorials(total: int) -> np.ndarray:
    """Return log(k!) for k = 0 … total, from a table kept for the process.

    The table's length is a power of two; a cumulative sum adds left to right, so every
    prefix is exactly what a table of that length would hold.
    """
    return _log_factorial_table(1 << int(total).bit_length())[: total + 1]


@lru_cache(maxsize=2)
def _log_factorial_table(length: int) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, length)))])


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
    for bin_level, confidence in enumerate(sorted(ALPHA_BY_CONFIDENCE), start=1):
        level[p_adjusted <= ALPHA_BY_CONFIDENCE[confidence]] = bin_level
    sign = np.sign(z).astype(np.int64)
    if alternative == "greater":
        sign[sign < 0] = 0
    elif alternative == "less":
        sign[sign > 0] = 0
    return level * sign


def _confidence_of_bins(gi_bin: np.ndarray) -> np.ndarray:
    levels = np.array([0, *sorted(ALPHA_BY_CONFIDENCE)], dtype=np.int64)
    return levels[np.abs(gi_bin)]


def _class_name(gi_bin: int) -> str:
    if gi_bin == 0:
        return "not significant"
    confidence = sorted(ALPHA_BY_CONFIDENCE)[abs(int(gi_bin)) - 1]
    return f"{'hot' if gi_bin > 0 else 'cold'} {confidence}%"


def _with_padding(cells: pd.DataFrame, grid: np.ndarray, occupied: int, value: str) -> pd.DataFrame:
    """Return the given rows, then one row per added empty cell, with ``padding`` telling which."""
    given = cells.reset_index(drop=True).copy()
    given["cell"] = cell_strings(grid[:occupied])
    given["padding"] = False
    added_cells = grid[occupied:]
    if len(added_cells) == 0:
        return given
    added = pd.DataFrame({"cell": cell_strings(added_cells)})
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


def cell_ints(cells: Iterable, resolution: int | None = None) -> np.ndarray:
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
        wrong = cell_resolutions(ints) != resolution
        if wrong.any():
            cell = texts[int(np.argmax(wrong))]
            raise ValueError(
                f"h3_r{resolution} holds {cell!r}, not an H3 cell of resolution {resolution}"
            )
    return ints


def cell_resolutions(cells: np.ndarray) -> np.ndarray:
    """Return the resolution of each H3 cell, read from bits 52-55 of its index."""
    return ((cells >> np.uint64(52)) & np.uint64(0xF)).astype(np.int64)


def cell_strings(cells: np.ndarray) -> np.ndarray:
    """Format H3 cell integers as h3's 15-digit lower-case hexadecimal ids, all at once."""
    if len(cells) == 0:
        return np.array([], dtype=object)
    # A cell index has bits 60-63 clear and bit 59 set, so it always prints as 15 digits.
    shifts = np.arange(56, -1, -4, dtype=np.uint64)
    digits = (np.asarray(cells, dtype=np.uint64)[:, None] >> shifts) & np.uint64(0xF)
    characters = np.ascontiguousarray(_HEX_DIGITS[digits.astype(np.intp)])
    return characters.view("S15").ravel().astype(str).astype(object)


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name!r} should be a pandas DataFrame, got {type(frame)}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(frame.columns)}")
