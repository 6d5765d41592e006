"""The label catalogue: the words a person reads for every field, code and value.

One place for what a table, chart, tooltip, heading or download shows instead of a raw name
or a code: record fields (``seizure_date`` → "Seizure date", from :mod:`geo.labels`),
countries (``LA`` → "Lao PDR"), commodities (``SCA`` → "Scales"), units (``m3`` → "m³"),
taxa (``Manis javanica`` → "Manis javanica (Sunda pangolin)"), the controlled vocabularies
(``land_border`` → "Land border") and a long selection of taxa summarised ("Pangolins
(6 taxa)").  English is the catalogue's source: the words of the tables are marked with ``N_``
for the translation catalogue, and :mod:`geo.i18n` translates them where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.labels import FIELD_LABELS, N_, field_label
from geo.reference.countries import country_name, is_country_code
from geo.reference.species import commodity_name, taxon_info

__all__ = [
    "APPENDIX_LABELS",
    "FIELD_LABELS",
    "GROUP_LABELS",
    "LOCATION_TYPE_LABELS",
    "PRECISION_LABELS",
    "ROLE_LABELS",
    "TRANSPORT_LABELS",
    "UNIT_LABELS",
    "commodity_label",
    "countries_label",
    "country_label",
    "field_label",
    "pair_label",
    "taxa_summary",
    "taxon_label",
    "unit_label",
    "value_label",
]

GROUP_LABELS = {
    "mammals": N_("Mammals"),
    "birds": N_("Birds"),
    "reptiles": N_("Reptiles"),
    "amphibians": N_("Amphibians"),
    "fish": N_("Fish"),
    "invertebrates": N_("Invertebrates"),
    "plants": N_("Plants"),
    "timber": N_("Timber"),
    "mixed": N_("Mixed"),
    "unknown": N_("Unknown"),
}
TRANSPORT_LABELS = {
    "air": N_("Air"),
    "sea": N_("Sea"),
    "road": N_("Road"),
    "rail": N_("Rail"),
    "post": N_("Post"),
    "pedestrian": N_("On foot"),
    "unknown": N_("Unknown"),
}
LOCATION_TYPE_LABELS = {
    "land_border": N_("Land border"),
    "airport": N_("Airport"),
    "seaport": N_("Seaport"),
    "mail_centre": N_("Mail centre"),
    "inland": N_("Inland"),
    "market": N_("Market"),
    "online": N_("Online"),
}
UNIT_LABELS = {
    "kg": N_("kg"),
    "pieces": N_("pieces"),
    "individuals": N_("individuals"),
    "m3": N_("m³"),
    "litres": N_("litres"),
}
PRECISION_LABELS = {
    # seizure dates
    "day": N_("Day"),
    "month": N_("Month only"),
    "year": N_("Year only"),
    # coordinates
    "exact": N_("Exact"),
    "airport": N_("The airport"),
    "seaport": N_("The seaport"),
    "city": N_("City centre"),
    "admin1": N_("Province centre"),
    "country": N_("Country centre"),
    "none": N_("Not placed"),
}
APPENDIX_LABELS = {
    "I": N_("Appendix I"),
    "II": N_("Appendix II"),
    "III": N_("Appendix III"),
    "none": N_("Not listed"),
}
ROLE_LABELS = {
    "any": N_("Any role"),
    "origin": N_("Origin"),
    "export": N_("Export"),
    "transit": N_("Transit"),
    "destination": N_("Destination"),
    "seizing": N_("Seizing"),
}
SENSITIVITY_LABELS = {"public": N_("Public"), "restricted": N_("Restricted")}

_VALUE_LABELS = {
    "taxon_group": GROUP_LABELS,
    "transport_mode": TRANSPORT_LABELS,
    "location_type": LOCATION_TYPE_LABELS,
    "unit": UNIT_LABELS,
    "date_precision": PRECISION_LABELS,
    "coord_precision": PRECISION_LABELS,
    "cites_appendix": APPENDIX_LABELS,
    "country_role": ROLE_LABELS,
    "sensitivity": SENSITIVITY_LABELS,
}
# Pseudo-codes for a country the record does not name (kept as written in the store).
_UNKNOWN_COUNTRIES = {"XX", "XF", "ZZ", "UNKNOWN"}


def value_label(field: str, value: object) -> str:
    """Return the words for one value of a record field.

    Parameters
    ----------
    field : str
        A record field, e.g. ``"location_type"``, ``"seizing_country"``, ``"commodity"``.
    value : object
        The stored value.

    Returns
    -------
    str
        E.g. ``("location_type", "land_border")`` → ``"Land border"``, ``("commodity",
        "SCA")`` → ``"Scales"``; ``""`` for a missing value; other values as text.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if field in _VALUE_LABELS:
        return _VALUE_LABELS[field].get(text) or text.replace("_", " ")
    if field in ("seizing_country", "export_country", "destination_country", "located_country"):
        return country_label(text)
    if field in ("origin_countries", "transit_countries", "owner_country"):
        return countries_label(text)
    if field == "commodity":
        return commodity_label(text)
    if field == "taxon":
        return taxon_label(text)
    if field == "border_pair":
        return pair_label(text)
    return text


