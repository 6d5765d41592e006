"""The words on the maps: tooltip template and fields, escaped text from records, the map's note.

A deck has one tooltip template for all its layers, and Streamlit leaves a ``{field}`` that
a picked object lacks as literal text.  So every pickable layer carries the same three
fields, :data:`TOOLTIP_FIELDS` (``title``, ``detail``, ``where``): plain text built from the
records, with ``<`` and ``>`` escaped (:func:`escape`) before it goes into the layer data, so
a ``<img src=x onerror=...>`` in a record cannot become markup in any renderer (pydeck's
HTML export and Jupyter insert the fields as they are).  The template (:data:`TOOLTIP`)
places the fields only in element content, never in an attribute, where an entity in a text
node stays text: so ``&`` and quotes are left alone.  Streamlit (1.67) escapes the fields
again itself, and would otherwise show "Boten &amp; Mohan".

User-visible text is in :data:`TEXT`, in one place so that it can be translated (as in
:mod:`geo.report.charts`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import h3
import pandas as pd

from geo.reference.countries import country_name
from geo.reference.species import commodity_name
from geo.report.charts import UNIT_LABELS

__all__ = [
    "SEPARATOR",
    "TEXT",
    "TOOLTIP",
    "TOOLTIP_FIELDS",
    "column",
    "country_names",
    "escape",
    "escape_all",
    "hexagon_across",
    "map_note",
    "place_labels",
    "seizure_count",
    "seizure_details",
    "seizure_places",
    "taxa_text",
    "text",
]

TOOLTIP_FIELDS = ("title", "detail", "where")
TOOLTIP = {
    "html": "<b>{title}</b><br/>{detail}<br/>{where}",
    "style": {"backgroundColor": "white", "color": "#222222", "fontSize": "12px"},
}
SEPARATOR = " · "

TEXT = {
    "seizures": "{count} seizures",
    "one_seizure": "1 seizure",
    "unknown_taxon": "Unknown taxon",
    "seized_by": "seized by {country}",
    "city_centre": "city centre",
    "province_centre": "province centre",
    "country_centre": "country centre",
    "border": "{first} – {second} land border",
    "border_length": "{length} km (Natural Earth 1:10m)",
    "hot": "Hot spot, {confidence}% confidence",
    "cold": "Cold spot, {confidence}% confidence",
    "gi_z": "Gi* z = {z}",
    "p_adjusted": "FDR-adjusted p = {p}",
    "route": "{source} → {target}",
    "route_unnamed": "Route",
    "airport": "Airport",
    "seaport": "Seaport",
    "crossing": "Border crossing",
    "aggregated": (
        "{located} seizures shown as {cells} hexagons (H3 resolution {resolution}), each about "
        "{across} km across and darker the more seizures it holds: too many to draw one by "
        "one. To see each seizure as a dot, narrow the filters to {limit} seizures or fewer."
    ),
    "no_coordinates_one": "{missing} of {total} seizures has no coordinates and is not on the map.",
    "no_coordinates": "{missing} of {total} seizures have no coordinates and are not on the map.",
    # The map's key (geo.report.map_key) and the words drawn on the map.
    "key_points": "Seizures, coloured by taxon group",
    "key_sizes": "Dot size: quantity, compared within each unit",
    "size_small": "Smallest, or no quantity",
    "size_large": "Largest in its unit ({units})",
    "size_large_no_unit": "Largest in its unit",
    "key_density": "Seizures per hexagon (about {across} km across)",
    "key_hotspots": "Hot and cold spots (Gi*, FDR-corrected)",
    "no_hotspots": "No hot or cold spot is significant for these filters",
    "key_border": "Land border",
    "key_places": "Places",
    "key_routes": "Routes between countries",
    "route_direction": "Light end: where the goods came from; dark end: where they were going",
    "route_width": "Wider: more seizures (the widest: {most})",
    "scale": "{length} km",
}

# Coordinate precisions that place a record at a centre rather than where it happened.
_APPROXIMATE_PRECISIONS = {
    "city": "city_centre",
    "admin1": "province_centre",
    "country": "country_centre",
    "none": "country_centre",
}
_PRECISION_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def escape(value: str) -> str:
    """Escape the characters that start or end a tag, for a tooltip's element content.

    Without ``<`` no element can be made; ``&`` is left so that Streamlit, which escapes
    again, shows "Boten & Mohan" rather than "Boten &amp; Mohan" (see the module notes).
    """
    return value.replace("<", "&lt;").replace(">", "&gt;")


def escape_all(values: pd.Series | Iterable[str]) -> list[str]:
    """Return :func:`escape` of each value as text (missing values become "")."""
    return [escape(value) for value in text(pd.Series(list(values), dtype=object))]


def text(values: pd.Series) -> pd.Series:
    """Return values as text, "" for missing, with a fresh 0… index."""
    values = values.astype(object)
    return values.where(values.notna(), "").astype(str).reset_index(drop=True)


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return a column as objects with None for missing; all None when the frame lacks it."""
    if name not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    values = frame[name].astype(object)
    return values.where(values.notna(), None)


def seizure_count(count: float) -> str:
    """Write a number of seizures: "1 seizure", "1,234 seizures"."""
    return TEXT["one_seizure"] if count == 1 else TEXT["seizures"].format(count=f"{count:,.0f}")


