"""Products named outside the species column, per-form quantity columns, several taxa a cell.

Each case is a small table shaped like a real agency or NGO file (headers as they write them),
normalised as the importer does: the headers mapped by the alias table, then one chunk.
"""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from geo.ingest.headers import UserMapping, map_columns
from geo.ingest.normalise import FIELDS, NormaliseOptions, _taxa_cell, normalise_chunk

TODAY = dt.date(2026, 11, 25)


def _normalise(columns: dict[str, list]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Normalise a table given as {header: cells}: records, errors and warnings."""
    raw = pd.DataFrame(columns, dtype=object)
    raw.index = pd.RangeIndex(2, 2 + len(raw), name="row")
    mapping = map_columns(list(raw.columns), UserMapping())
    result = normalise_chunk(raw, mapping, NormaliseOptions(today=TODAY))
    return result.records, result.errors, result.warnings


def _dated(rows: int, **columns: list) -> dict[str, list]:
    """A date and a country on every row, then the given columns (header: cells)."""
    return {"Date": ["2019-03-12"] * rows, "Country": ["Uganda"] * rows, **columns}


def _extra(record: pd.Series) -> dict:
    return json.loads(record["extra"]) if record["extra"] else {}


def _cells(values: pd.Series) -> list:
    """A text column's values, None where missing (pandas may store it as NaN)."""
    return [None if pd.isna(value) else value for value in values]


# -- the product in a category, product-type or group column --------------------------------


@pytest.mark.parametrize(
    ("header", "cell", "taxon", "commodity"),
    [
        ("Category", "Ivory", "Elephantidae", "TUS"),
        ("Category", "Rhino horn", "Rhinocerotidae", "HOR"),
        ("Category", "Pangolin scales", "Manidae", "SCA"),
        ("Product type", "Worked ivory", "Elephantidae", "IVC"),
        ("Product", "Rhino horn", "Rhinocerotidae", "HOR"),
        ("Grupo", "Aletas de tiburón", "Selachimorpha", "FIN"),
        ("Grupo", "Marfil", "Elephantidae", "TUS"),
        ("类别", "象牙", "Elephantidae", "TUS"),
        ("类别", "犀牛角", "Rhinocerotidae", "HOR"),
        ("类别", "穿山甲鳞片", "Manidae", "SCA"),
        ("Dataset", "Ivory", "Elephantidae", "TUS"),
    ],
)
def test_product_in_another_column_gives_taxon_and_commodity(header, cell, taxon, commodity):
    records, errors, _ = _normalise(_dated(1, Species=[None], **{header: [cell]}))
    record = records.iloc[0]
    assert errors.empty
    assert (record["taxon"], record["commodity"]) == (taxon, commodity)
    assert record["taxon_group"] == "mammals" or taxon == "Selachimorpha"
    assert record["cites_appendix"] in ("I", "II")


def test_the_species_column_wins_over_the_category():
    records, _, _ = _normalise(
        _dated(2, Species=["Loxodonta africana", None], Category=["Ivory", "Ivory"])
    )
    assert records["taxon"].tolist() == ["Loxodonta africana", "Elephantidae"]
    # the category still says what the product is
    assert records["commodity"].tolist() == ["TUS", "TUS"]


def test_a_category_that_names_nothing_is_kept_and_a_bare_row_quarantined():
    records, errors, _ = _normalise(
        _dated(2, Species=["Manis javanica", None], Category=["Wildlife", "Other"])
    )
    assert _extra(records.iloc[0]) == {"Category (as written)": "Wildlife"}
    assert errors["row"].tolist() == [3]
    assert errors["reason"].tolist() == ["neither a species nor a commodity is given"]


def test_a_group_category_fills_an_empty_species_with_the_group():
    records, _, _ = _normalise(_dated(1, Especie=["NA"], Grupo=["Reptiles"]))
    assert (records.iloc[0]["taxon"], records.iloc[0]["taxon_group"]) == ("Reptilia", "reptiles")


def test_a_second_species_column_stands_in_for_an_empty_first():
    # R exports write NA; the common-name column is a second species column
    records, _, _ = _normalise(
        _dated(
            3,
            Especie=["NA", "Ara macao", None],
            **{"Nombre.comun": ["Motelo", "Guacamaya roja", "Guacamaya roja"]},
        )
    )
    assert records["taxon"].tolist() == ["Chelonoidis denticulatus", "Ara macao", "Ara macao"]


def test_a_family_column_stands_in_for_an_empty_species():
    records, errors, _ = _normalise(
        _dated(
            2,
            Família=["Testudinidae", "Psittacidae"],
            Espécie=["NULL", "Amazona aestiva / Papagaio-verdadeiro"],
        )
    )
    assert errors.empty
    assert records["taxon"].tolist() == ["Testudinidae", "Amazona aestiva"]


# -- per-form quantity columns ---------------------------------------------------------------

# An air-seizure table: weight seized, then counts per form.
AIR = {
    "Category": ["Ivory", "Rhino horn", "Pangolin", "Reptiles", "Ivory", "Big cats"],
    "Product type": ["Raw tusks", "Horn", "Scales", "Live", "Raw tusks", "Skins"],
    "Species": [None, None, "Manis spp.", "Indian star tortoise", None, "Panthera pardus"],
    "Weight seized (kg)": ["45", "12 kg", "1.200 kg", "N/A", "-", "\u2014"],
    "Tusks (number)": ["24", None, None, None, "6", None],
    "Number of items": [None, "2", None, None, None, "3"],
    "Live animals": [None, None, None, "46", None, None],
}


def test_per_form_columns_give_one_quantity_by_the_rule():
    records, errors, warnings = _normalise(_dated(6, **AIR))
    assert errors.empty and warnings.empty
    assert records["quantity"].tolist() == [45.0, 12.0, 1.2, 46.0, 6.0, 3.0]
    assert records["unit"].tolist() == ["kg", "kg", "kg", "individuals", "pieces", "pieces"]
    assert records["commodity"].tolist() == ["TUS", "HOR", "SCA", "LIV", "TUS", "SKI"]
    assert records["taxon"].tolist() == [
        "Elephantidae",
        "Rhinocerotidae",
        "Manis spp.",
        "Geochelone elegans",
        "Elephantidae",
        "Panthera pardus",
    ]


def test_the_quantities_not_chosen_stay_in_extra():
    records, _, _ = _normalise(_dated(6, **AIR))
    assert _extra(records.loc[2])["Tusks (number) (as written)"] == "24"
    assert _extra(records.loc[3])["Number of items (as written)"] == "2"
    # a chosen value is not repeated in extra
    assert "Tusks (number) (as written)" not in _extra(records.loc[6])
    assert "Live animals (as written)" not in _extra(records.loc[5])


def test_decimal_commas_elsewhere_in_the_file_make_a_dot_group_thousands():
    records, _, _ = _normalise(
        _dated(
            3,
            Species=["Pangolin"] * 3,
            **{"Weight seized (kg)": ["1.200 kg", "3,5 kg", None]},
            **{"Weight of scales (kg)": [None, None, "2.400"]},
        )
    )
    assert records["quantity"].tolist() == [1200.0, 3.5, 2400.0]


# A pangolin paper's table: no total, a weight of scales and counts of live animals and bodies.
PANGOLINS = {
    "Taxon": ["Pangolin"] * 6,
    "Weight of scales (kg)": ["125,5", None, "N/A", "Y", "\u00a0", "-"],
    "Live animals": [None, "3", None, None, "sí", "2"],
    "Carcasses": [None, None, "12", "4", None, "1"],
}


def test_the_form_of_the_quantity_column_is_the_commodity():
    records, errors, warnings = _normalise(_dated(6, **PANGOLINS))
    assert errors.empty and warnings.empty
    # row 6 has no number, but its "sí" says live animals were seized
    assert records["commodity"].tolist() == ["SCA", "LIV", "BOD", "BOD", "LIV", "LIV"]
    quantity = records["quantity"].tolist()
    assert quantity[:4] == [125.5, 3.0, 12.0, 4.0] and np.isnan(quantity[4])
    assert records["unit"].tolist()[:4] == ["kg", "individuals", "individuals", "individuals"]


def test_a_yes_flag_is_kept_and_says_the_form_without_a_quantity():
    records, errors, warnings = _normalise(
        _dated(2, Taxon=["Pangolin", "Manis javanica"], **{"Scales (kg)": ["Y", "X"]})
    )
    assert errors.empty and warnings.empty
    assert records["commodity"].tolist() == ["SCA", "SCA"]
    assert records["quantity"].isna().all() and _cells(records["unit"]) == [None, None]
    assert _extra(records.loc[2]) == {"Scales (kg) (as written)": "Y"}


def test_live_and_dead_counts_beside_a_total():
    # a bird table: a total, split into alive and dead
    records, _, _ = _normalise(
        _dated(
            3,
            **{"Species (common name)": ["Hill myna", "Hill myna", "Chattering lory"]},
            **{"No. of birds": ["64", "18", "42"]},
            Alive=["64", None, "37"],
            Dead=[None, "18", "5"],
        )
    )
    assert records["quantity"].tolist() == [64.0, 18.0, 42.0]
    assert records["unit"].tolist() == ["individuals"] * 3
    # only alive, only dead, or both (then the form is not one)
    assert records["commodity"].tolist() == ["LIV", "BOD", "UNK"]
    assert _extra(records.loc[4]) == {"Alive (as written)": "37", "Dead (as written)": "5"}


def test_a_form_does_not_override_the_commodity_column():
    records, _, _ = _normalise(
        _dated(1, Species=["Manis javanica"], Product=["meat"], **{"Live animals": ["4"]})
    )
    assert records.iloc[0]["commodity"] == "MEA"


def test_a_form_alone_does_not_make_a_record_without_a_taxon():
    # a table with no species column needs a file-wide taxon (a mapping default)
    records, errors, _ = _normalise(_dated(1, **{"Weight of scales (kg)": ["300"]}))
    assert errors["reason"].tolist() == ["neither a species nor a commodity is given"]
    assert records.iloc[0]["quantity"] == 300.0


def test_counting_words_in_the_quantity_and_unit_columns():
    records, _, _ = _normalise(
        _dated(
            3,
            Especie=["Podocnemis unifilis", "Panthera pardus", "Elephant"],
            Cantidad=["1.200", "2", "3 tusks"],
            Unidad=["huevos", None, None],
            Producto=[None, "pieles", None],
        )
    )
    assert records["commodity"].tolist() == ["EGG", "SKI", "TUS"]
    # no decimal comma in the file: "1.200" is 1.2, and a count of eggs is in pieces
    assert records["quantity"].tolist() == [1.2, 2.0, 3.0]
    assert records["unit"].tolist() == ["pieces", "pieces", "pieces"]


def test_a_bare_number_of_live_animals_is_a_count_of_individuals():
    records, _, _ = _normalise(
        _dated(2, species=["Sunda pangolin", "pangolin"], product=["live", "scales"])
        | {"quantity": ["8", "12"]}
    )
    assert _cells(records["unit"]) == ["individuals", None]


def test_etis_ivory_columns_still_name_elephant_ivory():
    records, _, _ = _normalise(
        _dated(
            2,
            Species=[None, "Loxodonta africana"],
            Commodity=["ivory", None],
            **{"RAW IV WT (kg)": ["12.5", None], "WORKED IV NO. PCS": [None, "40"]},
        )
    )
    assert records["commodity"].tolist() == ["TUS", "IVC"]
    assert records["quantity"].tolist() == [12.5, 40.0]
    assert records["unit"].tolist() == ["kg", "pieces"]


# -- several taxa in one cell ----------------------------------------------------------------

SEVERAL = [
    ("Manis javanica; Manis pentadactyla", "Manis javanica", "Manis pentadactyla"),
    ("Manis javanica, M. pentadactyla", "Manis javanica", "Manis pentadactyla"),
    ("pangolin y tortuga", "Manidae", "Testudines"),
    ("中华穿山甲、马来穿山甲", "Manis pentadactyla", "Manis javanica"),
    (
        "Astrochelys radiata; Astrochelys yniphora; Geochelone elegans",
        "Astrochelys radiata",
        "Astrochelys yniphora;Geochelone elegans",
    ),
    ("Panthera pardus / Leopard", "Panthera pardus", None),
    ("Leopard (Panthera pardus)", "Panthera pardus", None),
    ("Manis javanica", "Manis javanica", None),
]


@pytest.mark.parametrize(("cell", "taxon", "others"), SEVERAL)
def test_a_cell_of_several_taxa_keeps_the_first_and_lists_the_others(cell, taxon, others):
    read = _taxa_cell(cell)
    assert (read["taxon"], read["other_taxa"]) == (taxon, others)
    assert read["warning"] is None


def test_the_first_taxon_keeps_its_own_group_and_appendix():
    read = _taxa_cell("Manis javanica; Python bivittatus")
    assert (read["taxon_group"], read["cites_appendix"]) == ("mammals", "I")
    read = _taxa_cell("Python bivittatus; Manis javanica")
    assert (read["taxon_group"], read["cites_appendix"]) == ("reptiles", "II")


def test_several_taxa_in_a_record():
    records, _, warnings = _normalise(
        _dated(
            3,
            Species=[
                "Manis javanica; Manis pentadactyla",
                "Panthera pardus / Leopard",
                "pangolin y tortuga",
            ],
        )
    )
    assert warnings.empty
    assert records["taxon"].tolist() == ["Manis javanica", "Panthera pardus", "Manidae"]
    assert records["taxon_group"].tolist() == ["mammals", "mammals", "mammals"]
    # other_taxa is a record field once geo.schema.FIELDS lists it (the store keeps it then)
    if "other_taxa" in FIELDS:
        assert _cells(records["other_taxa"]) == ["Manis pentadactyla", None, "Testudines"]


def test_extra_is_valid_json_on_rows_without_a_kept_value(tmp_path):
    # an unknown transport mode on one row is kept in extra; the other rows keep nothing
    import json as _json

    from geo.ingest.importer import import_file as _import
    from geo.store.store import Store as _Store

    source = tmp_path / "modes.csv"
    source.write_text(
        "Date,Country,Species,Transport\n"
        "2023-01-02,CN,Manis javanica,hovercraft\n"
        "2023-01-03,CN,Manis javanica,air\n",
        encoding="utf-8",
    )
    store = _Store(str(tmp_path / "s.duckdb"))
    assert _import(source, store).accepted == 2
    extras = store.records().sort_values("seizure_date")["extra"].tolist()
    assert _json.loads(extras[0]) == {"Transport (as written)": "hovercraft"}
    assert extras[1] is None or _json.loads(extras[1]) == {}
