"""The briefing as a bilingual PDF: HTML laid out and typeset by WeasyPrint.

Every heading, label and sentence is written in both languages, the first above the
second (in a lighter colour), with the fonts each script needs (DejaVu Sans for Latin,
WenQuanYi Zen Hei for Chinese, Phetsarath OT for Lao) embedded as subsets; Pango and
HarfBuzz shape the text, so Lao marks sit where they should.  Record text (place names,
sources) is escaped.  The record ids behind every figure are listed in the appendix (the
first :data:`IDS_PER_FIGURE` of each) and attached whole as ``records.csv``.
"""

from __future__ import annotations

import base64
import io
from html import escape

from geo.i18n import LANGUAGES
from geo.report.briefing import Briefing, ids_csv
from geo.report.briefing_figures import (
    CONFIDENCE_COLOURS,
    PAIR_TINTS,
    hotspot_map_png,
    trend_png,
)
from geo.report.briefing_words import (
    Words,
    caveats,
    change_text,
    filters_text,
    hotspot_sentence,
    period_text,
    trace_label,
)

__all__ = [
    "IDS_PER_FIGURE",
    "BriefingUnavailable",
    "briefing_html",
    "briefing_pdf",
]


class BriefingUnavailable(RuntimeError):
    """A briefing format cannot be written on this machine (a system library is missing)."""


IDS_PER_FIGURE = 200
FONTS = '"DejaVu Sans", "WenQuanYi Zen Hei", "Phetsarath OT", sans-serif'
_LANG_FONTS = {
    "zh": '"WenQuanYi Zen Hei", "DejaVu Sans", sans-serif',
    "lo": '"Phetsarath OT", "DejaVu Sans", sans-serif',
}

_CSS = """
@page { size: A4 landscape; margin: 14mm 14mm 16mm 14mm;
  @bottom-left { content: string(footer); font-size: 7.5pt; color: #666; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 7.5pt; color: #666; } }
body { font-family: FONTS; font-size: 10pt; color: #1f1f1f; line-height: 1.3; }
.footer { string-set: footer content(); display: none; }
section { page-break-after: always; }
section:last-child { page-break-after: auto; }
h1 { font-size: 26pt; margin: 0 0 2mm 0; color: #1d3557; }
h2 { font-size: 17pt; margin: 0 0 3mm 0; color: #1d3557; border-bottom: 1.5pt solid #1d3557;
  padding-bottom: 1mm; }
.second { color: #5a6b7b; font-weight: normal; }
h1 .second { display: block; font-size: 20pt; }
h2 .second { font-size: 13pt; margin-left: 3mm; }
.title-page { padding-top: 25mm; }
.title-page .pair { font-size: 34pt; font-weight: bold; color: #1d3557; margin: 6mm 0; }
.title-page .pair .second { display: block; font-size: 28pt; font-weight: bold; }
dl.facts { display: grid; grid-template-columns: 55mm auto; gap: 2mm 6mm; font-size: 11pt; }
dl.facts dt { font-weight: bold; color: #1d3557; }
dl.facts dd { margin: 0; }
.notice { margin-top: 8mm; padding: 3mm 4mm; border: 1pt solid #b45309; background: #fff7ed;
  color: #7c2d12; font-weight: bold; }
.cards { display: flex; gap: 5mm; margin: 4mm 0 6mm 0; }
.card { flex: 1; border: 0.8pt solid #cbd5e1; border-radius: 2mm; padding: 3mm 4mm; }
.card .label { font-size: 9.5pt; color: #334155; font-weight: bold; }
.card .value { font-size: 24pt; font-weight: bold; color: #1d3557; margin: 1mm 0; }
.card .change { font-size: 8.5pt; color: #475569; }
p.sentence { font-size: 11.5pt; margin: 1.5mm 0; }
p.sentence.second { font-size: 10.5pt; }
.two { display: flex; gap: 6mm; }
.two > div { flex: 1; }
img.map { width: 150mm; }
img.chart { width: 250mm; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin-bottom: 4mm; }
th { text-align: left; background: #eef2f7; color: #1d3557; padding: 1.5mm 2mm;
  vertical-align: bottom; }
th .second, td .second { display: block; font-size: 8pt; }
td { padding: 1.2mm 2mm; border-bottom: 0.5pt solid #dde3ea; vertical-align: top; }
td.n, th.n { text-align: right; }
.legend { font-size: 9pt; margin-top: 2mm; }
.legend div { margin: 1mm 0; }
.swatch { display: inline-block; width: 4mm; height: 4mm; border-radius: 2mm;
  vertical-align: middle; margin-right: 2mm; }
.line { display: inline-block; width: 8mm; height: 0; border-top: 2pt solid #6a1b1b;
  vertical-align: middle; margin-right: 2mm; }
ol.caveats li { margin-bottom: 3mm; font-size: 10.5pt; }
.ids { font-size: 7pt; color: #333; word-spacing: 1mm; }
.trace-head { font-size: 9pt; font-weight: bold; color: #1d3557; margin-top: 2.5mm; }
.trace-head .second { display: inline; }
.ids { margin: 0.5mm 0 0 0; }
"""


