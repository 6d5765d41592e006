"""A seizure of several taxa: counted once in totals, under each taxon in breakdowns and filters.

"Manis javanica; Manis pentadactyla" in one species cell is one seizure of two pangolin
species.  The first recognised taxon is the record's ``taxon``; the others are its
``other_taxa``.  The species page and the taxon filter find it under each; the number of
seizures counts it once.  On both engines.
"""

import datetime as dt
import shutil

import duckdb

from geo.ingest.importer import import_file
from geo.report import views
from geo.store import aggregates
from geo.store.query import Query
from geo.store.store import Store

TODAY = dt.date(2025, 1, 1)
FILE = (
    "Date,Country,Species,Quantity,Unit,Latitude,Longitude\n"
    "2023-05-01,CN,Manis javanica; Manis pentadactyla,120,kg,21.68,101.73\n"
    "2023-05-02,CN,Manis javanica,30,kg,21.70,101.70\n"
    "2023-05-03,LA,Pangolin scales / Manis pentadactyla,8,kg,21.18,101.70\n"
    "2023-05-04,VN,Panthera tigris,1,individuals,21.0,105.8\n"
)


def _store(engine_url, tmp_path) -> Store:
    source = tmp_path / "several.csv"
    source.write_text(FILE, encoding="utf-8")
    store = Store(engine_url)
    report = import_file(source, store, today=TODAY)
    assert report.accepted == 4
    return store


def test_the_first_taxon_is_the_taxon_and_the_others_are_listed(engine_url, tmp_path):
    records = _store(engine_url, tmp_path).records().sort_values("seizure_date")
    first = records.iloc[0]
    assert (first["taxon"], first["other_taxa"]) == ("Manis javanica", "Manis pentadactyla")
    assert records["other_taxa"].iloc[1:].isna().all()


def test_the_filter_finds_a_seizure_under_each_of_its_taxa(engine_url, tmp_path):
    store = _store(engine_url, tmp_path)
    assert aggregates.count(store, Query(taxa=("Manis pentadactyla",))) == 2
    assert aggregates.count(store, Query(taxa=("Manis javanica",))) == 2
    assert aggregates.count(store, Query()) == 4  # the two-species seizure once


def test_the_species_page_counts_it_under_each_taxon(engine_url, tmp_path):
    store = _store(engine_url, tmp_path)
    top = views.species_page(store, Query(), country="CN")["top_taxa"].set_index("taxon")
    assert top.loc["Manis javanica", "seizures"] == 2
    assert top.loc["Manis pentadactyla", "seizures"] == 2


def test_a_store_from_before_the_field_opens_and_reads_as_before(tmp_path, sample_store_file):
    old = tmp_path / "old.duckdb"
    shutil.copy(sample_store_file, old)
    with duckdb.connect(str(old)) as connection:
        connection.execute("ALTER TABLE seizures DROP COLUMN other_taxa")
        count = connection.execute("SELECT count(*) FROM seizures").fetchone()[0]
    store = Store(str(old))
    assert store.count() == count
    assert store.records(limit=5)["other_taxa"].isna().all()
