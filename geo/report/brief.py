"""Make a briefing file: the one entry point of ``seizures brief`` and the Briefing page.

``briefing_file(store, query, "en,zh", "pdf")`` gathers the briefing
(:func:`geo.report.briefing.build_briefing`) and writes it as a bilingual PDF or PPTX.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geo.i18n import LANGUAGES
from geo.report.briefing import Briefing, build_briefing, ids_csv
from geo.store.query import Query
from geo.store.store import Store

__all__ = ["FORMATS", "briefing_file", "parse_languages", "write_briefing"]

FORMATS = ("pdf", "pptx")


def parse_languages(text: str | tuple[str, ...] | list[str]) -> tuple[str, str]:
    """Read "en,zh" as the briefing's two languages (one language gives a single-language pack).

    Raises ValueError with one sentence for an unknown code or more than two languages.
    """
    codes = [part.strip().lower() for part in (text.split(",") if isinstance(text, str) else text)]
    codes = [code for code in codes if code]
    unknown = [code for code in codes if code not in LANGUAGES]
    if unknown:
        raise ValueError(
            f"--lang: {', '.join(unknown)} is not a briefing language; "
            f"use two of {', '.join(LANGUAGES)} (e.g. en,zh)"
        )
    if not codes or len(codes) > 2:
        raise ValueError(
            f"--lang: give one or two languages separated by a comma (e.g. en,zh), got {text!r}"
        )
    return (codes[0], codes[-1])


def briefing_file(
    store: Store,
    query: Query,
    languages: str | tuple[str, ...],
    file_format: str,
    now: dt.datetime | None = None,
) -> tuple[bytes, Briefing]:
    """Return the briefing as ``file_format`` bytes ("pdf" or "pptx"), and its content."""
    if file_format not in FORMATS:
        raise ValueError(f"a briefing is written as PDF or PPTX, not {file_format!r}")
    store.principal.require("brief", "make briefings")
    pair = parse_languages(languages)
    briefing = build_briefing(store, query, now=now)
    if file_format == "pdf":
        from geo.report.briefing_pdf import BriefingUnavailable, briefing_pdf

        try:
            return briefing_pdf(briefing, pair), briefing
        except BriefingUnavailable as error:
            raise ValueError(str(error)) from error
    from geo.report.briefing_pptx import briefing_pptx

    return briefing_pptx(briefing, pair), briefing


def write_briefing(
    store: Store, query: Query, languages: str, out: str | Path
) -> tuple[Path, Briefing, Path | None]:
    """Write the briefing to ``out`` (its suffix, .pdf or .pptx, picks the format).

    A PDF carries the record ids behind every figure as an attachment; beside a PPTX they
    are written to ``<out>.records.csv``, returned third (None for a PDF).
    """
    out = Path(out)
    file_format = out.suffix.lower().lstrip(".")
    if file_format not in FORMATS:
        raise ValueError(f"--out: {out.name} should end in .pdf or .pptx")
    data, briefing = briefing_file(store, query, languages, file_format)
    out.write_bytes(data)
    audit_briefing(store, briefing, file_format, languages)
    ids_file = None
    if file_format == "pptx":
        ids_file = out.with_name(out.name + ".records.csv")
        ids_file.write_bytes(ids_csv(briefing))
    return out, briefing, ids_file


def audit_briefing(store: Store, briefing: Briefing, file_format: str, languages: object) -> None:
    """Log that a briefing left the store (who, pair, period, format, how many records)."""
    from geo.report.export import audit_export

    audit_export(
        store,
        file_format,
        briefing.record_count,
        briefing.query,
        action="brief",
        languages=list(parse_languages(languages)),
    )
