"""The briefing's words in one language: every heading, label and sentence, from the catalogue.

English is the source (the msgids below, marked with :func:`geo.i18n.N_` for Babel); the
translations are the gettext catalogue in ``geo/i18n/locale``, the one the whole interface
will use.  Vocabulary labels (taxon groups, transport modes, location types, units, CITES
appendices) are the dashboard's own (:mod:`geo.reference.catalogue`), translated through
the same catalogue; country names come from CLDR (:func:`geo.i18n.country_name`).
"""

from __future__ import annotations

import datetime as dt

from babel.numbers import format_percent

from geo.i18n import N_, country_name, format_date, format_number, format_period
from geo.i18n import translator as _translator
from geo.i18n.languages import check_language, cldr_locale
from geo.reference import catalogue
from geo.reference.species import commodity_name, common_name
from geo.report.briefing import Briefing, Trace
from geo.spatial.hotspot_defaults import DEFAULT_CONFIDENCE, DEFAULT_RESOLUTION

__all__ = [
    "TEXT",
    "Words",
    "caveats",
    "change_text",
    "filters_text",
    "hotspot_sentence",
    "period_text",
    "trace_label",
]

TEXT = {
    "title": N_("Bilateral briefing"),
    "subtitle": N_("Wildlife and timber seizures: {pair}"),
    "period": N_("Period"),
    "filters": N_("Filters"),
    "all_records": N_("All seizures involving the pair's border band or countries"),
    "generated": N_("Generated"),
    "records": N_("Records"),
    "sources": N_("Sources"),
    "synthetic": N_(
        "{synthetic} of {records} records are synthetic sample data, not real seizures."
    ),
    "key_figures": N_("Key figures"),
    "seizures": N_("Seizures"),
    "taxa": N_("Species and taxa"),
    "countries_involved": N_("Countries involved"),
    "quantity": N_("Quantity seized"),
    "previous_period": N_("Previous period"),
    "change": N_("Change"),
    "no_change": N_("no previous records to compare with"),
    "change_line": N_("{delta} ({percent}) against {previous}"),
    "hotspots": N_("Border hot spots"),
    "seizure_places": N_("Where the seizures were made"),
    "hotspot_dominant": N_(
        "One place holds {count} of {total} seizures in the {band} border band ({share}): {place}."
    ),
    "hotspot_ranked": N_(
        "Hot spots along the {band} border at {confidence}% confidence: {places}; "
        "the first is {place} with {count} of {total} seizures."
    ),
    "hotspot_none": N_(
        "No place stands out along the {band} border at {confidence}% confidence; "
        "the busiest place is {place} ({count} of {total} seizures)."
    ),
    "hotspot_empty": N_("No seizure in this period was placed in the {band} border band."),
    "hotspot_no_border": N_(
        "{a} and {b} share no land border: the map shows where the seizures in which both "
        "countries play a part were made."
    ),
    "legend_hotspot": N_("Hot spot, {confidence}% confidence"),
    "legend_seizure": N_("Seizure location"),
    "legend_border": N_("Shared border"),
    "legend_size": N_("Circle area: seizures at the place; numbers refer to the table"),
    "rank": N_("Rank"),
    "place": N_("Place"),
    "confidence": N_("Confidence"),
    "main_taxa": N_("Main taxa"),
    "trend": N_("Trend"),
    "per_month": N_("Seizures per month"),
    "per_quarter": N_("Seizures per quarter"),
    "top_taxa": N_("Top taxa"),
    "scientific_name": N_("Scientific name"),
    "common_name": N_("Common name"),
    "cites_appendix": N_("CITES Appendix"),
    "routes": N_("Main routes"),
    "route_from": N_("From (origin, else export)"),
    "route_to": N_("To (destination)"),
    "share": N_("Share"),
    "unknown": N_("Unknown"),
    "not_recorded": N_("Not recorded"),
    "location_types": N_("Location types"),
    "transport_modes": N_("Transport modes"),
    "caveats": N_("Caveats"),
    "caveat_effort": N_(
        "Seizures reflect enforcement effort and reporting, not the volume of trafficking: "
        "more seizures can mean more checks or better reporting as well as more trade."
    ),
    "caveat_coarse": N_(
        "{count} records with a coarse location (no coordinates, or only a country) are "
        "counted in the figures but left off the map."
    ),
    "caveat_units": N_(
        "Quantities are added only within one unit. A seizure naming several taxa counts "
        "under each of them, but its quantity under none."
    ),
    "caveat_method": N_(
        "Hot spots: Getis–Ord Gi* on H3 cells (resolution {resolution}) in the border band, "
        "{confidence}% confidence after false discovery rate correction; the same answer as "
        "the dashboard and the seizures hotspots command."
    ),
    "caveat_boundaries": N_(
        "Boundaries: Natural Earth, de facto lines; they imply no position on any territory."
    ),
    "appendix": N_("Appendix: the records behind each figure"),
    "appendix_intro": N_(
        "Every figure of this briefing can be traced to these record ids; the complete "
        "list, with what each record counts in, is attached to the PDF as records.csv."
    ),
    "figure": N_("Figure"),
    "record_ids": N_("Record ids"),
    "trace_records": N_("All records of the briefing"),
    "trace_hotspot": N_("Hot spot {rank}: {place}"),
    "trace_taxon": N_("Taxon: {taxon}"),
    "trace_route": N_("Route: {origin} → {destination}"),
    "trace_location_type": N_("Location type: {value}"),
    "trace_transport_mode": N_("Transport mode: {value}"),
    "trace_coarse": N_("Left off the map (coarse location)"),
    "more_ids": N_("… and {count} more (all in records.csv)"),
    "footer": N_("Wildlife Seizure Atlas · {pair} · {period}"),
    "page": N_("Page"),
}


