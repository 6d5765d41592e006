"""The bilateral briefing's content: every figure, table and record id, from the store.

:func:`build_briefing` gathers, for a country pair and the dashboard's filters, what a
briefing pack shows (key figures against the previous period of the same length, the
border's hot spots, the trend, the top taxa, the main routes, location types and transport
modes, the caveats) and the record ids behind each figure, so that every number can be
traced.  It holds codes and numbers, no words: :mod:`geo.report.briefing_pdf` and
:mod:`geo.report.briefing_pptx` write it in two languages.

The figures are the dashboard's: the key figures come from the same one-scan margins as
the Overview (:func:`geo.store.aggregates.margins`), the hot spots from
:func:`geo.report.views.hotspot_ranking` (the page's and ``seizures hotspots``' answer, at
the same defaults), the trend from the Trends page's view.  The rows behind the tables are
read once, with only the columns they need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geo.analysis import overview
from geo.analysis.cell_hotspots import BorderHotspots
from geo.pairs import split_pair
from geo.report import views
from geo.report.export import neutralise_formulas
from geo.schema import SYNTHETIC_SOURCE
from geo.spatial.borders import bordering_pairs
from geo.spatial.hotspot_defaults import DEFAULT_CONFIDENCE, DEFAULT_RESOLUTION
from geo.spatial.hotspots import BORDER_HOTSPOT_COLUMNS, CENTROID_PRECISIONS
from geo.store import aggregates
from geo.store.query import Query
from geo.store.store import Store

__all__ = ["Briefing", "Trace", "build_briefing", "ids_csv", "list_values"]

TOP_TAXA = 10
TOP_ROUTES = 8
# The trend is drawn by month up to this many months, by quarter beyond.
MONTHLY_UP_TO = 36

_FIGURE_COLUMNS = ["taxon_group", "taxon", "unit", *overview.COUNTRY_COLUMNS]
_ROW_COLUMNS = [
    "record_id", "seizure_date", "taxon", "other_taxa", "taxon_group", "cites_appendix",
    "quantity", "unit", "origin_countries", "export_country", "transit_countries",
    "destination_country",
    "location_type", "transport_mode", "coord_precision", "lat", "lon", "border_pair",
    "source", f"h3_r{DEFAULT_RESOLUTION}",
]  # fmt: skip


@dataclass(frozen=True)
class Trace:
    """The records behind one figure: a key (what the figure is) and their ids, sorted."""

    figure: str
    detail: tuple[str, ...]
    ids: tuple[str, ...]


@dataclass
class Briefing:
    """What a briefing shows for a pair and filters: codes and numbers, no words.

    Attributes
    ----------
    query : Query
        The filters, with the pair and both dates set.
    pair : str
        The pair, alphabetical ("CN-LA"); ``countries`` its two codes in that order.
    previous : tuple of date
        The period of the same length just before (what the changes compare with).
    generated : datetime
        When it was made (UTC).
    figures : dict
        :func:`geo.analysis.overview.key_figures_from_margins` of the period, with
        ``change`` against the previous period.
    sources : pandas.DataFrame
        ``source``, ``seizures``: where the records come from, most first.
    synthetic : int
        Records of the shipped synthetic sample among them.
    hotspots : BorderHotspots or None
        The border's ranked hot spots (the dashboard's answer, resolution and confidence);
        None for two countries without a land border.
    trend : pandas.DataFrame
        ``period`` (date, first day), ``seizures``; ``trend_period`` is "month" or "quarter".
    top_taxa : pandas.DataFrame
        ``taxon``, ``taxon_group``, ``cites_appendix``, ``seizures``, ``quantity_by_unit``
        (dict unit → total, from the records naming that taxon alone).
    routes : pandas.DataFrame
        ``origin``, ``destination``, ``seizures``: first country of origin (else of export)
        to destination, the busiest first; unknown ends are None.
    location_types, transport_modes : pandas.DataFrame
        ``value`` (None when not recorded), ``seizures``, most first.
    map_points : pandas.DataFrame
        ``lat``, ``lon`` of the records with a place to draw.
    coarse : int
        Records left off the map: no coordinates, or placed at a country centroid.
    bordering : bool
        Whether the two countries share a land border.  If they do, the briefing is about
        the border band (and its hot spots); if not (CN-PE), about the seizures in which
        both countries play a part, wherever they were made.
    traces : list of Trace
        The record ids behind each figure, in the order the document shows them.
    """

    query: Query
    pair: str
    countries: tuple[str, str]
    previous: tuple[dt.date, dt.date]
    generated: dt.datetime
    figures: dict[str, Any]
    sources: pd.DataFrame
    synthetic: int
    hotspots: BorderHotspots | None
    trend: pd.DataFrame
    trend_period: str
    top_taxa: pd.DataFrame
    routes: pd.DataFrame
    location_types: pd.DataFrame
    transport_modes: pd.DataFrame
    map_points: pd.DataFrame
    coarse: int
    bordering: bool = True
    traces: list[Trace] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        """How many records the briefing shows (its "records" trace)."""
        return sum(len(trace.ids) for trace in self.traces if trace.figure == "records")

    @property
    def places(self) -> pd.DataFrame:
        """The ranked hot spots shown: the border's, none for countries without one."""
        if self.hotspots is None:
            return pd.DataFrame(columns=list(BORDER_HOTSPOT_COLUMNS))
        return self.hotspots.ranking

    @property
    def records(self) -> int:
        """How many records the briefing is built on."""
        return int(self.figures["seizures"])


