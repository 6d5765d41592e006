"""Write the importer's test fixtures, in the shapes real agencies send, and EXPECTED.md.

Run from anywhere: ``python tests/data/make_fixtures.py``. Every byte written is a function
of this file alone (fixed zip timestamps, seeded random bytes, no current date), so running it
twice gives identical files and the import batches keep the same SHA-256.

The expected outcome of every data row lives next to the row itself, in ``FIXTURES``; tests
may load this module (``importlib``) and read ``FIXTURES`` and ``BAD_FILES`` instead of parsing
EXPECTED.md, which is generated from the same data.
"""

from __future__ import annotations

import csv
import datetime
import importlib
import io
import random
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# Zip entries carry a timestamp; a fixed one keeps the xlsx bytes stable between runs.
_ZIP_TIME = (2022, 1, 1, 0, 0, 0)
_CORE_TIME = "2022-01-01T00:00:00Z"


@dataclass(frozen=True)
class Expected:
    """The intended outcome of one data row and its normalised values (None = empty)."""

    outcome: str
    reason: str = ""
    seizure_date: str | None = None
    date_precision: str | None = None
    seizing_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    taxon: str | None = None
    commodity: str | None = None
    quantity: float | None = None
    unit: str | None = None
    origin_countries: tuple[str, ...] = ()
    export_country: str | None = None
    transit_countries: tuple[str, ...] = ()
    destination_country: str | None = None
    transport_mode: str = "unknown"
    duplicate_of: int | None = None


@dataclass
class Row:
    """One data row: its cells in header order and what the importer should make of it."""

    cells: tuple
    expected: Expected
    number: int = 0


@dataclass
class Fixture:
    """One fixture file: headers with their intended record field, rows, and how it is written."""

    name: str
    summary: str
    settings: str
    headers: list[tuple[str, str]]
    rows: list[Row]
    first_data_row: int
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for offset, row in enumerate(self.rows):
            row.number = self.first_data_row + offset


def _accepted(
    date: str,
    precision: str,
    country: str | None,
    lat: float | None,
    lon: float | None,
    taxon: str,
    commodity: str,
    quantity: float,
    unit: str,
    origin: str = "",
    export: str = "",
    transit: str = "",
    destination: str = "",
    transport: str = "unknown",
) -> Expected:
    return Expected(
        outcome="accepted",
        seizure_date=date,
        date_precision=precision,
        seizing_country=country,
        lat=lat,
        lon=lon,
        taxon=taxon,
        commodity=commodity,
        quantity=quantity,
        unit=unit,
        origin_countries=tuple(origin.split(";")) if origin else (),
        export_country=export or None,
        transit_countries=tuple(transit.split(";")) if transit else (),
        destination_country=destination or None,
        transport_mode=transport,
    )


def _quarantined(reason: str, values: Expected) -> Expected:
    return Expected(
        **{**values.__dict__, "outcome": "quarantined", "reason": reason},
    )


def _duplicate(of_row: int, values: Expected) -> Expected:
    return Expected(
        **{**values.__dict__, "outcome": "duplicate", "duplicate_of": of_row},
    )


def _excel_date(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day)


# Row data is laid out by hand, a few cells to a line, as the files show them.
# fmt: off

# --------------------------------------------------------------------------------------------
# 1. es_aduana_2021.xlsx: a Latin American compilation (Peru SUNAT/SERFOR, Mexico PROFEPA,
# Ecuador SENAE, Colombia POLFA, Brazil IBAMA); "Notas" sheet first, title rows above the table.

_ES_TOTOABA = _accepted(
    "2021-04-02", "day", "MX", 31.0250, -114.8400, "Totoaba macdonaldi", "SWI", 12, "kg",
    origin="MX", destination="CN", transport="road",
)
_ES_TOTOABA_CELLS = (
    3, "2021-04-02", "México", "San Felipe, Baja California", 31.025, -114.84,
    "buche de totoaba", "buches secos ocultos en hieleras", "12 kg", None, "México", "China",
    "terrestre", "Vehículo particular detenido en retén militar", "PROFEPA-BC-044-2021",
)

