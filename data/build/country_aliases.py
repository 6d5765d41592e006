"""Build data/reference/countries.csv and country_aliases.csv from pycountry's ISO 3166 data.

Run from the repository root:

    python data/build/country_aliases.py

pycountry ships the Debian iso-codes data: ISO 3166-1 codes and names, and gettext
catalogues with their translations (LGPL-2.1-or-later).  This script takes the names in
English, Spanish, French, Portuguese and Chinese from those catalogues, adds the display
names and the hand-curated spellings below, resolves any alias that would point to two
countries, and writes both tables sorted, so a rebuild gives a readable diff.
"""

from __future__ import annotations

import csv
import gettext
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pycountry

REPO_ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
COUNTRIES_FILE = REFERENCE_DIR / "countries.csv"
ALIASES_FILE = REFERENCE_DIR / "country_aliases.csv"

# Catalogue locales read for aliases; the order after "en" is the tie-break order.
CATALOGUE_LOCALES = ("en", "es", "fr", "pt", "pt_BR", "zh_CN", "zh_TW", "zh_HK")

# When one alias would point to two countries, the row whose source comes first wins;
# a spelling listed by several sources keeps the first.  Display names are built from the
# catalogues and the overrides, so they are listed under their own source only when new.
SOURCE_PRIORITY = (
    "curated",
    "iso_en",
    "iso_alpha3",
    *(f"iso_{locale}" for locale in CATALOGUE_LOCALES if locale != "en"),
    "display",
)

# Display-name columns and the catalogue each is translated from.  Portuguese display
# names follow Brazil (pt_BR), for the Latin American meetings the product serves; the
# European Portuguese names are still aliases.
DISPLAY_LOCALES = {"en": None, "zh": "zh_CN", "es": "es", "fr": "fr", "pt": "pt_BR"}

# Kosovo has no ISO 3166-1 code; XK (and XKX) are the user-assigned codes the EU, the
# IMF and most data providers use for it.
KOSOVO = {
    "iso2": "XK",
    "iso3": "XKX",
    "numeric": "",
    "name_en": "Kosovo",
    "name_zh": "科索沃",
    "name_es": "Kosovo",
    "name_fr": "Kosovo",
    "name_pt": "Kosovo",
}

