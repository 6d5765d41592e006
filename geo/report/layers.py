"""The map's data layers: seizures as points, H3 density and Gi* hexagons, places, route arcs.

Every coordinate here is WGS84 (``EPSG:4326``) longitude/latitude in degrees, as deck.gl
expects.  Each layer's data holds only the columns it draws or its tooltip shows, and every
pickable layer carries the escaped tooltip fields of :mod:`geo.report.legend`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import pydeck as pdk

from geo.reference import places as reference_places
from geo.reference.countries import country_name
from geo.report.charts import TAXON_GROUP_COLOURS
from geo.report.legend import (
    SEPARATOR,
    TEXT,
    column,
    country_names,
    escape_all,
    place_labels,
    seizure_count,
    seizure_details,
    seizure_places,
    taxa_text,
    text,
)

__all__ = [
    "PLACE_KINDS",
    "density_layer",
    "hotspot_layer",
    "place_labels_layer",
    "places_layer",
    "route_arcs_layer",
    "seizure_points_layer",
]

PLACE_KINDS = ("airport", "seaport", "crossing")

# pydeck reads a plain string property as a data accessor ("@@=pixels"); a constant has to
# be marked as a string.
_PIXELS = pdk.types.String("pixels")
_DECIMALS = 5  # about 1 m

_NO_GROUP_COLOUR = (187, 187, 187)
_DENSITY_RAMP = np.array(  # viridis, light to dark: dense cells stand out on a light basemap
    [(253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84)], dtype=float
)
_HOTSPOT_COLOURS = {  # ColorBrewer RdBu, as ArcGIS draws Gi_Bin
    3: (178, 24, 43),
    2: (239, 138, 98),
    1: (253, 219, 199),
    -1: (209, 229, 240),
    -2: (103, 169, 207),
    -3: (33, 102, 172),
}
_CONFIDENCE_OF_BIN = {1: 90, 2: 95, 3: 99}
_PLACE_COLOURS = {"airport": (70, 70, 70), "seaport": (0, 105, 148), "crossing": (20, 20, 20)}
_ROUTE_SOURCE_COLOUR = (253, 174, 97)
_ROUTE_TARGET_COLOUR = (189, 0, 38)

_MIN_RADIUS_PIXELS = 3.0
_MAX_RADIUS_PIXELS = 10.0
# In a wide view every IATA airport would bury the map; past this many in view only the
# international ones are drawn (airportsdata gives no size or traffic).
_MAX_AIRPORTS_IN_VIEW = 150
_MAX_LABELS = 300


def seizure_points_layer(records: pd.DataFrame) -> pdk.Layer:
    """Draw one dot per seizure, sized by quantity and coloured by taxon group.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records, as :func:`geo.store.cells.map_points` returns them: ``lat``,
        ``lon`` (WGS84 degrees) are required; ``taxon``, ``taxon_group``, ``seizure_date``,
        ``date_precision``, ``commodity``, ``quantity``, ``unit``, ``location_name``,
        ``seizing_country`` and ``coord_precision`` are used when present.  Rows without
        valid coordinates are left out.  Every row becomes a point:
        :func:`geo.report.maps.seizure_map` draws cells instead for large selections.

    Returns
    -------
    pydeck.ScatterplotLayer
        A pickable layer (id ``seizures``) whose data holds only ``position`` ([lon, lat],
        5 decimals), ``radius`` (pixels), ``colour`` and the escaped tooltip fields:
        ``title`` (taxon), ``detail`` (date at its precision · commodity · quantity and unit)
        and ``where`` (place · seizing country; records placed at a city, province or country
        centre say so).

    Notes
    -----
    **Radius rule.**  Quantities in different units are never compared: within each unit,
    a seizure's radius is ``3 + 7 * log(1 + q) / log(1 + q_max)`` pixels, where ``q_max`` is
    the largest quantity in that unit among the records drawn.  So the largest kg seizure
    and the largest pieces seizure are both 10 px, and a seizure with no quantity or unit
    gets the smallest dot (3 px).
    """
    _require_columns(records, ("lat", "lon"), "records")
    located = _with_coordinates(records)
    data = _rows(
        {
            "position": _positions(located["lat"], located["lon"]),
            "radius": _radii(column(located, "quantity"), column(located, "unit")),
            "colour": _group_colours(column(located, "taxon_group")),
            "title": escape_all(text(column(located, "taxon")).replace("", TEXT["unknown_taxon"])),
            "detail": escape_all(seizure_details(located)),
            "where": escape_all(seizure_places(located)),
        }
    )
    return pdk.Layer(
        "ScatterplotLayer",
        data=data,
        id="seizures",
        get_position="position",
        get_radius="radius",
        radius_units=_PIXELS,
        get_fill_color="colour",
        stroked=True,
        get_line_color=[255, 255, 255],
        line_width_min_pixels=0.5,
        opacity=0.85,
        pickable=True,
        auto_highlight=True,
    )


def density_layer(cells: pd.DataFrame) -> pdk.Layer:
    """Draw H3 hexagons coloured by their number of seizures.

    Parameters
    ----------
    cells : pandas.DataFrame
        :func:`geo.spatial.hotspots.hex_counts_from_tally` output: ``cell`` (h3 v4 id)
        and ``count`` are required; ``top_taxa`` ((taxon, count) pairs) is shown when
        present.

    Returns
    -------
    pydeck.H3HexagonLayer
        A pickable layer (id ``density``) with data ``cell``, ``colour`` (a viridis ramp
        on log(1 + count), light for few seizures, dark for the most) and the escaped
        tooltip fields (``title`` "12 seizures", ``detail`` the top taxa).
    """
    _require_columns(cells, ("cell", "count"), "cells")
    counts = pd.to_numeric(cells["count"], errors="coerce").fillna(0).to_numpy(dtype=float)
    top_taxa = cells["top_taxa"] if "top_taxa" in cells.columns else [None] * len(cells)
    data = _rows(
        {
            "cell": text(cells["cell"]).to_numpy(),
            "colour": _ramp(counts),
            "title": [seizure_count(count) for count in counts],
            "detail": escape_all(pd.Series([taxa_text(pairs) for pairs in top_taxa])),
            "where": "",
        }
    )
    return pdk.Layer(
        "H3HexagonLayer",
        data=data,
        id="density",
        get_hexagon="cell",
        get_fill_color="colour",
        filled=True,
        stroked=False,
        extruded=False,
        opacity=0.6,
        pickable=True,
        auto_highlight=True,
    )


def hotspot_layer(gi: pd.DataFrame) -> pdk.Layer:
    """Draw the significant Getis-Ord Gi* cells: hot spots in reds, cold spots in blues.

    Parameters
    ----------
    gi : pandas.DataFrame
        Output of :func:`geo.spatial.hotspots.gi_star`: ``cell`` and ``gi_bin`` (+3/+2/+1
        hot at 99/95/90%, -1/-2/-3 cold, 0 not significant) are required; ``count``,
        ``gi_z`` and ``p_adjusted`` are shown when present.

    Returns
    -------
    pydeck.H3HexagonLayer
        A pickable layer (id ``hotspots``) of the cells whose ``gi_bin`` is not 0 (the not
        significant ones are left out), coloured by bin (ColorBrewer RdBu: darker for
        higher confidence), with escaped tooltip fields ("Hot spot, 99% confidence").
    """
    _require_columns(gi, ("cell", "gi_bin"), "gi")
    bins = pd.to_numeric(gi["gi_bin"], errors="coerce").fillna(0).astype(int)
    significant = gi[(bins != 0).to_numpy()]
    bins = bins[bins != 0].to_numpy()
    titles = [
        TEXT["hot" if value > 0 else "cold"].format(
            confidence=_CONFIDENCE_OF_BIN[min(abs(int(value)), 3)]
        )
        for value in bins
    ]
    counts = column(significant, "count")
    z = pd.to_numeric(column(significant, "gi_z"), errors="coerce").to_numpy(dtype=float)
    p = pd.to_numeric(column(significant, "p_adjusted"), errors="coerce").to_numpy(dtype=float)
    details = ["" if pd.isna(count) else seizure_count(float(count)) for count in counts.to_numpy()]
    wheres = [
        SEPARATOR.join(
            part
            for part in (
                "" if math.isnan(z_value) else TEXT["gi_z"].format(z=f"{z_value:.2f}"),
                "" if math.isnan(p_value) else TEXT["p_adjusted"].format(p=f"{p_value:.3g}"),
            )
            if part
        )
        for z_value, p_value in zip(z, p, strict=True)
    ]
    data = _rows(
        {
            "cell": text(significant["cell"]).to_numpy(),
            "colour": [[*_HOTSPOT_COLOURS[int(np.clip(value, -3, 3))], 200] for value in bins],
            "title": titles,
            "detail": details,
            "where": wheres,
        }
    )
    return pdk.Layer(
        "H3HexagonLayer",
        data=data,
        id="hotspots",
        get_hexagon="cell",
        get_fill_color="colour",
        filled=True,
        stroked=True,
        get_line_color=[255, 255, 255],
        line_width_min_pixels=0.5,
        extruded=False,
        pickable=True,
        auto_highlight=True,
    )


def places_layer(
    kinds: Sequence[str] = PLACE_KINDS,
    bounds: tuple[float, float, float, float] | None = None,
) -> pdk.Layer:
    """Draw airports, seaports and land border crossings as small reference markers.

    Parameters
    ----------
    kinds : sequence of {"airport", "seaport", "crossing"}
        Which places to draw.
    bounds : (west, south, east, north), optional
        WGS84 degrees; only places inside are drawn (default: the whole world).  Airports
        are every IATA airport of :func:`geo.reference.places.load_airports`, but when more
        than 150 fall inside the bounds only those named "International" are kept.

    Returns
    -------
    pydeck.ScatterplotLayer
        A pickable layer (id ``places``) coloured by kind, with escaped tooltip fields
        (name; kind and code; country).  See :func:`place_labels_layer` for their names
        as text on the map.
    """
    table = _places(tuple(kinds), bounds)
    data = _rows(
        {
            "position": _positions(table["lat"], table["lon"]),
            "colour": [list(_PLACE_COLOURS[kind]) for kind in table["kind"]],
            "title": escape_all(table["name"]),
            "detail": escape_all(table["detail"]),
            "where": escape_all(table["country"]),
        }
    )
    return pdk.Layer(
        "ScatterplotLayer",
        data=data,
        id="places",
        get_position="position",
        get_fill_color="colour",
        get_radius=4,
        radius_units=_PIXELS,
        stroked=True,
        get_line_color=[255, 255, 255],
        line_width_min_pixels=1,
        pickable=True,
        auto_highlight=True,
    )


def place_labels_layer(
    kinds: Sequence[str] = PLACE_KINDS,
    bounds: tuple[float, float, float, float] | None = None,
) -> pdk.Layer | None:
    """Write the names of the places of :func:`places_layer` beside their markers.

    Parameters
    ----------
    kinds : sequence of {"airport", "seaport", "crossing"}
        Which places to label.
    bounds : (west, south, east, north), optional
        WGS84 degrees; only places inside are labelled.

    Returns
    -------
    pydeck.TextLayer or None
        A ``TextLayer`` (id ``place-labels``) drawing each name as glyphs (not HTML, so the
        names are not escaped); None when more than 300 places are in the bounds, where
        labels would only overlap.
    """
    table = _places(tuple(kinds), bounds)
    if table.empty or len(table) > _MAX_LABELS:
        return None
    data = _rows(
        {"position": _positions(table["lat"], table["lon"]), "text": table["name"].to_numpy()}
    )
    return pdk.Layer(
        "TextLayer",
        data=data,
        id="place-labels",
        get_position="position",
        get_text="text",
        get_size=12,
        size_units=_PIXELS,
        get_color=[40, 40, 40],
        get_text_anchor=pdk.types.String("start"),
        get_alignment_baseline=pdk.types.String("center"),
        get_pixel_offset=[7, 0],
        font_family=pdk.types.String("Helvetica Neue, Arial, sans-serif"),
        # Build the glyph atlas from the names themselves: the default is ASCII only, and
        # names such as "Lào Cai" need more.
        character_set=pdk.types.String("auto"),
        # A light box behind each name keeps it readable over hexagons (an SDF outline
        # came out faint in software rendering).
        background=True,
        get_background_color=[255, 255, 255, 190],
        background_padding=[2, 1],
        pickable=False,
    )


def route_arcs_layer(arcs: pd.DataFrame) -> pdk.Layer:
    """Draw arcs from source to target places, as wide as their number of seizures.

    Parameters
    ----------
    arcs : pandas.DataFrame
        ``source_lat``, ``source_lon``, ``target_lat``, ``target_lon`` (WGS84 degrees) and
        ``seizures`` are required; ``source`` and ``target`` (ISO alpha-2 codes, shown as
        country names, or any label) name the ends in the tooltip when present.  Rows
        without valid coordinates are left out.

    Returns
    -------
    pydeck.ArcLayer
        A pickable layer (id ``routes``): width ``1.5 + 8.5 * sqrt(seizures / most)``
        pixels, light orange at the source and dark red at the target, with escaped tooltip
        fields ("Viet Nam → China", "12 seizures").
    """
    columns = ("source_lat", "source_lon", "target_lat", "target_lon", "seizures")
    _require_columns(arcs, columns, "arcs")
    numbers = {column: pd.to_numeric(arcs[column], errors="coerce") for column in columns[:4]}
    valid = _valid_coordinates(numbers["source_lat"], numbers["source_lon"])
    valid &= _valid_coordinates(numbers["target_lat"], numbers["target_lon"])
    kept = arcs[valid]
    seizures = pd.to_numeric(kept["seizures"], errors="coerce").fillna(0).clip(lower=0)
    most = float(seizures.max()) if len(seizures) else 0.0
    shares = seizures.to_numpy(dtype=float) / most if most > 0 else np.zeros(len(seizures))
    widths = np.round(1.5 + 8.5 * np.sqrt(shares), 1)
    sources = place_labels(column(kept, "source"))
    targets = place_labels(column(kept, "target"))
    titles = [
        TEXT["route"].format(source=source, target=target)
        if source or target
        else TEXT["route_unnamed"]
        for source, target in zip(sources, targets, strict=True)
    ]
    data = _rows(
        {
            "from": _positions(numbers["source_lat"][valid], numbers["source_lon"][valid]),
            "to": _positions(numbers["target_lat"][valid], numbers["target_lon"][valid]),
            "width": widths,
            "title": escape_all(pd.Series(titles, dtype=object)),
            "detail": [seizure_count(float(value)) for value in seizures],
            "where": "",
        }
    )
    return pdk.Layer(
        "ArcLayer",
        data=data,
        id="routes",
        get_source_position="from",
        get_target_position="to",
        get_width="width",
        width_units=_PIXELS,
        get_source_color=[*_ROUTE_SOURCE_COLOUR, 220],
        get_target_color=[*_ROUTE_TARGET_COLOUR, 220],
        # Seen from straight above, a raised arc is a straight line with a hook at each end;
        # along the great circle it reads as a route.
        great_circle=True,
        pickable=True,
        auto_highlight=True,
    )


def _places(kinds: Sequence[str], bounds: Sequence[float] | None) -> pd.DataFrame:
    """Return the reference places of some kinds inside the bounds, in one shared table."""
    if isinstance(kinds, str) or not set(kinds) <= set(PLACE_KINDS):
        raise ValueError(f"kinds should be drawn from {PLACE_KINDS}, got {kinds!r}")
    return _places_inside(tuple(kinds), None if bounds is None else tuple(map(float, bounds)))


@lru_cache(maxsize=32)
def _places_inside(
    kinds: tuple[str, ...], bounds: tuple[float, float, float, float] | None
) -> pd.DataFrame:
    """Build the table of :func:`_places` once per kinds and bounds (shared: do not modify)."""
    tables = []
    if "airport" in kinds:
        airports = _inside(reference_places.load_airports(), bounds)
        if len(airports) > _MAX_AIRPORTS_IN_VIEW:
            airports = airports[airports["name"].str.contains("International", na=False)]
        codes = [
            " / ".join(code for code in (iata, icao) if isinstance(code, str) and code)
            for iata, icao in zip(airports["iata"], airports["icao"], strict=True)
        ]
        tables.append(_place_table(airports, "airport", codes, country_names(airports["country"])))
    if "seaport" in kinds:
        seaports = _inside(reference_places.load_seaports(), bounds)
        tables.append(
            _place_table(
                seaports, "seaport", seaports["locode"], country_names(seaports["country"])
            )
        )
    if "crossing" in kinds:
        crossings = _inside(reference_places.load_border_crossings(), bounds)
        between = [
            f"{country_name(a)} – {country_name(b)}"
            for a, b in zip(crossings["country_a"], crossings["country_b"], strict=True)
        ]
        sides = [
            " / ".join(place for place in (a, b) if place)
            for a, b in zip(crossings["place_a"], crossings["place_b"], strict=True)
        ]
        tables.append(_place_table(crossings, "crossing", sides, between))
    columns = ["kind", "name", "detail", "country", "lat", "lon"]
    if not tables:
        return pd.DataFrame(columns=columns)
    return pd.concat(tables, ignore_index=True)[columns]


def _place_table(
    frame: pd.DataFrame, kind: str, codes: Iterable[str], countries: Iterable[str]
) -> pd.DataFrame:
    codes = list(codes)
    return pd.DataFrame(
        {
            "kind": kind,
            "name": text(frame["name"]).to_numpy(),
            "detail": [f"{TEXT[kind]}{SEPARATOR}{code}" if code else TEXT[kind] for code in codes],
            "country": list(countries),
            "lat": frame["lat"].to_numpy(dtype=float),
            "lon": frame["lon"].to_numpy(dtype=float),
        }
    )


def _inside(frame: pd.DataFrame, bounds: tuple[float, float, float, float] | None) -> pd.DataFrame:
    if bounds is None:
        return frame
    west, south, east, north = bounds
    lat, lon = frame["lat"], frame["lon"]
    return frame[((lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)).to_numpy()]


def _with_coordinates(records: pd.DataFrame) -> pd.DataFrame:
    """Return the records with finite, in-range WGS84 coordinates, ``lat``/``lon`` as floats."""
    lat = pd.to_numeric(records["lat"], errors="coerce")
    lon = pd.to_numeric(records["lon"], errors="coerce")
    valid = _valid_coordinates(lat, lon)
    if valid.all() and lat.dtype == float and lon.dtype == float:
        return records
    return records[valid].assign(lat=lat[valid].astype(float), lon=lon[valid].astype(float))


def _valid_coordinates(lat: pd.Series, lon: pd.Series) -> np.ndarray:
    lat_values = lat.to_numpy(dtype=float, na_value=np.nan)
    lon_values = lon.to_numpy(dtype=float, na_value=np.nan)
    return (
        np.isfinite(lat_values)
        & np.isfinite(lon_values)
        & (np.abs(lat_values) <= 90.0)
        & (np.abs(lon_values) <= 180.0)
    )


def _positions(lat: pd.Series, lon: pd.Series) -> list[list[float]]:
    """[lon, lat] pairs rounded to 5 decimals (about 1 m): deck.gl's order."""
    return np.round(
        np.column_stack([lon.to_numpy(dtype=float), lat.to_numpy(dtype=float)]), _DECIMALS
    ).tolist()


