"""Tests for species breakdowns: taxon × border pair, origin → destination pairs, profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.analysis.breakdowns import country_profile, flow_pairs, taxa_by_pair, top_taxa


def _records(rows: list[tuple]) -> pd.DataFrame:
    """Records from (taxon, group, appendix, border_pair, origins, destination, seizing,
    quantity, unit) tuples."""
    columns = [
        "taxon",
        "taxon_group",
        "cites_appendix",
        "border_pair",
        "origin_countries",
        "destination_country",
        "seizing_country",
        "quantity",
        "unit",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["export_country"] = None
    frame["transit_countries"] = None
    return frame


@pytest.fixture
def border() -> pd.DataFrame:
    """Seizures along CN–LA, LA–TH and CN–VN borders, one with no pair and one mixed."""
    mj, py, dc = "Manis javanica", "Python bivittatus", "Dalbergia cochinchinensis"
    return _records(
        [
            (mj, "mammals", "I", "CN-LA", "LA", "CN", "CN", 10.0, "kg"),
            (mj, "mammals", "I", "LA-CN", "LA", "CN", "LA", 5.0, "kg"),
            (mj, "mammals", "I", "CN-VN", "VN", "CN", "CN", 3.0, "pieces"),
            (py, "reptiles", "II", "CN-LA", "LA;VN", "CN", "CN", 2.0, "individuals"),
            (dc, "timber", "II", "LA-TH", "LA", "CN", "TH", 4.0, "m3"),
            (dc, "timber", "II", None, "LA", "VN", "VN", 1.0, "m3"),
            (f"{mj}; {py}", "mixed", None, "CN-LA", "MM", "CN", "CN", 7.0, "kg"),
        ]
    )


def test_taxa_by_pair_values(border):
    matrix = taxa_by_pair(border)
    assert matrix.index.name == "taxon"
    assert matrix.columns.name == "border_pair"
    # LA-CN is the same unordered pair as CN-LA
    assert list(matrix.columns) == ["CN-LA", "CN-VN", "LA-TH"]
    assert list(matrix.index) == [
        "Manis javanica",
        "Python bivittatus",
        "Dalbergia cochinchinensis",
    ]
    expected = np.array([[3, 1, 0], [2, 0, 0], [0, 0, 1]])
    np.testing.assert_array_equal(matrix.to_numpy(), expected)
    assert matrix.dtypes.unique().tolist() == [np.dtype("int64")]


def test_taxa_by_pair_keeps_the_top_ones(border):
    matrix = taxa_by_pair(border, top_taxa=1, top_pairs=1)
    assert matrix.to_dict() == {"CN-LA": {"Manis javanica": 3}}


def test_taxa_by_pair_within_a_distance_of_the_border(border):
    border["border_distance_km"] = [5.0, 80.0, 10.0, 49.9, None, 3.0, 200.0]
    matrix = taxa_by_pair(border, border_km=50)
    assert matrix.to_dict() == {
        "CN-LA": {"Manis javanica": 1, "Python bivittatus": 1},
        "CN-VN": {"Manis javanica": 1, "Python bivittatus": 0},
    }


def test_taxa_by_pair_without_pairs_is_empty(border):
    assert taxa_by_pair(border.assign(border_pair=None)).empty


def test_flow_pairs_explode_origins_and_taxa(border):
    pairs = flow_pairs(border)
    assert list(pairs.columns) == ["origin", "destination", "taxon", "seizures"]
    table = pairs.set_index(["origin", "destination", "taxon"])["seizures"].to_dict()
    assert table[("LA", "CN", "Manis javanica")] == 2
    # one record from LA;VN counts once for each origin
    assert table[("LA", "CN", "Python bivittatus")] == 1
    assert table[("VN", "CN", "Python bivittatus")] == 1
    # the mixed record counts under each taxon
    assert table[("MM", "CN", "Manis javanica")] == 1
    assert table[("MM", "CN", "Python bivittatus")] == 1
    assert pairs["seizures"].iloc[0] == pairs["seizures"].max()


def test_flow_pairs_skip_records_without_an_origin(border):
    border.loc[0, "origin_countries"] = None
    pairs = flow_pairs(border)
    assert pairs.loc[pairs["taxon"] == "Manis javanica", "seizures"].sum() == 3


def test_top_taxa_counts_and_quantities(border):
    table = top_taxa(border, unit="kg")
    assert list(table.columns) == ["taxon", "taxon_group", "cites_appendix", "seizures", "quantity"]
    first = table.iloc[0]
    assert first["taxon"] == "Manis javanica"
    assert first["seizures"] == 4
    # 10 + 5 kg; the pieces are another unit and the mixed record's 7 kg cannot be shared out
    assert first["quantity"] == 15.0
    # group and appendix of the taxon itself, not of the mixed record
    assert (first["taxon_group"], first["cites_appendix"]) == ("mammals", "I")
    python = table.set_index("taxon").loc["Python bivittatus"]
    assert python["seizures"] == 2
    assert python["quantity"] == 0.0


def test_top_taxa_without_unit_has_no_quantity(border):
    table = top_taxa(border, n=2)
    assert len(table) == 2
    assert table["quantity"].isna().all()


def test_top_taxa_by_quantity(border):
    table = top_taxa(border, unit="m3", by="quantity")
    assert table.iloc[0]["taxon"] == "Dalbergia cochinchinensis"
    assert table.iloc[0]["quantity"] == 5.0
    with pytest.raises(ValueError, match="unit"):
        top_taxa(border, by="quantity")


def test_top_taxa_group_from_reference_when_only_mixed():
    records = _records(
        [("Manis javanica; Ursus thibetanus", "mixed", None, None, "LA", "CN", "CN", 1.0, "kg")]
    )
    table = top_taxa(records).set_index("taxon")
    assert table.loc["Manis javanica", "taxon_group"] == "mammals"
    assert table.loc["Manis javanica", "cites_appendix"] == "I"


def test_country_profile_roles(border):
    profile = country_profile(border, "la")
    assert profile["role"].tolist() == ["origin", "export", "transit", "destination", "seizing"]
    by_role = profile.set_index("role")
    assert by_role.loc["origin", "seizures"] == 5
    # ties go alphabetically
    assert by_role.loc["origin", "top_taxa"] == [
        "Dalbergia cochinchinensis",
        "Manis javanica",
        "Python bivittatus",
    ]
    assert by_role.loc["origin", "partners"][0] == "CN"
    assert "LA" not in by_role.loc["origin", "partners"]
    assert by_role.loc["seizing", "seizures"] == 1
    assert by_role.loc["destination", "seizures"] == 0
    assert by_role.loc["destination", "top_taxa"] == []


def test_country_profile_partner_names(border):
    profile = country_profile(border, "VN", language="en").set_index("role")
    assert profile.loc["destination", "partners"] == ["Lao PDR"]


def test_country_profile_rejects_a_name(border):
    with pytest.raises(ValueError, match="alpha-2"):
        country_profile(border, "Laos")
