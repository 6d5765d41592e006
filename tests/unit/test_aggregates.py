"""The store's aggregates give the figures the record-level analysis gives, on every engine.

Each page's view (geo.report.views) now reads small grouped frames from SQL.  These tests
check, on the synthetic sample, that every figure equals what the analysis functions
compute from the full records: the aggregates are a faster route to the same numbers.
"""

import datetime as dt
import uuid
from collections.abc import Iterator

import pandas as pd
import pytest

from geo.analysis import breakdowns, flows, overview, trends
from geo.ingest.importer import import_file
from geo.paths import SAMPLE_FILE
from geo.report import views
from geo.store import aggregates
from geo.store.query import Query
from geo.store.store import Store

QUERIES = {
    "everything": Query(),
    "CN-LA border": Query(pair="CN-LA"),
    "mammals 2021-2022": Query(
        date_from=dt.date(2021, 1, 1), date_to=dt.date(2022, 12, 31), taxon_groups=("mammals",)
    ),
    "VN in transit, pangolins": Query(countries=("VN",), country_role="transit", taxa=("Manidae",)),
}
COLUMNS = [
    "record_id", "seizure_date", "date_precision", "seizing_country", "location_name", "lat",
    "lon", "coord_precision", "location_type", "transport_mode", "origin_countries",
    "export_country", "transit_countries", "destination_country", "taxon", "taxon_group",
    "cites_appendix", "commodity", "quantity", "unit", "notes", "border_pair",
    "border_distance_km",
]  # fmt: skip


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def store(request, sample_store_file) -> Iterator[Store]:
    """The shipped synthetic sample, imported and enriched, on each engine (read only here)."""
    if request.param == "duckdb":
        yield Store(str(sample_store_file))
        return
    server = request.getfixturevalue("postgres_server")
    name = f"seizures_aggregates_{uuid.uuid4().hex[:12]}"
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        opened = Store(server.url.set(database=name).render_as_string(hide_password=False))
        import_file(SAMPLE_FILE, opened)
        yield opened
        opened.close()
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _records(store: Store, query: Query) -> pd.DataFrame:
    return store.select(query, columns=COLUMNS)


@pytest.mark.parametrize("name", QUERIES)
def test_grouped_counts_every_record_once_and_keeps_units_apart(store, name):
    query = QUERIES[name]
    records = _records(store, query)
    groups = aggregates.grouped(store, query, ["taxon_group", "unit"])
    assert groups["weight"].sum() == len(records) > 0
    expected = records.groupby("unit")["quantity"].sum()
    got = groups.groupby("unit")["quantity"].sum()
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_grouped_by_month_gives_first_days_and_the_same_totals(store):
    months = aggregates.grouped(store, Query(), [aggregates.MONTH])
    dates = [d for d in months["seizure_date"] if d is not None]
    assert dates and all(isinstance(d, dt.date) and d.day == 1 for d in dates)
    assert months["weight"].sum() == store.count()


def test_grouped_refuses_a_column_that_is_not_a_record_field(store):
    with pytest.raises(ValueError, match="content_hash"):
        aggregates.grouped(store, Query(), ["content_hash"])
    with pytest.raises(ValueError, match="nonsense"):
        aggregates.grouped(store, Query(), ["nonsense"])


@pytest.mark.parametrize("name", QUERIES)
def test_overview_figures_equal_the_record_level_figures(store, name):
    query = QUERIES[name]
    view = views.overview_page(store, query)
    previous = None
    if query.date_from and query.date_to:
        start, end = overview.previous_period(query.date_from, query.date_to)
        previous = _records(store, query.with_changes(date_from=start, date_to=end))
    expected = overview.key_figures(_records(store, query), previous)
    figures = dict(view["figures"])
    # Sums of floats in another order: equal to the last few digits.
    assert figures.pop("quantity_by_unit") == pytest.approx(expected.pop("quantity_by_unit"))
    assert list(view["figures"]["quantity_by_unit"]) == list(expected_units(store, query))
    assert figures == expected
    pd.testing.assert_frame_equal(view["latest"], overview.latest(_records(store, query), 15))