# Display names, where the catalogue's is inverted ("Korea, Republic of"), long, wrong
# ("柬埔塞") or not the usual form.  Hong Kong, Macao and Taiwan follow the wording used
# by China and by ISO: see data/README.md.
DISPLAY_OVERRIDES: dict[str, dict[str, str]] = {
    "en": {
        "BN": "Brunei",
        "BO": "Bolivia",
        "CD": "DR Congo",
        "FM": "Micronesia",
        "HK": "Hong Kong SAR, China",
        "IR": "Iran",
        "KP": "DPR Korea",
        "KR": "Republic of Korea",
        "LA": "Lao PDR",
        "MD": "Moldova",
        "MO": "Macao SAR, China",
        "PS": "Palestine",
        "RU": "Russia",
        "SY": "Syria",
        "TW": "Taiwan, Province of China",
        "TZ": "Tanzania",
        "VA": "Holy See",
        "VE": "Venezuela",
        "VG": "British Virgin Islands",
        "VI": "US Virgin Islands",
        "VN": "Viet Nam",
    },
    "zh": {
        "BD": "孟加拉国",
        "BO": "玻利维亚",
        "CD": "刚果（金）",
        "CG": "刚果（布）",
        "FK": "福克兰群岛（马尔维纳斯）",
        "GT": "危地马拉",
        "HK": "中国香港",
        "KG": "吉尔吉斯斯坦",
        "KH": "柬埔寨",
        "KP": "朝鲜",
        "KR": "韩国",
        "MO": "中国澳门",
        "PF": "法属波利尼西亚",
        "TW": "中国台湾",
        "CC": "科科斯（基林）群岛",
    },
    "es": {
        "CD": "República Democrática del Congo",
        "CI": "Costa de Marfil",
        "FM": "Micronesia",
        "HK": "RAE de Hong Kong, China",
        "IR": "Irán",
        "KM": "Comoras",
        "KP": "RPD de Corea",
        "KR": "República de Corea",
        "LA": "RDP Lao",
        "MO": "RAE de Macao, China",
        "PS": "Palestina",
        "RU": "Rusia",
        "SR": "Surinam",
        "TN": "Túnez",
        "TW": "Taiwán, Provincia de China",
        "VG": "Islas Vírgenes Británicas",
        "VI": "Islas Vírgenes de los Estados Unidos",
        "VN": "Viet Nam",
    },
    "fr": {
        "AX": "Îles Åland",
        "CC": "Îles Cocos (Keeling)",
        "CX": "Île Christmas",
        "FK": "Îles Malouines (Falkland)",
        "FM": "Micronésie",
        "HK": "RAS de Hong Kong, Chine",
        "IR": "Iran",
        "KP": "RPD de Corée",
        "KR": "République de Corée",
        "LA": "RDP lao",
        "MO": "RAS de Macao, Chine",
        "PS": "Palestine",
        "RE": "La Réunion",
        "RU": "Russie",
        "SB": "Îles Salomon",
        "TW": "Taïwan, province de Chine",
        "VI": "Îles Vierges des États-Unis",
        "VN": "Viet Nam",
    },
    "pt": {
        "BF": "Burkina Faso",
        "BY": "Bielorrússia",
        "CD": "República Democrática do Congo",
        "ER": "Eritreia",
        "FM": "Micronésia",
        "HK": "RAE de Hong Kong, China",
        "KP": "RPD da Coreia",
        "KR": "República da Coreia",
        "LA": "RDP do Laos",
        "MO": "RAE de Macau, China",
        "PS": "Palestina",
        "RU": "Rússia",
        "TW": "Taiwan, Província da China",
        "VG": "Ilhas Virgens Britânicas",
        "VI": "Ilhas Virgens Americanas",
    },
}

