"""Lao names of taxa and commodities, and the display-name lookups in each language."""

import unicodedata

import pytest

from geo.reference import species
from geo.reference.species import (
    commodity_name,
    common_name,
    load_commodities,
    load_species,
    match_commodity,
    match_taxon,
    taxon_info,
)
from geo.schema import COMMODITY_CODES

KEY_TAXA = (
    "Manis javanica",
    "Manis pentadactyla",
    "Elephas maximus",
    "Loxodonta africana",
    "Panthera tigris",
    "Ursus thibetanus",
    "Dalbergia cochinchinensis",
)


def _lao_names(cell: str) -> list[str]:
    return [name for name in cell.split("|") if name]


def _is_lao(name: str) -> bool:
    return all("\u0e80" <= ch <= "\u0eff" for ch in name)


# -- the tables ------------------------------------------------------------------------------


def test_names_lo_is_the_last_column_of_both_tables():
    assert list(load_species().columns)[-1] == "names_lo"
    assert list(load_commodities().columns)[-1] == "names_lo"


def test_every_commodity_has_a_lao_name_in_lao_script():
    table = load_commodities()
    assert set(table["code"]) == set(COMMODITY_CODES)
    for row in table.itertuples(index=False):
        names = _lao_names(row.names_lo)
        assert names, row.code
        for name in names:
            assert _is_lao(name), (row.code, name)
            assert name == unicodedata.normalize("NFC", name), (row.code, name)


def test_lao_taxon_names_are_lao_script_and_display_names_unique():
    table = load_species()
    shown = [_lao_names(cell)[0] for cell in table["names_lo"] if cell]
    assert len(shown) == len(set(shown))
    for cell in table["names_lo"]:
        for name in _lao_names(cell):
            assert _is_lao(name), name
            assert name == unicodedata.normalize("NFC", name), name


@pytest.mark.parametrize("taxon", KEY_TAXA)
def test_key_taxa_have_lao_names(taxon):
    name = common_name(taxon, "lo")
    assert name and _is_lao(name), taxon


def test_lao_names_read_by_taxon_info():
    assert taxon_info("Manis javanica")["names_lo"] == ["ລິ່ນຄວາຍ"]
    assert taxon_info("Manis crassicaudata")["names_lo"] == []


# -- common_name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("taxon", "lang", "expected"),
    [
        ("Manis javanica", "en", "Sunda pangolin"),
        ("Manis javanica", "zh", "马来穿山甲"),
        ("Manis javanica", "lo", "ລິ່ນຄວາຍ"),
        ("manis PENTADACTYLA", "lo", "ລິ່ນງົວ"),
        ("Manidae", "lo", "ລິ່ນ"),
        ("Panthera tigris", "lo", "ເສືອໂຄ່ງ"),
        ("Dalbergia cochinchinensis", "lo", "ໄມ້ກະຍຸງ"),
    ],
)
def test_common_name(taxon, lang, expected):
    assert common_name(taxon, lang) == expected


def test_common_name_is_none_where_there_is_none():
    # A taxon with no established Lao name: no guess, and no English in its place.
    assert common_name("Manis crassicaudata", "lo") is None
    assert common_name("Manis crassicaudata", "en") == "Indian pangolin"
    assert common_name("Foo bar", "lo") is None
    assert common_name("Foo bar", "en") is None


@pytest.mark.parametrize("lang", ["de", "LO", "lao", "", "zh_CN"])
def test_common_name_rejects_an_unknown_language(lang):
    with pytest.raises(ValueError, match="supported languages are en, zh, es, fr, pt and lo"):
        common_name("Manis javanica", lang)


# -- commodity_name --------------------------------------------------------------------------


def test_commodity_name_in_lao():
    assert commodity_name("SCA", "lo") == "ເກັດ"
    assert commodity_name("tus", "lo") == "ງາຊ້າງ"
    assert commodity_name("XXX", "lo") is None
    for code in COMMODITY_CODES:
        assert _is_lao(commodity_name(code, "lo")), code


def test_commodity_name_in_english_is_unchanged():
    assert commodity_name("SCA") == "scales"
    assert commodity_name("sca", "en") == "scales"
    assert commodity_name(" tus ") == "tusks"
    assert commodity_name("IVC") == "ivory carvings"
    assert commodity_name("UNK") == "unknown"
    assert commodity_name("XXX") is None
    assert commodity_name("SCA", "zh") == "鳞片"
    with pytest.raises(ValueError, match="language"):
        commodity_name("SCA", "de")


# -- the importer ----------------------------------------------------------------------------


def test_lao_names_are_for_display_and_not_matched():
    # The matcher's normalisation drops Lao tone marks: ໝີ (bear) and ໝູ (pig) would collide.
    assert "names_lo" not in species.NAME_COLUMNS
    for text in ("ເກັດ", "ງາຊ້າງ", "ໝີ", "ໝູ"):
        assert match_commodity(text) is None
        assert match_taxon(text).known is False
