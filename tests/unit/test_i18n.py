"""The text catalogue and CLDR names and formats: complete, current, and right in six languages."""

import datetime as dt
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from geo.i18n import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    country_name,
    format_date,
    format_number,
    format_period,
    label,
    mo_path,
    po_path,
    translator,
)
from geo.i18n.build import POT_FILE, compile_catalogue, extract_template
from geo.labels import FIELD_LABELS
from geo.reference.catalogue import APPENDIX_LABELS, GROUP_LABELS, TRANSPORT_LABELS

TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]
REBUILD = "run python data/build/catalogue.py"
# str.format fields ({count}, {0}, {value!r}) and printf ones (%(name)s, %s, %d), not "% c"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sdifr]|%[sdifr]")
LAO = re.compile(r"[\u0e80-\u0eff]")
THIN = "\u2009"  # CLDR writes a thin space either side of an interval's dash


def _read(path):
    with path.open("rb") as file:
        return read_po(file)


def _texts(catalog):
    return {(message.context, message.id): message for message in catalog if message.id}


@pytest.fixture(scope="module")
def template():
    """The committed template, messages.pot."""
    return _read(POT_FILE)


def test_the_template_holds_every_marked_text_of_the_code(template):
    extracted = set(_texts(extract_template()))
    committed = set(_texts(template))
    assert extracted - committed == set(), f"new texts are not in messages.pot: {REBUILD}"
    assert committed - extracted == set(), f"messages.pot lists texts gone from the code: {REBUILD}"


def test_the_label_tables_are_in_the_template(template):
    texts = {text for _, text in _texts(template)}
    assert set(GROUP_LABELS.values()) <= texts
    assert set(APPENDIX_LABELS.values()) <= texts
    assert "Seizure date" in texts
    # built by an f-string, so not extractable: shown in English in every language for now
    assert FIELD_LABELS["h3_r5"] == "H3 cell (resolution 5)"
    assert FIELD_LABELS["h3_r5"] not in texts


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_is_translated(template, lang):
    catalog = _read(po_path(lang))
    assert set(_texts(catalog)) == set(_texts(template)), f"{lang}: {REBUILD}"
    missing = [
        message.id
        for message in _texts(catalog).values()
        if message.fuzzy or not all(message.string if message.pluralizable else [message.string])
    ]
    assert missing == [], f"{lang}: untranslated or fuzzy: {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_kept(lang):
    wrong = []
    for message in _texts(_read(po_path(lang))).values():
        ids = message.id if message.pluralizable else [message.id]
        strings = message.string if message.pluralizable else [message.string]
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        wrong += [
            (message.id, text) for text in strings if sorted(PLACEHOLDER.findall(text)) != wanted
        ]
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_committed_mo_is_the_compiled_po(lang):
    assert mo_path(lang).read_bytes() == compile_catalogue(po_path(lang)), f"{lang}: {REBUILD}"


def test_lao_is_written_in_lao_script():
    not_lao = []
    for message in _texts(_read(po_path("lo"))).values():
        # what stays Latin: names, codes, units and file names (CITES, H3, Gi*, records.csv)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for string in strings:
            words = PLACEHOLDER.sub("", string)
            if string not in ids and not LAO.search(words):
                not_lao.append(string)
    assert not_lao == []
    assert "ລາວ" in LANGUAGES.values()


def test_the_translator_gives_each_language():
    assert translator("zh").gettext(GROUP_LABELS["mammals"]) == "哺乳动物"
    assert translator("es").gettext("Seizure date") == "Fecha del decomiso"
    assert translator("fr").gettext(APPENDIX_LABELS["I"]) == "Annexe I"
    assert translator("pt").gettext(APPENDIX_LABELS["I"]) == "Anexo I"
    assert translator("zh").gettext(APPENDIX_LABELS["I"]) == "附录I"
    assert translator("lo").gettext("Seizures") == "ການຍຶດ"
    assert translator("en").gettext("Mammals") == "Mammals"
    assert label(TRANSPORT_LABELS["air"], "fr") == "Aérien"
    assert label("", "zh") == ""  # not gettext's header