ES_ADUANA = Fixture(
    name="es_aduana_2021.xlsx",
    summary=(
        "Spanish-language customs register (XLSX). Sheet 1 `Notas` holds only a paragraph; "
        "sheet 2 `Incautaciones` has a merged title in row 1, a blank row 2 and the header in "
        "row 3. Dates mix real Excel date cells, an Excel serial in a General-format cell "
        "(44474), `15/03/2021`, `07/08/2021` (ambiguous: day-first gives 7 August), "
        "`2021-04-02`, `3 de mayo de 2021` and `junio 2021`. Coordinates mix numbers, text "
        "with a decimal comma and DMS with `O` (Oeste = West)."
    ),
    settings="day_first=True (Spanish convention)",
    headers=[
        ("N°", "extra (row serial within the file, not a stable id)"),
        ("Fecha de incautación", "seizure_date"),
        ("País de incautación", "seizing_country"),
        ("Lugar", "location_name"),
        ("Latitud", "lat"),
        ("Longitud", "lon"),
        ("Especie", "taxon (common or scientific name; product words also give commodity)"),
        ("Descripción", "commodity (trade term read from the phrase)"),
        ("Cantidad", "quantity (may carry its unit: `12 kg`)"),
        ("Unidad", "unit"),
        ("País de origen", "origin_countries"),
        ("País de destino", "destination_country"),
        ("Medio de transporte", "transport_mode"),
        ("Observaciones", "notes"),
        ("Número de acta", "extra (unknown column, kept)"),
    ],
    first_data_row=4,
    rows=[
        Row(
            (
                1, _excel_date(2021, 1, 14), "Perú",
                "Aeropuerto Internacional Jorge Chávez, Callao", "12°01'19\"S", "77°06'52\"O",
                "aletas de tiburón", "aletas secas en equipaje de bodega", 48, "kg", "Perú",
                "Hong Kong, China", "aéreo",
                "Pasajero con destino final Hong Kong, escala en São Paulo", "ACTA-0031-2021",
            ),
            _accepted(
                "2021-01-14", "day", "PE", -12.0219, -77.1144, "Selachimorpha", "FIN", 48, "kg",
                origin="PE", destination="HK", transport="air",
            ),
        ),
        Row(
            (
                2, "15/03/2021", "Perú",
                "Aeropuerto Internacional Coronel FAP Francisco Secada Vignetta, Iquitos",
                "-3,7847", "-73,3088", "tortuga charapa", "crías vivas en cajas de tecnopor",
                350, "individuos", "Perú", "Perú", "aéreo",
                "Carga declarada como peces ornamentales", "ACTA-0057-2021",
            ),
            _accepted(
                "2021-03-15", "day", "PE", -3.7847, -73.3088, "Podocnemis expansa", "LIV", 350,
                "individuals", origin="PE", destination="PE", transport="air",
            ),
        ),
        Row(_ES_TOTOABA_CELLS, _ES_TOTOABA),
        Row(
            (
                4, "3 de mayo de 2021", "Perú", "Aeropuerto Internacional Jorge Chávez, Callao",
                -12.0219, -77.1144, "escamas de pangolín",
                "escamas en paquetes declarados como artesanías", "0,8", "kg", "Nigeria",
                "China", "postal", "Envío courier en tránsito Lagos–Lima–Guangzhou",
                "ACTA-0102-2021",
            ),
            _accepted(
                "2021-05-03", "day", "PE", -12.0219, -77.1144, "Manidae", "SCA", 0.8, "kg",
                origin="NG", destination="CN", transport="post",
            ),
        ),
        Row(
            (
                5, "junio 2021", "Perú", "Puerto Maldonado, Madre de Dios", -12.5933, -69.1891,
                "Panthera onca", "colmillos de jaguar en encomienda", 24, "unidades", "Perú",
                "China", "terrestre", "Encomienda interprovincial con destino a Lima",
                "ACTA-0131-2021",
            ),
            _accepted(
                "2021-06-01", "month", "PE", -12.5933, -69.1891, "Panthera onca", "TEE", 24,
                "pieces", origin="PE", destination="CN", transport="road",
            ),
        ),
        Row(
            (
                6, _excel_date(2021, 7, 8), "Ecuador", "Puerto Marítimo de Guayaquil",
                "2°17'00\"S", "79°54'00\"O", "Carcharhinus falciformis",
                "aletas de tiburón sedoso en contenedor refrigerado", 1250, "kg", "Ecuador",
                "Hong Kong, China", "marítimo", "Declarado como pescado congelado",
                "SENAE-GYE-0412-2021",
            ),
            _accepted(
                "2021-07-08", "day", "EC", -2.2833, -79.9000, "Carcharhinus falciformis",
                "FIN", 1250, "kg", origin="EC", destination="HK", transport="sea",
            ),
        ),
        Row(
            (
                7, "07/08/2021", "Colombia", "Aeropuerto Internacional El Dorado, Bogotá", 4.7016,
                -74.1469, "loro", "loros vivos en tubos de plástico", 18, "individuos",
                "Colombia", "Estados Unidos", "aéreo", "Aves sin anillo ni permiso CITES",
                "POLFA-BOG-0093-2021",
            ),
            _accepted(
                "2021-08-07", "day", "CO", 4.7016, -74.1469, "Psittaciformes", "LIV", 18,
                "individuals", origin="CO", destination="US", transport="air",
            ),
        ),
        Row(
            (
                8, None, "Perú", "Aguas Verdes, Tumbes (frontera con Ecuador)", -3.4833,
                -80.245, "loro", "loros vivos en costales", 6, "individuos", "Ecuador", "Perú",
                "terrestre", "Fecha no consignada en el acta", "ACTA-0188-2021",
            ),
            _quarantined(
                "seizure_date: missing (no date at all)",
                Expected(
                    outcome="",
                    seizing_country="PE", lat=-3.4833, lon=-80.2450, taxon="Psittaciformes",
                    commodity="LIV", quantity=6, unit="individuals", origin_countries=("EC",),
                    destination_country="PE", transport_mode="road",
                ),
            ),
        ),
        Row(
            (
                9, _excel_date(2021, 9, 21), "México",
                "Aeropuerto Internacional de la Ciudad de México", 19.4363, -99.0721,
                "Panthera onca", "piel de jaguar", -2, "unidades", "México", "Estados Unidos",
                "aéreo", "Cantidad negativa por error de captura", "PROFEPA-CDMX-0217-2021",
            ),
            _quarantined(
                "quantity: -2 is negative",
                _accepted(
                    "2021-09-21", "day", "MX", 19.4363, -99.0721, "Panthera onca", "SKI", -2,
                    "pieces", origin="MX", destination="US", transport="air",
                ),
            ),
        ),
        Row(_ES_TOTOABA_CELLS, _duplicate(6, _ES_TOTOABA)),
        Row(
            (
                10, 44474, "Brasil", "Tabatinga, Amazonas (triple frontera)", -4.252, -69.938,
                "tortuga charapa", "huevos de charapa", 2400, "unidades", "Brasil",
                "Colombia", "terrestre", "Huevos destinados al mercado de Leticia",
                "IBAMA-AM-0321-2021",
            ),
            _accepted(
                "2021-10-05", "day", "BR", -4.2520, -69.9380, "Podocnemis expansa", "EGG",
                2400, "pieces", origin="BR", destination="CO", transport="road",
            ),
        ),
        Row(
            (
                11, _excel_date(2021, 11, 19), "Perú", "Terminal de contenedores del Callao",
                "12°03'00\"S", "77°08'31\"O", "aletas de tiburón",
                "aletas secas saladas en contenedor", "3,5", "t", "Perú", "Hong Kong, China",
                "marítimo", "Declarado como pescado seco salado", "ACTA-0244-2021",
            ),
            _accepted(
                "2021-11-19", "day", "PE", -12.0500, -77.1419, "Selachimorpha", "FIN", 3500,
                "kg", origin="PE", destination="HK", transport="sea",
            ),
        ),
        Row(
            (
                12, _excel_date(2021, 12, 2), "Perú", "Centro de clasificación postal de Lima",
                None, None, "Panthera onca", "colmillos", 4, "unidades", "Perú", "China",
                "postal", "Paquete declarado como recuerdos", "ACTA-0263-2021",
            ),
            _accepted(
                "2021-12-02", "day", "PE", None, None, "Panthera onca", "TEE", 4, "pieces",
                origin="PE", destination="CN", transport="post",
            ),
        ),
    ],
    notes=[
        "Row 13 repeats row 6 cell for cell (including N° 3 and the acta number): a row "
        "pasted twice.",
        "Row 14's date is the number 44474 in a General-format cell: an Excel serial, "
        "1899-12-30 + 44474 days = 2021-10-05.",
        "Row 16 has no coordinates: accepted on its seizing country.",
        "`aletas de tiburón` names no species, so the taxon is the shark superorder "
        "Selachimorpha (lowest rank the words support); `loro` likewise gives the order "
        "Psittaciformes.",
    ],
)

_ES_NOTES_TEXT = (
    "Registro consolidado de actas de incautación de especímenes de fauna silvestre remitidas "
    "por las autoridades aduaneras y de fiscalización ambiental durante el año 2021. Las "
    "cantidades se expresan en la unidad consignada en el acta; las coordenadas se tomaron "
    "con GPS en el lugar de la intervención y, cuando figuran en grados, minutos y segundos, "
    "la letra O indica longitud Oeste. Las filas sin fecha corresponden a actas incompletas "
    "pendientes de verificación. Documento de uso interno."
)

# --------------------------------------------------------------------------------------------
# 2. cn_customs_gb18030.csv: a Chinese customs district export, GB18030, CRLF.