def briefing_pdf(briefing: Briefing, languages: tuple[str, str]) -> bytes:
    """Return the briefing as PDF bytes, in two languages, records.csv attached."""
    try:
        from weasyprint import HTML, Attachment
    except OSError as error:  # WeasyPrint loads Pango when imported
        raise BriefingUnavailable(
            "the PDF briefing needs the Pango text library, which is not installed here "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0); the PowerPoint "
            f"briefing works without it ({error})"
        ) from error

    html = briefing_html(briefing, languages)
    csv_bytes = ids_csv(briefing)
    attachment = Attachment(file_obj=io.BytesIO(csv_bytes), name="records.csv")
    return HTML(string=html).write_pdf(attachments=[attachment])


def briefing_html(briefing: Briefing, languages: tuple[str, str]) -> str:
    """Return the briefing's HTML (what :func:`briefing_pdf` typesets)."""
    first, second = (Words(lang) for lang in languages)
    both = _Both(first, second)
    sections = [
        _title_section(briefing, both),
        _figures_section(briefing, both),
        _hotspot_section(briefing, both),
        _trend_section(briefing, both),
        _taxa_section(briefing, both),
        _routes_section(briefing, both),
        _caveats_section(briefing, both),
        _appendix_section(briefing, both),
    ]
    css = _CSS.replace("FONTS", FONTS)
    for lang, fonts in _LANG_FONTS.items():
        css += f":lang({lang}) {{ font-family: {fonts}; }}\n"
    footer = escape(
        first("footer", pair=first.pair(briefing.countries), period=period_text(briefing, first))
    )
    return (
        f'<!DOCTYPE html><html lang="{first.lang}"><head><meta charset="utf-8">'
        f"<title>{escape(first('title'))} · {escape(first.pair(briefing.countries))}</title>"
        f"<style>{css}</style></head><body>"
        f'<div class="footer">{footer}</div>' + "".join(sections) + "</body></html>"
    )


class _Both:
    """Write one text in the two languages: the first, then the second below it."""

    def __init__(self, first: Words, second: Words) -> None:
        self.first = first
        self.second = second

    def span(self, key: str, **values) -> str:
        return self.pair_of(self.first(key, **values), self.second(key, **values))

    def pair_of(self, one: str, two: str) -> str:
        if one == two:
            return f'<span lang="{self.first.lang}">{escape(one)}</span>'
        return (
            f'<span lang="{self.first.lang}">{escape(one)}</span> '
            f'<span class="second" lang="{self.second.lang}">{escape(two)}</span>'
        )

    def each(self, make) -> str:
        """Apply ``make(words)`` in each language and pair the results."""
        return self.pair_of(make(self.first), make(self.second))

    def heading(self, key: str) -> str:
        return f"<h2>{self.span(key)}</h2>"

    def sentence(self, one: str, two: str) -> str:
        return f'<p class="sentence" lang="{self.first.lang}">{escape(one)}</p>' + (
            ""
            if one == two
            else f'<p class="sentence second" lang="{self.second.lang}">{escape(two)}</p>'
        )


