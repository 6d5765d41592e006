"""Tests for offline geocoding of location texts (airports, seaports, crossings, cities)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.reference import places
from geo.schema import COORD_PRECISIONS, LOCATION_TYPES
from geo.spatial import geocode, place_index
from geo.spatial.geocode import Geocoded, geocode_frame, geocode_place


def code_of(found: Geocoded | None) -> str | None:
    """The IATA code, UN/LOCODE or crossing id a match starts with."""
    return None if found is None else found.matched.split(" ")[0]


AIRPORTS = [
    ("Jomo Kenyatta International Airport", None, "NBO"),
    ("JOMO KENYATTA INTERNATIONAL AIRPORT", None, "NBO"),
    ("Suvarnabhumi Airport", None, "BKK"),
    ("Hong Kong International Airport", None, "HKG"),
    ("Hong Kong airport", None, "HKG"),
    ("Chek Lap Kok", None, "HKG"),
    ("JFK Airport", None, "JFK"),
    ("NBO", None, "NBO"),
    ("CAN", None, "CAN"),
    ("VTBS", None, "BKK"),
    ("Nairobi (NBO)", None, "NBO"),
    ("Aeropuerto Internacional Jorge Chávez", None, "LIM"),
    ("Jorge Chavez", "PE", "LIM"),
    ("Aéroport international de Yaoundé-Nsimalen", None, "NSI"),
    ("白云机场", None, "CAN"),
    ("虹桥机场", None, "SHA"),
    ("Shanghai Pudong", None, "PVG"),
    ("Aeroporto Internacional de São Paulo/Guarulhos", None, "GRU"),
    ("Benito Juárez", "MX", "MEX"),
    ("Mariscal Sucre", "EC", "UIO"),
    ("El Dorado International Airport", None, "BOG"),
    ("El Dorado Airport", "CO", "BOG"),
    ("OR Tambo", None, "JNB"),
    ("Julius Nyerere International Airport", None, "DAR"),
    ("Entebbe Airport", None, "EBB"),
    ("Murtala Mohammed International Airport", None, "LOS"),
    ("Addis Ababa Bole International Airport", None, "ADD"),
    ("Bole airport", "ET", "ADD"),
    ("Changi Airport", None, "SIN"),
    ("KLIA", None, "KUL"),
    ("Sân bay Tân Sơn Nhất", None, "SGN"),
    ("Noi Bai", "VN", "HAN"),
    ("Wattay International Airport", "LA", "VTE"),
    ("Don Mueang International Airport", None, "DMK"),
    ("Mombasa airport", "KE", "MBA"),
    ("Moi International Airport", "KE", "MBA"),
]


@pytest.mark.parametrize(("text", "country", "iata"), AIRPORTS)
def test_airports(text, country, iata):
    found = geocode_place(text, country)
    assert code_of(found) == iata
    assert found.precision == "airport"
    assert found.location_type == "airport"


@pytest.mark.parametrize("text", ["KMG", "Kunming Changshui International Airport", "长水机场"])
def test_kunming_is_changshui_not_the_closed_wujiaba_airport(text):
    found = geocode_place(text, None)
    assert code_of(found) == "KMG"
    assert (found.lat, found.lon) == pytest.approx((25.1019, 102.9292))
    assert "Changshui" in found.matched


SEAPORTS = [
    ("Port of Mombasa", None, "KEMBA"),
    ("Mombasa port", None, "KEMBA"),
    ("Kilindini Harbour", None, "KEMBA"),
    ("KEMBA", None, "KEMBA"),
    ("KE MBA", None, "KEMBA"),
    ("Cat Lai", None, "VNSGN"),
    ("Haiphong port", None, "VNHPH"),
    ("海防港", None, "VNHPH"),
    ("Cảng Hải Phòng", None, "VNHPH"),
    ("Puerto de Callao", None, "PECLL"),
    ("Port de Douala", None, "CMDLA"),
    ("Port Klang", None, "MYPKG"),
    ("Puerto de Manzanillo", "MX", "MXZLO"),
    ("Port of Tema", "GH", "GHTEM"),
]


@pytest.mark.parametrize(("text", "country", "locode"), SEAPORTS)
def test_seaports(text, country, locode):
    found = geocode_place(text, country)
    assert code_of(found) == locode
    assert found.precision == "seaport"
    assert found.location_type == "seaport"


CROSSINGS = [
    ("Boten", None, "boten-mohan"),
    ("Mohan", "CN", "boten-mohan"),
    ("Mohan port", None, "boten-mohan"),
    ("磨憨口岸", None, "boten-mohan"),
    ("云南省勐腊县磨憨口岸", None, "boten-mohan"),
    ("Boten–Mohan", None, "boten-mohan"),
    ("Lao Cai", None, "hekou-laocai"),
    ("Hekou", "CN", "hekou-laocai"),
    ("河口", None, "hekou-laocai"),
    ("友谊关", None, "youyiguan-huunghi"),
    ("凭祥", None, "youyiguan-huunghi"),
    ("Friendship Pass", None, "youyiguan-huunghi"),
    ("东兴", None, "dongxing-mongcai"),
    ("Móng Cái", "VN", "dongxing-mongcai"),
    ("瑞丽", None, "ruili-muse"),
    ("Namanga border", "KE", "namanga"),
    ("Tijuana border crossing", "MX", "tijuana-sanysidro"),
    ("Friendship Bridge", "NP", "zhangmu-kodari"),
]


@pytest.mark.parametrize(("text", "country", "crossing_id"), CROSSINGS)
def test_border_crossings(text, country, crossing_id):
    found = geocode_place(text, country)
    assert code_of(found) == crossing_id
    assert found.precision == "city"
    assert found.location_type == "land_border"


CITIES = [
    ("Nairobi", "KE", "Nairobi, KE", None),
    ("NAIROBI", None, "Nairobi, KE", None),
    ("Nairobi, Kenya", None, "Nairobi, KE", None),
    ("Haiphong", "VN", "Haiphong, VN", None),
    ("Singapore", None, "Singapore, SG", None),
    ("Hong Kong", None, "Hong Kong, HK", None),
    ("香港", None, "Hong Kong, HK", None),
    ("Kuwait", None, "Kuwait City, KW", None),
    ("Lagos", None, "Lagos, NG", None),
    ("Vientiane", None, "Vientiane, LA", None),
    ("Tijuana", "MX", "Tijuana, MX", None),
    ("ICA", "PE", "Ica, PE", None),
    ("Nairobi airport", "KE", "Nairobi, KE", "airport"),
    ("内罗毕机场", None, "Nairobi, KE", "airport"),
    ("Bangkok airport", None, "Bangkok, TH", "airport"),
    ("Kunming international mail centre", "CN", "Kunming, CN", "mail_centre"),
    ("广州国际邮件互换局", None, "Guangzhou, CN", "mail_centre"),
    (
        "Santa Cruz de la Sierra international mail centre",
        "BO",
        "Santa Cruz de la Sierra, BO",
        "mail_centre",
    ),
    ("Manaus market", "BR", "Manaus, BR", "market"),
    ("Nairobi customs", None, "Nairobi, KE", None),
    ("Inland Container Depot, Nairobi", "KE", "Nairobi, KE", None),
]


@pytest.mark.parametrize(("text", "country", "matched", "location_type"), CITIES)
def test_cities(text, country, matched, location_type):
    found = geocode_place(text, country)
    assert found.matched == matched
    assert found.precision == "city"
    assert found.location_type == location_type


def test_a_misspelt_city_is_corrected_within_its_country_and_says_so():
    found = geocode_place("Nairobbi", "KE")
    assert found.matched == "Nairobi, KE (fuzzy)"
    assert geocode_place("Nairobbi", None) is None


def test_a_misspelt_airport_is_corrected_within_its_country():
    found = geocode_place("Suvarnabumi Airport", "TH")
    assert code_of(found) == "BKK"
    assert found.matched.endswith("(fuzzy)")


def test_a_crossing_town_that_is_also_a_large_city_elsewhere_reads_as_that_city():
    found = geocode_place("Pingxiang", "CN")
    assert found.location_type is None
    assert found.lat > 27  # Pingxiang in Jiangxi; the Guangxi border town is at 22.1 N


COUNTRIES = [
    (None, "LA", "LA (capital Vientiane)"),
    ("", "KE", "KE (capital Nairobi)"),
    ("xqzzy blorf", "KE", "KE (capital Nairobi)"),
    ("NBO", "TZ", "TZ (capital Dodoma)"),
    ("Mexico", None, "MX (capital Mexico City)"),
    ("USA", None, "US (capital Washington)"),
    ("Lao PDR", None, "LA (capital Vientiane)"),
    ("somewhere, Viet Nam", None, "VN (capital Hanoi)"),
]


@pytest.mark.parametrize(("text", "country", "matched"), COUNTRIES)
def test_country_fallback_is_the_capital(text, country, matched):
    found = geocode_place(text, country)
    assert found.matched == matched
    assert found.precision == "country"
    assert found.location_type is None


NOTHING = [
    ("xqzzy blorf", None),  # nonsense
    (None, None),
    ("   ", None),
    (float("nan"), "XX"),  # missing text, pseudo-country
    ("El Dorado Airport", None),  # Bogotá, Argentina and Venezuela all have one
    ("Manzanillo port", None),  # Cuba, Dominican Republic, Mexico and Panama
    ("Lagos port", None),  # Nigeria and Portugal
    ("Friendship Bridge", None),  # three crossings
    ("San Jose", None),  # the US and Costa Rican cities are of similar size
    ("ICA", None),  # Icabarú's airport code, and the Peruvian city of Ica
    ("Kenya / Tanzania", None),  # two countries
]


@pytest.mark.parametrize(("text", "country"), NOTHING)
def test_nonsense_and_ambiguous_texts_give_nothing(text, country):
    assert geocode_place(text, country) is None


def test_country_restricts_the_candidates():
    assert code_of(geocode_place("NBO", "KE")) == "NBO"
    assert geocode_place("Kampala", "KE").precision == "country"
    assert code_of(geocode_place("NBO", "ke")) == "NBO"  # a lower-case country code is read


def test_every_curated_alias_reads_as_its_place():
    aliases = pd.read_csv(place_index.PLACE_ALIASES_FILE, dtype=str, keep_default_na=False)
    assert set(aliases["kind"]) <= set(LOCATION_TYPES)
    for row in aliases.itertuples():
        assert code_of(geocode_place(row.alias, None)) == row.code, row.alias


def test_every_crossing_reads_by_its_name_and_id():
    for row in places.load_border_crossings().itertuples():
        assert code_of(geocode_place(row.name, None)) == row.crossing_id
        assert code_of(geocode_place(row.crossing_id, None)) == row.crossing_id


@pytest.mark.parametrize(
    ("text", "country"),
    [*((t, c) for t, c, _ in AIRPORTS + SEAPORTS + CROSSINGS), *((t, c) for t, c, _ in COUNTRIES)],
)
def test_answers_use_the_schema_vocabularies(text, country):
    found = geocode_place(text, country)
    assert found.precision in COORD_PRECISIONS
    assert found.location_type is None or found.location_type in LOCATION_TYPES
    assert -90 <= found.lat <= 90
    assert -180 <= found.lon <= 180


def test_frame_is_aligned_to_the_input_index():
    names = pd.Series(
        ["NBO", None, "Port of Mombasa", "xqzzy blorf", "NBO", "Boten"], index=[10, 3, 7, 1, 2, 99]
    )
    countries = pd.Series(["KE", "LA", np.nan, None, "KE", "LA"], index=names.index)
    frame = geocode_frame(names, countries)
    assert list(frame.columns) == ["lat", "lon", "precision", "location_type", "matched"]
    assert list(frame.index) == [10, 3, 7, 1, 2, 99]
    assert frame["lat"].dtype == np.float64
    assert frame.loc[10, "precision"] == "airport"
    assert frame.loc[3, "precision"] == "country"
    assert frame.loc[7, "matched"] == "KEMBA Mombasa"
    assert math.isnan(frame.loc[1, "lat"])
    assert frame.loc[1, "matched"] is None
    assert frame.loc[2, "matched"] == frame.loc[10, "matched"]
    assert frame.loc[99, "location_type"] == "land_border"


def test_frame_resolves_each_distinct_pair_once(monkeypatch):
    calls = []

    def counting(text, country):
        calls.append((text, country))
        return None

    monkeypatch.setattr(geocode, "_geocode_cached", counting)
    names = pd.Series(["NBO", "NBO", " NBO ", "NBO", None, None])
    countries = pd.Series(["KE", "KE", "KE", "TZ", "LA", "la"])
    geocode_frame(names, countries)
    assert sorted(calls, key=str) == sorted([("NBO", "KE"), ("NBO", "TZ"), (None, "LA")], key=str)


def test_frame_of_nothing_and_length_mismatch():
    empty = geocode_frame(pd.Series([], dtype=object), pd.Series([], dtype=object))
    assert empty.empty
    assert list(empty.columns) == ["lat", "lon", "precision", "location_type", "matched"]
    with pytest.raises(ValueError, match="same length"):
        geocode_frame(pd.Series(["NBO"]), pd.Series(["KE", "TZ"]))


# -- states and provinces: "City, ST" texts and city/province columns ----------------------


@pytest.mark.parametrize(
    ("text", "country", "matched", "precision"),
    [
        ("Manaus, AM", None, "Manaus, BR", "city"),
        ("Manaus, AM", "BR", "Manaus, BR", "city"),
        ("Manaus, AM, Brazil", None, "Manaus, BR", "city"),
        ("Boa Vista, RR", "BR", "Boa Vista, BR", "city"),
        ("Houston, TX", None, "Houston, US", "city"),
        ("Guadalajara, JAL", "MX", "Guadalajara, MX", "city"),  # not the airport coded JAL
        ("Guadalajara, Jal.", None, "Guadalajara, MX", "city"),
        ("Kunming, Yunnan", None, "Kunming, CN", "city"),
        ("Bogotá, Cundinamarca", "CO", "Bogotá, CO", "city"),  # a district of its own
        ("Yunnan Province", "CN", "Yunnan, CN", "admin1"),
        ("云南省", "CN", "Yunnan, CN", "admin1"),
        ("Amazonas", "BR", "Amazonas, BR", "admin1"),
        ("Somewhere unknown, AM", "BR", "Amazonas, BR", "admin1"),
    ],
)
def test_texts_naming_a_state_or_province(text, country, matched, precision):
    found = geocode_place(text, country)
    assert found is not None
    assert (found.matched, found.precision) == (matched, precision)
    assert found.location_type is None


def test_a_state_code_picks_the_city_of_that_state():
    illinois = geocode_place("Springfield, IL", "US")
    missouri = geocode_place("Springfield, MO", "US")
    assert illinois.lat == pytest.approx(39.80, abs=0.05)  # Illinois' capital
    assert missouri.lat == pytest.approx(37.22, abs=0.05)
    assert illinois.precision == missouri.precision == "city"


def test_a_crossing_town_named_with_its_province_is_still_the_crossing():
    found = geocode_place("Boten, Luang Namtha", "LA")
    assert found.location_type == "land_border"
    assert code_of(found) == "boten-mohan"


def test_without_a_country_a_bare_state_code_places_nothing_alone():
    # "AM" alone could be Amazonas or Armenia: only a city found in the state counts.
    found = geocode_place("Nowhere, AM", None)
    assert found is None or found.precision != "admin1"
    # "LA" is Louisiana and Laos: Boten is not in Louisiana, so the text is read as before.
    assert code_of(geocode_place("Boten, LA", None)) == code_of(geocode_place("Boten", "LA"))


def test_geocode_places_reads_city_and_province_columns():
    cities = pd.Series(
        ["Kunming", None, "Manaus, AM", "Springfield", "Nowhere", "Leticia", None, None],
        index=list("abcdefgh"),
        dtype=object,
    )
    provinces = pd.Series(
        ["Yunnan", "云南省", None, "IL", "Amazonas", "Amazonas", "AM", "Lào Cai"],
        index=list("abcdefgh"),
        dtype=object,
    )
    countries = pd.Series(
        ["CN", "CN", None, "US", "BR", "CO", None, "VN"], index=list("abcdefgh"), dtype=object
    )
    found = geocode.geocode_places(cities, provinces, countries)
    assert found.index.tolist() == list("abcdefgh")
    assert found["precision"].tolist() == [
        "city",
        "admin1",
        "city",
        "city",
        "admin1",  # the city is unknown: the state's capital stands for it
        "city",  # Leticia, in Colombia's Amazonas
        None,  # a bare code without a country is not guessed
        "admin1",  # a province the table lacks, placed at its namesake capital
    ]
    assert found.loc["c", "matched"] == "Manaus, BR"
    assert found.loc["d", "lat"] == pytest.approx(39.80, abs=0.05)
    assert code_of(found.loc["f"]) == "tabatinga-leticia"  # a crossing town: the crossing
    assert math.isnan(found.loc["g", "lat"])


def test_every_listed_division_is_tied_to_a_city_of_its_country():
    table = places.load_admin1()
    assert {"BR", "MX", "US", "CN", "LA", "CO", "PE"} <= set(table["country"])
    assert not table.duplicated(["country", "code"]).any()
    assert not table.duplicated(["country", "geonames_admin1"]).any()
    index = place_index.load_place_index()
    pairs = set(zip(index.city_country, index.city_admin1, strict=True))
    for row in table.itertuples(index=False):
        assert (row.country, row.geonames_admin1) in pairs, row.code
        assert -90 <= row.lat <= 90 and -180 <= row.lon <= 180


def _normalised(raw: pd.DataFrame):
    """Normalise a small frame as the importer does."""
    from geo.ingest.headers import map_columns
    from geo.ingest.normalise import NormaliseOptions, normalise_chunk

    return normalise_chunk(raw, map_columns(list(raw.columns)), NormaliseOptions())


def test_hierarchy_columns_place_rows_without_coordinates():
    raw = pd.DataFrame(
        {
            "Fecha": ["2021-03-04"] * 6,
            "País": ["Brasil", "México", "China", "Colombia", "Various", "Perú"],
            "Estado": ["AM", "Jal.", "云南省", None, None, "Atlantis"],
            "Ciudad": ["Manaus", "Guadalajara", None, "Leticia", "Manaus, AM", None],
            "Especie": ["Manis javanica"] * 6,
        },
        index=pd.RangeIndex(2, 8),
        dtype=object,
    )
    result = _normalised(raw)
    records = result.records
    assert records["seizing_country"].tolist()[:4] == ["BR", "MX", "CN", "CO"]
    assert records["coord_precision"].tolist() == [
        "city",
        "city",
        "admin1",
        "city",
        "city",  # no country: "Manaus, AM" still finds the city (enrichment sets BR)
        "country",  # an unknown province: the country places the record, as before
    ]
    assert records["location_name"].tolist() == [
        "Manaus, AM",
        "Guadalajara, Jal.",
        "云南省",
        "Leticia",
        "Manaus, AM",
        "Atlantis",
    ]
    assert records.loc[2, "lat"] == pytest.approx(-3.10, abs=0.05)
    assert result.errors.empty


def test_a_location_column_is_geocoded_first_and_the_hierarchy_refines_a_country_point():
    raw = pd.DataFrame(
        {
            "Date": ["2021-03-04"] * 3,
            "Country": ["US", "US", "US"],
            "Place of seizure": ["JFK Airport", "warehouse 7", None],
            "State": ["NY", "IL", "TX"],
            "City": [None, "Springfield", "Houston"],
            "Species": ["Manis javanica"] * 3,
        },
        dtype=object,
    )
    records = _normalised(raw).records
    assert records["coord_precision"].tolist() == ["airport", "city", "city"]
    assert records["location_name"].tolist() == ["JFK Airport", "warehouse 7", "Houston, TX"]
    assert records.loc[1, "lat"] == pytest.approx(39.80, abs=0.05)