CN_CUSTOMS = Fixture(
    name="cn_customs_gb18030.csv",
    summary=(
        "Chinese customs export, CSV encoded **GB18030** (not UTF-8, not decodable as GBK "
        "because line 12's 备注 holds 𠮷 U+20BB7, a CJK Extension B character), CRLF line ends, "
        "`,` delimiter. Dates `2021年1月12日`, `2021/03/05` (year first: no day-first question), "
        "`2021-3` (month only). Line 9 gives DMS with Chinese-keyboard primes `21°11′13″N`. "
        "Counting words 只 (animals → individuals) and 件 (items → pieces); 吨 is tonnes."
    ),
    settings=(
        "country=CN (the file comes from China Customs and has no seizing-country column). "
        "Without it every accepted row still has coordinates and stays accepted, but "
        "seizing_country is empty."
    ),
    headers=[
        ("序号", "extra (row serial within the file, not a stable id)"),
        ("查获日期", "seizure_date"),
        ("查获海关", "agency"),
        ("查获地点", "location_name"),
        ("纬度", "lat"),
        ("经度", "lon"),
        ("物种", "taxon (also gives commodity when it is a product phrase such as 穿山甲鳞片)"),
        ("货物描述", "commodity (trade term read from the phrase; taxon when 物种 is empty)"),
        ("数量", "quantity"),
        ("单位", "unit"),
        (
            "起运国",
            "export_country (起运国 is the country of consignment in Chinese customs usage; "
            "origin is 原产国)",
        ),
        ("途经国", "transit_countries (separated by 、)"),
        ("目的国", "destination_country"),
        ("运输方式", "transport_mode"),
        ("备注", "notes"),
    ],
    first_data_row=2,
    rows=[
        Row(
            (
                1, "2021年1月12日", "昆明海关", "磨憨口岸（中老边境）", "21.1869", "101.6989",
                "穿山甲鳞片", "鳞片，藏于货车夹层", "156.5", "公斤", "老挝", "", "中国", "公路",
                "货车自老挝磨丁入境",
            ),
            _accepted(
                "2021-01-12", "day", "CN", 21.1869, 101.6989, "Manidae", "SCA", 156.5, "kg",
                export="LA", destination="CN", transport="road",
            ),
        ),
        Row(
            (
                2, "2021/03/05", "南宁海关", "东兴口岸（中越边境）", "21.5410", "107.9720",
                "象牙", "原牙，用编织袋包装", "12", "件", "越南", "", "中国", "公路",
                "藏于摩托车座垫下",
            ),
            _accepted(
                "2021-03-05", "day", "CN", 21.5410, 107.9720, "Elephantidae", "TUS", 12,
                "pieces", export="VN", destination="CN", transport="road",
            ),
        ),
        Row(
            (
                3, "2021-3", "昆明海关", "河口口岸（中越边境）", "22.5080", "103.9650",
                "印支陆龟", "活体龟", "86", "只", "越南", "", "中国", "公路", "原始记录仅有月份",
            ),
            _accepted(
                "2021-03-01", "month", "CN", 22.5080, 103.9650, "Indotestudo elongata", "LIV",
                86, "individuals", export="VN", destination="CN", transport="road",
            ),
        ),
        Row(
            (
                4, "2021年4月18日", "昆明海关", "瑞丽口岸（中缅边境）", "24.0120", "97.8530",
                "犀牛角", "犀牛角，锯成小块", "3.2", "千克", "缅甸", "", "中国", "公路", "",
            ),
            _accepted(
                "2021-04-18", "day", "CN", 24.0120, 97.8530, "Rhinocerotidae", "HOR", 3.2,
                "kg", export="MM", destination="CN", transport="road",
            ),
        ),
        Row(
            (
                5, "2021年5月20日", "昆明海关", "昆明长水国际机场", "25.1019", "102.9292",
                "穿山甲鳞片", "旅客行李内", "24", "千克", "尼日利亚", "埃塞俄比亚、泰国", "中国",
                "航空", "经亚的斯亚贝巴、曼谷转机",
            ),
            _accepted(
                "2021-05-20", "day", "CN", 25.1019, 102.9292, "Manidae", "SCA", 24, "kg",
                export="NG", transit="ET;TH", destination="CN", transport="air",
            ),
        ),
        Row(
            (
                6, "2021/06/11", "广州海关", "广州白云国际机场快件监管中心", "23.3924",
                "113.2988", "象牙", "象牙制品（手镯、吊坠）", "5.6", "公斤", "尼日利亚", "",
                "中国", "邮寄", "国际快件申报为工艺品",
            ),
            _accepted(
                "2021-06-11", "day", "CN", 23.3924, 113.2988, "Elephantidae", "IVC", 5.6,
                "kg", export="NG", destination="CN", transport="post",
            ),
        ),
        Row(
            (
                7, "2021年7月3日", "深圳海关", "蛇口港区", "22.4800", "113.9100", "穿山甲鳞片",
                "集装箱内，申报为冷冻鱼", "2.1", "吨", "尼日利亚", "中国香港", "中国", "海运",
                "",
            ),
            _accepted(
                "2021-07-03", "day", "CN", 22.4800, 113.9100, "Manidae", "SCA", 2100, "kg",
                export="NG", transit="HK", destination="CN", transport="sea",
            ),
        ),
        Row(
            (
                8, "2021年8月16日", "昆明海关", "磨憨口岸（中老边境）", "21°11′13″N",
                "101°41′56″E", "交趾黄檀", "红木原木", "18.6", "吨", "老挝", "", "中国", "公路",
                "申报为普通原木",
            ),
            _accepted(
                "2021-08-16", "day", "CN", 21.1869, 101.6989, "Dalbergia cochinchinensis",
                "LOG", 18600, "kg", export="LA", destination="CN", transport="road",
            ),
        ),
        Row(
            (
                9, "2021/09/02", "南宁海关", "友谊关口岸（凭祥）", "22.0110", "106.7580", "",
                "熊胆", "40", "件", "越南", "", "中国", "公路", "",
            ),
            _accepted(
                "2021-09-02", "day", "CN", 22.0110, 106.7580, "Ursidae", "GAB", 40, "pieces",
                export="VN", destination="CN", transport="road",
            ),
        ),
        Row(
            (
                10, "2021年10月9日", "昆明海关", "磨憨口岸（中老边境）", "221.1869", "101.6989",
                "穿山甲鳞片", "", "8", "公斤", "老挝", "", "中国", "公路", "纬度录入有误",
            ),
            _quarantined(
                "lat: 221.1869 is outside [-90, 90]",
                Expected(
                    outcome="",
                    seizure_date="2021-10-09", date_precision="day", seizing_country="CN",
                    taxon="Manidae", commodity="SCA", quantity=8, unit="kg",
                    export_country="LA", destination_country="CN", transport_mode="road",
                ),
            ),
        ),
        Row(
            (
                11, "2021年11月23日", "昆明海关", "昆明邮件处理中心", "25.0420", "102.7090",
                "象牙", "象牙制品（印章）", "0.35", "公斤", "老挝", "", "中国", "邮寄",
                "收件人姓名含生僻字“𠮷”，已核实",
            ),
            _accepted(
                "2021-11-23", "day", "CN", 25.0420, 102.7090, "Elephantidae", "IVC", 0.35,
                "kg", export="LA", destination="CN", transport="post",
            ),
        ),
        Row(
            (
                12, "2021年12月28日", "昆明海关", "瑞丽口岸（中缅边境）", "24.0120", "97.8530",
                "穿山甲鳞片", "", "15", "公斤", "缅甸", "", "中国", "公路", "",
            ),
            _accepted(
                "2021-12-28", "day", "CN", 24.0120, 97.8530, "Manidae", "SCA", 15, "kg",
                export="MM", destination="CN", transport="road",
            ),
        ),
    ],
    notes=[
        "Line 12 (序号 11) carries 𠮷 in 备注: read as GBK the file fails or garbles; read as "
        "GB18030 the note ends in `生僻字“𠮷”，已核实`.",
        "Line 11's latitude 221.1869 is a typing slip for 21.1869; the row is quarantined "
        "rather than silently repaired.",
        "Line 10: 物种 is empty, so 熊胆 (bear gall bladder) in 货物描述 gives both taxon "
        "(family Ursidae) and commodity GAB.",
        "象牙 with no further word is read as raw ivory (TUS); 象牙制品 (ivory products) is IVC.",
    ],
)

# --------------------------------------------------------------------------------------------
# 3. etis_export.csv: ETIS-style, ISO-2 codes, UTF-8 with BOM (Excel's "CSV UTF-8").

