"""Tests for the synthetic sample-data generator."""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pandas as pd
import pycountry
import pytest

from geo import schema
from geo.ingest import sample_tables
from geo.ingest.sample import (
    FIRST_DATE,
    LAST_DATE,
    SAMPLE_FIELDS,
    SYNTHETIC_SOURCE,
    generate_sample,
    write_sample,
)
from geo.reference.places import load_border_crossings

ALLOWED_TAXA = {
    "Manis javanica",
    "Manis pentadactyla",
    "Smutsia gigantea",
    "Phataginus tricuspis",
    "Smutsia temminckii",
    "Manidae",
    "Loxodonta africana",
    "Elephas maximus",
    "Ceratotherium simum",
    "Diceros bicornis",
    "Panthera tigris",
    "Panthera pardus",
    "Panthera onca",
    "Ursus thibetanus",
    "Helarctos malayanus",
    "Psittacus erithacus",
    "Ara macao",
    "Amazona aestiva",
    "Gracula religiosa",
    "Garrulax canorus",
    "Indotestudo elongata",
    "Cuora amboinensis",
    "Geochelone elegans",
    "Podocnemis expansa",
    "Podocnemis unifilis",
    "Totoaba macdonaldi",
    "Sphyrna lewini",
    "Carcharhinus falciformis",
    "Hippocampus kuda",
    "Anguilla anguilla",
    "Isostichopus fuscus",
    "Dalbergia cochinchinensis",
    "Dalbergia oliveri",
    "Pterocarpus santalinus",
    "Pterocarpus erinaceus",
    "Aquilaria malaccensis",
    "Dendrobium spp.",
    "Varanus salvator",
    "Macaca fascicularis",
    "Nomascus spp.",
    "Moschus spp.",
    "Saiga tatarica",
    "Rhinoplax vigil",
}

TRANSPORT_BY_LOCATION = {
    "land_border": {"road", "pedestrian", "rail"},
    "airport": {"air"},
    "seaport": {"sea"},
    "mail_centre": {"post"},
    "inland": {"road", "unknown"},
    "market": {"unknown"},
}


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """A 6,000-row sample with the seed used for the shipped file."""
    return generate_sample(6000, seed=2026)


def distance_km(frame: pd.DataFrame, lat: float, lon: float) -> np.ndarray:
    """Great-circle distance in km from each row's WGS84 point to one point."""
    phi1 = np.radians(frame["lat"].to_numpy())
    phi2 = math.radians(lat)
    h = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * math.cos(phi2) * np.sin(np.radians(lon - frame["lon"].to_numpy()) / 2) ** 2
    )
    return 2 * 6371.0088 * np.arcsin(np.sqrt(h))


def codes_in(frame: pd.DataFrame, column: str) -> set[str]:
    """Every country code in a column, splitting ';'-joined lists."""
    values = frame[column].dropna()
    return {code for value in values for code in str(value).split(";")}


def test_same_seed_gives_the_same_frame():
    pd.testing.assert_frame_equal(generate_sample(400, seed=7), generate_sample(400, seed=7))


def test_different_seeds_give_different_frames():
    first, second = generate_sample(400, seed=1), generate_sample(400, seed=2)
    assert not first.equals(second)


def test_row_count_and_columns(sample):
    assert len(sample) == 6000
    assert tuple(sample.columns) == SAMPLE_FIELDS
    # every record field but the batch (the store's) and other_taxa (one taxon per seizure)
    unused = ("batch_id", "other_taxa")
    assert list(sample.columns) == [name for name in schema.RECORD_FIELDS if name not in unused]


def test_zero_rows_gives_an_empty_frame_with_the_columns():
    empty = generate_sample(0)
    assert empty.empty
    assert tuple(empty.columns) == SAMPLE_FIELDS


@pytest.mark.parametrize(
    ("rows", "seed", "error"),
    [(-1, 0, ValueError), (10.5, 0, TypeError), (10, "x", TypeError), (True, 0, TypeError)],
)
def test_bad_arguments_are_rejected(rows, seed, error):
    with pytest.raises(error):
        generate_sample(rows, seed)


def test_record_ids_are_sequential(sample):
    assert sample["record_id"].tolist() == [f"SYN-{n:06d}" for n in range(1, len(sample) + 1)]


def test_every_row_says_it_is_synthetic(sample):
    assert (sample["source"] == SYNTHETIC_SOURCE).all()


def test_values_come_from_the_controlled_vocabularies(sample):
    assert set(sample["taxon"]) <= ALLOWED_TAXA
    assert set(sample["taxon_group"]) <= set(schema.TAXON_GROUPS)
    assert set(sample["commodity"]) <= set(schema.COMMODITY_CODES)
    assert set(sample["unit"]) <= set(schema.UNITS)
    assert set(sample["location_type"]) <= set(schema.LOCATION_TYPES)
    assert set(sample["transport_mode"]) <= set(schema.TRANSPORT_MODES)
    assert set(sample["coord_precision"]) <= set(schema.COORD_PRECISIONS)
    assert set(sample["date_precision"]) <= set(schema.DATE_PRECISIONS)
    assert set(sample["sensitivity"]) == set(schema.SENSITIVITIES)
    assert set(sample["cites_appendix"]) <= {"I", "II", "III"}