def expected_units(store: Store, query: Query) -> list[str]:
    units = set(_records(store, query)["unit"].dropna())
    order = ["kg", "pieces", "individuals", "m3", "litres"]
    return [u for u in order if u in units] + sorted(units - set(order))


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize(
    ("period", "split", "unit"),
    [
        ("month", "taxon", "kg"),
        ("quarter", "taxon_group", None),
        ("year", "commodity", "pieces"),
    ],
)
def test_trend_counts_equal_the_record_level_counts(store, name, period, split, unit):
    query = QUERIES[name]
    view = views.trends_page(store, query, period, split, unit)
    records = _records(store, query)
    counts, excluded = trends.counts_by_period(
        records, period, split, unit, date_from=query.date_from, date_to=query.date_to
    )
    pd.testing.assert_frame_equal(view["counts"], counts)
    assert view["excluded"] == excluded
    yoy = trends.year_on_year(records, unit, date_from=query.date_from, date_to=query.date_to)
    pd.testing.assert_frame_equal(view["year_on_year"], yoy)


@pytest.mark.parametrize("name", QUERIES)
def test_species_page_equals_the_record_level_breakdowns(store, name):
    query = QUERIES[name]
    view = views.species_page(store, query, "CN")
    everywhere = _records(store, query.with_changes(pair=None))
    expected = breakdowns.taxa_by_pair(everywhere, border_km=query.border_km)
    pd.testing.assert_frame_equal(view["matrix"], expected)
    pd.testing.assert_frame_equal(view["top_taxa"], breakdowns.top_taxa(_records(store, query), 12))
    without_countries = _records(store, query.with_changes(countries=()))
    expected = breakdowns.country_profile(without_countries, "CN")
    pd.testing.assert_frame_equal(view["profile"], expected)


@pytest.mark.parametrize("name", QUERIES)
def test_routes_equal_the_record_level_routes(store, name):
    query = QUERIES[name]
    view = views.routes_page(store, query)
    records = _records(store, query)
    pd.testing.assert_frame_equal(view["legs"], flows.route_flows(records))
    pd.testing.assert_frame_equal(view["arcs"], flows.route_arcs(records))


@pytest.mark.parametrize("name", QUERIES)
def test_counted_gives_the_groups_of_grouped_with_text_as_read(store, name):
    query = QUERIES[name]
    columns = list(flows.CHAIN_COLUMNS)
    counted = aggregates.counted(store, query, columns)
    grouped = aggregates.grouped(store, query, columns)
    assert list(counted.columns) == [*columns, "weight"]
    assert counted["weight"].dtype == "int64"
    assert all(pd.api.types.is_string_dtype(counted[column]) for column in columns)

    def groups(frame: pd.DataFrame) -> list[tuple]:
        cells = [[None if pd.isna(v) else v for v in frame[c].tolist()] for c in columns]
        return sorted(zip(*cells, frame["weight"].tolist(), strict=True), key=repr)

    assert groups(counted) == groups(grouped)


def test_search_finds_every_word_across_columns_and_counts_beyond_the_cap(store):
    found, total = aggregates.search(store, Query(), "manis javanica", ["record_id", "taxon"], 10)
    assert len(found) == 10 < total
    assert found["taxon"].str.contains("Manis javanica").all()
    records = _records(store, Query())
    assert total == records["taxon"].fillna("").str.contains("Manis javanica").sum()


def test_search_treats_percent_and_underscore_as_text(store):
    _, everything = aggregates.search(store, Query(), "", ["record_id"], 5)
    _, wild = aggregates.search(store, Query(), "%", ["record_id"], 5)
    _, underscore = aggregates.search(store, Query(), "_", ["record_id"], 5)
    assert everything == store.count()
    assert wild < everything and underscore < everything


def test_search_narrows_the_filters_and_returns_newest_first(store):
    query = Query(pair="CN-LA")
    found, total = aggregates.search(store, query, "", ["record_id", "seizure_date"], 50)
    assert total == len(_records(store, query))
    dates = list(found["seizure_date"])
    assert dates == sorted(dates, reverse=True)


def test_filter_options_list_what_the_store_holds(store):
    options = aggregates.filter_options(store)
    records = _records(store, Query())
    assert options["first"] == min(records["seizure_date"])
    assert options["last"] == max(records["seizure_date"])
    assert options["taxa"][0] == records["taxon"].value_counts().index[0]
    assert set(options["pairs"]) == set(records["border_pair"].dropna())
    transit = {c for v in records["transit_countries"].dropna() for c in v.split(";")}
    assert transit <= set(options["countries"])


def test_filter_options_of_an_empty_store(tmp_path):
    options = aggregates.filter_options(Store(str(tmp_path / "empty.duckdb")))
    assert options["first"] is None and options["taxa"] == [] and options["countries"] == []