# Spellings agencies write that the ISO catalogues lack, in the five languages: short
# and official forms, abbreviations, former names, and Chinese names in both scripts.
CURATED: dict[str, tuple[str, ...]] = {
    "AE": (
        "UAE",
        "U.A.E.",
        "Emirates",
        "United Arab Emirate",
        "Emiratos Árabes Unidos",
        "EAU",
        "E.A.U.",
        "Émirats arabes unis",
        "Emirats Arabes Unis",
        "Emirados Árabes Unidos",
        "阿联酋",
        "阿拉伯联合酋长国",
        "阿聯酋",
    ),
    "AO": ("Angola", "安哥拉"),
    "AR": ("Argentina", "Argentine", "阿根廷"),
    "AU": ("Australia", "澳大利亚", "澳洲"),
    "BA": ("Bosnia", "Bosnia-Herzegovina", "Bosnia & Herzegovina"),
    "BD": ("Bangladesh", "孟加拉国", "孟加拉"),
    "BE": ("Belgium", "Bélgica", "Belgique", "比利时"),
    "BJ": ("Benin", "Bénin", "Benín", "贝宁", "Dahomey"),
    "BO": ("Bolivia", "Bolívia", "Bolivie", "玻利维亚"),
    "BR": ("Brazil", "Brasil", "Brésil", "巴西"),
    "BW": ("Botswana", "Botsuana", "博茨瓦纳"),
    "BY": ("Belarus", "Bielorrusia", "Biélorussie", "Bielorrússia", "白俄罗斯"),
    "CA": ("Canada", "Canadá", "加拿大"),
    "CD": (
        "DRC",
        "D.R.C.",
        "DR Congo",
        "D.R. Congo",
        "DR of Congo",
        "DR of the Congo",
        "Congo DR",
        "Congo, DR",
        "Congo, Dem. Rep.",
        "Congo Dem. Rep.",
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "Zaire",
        "RDC",
        "R.D.C.",
        "RD Congo",
        "R.D. Congo",
        "República Democrática del Congo",
        "República Democrática do Congo",
        "République démocratique du Congo",
        "刚果（金）",
        "刚果金",
        "刚果民主共和国",
        "民主刚果",
        "剛果民主共和國",
    ),
    "CF": ("CAR", "Central African Rep.", "Centrafrique", "中非", "中非共和国"),
    "CG": (
        "Republic of Congo",
        "Republic of the Congo",
        "Congo, Rep.",
        "Congo Rep.",
        "Congo-Brazzaville",
        "Congo (Brazzaville)",
        "República del Congo",
        "República do Congo",
        "République du Congo",
        "刚果（布）",
        "刚果布",
        "刚果共和国",
    ),
    "CH": ("Switzerland", "Suiza", "Suisse", "Suíça", "瑞士"),
    "CI": (
        "Ivory Coast",
        "Côte d'Ivoire",
        "Cote d'Ivoire",
        "Côte d’Ivoire",
        "Costa de Marfil",
        "Costa do Marfim",
        "Cote dIvoire",
        "科特迪瓦",
        "象牙海岸",
    ),
    "CL": ("Chile", "Chili", "智利"),
    "CM": ("Cameroon", "Camerún", "Cameroun", "Camarões", "喀麦隆"),
    "CN": (
        "China",
        "PRC",
        "P.R.C.",
        "P.R. China",
        "PR China",
        "P R China",
        "People's Republic of China",
        "Peoples Republic of China",
        "China, People's Republic of",
        "Mainland China",
        "China (mainland)",
        "China mainland",
        "Chinese mainland",
        "República Popular China",
        "República Popular de China",
        "República Popular da China",
        "RP China",
        "R.P. China",
        "RPC",
        "R.P.C.",
        "China continental",
        "Chine",
        "République populaire de Chine",
        "Chine continentale",
        "中国",
        "中国大陆",
        "中国内地",
        "中华人民共和国",
        "中國",
        "中國大陸",
        "中華人民共和國",
    ),
    "CO": ("Colombia", "Colombie", "Colômbia", "Columbia", "哥伦比亚"),
    "CV": ("Cape Verde", "Cabo Verde", "Cap-Vert", "佛得角"),
    "CZ": ("Czech Republic", "Czechia", "República Checa", "République tchèque", "捷克"),
    "DE": ("Germany", "Alemania", "Allemagne", "Alemanha", "德国"),
    "EC": ("Ecuador", "Équateur", "Equador", "厄瓜多尔"),
    "EG": ("Egypt", "Egipto", "Égypte", "Egito", "埃及"),
    "ES": ("Spain", "España", "Espagne", "Espanha", "西班牙"),
    "ET": ("Ethiopia", "Etiopía", "Éthiopie", "Etiópia", "埃塞俄比亚"),
    "FM": ("Micronesia", "Micronésie", "Micronésia", "密克罗尼西亚"),
    "FR": ("France", "Francia", "França", "法国"),
    "GA": ("Gabon", "Gabón", "Gabão", "加蓬"),
    "GB": (
        "UK",
        "U.K.",
        "United Kingdom",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Reino Unido",
        "Gran Bretaña",
        "Inglaterra",
        "Royaume-Uni",
        "Grande-Bretagne",
        "Angleterre",
        "Grã-Bretanha",
        "英国",
        "英國",
    ),
    # In French "Guyane" alone is French Guiana; without this it is one letter from Guyana.
    "GF": ("Guyane", "French Guyana", "Guayana Francesa", "Guiana Francesa", "法属圭亚那"),
    "GH": ("Ghana", "Gana", "加纳"),
    "GM": ("The Gambia", "Gambia, The"),
    "GN": ("Guinea", "Guinée", "Guiné", "几内亚", "Guinea (Conakry)", "Guinea-Conakry"),
    "GQ": ("Equatorial Guinea", "Guinea Ecuatorial", "Guinée équatoriale", "赤道几内亚"),
    "GW": ("Guinea Bissau", "Guinée Bissau", "Guiné Bissau", "几内亚比绍", "Guinea (Bissau)"),
    "GY": ("Guyana", "Guiana", "圭亚那"),
    "HK": (
        "Hong Kong",
        "Hongkong",
        "Hong Kong, China",
        "Hong Kong (China)",
        "Hong Kong SAR",
        "Hong Kong SAR, China",
        "Hong Kong SAR China",
        "Hong Kong S.A.R.",
        "HKSAR",
        "HK SAR",
        "China, Hong Kong SAR",
        "China, Hong Kong",
        "Hong Kong, Chine",
        "RAE de Hong Kong",
        "RAS de Hong Kong",
        "香港",
        "中国香港",
        "中國香港",
        "香港特别行政区",
        "香港特別行政區",
        "中国香港特别行政区",
    ),
    "ID": ("Indonesia", "Indonésie", "Indonésia", "印度尼西亚", "印尼"),
    "IN": ("India", "Inde", "Índia", "印度"),
    "IR": ("Iran", "Irán", "Irã", "Irão", "Islamic Republic of Iran", "伊朗"),
    "IT": ("Italy", "Italia", "Italie", "Itália", "意大利"),
    "JP": ("Japan", "Japón", "Japon", "Japão", "日本"),
    "KE": ("Kenya", "Kenia", "Quênia", "Quénia", "肯尼亚", "肯亞"),
    "KG": ("Kyrgyzstan", "Kyrgyz Republic", "Kirghizia", "吉尔吉斯斯坦"),
    "KH": ("Cambodia", "Camboya", "Cambodge", "Camboja", "Kampuchea", "柬埔寨"),
    "KP": (
        "North Korea",
        "N. Korea",
        "Korea, North",
        "Korea (North)",
        "DPRK",
        "D.P.R.K.",
        "DPR Korea",
        "Democratic People's Republic of Korea",
        "Corea del Norte",
        "Corée du Nord",
        "Coreia do Norte",
        "RPD de Corea",
        "RPD de Corée",
        "朝鲜",
        "北韩",
        "北朝鲜",
    ),
    "KR": (
        "South Korea",
        "S. Korea",
        "Korea",
        "Korea, South",
        "Korea (South)",
        "Korea, Rep.",
        "Republic of Korea",
        "ROK",
        "R.O.K.",
        "Corea del Sur",
        "Corea",
        "República de Corea",
        "Corée du Sud",
        "Corée",
        "République de Corée",
        "Coreia do Sul",
        "Coréia do Sul",
        "Coreia",
        "República da Coreia",
        "韩国",
        "南韩",
        "韓國",
        "南韓",
    ),
    "LA": (
        "Lao PDR",
        "Lao P.D.R.",
        "Laos PDR",
        "Lao People's Democratic Republic",
        "Lao People's Dem. Rep.",
        "Lao",
        "Laos",
        "RDP Lao",
        "RDP Laos",
        "R.D.P. Lao",
        "RDP lao",
        "RPD Lao",
        "República Democrática Popular Lao",
        "República Democrática Popular de Laos",
        "République démocratique populaire lao",
        "RDP do Laos",
        "老挝",
        "老挝人民民主共和国",
        "寮國",
        "老撾",
    ),
    "LK": ("Sri Lanka", "斯里兰卡"),
    "MG": ("Madagascar", "Madagáscar", "马达加斯加"),
    "MK": ("Macedonia", "FYROM", "North Macedonia", "Macédoine", "Macedônia", "马其顿"),
    "MM": (
        "Myanmar",
        "Burma",
        "Birmania",
        "Birmanie",
        "Birmânia",
        "Mianmar",
        "缅甸",
        "緬甸",
    ),
    "MO": (
        "Macau",
        "Macao",
        "Macau, China",
        "Macao, China",
        "Macau (China)",
        "Macao (China)",
        "Macau SAR",
        "Macao SAR",
        "Macao SAR, China",
        "Macau SAR, China",
        "China, Macao SAR",
        "MSAR",
        "澳门",
        "中国澳门",
        "澳門",
        "中國澳門",
        "澳门特别行政区",
    ),
    "MW": ("Malawi", "Malaui", "马拉维"),
    "MX": ("Mexico", "México", "Mexique", "墨西哥"),
    "MY": ("Malaysia", "Malasia", "Malaisie", "Malásia", "马来西亚", "馬來西亞"),
    "MZ": ("Mozambique", "Moçambique", "Mocambique", "莫桑比克", "莫三比克"),
    "NA": ("Namibia", "Namibie", "Namíbia", "纳米比亚"),
    "NE": ("Niger", "Níger", "尼日尔"),
    "NG": ("Nigeria", "Nigéria", "尼日利亚", "奈及利亞"),
    "NL": (
        "Netherlands",
        "The Netherlands",
        "Holland",
        "Países Bajos",
        "Holanda",
        "Pays-Bas",
        "Hollande",
        "Países Baixos",
        "荷兰",
    ),
    "NP": ("Nepal", "Népal", "尼泊尔"),
    "NZ": ("New Zealand", "Nueva Zelanda", "Nouvelle-Zélande", "Nova Zelândia", "新西兰"),
    "PE": ("Peru", "Perú", "Pérou", "秘鲁"),
    "PH": ("Philippines", "Filipinas", "菲律宾"),
    "PK": ("Pakistan", "Pakistán", "Paquistão", "巴基斯坦"),
    "PS": ("Palestine", "Palestina", "巴勒斯坦"),
    "PT": ("Portugal", "葡萄牙"),
    "PY": ("Paraguay", "Paraguai", "巴拉圭"),
    "RU": (
        "Russia",
        "Russian Federation",
        "Russian Fed.",
        "Rusia",
        "Russie",
        "Rússia",
        "俄罗斯",
        "俄国",
        "俄羅斯",
    ),
    "SA": (
        "Saudi Arabia",
        "Saudi",
        "KSA",
        "Arabia Saudita",
        "Arabie saoudite",
        "沙特",
        "沙特阿拉伯",
    ),
    "SD": ("Sudan", "Sudán", "Soudan", "Sudão", "苏丹"),
    "SG": ("Singapore", "Singapur", "Singapour", "Singapura", "Cingapura", "新加坡"),
    "SR": ("Suriname", "Surinam", "苏里南"),
    "SS": ("South Sudan", "Sudán del Sur", "Soudan du Sud", "Sudão do Sul", "南苏丹"),
    "SY": ("Syria", "Siria", "Syrie", "Síria", "叙利亚"),
    "SZ": ("Swaziland", "Eswatini", "Suazilandia", "Esuatini", "Suazilândia", "斯威士兰"),
    "TG": ("Togo", "多哥"),
    "TH": ("Thailand", "Tailandia", "Thaïlande", "Tailândia", "泰国", "泰國"),
    "TL": ("East Timor", "Timor Leste", "Timor Oriental", "东帝汶"),
    "TR": ("Turkey", "Türkiye", "Turkiye", "Turquía", "Turquie", "Turquia", "土耳其"),
    "TW": (
        "Taiwan",
        "Taiwan, China",
        "Taiwan (China)",
        "Taiwan, Province of China",
        "Taiwan Province of China",
        "Chinese Taipei",
        "Taiwán",
        "Taïwan",
        "台湾",
        "臺灣",
        "台灣",
        "中国台湾",
        "中國台灣",
        "中国台湾省",
    ),
    "TZ": (
        "Tanzania",
        "United Republic of Tanzania",
        "Tanzanie",
        "Tanzânia",
        "坦桑尼亚",
        "坦尚尼亞",
    ),
    "UG": ("Uganda", "Ouganda", "乌干达", "烏干達"),
    "US": (
        "USA",
        "U.S.A.",
        "US",
        "U.S.",
        "United States",
        "United States of America",
        "EEUU",
        "EE.UU.",
        "EE. UU.",
        "EUA",
        "E.U.A.",
        "Estados Unidos",
        "Estados Unidos de América",
        "Estados Unidos da América",
        "États-Unis",
        "Etats-Unis",
        "États-Unis d'Amérique",
        "美国",
        "美國",
    ),
    "UY": ("Uruguay", "Uruguai", "乌拉圭"),
    "VA": ("Vatican", "Vatican City", "Holy See", "Vaticano", "梵蒂冈"),
    "VE": ("Venezuela", "Vénézuela", "委内瑞拉"),
    "VN": (
        "Viet Nam",
        "Vietnam",
        "Viet-Nam",
        "Viêt Nam",
        "Vietnã",
        "Vietname",
        "Socialist Republic of Viet Nam",
        "越南",
    ),
    "XK": ("Kosovo", "Kosova", "XKX", "科索沃"),
    "ZA": ("South Africa", "RSA", "Sudáfrica", "Afrique du Sud", "África do Sul", "南非"),
    "ZM": ("Zambia", "Zambie", "Zâmbia", "赞比亚"),
    "ZW": ("Zimbabwe", "Zimbabue", "Zimbábue", "津巴布韦"),
}