def test_a_text_missing_from_the_catalogue_stays_english():
    t = translator("zh")
    assert t.gettext("Not a marked text") == "Not a marked text"
    assert t.ngettext("{n} record", "{n} records", 2) == "{n} records"
    assert t.pgettext("map", "Mammals") == "Mammals"  # no context in the catalogue yet
    assert translator("zh") is t  # read once


def test_an_unknown_language_is_one_sentence_with_the_codes():
    with pytest.raises(ValueError) as error:
        translator("de")
    assert str(error.value) == (
        "Unknown language 'de': the supported languages are en, zh, es, fr, pt and lo."
    )
    with pytest.raises(ValueError, match="supported languages"):
        country_name("CN", "zh_TW")


COUNTRIES = {
    "en": ("China", "Lao PDR", "Peru"),
    "zh": ("中国", "老挝", "秘鲁"),
    "es": ("China", "RDP Lao", "Perú"),
    "fr": ("Chine", "RDP lao", "Pérou"),
    "pt": ("China", "RDP do Laos", "Peru"),
    "lo": ("ຈີນ", "ລາວ", "ເປຣູ"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_country_names_in_each_language(lang):
    assert tuple(country_name(code, lang) for code in ("CN", "LA", "PE")) == COUNTRIES[lang]


def test_country_names_keep_the_projects_chosen_wording():
    assert country_name("VN", "en") == "Viet Nam"  # the dashboard's English
    assert country_name("TW", "zh") == "中国台湾"  # CLDR has 台湾
    assert country_name("HK", "zh") == "中国香港"
    assert country_name("TH", "fr") == "Thaïlande"  # CLDR
    assert country_name("BR", "lo") == "ບຣາຊິວ"  # CLDR, which the project's table lacks
    assert country_name("xk", "es") == "Kosovo"


@pytest.mark.parametrize("code", ["XX", "ZZ", "unknown", ""])
def test_a_pseudo_code_is_no_country_in_any_language(code):
    # CLDR names ZZ "Unknown Region"; the project keeps pseudo-codes as written
    assert {country_name(code, lang) for lang in LANGUAGES} == {code}


def test_periods_use_the_languages_interval_forms():
    start, end = dt.date(2021, 1, 1), dt.date(2024, 12, 31)
    assert format_period(start, end, "en") == f"1 Jan 2021{THIN}–{THIN}31 Dec 2024"
    assert format_period(start, end, "zh") == f"2021年1月1日{THIN}–{THIN}2024年12月31日"
    assert format_period("2021-01-01", "2021-01-31", "en") == f"1{THIN}–{THIN}31 Jan 2021"
    assert format_period(start, dt.date(2021, 3, 31), "en", precision="month") == (
        f"Jan{THIN}–{THIN}Mar 2021"
    )
    assert format_period(start, start, "fr") == "1 janv. 2021"
    with pytest.raises(ValueError, match="ends"):
        format_period(end, start, "en")


def test_dates_and_numbers():
    day = dt.datetime(2021, 1, 31, 15, 30)
    assert format_date(day, "en") == "31 Jan 2021"
    assert format_date(day, "zh") == "2021年1月31日"
    assert format_date(day, "zh", precision="month") == "2021年1月"
    assert format_date("2021-01-31", "es", precision="year") == "2021"
    with pytest.raises(ValueError, match="precision"):
        format_date(day, "en", precision="week")
    assert format_number(12345.5, "en") == "12,345.5"
    assert format_number(12345.5, "es") == "12.345,5"
    assert format_number(12345.5, "fr") == "12\u202f345,5"
    assert format_number(6565, "zh", decimals=2) == "6,565.00"
    assert format_number(2.25, "pt", decimals=0) == "2"
    assert format_number(float("nan"), "en") == ""
    with pytest.raises(TypeError):
        format_number("12", "en")


def test_the_catalogue_needs_no_streamlit():
    code = "import sys, geo.i18n, geo.labels; print('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