ETIS = Fixture(
    name="etis_export.csv",
    summary=(
        "ETIS-style export, UTF-8 **with a byte-order mark** (as Excel's \"CSV UTF-8\" "
        "writes it), LF line ends. Dates `dd/mm/yyyy`: six rows have a day above 12, which "
        "settles the order for the ambiguous ones (`05/06/2019` = 5 June). Countries are ISO-2: "
        "`NA` is Namibia (a CSV reader's default NA-handling would turn it into a missing "
        "value), `XF` (somewhere in Africa) and `XX` (unknown) are pseudo-codes read as "
        "unknown, and transit lists use `;`. No coordinates anywhere."
    ),
    settings="day_first=True",
    headers=[
        ("Seizure Date", "seizure_date"),
        ("Cty Dis", "seizing_country (country of discovery)"),
        ("Cty Org", "origin_countries"),
        ("Cty Exp", "export_country"),
        ("Cty Tra", "transit_countries (separated by ;)"),
        ("Cty Des", "destination_country"),
        ("Species", "taxon"),
        ("Raw Iv No. Pcs", "quantity in pieces, commodity TUS — only when Raw Iv Wt is empty"),
        ("Raw Iv Wt (kg)", "quantity in kg, commodity TUS"),
        (
            "Worked Iv No. Pcs",
            "quantity in pieces, commodity IVC — only when Worked Iv Wt is empty",
        ),
        ("Worked Iv Wt (kg)", "quantity in kg, commodity IVC"),
        ("Mode of transport", "transport_mode"),
        ("Method of concealment", "extra"),
        ("Detection methods", "detection_method"),
        ("Agency", "agency"),
        ("Location", "location_name"),
    ],
    first_data_row=2,
    rows=[
        Row(
            (
                "14/01/2019", "KE", "TZ", "KE", "AE", "VN", "Loxodonta africana", "12", "186.5",
                "", "", "Sea", "Container - declared as sesame seeds", "X-ray scan",
                "Kenya Revenue Authority", "Port of Mombasa",
            ),
            _accepted(
                "2019-01-14", "day", "KE", None, None, "Loxodonta africana", "TUS", 186.5,
                "kg", origin="TZ", export="KE", transit="AE", destination="VN",
                transport="sea",
            ),
        ),
        Row(
            (
                "23/04/2019", "NA", "NA", "", "", "CN", "Loxodonta africana", "2", "14.2", "",
                "", "Road", "Vehicle - hidden compartment", "Roadblock search",
                "Namibian Police Force", "Katima Mulilo",
            ),
            _accepted(
                "2019-04-23", "day", "NA", None, None, "Loxodonta africana", "TUS", 14.2, "kg",
                origin="NA", destination="CN", transport="road",
            ),
        ),
        Row(
            (
                "05/06/2019", "TH", "XF", "NG", "ET", "LA", "Loxodonta africana", "", "", "140",
                "21.4", "Air", "Checked baggage - wrapped in carbon paper", "X-ray scan",
                "Thai Customs Department", "Suvarnabhumi Airport",
            ),
            _accepted(
                "2019-06-05", "day", "TH", None, None, "Loxodonta africana", "IVC", 21.4, "kg",
                export="NG", transit="ET", destination="LA", transport="air",
            ),
        ),
        Row(
            (
                "17/07/2019", "VN", "XF", "UG", "KE;AE", "VN", "Loxodonta africana", "330",
                "2210", "", "", "Sea", "Container - under timber", "Intelligence",
                "Viet Nam Customs", "Hai Phong port",
            ),
            _accepted(
                "2019-07-17", "day", "VN", None, None, "Loxodonta africana", "TUS", 2210, "kg",
                export="UG", transit="KE;AE", destination="VN", transport="sea",
            ),
        ),
        Row(
            (
                "02/08/2019", "HK", "NG", "NG", "", "CN", "Loxodonta africana", "", "", "",
                "3.8", "Air", "Hand luggage", "Routine inspection",
                "Hong Kong Customs and Excise Department", "Hong Kong International Airport",
            ),
            _accepted(
                "2019-08-02", "day", "HK", None, None, "Loxodonta africana", "IVC", 3.8, "kg",
                origin="NG", export="NG", destination="CN", transport="air",
            ),
        ),
        Row(
            (
                "28/09/2019", "", "XF", "", "", "", "Loxodonta africana", "4", "31.0", "", "",
                "", "", "Intelligence", "", "",
            ),
            _quarantined(
                "seizing_country, lat/lon: neither a seizing country nor coordinates",
                _accepted(
                    "2019-09-28", "day", None, None, None, "Loxodonta africana", "TUS", 31,
                    "kg",
                ),
            ),
        ),
        Row(
            (
                "11/10/2019", "CN", "XX", "", "", "CN", "Loxodonta africana", "", "", "55",
                "1.2", "Mail", "Parcel declared as handicrafts", "X-ray scan", "China Customs",
                "Kunming mail centre",
            ),
            _accepted(
                "2019-10-11", "day", "CN", None, None, "Loxodonta africana", "IVC", 1.2, "kg",
                destination="CN", transport="post",
            ),
        ),
        Row(
            (
                "19/11/2019", "NG", "CM", "CM", "", "CN", "Loxodonta africana", "6", "48.0", "",
                "", "Sea", "Container - false bottom", "Sniffer dog", "Nigeria Customs Service",
                "Apapa Port, Lagos",
            ),
            _accepted(
                "2019-11-19", "day", "NG", None, None, "Loxodonta africana", "TUS", 48, "kg",
                origin="CM", export="CM", destination="CN", transport="sea",
            ),
        ),
        Row(
            (
                "03/12/2019", "AE", "KE", "KE", "", "MY", "Loxodonta africana", "9", "", "", "",
                "Air", "Cargo - declared as machine parts", "Risk profiling", "Dubai Customs",
                "Dubai International Airport",
            ),
            _accepted(
                "2019-12-03", "day", "AE", None, None, "Loxodonta africana", "TUS", 9,
                "pieces", origin="KE", export="KE", destination="MY", transport="air",
            ),
        ),
        Row(
            (
                "15/12/2019", "ZA", "NA", "NA", "", "CN", "Loxodonta africana", "", "", "210",
                "", "Air", "Checked baggage", "X-ray scan", "South African Revenue Service",
                "O. R. Tambo International Airport",
            ),
            _accepted(
                "2019-12-15", "day", "ZA", None, None, "Loxodonta africana", "IVC", 210,
                "pieces", origin="NA", export="NA", destination="CN", transport="air",
            ),
        ),
    ],
    notes=[
        "When a row gives both a count and a weight of the same ivory type, the weight is the "
        "quantity and the count stays in `extra` under its header (lines 2, 3, 4, 5, 7, 8, 9).",
        "`XF` and `XX` leave origin_countries empty (unknown), lines 4, 5, 7, 8.",
        "Line 7 has no Cty Dis and no Location: quarantined. Its other values still parse.",
        "No row mixes raw and worked ivory, so commodity is never ambiguous.",
    ],
)

# --------------------------------------------------------------------------------------------
# 4. routes_air.csv: C4ADS/ROUTES air seizures, headers with trailing spaces.