def build_briefing(store: Store, query: Query, now: dt.datetime | None = None) -> Briefing:
    """Gather a briefing's figures and their record ids for a pair and filters.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The dashboard's filters; ``pair`` and both dates are required (the change is
        against the period of the same length just before).
    now : datetime, optional
        The generation time to print (default: now, UTC).

    Returns
    -------
    Briefing
    """
    if not query.pair:
        raise ValueError("a briefing is for a country pair: set the pair (e.g. CN-LA)")
    if query.date_from is None or query.date_to is None:
        raise ValueError("a briefing covers a period: set both dates (from and to)")
    if query.date_from > query.date_to:
        raise ValueError(f"the period starts after it ends ({query.date_from} to {query.date_to})")
    countries = split_pair(query.pair)
    start, end = overview.previous_period(query.date_from, query.date_to)
    margins = aggregates.margins(store, query, _FIGURE_COLUMNS)
    before = aggregates.margins(
        store, query.with_changes(date_from=start, date_to=end), _FIGURE_COLUMNS
    )
    figures = overview.key_figures_from_margins(margins, before)
    rows = store.select(query, columns=_ROW_COLUMNS)
    bordering = "-".join(countries) in bordering_pairs()
    hotspots = (
        views.hotspot_ranking(store, query, DEFAULT_RESOLUTION, DEFAULT_CONFIDENCE)
        if bordering
        else None
    )

    months = _months_between(query.date_from, query.date_to)
    period = "month" if months <= MONTHLY_UP_TO else "quarter"
    trend = views.trends_page(store, query, period)["counts"]
    trend = pd.DataFrame(
        {"period": pd.to_datetime(trend["period_start"]).dt.date, "seizures": trend["seizures"]}
    )

    placed = _placed(rows)
    named = _taxa_of(rows)
    ends = _route_ends(rows)
    briefing = Briefing(
        query=query,
        pair="-".join(countries),
        countries=countries,
        previous=(start, end),
        generated=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
        figures=figures,
        sources=_counts(rows, "source").rename(columns={"value": "source"}),
        synthetic=int((rows["source"] == SYNTHETIC_SOURCE).sum()),
        hotspots=hotspots,
        trend=trend,
        trend_period=period,
        top_taxa=_top_taxa(rows, named),
        routes=_routes(*ends),
        location_types=_counts(rows, "location_type"),
        transport_modes=_counts(rows, "transport_mode"),
        map_points=rows.loc[placed, ["lat", "lon"]].reset_index(drop=True),
        coarse=int((~placed).sum()),
        bordering=bordering,
    )
    briefing.traces = _traces(briefing, rows, placed, named, ends)
    return briefing