def taxa_text(pairs: object) -> str:
    """Write (taxon, count) pairs as "Manis javanica (12) · Elephas maximus (3)"."""
    if not isinstance(pairs, list | tuple):
        return ""
    return SEPARATOR.join(f"{taxon} ({count:,})" for taxon, count in pairs)


def country_names(codes: pd.Series) -> list[str]:
    """ISO alpha-2 codes as country names ("" where missing)."""
    names = {code: country_name(code) for code in codes.dropna().unique()}
    return [names.get(code, "") if isinstance(code, str) else "" for code in codes]


def place_labels(values: pd.Series) -> list[str]:
    """Route ends as shown: ISO alpha-2 codes become country names, other labels stay."""
    labels = []
    for value in values.to_numpy(dtype=object):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            labels.append("")
        elif isinstance(value, str) and len(value.strip()) == 2:
            labels.append(country_name(value.strip()))
        else:
            labels.append(str(value))
    return labels


def seizure_details(records: pd.DataFrame) -> pd.Series:
    """Write date (at its precision), commodity and quantity as "2021-03-04 · scales · 12.5 kg"."""
    dates = _dates(column(records, "seizure_date"), column(records, "date_precision"))
    codes = column(records, "commodity")
    names = {code: _commodity_text(code) for code in codes.dropna().unique()}
    commodities = [names.get(code, "") if isinstance(code, str) else "" for code in codes]
    quantities = _quantities(column(records, "quantity"), column(records, "unit"))
    return pd.Series(
        [
            SEPARATOR.join(part for part in parts if part)
            for parts in zip(dates, commodities, quantities, strict=True)
        ],
        dtype=object,
    )


def seizure_places(records: pd.DataFrame) -> pd.Series:
    """Write place and seizing country as "Boten (province centre) · seized by Lao PDR"."""
    names = text(column(records, "location_name")).str.strip()
    approximate = [
        f" ({TEXT[_APPROXIMATE_PRECISIONS[precision]]})"
        if precision in _APPROXIMATE_PRECISIONS
        else ""
        for precision in column(records, "coord_precision")
    ]
    seizing = country_names(column(records, "seizing_country"))
    rows = []
    for name, note, country in zip(names, approximate, seizing, strict=True):
        place = f"{name}{note}" if name else note.strip(" ()").capitalize()
        rows.append(
            SEPARATOR.join(
                part
                for part in (place, country and TEXT["seized_by"].format(country=country))
                if part
            )
        )
    return pd.Series(rows, dtype=object)


def map_note(total: int, located: int, cells: pd.DataFrame | None, limit: int) -> str | None:
    """One line on what the map leaves out or aggregates, or None when it shows everything.

    Parameters
    ----------
    total : int
        Seizures the filters select.
    located : int
        Of those, seizures with coordinates.
    cells : pandas.DataFrame, optional
        The hexagons (``cell``) drawn instead of points, when the map aggregated them.
    limit : int
        How many seizures a map draws as points.
    """
    parts = []
    if cells is not None:
        first = cells["cell"].iloc[0] if len(cells) else None
        resolution = h3.get_resolution(first) if isinstance(first, str) else None
        parts.append(
            TEXT["aggregated"].format(
                located=f"{located:,}",
                cells=f"{len(cells):,}",
                resolution="?" if resolution is None else resolution,
                across="?" if resolution is None else hexagon_across(resolution),
                limit=f"{limit:,}",
            )
        )
    missing = total - located
    if missing:
        key = "no_coordinates_one" if missing == 1 else "no_coordinates"
        parts.append(TEXT[key].format(missing=f"{missing:,}", total=f"{total:,}"))
    return " ".join(parts) or None


def hexagon_across(resolution: int) -> str:
    """Write an H3 hexagon's average width, twice its edge, to two figures: "7.3", "320"."""
    across = 2 * h3.average_hexagon_edge_length(int(resolution), unit="km")
    digits = 1 - math.floor(math.log10(across))
    return f"{round(across, digits):,.{max(digits, 0)}f}"


def _commodity_text(code: str) -> str:
    try:
        return commodity_name(code) or code
    except ValueError:
        return code


def _dates(values: pd.Series, precisions: pd.Series) -> list[str]:
    """Dates as text at their precision: 2021-03-04, 2021-03 or 2021; blank when unknown."""
    parsed = pd.to_datetime(values, errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    precision = precisions.to_numpy(dtype=object)
    texts = parsed.dt.strftime(_PRECISION_FORMATS["day"]).to_numpy(dtype=object, na_value="")
    for name in ("month", "year"):
        coarse = precision == name
        if coarse.any():
            texts[coarse] = (
                parsed[coarse]
                .dt.strftime(_PRECISION_FORMATS[name])
                .to_numpy(dtype=object, na_value="")
            )
    return texts.tolist()


def _quantities(quantity: pd.Series, unit: pd.Series) -> list[str]:
    values = pd.to_numeric(quantity, errors="coerce").to_numpy(dtype=float)
    texts = []
    for value, name in zip(values, unit.to_numpy(dtype=object), strict=True):
        if math.isnan(value):
            texts.append("")
            continue
        number = f"{value:,.0f}" if value == round(value) else f"{value:,.2f}".rstrip("0")
        label = UNIT_LABELS.get(name, name) if isinstance(name, str) else ""
        texts.append(f"{number} {label}" if label else number)
    return texts
