"""The briefing as bilingual PowerPoint slides (python-pptx), the same content as the PDF.

16:9 slides: title, key figures, border hot spots (map picture, ranking, legend), trend
(chart picture), top taxa, routes with location types and transport modes, caveats, and
the record ids behind each figure.  Each text is written in the first language, then the
second below it in grey; runs in Chinese or Lao name a font for that script (PowerPoint
substitutes a similar one where it is missing; fonts are not embedded in PPTX).
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from geo.i18n import LANGUAGES
from geo.report.briefing import Briefing
from geo.report.briefing_figures import CONFIDENCE_COLOURS, hotspot_map_png, trend_png
from geo.report.briefing_words import (
    Words,
    caveats,
    change_text,
    filters_text,
    hotspot_sentence,
    period_text,
    trace_label,
)

__all__ = ["IDS_PER_SLIDE_ROW", "briefing_pptx"]

IDS_PER_SLIDE_ROW = 40
_FONTS = {"zh": "WenQuanYi Zen Hei", "lo": "Phetsarath OT"}
_LATIN = "DejaVu Sans"
_NAVY = RGBColor(0x1D, 0x35, 0x57)
_GREY = RGBColor(0x5A, 0x6B, 0x7B)
_INK = RGBColor(0x1F, 0x1F, 0x1F)
_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)


def briefing_pptx(briefing: Briefing, languages: tuple[str, str]) -> bytes:
    """Return the briefing as PPTX bytes, in two languages."""
    first, second = (Words(lang) for lang in languages)
    deck = Presentation()
    deck.slide_width, deck.slide_height = _WIDTH, _HEIGHT
    slides = _Slides(deck, first, second)
    _title(slides, briefing)
    _figures(slides, briefing)
    _hotspots(slides, briefing)
    _trend(slides, briefing)
    _taxa(slides, briefing)
    _routes(slides, briefing)
    _caveats(slides, briefing)
    _appendix(slides, briefing)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


class _Slides:
    def __init__(self, deck, first: Words, second: Words) -> None:
        self.deck = deck
        self.first = first
        self.second = second

    def new(self, key: str | None = None):
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[6])  # blank
        if key:
            box = self.text_box(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9))
            self.both(box.text_frame, self.first(key), self.second(key), size=26, bold=True)
        return slide

    def text_box(self, slide, left, top, width, height):
        box = slide.shapes.add_textbox(left, top, width, height)
        box.text_frame.word_wrap = True
        return box

    def both(self, frame, one: str, two: str, size: float = 14, bold: bool = False, new=False):
        """Write ``one`` then ``two`` (grey, smaller) as paragraphs of a text frame."""
        paragraph = frame.add_paragraph() if new or frame.text else frame.paragraphs[0]
        self.run(paragraph, one, self.first.lang, size, bold, _NAVY if bold else _INK)
        if two != one:
            paragraph = frame.add_paragraph()
            self.run(paragraph, two, self.second.lang, size * 0.8, bold, _GREY)

    def run(self, paragraph, text: str, lang: str, size: float, bold: bool, colour) -> None:
        run = paragraph.add_run()
        run.text = text
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = colour
        typeface = _FONTS.get(lang, _LATIN)
        font.name = typeface
        properties = run._r.get_or_add_rPr()
        for tag in ("a:ea", "a:cs"):
            element = properties.find(qn(tag))
            if element is None:
                element = properties.makeelement(qn(tag), {})
                properties.append(element)
            element.set("typeface", typeface)
        properties.set("lang", {"zh": "zh-CN", "lo": "lo-LA"}.get(lang, lang))

    def table(self, slide, top, header: list[tuple[str, str]], rows: list[list[tuple[str, str]]],
              widths: list[float], size: float = 11, left=None):  # fmt: skip
        left = Inches(0.5) if left is None else left
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), left, top, Emu(int(Inches(sum(widths)))),
            Emu(int(Inches(0.4) * (len(rows) + 1))),
        )  # fmt: skip
        table = shape.table
        for index, width in enumerate(widths):
            table.columns[index].width = Inches(width)
        for column, (one, two) in enumerate(header):
            frame = table.cell(0, column).text_frame
            frame.text = ""
            self.both(frame, one, two, size=size, bold=True)
        for row_index, row in enumerate(rows, start=1):
            for column, (one, two) in enumerate(row):
                frame = table.cell(row_index, column).text_frame
                frame.text = ""
                self.both(frame, one, two, size=size)
        return shape

    def key(self, key: str, **values) -> tuple[str, str]:
        return self.first(key, **values), self.second(key, **values)

    def each(self, make) -> tuple[str, str]:
        return make(self.first), make(self.second)


def _title(slides: _Slides, briefing: Briefing) -> None:
    slide = slides.new()
    first, second = slides.first, slides.second
    box = slides.text_box(slide, Inches(0.8), Inches(0.8), Inches(11.7), Inches(2.6))
    frame = box.text_frame
    slides.both(frame, first("title"), second("title"), size=34, bold=True)
    slides.both(
        frame,
        first.pair(briefing.countries),
        second.pair(briefing.countries),
        size=30,
        bold=True,
        new=True,
    )
    box = slides.text_box(slide, Inches(0.8), Inches(3.6), Inches(11.7), Inches(3.4))
    frame = box.text_frame
    for key, make in (
        ("period", lambda w: period_text(briefing, w)),
        ("filters", lambda w: filters_text(briefing, w)),
        ("records", lambda w: w.number(briefing.records)),
    ):
        slides.both(
            frame,
            f"{first(key)}: {make(first)}",
            f"{second(key)}: {make(second)}",
            size=15,
            new=True,
        )
    generated = briefing.generated.strftime("%Y-%m-%d %H:%M UTC")
    slides.both(
        frame,
        f"{first('generated')}: {generated}",
        f"{second('generated')}: {generated}",
        size=13,
        new=True,
    )
    sources = "; ".join(
        f"{row.source} ({first.number(row.seizures)})"
        for row in briefing.sources.head(4).itertuples()
    )
    slides.both(
        frame,
        f"{first('sources')}: {sources}",
        f"{second('sources')}: {sources}",
        size=11,
        new=True,
    )
    if briefing.synthetic:
        one, two = slides.each(
            lambda w: w(
                "synthetic",
                synthetic=w.number(briefing.synthetic),
                records=w.number(briefing.records),
            )
        )
        slides.both(frame, one, two, size=14, bold=True, new=True)


def _figures(slides: _Slides, briefing: Briefing) -> None:
    slide = slides.new("key_figures")
    figures = briefing.figures
    changes = figures.get("change", {})
    start, end = briefing.previous
    cards = [
        ("seizures", "seizures"),
        ("taxa", "species"),
        ("countries_involved", "countries_involved"),
    ]
    for index, (key, figure) in enumerate(cards):
        box = slides.text_box(
            slide, Inches(0.5 + index * 3.1), Inches(1.5), Inches(2.9), Inches(2.6)
        )
        frame = box.text_frame
        slides.both(frame, slides.first(key), slides.second(key), size=15, bold=True)
        number = slides.first.number(figures[figure])
        slides.both(frame, number, number, size=36, bold=True, new=True)
        one, two = slides.each(
            lambda w, f=figure: change_text(w, changes.get(f), w.period(start, end))
        )
        slides.both(frame, one, two, size=11, new=True)
    box = slides.text_box(slide, Inches(9.8), Inches(1.5), Inches(3.2), Inches(2.6))
    frame = box.text_frame
    slides.both(frame, slides.first("quantity"), slides.second("quantity"), size=15, bold=True)
    for unit, quantity in figures["quantity_by_unit"].items():
        if unit:
            one, two = slides.each(lambda w, u=unit, q=quantity: w.quantity(q, u))
            slides.both(frame, one, two, size=13, new=True)
    box = slides.text_box(slide, Inches(0.5), Inches(4.6), Inches(12.3), Inches(2.4))
    one, two = slides.each(lambda w: hotspot_sentence(briefing, w))
    slides.both(box.text_frame, one, two, size=18)


def _hotspots(slides: _Slides, briefing: Briefing) -> None:
    slide = slides.new("hotspots" if briefing.bordering else "seizure_places")
    first, second = slides.first, slides.second
    names = [
        first.country(code) + ("\n" + second.country(code) if second.lang != first.lang else "")
        for code in briefing.countries
    ]
    picture = hotspot_map_png(briefing, names, size=(6.2, 5.6))
    slide.shapes.add_picture(io.BytesIO(picture), Inches(0.4), Inches(1.3), height=Inches(5.9))
    ranking = briefing.places.head(6)
    top = Inches(1.4)
    if len(ranking):
        rows = [
            [
                (str(int(p["rank"])), str(int(p["rank"]))),
                (str(p["place"]), str(p["place"])),
                (first.number(p["count"]), second.number(p["count"])),
                (f"{int(p['confidence'])}%", f"{int(p['confidence'])}%"),
            ]
            for _, p in ranking.iterrows()
        ]
        header = [
            slides.key("rank"),
            slides.key("place"),
            slides.key("seizures"),
            slides.key("confidence"),
        ]
        slides.table(slide, top, header, rows, [0.6, 2.6, 1.1, 1.2], size=10, left=Inches(7.4))
        top = Inches(1.6 + 0.75 * (len(rows) + 1))
    box = slides.text_box(slide, Inches(7.4), top, Inches(5.6), Inches(2.5))
    frame = box.text_frame
    for level, colour in CONFIDENCE_COLOURS.items() if briefing.bordering else ():
        one, two = slides.key("legend_hotspot", confidence=level)
        slides.both(frame, one, two, size=11, new=True)
        # a dot in the hot spot's own colour before the first-language line
        line = frame.paragraphs[-2] if two != one else frame.paragraphs[-1]
        dot = line.add_run()
        dot.text = "● "
        dot.font.size = Pt(14)
        dot.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
        line._p.remove(dot._r)
        line._p.insert(line._p.index(line.runs[0]._r), dot._r)
    keys = ("legend_seizure", "legend_border", "legend_size") if briefing.bordering else ()
    for key in keys or ("legend_seizure",):
        one, two = slides.key(key)
        slides.both(frame, one, two, size=11, new=True)


def _trend(slides: _Slides, briefing: Briefing) -> None:
    key = "per_month" if briefing.trend_period == "month" else "per_quarter"
    slide = slides.new("trend")
    box = slides.text_box(slide, Inches(0.5), Inches(1.2), Inches(12.3), Inches(0.8))
    slides.both(box.text_frame, slides.first(key), slides.second(key), size=14)
    picture = trend_png(briefing, size=(12.0, 4.6))
    slide.shapes.add_picture(io.BytesIO(picture), Inches(0.6), Inches(2.2), width=Inches(12.1))


def _taxa(slides: _Slides, briefing: Briefing) -> None:
    slide = slides.new("top_taxa")
    first, second = slides.first, slides.second
    header = [
        slides.key("scientific_name"),
        (f"{first('common_name')} ({LANGUAGES[first.lang]})",) * 2,
        (f"{second('common_name')} ({LANGUAGES[second.lang]})",) * 2,
        slides.key("cites_appendix"),
        slides.key("seizures"),
        slides.key("quantity"),
    ]
    rows = []
    for row in briefing.top_taxa.itertuples():
        quantity = "; ".join(first.quantity(q, u) for u, q in row.quantity_by_unit.items()) or "—"
        rows.append(
            [
                (row.taxon, row.taxon),
                (first.common_name(row.taxon),) * 2,
                (second.common_name(row.taxon),) * 2,
                slides.each(lambda w, a=row.cites_appendix: w.appendix(a)),
                (first.number(row.seizures),) * 2,
                (quantity, quantity),
            ]
        )
    slides.table(slide, Inches(1.3), header, rows, [2.6, 2.4, 2.4, 1.4, 1.2, 2.3], size=9)


def _routes(slides: _Slides, briefing: Briefing) -> None:
    slide = slides.new("routes")
    total = max(briefing.records, 1)
    share = lambda w, n: w.percent(100 * n / total, sign=False)  # noqa: E731
    rows = [
        [
            slides.each(lambda w, c=row.origin: w.country(c)),
            slides.each(lambda w, c=row.destination: w.country(c)),
            (slides.first.number(row.seizures),) * 2,
            slides.each(lambda w, n=row.seizures: share(w, n)),
        ]
        for row in briefing.routes.head(6).itertuples()
    ]
    header = [
        slides.key("route_from"),
        slides.key("route_to"),
        slides.key("seizures"),
        slides.key("share"),
    ]
    slides.table(slide, Inches(1.3), header, rows, [2.6, 2.6, 1.2, 1.0], size=10)
    for index, (frame, field, key) in enumerate(
        (
            (briefing.location_types, "location_type", "location_types"),
            (briefing.transport_modes, "transport_mode", "transport_modes"),
        )
    ):
        rows = [
            [
                slides.each(lambda w, v=row.value, f=field: w.value(f, v)),
                (slides.first.number(row.seizures),) * 2,
            ]
            for row in frame.head(5).itertuples()
        ]
        header = [slides.key(key), slides.key("seizures")]
        top = Inches(1.3 + index * 3.0)
        slides.table(slide, top, header, rows, [2.4, 1.1], size=10, left=Inches(8.0))


def _caveats(slides: _Slides, briefing: Briefing) -> None:
    slide = slides.new("caveats")
    box = slides.text_box(slide, Inches(0.6), Inches(1.3), Inches(12.1), Inches(5.9))
    frame = box.text_frame
    texts = zip(caveats(briefing, slides.first), caveats(briefing, slides.second), strict=True)
    for index, (one, two) in enumerate(texts, start=1):
        slides.both(frame, f"{index}. {one}", two, size=13, new=index > 1)


def _appendix(slides: _Slides, briefing: Briefing) -> None:
    per_slide = 8
    traces = briefing.traces
    for start in range(0, len(traces), per_slide):
        slide = slides.new("appendix")
        rows = []
        for trace in traces[start : start + per_slide]:
            ids = ", ".join(trace.ids[:IDS_PER_SLIDE_ROW])
            more = len(trace.ids) - IDS_PER_SLIDE_ROW
            if more > 0:
                ids += " " + slides.first("more_ids", count=slides.first.number(more))
            rows.append(
                [
                    slides.each(lambda w, t=trace: trace_label(t, w)),
                    (slides.first.number(len(trace.ids)),) * 2,
                    (ids, ids),
                ]
            )
        header = [slides.key("figure"), slides.key("records"), slides.key("record_ids")]
        slides.table(slide, Inches(1.2), header, rows, [3.2, 1.1, 8.0], size=7)
