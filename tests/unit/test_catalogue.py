"""The label catalogue and tables in words: what a delegation reads instead of codes."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geo.ingest.importer import import_file
from geo.reference.catalogue import (
    commodity_label,
    countries_label,
    pair_label,
    taxa_summary,
    taxon_label,
    value_label,
)
from geo.report.export import records_csv
from geo.report.tables import display_table, hotspot_table, quantity_text
from geo.store.query import Query
from geo.store.store import Store

PANGOLINS = [
    "Manis javanica",
    "Manis pentadactyla",
    "Manis culionensis",
    "Manis crassicaudata",
    "Smutsia gigantea",
    "Phataginus tricuspis",
]


def test_a_long_selection_of_one_family_is_summarised_by_its_common_name():
    assert taxa_summary(PANGOLINS) == "Pangolins (6 taxa)"
    assert taxa_summary(["Manis javanica"]) == "Manis javanica (Sunda pangolin)"
    mixed = taxa_summary([*PANGOLINS[:2], "Ursus thibetanus", "Helarctos malayanus"])
    assert mixed == "Pangolins (2 taxa), bears (2 taxa)"
    many = ["Manis javanica", "Ursus thibetanus", "Panthera tigris", "Psittacus erithacus"]
    assert taxa_summary([*many, "Dalbergia oliveri"]) == "5 taxa in 5 families"


def test_codes_and_vocabularies_become_words():
    assert pair_label("CN-LA") == "China–Lao PDR"
    assert countries_label("CN;LA") == "China, Lao PDR"
    assert countries_label(["XX"]) == "Unknown"
    assert commodity_label("SCA") == "Scales"
    assert value_label("location_type", "land_border") == "Land border"
    assert value_label("coord_precision", "admin1") == "Province centre"
    assert value_label("cites_appendix", "I") == "Appendix I"
    assert value_label("quantity", None) == ""
    # a taxon the reference does not know is shown as written, not dropped
    assert taxon_label("Foo barensis") == "Foo barensis"


def test_a_table_of_records_reads_in_words():
    records = pd.DataFrame(
        {
            "record_id": ["a", "b"],
            "seizure_date": [dt.date(2021, 3, 14), dt.date(2020, 1, 1)],
            "date_precision": ["day", "year"],
            "seizing_country": ["LA", "CN"],
            "origin_countries": ["NG;CM", None],
            "commodity": ["SCA", "TUS"],
            "taxon": ["Manis javanica", "Loxodonta africana"],
            "quantity": [7.65, np.nan],
            "unit": ["kg", "pieces"],
            "border_distance_km": [2.26, 13.0],
            "notes": [None, "x"],
        }
    )
    table = display_table(records)
    assert list(table.columns) == [
        "Record id",
        "Seizure date",
        "Seizing country",
        "Origin countries",
        "Commodity",
        "Species (taxon)",
        "Quantity",
        "Distance to the border (km)",
        "Notes",
    ]
    assert table["Seizure date"].tolist() == ["2021-03-14", "2020"]
    assert table["Seizing country"].tolist() == ["Lao PDR", "China"]
    assert table["Origin countries"].tolist() == ["Nigeria, Cameroon", ""]
    assert table["Commodity"].tolist() == ["Scales", "Tusks"]
    assert table["Species (taxon)"][0] == "Manis javanica (Sunda pangolin)"
    assert table["Quantity"].tolist() == ["7.65 kg", ""]
    assert table["Notes"].tolist() == ["", "x"]
    assert table["Distance to the border (km)"].dtype == float  # numbers still sort


@pytest.mark.parametrize(
    ("quantity", "unit", "shown"),
    [(1200, "individuals", "1,200 individuals"), (3.5, "m3", "3.5 m³"), (0.25, "kg", "0.25 kg")],
)
def test_quantities_are_shown_with_their_unit(quantity, unit, shown):
    assert quantity_text(quantity, unit) == shown


def test_the_hot_spot_table_names_taxa_and_confidence():
    ranking = pd.DataFrame(
        {
            "rank": [1],
            "place": ["Boten–Mohan crossing (CN–LA)"],
            "count": [1711],
            "top_taxa": [[("Manis javanica", 379), ("Panthera tigris", 120)]],
            "gi_z": [3.2],
            "confidence": [95],
            "border_distance_km": [2.3],
        }
    )
    table = hotspot_table(ranking)
    assert table.iloc[0]["Main taxa"].startswith("Manis javanica (Sunda pangolin) 379")
    assert table.iloc[0]["Confidence"] == "95%"
    assert "Seizures" in table.columns and "count" not in table.columns


def test_the_worded_download_imports_back_with_the_same_values(sample_store_file, tmp_path):
    store = Store(str(sample_store_file))
    columns = [
        "record_id", "seizure_date", "seizing_country", "location_name", "lat", "lon",
        "taxon", "commodity", "quantity", "unit", "origin_countries", "destination_country",
    ]  # fmt: skip
    chosen = store.select(Query(pair="CN-LA"), columns=columns).head(200)
    store.close()
    path = tmp_path / "download.csv"
    path.write_bytes(records_csv(chosen, words=True))
    assert path.read_text(encoding="utf-8-sig").startswith("Record id,Seizure date,")
    again = Store(str(tmp_path / "again.duckdb"))
    report = import_file(path, again)
    assert report.accepted == len(chosen) and report.quarantined == 0
    back = again.select(None, columns=columns).set_index("record_id").sort_index()
    expected = chosen.set_index("record_id").sort_index()
    for name in ("seizing_country", "taxon", "commodity", "unit", "destination_country"):
        assert back[name].tolist() == expected[name].tolist(), name
    np.testing.assert_allclose(back["quantity"], expected["quantity"])
    np.testing.assert_allclose(back["lat"], expected["lat"], atol=1e-6)