ROUTES = Fixture(
    name="routes_air.csv",
    summary=(
        "C4ADS/ROUTES-style air seizures, UTF-8 without BOM, LF line ends. Every header ends "
        "in a space (shown as ␠ below); `\"City, Country \"` contains a comma and is quoted. "
        "Dates `18-Jan-09` "
        "(two-digit years are 20yy), one year-only `2017`. Countries as English names "
        "(`USA`, `UAE`, `Viet Nam`, `Lao PDR`). No coordinates: every row is accepted on the "
        "country part of `City, Country`. Line 4's `Hong Kong, China` must read as HK: try "
        "the whole cell as a country name before splitting at the last comma."
    ),
    settings="none (dd-Mon-yy is unambiguous)",
    headers=[
        ("ID ", "record_id"),
        ("Year ", "extra (Date carries the date)"),
        ("Date ", "seizure_date"),
        ("Database ", "source"),
        ("Location ", "location_name"),
        ("City, Country ", "seizing_country (country part; the whole cell is tried first)"),
        ("Origin ", "origin_countries"),
        ("Transit ", "transit_countries (separated by ;)"),
        ("Destination ", "destination_country"),
        ("Weight (kg) ", "quantity in kg"),
        (
            "Number ",
            "quantity in pieces (individuals when live) — only when Weight is empty; "
            "else extra",
        ),
        ("Airline ", "extra"),
        ("Mode of Transport ", "transport_mode"),
        ("Method of Detection ", "detection_method"),
        ("Obfuscation Method ", "extra"),
        ("Species ", "taxon (and commodity from product words: scales, horn, ivory, live)"),
    ],
    first_data_row=2,
    rows=[
        Row(
            (
                "1043", "2009", "18-Jan-09", "TRAFFIC", "Jomo Kenyatta International Airport",
                "Nairobi, Kenya", "Kenya", "", "Thailand", "12.5", "3", "Kenya Airways",
                "Air - Passenger", "Routine inspection", "Checked baggage", "Ivory",
            ),
            _accepted(
                "2009-01-18", "day", "KE", None, None, "Elephantidae", "TUS", 12.5, "kg",
                origin="KE", destination="TH", transport="air",
            ),
        ),
        Row(
            (
                "2211", "2019", "03-Mar-19", "C4ADS", "Suvarnabhumi Airport", "Bangkok, Thailand",
                "Nigeria", "UAE", "Viet Nam", "136", "", "Emirates", "Air - Cargo", "X-ray",
                "Declared as frozen fish", "Pangolin scales",
            ),
            _accepted(
                "2019-03-03", "day", "TH", None, None, "Manidae", "SCA", 136, "kg",
                origin="NG", transit="AE", destination="VN", transport="air",
            ),
        ),
        Row(
            (
                "1788", "2016", "27-Jul-16", "TRAFFIC", "Hong Kong International Airport",
                "Hong Kong, China", "South Africa", "Qatar", "Viet Nam", "7.2", "6",
                "Qatar Airways", "Air - Passenger", "X-ray", "Wrapped in aluminium foil",
                "Rhino horn",
            ),
            _accepted(
                "2016-07-27", "day", "HK", None, None, "Rhinocerotidae", "HOR", 7.2, "kg",
                origin="ZA", transit="QA", destination="VN", transport="air",
            ),
        ),
        Row(
            (
                "1932", "2017", "2017", "C4ADS", "Jomo Kenyatta International Airport",
                "Nairobi, Kenya", "Uganda", "", "Lao PDR", "31", "", "", "Air - Cargo",
                "Intelligence", "Mixed with avocados", "Manis spp.; Loxodonta africana",
            ),
            _accepted(
                "2017-01-01", "year", "KE", None, None, "Manis spp.", "UNK",
                31, "kg", origin="UG", destination="LA", transport="air",
            ),
        ),
        Row(
            (
                "2104", "2018", "14-Nov-18", "C4ADS", "Murtala Muhammed International Airport",
                "Lagos, Nigeria", "Nigeria", "UAE", "China", "52", "", "Emirates",
                "Air - Passenger", "Sniffer dog", "Checked baggage", "Pangolin scales",
            ),
            _accepted(
                "2018-11-14", "day", "NG", None, None, "Manidae", "SCA", 52, "kg",
                origin="NG", transit="AE", destination="CN", transport="air",
            ),
        ),
        Row(
            (
                "2250", "2019", "22-Aug-19", "TRAFFIC", "Guangzhou Baiyun International Airport",
                "Guangzhou, China", "Nigeria", "Ethiopia", "China", "9.4", "",
                "Ethiopian Airlines", "Air - Passenger", "X-ray", "Painted to look like wood",
                "Ivory carvings",
            ),
            _accepted(
                "2019-08-22", "day", "CN", None, None, "Elephantidae", "IVC", 9.4, "kg",
                origin="NG", transit="ET", destination="CN", transport="air",
            ),
        ),
        Row(
            (
                "1655", "2015", "09-Sep-15", "TRAFFIC", "Mexico City International Airport",
                "Mexico City, Mexico", "Mexico", "USA", "China", "23", "", "Aeromexico",
                "Air - Cargo", "Document check", "Declared as dried seafood",
                "Totoaba swim bladders",
            ),
            _accepted(
                "2015-09-09", "day", "MX", None, None, "Totoaba macdonaldi", "SWI", 23, "kg",
                origin="MX", transit="US", destination="CN", transport="air",
            ),
        ),
        Row(
            (
                "2187", "2018", "30-Apr-18", "C4ADS", "Suvarnabhumi Airport", "Bangkok, Thailand",
                "Madagascar", "Kenya", "Lao PDR", "", "46", "Kenya Airways", "Air - Passenger",
                "X-ray", "Taped inside suitcase", "Radiated tortoise (live)",
            ),
            _accepted(
                "2018-04-30", "day", "TH", None, None, "Astrochelys radiata", "LIV", 46,
                "individuals", origin="MG", transit="KE", destination="LA", transport="air",
            ),
        ),
        Row(
            (
                "2302", "2019", "11-Dec-19", "C4ADS", "Noi Bai International Airport",
                "Hanoi, Viet Nam", "Angola", "Qatar; Thailand", "Viet Nam", "8.5", "11",
                "Qatar Airways", "Air - Passenger", "X-ray", "Wrapped in foil", "Rhino horn",
            ),
            _accepted(
                "2019-12-11", "day", "VN", None, None, "Rhinocerotidae", "HOR", 8.5, "kg",
                origin="AO", transit="QA;TH", destination="VN", transport="air",
            ),
        ),
        Row(
            (
                "2420", "2020", "05-Feb-20", "C4ADS", "Dubai International Airport",
                "Dubai, UAE", "Nigeria", "", "Lao PDR", "20", "", "Emirates", "Air - Cargo",
                "Risk profiling", "Declared as cosmetics", "Manis spp.",
            ),
            _accepted(
                "2020-02-05", "day", "AE", None, None, "Manis spp.", "UNK", 20, "kg",
                origin="NG", destination="LA", transport="air",
            ),
        ),
        Row(
            (
                "1987", "2017", "14-Jun-17", "TRAFFIC", "John F. Kennedy International Airport",
                "New York, USA", "Nigeria", "", "USA", "", "14", "", "Air - Passenger",
                "X-ray", "Coated to look like wood", "Ivory carvings",
            ),
            _accepted(
                "2017-06-14", "day", "US", None, None, "Elephantidae", "IVC", 14, "pieces",
                origin="NG", destination="US", transport="air",
            ),
        ),
    ],
    notes=[
        "Line 5's Date is `2017`: a year, not the Excel serial 2017 (which would be "
        "1905-07-09). A bare 4-digit number between 1900 and 2100 in a CSV date column is a "
        "year.",
        "Line 5's Species names two taxa. One input row stays one record: the first taxon "
        "written is its taxon (with its own group and appendix) and the others go to "
        "`other_taxa` (`Loxodonta africana`); commodity UNK (the cell names no product). "
        "Line 11 `Manis spp.` is likewise UNK.",
        "Where both Weight and Number are given (lines 2, 4, 10) the weight is the quantity "
        "and Number stays in `extra`.",
        "Generic `Ivory` is read as raw ivory (TUS); `Ivory carvings` is IVC.",
        "lat/lon are empty as read: the file has no coordinates. An importer that places "
        "airports by name would add coord_precision `airport`; this table does not assume it.",
    ],
)

# --------------------------------------------------------------------------------------------
# 5. fr_douane_semicolon.csv: Cameroon / Côte d'Ivoire customs, cp1252, ";" and decimal commas.