def _radii(quantity: pd.Series, unit: pd.Series) -> np.ndarray:
    """Dot radius in pixels, log-scaled against the largest quantity in the same unit."""
    values = pd.to_numeric(quantity, errors="coerce").to_numpy(dtype=float)
    units = unit.to_numpy(dtype=object)
    radii = np.full(len(values), _MIN_RADIUS_PIXELS)
    usable = np.isfinite(values) & (values > 0) & pd.notna(units)
    for name in pd.unique(units[usable]):
        in_unit = usable & (units == name)
        largest = np.log1p(values[in_unit].max())
        share = np.log1p(values[in_unit]) / largest if largest > 0 else 1.0
        radii[in_unit] = _MIN_RADIUS_PIXELS + (_MAX_RADIUS_PIXELS - _MIN_RADIUS_PIXELS) * share
    return np.round(radii, 1)


def _group_colours(groups: pd.Series) -> list[list[int]]:
    colours = {
        group: list(TAXON_GROUP_COLOURS.get(group, _NO_GROUP_COLOUR)) for group in groups.unique()
    }
    return [colours[group] for group in groups]


def _ramp(counts: np.ndarray) -> list[list[int]]:
    """Viridis colours (with alpha) on log(1 + count) relative to the largest count."""
    if len(counts) == 0:
        return []
    largest = np.log1p(counts.max())
    share = np.log1p(counts) / largest if largest > 0 else np.zeros(len(counts))
    position = share * (len(_DENSITY_RAMP) - 1)
    low = np.clip(np.floor(position).astype(int), 0, len(_DENSITY_RAMP) - 2)
    fraction = (position - low)[:, None]
    colours = _DENSITY_RAMP[low] * (1 - fraction) + _DENSITY_RAMP[low + 1] * fraction
    return [[*row, 200] for row in np.round(colours).astype(int).tolist()]


def _rows(columns: dict[str, object]) -> list[dict]:
    """Return one dict per row from columns of equal length; a string is repeated."""
    length = next((len(value) for value in columns.values() if not isinstance(value, str)), 0)
    values = [
        [value] * length
        if isinstance(value, str)
        else value.tolist()
        if isinstance(value, np.ndarray)
        else list(value)
        for value in columns.values()
    ]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _require_columns(frame: object, columns: Iterable[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name!r} should be a pandas DataFrame, got {type(frame)}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(frame.columns)}")
