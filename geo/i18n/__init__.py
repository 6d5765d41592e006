"""Translations: the interface's words, and names, numbers and dates, in six languages.

English is the source; the catalogue translates it into Chinese (Simplified), Spanish,
French, Portuguese and Lao.  Plain gettext, with no Streamlit::

    from geo.i18n import translator, country_name, format_period

    t = translator("zh")
    t.gettext(GROUP_LABELS["mammals"])          # "哺乳动物"
    t.ngettext("{count} seizure", "{count} seizures", n).format(count=n)
    country_name("LA", "es")                     # "RDP Lao"
    format_period(start, end, "zh")              # "2021年1月1日 – 2024年12月31日"

Marking words
    In a function, translate at once: ``_ = translator(lang).gettext`` then ``_("Trend")``.
    Text defined at import time (tables of labels) is marked with ``N_("Mammals")``, which
    returns it unchanged, and translated where it is shown: ``t.gettext(label)`` or
    :func:`label`.  Babel finds ``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``N_``
    calls with literal text; an f-string or a computed string cannot be extracted, so put
    the variable parts in placeholders (``"{count} records"``, then ``.format``).  A comment
    beginning ``# TRANSLATORS:`` just above the call reaches the translators.

The catalogue
    ``geo/i18n/locale/messages.pot`` (the template: every marked text under ``geo/``, by
    the mapping in ``babel.cfg``) and, for each language, ``locale/<lang>/LC_MESSAGES/``
    ``messages.po`` (the translations, edited by hand or by a translator's tool) and
    ``messages.mo`` (compiled, read at run time).  All three are committed; nothing is
    compiled at run time.

After marking new words, or editing a ``.po`` file, run from the repository root::

    python data/build/catalogue.py

It extracts the template, merges it into every ``.po`` (new texts appear with an empty
translation; texts gone from the code are dropped), compiles every ``.mo`` and prints the
untranslated texts per language.  Fill those in (never mark a translation fuzzy: fuzzy
entries are not compiled), run it again, and commit the ``.pot``, ``.po`` and ``.mo`` files
together.  The same sources give the same bytes, so a rebuild without changes is no diff.
``tests/unit/test_i18n.py`` fails while the template is behind the code, a text is
untranslated, a placeholder is lost, or a ``.mo`` is stale.  A new language: add it to
:data:`LANGUAGES` (and its CLDR locale in ``geo.i18n.languages``) and run the script.

Names, numbers and dates come from the Unicode CLDR data that Babel ships
(:func:`country_name`, :func:`format_number`, :func:`format_date`,
:func:`format_period`).
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from geo.i18n.formats import format_date, format_number, format_period
from geo.i18n.languages import LANGUAGES, SOURCE_LANGUAGE, check_language
from geo.i18n.names import country_name
from geo.labels import N_

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "SOURCE_LANGUAGE",
    "Translator",
    "country_name",
    "format_date",
    "format_number",
    "format_period",
    "label",
    "mo_path",
    "po_path",
    "translator",
]

DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# gettext's own classes: .gettext, .ngettext and .pgettext; English is the null one,
# which gives every text back as written.
Translator = gettext.NullTranslations


def po_path(lang: str) -> Path:
    """Return the path of a language's translations (``locale/<lang>/LC_MESSAGES/*.po``)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    """Return the path of a language's compiled translations (the ``.mo`` beside the ``.po``)."""
    return po_path(lang).with_suffix(".mo")


def translator(lang: str) -> Translator:
    """Return the translations into one language, read once from its compiled catalogue.

    Parameters
    ----------
    lang : str
        A code of :data:`LANGUAGES`: ``"en"`` (the source: texts come back as written),
        ``"zh"``, ``"es"``, ``"fr"``, ``"pt"`` or ``"lo"``.

    Returns
    -------
    Translator
        A :class:`gettext.NullTranslations` (English) or :class:`gettext.GNUTranslations`,
        with ``gettext(text)``, ``ngettext(singular, plural, n)`` and
        ``pgettext(context, text)``; a text the catalogue lacks comes back in English.
    """
    return _translator(check_language(lang))


@cache
def _translator(lang: str) -> Translator:
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = mo_path(lang)
    if not path.is_file():
        raise FileNotFoundError(
            f"The compiled catalogue {path} is missing: run python data/build/catalogue.py"
        )
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)


def label(text: str, lang: str) -> str:
    """Return one marked text (a label from a table of ``N_`` words) in a language.

    Parameters
    ----------
    text : str
        The English text, e.g. ``GROUP_LABELS["mammals"]``.
    lang : str
        A code of :data:`LANGUAGES`.

    Returns
    -------
    str
        E.g. ``("Mammals", "fr")`` → "Mammifères"; ``""`` for ``""``.
    """
    return translator(lang).gettext(text) if text else ""
