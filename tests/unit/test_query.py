"""Query state round-trips through URL parameters, and filters select what they say."""

import datetime as dt

import pandas as pd
import pytest

from geo.store.filters import expand_taxa
from geo.store.query import Query
from geo.store.store import Store


@pytest.mark.parametrize(
    ("query", "params"),
    [
        (Query(), {}),
        (Query(pair="LA-CN"), {"pair": "CN-LA"}),
        (Query(taxa=("Manidae", "Loxodonta africana")), {"taxa": "Loxodonta africana,Manidae"}),
        (
            Query(date_from=dt.date(2020, 1, 1), date_to=dt.date(2021, 12, 31)),
            {"date_from": "2020-01-01", "date_to": "2021-12-31"},
        ),
        (
            Query(countries=("CN",), country_role="origin"),
            {"countries": "CN", "country_role": "origin"},
        ),
        (Query(pair="CN-VN", border_km=25.0), {"pair": "CN-VN", "border_km": "25.0"}),
    ],
)
def test_params_round_trip(query, params):
    assert query.to_params() == params
    assert Query.from_params(params) == query


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"pair": "nonsense"}, Query()),
        ({"date_from": "yesterday"}, Query()),
        ({"border_km": "-5"}, Query()),
        ({"border_km": "nan"}, Query()),
        ({"border_km": "inf"}, Query()),
        ({"country_role": "smuggler"}, Query()),
        ({"unknown": "x", "taxa": ["Manidae"]}, Query(taxa=("Manidae",))),
        ({"date_from": "2022-01-01", "date_to": "2021-01-01"}, Query()),
    ],
)
def test_malformed_params_fall_back_to_defaults(params, expected):
    assert Query.from_params(params) == expected


def test_invalid_query_raises_with_the_value():
    with pytest.raises(ValueError, match="'XX-YY-ZZ'"):
        Query(pair="XX-YY-ZZ")
    with pytest.raises(TypeError, match="'Manidae'"):
        Query(taxa="Manidae")


def test_family_expands_to_its_species():
    names = expand_taxa(("Manidae",))
    assert {"Manidae", "Manis javanica", "Smutsia gigantea", "Manis spp."} <= set(names)
    assert "Loxodonta africana" not in names


@pytest.fixture
def store(tmp_path):
    """A store with three hand-made records in different trade-chain roles."""
    store = Store(str(tmp_path / "q.duckdb"))
    records = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "seizure_date": pd.to_datetime(["2020-01-05", "2021-06-01", "2022-03-03"]),
            "seizing_country": ["CN", "VN", "TH"],
            "origin_countries": ["LA", "NG;CM", None],
            "transit_countries": [None, "LA", "MY"],
            "taxon": ["Manis javanica", "Loxodonta africana", "Dalbergia oliveri"],
            "taxon_group": ["mammals", "mammals", "timber"],
            "border_pair": ["CN-LA", None, "LA-TH"],
            "border_distance_km": [3.0, None, 80.0],
            "content_hash": [1, 2, 3],
        }
    )
    with store.transaction() as connection:
        store.insert_frame(connection, store_tables().seizures, records)
    return store


def store_tables():
    from geo.store import tables

    return tables


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        (Query(), ["a", "b", "c"]),
        (Query(countries=("LA",)), ["a", "b"]),
        (Query(countries=("LA",), country_role="origin"), ["a"]),
        (Query(countries=("LA",), country_role="transit"), ["b"]),
        (Query(countries=("CM",), country_role="origin"), ["b"]),
        (Query(countries=("C",), country_role="origin"), []),
        (Query(taxa=("Manidae",)), ["a"]),
        (Query(taxon_groups=("timber",)), ["c"]),
        (Query(pair="CN-LA"), ["a"]),
        (Query(pair="LA-TH"), []),
        (Query(pair="LA-TH", border_km=100), ["c"]),
        (Query(date_from=dt.date(2021, 1, 1)), ["b", "c"]),
    ],
)
def test_filters_select_the_right_records(store, query, ids):
    assert sorted(store.select(query)["record_id"]) == ids


def test_a_pair_without_a_land_border_is_described_as_the_trade_between_them():
    from geo.store.query import describe_query

    names = {"CN": "China", "PE": "Peru", "LA": "Lao PDR"}
    assert describe_query(Query(pair="PE-CN"), names) == "China–Peru (seizures involving both)"
    assert describe_query(Query(pair="CN-LA"), names) == "China–Lao PDR border (≤ 50 km)"
