"""Map builders: pydeck decks of seizures, hexagons, hot spots, places and routes, drawn offline.

Every coordinate here is WGS84 (``EPSG:4326``) longitude/latitude in degrees, as deck.gl
expects.  The decks fetch nothing: the basemap is drawn from the shipped Natural Earth
polygons (:func:`geo.spatial.boundaries.load_boundaries`), so a map works on a closed network;
a Carto tile basemap is only an option.

**Tooltips.**  A deck has one tooltip template for all its layers, and Streamlit leaves a
``{field}`` that a picked object lacks as literal text.  So every pickable layer here carries
the same three fields, :data:`TOOLTIP_FIELDS` (``title``, ``detail``, ``where``): plain text
built from the records, with ``<`` and ``>`` escaped before it goes into the layer data, so a
``<img src=x onerror=...>`` in a record cannot become markup in any renderer (pydeck's HTML
export and Jupyter insert the fields as they are).  The template (:data:`TOOLTIP`) places the
fields only in element content, never in an attribute, where an entity in a text node stays
text: so ``&`` and quotes are left alone.  Streamlit (1.67) escapes the fields again itself,
and would otherwise show "Boten &amp; Mohan".

**Payload.**  Decks are :class:`MapDeck`, which serialises without the indentation and the
ASCII escapes of non-ASCII text that pydeck writes (the basemap shrinks from 8 MB to 1.3 MB),
and only the columns a layer draws or shows go into its data.  Above :data:`MAX_POINTS`
seizures with coordinates, :func:`seizure_map` ships H3 hexagons instead of points.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import h3
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from h3.api import basic_int as h3_int
from pydeck.bindings.json_tools import default_serialize

from geo.pairs import split_pair
from geo.reference import places as reference_places
from geo.reference.countries import country_name
from geo.reference.species import commodity_name
from geo.report.charts import TAXON_GROUP_COLOURS, UNIT_LABELS
from geo.spatial.borders import border_between, land_borders
from geo.spatial.boundaries import load_boundaries
from geo.spatial.hotspots import grid_hotspots, hex_counts

__all__ = [
    "MAX_POINTS",
    "PLACE_KINDS",
    "SEIZURE_MAP_LAYERS",
    "TEXT",
    "TOOLTIP",
    "TOOLTIP_FIELDS",
    "MapDeck",
    "basemap_layer",
    "border_layer",
    "deck_payload_bytes",
    "density_layer",
    "hotspot_layer",
    "hotspot_map",
    "place_labels_layer",
    "places_layer",
    "route_arcs_layer",
    "route_map",
    "seizure_map",
    "seizure_points_layer",
    "view_for",
]

MAX_POINTS = 20_000
PLACE_KINDS = ("airport", "seaport", "crossing")
SEIZURE_MAP_LAYERS = ("points", "density", "hotspots", "places")
TOOLTIP_FIELDS = ("title", "detail", "where")
TOOLTIP = {
    "html": "<b>{title}</b><br/>{detail}<br/>{where}",
    "style": {"backgroundColor": "white", "color": "#222222", "fontSize": "12px"},
}

# User-visible text, in one place so that it can be translated (as in geo.report.charts).
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
        "{located} seizures shown as {cells} hexagons (H3 resolution {resolution}); filter to "
        "{limit} or fewer to see individual seizures."
    ),
    "no_coordinates_one": "{missing} of {total} seizures has no coordinates and is not on the map.",
    "no_coordinates": "{missing} of {total} seizures have no coordinates and are not on the map.",
}
_NO_GROUP_COLOUR = (187, 187, 187)

# pydeck reads a plain string property as a data accessor ("@@=pixels"); a constant has to
# be marked as a string.
_PIXELS = pdk.types.String("pixels")

_KM_PER_DEGREE = 111.32
# Visvalingam–Whyatt drops vertices by triangle area; with the tolerance at 1.5 x the
# distance, 99% of the 1:50m vertices stay within simplify_km of their place (measured).
_AREA_TOLERANCE_PER_KM = 1.5 / _KM_PER_DEGREE
_BASEMAP_DECIMALS = 3  # about 100 m, well below the simplification
_DECIMALS = 5  # about 1 m

_SEA_COLOUR = (214, 228, 238)
_LAND_COLOUR = (242, 240, 234)
_OUTLINE_COLOUR = (155, 155, 155)
_BORDER_COLOUR = (231, 41, 138)
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
_MIN_HEXAGON_PIXELS = 6.0
_EQUATOR_KM = 40_075.017
_MAX_CELLS = MAX_POINTS
# In a wide view every IATA airport would bury the map; past this many in view only the
# international ones are drawn (airportsdata gives no size or traffic).
_MAX_AIRPORTS_IN_VIEW = 150
_MAX_LABELS = 300
_REGIONAL_SPAN_DEGREES = 45.0
_WORLD_BOUNDS = (-180.0, -60.0, 180.0, 75.0)
_MERCATOR_LIMIT = 85.0
# A Streamlit map is about this wide and, by default, 500 px high; the initial zoom fits
# the bounds into it.
_VIEW_PIXELS = (800.0, 500.0)
_TILE_PIXELS = 512.0
_MAX_ZOOM = 12.0
_PADDING_SHARE = 0.15
_SURROUNDINGS_SHARE = 2.0
_MIN_PADDING_DEGREES = 0.3
# Coordinate precisions that place a record at a centre rather than where it happened.
_APPROXIMATE_PRECISIONS = {
    "city": "city_centre",
    "admin1": "province_centre",
    "country": "country_centre",
    "none": "country_centre",
}
_PRECISION_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
_SEPARATOR = " · "


class MapDeck(pdk.Deck):
    """A :class:`pydeck.Deck` that serialises compactly and carries a note for the page.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`pydeck.Deck`.
    note : str, optional
        One line for the page to show beside the map (for example that seizures were
        aggregated into hexagons); not part of the deck's JSON.
    """

    def __init__(self, *args, note: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.note = note

    def to_json(self) -> str:
        """Return the deck as JSON without whitespace (what Streamlit sends to the browser)."""
        attributes = default_serialize(self)
        attributes.pop("note", None)
        # Non-ASCII text (place names in Chinese, "·") as UTF-8, not \u escapes: up to half
        # the bytes for such text.
        return json.dumps(
            attributes,
            sort_keys=True,
            default=default_serialize,
            separators=(",", ":"),
            ensure_ascii=False,
        )


def deck_payload_bytes(deck: pdk.Deck) -> int:
    """Return the size of a deck's JSON, the bytes a page sends to the browser.

    Parameters
    ----------
    deck : pydeck.Deck
        Any deck.

    Returns
    -------
    int
        ``len(deck.to_json().encode())``.
    """
    if not isinstance(deck, pdk.Deck):
        raise TypeError(f"'deck' should be a pydeck.Deck, got {type(deck)}")
    return len(deck.to_json().encode("utf-8"))


def basemap_layer(resolution: str = "50m", simplify_km: float = 2.0) -> pdk.Layer:
    """Draw the country polygons as a light GeoJSON layer: the offline basemap.

    Parameters
    ----------
    resolution : {"50m", "10m"}
        Natural Earth scale of :func:`geo.spatial.boundaries.load_boundaries`.
    simplify_km : float, default 2.0
        How far the simplified outlines may stray, in km (converted to degrees at 111.32 km
        per degree).  The polygons are simplified together as a coverage
        (``shapely.coverage_simplify``), so neighbours keep one shared edge; simplifying each
        polygon on its own opens visible slivers along every border at border zoom.  0 keeps
        the file's vertices.

    Returns
    -------
    pydeck.Layer
        A non-pickable ``GeoJsonLayer`` (id ``basemap``) whose data is a FeatureCollection,
        one feature per country with property ``iso2``, coordinates in WGS84 rounded to 3
        decimals.  The collection is built once per process and shared: do not modify it.
        The world at 1:50m and 2 km is about 1.3 MB of JSON.
    """
    if not isinstance(simplify_km, int | float) or not simplify_km >= 0:
        raise ValueError(f"simplify_km should be a number >= 0, got {simplify_km!r}")
    return pdk.Layer(
        "GeoJsonLayer",
        data=_basemap_geojson(resolution, float(simplify_km)),
        id="basemap",
        stroked=True,
        filled=True,
        get_fill_color=list(_LAND_COLOUR),
        get_line_color=list(_OUTLINE_COLOUR),
        line_width_units=_PIXELS,
        get_line_width=0.7,
        line_width_min_pixels=0.5,
        pickable=False,
    )


def border_layer(pair: str) -> pdk.Layer | None:
    """Draw the land border of a country pair as a thick highlighted line.

    Parameters
    ----------
    pair : str
        Two ISO 3166-1 alpha-2 codes joined by "-", in either order ("CN-LA", "LA-CN").

    Returns
    -------
    pydeck.Layer or None
        A pickable ``PathLayer`` (id ``border``) of the Natural Earth 1:10m border
        (:func:`geo.spatial.borders.border_between`), WGS84, one path per part; None when
        the two countries share no land border.

    Raises
    ------
    ValueError
        If ``pair`` is not two different ISO alpha-2 codes.
    """
    first, second = split_pair(pair)
    line = border_between(first, second)
    if line is None:
        return None
    borders = land_borders()
    length = borders.loc[borders["pair"] == f"{first}-{second}", "length_km"]
    title = TEXT["border"].format(first=country_name(first), second=country_name(second))
    detail = "" if length.empty else TEXT["border_length"].format(length=f"{length.iloc[0]:,.0f}")
    rows = [
        {
            "path": np.round(shapely.get_coordinates(part), _DECIMALS).tolist(),
            "title": _escape(title),
            "detail": _escape(detail),
            "where": "",
        }
        for part in shapely.get_parts(line)
    ]
    return pdk.Layer(
        "PathLayer",
        data=rows,
        id="border",
        get_path="path",
        get_color=list(_BORDER_COLOUR),
        width_units=_PIXELS,
        get_width=4,
        width_min_pixels=3,
        cap_rounded=True,
        joint_rounded=True,
        pickable=True,
        auto_highlight=True,
    )


def view_for(pair: str | None = None, records: pd.DataFrame | None = None) -> pdk.ViewState:
    """Return the initial camera: the pair's border, else the records, else the world.

    Parameters
    ----------
    pair : str, optional
        A country pair ("CN-LA").  The view fits the bounds of its land border; for two
        countries with no land border (China and Brazil) it fits both countries' largest
        polygons.
    records : pandas.DataFrame, optional
        Records with ``lat``/``lon`` (WGS84 degrees), used when no pair is given: the view
        fits their extent.

    Returns
    -------
    pydeck.ViewState
        Longitude, latitude and zoom that fit the bounds, padded by 15% on each side, into a
        map of about 800 x 500 pixels (Web Mercator); pitch and bearing 0.
    """
    return _view_state(_view_bounds(pair, records))


def seizure_points_layer(records: pd.DataFrame) -> pdk.Layer:
    """Draw one dot per seizure, sized by quantity and coloured by taxon group.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records as the store returns them: ``lat``, ``lon`` (WGS84 degrees) are
        required; ``taxon``, ``taxon_group``, ``seizure_date``, ``date_precision``,
        ``commodity``, ``quantity``, ``unit``, ``location_name``, ``seizing_country`` and
        ``coord_precision`` are used when present.  Rows without valid coordinates are left
        out.  Every row becomes a point: use :func:`seizure_map` for large frames.

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
            "radius": _radii(_column(located, "quantity"), _column(located, "unit")),
            "colour": _group_colours(_column(located, "taxon_group")),
            "title": _escape_all(
                _text(_column(located, "taxon")).replace("", TEXT["unknown_taxon"])
            ),
            "detail": _escape_all(_seizure_details(located)),
            "where": _escape_all(_seizure_places(located)),
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
        Output of :func:`geo.spatial.hotspots.hex_counts`: ``cell`` (h3 v4 hexadecimal id)
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
            "cell": _text(cells["cell"]).to_numpy(),
            "colour": _ramp(counts),
            "title": [_seizure_count(count) for count in counts],
            "detail": _escape_all(pd.Series([_taxa_text(pairs) for pairs in top_taxa])),
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
    counts = _column(significant, "count")
    z = pd.to_numeric(_column(significant, "gi_z"), errors="coerce").to_numpy(dtype=float)
    p = pd.to_numeric(_column(significant, "p_adjusted"), errors="coerce").to_numpy(dtype=float)
    details = [
        "" if pd.isna(count) else _seizure_count(float(count)) for count in counts.to_numpy()
    ]
    wheres = [
        _SEPARATOR.join(
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
            "cell": _text(significant["cell"]).to_numpy(),
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
            "title": _escape_all(table["name"]),
            "detail": _escape_all(table["detail"]),
            "where": _escape_all(table["country"]),
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
    sources = _place_labels(_column(kept, "source"))
    targets = _place_labels(_column(kept, "target"))
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
            "title": _escape_all(pd.Series(titles, dtype=object)),
            "detail": [_seizure_count(float(value)) for value in seizures],
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


def seizure_map(
    records: pd.DataFrame,
    pair: str | None = None,
    layers: Sequence[str] = SEIZURE_MAP_LAYERS,
    resolution: int = 6,
    gi: pd.DataFrame | None = None,
    cells: pd.DataFrame | None = None,
    tile_basemap: bool = False,
) -> MapDeck:
    """Build the seizure map: basemap, border, hexagons, hot spots, seizures and places.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records as the store returns them (see :func:`seizure_points_layer`), WGS84.
    pair : str, optional
        A country pair ("CN-LA"): its land border is highlighted and the view fits it.
        Without a pair the view fits the records.
    layers : sequence of {"points", "density", "hotspots", "places"}
        What to draw.  They are stacked in a fixed order whatever the order given: density,
        hot spots, the border, points, places (so dots and place names stay on top).
    resolution : int, default 6
        The finest H3 resolution of the hexagons computed here (density and the aggregation
        below).  A coarser one is used where its hexagons would be under 6 pixels across in
        the initial view (a world view gets resolution 2, the CN–LA border 6) or would
        number more than :data:`MAX_POINTS`.
    gi : pandas.DataFrame, optional
        :func:`geo.spatial.hotspots.gi_star` output; the "hotspots" layer is drawn only
        when it is given.
    cells : pandas.DataFrame, optional
        :func:`geo.spatial.hotspots.hex_counts` output for the density layer; computed from
        the records at ``resolution`` (every record with coordinates, centroid-placed ones
        included, as on the points layer) when not given.
    tile_basemap : bool, default False
        Use Carto's light tile basemap (fetched from the internet by the browser) instead
        of the country polygons.

    Returns
    -------
    MapDeck
        ``map_provider`` and ``map_style`` None unless ``tile_basemap``, so nothing is
        fetched; tooltip :data:`TOOLTIP`.  ``deck.note`` is a line for the page, or None:
        it says when seizures were aggregated and how many records have no coordinates.

    Notes
    -----
    **Aggregation.**  When "points" is asked for and more than :data:`MAX_POINTS` records
    have coordinates, the points are replaced by H3 hexagons (counted here, on the server,
    so the browser gets thousands of cells rather than a million dots); the density layer,
    if also asked for, is that same layer, and the note says which resolution was used.
    """
    _require_columns(records, ("lat", "lon"), "records")
    unknown = [name for name in layers if name not in SEIZURE_MAP_LAYERS]
    if unknown or isinstance(layers, str):
        raise ValueError(
            f"layers should be a sequence drawn from {SEIZURE_MAP_LAYERS}, got {layers!r}"
        )
    if not isinstance(resolution, int | np.integer) or not 0 <= resolution <= 15:
        raise ValueError(f"resolution should be an H3 resolution 0-15, got {resolution!r}")
    located = _with_coordinates(records)
    view = _view_state(_view_bounds(pair, located))
    aggregated = "points" in layers and len(located) > MAX_POINTS
    if cells is None and ("density" in layers or aggregated) and len(located):
        cells = _aggregate(located, _visible_resolution(view, int(resolution)))
    drawn: list[pdk.Layer] = [] if tile_basemap else [_sea_layer(), basemap_layer()]
    if cells is not None and len(cells) and ("density" in layers or aggregated):
        drawn.append(density_layer(cells))
    if "hotspots" in layers and gi is not None:
        drawn.append(hotspot_layer(gi))
    if pair is not None:
        border = border_layer(pair)
        if border is not None:
            drawn.append(border)
    if "points" in layers and not aggregated and len(located):
        drawn.append(seizure_points_layer(located))
    surroundings = _surroundings(view)
    if "places" in layers and _is_regional(surroundings):
        drawn.append(places_layer(bounds=surroundings))
        labels = place_labels_layer(bounds=surroundings)
        if labels is not None:
            drawn.append(labels)

    note = _map_note(
        total=len(records),
        located=len(located),
        cells=cells if aggregated else None,
    )
    return _deck(drawn, view, tile_basemap, note)


def hotspot_map(
    records: pd.DataFrame,
    pair: str | None = None,
    layers: Sequence[str] = SEIZURE_MAP_LAYERS,
    resolution: int = 6,
) -> MapDeck:
    """Build the Border hotspots page's map: :func:`seizure_map` with H3 counts and Gi*.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records (WGS84), as for :func:`seizure_map`.
    pair : str, optional
        The country pair whose border is highlighted and fitted.
    layers : sequence of str
        As for :func:`seizure_map`; Gi* is computed only when "hotspots" is among them.
    resolution : int, default 6
        H3 resolution of the density and hot-spot hexagons.

    Returns
    -------
    MapDeck
        The deck, with its note.
    """
    cells = hex_counts(records, resolution)
    gi = None
    if "hotspots" in layers and len(cells):
        gi = grid_hotspots(records, resolution)
    return seizure_map(
        records, pair, layers=tuple(layers), resolution=resolution, gi=gi, cells=cells
    )


def route_map(arcs: pd.DataFrame, tile_basemap: bool = False) -> MapDeck:
    """Build the map of trafficking routes: arcs over the offline basemap.

    Parameters
    ----------
    arcs : pandas.DataFrame
        As for :func:`route_arcs_layer` (WGS84).
    tile_basemap : bool, default False
        Use Carto's light tile basemap instead of the country polygons.

    Returns
    -------
    MapDeck
        Basemap and arcs, the view fitted to the arcs' ends (the world when there are
        none); nothing is fetched unless ``tile_basemap``.
    """
    layer = route_arcs_layer(arcs)
    ends = pd.DataFrame(
        {
            "lat": [point[1] for row in layer.data for point in (row["from"], row["to"])],
            "lon": [point[0] for row in layer.data for point in (row["from"], row["to"])],
        }
    )
    drawn = [] if tile_basemap else [_sea_layer(), basemap_layer()]
    return _deck([*drawn, layer], view_for(records=ends), tile_basemap, None)


def _deck(
    layers: list[pdk.Layer], view: pdk.ViewState, tile_basemap: bool, note: str | None
) -> MapDeck:
    if tile_basemap:
        provider = {"map_provider": "carto", "map_style": "light"}
    else:
        provider = {"map_provider": None, "map_style": None}
    return MapDeck(layers=layers, initial_view_state=view, tooltip=TOOLTIP, note=note, **provider)


def _map_note(total: int, located: int, cells: pd.DataFrame | None) -> str | None:
    """One line on what the map leaves out or aggregates, or None when it shows everything."""
    parts = []
    if cells is not None:
        first = cells["cell"].iloc[0] if len(cells) else None
        resolution = h3.get_resolution(first) if isinstance(first, str) else "?"
        parts.append(
            TEXT["aggregated"].format(
                located=f"{located:,}",
                cells=f"{len(cells):,}",
                resolution=resolution,
                limit=f"{MAX_POINTS:,}",
            )
        )
    missing = total - located
    if missing:
        key = "no_coordinates_one" if missing == 1 else "no_coordinates"
        parts.append(TEXT[key].format(missing=f"{missing:,}", total=f"{total:,}"))
    return " ".join(parts) or None


def _sea_layer() -> pdk.Layer:
    """Paint the sea as one rectangle under the countries, so the map needs no background."""
    west, east, limit = -180.0, 180.0, _MERCATOR_LIMIT
    return pdk.Layer(
        "SolidPolygonLayer",
        data=[{"polygon": [[west, -limit], [east, -limit], [east, limit], [west, limit]]}],
        id="sea",
        get_polygon="polygon",
        get_fill_color=list(_SEA_COLOUR),
        pickable=False,
    )


@lru_cache(maxsize=4)
def _basemap_geojson(resolution: str, simplify_km: float) -> dict:
    """Build the basemap's FeatureCollection once per resolution and tolerance."""
    boundaries = load_boundaries(resolution)
    geometries = boundaries.geometry.to_numpy()
    if simplify_km > 0:
        geometries = _simplify_coverage(geometries, simplify_km)
    geometries = shapely.transform(geometries, lambda xy: np.round(xy, _BASEMAP_DECIMALS))
    features = [
        {"type": "Feature", "properties": {"iso2": code}, "geometry": _geometry_json(geometry)}
        for code, geometry in zip(boundaries["iso2"], geometries, strict=True)
        if geometry is not None and not geometry.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def _simplify_coverage(geometries: np.ndarray, simplify_km: float) -> np.ndarray:
    try:
        return shapely.coverage_simplify(geometries, simplify_km * _AREA_TOLERANCE_PER_KM)
    except (AttributeError, shapely.errors.UnsupportedGEOSVersionError):
        # Before shapely 2.1 / GEOS 3.12: per-polygon simplification, slivers and all.
        return shapely.simplify(geometries, simplify_km / _KM_PER_DEGREE, preserve_topology=True)


def _geometry_json(geometry: shapely.Geometry) -> dict:
    """GeoJSON geometry with lists (not tuples), so the cached dict serialises the same way."""
    return json.loads(shapely.to_geojson(geometry))


def _view_bounds(
    pair: str | None, records: pd.DataFrame | None
) -> tuple[float, float, float, float]:
    """(west, south, east, north) to show, padded; the world when there is nothing to fit."""
    if pair is not None:
        first, second = split_pair(pair)
        line = border_between(first, second)
        if line is not None:
            return _padded(line.bounds)
        mainland = _mainland_bounds((first, second))
        if mainland is not None:
            return _padded(mainland)
    if records is not None and len(records):
        _require_columns(records, ("lat", "lon"), "records")
        located = _with_coordinates(records)
        if len(located):
            lat = located["lat"].to_numpy(dtype=float)
            lon = located["lon"].to_numpy(dtype=float)
            return _padded((lon.min(), lat.min(), lon.max(), lat.max()))
    return _WORLD_BOUNDS


def _mainland_bounds(codes: Iterable[str]) -> tuple[float, float, float, float] | None:
    """Return the bounds of the countries' largest polygons, taken together.

    An overseas island, or Alaska's tail across 180 degrees, would otherwise stretch the
    view round the world.
    """
    boundaries = load_boundaries("50m").set_index("iso2")
    boxes = []
    for code in codes:
        if code in boundaries.index:
            parts = shapely.get_parts(boundaries.at[code, "geometry"])
            boxes.append(parts[np.argmax(shapely.area(parts))].bounds)
    if not boxes:
        return None
    box = np.array(boxes)
    return (box[:, 0].min(), box[:, 1].min(), box[:, 2].max(), box[:, 3].max())


def _padded(bounds: Sequence[float]) -> tuple[float, float, float, float]:
    west, south, east, north = (float(value) for value in bounds)
    pad_x = max((east - west) * _PADDING_SHARE, _MIN_PADDING_DEGREES)
    pad_y = max((north - south) * _PADDING_SHARE, _MIN_PADDING_DEGREES)
    return (
        max(west - pad_x, -180.0),
        max(south - pad_y, -_MERCATOR_LIMIT),
        min(east + pad_x, 180.0),
        min(north + pad_y, _MERCATOR_LIMIT),
    )


def _is_regional(bounds: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bounds
    return east - west <= _REGIONAL_SPAN_DEGREES and north - south <= _REGIONAL_SPAN_DEGREES


def _mercator_y(latitude: float) -> float:
    latitude = max(min(latitude, _MERCATOR_LIMIT), -_MERCATOR_LIMIT)
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def _view_state(bounds: tuple[float, float, float, float]) -> pdk.ViewState:
    """Centre and Web Mercator zoom that fit the bounds into the assumed map size."""
    west, south, east, north = bounds
    bottom, top = _mercator_y(south), _mercator_y(north)
    width, height = _VIEW_PIXELS
    zoom_x = math.log2(width * 360.0 / (max(east - west, 1e-6) * _TILE_PIXELS))
    zoom_y = math.log2(height * 2 * math.pi / (max(top - bottom, 1e-6) * _TILE_PIXELS))
    zoom = min(max(min(zoom_x, zoom_y), 0.0), _MAX_ZOOM)
    latitude = math.degrees(2 * math.atan(math.exp((bottom + top) / 2)) - math.pi / 2)
    return pdk.ViewState(
        longitude=round((west + east) / 2, 4),
        latitude=round(latitude, 4),
        zoom=round(zoom, 2),
        pitch=0,
        bearing=0,
    )


def _surroundings(view: pdk.ViewState) -> tuple[float, float, float, float]:
    """Return what the initial view shows, widened by half a view on each side for panning."""
    scale = _TILE_PIXELS * 2.0**view.zoom
    width, height = _VIEW_PIXELS
    half_lon = _SURROUNDINGS_SHARE * width / 2 * 360.0 / scale
    half_y = _SURROUNDINGS_SHARE * height / 2 * 2 * math.pi / scale
    centre_y = _mercator_y(view.latitude)
    south, north = (
        math.degrees(2 * math.atan(math.exp(centre_y + sign * half_y)) - math.pi / 2)
        for sign in (-1, 1)
    )
    return (
        max(view.longitude - half_lon, -180.0),
        max(south, -_MERCATOR_LIMIT),
        min(view.longitude + half_lon, 180.0),
        min(north, _MERCATOR_LIMIT),
    )


def _visible_resolution(view: pdk.ViewState, finest: int) -> int:
    """Return the finest H3 resolution, up to ``finest``, whose hexagons the view can show.

    A resolution-6 hexagon is about 7 km across: a dot far under a pixel on a world map.
    """
    km_per_pixel = (
        _EQUATOR_KM * math.cos(math.radians(view.latitude)) / (_TILE_PIXELS * 2.0**view.zoom)
    )
    for resolution in range(finest, -1, -1):
        across_km = 2 * h3.average_hexagon_edge_length(resolution, unit="km")
        if across_km / km_per_pixel >= _MIN_HEXAGON_PIXELS:
            return resolution
    return 0


def _aggregate(located: pd.DataFrame, resolution: int) -> pd.DataFrame:
    """Hexagon counts of the records, at ``resolution`` or coarser if too many cells."""
    cell_ids = _cell_ids(located, int(resolution))
    unique, inverse = np.unique(cell_ids, return_inverse=True)
    while len(unique) > _MAX_CELLS and resolution > 0:
        resolution -= 1
        parents = np.fromiter(
            (h3_int.cell_to_parent(int(cell), resolution) for cell in unique),
            dtype=np.uint64,
            count=len(unique),
        )
        unique, parent_of = np.unique(parents, return_inverse=True)
        inverse = parent_of[inverse]
    names = np.array([format(int(cell), "x") for cell in unique], dtype=object)
    frame = pd.DataFrame(
        {
            "taxon": _column(located, "taxon").to_numpy(dtype=object),
            f"h3_r{resolution}": names[inverse],
        }
    )
    return hex_counts(frame, int(resolution), include_centroids=True)


def _cell_ids(located: pd.DataFrame, resolution: int) -> np.ndarray:
    """H3 cells as integers: the stored ``h3_r{resolution}`` where valid, else computed."""
    ids = np.zeros(len(located), dtype=np.uint64)
    column = f"h3_r{resolution}"
    if column in located.columns:
        codes, stored = pd.factorize(located[column].astype(object))
        stored_ids = np.array(
            [
                int(cell, 16)
                if isinstance(cell, str)
                and h3.is_valid_cell(cell)
                and h3.get_resolution(cell) == resolution
                else 0
                for cell in stored
            ],
            dtype=np.uint64,
        )
        known = codes >= 0
        ids[known] = stored_ids[codes[known]]
    missing = np.flatnonzero(ids == 0)
    if missing.size:
        lats = located["lat"].to_numpy(dtype=float)[missing]
        lons = located["lon"].to_numpy(dtype=float)[missing]
        ids[missing] = np.fromiter(
            (
                h3_int.latlng_to_cell(lat, lon, resolution)
                for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True)
            ),
            dtype=np.uint64,
            count=missing.size,
        )
    return ids


def _places(
    kinds: tuple[str, ...], bounds: tuple[float, float, float, float] | None
) -> pd.DataFrame:
    """Return the reference places of some kinds inside the bounds, in one table."""
    if isinstance(kinds, str) or not set(kinds) <= set(PLACE_KINDS):
        raise ValueError(f"kinds should be drawn from {PLACE_KINDS}, got {kinds!r}")
    tables = []
    if "airport" in kinds:
        airports = _inside(reference_places.load_airports(), bounds)
        if len(airports) > _MAX_AIRPORTS_IN_VIEW:
            airports = airports[airports["name"].str.contains("International", na=False)]
        codes = [
            " / ".join(code for code in (iata, icao) if isinstance(code, str) and code)
            for iata, icao in zip(airports["iata"], airports["icao"], strict=True)
        ]
        tables.append(_place_table(airports, "airport", codes, _country_names(airports["country"])))
    if "seaport" in kinds:
        seaports = _inside(reference_places.load_seaports(), bounds)
        tables.append(
            _place_table(
                seaports, "seaport", seaports["locode"], _country_names(seaports["country"])
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
            "name": _text(frame["name"]).to_numpy(),
            "detail": [f"{TEXT[kind]}{_SEPARATOR}{code}" if code else TEXT[kind] for code in codes],
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


def _country_names(codes: pd.Series) -> list[str]:
    names = {code: country_name(code) for code in codes.dropna().unique()}
    return [names.get(code, "") if isinstance(code, str) else "" for code in codes]


def _place_labels(values: pd.Series) -> list[str]:
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


def _seizure_count(count: float) -> str:
    return TEXT["one_seizure"] if count == 1 else TEXT["seizures"].format(count=f"{count:,.0f}")


def _taxa_text(pairs: object) -> str:
    """Write (taxon, count) pairs as "Manis javanica (12) · Elephas maximus (3)"."""
    if not isinstance(pairs, list | tuple):
        return ""
    return _SEPARATOR.join(f"{taxon} ({count:,})" for taxon, count in pairs)


def _seizure_details(records: pd.DataFrame) -> pd.Series:
    """Write date (at its precision), commodity and quantity as "2021-03-04 · scales · 12.5 kg"."""
    dates = _dates(_column(records, "seizure_date"), _column(records, "date_precision"))
    codes = _column(records, "commodity")
    names = {code: _commodity_text(code) for code in codes.dropna().unique()}
    commodities = [names.get(code, "") if isinstance(code, str) else "" for code in codes]
    quantities = _quantities(_column(records, "quantity"), _column(records, "unit"))
    return pd.Series(
        [
            _SEPARATOR.join(part for part in parts if part)
            for parts in zip(dates, commodities, quantities, strict=True)
        ],
        dtype=object,
    )


def _seizure_places(records: pd.DataFrame) -> pd.Series:
    """Write place and seizing country as "Boten (province centre) · seized by Lao PDR"."""
    names = _text(_column(records, "location_name")).str.strip()
    approximate = [
        f" ({TEXT[_APPROXIMATE_PRECISIONS[precision]]})"
        if precision in _APPROXIMATE_PRECISIONS
        else ""
        for precision in _column(records, "coord_precision")
    ]
    seizing = _country_names(_column(records, "seizing_country"))
    rows = []
    for name, note, country in zip(names, approximate, seizing, strict=True):
        place = f"{name}{note}" if name else note.strip(" ()").capitalize()
        rows.append(
            _SEPARATOR.join(
                part
                for part in (place, country and TEXT["seized_by"].format(country=country))
                if part
            )
        )
    return pd.Series(rows, dtype=object)


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


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return a column as objects with None for missing; all None when the frame lacks it."""
    if name not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    column = frame[name].astype(object)
    return column.where(column.notna(), None)


def _text(values: pd.Series) -> pd.Series:
    column = values.astype(object)
    return column.where(column.notna(), "").astype(str).reset_index(drop=True)


def _escape(text: str) -> str:
    """Escape the characters that start or end a tag, for a tooltip's element content.

    Without ``<`` no element can be made; ``&`` is left so that Streamlit, which escapes
    again, shows "Boten & Mohan" rather than "Boten &amp; Mohan" (see the module notes).
    """
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _escape_all(values: pd.Series | Iterable[str]) -> list[str]:
    return [_escape(value) for value in _text(pd.Series(list(values), dtype=object))]


def _require_columns(frame: object, columns: Iterable[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name!r} should be a pandas DataFrame, got {type(frame)}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(frame.columns)}")
