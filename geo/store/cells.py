"""What maps and hot spots need from the store, in SQL: H3 cell tallies, the located extent, points.

The map and hot-spot views never load a query's records: they ask for seizures counted per
H3 cell, taxon and unit (:func:`cell_tally`, one GROUP BY on the stored ``h3_r3`` …
``h3_r8`` columns), for how many records have coordinates and where
(:func:`located_extent`), for the few records a points layer draws (:func:`map_points`,
capped, with only the columns the layer and its tooltip show), and for the median border
distance of the records in a few clusters of cells (:func:`cluster_median_distances`, for
the ranked hot spots).  Each runs one SQLAlchemy Core statement with the filters of
:func:`geo.store.filters.where_clauses`, the same on DuckDB and PostgreSQL.

Coordinates are WGS84 degrees; a record "has coordinates" when ``lat`` is within ±90 and
``lon`` within ±180 (NULL and NaN fail the test).  Records placed at a country centroid
(``coord_precision`` "country" or "none",
:data:`geo.spatial.hotspots.CENTROID_PRECISIONS`) are left out of tallies unless asked for,
as hot spots need.  Cells are the ones stored at import: enrichment gives every record with
coordinates its ``h3_r3`` … ``h3_r8`` (:func:`geo.spatial.enrich.h3_cells`), so the tally
of a query is :func:`geo.spatial.hotspots.tally_cells` of its records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import h3
import numpy as np
import pandas as pd
import sqlalchemy as sa

from geo.spatial.hotspots import CENTROID_PRECISIONS, TALLY_COLUMNS, roll_up_tally
from geo.store.filters import where_clauses
from geo.store.query import Query
from geo.store.store import Store
from geo.store.tables import seizures

__all__ = [
    "POINT_COLUMNS",
    "STORED_RESOLUTIONS",
    "LocatedExtent",
    "cell_tally",
    "cluster_median_distances",
    "located_extent",
    "map_points",
]

STORED_RESOLUTIONS = range(3, 9)
"""The H3 resolutions stored with every record (``h3_r3`` … ``h3_r8``)."""

POINT_COLUMNS = (
    "lat", "lon", "taxon", "taxon_group", "seizure_date", "date_precision", "commodity",
    "quantity", "unit", "location_name", "seizing_country", "coord_precision",
)  # fmt: skip
"""What the map's points layer draws and its tooltip shows, and nothing else."""

_COARSEST_STORED = STORED_RESOLUTIONS[0]
_FINEST_STORED = STORED_RESOLUTIONS[-1]


@dataclass(frozen=True)
class LocatedExtent:
    """How many records a query selects, how many have coordinates, and where they lie.

    Attributes
    ----------
    total : int
        Records the query selects.
    located : int
        Of those, records with coordinates.
    bounds : (west, south, east, north) or None
        WGS84 degrees: the box around the located records; None when there are none.
    """

    total: int
    located: int
    bounds: tuple[float, float, float, float] | None


def located_extent(store: Store, query: Query) -> LocatedExtent:
    """Count a query's records and those with coordinates, and box the latter.

    One SELECT of plain counts, minima and maxima; a second one, testing each record, only
    when those show a coordinate out of range.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters.

    Returns
    -------
    LocatedExtent
        The counts and the WGS84 bounds.
    """
    c = seizures.c
    conditions = where_clauses(query)
    # Plain counts and extremes first: a column's min and max are nearly free.  Only when
    # they show a coordinate out of range (or NaN), or a lat without a lon, is each record
    # tested.
    quick = sa.select(
        sa.func.count().label("total"),
        sa.func.count(c.lat + c.lon).label("located"),
        sa.func.count(c.lat).label("lats"),
        sa.func.count(c.lon).label("lons"),
        *_extremes(c.lon, c.lat),
    ).select_from(seizures)
    row = store.read_frame(quick.where(*conditions) if conditions else quick).iloc[0]
    values = [row[name] for name in ("west", "south", "east", "north")]
    in_range = int(row["located"]) == int(row["lats"]) == int(row["lons"]) and (
        int(row["located"]) == 0
        or (
            all(pd.notna(value) for value in values)
            and -180.0 <= values[0] <= values[2] <= 180.0
            and -90.0 <= values[1] <= values[3] <= 90.0
        )
    )
    if not in_range:
        valid = _has_coordinates()
        exact = sa.select(
            sa.func.count().label("total"),
            sa.func.sum(sa.case((valid, 1), else_=0)).label("located"),
            *_extremes(sa.case((valid, c.lon)), sa.case((valid, c.lat))),
        ).select_from(seizures)
        row = store.read_frame(exact.where(*conditions) if conditions else exact).iloc[0]
    located = 0 if pd.isna(row["located"]) else int(row["located"])
    bounds = None
    if located:
        bounds = tuple(float(row[name]) for name in ("west", "south", "east", "north"))
    return LocatedExtent(total=int(row["total"]), located=located, bounds=bounds)


