"""Words for the record's fields, as a user reads them (English, the catalogue's source).

One place for every field label shown on a page, in a report or in a message, so that pages
never show raw names such as ``seizure_date`` and the coming translations have one source.
Bottom floor: imports nothing of the project (tests check that every field has words).
"""

from __future__ import annotations

__all__ = ["FIELD_LABELS", "field_label"]

FIELD_LABELS: dict[str, str] = {
    "record_id": "Record id",
    "source_id": "Record id (the file's own)",
    "seizure_date": "Seizure date",
    "date_precision": "Date precision",
    "year": "Year",
    "month": "Month",
    "day": "Day",
    "seizing_country": "Seizing country",
    "location_name": "Place of seizure",
    "city": "City",
    "province": "Province or state",
    "city_country": "City, country",
    "lat": "Latitude",
    "lon": "Longitude",
    "latlon": "Latitude, longitude",
    "coord_precision": "Coordinate precision",
    "location_type": "Location type",
    "transport_mode": "Transport mode",
    "origin_countries": "Origin countries",
    "export_country": "Export country",
    "transit_countries": "Transit countries",
    "destination_country": "Destination country",
    "taxon": "Species (taxon)",
    "other_taxa": "Other taxa",
    "taxon_group": "Taxon group",
    "cites_appendix": "CITES appendix",
    "commodity": "Commodity",
    "description": "Description of the goods",
    "category": "Category or product",
    "family": "Family (taxonomy)",
    "scales_kg": "Scales (kg)",
    "horns_kg": "Horns (kg)",
    "meat_kg": "Meat (kg)",
    "live_individuals": "Live animals (number)",
    "bodies_individuals": "Carcasses or bodies (number)",
    "tusks_pieces": "Tusks (number)",
    "horns_pieces": "Horns (number)",
    "skins_pieces": "Skins (number)",
    "eggs_pieces": "Eggs (number)",
    "quantity": "Quantity",
    "unit": "Unit",
    "quantity_kg": "Weight (kg)",
    "quantity_pieces": "Number of pieces",
    "quantity_individuals": "Number of animals",
    "raw_ivory_kg": "Raw ivory (kg)",
    "raw_ivory_pieces": "Raw ivory (pieces)",
    "worked_ivory_kg": "Worked ivory (kg)",
    "worked_ivory_pieces": "Worked ivory (pieces)",
    "detection_method": "Detection method",
    "agency": "Agency",
    "source": "Source",
    "notes": "Notes",
    "sensitivity": "Sensitivity",
    "owner_country": "Owner country",
    "batch_id": "Import batch",
    "extra": "Other columns",
    "located_country": "Country of the point",
    "country_mismatch": "Point outside the seizing country",
    "border_pair": "Nearest border",
    "border_distance_km": "Distance to the border (km)",
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
