"""Words for the record's fields, as a user reads them (English, the catalogue's source).

One place for every field label shown on a page, in a report or in a message, so that pages
never show raw names such as ``seizure_date`` and the coming translations have one source.
Bottom floor: imports nothing of the project (tests check that every field has words).
The words are marked with :func:`N_` so that ``python data/build/catalogue.py`` extracts them
into the translation catalogue; :mod:`geo.i18n` translates them where they are shown.
"""

from __future__ import annotations

__all__ = ["FIELD_LABELS", "N_", "field_label"]


def N_(msgid: str) -> str:
    """Mark text for translation where it is defined, and return it unchanged.

    Tables of words built at import time cannot be translated then (the language is chosen
    later, per user); the marker lets Babel extract them, and :func:`geo.i18n.translator`
    translates the same text where it is shown.  It lives here, on the bottom floor, so that
    every layer can mark its words; :mod:`geo.i18n` re-exports it.
    """
    return msgid


FIELD_LABELS: dict[str, str] = {
    "record_id": N_("Record id"),
    "source_id": N_("Record id (the file's own)"),
    "seizure_date": N_("Seizure date"),
    "date_precision": N_("Date precision"),
    "year": N_("Year"),
    "month": N_("Month"),
    "day": N_("Day"),
    "seizing_country": N_("Seizing country"),
    "location_name": N_("Place of seizure"),
    "city": N_("City"),
    "province": N_("Province or state"),
    "city_country": N_("City, country"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "latlon": N_("Latitude, longitude"),
    "coord_precision": N_("Coordinate precision"),
    "location_type": N_("Location type"),
    "transport_mode": N_("Transport mode"),
    "origin_countries": N_("Origin countries"),
    "export_country": N_("Export country"),
    "transit_countries": N_("Transit countries"),
    "destination_country": N_("Destination country"),
    "taxon": N_("Species (taxon)"),
    "other_taxa": N_("Other taxa"),
    "taxon_group": N_("Taxon group"),
    "cites_appendix": N_("CITES appendix"),
    "commodity": N_("Commodity"),
    "description": N_("Description of the goods"),
    "category": N_("Category or product"),
    "family": N_("Family (taxonomy)"),
    "scales_kg": N_("Scales (kg)"),
    "horns_kg": N_("Horns (kg)"),
    "meat_kg": N_("Meat (kg)"),
    "live_individuals": N_("Live animals (number)"),
    "bodies_individuals": N_("Carcasses or bodies (number)"),
    "tusks_pieces": N_("Tusks (number)"),
    "horns_pieces": N_("Horns (number)"),
    "skins_pieces": N_("Skins (number)"),
    "eggs_pieces": N_("Eggs (number)"),
    "quantity": N_("Quantity"),
    "unit": N_("Unit"),
    "quantity_kg": N_("Weight (kg)"),
    "quantity_pieces": N_("Number of pieces"),
    "quantity_individuals": N_("Number of animals"),
    "raw_ivory_kg": N_("Raw ivory (kg)"),
    "raw_ivory_pieces": N_("Raw ivory (pieces)"),
    "worked_ivory_kg": N_("Worked ivory (kg)"),
    "worked_ivory_pieces": N_("Worked ivory (pieces)"),
    "detection_method": N_("Detection method"),
    "agency": N_("Agency"),
    "source": N_("Source"),
    "notes": N_("Notes"),
    "sensitivity": N_("Sensitivity"),
    "owner_country": N_("Owner country"),
    "batch_id": N_("Import batch"),
    "extra": N_("Other columns"),
    "located_country": N_("Country of the point"),
    "country_mismatch": N_("Point outside the seizing country"),
    "border_pair": N_("Nearest border"),
    "border_distance_km": N_("Distance to the border (km)"),
    **{f"h3_r{res}": f"H3 cell (resolution {res})" for res in range(3, 9)},
}


def field_label(name: str) -> str:
    """Return the words for a field (its name with spaces for one not in the catalogue).

    Parameters
    ----------
    name : str
        A record, derived or import helper field.

    Returns
    -------
    str
        E.g. ``"seizure_date"`` → ``"Seizure date"``.
    """
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()