def _img(png: bytes, css_class: str, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="{css_class}" alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _title_section(briefing: Briefing, both: _Both) -> str:
    first, second = both.first, both.second
    sources = "<br>".join(
        f"{escape(str(row.source))}: {first.number(row.seizures)}"
        for row in briefing.sources.head(6).itertuples()
    )
    facts = [
        ("period", both.each(lambda w: period_text(briefing, w))),
        ("filters", both.each(lambda w: filters_text(briefing, w))),
        ("generated", escape(briefing.generated.strftime("%Y-%m-%d %H:%M UTC"))),
        ("records", escape(first.number(briefing.records))),
        ("sources", sources or "—"),
    ]
    rows = "".join(f"<dt>{both.span(key)}</dt><dd>{value}</dd>" for key, value in facts)
    notice = ""
    if briefing.synthetic:
        values = {"synthetic": briefing.synthetic, "records": briefing.records}
        one = first("synthetic", **{k: first.number(v) for k, v in values.items()})
        two = second("synthetic", **{k: second.number(v) for k, v in values.items()})
        notice = f'<div class="notice">{both.pair_of(one, two)}</div>'
    return (
        '<section class="title-page">'
        f"<h1>{both.span('title')}</h1>"
        f'<div class="pair">{both.each(lambda w: w.pair(briefing.countries))}</div>'
        f'<dl class="facts">{rows}</dl>{notice}</section>'
    )


def _figures_section(briefing: Briefing, both: _Both) -> str:
    figures = briefing.figures
    changes = figures.get("change", {})
    start, end = briefing.previous
    cards = []
    for key, figure in (
        ("seizures", "seizures"),
        ("taxa", "species"),
        ("countries_involved", "countries_involved"),
    ):
        change = both.each(lambda w, f=figure: change_text(w, changes.get(f), w.period(start, end)))
        cards.append(
            f'<div class="card"><div class="label">{both.span(key)}</div>'
            f'<div class="value">{escape(both.first.number(figures[figure]))}</div>'
            f'<div class="change">{change}</div></div>'
        )
    quantities = "<br>".join(
        both.each(lambda w, u=unit, q=quantity: w.quantity(q, u))
        for unit, quantity in figures["quantity_by_unit"].items()
        if unit
    )
    cards.append(
        f'<div class="card"><div class="label">{both.span("quantity")}</div>'
        f'<div class="change" style="font-size:10pt">{quantities or "—"}</div></div>'
    )
    one, two = (hotspot_sentence(briefing, w) for w in (both.first, both.second))
    return (
        f"<section>{both.heading('key_figures')}"
        f'<div class="cards">{"".join(cards)}</div>'
        f"{both.sentence(one, two)}</section>"
    )


def _hotspot_section(briefing: Briefing, both: _Both) -> str:
    first, second = both.first, both.second
    names = [
        first.country(code) + ("\n" + second.country(code) if second.lang != first.lang else "")
        for code in briefing.countries
    ]
    png = hotspot_map_png(briefing, names, size=(6.0, 5.3))
    legend = ""
    if briefing.bordering:
        legend += "".join(
            f'<div><span class="swatch" style="background:{colour}"></span>'
            f"{both.span('legend_hotspot', confidence=level)}</div>"
            for level, colour in CONFIDENCE_COLOURS.items()
        )
    legend += (
        '<div><span class="swatch" style="background:#555;width:2mm;height:2mm"></span>'
        f"{both.span('legend_seizure')}</div>"
    )
    if briefing.bordering:
        legend += f'<div><span class="line"></span>{both.span("legend_border")}</div>'
    legend += "".join(
        f'<div><span class="swatch" style="background:{tint};border-radius:0"></span>'
        f"{both.pair_of(first.country(code), second.country(code))}</div>"
        for code, tint in zip(briefing.countries, PAIR_TINTS, strict=True)
    )
    if briefing.bordering:
        legend += f"<div>{both.span('legend_size')}</div>"
    ranking = briefing.places
    header = (
        f"<tr><th>{both.span('rank')}</th><th>{both.span('place')}</th>"
        f'<th class="n">{both.span("seizures")}</th><th class="n">{both.span("confidence")}</th>'
        f"<th>{both.span('main_taxa')}</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{int(place['rank'])}</td><td>{escape(str(place['place']))}</td>"
        f'<td class="n">{escape(first.number(place["count"]))}</td>'
        f'<td class="n">{int(place["confidence"])}%</td>'
        f"<td>{escape(', '.join(str(t) for t, _ in list(place['top_taxa'])[:3]))}</td></tr>"
        for _, place in ranking.head(10).iterrows()
    )
    one, two = (hotspot_sentence(briefing, w) for w in (first, second))
    table = f"<table>{header}{rows}</table>" if rows else ""
    heading = "hotspots" if briefing.bordering else "seizure_places"
    return (
        f"<section>{both.heading(heading)}{both.sentence(one, two)}"
        f'<div class="two"><div style="flex:0 0 150mm">{_img(png, "map", first("hotspots"))}</div>'
        f'<div>{table}<div class="legend">{legend}</div></div></div></section>'
    )


def _trend_section(briefing: Briefing, both: _Both) -> str:
    key = "per_month" if briefing.trend_period == "month" else "per_quarter"
    png = trend_png(briefing)
    return (
        f"<section>{both.heading('trend')}<p>{both.span(key)}</p>"
        f"{_img(png, 'chart', both.first(key))}</section>"
    )


def _taxa_section(briefing: Briefing, both: _Both) -> str:
    first, second = both.first, both.second
    common_first = f"{first('common_name')} ({LANGUAGES[first.lang]})"
    common_second = f"{second('common_name')} ({LANGUAGES[second.lang]})"
    header = (
        f"<tr><th>{both.span('scientific_name')}</th>"
        f'<th lang="{first.lang}">{escape(common_first)}</th>'
        f'<th lang="{second.lang}">{escape(common_second)}</th>'
        f'<th>{both.span("cites_appendix")}</th><th class="n">{both.span("seizures")}</th>'
        f"<th>{both.span('quantity')}</th></tr>"
    )
    rows = []
    for row in briefing.top_taxa.itertuples():
        quantities = "<br>".join(
            escape(first.quantity(q, u)) for u, q in row.quantity_by_unit.items()
        )
        rows.append(
            f"<tr><td><i>{escape(row.taxon)}</i></td>"
            f'<td lang="{first.lang}">{escape(first.common_name(row.taxon))}</td>'
            f'<td lang="{second.lang}">{escape(second.common_name(row.taxon))}</td>'
            f"<td>{both.each(lambda w, a=row.cites_appendix: w.appendix(a))}</td>"
            f'<td class="n">{escape(first.number(row.seizures))}</td>'
            f"<td>{quantities or '—'}</td></tr>"
        )
    return f"<section>{both.heading('top_taxa')}<table>{header}{''.join(rows)}</table></section>"


def _share(words: Words, part: int, total: int) -> str:
    return words.percent(100 * part / max(total, 1), sign=False)


def _count_table(both: _Both, frame, field: str, total: int) -> str:
    key = field + "s"
    rows = "".join(
        f"<tr><td>{both.each(lambda w, v=row.value: w.value(field, v))}</td>"
        f'<td class="n">{escape(both.first.number(row.seizures))}</td>'
        f'<td class="n">{escape(_share(both.first, row.seizures, total))}</td></tr>'
        for row in frame.itertuples()
    )
    return (
        f'<h3>{both.span(key)}</h3><table><tr><th></th><th class="n">{both.span("seizures")}</th>'
        f'<th class="n">{both.span("share")}</th></tr>{rows}</table>'
    )


def _routes_section(briefing: Briefing, both: _Both) -> str:
    total = briefing.records
    rows = "".join(
        f"<tr><td>{both.each(lambda w, c=row.origin: w.country(c))}</td>"
        f"<td>{both.each(lambda w, c=row.destination: w.country(c))}</td>"
        f'<td class="n">{escape(both.first.number(row.seizures))}</td>'
        f'<td class="n">{escape(_share(both.first, row.seizures, total))}</td></tr>'
        for row in briefing.routes.itertuples()
    )
    routes = (
        f"<table><tr><th>{both.span('route_from')}</th><th>{both.span('route_to')}</th>"
        f'<th class="n">{both.span("seizures")}</th><th class="n">{both.span("share")}</th></tr>'
        f"{rows}</table>"
    )
    return (
        f'<section>{both.heading("routes")}{routes}<div class="two">'
        f"<div>{_count_table(both, briefing.location_types, 'location_type', total)}</div>"
        f"<div>{_count_table(both, briefing.transport_modes, 'transport_mode', total)}</div>"
        "</div></section>"
    )


def _caveats_section(briefing: Briefing, both: _Both) -> str:
    pairs = zip(caveats(briefing, both.first), caveats(briefing, both.second), strict=True)
    items = "".join(
        f"<li>{both.pair_of(one, two).replace('</span> <span', '</span><br><span')}</li>"
        for one, two in pairs
    )
    return f'<section>{both.heading("caveats")}<ol class="caveats">{items}</ol></section>'


def _appendix_section(briefing: Briefing, both: _Both) -> str:
    blocks = []
    for trace in briefing.traces:
        shown = ", ".join(trace.ids[:IDS_PER_FIGURE])
        more = len(trace.ids) - IDS_PER_FIGURE
        if more > 0:
            shown += " " + both.first("more_ids", count=both.first.number(more))
        label = both.each(lambda w, t=trace: trace_label(t, w))
        count = escape(both.first.number(len(trace.ids)))
        blocks.append(
            f'<div class="trace"><div class="trace-head">{label} · {count}</div>'
            f'<p class="ids">{escape(shown)}</p></div>'
        )
    return (
        f"<section>{both.heading('appendix')}<p>{both.span('appendix_intro')}</p>"
        f"{''.join(blocks)}</section>"
    )