# An ISO list name puts the qualifier last ("Korea, Republic of", "Salomon, Îles"); a
# display name must not, while a plain list ("Bonaire, Sint Eustatius and Saba") may.
_INVERTED_ENDING = re.compile(r"(?:\b(?:of|the|de|del|da|do|du|la)|d'|d’)$", re.IGNORECASE)
_INVERTED_OPENING = re.compile(
    r"(?:Îles?|Islas?|Ilhas?|Estados?|États?|Fédération|République|República|Provincia|"
    r"Província|The)\b",
    re.IGNORECASE,
)


def _is_inverted(name: str) -> bool:
    """Tell whether an ISO name is in list order, with its qualifier after a comma."""
    if "," not in name:
        return False
    tail = name.rsplit(",", 1)[1].strip()
    return bool(_INVERTED_ENDING.search(tail) or _INVERTED_OPENING.match(tail))


@dataclass(frozen=True)
class Alias:
    """One alias row before conflicts are resolved."""

    alias: str
    iso2: str
    source: str


def _catalogue(locale: str) -> gettext.NullTranslations:
    """Return pycountry's ISO 3166-1 catalogue for one locale."""
    if locale == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])


def _iso_names(country) -> list[str]:
    """Return the English names pycountry holds for a country, short name first."""
    names = [getattr(country, "common_name", None), country.name]
    names.append(getattr(country, "official_name", None))
    return [name for name in names if name]


