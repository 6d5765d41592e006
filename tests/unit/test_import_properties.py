"""Property: whatever the rows look like, every one is accounted for, and re-import adds nothing."""

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.ingest.importer import import_file
from geo.store.store import Store

DATES = st.sampled_from(
    [
        "2021-03-15",
        "15/03/2021",
        "03/15/2021",
        "18-Jan-09",
        "3 de mayo de 2021",
        "2021年3月5日",
        "44197",
        "2020",
        "marzo 2021",
        "",
        "n/a",
        "31/02/2021",
        "2031-01-01",
        "yesterday",
        "1850-01-01",
    ]
)
COUNTRIES = st.sampled_from(
    [
        "CN",
        "Lao PDR",
        "老挝",
        "Viet Nam",
        "NA",
        "XX",
        "XF",
        "Hong Kong, China",
        "Narnia",
        "",
        "RPC",
        "Perú",
        "KE;AE",
        "unknown",
    ]
)
TAXA = st.sampled_from(
    [
        "Manis javanica",
        "pangolin scales",
        "穿山甲鳞片",
        "ivory",
        "Manis javinica",
        "Foo bar",
        "escamas de pangolín",
        "",
        "Manis spp.; Loxodonta africana",
        "rosewood",
        "12345",
    ]
)
QUANTITIES = st.sampled_from(["12", "3,5 t", "150 pcs", "-3", "", "abc", "1.234,5", "0", "2 m3"])
COORDINATES = st.sampled_from(
    [
        ("21.18", "101.69"),
        ("", ""),
        ("0", "0"),
        ("95", "10"),
        ("21°11'N", "101°41'E"),
        ("21,18", "101,69"),
        ("abc", "10"),
        ("21.18", ""),
    ]
)
NOTES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)
ROW = st.tuples(DATES, COUNTRIES, TAXA, QUANTITIES, COORDINATES, NOTES)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=30), repeat=st.integers(0, 3))
def test_every_row_accounted_for_and_reimport_adds_nothing(tmp_path_factory, rows, repeat):
    folder = tmp_path_factory.mktemp("prop")
    rows = rows + rows[:repeat]  # some exact repeats, which must come out as duplicates
    path = folder / "messy.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Date", "Country", "Species", "Quantity", "Latitude", "Longitude", "Notes"]
        )
        for date, country, taxon, quantity, (lat, lon), notes in rows:
            writer.writerow([date, country, taxon, quantity, lat, lon, notes.replace("\r", " ")])
    store = Store(str(folder / "s.duckdb"))
    report = import_file(path, store)
    assert report.rows_read == len(rows)
    assert report.rows_read == report.accepted + report.quarantined + report.duplicates
    assert store.count() == report.accepted
    assert len(store.quarantined()) == report.quarantined

    again = import_file(path, store)
    assert again.already_imported and store.count() == report.accepted

    copy = folder / "messy_copy.csv"
    copy.write_bytes(path.read_bytes() + b"\n")
    second = import_file(copy, store)
    assert second.accepted == 0
    assert second.rows_read == second.quarantined + second.duplicates
    assert store.count() == report.accepted
