"""Hot spots of a query's seizures, from the store's H3 cell tallies (never from records).

The store counts seizures per H3 cell, taxon and unit with one GROUP BY
(:func:`geo.store.cells.cell_tally`); the statistics of :mod:`geo.spatial.hotspots` run on
that tally.  Records placed at a country centroid are left out, as there.  The page, the
briefing and the command line call these, so they share one set of defaults
(:mod:`geo.spatial.hotspot_defaults`, re-exported here) and give one answer
(:func:`border_hotspot_answer`): the ranking and the sentence said above it, which names the
place that dominates a band even when Gi* does not mark it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.pairs import split_pair
from geo.reference import gazetteer
from geo.reference.countries import country_name
from geo.spatial import hotspots
from geo.spatial.enrich import nearest_borders
from geo.spatial.hotspot_defaults import (
    CONFIDENCES,
    DEFAULT_CONFIDENCE,
    DEFAULT_RESOLUTION,
    DOMINANT_SHARE,
    PLACE_RADIUS_KM,
    RESOLUTIONS,
)
from geo.store import cells
from geo.store.query import Query
from geo.store.store import Store

__all__ = [
    "CONFIDENCES",
    "DEFAULT_CONFIDENCE",
    "DEFAULT_RESOLUTION",
    "DOMINANT_SHARE",
    "PLACE_RADIUS_KM",
    "RESOLUTIONS",
    "BorderHotspots",
    "TopSite",
    "border_hotspot_answer",
    "cell_counts",
    "grid_hotspot_cells",
    "ranked_border_hotspots",
    "summarise_border_hotspots",
]


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
    resolution: int = DEFAULT_RESOLUTION,
    confidence: int = DEFAULT_CONFIDENCE,
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
    resolution : int, default :data:`DEFAULT_RESOLUTION` (7)
        H3 resolution of the grid, 3–8 (:data:`RESOLUTIONS` are offered).
    confidence : {99, 95, 90}, default :data:`DEFAULT_CONFIDENCE` (95)
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
    _require_pair(query)
    tally = cells.cell_tally(store, query, resolution)
    return _ranking_of_tally(store, query, tally, resolution, confidence, unit)


@dataclass(frozen=True)
class TopSite:
    """The place a border's hot-spot sentence names.

    Attributes
    ----------
    place : str
        Its label (:func:`geo.reference.gazetteer.place_label`), "Boten–Mohan crossing
        (CN–LA)".
    seizures : int
        Its seizures (the ranking's ``count`` when it is ranked).
    share : float
        ``seizures`` over the band's seizures, 0–1.
    ranked : bool
        Whether it is a ranked hot spot (Gi* marks it at the chosen confidence).
    """

    place: str
    seizures: int
    share: float
    ranked: bool


@dataclass(frozen=True, eq=False)
class BorderHotspots:
    """A border's hot spots as every face shows them: the ranking and the sentence above it.

    Attributes
    ----------
    ranking : pandas.DataFrame
        :data:`geo.spatial.hotspots.BORDER_HOTSPOT_COLUMNS`, best first; empty when nothing
        is significant.
    pair : str
        The pair, alphabetical ("CN-LA").
    band : str
        The two countries' names ("China–Lao PDR").
    confidence : int
        The confidence level of the ranking.
    band_seizures : int
        Seizures in the study area: the pair's border band, without records placed at a
        country centroid (what the shares are of).
    top_site : TopSite or None
        The ranking's first place; when nothing is ranked, or a place Gi* does not mark
        holds most of the band, the busiest place (:func:`summarise_border_hotspots`).
        None when the band is empty.
    dominant : bool
        Whether ``top_site`` holds more than :data:`DOMINANT_SHARE` of the band's seizures.
    sentence : str
        One or two plain sentences for a manager, said above the ranking.
    """

    ranking: pd.DataFrame
    pair: str
    band: str
    confidence: int
    band_seizures: int
    top_site: TopSite | None
    dominant: bool
    sentence: str

    def summary(self) -> dict:
        """Return everything but the ranking as plain values (for JSON)."""
        found = {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(self)
            if field.name != "ranking"
        }
        found["top_site"] = None if self.top_site is None else dataclasses.asdict(self.top_site)
        return found


def summarise_border_hotspots(
    ranking: pd.DataFrame,
    tally: pd.DataFrame,
    pair: str,
    confidence: int = DEFAULT_CONFIDENCE,
    *,
    radius_km: float = PLACE_RADIUS_KM,
) -> BorderHotspots:
    """Say in a sentence what a border's hot-spot ranking shows, and which place dominates.

    Gi* compares each cell's neighbourhood with the whole band, so when one site holds most
    of the band's seizures the spread it is compared with is mostly its own, and the test
    may or may not mark it, depending on the grid.  A manager still needs to hear that one
    place holds most of the seizures, so the sentence does not rest on the test alone.

    The sentence names the ranking's first place, with its seizures as the table shows them.
    When nothing is ranked, or the first place holds at most :data:`DOMINANT_SHARE` of the
    band while another place holds more (and more than the first), it names that busiest
    place instead: places found as the ranking's are
    (:func:`geo.spatial.hotspots.place_groups`, over every occupied cell rather than only
    hot ones), named by :func:`geo.reference.gazetteer.place_label`.

    Parameters
    ----------
    ranking : pandas.DataFrame
        :data:`geo.spatial.hotspots.BORDER_HOTSPOT_COLUMNS`, as ranked from ``tally``.
    tally : pandas.DataFrame
        :data:`geo.spatial.hotspots.TALLY_COLUMNS` of the study area (``cell`` and ``weight``
        are needed).
    pair : str
        ISO alpha-2 codes of the two countries, "CN-LA" or "LA-CN".
    confidence : {99, 95, 90}, default :data:`DEFAULT_CONFIDENCE` (95)
        The ranking's confidence level, for the sentence.
    radius_km : float, default :data:`PLACE_RADIUS_KM` (10)
        How far a place reaches from its busiest cell, as for the ranking.

    Returns
    -------
    BorderHotspots
        The ranking, the figures and sentences such as "One place holds 1,854 of 1,932
        seizures in the China–Lao PDR band (96%): Boten–Mohan crossing." or "No place along
        the China–Viet Nam border stands out from its surroundings at 99% confidence; the
        busiest is Hekou–Lào Cai crossing, with 1,230 of 3,255 seizures (38%)."

    Raises
    ------
    ValueError
        If ``pair`` or ``confidence`` is not valid.
    """
    first, second = split_pair(pair)
    if confidence not in CONFIDENCES:
        raise ValueError(f"confidence must be one of {CONFIDENCES}, got {confidence!r}")
    band = f"{country_name(first)}–{country_name(second)}"
    band_seizures = int(pd.to_numeric(tally["weight"]).sum())
    found = {
        "ranking": ranking,
        "pair": f"{first}-{second}",
        "band": band,
        "confidence": confidence,
        "band_seizures": band_seizures,
    }
    if band_seizures == 0:
        sentence = f"No seizures with coordinates in the {band} border band for these filters."
        return BorderHotspots(**found, top_site=None, dominant=False, sentence=sentence)
    top = None
    if not ranking.empty:
        first_row = ranking.iloc[0]
        top = TopSite(str(first_row["place"]), int(first_row["count"]), 0.0, True)
    # A dominant place the test does not mark (or marks only in part, lower down) must not
    # hide behind a smaller ranked one.
    if top is None or top.seizures <= DOMINANT_SHARE * band_seizures:
        place, seizures, cells_of_place = _busiest_place(tally, found["pair"], radius_km)
        rows = [set(cells) for cells in ranking["cells"]] if not ranking.empty else []
        if top is None:
            top = TopSite(place, seizures, 0.0, False)
        elif not cells_of_place & rows[0] and seizures > max(
            DOMINANT_SHARE * band_seizures, top.seizures
        ):
            top = TopSite(place, seizures, 0.0, any(cells_of_place & row for row in rows))
    top = dataclasses.replace(top, share=top.seizures / band_seizures)
    dominant = top.share > DOMINANT_SHARE
    sentence = _sentence(band, confidence, top, band_seizures, len(ranking), dominant, pair)
    return BorderHotspots(**found, top_site=top, dominant=dominant, sentence=sentence)


def border_hotspot_answer(
    store: Store,
    query: Query,
    resolution: int = DEFAULT_RESOLUTION,
    confidence: int = DEFAULT_CONFIDENCE,
    unit: str | None = None,
) -> BorderHotspots:
    """Rank the hot spots along the query's pair's border and say what the ranking shows.

    :func:`ranked_border_hotspots` and :func:`summarise_border_hotspots` from one cell tally
    (one GROUP BY, and one small SELECT for the places' border distances): what the Border
    hotspots page, ``seizures hotspots`` and the briefing show
    (:func:`geo.report.views.hotspot_ranking`).

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters; ``query.pair`` is required.
    resolution : int, default :data:`DEFAULT_RESOLUTION` (7)
        H3 resolution of the grid, 3–8 (:data:`RESOLUTIONS` are offered).
    confidence : {99, 95, 90}, default :data:`DEFAULT_CONFIDENCE` (95)
        Lowest confidence level (after FDR) for a cell to count as hot.
    unit : str, optional
        Hot spots of the quantity seized in this unit instead of the number of seizures
        (the sentence still speaks of seizures).

    Returns
    -------
    BorderHotspots
        The ranking, the band's figures and the sentence.

    Raises
    ------
    ValueError
        If the query has no pair, or an option is not valid.
    """
    _require_pair(query)
    tally = cells.cell_tally(store, query, resolution)
    ranking = _ranking_of_tally(store, query, tally, resolution, confidence, unit)
    return summarise_border_hotspots(ranking, tally, query.pair, confidence)


def _ranking_of_tally(
    store: Store,
    query: Query,
    tally: pd.DataFrame,
    resolution: int,
    confidence: int,
    unit: str | None,
) -> pd.DataFrame:
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


def _busiest_place(tally: pd.DataFrame, pair: str, radius_km: float) -> tuple[str, int, set]:
    """Return the label, seizures and cells of the busiest place among all occupied cells."""
    counts = hotspots.hex_counts_from_tally(tally)
    counts = counts[counts["count"].to_numpy() > 0]
    groups = hotspots.place_groups(counts, "count", radius_km)
    seizures = np.bincount(groups, weights=counts["count"].to_numpy(dtype=float))
    busiest = int(np.argmax(seizures))  # the first of equals: the busier peak
    members = counts[groups == busiest]
    lat, lon = _weighted_centre(members)
    return gazetteer.place_label(lat, lon, pair), int(seizures[busiest]), set(members["cell"])


def _weighted_centre(members: pd.DataFrame) -> tuple[float, float]:
    """Return the centre of cells weighted by seizures (a place spans a few tens of km)."""
    weights = members["count"].to_numpy(dtype=float)
    lat = float(np.average(members["lat"].to_numpy(dtype=float), weights=weights))
    lons = members["lon"].to_numpy(dtype=float)
    # Whole across 180° longitude: average the offsets from the first cell.
    offsets = (lons - lons[0] + 180.0) % 360.0 - 180.0
    lon = float((lons[0] + np.average(offsets, weights=weights) + 180.0) % 360.0 - 180.0)
    return lat, lon


def _sentence(
    band: str,
    confidence: int,
    top: TopSite,
    total: int,
    ranked: int,
    dominant: bool,
    pair: str,
) -> str:
    first, second = split_pair(pair)
    place = _without_pair(top.place, first, second)
    part = f"{top.seizures:,} of {total:,} seizures"
    percent = "<1%" if 0 < top.share < 0.005 else f"{top.share:.0%}"
    if dominant:
        said = f"One place holds {part} in the {band} band ({percent}): {place}."
        if top.ranked:
            return said
        return (
            f"{said} The hot-spot test does not mark it at {confidence}% confidence: with one "
            "site holding most of the band, there is too little elsewhere to compare it with."
        )
    if top.ranked:
        places = "1 place stands" if ranked == 1 else f"{ranked} places stand"
        return (
            f"{places} out along the {band} border at {confidence}% confidence; the first, "
            f"{place}, holds {part} in the band ({percent})."
        )
    return (
        f"No place along the {band} border stands out from its surroundings at {confidence}% "
        f"confidence; the busiest is {place}, with {part} ({percent})."
    )


def _without_pair(place: str, first: str, second: str) -> str:
    """Drop a place label's " (CN–LA)" suffix: the sentence names the band already."""
    suffix = f" ({first}–{second})"
    return place[: -len(suffix)] if place.endswith(suffix) else place


def _require_pair(query: Query) -> None:
    if not query.pair:
        raise ValueError("hot spots are ranked along a country pair's border: set query.pair")