def _display_name(country, language: str, locale: str | None) -> str:
    """Return the display name of a country in one language."""
    override = DISPLAY_OVERRIDES[language].get(country.alpha_2)
    if override:
        return override
    catalogue = _catalogue(locale or "en")
    translated = catalogue.gettext(_iso_names(country)[0])
    if _is_inverted(translated):
        raise SystemExit(
            f"display name {translated!r} of {country.alpha_2} in {language} is inverted: "
            "add it to DISPLAY_OVERRIDES"
        )
    return translated


def build_countries() -> list[dict[str, str]]:
    """Return one row per country, sorted by alpha-2 code."""
    rows = []
    for country in pycountry.countries:
        row = {"iso2": country.alpha_2, "iso3": country.alpha_3, "numeric": country.numeric}
        for language, locale in DISPLAY_LOCALES.items():
            row[f"name_{language}"] = _display_name(country, language, locale)
        rows.append(row)
    rows.append(dict(KOSOVO))
    return sorted(rows, key=lambda row: row["iso2"])


def collect_aliases(countries: list[dict[str, str]]) -> list[Alias]:
    """Return every alias from the catalogues, the display names and the curated list."""
    known = {row["iso2"] for row in countries}
    aliases: list[Alias] = []
    for code, spellings in CURATED.items():
        if code not in known:
            raise SystemExit(f"curated aliases name {code!r}, which is not in countries.csv")
        aliases.extend(Alias(spelling, code, "curated") for spelling in spellings)
    for row in countries:
        for language in DISPLAY_LOCALES:
            aliases.append(Alias(row[f"name_{language}"], row["iso2"], "display"))
    for country in pycountry.countries:
        aliases.append(Alias(country.alpha_3, country.alpha_2, "iso_alpha3"))
    for locale in CATALOGUE_LOCALES:
        catalogue = _catalogue(locale)
        for country in pycountry.countries:
            for name in _iso_names(country):
                translated = catalogue.gettext(name)
                if locale != "en" and translated == name:
                    continue  # untranslated: the English row already has it
                aliases.append(Alias(translated, country.alpha_2, f"iso_{locale}"))
    return aliases


