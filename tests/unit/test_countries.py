"""Tests for the country reference tables and the country resolver."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from geo.paths import REFERENCE_DIR
from geo.reference.countries import (
    CountryMatch,
    _normalise_key,
    country_code,
    country_list,
    country_match,
    country_name,
    is_country_code,
    load_countries,
)

# The spellings agencies write, in the five languages, with the code each must give.
NAMES = [
    ("Lao PDR", "LA"),
    ("Lao P.D.R.", "LA"),
    ("lao pdr", "LA"),
    ("RDP Lao", "LA"),
    ("RDP Laos", "LA"),
    ("Laos", "LA"),
    ("Lao", "LA"),
    ("Lao People's Democratic Republic", "LA"),
    ("República Democrática Popular Lao", "LA"),
    ("老挝", "LA"),
    ("寮國", "LA"),
    ("Viet Nam", "VN"),
    ("Vietnam", "VN"),
    ("VIETNAM", "VN"),
    ("Viêt Nam", "VN"),
    ("越南", "VN"),
    ("China", "CN"),
    ("República Popular China", "CN"),
    ("RP China", "CN"),
    ("RPC", "CN"),
    ("PRC", "CN"),
    ("P.R. China", "CN"),
    ("PR China", "CN"),
    ("Mainland China", "CN"),
    ("中国", "CN"),
    ("中国大陆", "CN"),
    ("中華人民共和國", "CN"),
    ("Chine", "CN"),
    ("Hong Kong", "HK"),
    ("Hong Kong, China", "HK"),
    ("Hong Kong SAR", "HK"),
    ("HKSAR", "HK"),
    ("香港", "HK"),
    ("中国香港", "HK"),
    ("Macau", "MO"),
    ("Macao SAR, China", "MO"),
    ("澳门", "MO"),
    ("Taiwan", "TW"),
    ("Taiwan, Province of China", "TW"),
    ("中国台湾", "TW"),
    ("台湾", "TW"),
    ("USA", "US"),
    ("U.S.A.", "US"),
    ("U.S.", "US"),
    ("United States", "US"),
    ("EEUU", "US"),
    ("EE.UU.", "US"),
    ("EUA", "US"),
    ("Estados Unidos", "US"),
    ("États-Unis", "US"),
    ("Etats-Unis", "US"),
    ("UAE", "AE"),
    ("U.A.E.", "AE"),
    ("Emiratos Árabes Unidos", "AE"),
    ("Émirats arabes unis", "AE"),
    ("阿联酋", "AE"),
    ("Brasil", "BR"),
    ("Brazil", "BR"),
    ("巴西", "BR"),
    ("Perú", "PE"),
    ("Peru", "PE"),
    ("秘鲁", "PE"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("England", "GB"),
    ("Russia", "RU"),
    ("Rusia", "RU"),
    ("Russian Federation", "RU"),
    ("South Korea", "KR"),
    ("Korea", "KR"),
    ("Korea, Republic of", "KR"),
    ("Corea del Sur", "KR"),
    ("韩国", "KR"),
    ("North Korea", "KP"),
    ("DPRK", "KP"),
    ("DRC", "CD"),
    ("RDC", "CD"),
    ("DR Congo", "CD"),
    ("Congo-Kinshasa", "CD"),
    ("Congo (Kinshasa)", "CD"),
    ("Congo, The Democratic Republic of the", "CD"),
    ("刚果（金）", "CD"),
    ("Congo", "CG"),
    ("Congo-Brazzaville", "CG"),
    ("Ivory Coast", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Cote d'Ivoire", "CI"),
    ("Côte d’Ivoire", "CI"),
    ("Costa de Marfil", "CI"),
    ("Myanmar", "MM"),
    ("Burma", "MM"),
    ("Birmania", "MM"),
    ("缅甸", "MM"),
    ("Thailand", "TH"),
    ("Tailandia", "TH"),
    ("泰国", "TH"),
    ("Cambodia", "KH"),
    ("Camboya", "KH"),
    ("柬埔寨", "KH"),
    ("Malaysia", "MY"),
    ("马来西亚", "MY"),
    ("Nigeria", "NG"),
    ("尼日利亚", "NG"),
    ("Niger", "NE"),
    ("Mozambique", "MZ"),
    ("Moçambique", "MZ"),
    ("莫桑比克", "MZ"),
    ("Kenya", "KE"),
    ("肯尼亚", "KE"),
    ("Tanzania", "TZ"),
    ("坦桑尼亚", "TZ"),
    ("South Africa", "ZA"),
    ("Sudáfrica", "ZA"),
    ("南非", "ZA"),
    ("Cameroon", "CM"),
    ("Camerún", "CM"),
    ("Cameroun", "CM"),
    ("Uganda", "UG"),
    ("Angola", "AO"),
    ("Mexico", "MX"),
    ("México", "MX"),
    ("墨西哥", "MX"),
    ("Colombia", "CO"),
    ("Ecuador", "EC"),
    ("Bolivia", "BO"),
    ("Venezuela", "VE"),
    ("Paraguay", "PY"),
    ("Guyana", "GY"),
    ("Guyane", "GF"),
    ("Suriname", "SR"),
    ("Chile", "CL"),
    ("Argentina", "AR"),
    ("Iran", "IR"),
    ("Syria", "SY"),
    ("Turkey", "TR"),
    ("Türkiye", "TR"),
    ("Netherlands", "NL"),
    ("Holland", "NL"),
    ("Países Bajos", "NL"),
    ("Czech Republic", "CZ"),
    ("Czechia", "CZ"),
    ("Swaziland", "SZ"),
    ("Eswatini", "SZ"),
    ("Macedonia", "MK"),
    ("Kosovo", "XK"),
    ("Namibia", "NA"),
    ("  Lao   PDR  ", "LA"),
]

CODES = [
    ("LA", "LA"),
    ("la", "LA"),
    ("LAO", "LA"),
    ("lao", "LA"),
    ("418", "LA"),
    ("NA", "NA"),
    ("na", "NA"),
    ("NAM", "NA"),
    ("HK", "HK"),
    ("MO", "MO"),
    ("TW", "TW"),
    ("HKG", "HK"),
    ("XK", "XK"),
    ("CN", "CN"),
    ("CHN", "CN"),
    ("156", "CN"),
    ("4", "AF"),
    ("004", "AF"),
    ("704.0", "VN"),
    (704, "VN"),
    (156.0, "CN"),
    (np.int64(418), "LA"),
    (np.float64(516.0), "NA"),
]

STATED_UNKNOWNS = [
    "XX",
    "xx",
    "XF",
    "XA",
    "ZZ",
    "XXX",
    "UNK",
    "unknown",
    "Unknown",
    "UNKNOWN",
    "desconocido",
    "inconnu",
    "desconhecido",
    "未知",
    "不明",
    "N/A",
    "n/a",
    "-",
    "?",
    "—",
    "Unkown",
]

MISSPELLINGS = [
    ("Camboida", "KH"),
    ("Mozambiqe", "MZ"),
    ("Phillipines", "PH"),
    ("Austrailia", "AU"),
    ("Tailand", "TH"),
    ("Kazakstan", "KZ"),
]

UNRECOGNISED = [
    "Narnia",
    "Atlantis",
    "QQ",
    "Q",
    "ABC",
    "999",
    "Tambia",
    "Nigera",
    "asdfghjkl",
]


@pytest.mark.parametrize(("text", "code"), NAMES)
def test_names_in_every_language(text, code):
    assert country_match(text) == CountryMatch(code=code, unknown=False, problem=None)


@pytest.mark.parametrize(("text", "code"), CODES)
def test_iso_codes(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", STATED_UNKNOWNS)
def test_pseudo_codes_and_unknown_words_are_stated_unknowns(text):
    assert country_match(text) == CountryMatch(code=None, unknown=True, problem=None)


@pytest.mark.parametrize(("text", "code"), MISSPELLINGS)
def test_misspellings_are_guessed_and_marked(text, code):
    match = country_match(text)
    assert match.code == code
    assert match.fuzzy


@pytest.mark.parametrize("text", UNRECOGNISED)
def test_garbage_gives_one_clear_problem(text):
    match = country_match(text)
    assert match.code is None
    assert not match.unknown
    assert match.problem.startswith(f"'{text}' is not a recognised country name or code")


@pytest.mark.parametrize("text", ["NA", "na", "Na"])
def test_na_is_namibia_never_missing(text):
    assert country_match(text) == CountryMatch(code="NA", unknown=False, problem=None)


@pytest.mark.parametrize("text", ["LU", "LT", "LV", "NE", "NG", "NO", "IN"])
def test_short_codes_are_never_fuzzy(text):
    match = country_match(text)
    assert match.code == text
    assert not match.fuzzy


@pytest.mark.parametrize("text", ["", "   ", None, math.nan, pd.NA, np.nan])
def test_blank_is_none(text):
    assert country_match(text) is None
    assert country_code(text) is None
    assert country_list(text) == ([], [])


def test_bad_type_is_rejected():
    with pytest.raises(TypeError, match="a country should be text"):
        country_match(["CN"])


@pytest.mark.parametrize(
    ("text", "codes", "problem_count"),
    [
        ("CN;LA;VN", ["CN", "LA", "VN"], 0),
        ("CN / LA", ["CN", "LA"], 0),
        ("CN|LA", ["CN", "LA"], 0),
        ("Lao PDR, Viet Nam", ["LA", "VN"], 0),
        ("Thailand -> Malaysia -> China", ["TH", "MY", "CN"], 0),
        ("Thailand → Malaysia > China", ["TH", "MY", "CN"], 0),
        ("老挝、越南", ["LA", "VN"], 0),
        ("老挝，越南", ["LA", "VN"], 0),
        ("老挝和越南", ["LA", "VN"], 0),
        ("中华人民共和国、老挝人民民主共和国", ["CN", "LA"], 0),
        ("Mozambique and Tanzania", ["MZ", "TZ"], 0),
        ("Camerún y Nigeria", ["CM", "NG"], 0),
        ("Cameroun et Gabon", ["CM", "GA"], 0),
        ("Moçambique e Tanzânia", ["MZ", "TZ"], 0),
        ("Hong Kong, China", ["HK"], 0),
        ("Korea, Republic of", ["KR"], 0),
        ("Congo, The Democratic Republic of the", ["CD"], 0),
        ("Taiwan, Province of China", ["TW"], 0),
        ("Hong Kong, China; Viet Nam", ["HK", "VN"], 0),
        ("Korea, Republic of, Viet Nam", ["KR", "VN"], 0),
        ("Trinidad and Tobago", ["TT"], 0),
        ("Trinidad and Tobago and Guyana", ["TT", "GY"], 0),
        ("Bosnia y Herzegovina y Serbia", ["BA", "RS"], 0),
        ("Hong Kong; China", ["HK", "CN"], 0),
        ("CN LA VN", ["CN", "LA", "VN"], 0),
        ("CN;cn;China;中国", ["CN"], 0),
        ("XX; Lao PDR", ["LA"], 0),
        ("unknown / Viet Nam", ["VN"], 0),
        ("n/a", [], 0),
        ("unknown", [], 0),
        ("NA; ZA", ["NA", "ZA"], 0),
        ("Camboida y Laos", ["KH", "LA"], 0),
        ("Nigeria, Narnia, XX", ["NG"], 1),
        ("Narnia; Gondor", [], 2),
        ("Lao PDR", ["LA"], 0),
    ],
)
def test_country_lists(text, codes, problem_count):
    found, problems = country_list(text)
    assert found == codes
    assert len(problems) == problem_count


def test_list_problem_names_the_part():
    assert country_list("Viet Nam; Narnia") == (
        ["VN"],
        ["'Narnia' is not a recognised country name or code"],
    )


def test_list_result_is_a_fresh_list():
    codes, _ = country_list("CN;LA")
    codes.append("ZZ")
    assert country_list("CN;LA") == (["CN", "LA"], [])


@pytest.mark.parametrize(
    ("code", "language", "name"),
    [
        ("LA", "en", "Lao PDR"),
        ("LA", "zh", "老挝"),
        ("VN", "en", "Viet Nam"),
        ("HK", "en", "Hong Kong SAR, China"),
        ("MO", "en", "Macao SAR, China"),
        ("TW", "en", "Taiwan, Province of China"),
        ("TW", "zh", "中国台湾"),
        ("HK", "zh", "中国香港"),
        ("CN", "fr", "Chine"),
        ("BR", "pt", "Brasil"),
        ("BR", "pt_BR", "Brasil"),
        ("KH", "zh-CN", "柬埔寨"),
        ("MX", "es", "México"),
        ("la", "en", "Lao PDR"),
        ("NA", "en", "Namibia"),
        ("LA", "lo", "Lao PDR"),
        ("QQ", "en", "QQ"),
        ("unknown", "zh", "unknown"),
    ],
)
def test_country_names(code, language, name):
    assert country_name(code, language) == name


@pytest.mark.parametrize(
    ("code", "expected"),
    [("LA", True), ("NA", True), ("XK", True), ("la", False), ("XX", False), ("UK", False)],
)
def test_is_country_code(code, expected):
    assert is_country_code(code) is expected


def test_country_table_has_one_row_per_code():
    countries = load_countries()
    assert countries["iso2"].is_unique
    assert countries["iso3"].is_unique
    assert len(countries) >= 249
    assert "NA" in set(countries["iso2"])
    assert list(countries.columns) == [
        "iso2",
        "iso3",
        "numeric",
        "name_en",
        "name_zh",
        "name_es",
        "name_fr",
        "name_pt",
    ]
    numeric = countries.loc[countries["iso2"] != "XK", "numeric"]
    assert numeric.str.fullmatch(r"\d{3}").all()
    assert numeric.is_unique


def test_load_countries_returns_a_copy():
    countries = load_countries()
    countries.loc[:, "name_en"] = "changed"
    assert load_countries().loc[0, "name_en"] != "changed"


@pytest.mark.parametrize("language", ["en", "zh", "es", "fr", "pt"])
def test_display_names_are_filled_unique_and_read_back(language):
    countries = load_countries()
    names = countries[f"name_{language}"]
    assert (names != "").all()
    assert names.is_unique
    for code, name in zip(countries["iso2"], names, strict=True):
        assert country_code(name) == code, name


def _aliases() -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / "country_aliases.csv", dtype=str, keep_default_na=False)


def test_no_alias_points_to_two_countries():
    aliases = _aliases()
    keys = aliases.assign(key=aliases["alias"].map(_normalise_key))
    codes_per_key = keys.groupby("key")["iso2"].nunique()
    assert codes_per_key.max() == 1, codes_per_key[codes_per_key > 1]


def test_every_alias_reads_back_to_its_country():
    aliases = _aliases()
    known = set(load_countries()["iso2"])
    assert set(aliases["iso2"]) <= known
    wrong = [
        (alias, code)
        for alias, code in zip(aliases["alias"], aliases["iso2"], strict=True)
        if country_code(alias) != code
    ]
    assert wrong == []


def test_alias_table_holds_no_pseudo_codes():
    aliases = _aliases()
    for text in ("XX", "ZZ", "UNK", "unknown", "未知", "N/A"):
        assert _normalise_key(text) not in set(aliases["alias"].map(_normalise_key))
    assert "curated" in set(aliases["source"])


# -- qualifiers, long official forms and words for "several/unknown" ----------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("China - Macao", "MO"),
        ("China – Hong Kong", "HK"),
        ("China, Hong Kong SAR", "HK"),
        ("Hong Kong (China)", "HK"),
        ("Taiwan (China)", "TW"),
        ("China, Taiwan", "TW"),
        ("Congo (Kinshasa)", "CD"),
        ("Congo (Brazzaville)", "CG"),
        ("Congo (Dem. Rep.)", "CD"),
        ("Congo (DRC)", "CD"),
        ("Korea (South)", "KR"),
        ("Guinea (Conakry)", "GN"),
        ("Guinea (Bissau)", "GW"),
        ("Lao People's Democratic Republic", "LA"),
        ("Viet Nam", "VN"),
        ("Viet Nam (VNM)", "VN"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d Ivoire", "CI"),
        ("Brazil (BR)", "BR"),
        ("BR - Brazil", "BR"),
        ("Mexico [MX]", "MX"),
        ("Myanmar (Burma)", "MM"),
        ("United States of America (USA)", "US"),
        ("Netherlands (the)", "NL"),
        ("Kenya (Mombasa)", "KE"),
        ("China (Yunnan)", "CN"),
    ],
)
def test_countries_written_with_qualifiers_and_long_forms(text, code):
    match = country_match(text)
    assert match == CountryMatch(code=code, unknown=False, problem=None)
    assert country_list(text) == ([code], [])


def test_two_countries_joined_like_a_qualifier_stay_two_in_lists():
    assert country_match("Laos - Vietnam").code is None
    assert country_list("Laos - Vietnam") == (["LA", "VN"], [])
    assert country_list("Laos, Vietnam") == (["LA", "VN"], [])
    # A shared name with a qualifier that is not a country is not guessed.
    assert country_match("Congo (north)").code is None


@pytest.mark.parametrize(
    "text",
    ["Various", "various countries", "Several", "Multiple", "Other", "Not applicable",
     "Unknown", "unknown country", "N/A", "-", "Varios", "Diversos", "Plusieurs pays", "其他"],
)  # fmt: skip
def test_words_for_several_or_unknown_countries_are_a_stated_unknown(text):
    assert country_match(text) == CountryMatch(code=None, unknown=True, problem=None)
    assert country_list(text) == ([], [])


def _normalised(raw: pd.DataFrame):
    """Normalise a small frame as the importer does."""
    from geo.ingest.headers import map_columns
    from geo.ingest.normalise import NormaliseOptions, normalise_chunk

    return normalise_chunk(raw, map_columns(list(raw.columns)), NormaliseOptions())


def test_various_as_seizing_country_is_kept_in_extra_and_the_row_placed_by_its_location():
    raw = pd.DataFrame(
        {
            "Date": ["2021-03-04", "2021-03-04", "2021-03-04", "2021-03-04"],
            "Country": ["Various", "Unknown", "N/A", "Various"],
            "Location": ["Manaus", None, "Jomo Kenyatta International Airport", None],
            "Latitude": [None, "-1.3", None, None],
            "Longitude": [None, "36.9", None, None],
            "Species": ["Manis javanica"] * 4,
        },
        index=pd.RangeIndex(2, 6),
        dtype=object,
    )
    result = _normalised(raw)
    records = result.records
    # Placed by the location (rows 2, 4) or by coordinates (row 3): accepted.
    assert records.loc[[2, 3, 4], "lat"].notna().all()
    assert records.loc[2, "coord_precision"] == "city"
    assert records.loc[4, "coord_precision"] == "airport"
    assert records["seizing_country"].isna().all()
    assert [json.loads(extra)["Country (as written)"] for extra in records["extra"]] == [
        "Various",
        "Unknown",
        "N/A",
        "Various",
    ]
    # Only the row with nothing else to place it is quarantined.
    assert result.errors["row"].tolist() == [5]
    assert result.errors["reason"].tolist() == [
        "neither a seizing country nor coordinates are given"
    ]
    assert result.warnings.empty