FR_DOUANE = Fixture(
    name="fr_douane_semicolon.csv",
    summary=(
        "French-language customs export, **cp1252** (not valid UTF-8: é is byte E9), `;` "
        "delimiter, CRLF line ends, decimal commas everywhere (coordinates and quantities). "
        "Thousands separated by a space (`1 250,5`) or a no-break space U+00A0 (`2 400`, "
        "line 8). Dates `12/04/2022`, `1er mars 2022`, `févr. 2022` (month only). Units `t`, "
        "`kg`, `pièces`, `individus`."
    ),
    settings="day_first=True (French convention)",
    headers=[
        ("Date de saisie", "seizure_date"),
        ("Pays de saisie", "seizing_country"),
        ("Lieu", "location_name"),
        ("Latitude", "lat"),
        ("Longitude", "lon"),
        ("Espèce", "taxon"),
        ("Produit", "commodity (trade term read from the phrase; taxon when Espèce is empty)"),
        ("Quantité", "quantity"),
        ("Unité", "unit"),
        ("Pays d'origine", "origin_countries"),
        ("Pays de destination", "destination_country"),
        ("Mode de transport", "transport_mode"),
        ("Remarques", "notes"),
    ],
    first_data_row=2,
    rows=[
        Row(
            (
                "12/04/2022", "Cameroun", "Port autonome de Douala", "4,0511", "9,6936",
                "pangolin géant", "écailles", "3,5", "t", "Cameroun", "Viet Nam", "maritime",
                "Conteneur déclaré « bois débité »",
            ),
            _accepted(
                "2022-04-12", "day", "CM", 4.0511, 9.6936, "Smutsia gigantea", "SCA", 3500,
                "kg", origin="CM", destination="VN", transport="sea",
            ),
        ),
        Row(
            (
                "1er mars 2022", "Cameroun", "Aéroport international de Douala", "4,0061",
                "9,7195", "", "écailles de pangolin", "18,2", "kg", "Cameroun", "Chine",
                "aérien", "Bagages accompagnés, passager à destination de Canton",
            ),
            _accepted(
                "2022-03-01", "day", "CM", 4.0061, 9.7195, "Manidae", "SCA", 18.2, "kg",
                origin="CM", destination="CN", transport="air",
            ),
        ),
        Row(
            (
                "févr. 2022", "Cameroun", "Port de Kribi", "2,7340", "9,8610", "",
                "ivoire brut (pointes)", "1 250,5", "kg", "Cameroun", "Chine", "maritime",
                "Pointes d'ivoire dissimulées sous des grumes",
            ),
            _accepted(
                "2022-02-01", "month", "CM", 2.7340, 9.8610, "Elephantidae", "TUS", 1250.5,
                "kg", origin="CM", destination="CN", transport="sea",
            ),
        ),
        Row(
            (
                "15/05/2022", "Côte d'Ivoire",
                "Aéroport international Félix-Houphouët-Boigny, Abidjan", "5,2614", "-3,9263",
                "perroquet gris", "oiseaux vivants", "24", "individus", "Cameroun",
                "Émirats arabes unis", "aérien", "Caisses déclarées « volailles »",
            ),
            _accepted(
                "2022-05-15", "day", "CI", 5.2614, -3.9263, "Psittacus erithacus", "LIV", 24,
                "individuals", origin="CM", destination="AE", transport="air",
            ),
        ),
        Row(
            (
                "23/06/2022", "Cameroun", "Poste frontière d'Ekok (frontière avec le Nigéria)",
                "5,8050", "8,6190", "pangolin géant", "viande fumée", "45", "kg", "Cameroun",
                "Nigéria", "piéton", "Porteurs à pied sur le pont de la Cross River",
            ),
            _accepted(
                "2022-06-23", "day", "CM", 5.8050, 8.6190, "Smutsia gigantea", "MEA", 45, "kg",
                origin="CM", destination="NG", transport="pedestrian",
            ),
        ),
        Row(
            (
                "08/07/2022", "Cameroun", "Garoua-Boulai (frontière avec la RCA)", "5,8833",
                "14,5500", "", "ivoire", "12", "pièces", "République centrafricaine",
                "Cameroun", "routier", "Défenses cachées dans un camion de bétail",
            ),
            _accepted(
                "2022-07-08", "day", "CM", 5.8833, 14.5500, "Elephantidae", "TUS", 12,
                "pieces", origin="CF", destination="CM", transport="road",
            ),
        ),
        Row(
            (
                "19/08/2022", "Côte d'Ivoire", "Port autonome d'Abidjan", "5,2830", "-4,0050",
                "", "écailles de pangolin", "2\u00a0400", "kg", "Côte d'Ivoire", "Viet Nam",
                "maritime", "Sacs déclarés « noix de cajou »",
            ),
            _accepted(
                "2022-08-19", "day", "CI", 5.2830, -4.0050, "Manidae", "SCA", 2400, "kg",
                origin="CI", destination="VN", transport="sea",
            ),
        ),
        Row(
            (
                "02/09/2022", "Cameroun", "Douala, entrepôt sous douane", "0,0000", "0,0000",
                "perroquet gris", "oiseaux vivants", "60", "individus", "Cameroun", "Koweït",
                "aérien", "Coordonnées non relevées (saisies à 0)",
            ),
            # (0, 0) is "not recorded": placed from its place name, with a warning
            _accepted(
                "2022-09-02", "day", "CM", None, None, "Psittacus erithacus", "LIV", 60,
                "individuals", origin="CM", destination="KW", transport="air",
            ),
        ),
        Row(
            (
                "14/10/2031", "Cameroun", "Aéroport international de Yaoundé-Nsimalen",
                "3,7226", "11,5533", "", "écailles de pangolin", "6,5", "kg", "Cameroun",
                "Chine", "aérien", "Année mal saisie",
            ),
            _quarantined(
                "seizure_date: 2031-10-14 is in the future",
                _accepted(
                    "2031-10-14", "day", "CM", 3.7226, 11.5533, "Manidae", "SCA", 6.5, "kg",
                    origin="CM", destination="CN", transport="air",
                ),
            ),
        ),
        Row(
            (
                "03/11/2022", "Cameroun", "Aéroport international de Yaoundé-Nsimalen",
                "3,7226", "11,5533", "perroquet gris", "oiseaux vivants", "37", "individus",
                "Cameroun", "Koweït", "aérien", "",
            ),
            _accepted(
                "2022-11-03", "day", "CM", 3.7226, 11.5533, "Psittacus erithacus", "LIV", 37,
                "individuals", origin="CM", destination="KW", transport="air",
            ),
        ),
        Row(
            (
                "30/11/2022", "Côte d'Ivoire", "Abidjan, marché d'Adjamé", "5,3640", "-4,0200",
                "", "ivoire travaillé (bracelets)", "8,4", "kg", "Côte d'Ivoire", "", "",
                "Saisie sur un étal du marché",
            ),
            _accepted(
                "2022-11-30", "day", "CI", 5.3640, -4.0200, "Elephantidae", "IVC", 8.4, "kg",
                origin="CI",
            ),
        ),
        Row(
            (
                "12/12/2022", "Cameroun", "Centre de tri postal de Douala", "4,0480", "9,7040",
                "", "écailles de pangolin", "0,75", "kg", "Cameroun", "Chine", "postal",
                "Colis déclaré « échantillons »",
            ),
            _accepted(
                "2022-12-12", "day", "CM", 4.0480, 9.7040, "Manidae", "SCA", 0.75, "kg",
                origin="CM", destination="CN", transport="post",
            ),
        ),
    ],
    notes=[
        "`1er mars 2022` is a full date (1 March, day precision); `févr. 2022` is a month.",
        "Line 12 has no destination and no transport mode: transport_mode `unknown`.",
        "`ivoire` alone reads as raw ivory (TUS); `ivoire travaillé` is IVC.",
        "Line 10's year 2031 is the only date that depends on today: it stays in the future "
        "until 2031-10-14.",
    ],
)

# --------------------------------------------------------------------------------------------
# 6. aitr_2022.xlsx: CITES Annual Illegal Trade Report layout, Hong Kong SAR seizures.

AITR = Fixture(
    name="aitr_2022.xlsx",
    summary=(
        "CITES AITR-style workbook, one sheet `Illegal trade 2022`, header in row 1. Dates are "
        "real Excel date cells; countries are ISO-2 codes as the CITES reporting guidelines "
        "ask, transit lists separated by `, `; no coordinates and no seizing-country column "
        "(an AITR is one Party's report). Seizures by Hong Kong SAR."
    ),
    settings=(
        "country=HK (the reporting Party). **Without it every row is quarantined** (no seizing "
        "country and no coordinates) — the importer needs a per-file default country, like the "
        "day-first setting."
    ),
    headers=[
        ("Date of seizure", "seizure_date"),
        ("Species (scientific name)", "taxon"),
        (
            "Description of specimen",
            "commodity when there is no Trade term column; here it always agrees with "
            "Trade term",
        ),
        ("Trade term", "commodity"),
        ("Quantity", "quantity"),
        ("Unit", "unit (`number` = a count: pieces, or individuals when live)"),
        ("Country of origin", "origin_countries"),
        ("Country of export/re-export", "export_country"),
        ("Country(ies) of transit", "transit_countries (separated by , )"),
        ("Country of destination", "destination_country"),
        ("Location of seizure", "location_name"),
        ("Mode of transport", "transport_mode"),
        ("Detection method", "detection_method"),
        ("Reason for seizure", "extra"),
        ("Estimated value", "extra"),
        ("Additional information", "notes"),
        ("Nationality of offender(s)", "extra"),
    ],
    first_data_row=2,
    rows=[
        Row(
            (
                _excel_date(2022, 1, 7), "Manis spp.", "scales", "SCA", 1250, "kg", "NG", "NG",
                None, "VN", "Kwai Chung Customhouse Cargo Examination Compound", "Sea",
                "X-ray", "No CITES permit", 6250000,
                "Container declared as frozen beef; value in HKD", None,
            ),
            _accepted(
                "2022-01-07", "day", "HK", None, None, "Manis spp.", "SCA", 1250, "kg",
                origin="NG", export="NG", destination="VN", transport="sea",
            ),
        ),
        Row(
            (
                _excel_date(2022, 2, 15), "Loxodonta africana", "tusks", "TUS", 36, "number",
                "NA", "ZA", "QA", "KH", "Hong Kong International Airport", "Air", "X-ray",
                "No CITES permit", 2900000, "Air cargo in transit declared as machine parts",
                None,
            ),
            _accepted(
                "2022-02-15", "day", "HK", None, None, "Loxodonta africana", "TUS", 36,
                "pieces", origin="NA", export="ZA", transit="QA", destination="KH",
                transport="air",
            ),
        ),
        Row(
            (
                _excel_date(2022, 3, 22), "Rhinocerotidae", "horns", "HOR", 8.3, "kg", "ZA",
                "ZA", "QA", "VN", "Hong Kong International Airport", "Air",
                "Passenger profiling", "No CITES permit", 3320000,
                "Two transit passengers; horns wrapped in foil", "VN",
            ),
            _accepted(
                "2022-03-22", "day", "HK", None, None, "Rhinocerotidae", "HOR", 8.3, "kg",
                origin="ZA", export="ZA", transit="QA", destination="VN", transport="air",
            ),
        ),
        Row(
            (
                _excel_date(2022, 5, 9), "Astrochelys radiata", "live", "LIV", 53, "number",
                "MG", "MG", "ET", "HK", "Hong Kong International Airport", "Air", "X-ray",
                "No CITES permit", 530000, "Tortoises taped in checked baggage", "MG",
            ),
            _accepted(
                "2022-05-09", "day", "HK", None, None, "Astrochelys radiata", "LIV", 53,
                "individuals", origin="MG", export="MG", transit="ET", destination="HK",
                transport="air",
            ),
        ),
        Row(
            (
                _excel_date(2022, 6, 30), "Dalbergia cochinchinensis", "logs", "LOG", 24.5, "m3",
                "TH", "TH", None, "CN", "Kwai Chung Customhouse Cargo Examination Compound",
                "Sea", "Documentary check", "False declaration", 1470000,
                "Declared as a non-CITES rosewood", None,
            ),
            _accepted(
                "2022-06-30", "day", "HK", None, None, "Dalbergia cochinchinensis", "LOG", 24.5,
                "m3", origin="TH", export="TH", destination="CN", transport="sea",
            ),
        ),
        Row(
            (
                _excel_date(2022, 8, 18), "Totoaba macdonaldi", "swim bladders", "SWI", 19.6,
                "kg", "MX", "MX", "US, JP", "HK", "Hong Kong International Airport", "Air",
                "X-ray", "No CITES permit", 3900000, None, "CN",
            ),
            _accepted(
                "2022-08-18", "day", "HK", None, None, "Totoaba macdonaldi", "SWI", 19.6, "kg",
                origin="MX", export="MX", transit="US;JP", destination="HK", transport="air",
            ),
        ),
        Row(
            (
                _excel_date(2022, 10, 4), "Sphyrna lewini", "fins", "FIN", 540, "kg", "EC", "EC",
                "PA, MX", "HK", "Kwai Chung Container Terminal", "Sea", "Risk profiling",
                "No CITES permit", 1080000, "Dried fins mixed with non-CITES species", None,
            ),
            _accepted(
                "2022-10-04", "day", "HK", None, None, "Sphyrna lewini", "FIN", 540, "kg",
                origin="EC", export="EC", transit="PA;MX", destination="HK", transport="sea",
            ),
        ),
        Row(
            (
                _excel_date(2022, 11, 28), "Hippocampus kuda", "bodies", "BOD", 4.2, "kg", "TH",
                "TH", None, "HK", "Air Mail Centre", "Post", "X-ray", "No CITES permit",
                42000, "Dried seahorses in a parcel declared as dried seafood", None,
            ),
            _accepted(
                "2022-11-28", "day", "HK", None, None, "Hippocampus kuda", "BOD", 4.2, "kg",
                origin="TH", export="TH", destination="HK", transport="post",
            ),
        ),
        Row(
            (
                _excel_date(2022, 12, 13), "Psittacus erithacus", "live", "LIV", 12, "number",
                "CM", "NG", "ET, AE", "HK", "Hong Kong International Airport", "Air",
                "Passenger profiling", "No CITES permit", 96000, None, "NG",
            ),
            _accepted(
                "2022-12-13", "day", "HK", None, None, "Psittacus erithacus", "LIV", 12,
                "individuals", origin="CM", export="NG", transit="ET;AE", destination="HK",
                transport="air",
            ),
        ),
    ],
    notes=[
        "Row 3 has origin `NA`: Namibia, as in the ETIS file.",
        "Unit `number` is a count: pieces, or individuals when the trade term is LIV "
        "(rows 5 and 10).",
        "Row 6 is timber in cubic metres (unit m3).",
    ],
)