def resolve_conflicts(aliases: list[Alias], countries: list[dict[str, str]]) -> list[Alias]:
    """Drop aliases that would point to two countries, and repeated spellings.

    Aliases are grouped by the resolver's lookup key.  Within a group the country of the
    highest-priority source wins and the others' rows are dropped.  A group whose key is
    another country's alpha-2 code, or reads as a stated unknown, is dropped whole: the
    resolver reads those first.  Every decision is printed.
    """
    from geo.reference.countries import _is_stated_unknown_key, _normalise_key

    rank = {source: position for position, source in enumerate(SOURCE_PRIORITY)}
    alpha2 = {row["iso2"].casefold(): row["iso2"] for row in countries}
    by_key: dict[str, list[Alias]] = defaultdict(list)
    for alias in aliases:
        key = _normalise_key(alias.alias)
        if not key:
            raise SystemExit(f"alias {alias.alias!r} of {alias.iso2} has no letters")
        by_key[key].append(alias)
    kept: dict[tuple[str, str], Alias] = {}
    for key, group in by_key.items():
        group.sort(key=lambda alias: (rank[alias.source], alias.alias))
        winner = group[0]
        if _is_stated_unknown_key(key):
            print(f"dropped {winner.alias!r} ({winner.iso2}): it reads as a stated unknown")
            continue
        if key in alpha2 and alpha2[key] != winner.iso2:
            print(f"dropped {winner.alias!r} ({winner.iso2}): it is the code of {alpha2[key]}")
            continue
        for alias in group:
            if alias.iso2 != winner.iso2:
                print(
                    f"conflict {alias.alias!r}: kept {winner.iso2} ({winner.source}, "
                    f"{winner.alias!r}); dropped {alias.iso2} ({alias.source})"
                )
            else:
                kept.setdefault((alias.alias, alias.iso2), alias)
    return sorted(kept.values(), key=lambda alias: (alias.iso2, rank[alias.source], alias.alias))


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write rows as UTF-8 CSV with a header and Unix line ends."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    """Build both tables and write them to data/reference/."""
    # The resolver's own normalisation decides which aliases collide, so import it from
    # the working tree rather than an installed copy.
    sys.path.insert(0, str(REPO_ROOT))
    countries = build_countries()
    aliases = resolve_conflicts(collect_aliases(countries), countries)
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    columns = list(countries[0])
    write_csv(COUNTRIES_FILE, columns, [[row[column] for column in columns] for row in countries])
    write_csv(
        ALIASES_FILE,
        ["alias", "iso2", "source"],
        [[alias.alias, alias.iso2, alias.source] for alias in aliases],
    )
    print(f"wrote {len(countries)} countries to {COUNTRIES_FILE.relative_to(REPO_ROOT)}")
    print(f"wrote {len(aliases)} aliases to {ALIASES_FILE.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