def test_taxa_carry_their_group_and_appendix(sample):
    per_taxon = sample.groupby("taxon")[["taxon_group", "cites_appendix"]].nunique()
    assert (per_taxon == 1).all().all()
    first = sample.drop_duplicates("taxon").set_index("taxon")
    expected = {
        "Manis javanica": ("mammals", "I"),
        "Loxodonta africana": ("mammals", "I"),
        "Amazona aestiva": ("birds", "II"),
        "Geochelone elegans": ("reptiles", "I"),
        "Totoaba macdonaldi": ("fish", "I"),
        "Isostichopus fuscus": ("invertebrates", "III"),
        "Dalbergia cochinchinensis": ("timber", "II"),
        "Aquilaria malaccensis": ("plants", "II"),
    }
    for taxon, (group, appendix) in expected.items():
        assert (first.loc[taxon, "taxon_group"], first.loc[taxon, "cites_appendix"]) == (
            group,
            appendix,
        )


def test_units_are_consistent_with_the_commodity(sample):
    assert sample.groupby(["taxon", "commodity"])["unit"].nunique().eq(1).all()
    unit_of = sample.groupby("commodity")["unit"].agg(set)
    assert unit_of["SCA"] == {"kg"}
    assert unit_of["LIV"] == {"individuals"}
    assert unit_of["TUS"] == {"kg"}
    assert unit_of["HOR"] == {"kg"}
    assert unit_of["IVC"] == {"pieces"}
    assert unit_of["SKI"] == {"pieces"}
    assert unit_of["SAW"] == {"m3"}
    assert unit_of["LOG"] <= {"m3", "kg"}


def test_quantities_are_positive_and_counts_are_whole(sample):
    assert (sample["quantity"] > 0).all()
    counted = sample[sample["unit"].isin(["individuals", "pieces"])]["quantity"]
    assert (counted == counted.round()).all()


def test_quantities_look_like_real_seizures(sample):
    scales = sample[sample["commodity"] == "SCA"]["quantity"]
    assert 10 <= scales.median() <= 80
    assert scales.max() > 1000
    horns = sample[(sample["commodity"] == "HOR") & (sample["taxon"] != "Saiga tatarica")]
    assert horns["quantity"].max() <= 30
    bladders = sample[sample["commodity"] == "SWI"]["quantity"]
    assert bladders.max() <= 150


def test_transport_mode_matches_the_location_type(sample):
    for location_type, modes in TRANSPORT_BY_LOCATION.items():
        found = set(sample.loc[sample["location_type"] == location_type, "transport_mode"])
        assert found <= modes, location_type


def test_coordinate_precision_matches_the_location_type(sample):
    exact = sample["location_type"].isin(["land_border", "airport", "seaport"])
    assert (sample.loc[exact, "coord_precision"] == "exact").all()
    assert (sample.loc[~exact, "coord_precision"] == "city").all()
    assert sample["lat"].between(-90, 90).all()
    assert sample["lon"].between(-180, 180).all()