def ids_csv(briefing: Briefing) -> bytes:
    """Return the record ids behind every figure as CSV: figure, detail, record_id.

    The file attached to the PDF (and written beside a PowerPoint file), safe to open in a
    spreadsheet (:func:`geo.report.export.neutralise_formulas`).
    """
    rows = [
        (trace.figure, " | ".join(trace.detail), record_id)
        for trace in briefing.traces
        for record_id in trace.ids
    ]
    frame = neutralise_formulas(pd.DataFrame(rows, columns=["figure", "detail", "record_id"]))
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def list_values(value: object) -> list[str]:
    """Return the codes of a list field ("LA; VN" → ["LA", "VN"]); [] when empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _placed(rows: pd.DataFrame) -> np.ndarray:
    has_point = rows["lat"].notna() & rows["lon"].notna()
    centroid = rows["coord_precision"].isin(list(CENTROID_PRECISIONS))
    return (has_point & ~centroid).to_numpy()


def _text(values: pd.Series) -> pd.Series:
    values = values.astype(object)
    return values.where(values.notna(), None)


def _counts(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    values = _text(rows[column]).fillna("\0")
    counted = values.value_counts()
    frame = pd.DataFrame({"value": counted.index.astype(object), "seizures": counted.to_numpy()})
    frame["value"] = frame["value"].where(frame["value"] != "\0", None)
    return _most_first(frame, "value")


def _most_first(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    order = sorted(
        range(len(frame)),
        key=lambda i: (
            -int(frame["seizures"].iat[i]),
            frame[key].iat[i] is None,
            str(frame[key].iat[i]),
        ),
    )
    return frame.iloc[order].reset_index(drop=True)


def _taxa_of(rows: pd.DataFrame) -> list[list[str]]:
    """Every taxon each record names: its taxon, then its other taxa (a mixed seizure)."""
    return [
        [*list_values(taxon), *list_values(others)]
        for taxon, others in zip(_text(rows["taxon"]), _text(rows["other_taxa"]), strict=True)
    ]


def _top_taxa(rows: pd.DataFrame, named: list[list[str]]) -> pd.DataFrame:
    counts: dict[str, int] = {}
    for taxa in named:
        for taxon in taxa:
            counts[taxon] = counts.get(taxon, 0) + 1
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_TAXA]
    alone = np.array([len(taxa) == 1 for taxa in named], dtype=bool)
    first = np.array([taxa[0] if taxa else None for taxa in named], dtype=object)
    records = []
    for taxon, seizures in top:
        own = rows[alone & (first == taxon)]
        quantities = (
            own.dropna(subset=["quantity", "unit"]).groupby("unit")["quantity"].sum().to_dict()
        )
        group = _first_value(own["taxon_group"])
        appendix = _first_value(own["cites_appendix"])
        records.append(
            {
                "taxon": taxon,
                "taxon_group": group,
                "cites_appendix": appendix,
                "seizures": int(seizures),
                "quantity_by_unit": {str(u): float(q) for u, q in sorted(quantities.items())},
            }
        )
    return pd.DataFrame(
        records,
        columns=["taxon", "taxon_group", "cites_appendix", "seizures", "quantity_by_unit"],
    )


def _first_value(values: pd.Series) -> str | None:
    present = _text(values).dropna()
    return None if present.empty else str(present.mode().iat[0])


def _route_ends(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    origins = []
    for origin, export in zip(
        _text(rows["origin_countries"]), _text(rows["export_country"]), strict=True
    ):
        codes = list_values(origin) or list_values(export)
        origins.append(codes[0] if codes else None)
    destinations = [
        (list_values(value) or [None])[0] for value in _text(rows["destination_country"])
    ]
    return np.array(origins, dtype=object), np.array(destinations, dtype=object)


def _routes(origins: np.ndarray, destinations: np.ndarray) -> pd.DataFrame:
    known = np.array(
        [o is not None or d is not None for o, d in zip(origins, destinations, strict=True)],
        dtype=bool,
    )
    frame = pd.DataFrame({"origin": origins[known], "destination": destinations[known]})
    if frame.empty:
        return pd.DataFrame(columns=["origin", "destination", "seizures"])
    counted = (
        frame.fillna("\0")
        .groupby(["origin", "destination"])
        .size()
        .rename("seizures")
        .reset_index()
    )
    for column in ("origin", "destination"):
        counted[column] = counted[column].astype(object).where(counted[column] != "\0", None)
    counted["key"] = counted["origin"].fillna("~") + ">" + counted["destination"].fillna("~")
    ordered = _most_first(counted, "key").drop(columns="key")
    return ordered.head(TOP_ROUTES).reset_index(drop=True)


def _ids(rows: pd.DataFrame, mask: np.ndarray | pd.Series | None = None) -> tuple[str, ...]:
    chosen = (
        rows["record_id"] if mask is None else rows.loc[np.asarray(mask, dtype=bool), "record_id"]
    )
    return tuple(sorted(str(value) for value in chosen))


def _traces(
    briefing: Briefing,
    rows: pd.DataFrame,
    placed: np.ndarray,
    named: list[list[str]],
    ends: tuple[np.ndarray, np.ndarray],
) -> list[Trace]:
    traces = [Trace("records", (), _ids(rows))]
    cell_column = f"h3_r{DEFAULT_RESOLUTION}"
    in_band = (rows["border_pair"] == briefing.pair).to_numpy() & placed
    for _, place in briefing.places.iterrows():
        cells = {str(cell) for cell in place["cells"]}
        mask = in_band & rows[cell_column].astype(str).isin(cells).to_numpy()
        traces.append(
            Trace("hotspot", (str(int(place["rank"])), str(place["place"])), _ids(rows, mask))
        )
    for taxon in briefing.top_taxa["taxon"]:
        mask = np.array([taxon in taxa for taxa in named], dtype=bool)
        traces.append(Trace("taxon", (taxon,), _ids(rows, mask)))
    origins, destinations = ends
    for _, route in briefing.routes.iterrows():
        mask = (origins == route["origin"]) & (destinations == route["destination"])
        traces.append(
            Trace("route", (route["origin"] or "", route["destination"] or ""), _ids(rows, mask))
        )
    for column, frame in (
        ("location_type", briefing.location_types),
        ("transport_mode", briefing.transport_modes),
    ):
        values = _text(rows[column])
        for value in frame["value"]:
            mask = values.isna() if value is None else values == value
            traces.append(Trace(column, (value or "",), _ids(rows, mask.to_numpy())))
    traces.append(Trace("coarse", (), _ids(rows, ~placed)))
    return traces