def country_label(code: str) -> str:
    """Return a country's name ("Lao PDR"); "Unknown" for a pseudo-code, else the text."""
    if not isinstance(code, str) or not code.strip():
        return ""
    if code.strip().upper() in _UNKNOWN_COUNTRIES:
        return "Unknown"
    return country_name(code) if is_country_code(code) else code


def countries_label(codes: str | Iterable[str]) -> str:
    """Return names for a list of countries (a list, or codes joined by ``;`` or ``,``)."""
    if isinstance(codes, str):
        codes = codes.replace(",", ";").split(";")
    return ", ".join(country_label(code.strip()) for code in codes if code and code.strip())


def pair_label(pair: str) -> str:
    """Return a border pair in words: ``"CN-LA"`` → ``"China–Lao PDR"``."""
    parts = str(pair).split("-")
    if len(parts) != 2 or not all(parts):
        return str(pair)
    return "–".join(country_label(code) for code in parts)


def commodity_label(code: str) -> str:
    """Return a commodity's name with a capital ("Scales"), or the code when unknown."""
    if not isinstance(code, str) or not code.strip():
        return ""
    name = commodity_name(code)
    return name[:1].upper() + name[1:] if name else code


def unit_label(unit: str | None) -> str:
    """Return a unit as written after a number ("m³"); "" for none."""
    return UNIT_LABELS.get(unit, unit or "") if unit else ""


def taxon_label(taxon: str) -> str:
    """Return "Manis javanica (Sunda pangolin)" for a taxon, or the name alone.

    A taxon with no common name in the species reference is shown as written.
    """
    if not isinstance(taxon, str) or not taxon.strip():
        return ""
    common = _common_name(taxon_info(taxon))
    return f"{taxon} ({common})" if common and common.casefold() != taxon.casefold() else taxon


def taxa_summary(taxa: Iterable[str], spell_out: int = 2) -> str:
    """Return a selection of taxa in a few words, for a heading.

    Parameters
    ----------
    taxa : iterable of str
        Scientific names.
    spell_out : int, default 2
        Up to this many taxa are named one by one (with their common names).

    Returns
    -------
    str
        "Manis javanica (Sunda pangolin)" for one; "Pangolins (6 taxa)" for several of one
        family the species reference names; "Pangolins (4 taxa), bears (2 taxa)" for two or
        three families; "9 taxa in 5 families" beyond.
    """
    taxa = [taxon for taxon in dict.fromkeys(taxa) if isinstance(taxon, str) and taxon]
    if len(taxa) <= spell_out:
        return ", ".join(taxon_label(taxon) for taxon in taxa)
    families: dict[str, list[str]] = {}
    for taxon in taxa:
        info = taxon_info(taxon) or {}
        families.setdefault(info.get("family") or taxon, []).append(taxon)
    if len(families) > 3:
        return f"{len(taxa)} taxa in {len(families)} families"
    parts = []
    for family, members in families.items():
        name = _family_name(family) if len(members) > 1 else taxon_label(members[0])
        if len(members) > 1:
            name = f"{name} ({len(members)} taxa)"
        parts.append(name)
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def _common_name(info: dict | None) -> str:
    names = (info or {}).get("names_en") or []
    return names[0] if names else ""


def _family_name(family: str) -> str:
    """Return a family's common name in the plural ("pangolins"), else its scientific name."""
    names = (taxon_info(family) or {}).get("names_en") or []
    plural = [name for name in names if name.endswith("s")]
    chosen = plural[0] if plural else (names[0] if names else family)
    return chosen if chosen != family else family
