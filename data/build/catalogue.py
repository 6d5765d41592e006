"""Rebuild the translation catalogue: extract, update every language, compile.

Usage (from the repository root): python data/build/catalogue.py

Extracts every text marked for translation in geo/ (by the mapping in babel.cfg) into
geo/i18n/locale/messages.pot, merges it into each language's messages.po (new texts with
an empty translation, gone ones dropped), compiles each messages.mo and lists what is still
untranslated.  Deterministic: the same sources give the same bytes.  Commit the .pot, .po
and .mo files together; tests/unit/test_i18n.py fails while any of them is out of date.
The workflow is described in the docstring of geo/i18n/__init__.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.i18n import LANGUAGES, po_path
from geo.i18n.build import POT_FILE, REPO_ROOT, build_catalogue


def main() -> int:
    """Build the catalogue and report the untranslated texts per language."""
    report = build_catalogue()
    print(f"{POT_FILE.relative_to(REPO_ROOT)}: {report.messages} texts")
    for lang, missing in report.untranslated.items():
        done = report.messages - len(missing)
        where = po_path(lang).relative_to(REPO_ROOT)
        print(f"{lang} ({LANGUAGES[lang]}): {done}/{report.messages} translated  {where}")
        for text in missing:
            print(f"    untranslated: {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
