"""Tests for geo.ingest.headers: headers as tools and agencies write them, mapped to fields."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.ingest.headers import (
    HELPER_FIELDS,
    INPUT_FIELDS,
    RECOMPUTED_FIELDS,
    UserMapping,
    header_key,
    header_qualifier,
    header_unit,
    load_header_aliases,
    map_columns,
    match_header,
    recognised_count,
    suggest_field,
)
from geo.ingest.normalise import NormaliseOptions, normalise_chunk

# Headers seen in real public seizure tables, with the field each must give.
HEADERS = [
    # as tools write them: R's dots, snake_case, line breaks, trailing spaces and colons
    ("Fecha.de.decomiso", "seizure_date"),
    ("fecha_de_decomiso", "seizure_date"),
    ("seizure_date", "seizure_date"),
    ("Seizure-Date", "seizure_date"),
    ("SEIZURE DATE ", "seizure_date"),
    ("Fecha de Incautación:", "seizure_date"),
    ("Date of seizure\n(dd/mm/yyyy)", "seizure_date"),
    ("Country of seizure\n(ISO)", "seizing_country"),
    ("Country  of   seizure", "seizing_country"),
    ("Country of seizure [ISO 3166]", "seizing_country"),
    ("País de decomiso", "seizing_country"),
    ("Place of seizure", "location_name"),
    ("Place of seizure (country)", "seizing_country"),
    ("Place of seizure (city)", "city"),
    ("Location [city]", "city"),
    ("Location (province)", "province"),
    ("country(ies) of transit", "transit_countries"),
    ("Lat/Lon", "latlon"),
    ("LAT_LON", "latlon"),
    ("Species (scientific name)", "taxon"),
    # date parts
    ("Year", "year"),
    ("Año", "year"),
    ("ano", "year"),
    ("年", "year"),
    ("Año de decomiso", "year"),
    ("Month", "month"),
    ("Mes", "month"),
    ("月", "month"),
    ("月份", "month"),
    ("Day", "day"),
    ("Día", "day"),
    ("dia", "day"),
    ("日", "day"),
    ("日期", "seizure_date"),
    # place hierarchy
    ("Province", "province"),
    ("State", "province"),
    ("Estado", "province"),
    ("UF", "province"),
    ("Provincia", "province"),
    ("省份", "province"),
    ("省", "province"),
    ("City", "city"),
    ("Ciudad", "city"),
    ("Municipality", "city"),
    ("Município", "city"),
    ("城市", "city"),
    ("市", "city"),
]


@pytest.mark.parametrize(("header", "expected"), HEADERS)
def test_real_header_variants_name_their_field(header, expected):
    found = match_header(header)
    assert found is not None, header
    assert found[0] == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Weight (kg)", "quantity_kg"),  # an alias with its unit
        ("Weight [kg]", "quantity_kg"),  # the same unit in other brackets
        ("Weight (kgs)", "quantity_kg"),
        ("Quantity (kg)", "quantity_kg"),  # a quantity whose unit the header states
        ("Quantity (pcs)", "quantity_pieces"),
        ("Quantity (in kg)", "quantity_kg"),
        ("Weight (t)", "quantity"),  # not kg: the unit must not be lost
        ("Peso (toneladas)", "quantity"),
        ("Weight (net)", "quantity_kg"),  # a qualifier that is no unit changes nothing
    ],
)
def test_a_unit_in_brackets_decides_the_quantity_column(header, expected):
    assert match_header(header)[0] == expected


def test_the_mapping_reports_the_unit_a_header_states():
    mapping = map_columns(["Date", "Country", "Species", "Weight (t)", "Quantity (kg)"])
    assert mapping.fields["quantity"] == "Weight (t)"
    assert mapping.units == {"quantity": "t"}
    assert mapping.qualifiers == {"Weight (t)": "t", "Quantity (kg)": "kg"}
    assert mapping.fields["quantity_kg"] == "Quantity (kg)"


def test_header_unit_and_qualifier():
    assert header_unit("Weight (t)") == ("kg", 1000.0)
    assert header_unit("Weight [kg]") == ("kg", 1.0)
    assert header_unit("Tusks (number)") == ("pieces", 1.0)
    assert header_unit("Country (ISO)") is None
    assert header_unit("Weight") is None
    assert header_qualifier("Country of seizure\n(ISO)") == "iso"
    assert header_qualifier("Date") == ""


def test_header_key_is_unchanged_for_vocabulary_lookups():
    # vocabulary.csv is keyed by header_key: it must keep its dots and brackets.
    assert header_key("Fecha de Incautación: ") == "fecha de incautacion"
    assert header_key("n/a") == "n/a"
    assert header_key("Weight (kg)") == "weight (kg)"


def test_unknown_headers_stay_unknown():
    for header in ("Nationality of suspect", "Officer", "Column 7", "", None, "(kg)"):
        assert match_header(header) is None


def test_map_columns_first_column_wins_and_duplicates_go_to_extra():
    mapping = map_columns(["Fecha.de.decomiso", "Date of seizure", "Province", "State"])
    assert mapping.fields == {"seizure_date": "Fecha.de.decomiso", "province": "Province"}
    assert mapping.duplicates == {"Date of seizure": "seizure_date", "State": "province"}
    assert set(mapping.extra) == {"Date of seizure", "State"}


def test_user_mapping_matches_headers_loosely_too():
    user = UserMapping(columns={"Lugar del hecho": "location_name", "fecha.hecho": "seizure_date"})
    mapping = map_columns(["Lugar del hecho ", "Fecha_Hecho"], user)
    assert mapping.fields == {"location_name": "Lugar del hecho ", "seizure_date": "Fecha_Hecho"}


def test_recognised_count_reads_header_rows_written_by_tools():
    assert recognised_count(["Fecha.de.decomiso", "Especie", "Pais", "Peso (kg)"]) == 4
    assert recognised_count(["2021", "Manis javanica", "Brazil", "3.5"]) == 0


def test_new_helper_fields_are_input_fields():
    for name in ("month", "day", "province", "city"):
        assert name in HELPER_FIELDS
        assert name in INPUT_FIELDS


def test_every_alias_maps_to_a_known_field_and_loose_keys_do_not_collide():
    known = {*INPUT_FIELDS, *RECOMPUTED_FIELDS, "extra"}
    aliases = load_header_aliases()
    assert set(aliases.values()) <= known
    # Written as a tool would write it ("SEIZURE_DATE"), every alias still names its field.
    for key, field in aliases.items():
        assert match_header(key.replace(" ", "_").upper())[0] == field, key


@pytest.mark.parametrize(
    ("header", "field", "words"),
    [
        ("Gross weight of consignment (kg)", "quantity_kg", "looks like a weight"),
        ("Prov.", "province", "looks like a province or state"),
        ("Teeth (number)", "quantity_pieces", "looks like a number of pieces"),
        ("Nombre d'animaux saisis", "quantity_individuals", "looks like a number of animals"),
        ("Peso neto (t)", "quantity", "looks like a weight in t"),
        ("Country of arrest", "seizing_country", "looks like a country"),
        ("Ciudad/Municipio", "city", "looks like a city"),
        ("Customs office", "agency", "looks like an agency"),
        ("Date of arrest", "seizure_date", "looks like a date"),
        ("Latitude (WGS84)", "lat", "is a known name for lat"),
        ("海关", "agency", "looks like an agency"),
        ("Country of seizure\n(ISO)", "seizing_country", "is a known name for seizing_country"),
    ],
)
def test_suggest_field_for_columns_that_look_like_record_fields(header, field, words):
    suggested = suggest_field(header)
    assert suggested is not None
    assert suggested[0] == field
    assert words in suggested[1]
    assert suggested[1].startswith("'")


def test_suggest_field_says_nothing_for_unrelated_columns():
    assert suggest_field("Nationality") is None
    assert suggest_field("Officer in charge") is None
    assert suggest_field(None) is None


def test_a_unit_stated_in_the_header_converts_the_quantity():
    raw = pd.DataFrame(
        {
            "Fecha.de.decomiso": ["2021-03-04 14:30", "04/03/2021 14:30:00"],
            "Country of seizure\n(ISO)": ["China - Macao", "Türkiye"],
            "Species ": ["Manis javanica", "Manis javanica"],
            "Weight (t)": ["2", "0.5"],
        },
        dtype=object,
    )
    records = normalise_chunk(raw, map_columns(list(raw.columns)), NormaliseOptions()).records
    assert records["seizing_country"].tolist() == ["MO", "TR"]
    assert records["quantity"].tolist() == [2000.0, 500.0]
    assert records["unit"].tolist() == ["kg", "kg"]
    assert [d.isoformat()[:10] for d in records["seizure_date"]] == ["2021-03-04"] * 2
