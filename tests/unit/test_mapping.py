"""The mapping step's core: a file's columns and their fields, mappings as TOML, remembered.

A user whose file has headers no alias knows sees its columns with sample values, names
them, imports, and the next file with the same headers maps itself.
"""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.cli import main
from geo.ingest.headers import UserMapping, read_mapping_file
from geo.ingest.importer import import_file, validate_file
from geo.ingest.mapping import (
    file_columns,
    header_signature,
    mapping_from_toml,
    mapping_toml,
    match_columns,
)
from geo.ingest.readers import UnreadableFileError, open_table
from geo.store.store import Store

TODAY = dt.date(2025, 1, 1)

# A highway-police style table: no header any alias knows, a title row above it.
UNKNOWN = (
    "Operação Fauna 2023 - apreensões\n"
    "Dt ocorr.,Equipe,Bicho,VAL_1\n"
    "12/03/2023,BPA-3,Chelonoidis denticulata,14\n"
    "15/03/2023,BPA-1,Ara macao,3\n"
    "02/04/2023,BPA-3,Chelonoidis denticulata,9\n"
)
UNKNOWN_MAPPING = UserMapping(
    columns={"Dt ocorr.": "seizure_date", "Bicho": "taxon", "VAL_1": "quantity"},
    defaults={"seizing_country": "BR", "unit": "individuals"},
    dayfirst=True,
)


@pytest.fixture
def unknown_file(tmp_path):
    path = tmp_path / "apreensoes.csv"
    path.write_text(UNKNOWN, encoding="utf-8")
    return path


def test_a_file_no_alias_knows_shows_its_columns_with_samples(unknown_file):
    with pytest.raises(UnreadableFileError, match="no header row"):
        open_table(unknown_file)  # the importer alone cannot read it
    found = file_columns(unknown_file)
    assert found.header_guessed and found.header_row == 2  # below the title line
    assert [m.column for m in found.columns] == ["Dt ocorr.", "Equipe", "Bicho", "VAL_1"]
    bicho = found.columns[2]
    assert bicho.field is None and bicho.how == "extra"
    assert bicho.samples == ("Chelonoidis denticulata", "Ara macao")


def test_a_mapping_of_unknown_headers_imports_every_row(unknown_file, tmp_path):
    found = file_columns(unknown_file, UNKNOWN_MAPPING)
    assert not found.header_guessed
    assert found.matched == {"seizure_date": "Dt ocorr.", "taxon": "Bicho", "quantity": "VAL_1"}
    assert {m.column: m.how for m in found.columns}["Bicho"] == "mapping"
    store = Store(str(tmp_path / "s.duckdb"))
    report = import_file(unknown_file, store, UNKNOWN_MAPPING, today=TODAY)
    assert (report.rows_read, report.accepted, report.quarantined) == (3, 3, 0)
    records = store.records().sort_values("seizure_date")
    assert records["taxon"].tolist()[0] == "Chelonoidis denticulatus"  # the accepted name
    assert records["quantity"].tolist() == [14.0, 3.0, 9.0]
    assert set(records["unit"]) == {"individuals"} and set(records["seizing_country"]) == {"BR"}
    assert str(records["seizure_date"].tolist()[0])[:10] == "2023-03-12"
    # the report says what every column became, the unmatched one too
    assert report.columns["Bicho"] == {"field": "taxon", "matched_by": "mapping", "note": None}
    assert report.columns["Equipe"]["matched_by"] == "extra"


def test_without_the_mapping_the_same_file_is_refused_in_one_sentence(unknown_file):
    with pytest.raises(UnreadableFileError) as caught:
        validate_file(unknown_file, today=TODAY)
    assert "apreensoes.csv" in str(caught.value) and "\n" not in str(caught.value)


