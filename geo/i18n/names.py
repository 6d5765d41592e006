"""Country names in each language: CLDR's (via Babel), the project's where it chose the words."""

from __future__ import annotations

from geo.i18n.languages import SOURCE_LANGUAGE, check_language, cldr_locale
from geo.reference.countries import country_name as _project_name
from geo.reference.countries import is_country_code

__all__ = ["PROJECT_WORDING", "country_name"]

# Countries whose names the project chose on purpose, for its users (data/README.md,
# "Choices of wording"): Lao PDR and Viet Nam as their governments and the UN write them;
# Hong Kong, Macao and Taiwan as China Customs and ISO 3166 write them (CLDR's zh has
# "台湾"); the two Koreas and the two Congos as in UN documents (CLDR's pt has
# "Congo - Kinshasa").  In the languages the project's country table has (zh, es, fr, pt)
# these keep its names; Lao, which the table lacks, takes CLDR's.
PROJECT_WORDING = frozenset({"LA", "VN", "HK", "MO", "TW", "KR", "KP", "CD", "CG"})
# The languages of data/reference/countries.csv besides English.
_PROJECT_LANGUAGES = frozenset({"zh", "es", "fr", "pt"})


def country_name(code: str, lang: str) -> str:
    """Return a country's name in one language.

    English names are the project's own (``geo.reference.countries.country_name``: "Lao PDR",
    "Viet Nam"), so that the text matches the dashboard.  Other languages take the Unicode
    CLDR names (Babel's ``Locale.territories``), except the countries of
    :data:`PROJECT_WORDING`, and fall back to the English name for a code CLDR lacks.

    Parameters
    ----------
    code : str
        ISO 3166-1 alpha-2 code, any case (and XK, Kosovo).
    lang : str
        A code of :data:`geo.i18n.LANGUAGES`.

    Returns
    -------
    str
        E.g. ``("LA", "zh")`` → "老挝", ``("PE", "lo")`` → "ເປຣູ".  A code that is no country
        (the pseudo-codes XX and ZZ, "unknown") comes back as the project's English function
        gives it: unchanged.
    """
    lang = check_language(lang)
    if not isinstance(code, str) or not is_country_code(code.strip().upper()):
        return _project_name(code)
    code = code.strip().upper()
    if lang == SOURCE_LANGUAGE or (lang in _PROJECT_LANGUAGES and code in PROJECT_WORDING):
        return _project_name(code, lang)
    return cldr_locale(lang).territories.get(code) or _project_name(code)