class Words:
    """One language's words for the briefing.

    Parameters
    ----------
    lang : str
        A code of :data:`geo.i18n.LANGUAGES`.
    """

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)
        self._t = _translator(lang)

    def __call__(self, key: str, **values: object) -> str:
        """Return the text ``key`` of :data:`TEXT` in this language, with values filled in."""
        text = self._t.gettext(TEXT[key])
        return text.format(**values) if values else text

    def label(self, english: str) -> str:
        """Translate one of the catalogue's English labels (e.g. ``GROUP_LABELS[...]``)."""
        return self._t.gettext(english)

    def country(self, code: str | None) -> str:
        """Return a country's name in this language ("Unknown" for none)."""
        if not code:
            return self("unknown")
        return country_name(code, self.lang)

    def pair(self, countries: tuple[str, str]) -> str:
        """Return the two countries' names joined by an en dash."""
        return "–".join(self.country(code) for code in countries)

    def value(self, field: str, value: str | None) -> str:
        """Return a vocabulary value (location type, transport mode, group) in words."""
        if value is None:
            return self("not_recorded")
        return self.label(catalogue.value_label(field, value))

    def unit(self, unit: str) -> str:
        """Return a unit's words ("kg", "pieces")."""
        return self.label(catalogue.unit_label(unit))

    def appendix(self, appendix: str | None) -> str:
        """Return a CITES appendix as written in this language ("I", "II", "not listed")."""
        if not appendix:
            return "—"
        return self.label(catalogue.APPENDIX_LABELS.get(appendix, appendix))

    def common_name(self, taxon: str) -> str:
        """Return a taxon's common name in this language, else in English, else "—"."""
        return common_name(taxon, self.lang) or common_name(taxon, "en") or "—"

    def commodity(self, code: str) -> str:
        """Return a commodity's name in this language."""
        return commodity_name(code, self.lang)

    def number(self, value: float, decimals: int | None = None) -> str:
        """Write a number the language's way (grouping, decimal sign)."""
        return format_number(value, self.lang, decimals)

    def quantity(self, value: float, unit: str) -> str:
        """Write a quantity with its unit ("6,565 kg")."""
        decimals = 0 if abs(value) >= 100 or float(value).is_integer() else 1
        return f"{self.number(value, decimals)} {self.unit(unit)}"

    def percent(self, value: float, sign: bool = True) -> str:
        """Write a percentage the language's way, signed unless told ("+160%", "+160 %")."""
        text = format_percent(round(value) / 100, locale=cldr_locale(self.lang))
        return f"+{text}" if sign and value > 0 else text

    def places(self, n: int) -> str:
        """Say how many places stand out ("1 place", "3 places")."""
        return self._t.ngettext("{n} place", "{n} places", n).format(n=self.number(n))

    def date(self, value: dt.date) -> str:
        """Write a date the language's way."""
        return format_date(value, self.lang)

    def period(self, start: dt.date, end: dt.date) -> str:
        """Write a period the language's way."""
        return format_period(start, end, self.lang)