@settings(max_examples=200, deadline=None)
@given(
    columns=st.dictionaries(
        st.text(min_size=1, max_size=30),
        st.sampled_from(["seizure_date", "taxon", "quantity", "extra", "seizing_country"]),
        max_size=6,
    ),
    defaults=st.dictionaries(
        st.sampled_from(["seizing_country", "agency", "taxon", "unit"]),
        st.text(max_size=30),
        max_size=4,
    ),
    dayfirst=st.sampled_from([None, True, False]),
    sheet=st.one_of(st.none(), st.text(min_size=1, max_size=20)),
)
def test_a_mapping_written_as_toml_reads_back_the_same(columns, defaults, dayfirst, sheet):
    mapping = UserMapping(columns=columns, defaults=defaults, dayfirst=dayfirst, sheet=sheet)
    text = mapping_toml(mapping, comment="made for a file\nwith two lines")
    assert mapping_from_toml(text) == mapping


def test_the_written_toml_is_what_import_mapping_reads(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text(mapping_toml(UNKNOWN_MAPPING), encoding="utf-8")
    assert read_mapping_file(path) == UNKNOWN_MAPPING


def test_the_signature_ignores_how_headers_are_written_but_not_their_order():
    assert header_signature(["Fecha de Incautación ", "ESPECIE"]) == header_signature(
        ["fecha de incautacion", "Especie"]
    )
    assert header_signature(["a", "b"]) != header_signature(["b", "a"])


def test_an_unmatched_column_that_looks_like_a_weight_is_pointed_out():
    matches = {m.column: m for m in match_columns(["Date", "Country", "Weight of scales (kg)"])}
    weight = matches["Weight of scales (kg)"]
    # matched by an alias (a weight of scales) or, if not, pointed out as a weight
    assert weight.field in ("scales_kg", "quantity_kg") or "looks like a weight" in (
        weight.suggestion or ""
    )


def test_the_store_remembers_a_mapping_by_signature(engine_url):
    store = Store(engine_url)
    signature = header_signature(["Dt ocorr.", "Equipe", "Bicho", "VAL_1"])
    assert store.remembered_mapping(signature) is None
    store.remember_mapping(signature, mapping_toml(UNKNOWN_MAPPING), "apreensoes.csv")
    store.remember_mapping(signature, mapping_toml(UNKNOWN_MAPPING), "apreensoes_2.csv")
    kept = store.remembered_mapping(signature)
    assert kept["file_name"] == "apreensoes_2.csv"  # the latest, once
    assert mapping_from_toml(kept["mapping"]) == UNKNOWN_MAPPING


def test_seizures_mapping_writes_a_starting_mapping_that_imports(unknown_file, tmp_path, capsys):
    out = tmp_path / "start.toml"
    assert main(["mapping", str(unknown_file), "--out", str(out), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["columns"]["Bicho"]["samples"] == ["Chelonoidis denticulata", "Ara macao"]
    start = read_mapping_file(out)
    assert start.columns == dict.fromkeys(["Dt ocorr.", "Equipe", "Bicho", "VAL_1"], "extra")
    # the user edits it: three fields and two file-wide values
    edited = out.read_text(encoding="utf-8")
    edited = edited.replace('"Dt ocorr." = "extra"', '"Dt ocorr." = "seizure_date"')
    edited = edited.replace('"Bicho" = "extra"', '"Bicho" = "taxon"')
    edited = edited.replace('"VAL_1" = "extra"', '"VAL_1" = "quantity"')
    edited = edited.replace('# seizing_country = "CN"', 'seizing_country = "BR"')
    out.write_text(edited, encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(unknown_file), "--db", db, "--mapping", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["accepted"], report["quarantined"]) == (3, 0)


def test_every_field_a_column_can_feed_is_offered_in_words():
    from geo.ingest.mapping import MAPPABLE_FIELDS
    from geo.labels import FIELD_LABELS
    from geo.schema import DERIVED_FIELDS, FIELDS

    shown = {*MAPPABLE_FIELDS, *FIELDS, *DERIVED_FIELDS}
    missing = sorted(name for name in shown if name not in FIELD_LABELS)
    assert not missing, f"fields the mapping step would show by their raw names: {missing}"
    words = [FIELD_LABELS[name] for name in MAPPABLE_FIELDS]
    assert len(set(words)) == len(words)  # two fields never read the same in the list