# fmt: on

FIXTURES: dict[str, Fixture] = {
    fixture.name: fixture for fixture in (ES_ADUANA, CN_CUSTOMS, ETIS, ROUTES, FR_DOUANE, AITR)
}

# Files the importer must refuse as a whole, each with one clear sentence.  The value is what
# the sentence should be about, not its exact wording.
BAD_FILES: dict[str, str] = {
    "junk.bin": "not a CSV, XLSX, GeoJSON, GeoPackage or Parquet file (4096 seeded random bytes)",
    "empty.csv": "the file is empty (0 bytes)",
    "header_only.csv": "the file has a header but no data rows",
    "not_really.xlsx": "not a valid Excel workbook (a zip archive holding only notes.txt)",
    "encrypted.xlsx": (
        "password-protected or encrypted workbook (an OLE2 compound file: signature "
        "D0 CF 11 E0 A1 B1 1A E1, then zero padding to 4096 bytes)"
    ),
    "no_header.csv": "no recognisable header row (header `a,b,c` over rows of numbers)",
}


# --------------------------------------------------------------------------------------------
# Writers.


def _zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """Zip entries with fixed timestamps and no compression, so the bytes never vary."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.create_system = 0
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()


def _save_workbook(workbook: openpyxl.Workbook, path: Path) -> None:
    workbook.properties.creator = "Wildlife Seizure Atlas test fixtures"
    workbook.properties.created = datetime.datetime(2022, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    entries = []
    with zipfile.ZipFile(buffer) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name == "docProps/core.xml":
                # openpyxl stamps the save time into dcterms:modified.
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>" + _CORE_TIME.encode() + rb"\g<3>",
                    data,
                )
            entries.append((name, data))
    path.write_bytes(_zip_bytes(entries))


def _write_es_aduana(fixture: Fixture, path: Path) -> None:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Notas"
    notes["A1"] = _ES_NOTES_TEXT
    sheet = workbook.create_sheet("Incautaciones")
    width = len(fixture.headers)
    sheet.cell(row=1, column=1, value="Registro de incautaciones de fauna silvestre 2021")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for column, (header, _) in enumerate(fixture.headers, start=1):
        sheet.cell(row=3, column=column, value=header)
    for row in fixture.rows:
        for column, value in enumerate(row.cells, start=1):
            cell = sheet.cell(row=row.number, column=column, value=value)
            if isinstance(value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY"
    _save_workbook(workbook, path)


def _write_aitr(fixture: Fixture, path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Illegal trade 2022"
    for column, (header, _) in enumerate(fixture.headers, start=1):
        sheet.cell(row=1, column=column, value=header)
    for row in fixture.rows:
        for column, value in enumerate(row.cells, start=1):
            cell = sheet.cell(row=row.number, column=column, value=value)
            if isinstance(value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY"
    _save_workbook(workbook, path)


def _csv_text(fixture: Fixture, delimiter: str, line_end: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow([header for header, _ in fixture.headers])
    for row in fixture.rows:
        writer.writerow(["" if value is None else value for value in row.cells])
    return buffer.getvalue()


def _write_csv(fixture: Fixture, path: Path, encoding: str, delimiter: str, line_end: str) -> None:
    text = _csv_text(fixture, delimiter, line_end)
    path.write_bytes(text.encode(encoding))


def _write_bad_files(folder: Path) -> None:
    junk = random.Random(20240607).randbytes(4096)
    for signature in (b"PK", b"\xd0\xcf\x11\xe0", b"PAR1", b"SQLite", b"{", b"\xef\xbb\xbf"):
        assert not junk.startswith(signature), signature
    (folder / "junk.bin").write_bytes(junk)
    (folder / "empty.csv").write_bytes(b"")
    (folder / "header_only.csv").write_bytes(
        b"Date,Country,Location,Latitude,Longitude,Species,Quantity,Unit\n"
    )
    readme = b"Quarterly seizure summary: see the attached PDF.\n"
    (folder / "not_really.xlsx").write_bytes(_zip_bytes([("notes.txt", readme)]))
    ole_signature = bytes.fromhex("D0CF11E0A1B11AE1")
    (folder / "encrypted.xlsx").write_bytes(ole_signature + bytes(4096 - len(ole_signature)))
    (folder / "no_header.csv").write_bytes(b"a,b,c\n1,2,3\n4,5,6\n7,8,9\n")


# --------------------------------------------------------------------------------------------
# Self-checks: the expectations must be internally consistent before anyone tests against them.


def _check(folder: Path) -> None:
    schema = _load_schema()
    import pycountry

    def check_country(code: str | None) -> None:
        if code is not None:
            assert pycountry.countries.get(alpha_2=code) is not None, code

    for fixture in FIXTURES.values():
        assert 8 <= len(fixture.rows) <= 20, fixture.name
        seen = {}
        for row in fixture.rows:
            assert len(row.cells) == len(fixture.headers), (fixture.name, row.number)
            expected = row.expected
            assert expected.outcome in {"accepted", "quarantined", "duplicate"}
            assert (expected.outcome == "quarantined") == bool(expected.reason)
            if expected.outcome == "duplicate":
                original = seen[expected.duplicate_of]
                assert original.cells == row.cells
                assert original.expected.outcome == "accepted"
            if expected.date_precision is not None:
                assert expected.date_precision in schema.DATE_PRECISIONS
                datetime.date.fromisoformat(expected.seizure_date)
            if expected.outcome != "quarantined":
                assert expected.seizure_date and expected.taxon
                assert expected.seizing_country or expected.lat is not None
            assert expected.commodity is None or expected.commodity in schema.COMMODITY_CODES
            assert expected.unit is None or expected.unit in schema.UNITS
            assert expected.transport_mode in schema.TRANSPORT_MODES
            for code in (
                expected.seizing_country,
                expected.export_country,
                expected.destination_country,
                *expected.origin_countries,
                *expected.transit_countries,
            ):
                check_country(code)
            seen[row.number] = row

    cn_bytes = (folder / CN_CUSTOMS.name).read_bytes()
    assert "𠮷" in cn_bytes.decode("gb18030")
    try:
        cn_bytes.decode("gbk")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("the GB18030 fixture must not decode as GBK")
    for name in (CN_CUSTOMS.name, FR_DOUANE.name):
        try:
            (folder / name).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        raise AssertionError(f"{name} must not be valid UTF-8")
    routes_header = (folder / ROUTES.name).read_text("utf-8").splitlines()[0]
    assert ',"City, Country ",' in routes_header, routes_header
    assert (folder / ETIS.name).read_bytes().startswith(b"\xef\xbb\xbfSeizure Date,Cty Dis,")


def _load_schema():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("geo.schema")


# --------------------------------------------------------------------------------------------
# EXPECTED.md.


def _cell(value) -> str:
    if value is None or value == () or value == "":
        return "—"
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("|", "\\|")


def _coordinate(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def _outcome_text(expected: Expected) -> str:
    if expected.outcome == "quarantined":
        return f"quarantined — {expected.reason}"
    if expected.outcome == "duplicate":
        return f"duplicate of row {expected.duplicate_of}"
    return "accepted"


def _fixture_markdown(fixture: Fixture) -> list[str]:
    outcomes = [row.expected.outcome for row in fixture.rows]
    numbering = "spreadsheet row number" if fixture.name.endswith(".xlsx") else "CSV line number"
    lines = [
        f"## {fixture.name}",
        "",
        fixture.summary,
        "",
        f"Import settings: {fixture.settings.rstrip('.')}.",
        "",
        f"Counts: rows_read {len(outcomes)}, accepted {outcomes.count('accepted')}, "
        f"quarantined {outcomes.count('quarantined')}, duplicates {outcomes.count('duplicate')}."
        f" Rows are numbered by {numbering}.",
        "",
        "| header | record field |",
        "|---|---|",
    ]
    for header, target in fixture.headers:
        # A trailing space is part of the header and would vanish in Markdown.
        shown = header[:-1] + "␠" if header.endswith(" ") else header
        lines.append(f"| `{shown}` | {target} |")
    lines += [
        "",
        "| row | outcome | seizure_date | precision | seizing_country | lat | lon | taxon "
        "| commodity | quantity | unit | origin | export | transit | destination | transport |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in fixture.rows:
        expected = row.expected
        cells = [
            str(row.number),
            _outcome_text(expected),
            _cell(expected.seizure_date),
            _cell(expected.date_precision),
            _cell(expected.seizing_country),
            _coordinate(expected.lat),
            _coordinate(expected.lon),
            _cell(expected.taxon),
            _cell(expected.commodity),
            _cell(expected.quantity),
            _cell(expected.unit),
            _cell(expected.origin_countries),
            _cell(expected.export_country),
            _cell(expected.transit_countries),
            _cell(expected.destination_country),
            _cell(expected.transport_mode),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"- {note}" for note in fixture.notes]
    lines.append("")
    return lines


_PREAMBLE = """\
# Importer fixtures: what each row should become