def period_text(briefing: Briefing, words: Words) -> str:
    """Write the briefing's period the language's way."""
    return words.period(briefing.query.date_from, briefing.query.date_to)


def filters_text(briefing: Briefing, words: Words) -> str:
    """Say the filters besides the pair and the period ("all seizures ..." when none)."""
    query = briefing.query
    parts = []
    if query.taxa:
        parts.append(", ".join(query.taxa))
    if query.taxon_groups:
        parts.append(", ".join(words.value("taxon_group", g) for g in query.taxon_groups))
    if query.countries:
        parts.append(", ".join(words.country(c) for c in query.countries))
    if query.commodities:
        parts.append(", ".join(words.commodity(c) for c in query.commodities))
    if query.transport_modes:
        parts.append(", ".join(words.value("transport_mode", m) for m in query.transport_modes))
    if query.location_types:
        parts.append(", ".join(words.value("location_type", t) for t in query.location_types))
    if query.border_km is not None and briefing.bordering:
        parts.append(f"≤ {words.number(query.border_km)} km")
    return " · ".join(parts) if parts else words("all_records")


def change_text(words: Words, change: dict | None, previous_period: str) -> str:
    """Say a figure's change against the previous period ("+643 (+160%) against ...")."""
    if not change or not change.get("previous"):
        return words("no_change")
    delta = change["delta"]
    percent = words.percent(change["percent"])
    sign = "+" if delta > 0 else ""
    return words(
        "change_line",
        delta=f"{sign}{words.number(delta)}",
        percent=percent,
        previous=previous_period,
    )


def hotspot_sentence(briefing: Briefing, words: Words) -> str:
    """Say what the border's hot spots mean, in one sentence (or why there are none)."""
    if not briefing.bordering:
        a, b = briefing.countries
        return words("hotspot_no_border", a=words.country(a), b=words.country(b))
    answer = briefing.hotspots
    band = words.pair(briefing.countries)
    total = answer.band_seizures
    top = answer.top_site
    if top is None or not total:
        return words("hotspot_empty", band=band)
    count = words.number(top.seizures)
    place = top.place
    if answer.dominant:
        return words(
            "hotspot_dominant", count=count, total=words.number(total), band=band,
            share=words.percent(100 * top.share, sign=False), place=place,
        )  # fmt: skip
    if len(answer.ranking):
        return words(
            "hotspot_ranked", places=words.places(len(answer.ranking)), band=band,
            confidence=answer.confidence, place=place, count=count, total=words.number(total),
        )  # fmt: skip
    return words(
        "hotspot_none", band=band, confidence=answer.confidence, place=place, count=count,
        total=words.number(total),
    )  # fmt: skip


def trace_label(trace: Trace, words: Words) -> str:
    """Name the figure a trace of record ids stands behind."""
    if trace.figure == "records":
        return words("trace_records")
    if trace.figure == "hotspot":
        return words("trace_hotspot", rank=trace.detail[0], place=trace.detail[1])
    if trace.figure == "taxon":
        return words("trace_taxon", taxon=trace.detail[0])
    if trace.figure == "route":
        return words(
            "trace_route",
            origin=words.country(trace.detail[0] or None),
            destination=words.country(trace.detail[1] or None),
        )
    if trace.figure in ("location_type", "transport_mode"):
        value = words.value(trace.figure, trace.detail[0] or None)
        return words(f"trace_{trace.figure}", value=value)
    return words("trace_coarse")


def caveats(briefing: Briefing, words: Words) -> list[str]:
    """Return the caveats a briefing states, in one language, in order."""
    return [
        words("caveat_effort"),
        words("caveat_coarse", count=words.number(briefing.coarse)),
        words("caveat_units"),
        words("caveat_method", resolution=DEFAULT_RESOLUTION, confidence=DEFAULT_CONFIDENCE),
        words("caveat_boundaries"),
    ]
