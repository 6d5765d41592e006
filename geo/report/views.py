"""Each dashboard page's data work for a query, in one place: the pages and `seizures bench`.

A view takes the store, a :class:`~geo.store.query.Query` and the page's own settings, and
returns what the page draws (figures, decks, small frames).  Pages call these through
``ui``'s caches; ``seizures bench`` times them against hand-written SQL.  A page's settings
have defaults here, so ``PAGES[name](store, query)`` is that page as first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from geo.analysis import breakdowns, cell_hotspots, flows, overview, trends
from geo.report import charts, map_views, maps
from geo.store import aggregates
from geo.store.query import Query
from geo.store.store import Store

__all__ = [
    "PAGES",
    "hotspot_ranking",
    "hotspots_page",
    "overview_page",
    "routes_page",
    "species_page",
    "trends_page",
]

_RECORD_COLUMNS = [
    "record_id", "seizure_date", "date_precision", "seizing_country", "location_name", "lat",
    "lon", "coord_precision", "location_type", "transport_mode", "origin_countries",
    "export_country", "transit_countries", "destination_country", "taxon", "taxon_group",
    "cites_appendix", "commodity", "quantity", "unit", "notes", "border_pair",
    "border_distance_km", "located_country", "h3_r3", "h3_r4", "h3_r5", "h3_r6", "h3_r7",
    "h3_r8",
]  # fmt: skip


def _records(store: Store, query: Query):
    return store.select(query, columns=_RECORD_COLUMNS)


_LATEST_COLUMNS = ["record_id", "date_precision", *overview.LATEST_COLUMNS]
_FIGURE_COLUMNS = ["taxon_group", "taxon", "unit", *overview.COUNTRY_COLUMNS]
_CHAIN_COLUMNS = [*breakdowns.PROFILE_ROLES.values()]


def overview_page(store: Store, query: Query) -> dict[str, Any]:
    """Return key figures (with the previous period), the group bar, the map and the latest rows."""
    margins = aggregates.margins(store, query, _FIGURE_COLUMNS)
    previous = None
    if query.date_from and query.date_to:
        start, end = overview.previous_period(query.date_from, query.date_to)
        before = query.with_changes(date_from=start, date_to=end)
        previous = aggregates.margins(store, before, _FIGURE_COLUMNS)
    figures = overview.key_figures_from_margins(margins, previous)
    newest = aggregates.latest(store, query, 15, _LATEST_COLUMNS)
    return {
        "figures": figures,
        "bar": charts.group_bar(figures["by_taxon_group"], title="Seizures by taxon group"),
        "map": map_views.overview_map(store, query),
        "latest": overview.latest(newest, 15),
    }


def trends_page(
    store: Store,
    query: Query,
    period: str = "month",
    split: str | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    """Return counts per period (split as asked), the rolling line and year on year."""
    columns = [aggregates.MONTH, "date_precision", "unit", *([split] if split else [])]
    months = aggregates.grouped(store, query, columns)
    counts, excluded = trends.counts_by_period(
        months, period, split, unit, date_from=query.date_from, date_to=query.date_to
    )
    value = "seizures" if unit is None else "quantity"
    rolling = trends.rolling_12_months(counts, value) if period == "month" else None
    yoy = trends.year_on_year(months, unit, date_from=query.date_from, date_to=query.date_to)
    return {"counts": counts, "excluded": excluded, "rolling": rolling, "year_on_year": yoy}


def species_page(
    store: Store, query: Query, country: str = "CN", top: int = 12, unit: str | None = None
) -> dict:
    """Return the taxa × border-pair matrix (all pairs), the top taxa and a country's profile."""
    pairs = aggregates.grouped(
        store, query.with_changes(pair=None), ["taxon", "border_pair"], border_km=query.border_km
    )
    taxa = aggregates.grouped(store, query, ["taxon", "taxon_group", "cites_appendix", "unit"])
    involving = query.with_changes(countries=(country,), country_role="any")
    chains = aggregates.grouped(store, involving, [*_CHAIN_COLUMNS, "taxon"])
    return {
        "matrix": breakdowns.taxa_by_pair(pairs),
        "top_taxa": breakdowns.top_taxa(taxa, top, unit),
        "profile": breakdowns.country_profile(chains, country),
    }


def routes_page(store: Store, query: Query) -> dict[str, Any]:
    """Return route arcs for the map and the legs for the Sankey diagram."""
    # The distinct trade chains, counted (text left as read: flows works on whole columns).
    chains = aggregates.counted(store, query, flows.CHAIN_COLUMNS)
    legs, arcs = flows.routes_and_arcs(chains)
    return {"arcs": arcs, "map": maps.route_map(arcs, pair=query.pair), "legs": legs}


def hotspots_page(
    store: Store,
    query: Query,
    layers: tuple[str, ...] = ("points", "hotspots", "places"),
    resolution: int = cell_hotspots.DEFAULT_RESOLUTION,
) -> maps.MapDeck:
    """Return the Border hotspots map: H3 counts, Gi* and the deck (from cell tallies)."""
    return map_views.hotspot_map(store, query, layers, resolution)


def hotspot_ranking(
    store: Store,
    query: Query,
    resolution: int = cell_hotspots.DEFAULT_RESOLUTION,
    confidence: int = cell_hotspots.DEFAULT_CONFIDENCE,
) -> cell_hotspots.BorderHotspots:
    """Return the ranked, FDR-corrected hot spots along the query's pair's border.

    One answer for every face (the page, ``seizures hotspots``, the briefing):
    :func:`geo.analysis.cell_hotspots.border_hotspot_answer`, with ``.ranking`` (the table)
    and ``.sentence`` (said above it, naming a place that dominates the band).
    """
    return cell_hotspots.border_hotspot_answer(store, query, resolution, confidence)


PAGES: dict[str, Callable[[Store, Query], Any]] = {
    "overview": overview_page,
    "trends": trends_page,
    "species": species_page,
    "routes": routes_page,
    "hotspots": hotspots_page,
}
