"""Building the catalogue: extract the marked texts, merge them into each language, compile.

Run by ``python data/build/catalogue.py`` (see :mod:`geo.i18n` for the workflow); the tests
call the same functions to check that the committed files are current.  Every file is
written deterministically: fixed header dates (git records when a translation changed),
source files without line numbers (so moving code does not touch the catalogue), and
texts in the order they appear in the code, file by file.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from geo.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, mo_path, po_path

__all__ = [
    "MAPPING_FILE",
    "POT_FILE",
    "REPO_ROOT",
    "BuildReport",
    "build_catalogue",
    "compile_catalogue",
    "extract_template",
    "render_po",
    "update_translations",
]

REPO_ROOT = LOCALE_DIR.parents[2]
MAPPING_FILE = REPO_ROOT / "babel.cfg"
POT_FILE = LOCALE_DIR / f"{DOMAIN}.pot"

_PROJECT = "Wildlife Seizure Atlas"
_VERSION = "interface"
_FIXED_DATE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
_COMMENT_TAGS = ("TRANSLATORS:",)
_HEADER = (
    "# {what} of the Wildlife Seizure Atlas interface.\n"
    "# Built by python data/build/catalogue.py from the texts marked in geo/.\n"
    "#"
)


@dataclass(frozen=True)
class BuildReport:
    """What one build found: the number of texts, and the untranslated ones per language."""

    messages: int
    untranslated: dict[str, list[str]]


def extract_template() -> Catalog:
    """Return the template: every marked text in the files ``babel.cfg`` maps (``geo/``).

    Returns
    -------
    babel.messages.catalog.Catalog
        One message per distinct text (and context), with the files it appears in and the
        ``# TRANSLATORS:`` comments above it.
    """
    with MAPPING_FILE.open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file, str(MAPPING_FILE))
    catalog = _new_catalog(locale=None)
    found = extract_from_dir(
        str(REPO_ROOT),
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        comment_tags=_COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            None,
            [(filename.replace("\\", "/"), lineno)],
            auto_comments=comments,
            context=context,
        )
    _brace_format_only(catalog)
    return catalog


def update_translations(template: Catalog, lang: str) -> Catalog:
    """Return a language's translations merged with the template.

    Texts new to the language get an empty translation (never a fuzzy guess from a similar
    text); texts gone from the template are dropped; the rest keep their translation.

    Parameters
    ----------
    template : Catalog
        From :func:`extract_template`.
    lang : str
        A code of :data:`geo.i18n.LANGUAGES` other than English.

    Returns
    -------
    Catalog
        The merged catalogue, not yet written.
    """
    path = po_path(lang)
    if path.is_file():
        with path.open("rb") as file:
            catalog = read_po(file, locale=lang, domain=DOMAIN)
    else:
        catalog = _new_catalog(locale=lang)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    catalog.obsolete.clear()
    _brace_format_only(catalog)
    _fix_header(catalog, lang)
    return catalog


def render_po(catalog: Catalog) -> bytes:
    """Return a catalogue as the bytes of a ``.po`` (or ``.pot``) file."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=96, ignore_obsolete=True, include_lineno=False)
    return buffer.getvalue()


def compile_catalogue(po_file: Path) -> bytes:
    """Return the compiled ``.mo`` bytes of a ``.po`` file (fuzzy entries are left out).

    Parameters
    ----------
    po_file : Path
        A language's ``messages.po``.

    Returns
    -------
    bytes
        What :func:`geo.i18n.translator` reads; the same ``.po`` gives the same bytes.
    """
    lang = po_file.parent.parent.name
    with po_file.open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN)
    _fix_header(catalog, lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def build_catalogue() -> BuildReport:
    """Extract the template, update every language's ``.po`` and compile its ``.mo``.

    Returns
    -------
    BuildReport
        The number of texts and, per language, the texts still untranslated.
    """
    template = extract_template()
    POT_FILE.parent.mkdir(parents=True, exist_ok=True)
    POT_FILE.write_bytes(render_po(template))
    untranslated = {}
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        catalog = update_translations(template, lang)
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        po_path(lang).write_bytes(render_po(catalog))
        mo_path(lang).write_bytes(compile_catalogue(po_path(lang)))
        untranslated[lang] = [
            message.id if isinstance(message.id, str) else message.id[0]
            for message in catalog
            if message.id and (not _translated(message) or message.fuzzy)
        ]
    return BuildReport(messages=sum(1 for m in template if m.id), untranslated=untranslated)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(strings) and all(strings)


def _brace_format_only(catalog: Catalog) -> None:
    # Babel reads "{confidence}% confidence" as a printf "% c" too; the project's texts use
    # str.format, so a text with braces is brace-format only (and translators' tools do not
    # ask for a "% c" in the translation).
    for message in catalog:
        if "python-brace-format" in message.flags:
            message.flags.discard("python-format")


def _new_catalog(locale: str | None) -> Catalog:
    catalog = Catalog(
        locale=locale,
        domain=DOMAIN,
        project=_PROJECT,
        version=_VERSION,
        header_comment=_HEADER.format(
            what="Template of the texts" if locale is None else f"{LANGUAGES[locale]} texts"
        ),
        fuzzy=False,
    )
    _fix_header(catalog, locale)
    return catalog


def _fix_header(catalog: Catalog, lang: str | None) -> None:
    """Set the header fields that would otherwise change on every run or name nobody."""
    catalog.project = _PROJECT
    catalog.version = _VERSION
    catalog.creation_date = _FIXED_DATE
    catalog.revision_date = _FIXED_DATE
    catalog.msgid_bugs_address = ""
    catalog.copyright_holder = ""
    catalog.last_translator = _PROJECT
    catalog.language_team = LANGUAGES[lang] if lang else "Translators"
    catalog.fuzzy = False
