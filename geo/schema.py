"""The seizure record: field names, types and controlled vocabularies (DESIGN §3)."""

from __future__ import annotations

__all__ = [
    "COMMODITY_CODES",
    "COORD_PRECISIONS",
    "DATE_PRECISIONS",
    "DERIVED_FIELDS",
    "EXPORT_FIELDS",
    "FIELDS",
    "LIST_FIELDS",
    "LOCATION_TYPES",
    "NUMERIC_FIELDS",
    "RECORD_FIELDS",
    "SENSITIVITIES",
    "SYNTHETIC_SOURCE",
    "TAXON_GROUPS",
    "TRANSPORT_MODES",
    "UNITS",
]

# Record fields in export order, with their storage type.  Lists (trade-chain roles with
# several countries) are stored as text joined with ";" so that the same SQL runs on DuckDB
# and PostgreSQL.
FIELDS: dict[str, str] = {
    "record_id": "text",
    "seizure_date": "date",
    "date_precision": "text",
    "seizing_country": "text",
    "location_name": "text",
    "lat": "float",
    "lon": "float",
    "coord_precision": "text",
    "location_type": "text",
    "transport_mode": "text",
    "origin_countries": "list",
    "export_country": "text",
    "transit_countries": "list",
    "destination_country": "text",
    "taxon": "text",
    # The other taxa of a seizure of several ("Manis javanica; Manis pentadactyla"): the first
    # recognised is the taxon, the others are listed here (None for one).  The seizure counts
    # once in totals, and under each of its taxa in species breakdowns and filters.
    "other_taxa": "list",
    "taxon_group": "text",
    "cites_appendix": "text",
    "commodity": "text",
    "quantity": "float",
    "unit": "text",
    "detection_method": "text",
    "agency": "text",
    "source": "text",
    "notes": "text",
    "sensitivity": "text",
    "owner_country": "text",
    "batch_id": "text",
}

RECORD_FIELDS: tuple[str, ...] = tuple(FIELDS)
LIST_FIELDS: tuple[str, ...] = tuple(name for name, kind in FIELDS.items() if kind == "list")
NUMERIC_FIELDS: tuple[str, ...] = tuple(name for name, kind in FIELDS.items() if kind == "float")

# Derived at import and stored (filled by geo.spatial enrichment).
DERIVED_FIELDS: dict[str, str] = {
    "located_country": "text",
    "country_mismatch": "bool",
    "border_pair": "text",
    "border_distance_km": "float",
    **{f"h3_r{res}": "text" for res in range(3, 9)},
}

EXPORT_FIELDS: tuple[str, ...] = (*RECORD_FIELDS, *DERIVED_FIELDS, "extra")

DATE_PRECISIONS = ("day", "month", "year")
COORD_PRECISIONS = ("exact", "airport", "seaport", "city", "admin1", "country", "none")
LOCATION_TYPES = (
    "land_border",
    "airport",
    "seaport",
    "mail_centre",
    "inland",
    "market",
    "online",
)
TRANSPORT_MODES = ("air", "sea", "road", "rail", "post", "pedestrian", "unknown")
TAXON_GROUPS = (
    "mammals",
    "birds",
    "reptiles",
    "amphibians",
    "fish",
    "invertebrates",
    "plants",
    "timber",
    "mixed",
    "unknown",
)
UNITS = ("kg", "pieces", "individuals", "m3", "litres")
SENSITIVITIES = ("public", "restricted")
# What every synthetic record (the shipped sample, ``seizures sample``) says in ``source``.
SYNTHETIC_SOURCE = "SYNTHETIC SAMPLE DATA - not real seizures (Wildlife Seizure Atlas generator)"

# CITES trade terms used as commodity codes (Guidelines for the preparation of CITES annual
# reports, trade-term list); the multilingual names live in data/reference/commodities.csv.
COMMODITY_CODES = (
    "LIV",  # live
    "SCA",  # scales
    "TUS",  # tusks
    "IVC",  # ivory carvings
    "HOR",  # horns
    "SKI",  # skins
    "MEA",  # meat
    "TIM",  # timber
    "SAW",  # sawn wood
    "LOG",  # logs
    "BOD",  # bodies
    "BON",  # bones
    "CLA",  # claws
    "TEE",  # teeth
    "FIN",  # fins
    "SWI",  # swim bladders
    "EGG",  # eggs
    "EGL",  # live eggs
    "FEA",  # feathers
    "SHE",  # shells
    "CAR",  # carvings
    "DER",  # derivatives
    "EXT",  # extract
    "MED",  # medicine
    "SKU",  # skulls
    "TRO",  # trophies
    "GAL",  # gall
    "GAB",  # gall bladders
    "PLA",  # plates (shell plates)
    "CHP",  # chips (agarwood chips)
    "OIL",  # oil
    "POW",  # powder
    "DPL",  # dried plants
    "ROO",  # roots
    "UNK",  # unknown / unspecified
)