def _extremes(lon: sa.ColumnElement, lat: sa.ColumnElement) -> list[sa.ColumnElement]:
    return [
        sa.func.min(lon).label("west"),
        sa.func.min(lat).label("south"),
        sa.func.max(lon).label("east"),
        sa.func.max(lat).label("north"),
    ]


def cell_tally(
    store: Store,
    query: Query,
    resolution: int,
    *,
    include_centroids: bool = False,
    located_only: bool = False,
    units: bool = True,
) -> pd.DataFrame:
    """Count a query's seizures per H3 cell, taxon and unit (one GROUP BY).

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters.
    resolution : int
        H3 resolution, 0–8.  3–8 group by the stored ``h3_r{resolution}`` column; 0–2 (world
        views) group by ``h3_r3`` and roll the few thousand cells up to their parents
        (:func:`geo.spatial.hotspots.roll_up_tally`).
    include_centroids : bool, default False
        Count records placed at a country centroid too (the map does; hot spots do not).
    located_only : bool, default False
        Count only records with coordinates (as a map draws them); by default every record
        with a stored cell counts.
    units : bool, default True
        Group by unit and add up quantities.  False groups by cell and taxon only (``unit``
        None, ``quantity`` NaN): enough for counts and top taxa, and about half the work.

    Returns
    -------
    pandas.DataFrame
        :data:`geo.spatial.hotspots.TALLY_COLUMNS`: ``cell`` (h3 id), ``taxon``,
        ``unit`` (None when missing), ``weight`` (int64 records) and ``quantity`` (float,
        added up; NaN when none of the group has one), one row per distinct (cell, taxon,
        unit), unordered.  What :func:`geo.spatial.hotspots.tally_cells` gives for the
        query's records.

    Raises
    ------
    ValueError
        If ``resolution`` is not 0–8.
    """
    stored = _stored_resolution(resolution)
    c = seizures.c
    cell = c[f"h3_r{stored}"]
    keys = (cell.label("cell"), c.taxon, *([c.unit] if units else []))
    measures = [sa.func.count().label("weight")]
    if units:
        measures.append(sa.func.sum(c.quantity).label("quantity"))
    statement = (
        sa.select(*keys, *measures)
        .where(*_study_conditions(query, include_centroids), cell.is_not(None))
        .group_by(*keys)
    )
    if located_only:
        statement = statement.where(_has_coordinates())
    frame = store.read_frame(statement)
    tally = pd.DataFrame(
        {
            "cell": _text(frame["cell"]).to_numpy(dtype=object),
            "taxon": _text(frame["taxon"]).to_numpy(dtype=object),
            "unit": _text(frame["unit"]).to_numpy(dtype=object) if units else None,
            "weight": frame["weight"].to_numpy(dtype=np.int64),
            "quantity": (
                pd.to_numeric(frame["quantity"], errors="coerce").to_numpy(dtype=float)
                if units
                else np.nan
            ),
        },
        columns=list(TALLY_COLUMNS),
    )
    if resolution < stored:
        return roll_up_tally(tally, resolution)
    return tally