Generated by `python tests/data/make_fixtures.py` from the same data that writes the files;
edit the script, not this page. Tests can read the expectations directly and use `FIXTURES`
(file name → `Fixture` with headers and rows, each row with its `number` and an `Expected`)
and `BAD_FILES`:

```python
spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = make_fixtures  # dataclasses look their module up while loading
spec.loader.exec_module(make_fixtures)  # importing writes nothing
```

## Conventions

- **Row numbers** are the file's own: the spreadsheet row number for XLSX (title and header
  rows included), the physical line number for CSV (header = line 1; no cell spans lines).
- `—` means empty / null. List fields (origin, transit) are `;`-joined in the order the file
  gives them.
- **seizure_date** is ISO. A month-only date is the first of the month with precision
  `month`; a year-only date is 1 January with precision `year`.
- **lat/lon** are decimal degrees to 4 dp (DMS converted; `S` and `W`/`O` negative).
  Values outside ±90/±180 quarantine the row; `(0, 0)` is read as "not recorded" (a
  warning) and the row is placed by its place name or country like one without coordinates.
- **quantity/unit** after conversion: tonnes (`t`, 吨) × 1000 → kg; 公斤/千克 → kg. A count is
  `pieces`, except animals counted alive (commodity LIV, or 只/individuos/individus) →
  `individuals`; unidades/pièces/件/number are pieces. When a row gives both a weight and a
  count of the same thing, the weight is the quantity and the count stays in `extra`.
- **taxon** is the scientific name at the lowest rank the text supports: a product phrase
  without a species gives the family (pangolin scales → Manidae, ivory → Elephantidae, rhino
  horn → Rhinocerotidae, bear gall → Ursidae). Generic *ivory* (象牙, ivoire, Ivory) is raw
  ivory, TUS; worked ivory (象牙制品, ivoire travaillé, Ivory carvings) is IVC. Commodity `UNK`
  when nothing names a product.
- **Countries** are ISO-2. Pseudo-codes `XX`, `XF` are unknown and leave the role empty.
  `NA` is Namibia. `Hong Kong, China` and 中国香港 are HK.
- **transport_mode**: aéreo/aérien/航空/Air… → air; marítimo/maritime/海运/Sea → sea;
  terrestre/routier/公路/Road → road; postal/邮寄/Mail/Post → post; piéton → pedestrian;
  empty → unknown.
- **Quarantine reasons** name the record field first (`field: why`). Quarantined rows still
  list the values that did parse, for information; tests should assert the outcome and the
  field, not those values.
- Duplicates are exact after normalisation, compared with the earlier row in the same file.

"""


def _bad_files_markdown() -> list[str]:
    lines = [
        "## Files rejected as a whole",
        "",
        "Each must give a non-zero exit from `seizures import` / `seizures validate` and one "
        "sentence saying why; nothing is stored.",
        "",
        "| file | the sentence should say |",
        "|---|---|",
    ]
    lines += [f"| {name} | {reason} |" for name, reason in BAD_FILES.items()]
    lines.append("")
    return lines


def write_expected_markdown(path: Path) -> None:
    """Write EXPECTED.md from FIXTURES and BAD_FILES."""
    lines = [_PREAMBLE.rstrip("\n"), ""]
    for fixture in FIXTURES.values():
        lines += _fixture_markdown(fixture)
    lines += _bad_files_markdown()
    path.write_text("\n".join(lines), encoding="utf-8")


def write_fixtures(folder: Path = HERE) -> None:
    """Write every fixture file and EXPECTED.md into ``folder``."""
    _write_es_aduana(ES_ADUANA, folder / ES_ADUANA.name)
    _write_csv(CN_CUSTOMS, folder / CN_CUSTOMS.name, "gb18030", ",", "\r\n")
    _write_csv(ETIS, folder / ETIS.name, "utf-8-sig", ",", "\n")
    _write_csv(ROUTES, folder / ROUTES.name, "utf-8", ",", "\n")
    _write_csv(FR_DOUANE, folder / FR_DOUANE.name, "cp1252", ";", "\r\n")
    _write_aitr(AITR, folder / AITR.name)
    _write_bad_files(folder)
    write_expected_markdown(folder / "EXPECTED.md")
    _check(folder)


if __name__ == "__main__":
    write_fixtures()
