"""The interface's languages: their codes, their own names, and the CLDR locale of each."""

from __future__ import annotations

from functools import cache

from babel import Locale

__all__ = ["LANGUAGES", "SOURCE_LANGUAGE", "check_language", "cldr_locale"]

# Code → the language's name in itself, in the order a language menu lists them.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh": "中文",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
    "lo": "ລາວ",
}
SOURCE_LANGUAGE = "en"

# The CLDR locale that formats dates and numbers and names countries in each language.
# English is British, as the interface's words are ("Mail centre", "litres"); Chinese is
# Simplified; CLDR's "pt" is Brazilian Portuguese and "es" the international Spanish that
# CITES documents use (comma decimals, as in most of South America).
_CLDR_LOCALES = {
    "en": "en_GB",
    "zh": "zh_Hans",
    "es": "es",
    "fr": "fr",
    "pt": "pt",
    "lo": "lo",
}


def check_language(lang: str) -> str:
    """Return a supported language code, or raise ValueError with the supported codes.

    Parameters
    ----------
    lang : str
        A code of :data:`LANGUAGES`, any case, e.g. ``"zh"``.

    Returns
    -------
    str
        The code in lower case.
    """
    code = lang.strip().lower() if isinstance(lang, str) else lang
    if code not in LANGUAGES:
        supported = ", ".join(list(LANGUAGES)[:-1]) + f" and {list(LANGUAGES)[-1]}"
        raise ValueError(f"Unknown language {lang!r}: the supported languages are {supported}.")
    return code


@cache
def cldr_locale(lang: str) -> Locale:
    """Return the Babel locale (CLDR data) for a supported language code."""
    return Locale.parse(_CLDR_LOCALES[check_language(lang)])