def test_dates_are_iso_and_within_the_range(sample):
    dates = pd.to_datetime(sample["seizure_date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp(FIRST_DATE)
    assert dates.max() <= pd.Timestamp(LAST_DATE)
    month_only = sample["date_precision"] == "month"
    assert 0 < month_only.mean() < 0.1
    assert (dates[month_only].dt.day == 1).all()


def test_country_codes_are_iso_alpha2(sample):
    columns = (
        "seizing_country",
        "owner_country",
        "origin_countries",
        "export_country",
        "transit_countries",
        "destination_country",
    )
    for column in columns:
        for code in codes_in(sample, column):
            assert pycountry.countries.get(alpha_2=code) is not None, (column, code)


def test_trade_chains_hold_lists_of_one_or_two(sample):
    origins = sample["origin_countries"].str.count(";") + 1
    transits = sample["transit_countries"].dropna().str.count(";") + 1
    assert origins.max() == 2 and 0.01 < (origins == 2).mean() < 0.1
    assert transits.max() == 2 and 0.01 < (transits == 2).sum() / len(sample) < 0.06
    assert sample["origin_countries"].notna().all()
    assert sample["destination_country"].notna().all()


def test_seizing_country_plays_a_role_in_the_chain(sample):
    for row in sample.itertuples():
        roles = {
            *row.origin_countries.split(";"),
            row.export_country,
            *(row.transit_countries.split(";") if isinstance(row.transit_countries, str) else ()),
            row.destination_country,
        }
        assert row.seizing_country in roles, row.record_id


def test_restricted_rows_belong_to_the_seizing_country(sample):
    restricted = sample[sample["sensitivity"] == "restricted"]
    assert 0.06 < len(restricted) / len(sample) < 0.14
    assert (restricted["owner_country"] == restricted["seizing_country"]).all()


def test_seizures_cluster_at_boten_mohan_and_hekou(sample):
    crossings = load_border_crossings().set_index("crossing_id")
    near = np.zeros(len(sample), dtype=bool)
    for crossing_id in ("boten-mohan", "hekou-laocai"):
        crossing = crossings.loc[crossing_id]
        near |= distance_km(sample, crossing["lat"], crossing["lon"]) <= 10
    assert near.mean() >= 0.10


def test_every_busy_crossing_has_a_hotspot(sample):
    crossings = load_border_crossings().set_index("crossing_id")
    for crossing_id in ("youyiguan-huunghi", "dongxing-mongcai", "ruili-muse", "mocbai-bavet"):
        crossing = crossings.loc[crossing_id]
        assert (distance_km(sample, crossing["lat"], crossing["lon"]) <= 10).sum() >= 30


def test_trends_follow_the_story(sample):
    year = sample["seizure_date"].str[:4].astype(int)
    per_year = year.value_counts()
    assert per_year[2020] < 0.7 * per_year[2019]
    boten = sample["location_name"] == "Boten–Mohan"
    assert boten[year >= 2022].sum() > 2 * boten[year <= 2019].sum()
    tusks = sample["commodity"] == "TUS"
    assert tusks[year <= 2018].sum() > 1.5 * tusks[year >= 2022].sum()
    latin = sample["taxon"].isin(
        ["Totoaba macdonaldi", "Sphyrna lewini", "Carcharhinus falciformis"]
    )
    assert latin[year >= 2022].sum() > latin[year <= 2019].sum()


def test_lunar_new_year_run_up_is_busier_than_the_monsoon(sample):
    month = sample["seizure_date"].str[5:7]
    land = sample["location_type"] == "land_border"
    assert (land & month.eq("01")).sum() > 1.3 * (land & month.eq("07")).sum()


def test_write_sample_csv_round_trips(tmp_path):
    path = write_sample(tmp_path / "nested" / "sample.csv", rows=120, seed=5)
    assert path.exists()
    read = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    assert tuple(read.columns) == SAMPLE_FIELDS
    assert len(read) == 120
    expected = generate_sample(120, seed=5)
    assert read["record_id"].tolist() == expected["record_id"].tolist()
    assert read["taxon"].tolist() == expected["taxon"].tolist()


def test_write_sample_xlsx_has_data_and_readme_sheets(tmp_path):
    path = write_sample(tmp_path / "sample.xlsx", rows=30, seed=1)
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["seizures", "README"]
    header = next(workbook["seizures"].iter_rows(max_row=1, values_only=True))
    assert tuple(header) == SAMPLE_FIELDS
    readme = " ".join(
        str(value) for row in workbook["README"].iter_rows(values_only=True) for value in row
    )
    assert "synthetic" in readme.lower()
    workbook.close()


def test_write_sample_rejects_other_extensions(tmp_path):
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        write_sample(tmp_path / "sample.json", rows=5)


def test_the_data_tables_refer_only_to_known_rows_and_places():
    tables = sample_tables.load_sample_tables()
    places = sample_tables.load_sample_places()
    assert len(tables.streams) == 24
    assert set(sample_tables.load_taxon_facts()) == set(tables.taxa) == ALLOWED_TAXA
    assert all(len(stream.trend) == len(sample_tables.YEARS) for stream in tables.streams)
    assert set(tables.detection_weights) == set(schema.LOCATION_TYPES) - {"online"}
    assert {"boten-mohan", "hekou-laocai"} <= set(places.crossings)


def test_a_name_with_no_row_is_reported(tmp_path, monkeypatch):
    for path in sample_tables.SAMPLE_DATA_DIR.glob("*.*"):
        if path.suffix in {".csv", ".toml"} and path.name != "seizures_sample.csv":
            (tmp_path / path.name).write_bytes(path.read_bytes())
    streams = tmp_path / "streams.toml"
    streams.write_text(
        streams.read_text(encoding="utf-8").replace('trend = "ivory"', 'trend = "ivroy"'),
        encoding="utf-8",
    )
    monkeypatch.setattr(sample_tables, "SAMPLE_DATA_DIR", tmp_path)
    sample_tables.load_sample_tables.cache_clear()
    try:
        with pytest.raises(LookupError, match=r"'ivroy' is not a row of trends\.csv"):
            sample_tables.load_sample_tables()
    finally:
        monkeypatch.undo()
        sample_tables.load_sample_tables.cache_clear()