def map_points(store: Store, query: Query, limit: int) -> pd.DataFrame:
    """Return the newest records with coordinates, only the points layer's columns, capped.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters.
    limit : int
        At most this many rows (a map switches to cells above it).

    Returns
    -------
    pandas.DataFrame
        :data:`POINT_COLUMNS`, newest seizure first (ties by record id); text as objects with
        None for NULL, dates as ``datetime.date``.
    """
    if not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit should be a non-negative int, got {limit!r}")
    c = seizures.c
    statement = (
        sa.select(*(c[name] for name in POINT_COLUMNS))
        .where(*where_clauses(query), _has_coordinates())
        .order_by(c.seizure_date.desc(), c.record_id)
        .limit(limit)
    )
    frame = store.read_frame(statement)
    for name in frame.columns:
        if pd.api.types.is_string_dtype(frame[name]) or frame[name].dtype == object:
            frame[name] = _text(frame[name])
    return frame


def cluster_median_distances(
    store: Store,
    query: Query,
    resolution: int,
    cluster_of_cell: Mapping[str, int],
    *,
    include_centroids: bool = False,
) -> dict[int, float]:
    """Return the median border distance of the records in each cluster of H3 cells.

    One GROUP BY: the cells and their clusters are joined in as a VALUES list, and each
    cluster's two middle distances come back (one row per cluster, however many records
    the clusters hold); their mean is the median, as pandas computes it.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters (the same as the tally the cells came from).
    resolution : int
        H3 resolution of the cells, 0–8.
    cluster_of_cell : mapping of str to int
        Cluster number of each H3 id (a ranked hot spot's cells: a few hundred at most).
    include_centroids : bool, default False
        As for :func:`cell_tally`.

    Returns
    -------
    dict of int to float
        Median ``border_distance_km`` (km) per cluster; clusters whose records have no
        distance are missing.
    """
    stored = _stored_resolution(resolution)
    pairs = sorted((str(cell).lower(), int(cluster)) for cell, cluster in cluster_of_cell.items())
    if resolution < stored:
        pairs = [
            (child, cluster)
            for cell, cluster in pairs
            for child in h3.cell_to_children(cell, stored)
        ]
    if not pairs:
        return {}
    c = seizures.c
    hot = sa.values(sa.column("cell", sa.Text), sa.column("cluster", sa.Integer), name="hot").data(
        pairs
    )
    distance = c.border_distance_km
    # The lower middle value of the distances and the lower middle value of their negatives
    # (minus the upper middle value): one value twice for odd counts, the two middle ones for
    # even counts.  percentile_disc is exact, and the same on DuckDB and PostgreSQL.
    statement = (
        sa.select(
            hot.c.cluster,
            sa.func.percentile_disc(0.5).within_group(distance).label("lower"),
            sa.func.percentile_disc(0.5).within_group(-distance).label("upper_negated"),
        )
        .select_from(seizures.join(hot, c[f"h3_r{stored}"] == hot.c.cell))
        .where(*_study_conditions(query, include_centroids), distance.is_not(None))
        .group_by(hot.c.cluster)
    )
    frame = store.read_frame(statement)
    middle = {
        cluster: np.median([lower, -upper_negated])
        for cluster, lower, upper_negated in zip(
            frame["cluster"].tolist(),
            frame["lower"].astype(float).tolist(),
            frame["upper_negated"].astype(float).tolist(),
            strict=True,
        )
    }
    return {int(cluster): float(value) for cluster, value in middle.items()}


def _stored_resolution(resolution: int) -> int:
    if not isinstance(resolution, int | np.integer) or not 0 <= resolution <= _FINEST_STORED:
        raise ValueError(
            f"resolution should be an H3 resolution 0-{_FINEST_STORED} (the store keeps "
            f"h3_r{_COARSEST_STORED} … h3_r{_FINEST_STORED}), got {resolution!r}"
        )
    return max(int(resolution), _COARSEST_STORED)


def _has_coordinates() -> sa.ColumnElement[bool]:
    """WGS84 coordinates in range; NULL and NaN compare false (NaN sorts above numbers)."""
    return sa.and_(seizures.c.lat.between(-90.0, 90.0), seizures.c.lon.between(-180.0, 180.0))


def _study_conditions(query: Query, include_centroids: bool) -> list[sa.ColumnElement[bool]]:
    conditions = where_clauses(query)
    if not include_centroids:
        precision = seizures.c.coord_precision
        conditions.append(sa.or_(precision.is_(None), precision.not_in(list(CENTROID_PRECISIONS))))
    return conditions


def _text(values: pd.Series) -> pd.Series:
    column = values.astype(object)
    return column.where(column.notna(), None)
