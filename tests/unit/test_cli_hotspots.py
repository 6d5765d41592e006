"""`seizures hotspots` ranks with the same function as the Border hotspots page."""

import json

from geo.cli import main
from geo.report import views
from geo.store.query import Query
from geo.store.store import Store


def test_command_and_page_give_the_same_ranking(sample_db, capsys):
    assert main(["hotspots", "--pair", "CN-LA", "--resolution", "6", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    page = views.hotspot_ranking(Store(str(sample_db)), Query(pair="CN-LA"), 6, 95)
    assert [row["place"] for row in printed] == list(page["place"])
    assert [row["count"] for row in printed] == list(page["count"])
    assert "Boten" in printed[0]["place"] or "Mohan" in printed[0]["place"]


def test_command_says_how_many_records_are_in_the_area(sample_db, capsys):
    assert main(["hotspots", "--pair", "CN-LA"]) == 0
    out = capsys.readouterr().out
    expected = len(Store(str(sample_db)).select(Query(pair="CN-LA"), columns=["record_id"]))
    assert f"({expected:,} records in the area" in out


def test_command_refuses_an_unknown_taxon_in_one_sentence(sample_db, capsys):
    assert main(["hotspots", "--pair", "CN-LA", "--taxon", "Dragonus fictus"]) != 0
    assert "not in the species reference" in capsys.readouterr().err
