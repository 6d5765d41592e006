"""The map's data layers: seizures as points, H3 density and Gi* hexagons, places, route arcs.

Every coordinate here is WGS84 (``EPSG:4326``) longitude/latitude in degrees, as deck.gl
expects.  Each layer's data holds only the columns it draws or its tooltip shows, and every
pickable layer carries the escaped tooltip fields of :mod:`geo.report.legend`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import h3
import numpy as np
import pandas as pd
import pydeck as pdk

from geo.reference import places as reference_places
from geo.reference.countries import country_name
from geo.report.charts import TAXON_GROUP_COLOURS
from geo.report.deck import MAP_PIXELS, text_box, to_screen
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
    "HOTSPOT_BINS",
    "PLACE_KINDS",
    "PLACE_SYMBOLS",
    "POINT_OPACITY",
    "POINT_RADIUS_PIXELS",
    "ROUTE_SOURCE_COLOUR",
    "ROUTE_TARGET_COLOUR",
    "SUBDUED_POINTS",
    "density_colours",
    "density_layer",
    "group_colour",
    "hotspot_colour",
    "hotspot_confidence",
    "hotspot_layer",
    "hotspot_marks_layer",
    "located_records",
    "place_label_boxes",
    "place_labels_layer",
    "places_layer",
    "route_arcs_layer",
    "route_widths",
    "seizure_points_layer",
]

PLACE_KINDS = ("airport", "seaport", "crossing")

# pydeck reads a plain string property as a data accessor ("@@=pixels"); a constant has to
# be marked as a string.
_PIXELS = pdk.types.String("pixels")
_DECIMALS = 5  # about 1 m

_NO_GROUP_COLOUR = (187, 187, 187)  # as the charts' "unknown"
_DENSITY_RAMP = np.array(  # viridis, light to dark: dense cells stand out on a light basemap
    [(253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84)], dtype=float
)
_DENSITY_ALPHA = 200
_HOTSPOT_COLOURS = {  # ColorBrewer RdBu, as ArcGIS draws Gi_Bin
    3: (178, 24, 43),
    2: (239, 138, 98),
    1: (253, 219, 199),
    -1: (209, 229, 240),
    -2: (103, 169, 207),
    -3: (33, 102, 172),
}
_HOTSPOT_ALPHA = 210
_CONFIDENCE_OF_BIN = {1: 90, 2: 95, 3: 99}

HOTSPOT_BINS = (3, 2, 1, -1, -2, -3)
"""Gi* bins in the order a key lists them: hot 99/95/90%, then cold 90/95/99%."""

PLACE_SYMBOLS: dict[str, dict[str, tuple[int, int, int]]] = {
    # Told apart by fill as well as colour: an airport is a ring, a seaport a blue dot, a
    # crossing a black dot (two greys were indistinguishable).
    "airport": {"fill": (255, 255, 255), "outline": (60, 60, 60)},
    "seaport": {"fill": (0, 105, 148), "outline": (255, 255, 255)},
    "crossing": {"fill": (20, 20, 20), "outline": (255, 255, 255)},
}
"""Fill and outline (RGB) of each kind of place on the map."""

ROUTE_SOURCE_COLOUR = (253, 174, 97, 230)
"""RGBA of a route arc at its source end: light orange, where the goods came from."""
ROUTE_TARGET_COLOUR = (128, 0, 38, 230)
"""RGBA of a route arc at its target end: dark red, where they were going."""

POINT_RADIUS_PIXELS = (3.0, 10.0)
"""Smallest and largest seizure dot, radius in pixels (see :func:`seizure_points_layer`)."""
SUBDUED_POINTS = {"radius_scale": 0.6, "opacity": 0.45}
"""How seizure dots shrink and fade when hexagons are drawn over them."""
POINT_OPACITY = 0.85
"""Opacity of the seizure dots (see :data:`SUBDUED_POINTS` for dots under hexagons)."""
_MARK_MIN_RADIUS_PIXELS = 7
_PLACE_RADIUS_PIXELS = 4
_PLACE_LABEL_PIXELS = 12
_PLACE_LABEL_OFFSET = 7
# Which names win where two would overlap: crossings, seaports, then airports (the
# international ones first).
_LABEL_PRIORITY = {"crossing": 6, "seaport": 4, "airport": 2}
# In a wide view every IATA airport would bury the map; past this many in view only the
# international ones are drawn (airportsdata gives no size or traffic).
_MAX_AIRPORTS_IN_VIEW = 150
_MAX_LABELS = 300


def seizure_points_layer(records: pd.DataFrame, *, subdued: bool = False) -> pdk.Layer:
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
    subdued : bool, default False
        Smaller (radius x 0.6) and fainter (opacity 0.45) dots, for a map that draws
        hexagons over them (:data:`SUBDUED_POINTS`): the analysis in front, the seizures
        as context.

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
    gets the smallest dot (3 px).  Subdued dots are the same times 0.6.
    """
    _require_columns(records, ("lat", "lon"), "records")
    located = located_records(records)
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
        radius_scale=SUBDUED_POINTS["radius_scale"] if subdued else 1,
        get_fill_color="colour",
        stroked=True,
        get_line_color=[255, 255, 255],
        line_width_min_pixels=0.5,
        opacity=SUBDUED_POINTS["opacity"] if subdued else POINT_OPACITY,
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
            "colour": density_colours(counts),
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
        TEXT["hot" if value > 0 else "cold"].format(confidence=hotspot_confidence(value))
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
            "colour": [hotspot_colour(value) for value in bins],
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


def hotspot_marks_layer(hotspots: pdk.Layer) -> pdk.Layer | None:
    """Ring each hot or cold spot so that it shows at any zoom, however small its hexagon.

    A resolution-7 hexagon is 3 km across: 6 pixels at a border's zoom, under a place's
    marker at a crossing, and nothing at all on a world map, where the hot spot is the one
    thing the reader is looking for.

    Parameters
    ----------
    hotspots : pydeck.Layer
        A :func:`hotspot_layer`.

    Returns
    -------
    pydeck.ScatterplotLayer or None
        A pickable layer (id ``hotspot-marks``) of unfilled rings in each cell's colour
        (opaque), centred on the cell, as wide as the hexagon (its circumradius, in
        metres) but never under 7 pixels in radius, with the hexagons' tooltip fields;
        None when no cell is significant.
    """
    if not hotspots.data:
        return None
    rows = []
    for row in hotspots.data:
        lat, lon = h3.cell_to_latlng(row["cell"])
        edge = h3.average_hexagon_edge_length(h3.get_resolution(row["cell"]), unit="m")
        rows.append(
            {
                "position": [round(lon, _DECIMALS), round(lat, _DECIMALS)],
                "radius": round(edge, 1),
                "colour": [*row["colour"][:3], 255],
                **{field: row[field] for field in ("title", "detail", "where")},
            }
        )
    return pdk.Layer(
        "ScatterplotLayer",
        data=rows,
        id="hotspot-marks",
        get_position="position",
        get_radius="radius",
        radius_min_pixels=_MARK_MIN_RADIUS_PIXELS,
        filled=False,
        stroked=True,
        get_line_color="colour",
        line_width_units=_PIXELS,
        get_line_width=2.5,
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
        A pickable layer (id ``places``) drawn by ``kind`` (:data:`PLACE_SYMBOLS`: airports
        as rings, seaports as blue dots, crossings as black dots), with escaped tooltip
        fields (name; kind and code; country).  See :func:`place_labels_layer` for their names
        as text on the map.
    """
    table = _places(tuple(kinds), bounds)
    data = _rows(
        {
            "position": _positions(table["lat"], table["lon"]),
            "kind": table["kind"].to_numpy(),
            "colour": [list(PLACE_SYMBOLS[kind]["fill"]) for kind in table["kind"]],
            "outline": [list(PLACE_SYMBOLS[kind]["outline"]) for kind in table["kind"]],
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
        get_radius=_PLACE_RADIUS_PIXELS,
        radius_units=_PIXELS,
        stroked=True,
        get_line_color="outline",
        line_width_units=_PIXELS,
        get_line_width=1.5,
        line_width_min_pixels=1,
        pickable=True,
        auto_highlight=True,
    )


def place_labels_layer(
    kinds: Sequence[str] = PLACE_KINDS,
    bounds: tuple[float, float, float, float] | None = None,
    view: pdk.ViewState | None = None,
    keep_off: Sequence[Sequence[float]] = (),
) -> pdk.Layer | None:
    """Write the names of the places of :func:`places_layer` beside their markers.

    Parameters
    ----------
    kinds : sequence of {"airport", "seaport", "crossing"}
        Which places to label.
    bounds : (west, south, east, north), optional
        WGS84 degrees; only places inside are labelled.
    view : pydeck.ViewState, optional
        The map's initial view.  With it, a name that would overlap, at that zoom,
        another name or the marker of a place as important is left out (the marker stays,
        with its tooltip): crossings are named first, then seaports, international
        airports and other airports.
    keep_off : sequence of (x0, y0, x1, y1)
        With ``view``: screen boxes in pixels from the view's centre
        (:func:`geo.report.deck.to_screen`) that no name may cover, such as the scale bar.

    Returns
    -------
    pydeck.TextLayer or None
        A ``TextLayer`` (id ``place-labels``) drawing each name as glyphs (not HTML, so the
        names are not escaped); None when more than 300 places are in the bounds, where
        labels would only overlap, or when none is left.
    """
    table = _places(tuple(kinds), bounds)
    if table.empty or len(table) > _MAX_LABELS:
        return None
    if view is not None:
        table = table[_uncrowded(table, view, keep_off)]
        if table.empty:
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
        get_size=_PLACE_LABEL_PIXELS,
        size_units=_PIXELS,
        get_color=[40, 40, 40],
        get_text_anchor=pdk.types.String("start"),
        get_alignment_baseline=pdk.types.String("center"),
        get_pixel_offset=[_PLACE_LABEL_OFFSET, 0],
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


def place_label_boxes(
    labels: pdk.Layer | None, view: pdk.ViewState, pixels: Sequence[float] = MAP_PIXELS
) -> tuple[tuple[float, float, float, float], ...]:
    """Return the screen boxes of the place markers and names shown in the initial view.

    Parameters
    ----------
    labels : pydeck.Layer or None
        A :func:`place_labels_layer`.
    view : pydeck.ViewState
        The map's initial view.
    pixels : (width, height)
        The part of the view to consider, in pixels.

    Returns
    -------
    tuple of (x0, y0, x1, y1)
        Pixels from the view's centre (:func:`geo.report.deck.to_screen`): each place's
        marker and its name, estimated by :func:`geo.report.deck.text_box`, for the boxes
        that reach into the view; other words on the map keep off them.
    """
    if labels is None or not labels.data:
        return ()
    positions = np.array([row["position"] for row in labels.data], dtype=float)
    x, y = to_screen(view, positions[:, 0], positions[:, 1])
    half_width, half_height = (float(value) / 2 for value in pixels)
    marker = _PLACE_RADIUS_PIXELS + 1.5
    boxes = []
    for row, left, middle in zip(labels.data, x.tolist(), y.tolist(), strict=True):
        width, height = text_box(row["text"], _PLACE_LABEL_PIXELS)
        box = (
            left - marker,
            middle - max(height / 2 + 1, marker),
            left + _PLACE_LABEL_OFFSET + width + 2,
            middle + max(height / 2 + 1, marker),
        )
        if box[2] >= -half_width and box[0] <= half_width and box[3] >= -half_height:
            if box[1] <= half_height:
                boxes.append(tuple(round(value, 1) for value in box))
    return tuple(boxes)


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
        A pickable layer (id ``routes``) with data ``from``, ``to``, ``seizures``, ``width``
        and the tooltip fields: width ``1.5 + 8.5 * sqrt(seizures / most)``
        pixels (:func:`route_widths`), light orange at the source and dark red at the
        target (:data:`ROUTE_SOURCE_COLOUR`, :data:`ROUTE_TARGET_COLOUR`) on every arc, with
        escaped tooltip fields ("Viet Nam → China", "12 seizures").
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
    widths = route_widths(shares)
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
            "seizures": seizures.to_numpy(dtype=float),
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
        get_source_color=list(ROUTE_SOURCE_COLOUR),
        get_target_color=list(ROUTE_TARGET_COLOUR),
        # Seen from straight above, a raised arc is a straight line with a hook at each end;
        # along the great circle it reads as a route.
        great_circle=True,
        pickable=True,
        auto_highlight=True,
    )


def group_colour(group: object) -> tuple[int, int, int]:
    """Return the RGB colour of a taxon group's dots (grey for a missing or unknown group)."""
    if not isinstance(group, str):
        return _NO_GROUP_COLOUR
    return TAXON_GROUP_COLOURS.get(group, _NO_GROUP_COLOUR)


def density_colours(counts: Sequence[float], largest: float | None = None) -> list[list[int]]:
    """Return the RGBA colour of hexagons holding ``counts`` seizures (the density ramp).

    Viridis, light to dark, on ``log(1 + count) / log(1 + largest)``; ``largest`` is the
    largest count on the map (by default the largest of ``counts``).
    """
    values = np.asarray(counts, dtype=float)
    if len(values) == 0:
        return []
    top = float(values.max()) if largest is None else float(largest)
    scale = np.log1p(top)
    share = np.clip(np.log1p(values) / scale, 0.0, 1.0) if scale > 0 else np.zeros(len(values))
    position = share * (len(_DENSITY_RAMP) - 1)
    low = np.clip(np.floor(position).astype(int), 0, len(_DENSITY_RAMP) - 2)
    fraction = (position - low)[:, None]
    colours = _DENSITY_RAMP[low] * (1 - fraction) + _DENSITY_RAMP[low + 1] * fraction
    return [[*row, _DENSITY_ALPHA] for row in np.round(colours).astype(int).tolist()]


def hotspot_colour(gi_bin: int) -> list[int]:
    """Return the RGBA colour of a Gi* bin (+3 hot at 99% … -3 cold at 99%; 0 is not drawn)."""
    value = int(np.clip(int(gi_bin), -3, 3))
    if value == 0:
        raise ValueError("gi_bin 0 (not significant) has no colour: such cells are not drawn")
    return [*_HOTSPOT_COLOURS[value], _HOTSPOT_ALPHA]


def hotspot_confidence(gi_bin: int) -> int:
    """Return the confidence (90, 95 or 99 %) of a non-zero Gi* bin."""
    return _CONFIDENCE_OF_BIN[min(abs(int(gi_bin)), 3)]


def route_widths(shares: Sequence[float]) -> np.ndarray:
    """Return arc widths in pixels for shares of the busiest route: ``1.5 + 8.5 * sqrt(share)``."""
    return np.round(1.5 + 8.5 * np.sqrt(np.asarray(shares, dtype=float)), 1)


def _uncrowded(
    table: pd.DataFrame, view: pdk.ViewState, keep_off: Sequence[Sequence[float]]
) -> np.ndarray:
    """Which places to name at the view's zoom: no name over another name or marker."""
    x, y = to_screen(view, table["lon"].to_numpy(dtype=float), table["lat"].to_numpy(dtype=float))
    marker = _PLACE_RADIUS_PIXELS + 1.5
    names = []
    for name, left, middle in zip(table["name"], x, y, strict=True):
        width, height = text_box(str(name), _PLACE_LABEL_PIXELS)
        names.append(
            (
                left + _PLACE_LABEL_OFFSET - 2,
                middle - height / 2 - 1,
                left + _PLACE_LABEL_OFFSET + width + 2,
                middle + height / 2 + 1,
            )
        )
    markers = np.column_stack([x - marker, y - marker, x + marker, y + marker])
    rank = [
        (_LABEL_PRIORITY[kind] + (1 if "International" in str(name) else 0), index)
        for index, (kind, name) in enumerate(zip(table["kind"], table["name"], strict=True))
    ]
    order = np.array([value for value, _ in rank])
    kept = np.zeros(len(table), dtype=bool)
    taken = [tuple(map(float, box)) for box in keep_off]
    for value, index in sorted(rank, key=lambda pair: (-pair[0], pair[1])):
        box = names[index]
        # A name may cover the marker of a lesser place (a crossing's name over a seaport's
        # dot), not that of a place as important.
        peers = (order >= value) & (np.arange(len(order)) != index)
        if _overlaps(box, taken) or _overlaps(box, markers[peers]):
            continue
        kept[index] = True
        taken.append(box)
    return kept


def _overlaps(box: Sequence[float], boxes) -> bool:
    if len(boxes) == 0:
        return False
    others = np.asarray(boxes, dtype=float).reshape(-1, 4)
    return bool(
        (
            (others[:, 0] < box[2])
            & (others[:, 2] > box[0])
            & (others[:, 1] < box[3])
            & (others[:, 3] > box[1])
        ).any()
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


def located_records(records: pd.DataFrame) -> pd.DataFrame:
    """Return the records a points layer draws: finite, in-range WGS84 ``lat``/``lon`` (floats)."""
    _require_columns(records, ("lat", "lon"), "records")
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
    smallest, biggest = POINT_RADIUS_PIXELS
    radii = np.full(len(values), smallest)
    usable = np.isfinite(values) & (values > 0) & pd.notna(units)
    for name in pd.unique(units[usable]):
        in_unit = usable & (units == name)
        largest = np.log1p(values[in_unit].max())
        share = np.log1p(values[in_unit]) / largest if largest > 0 else 1.0
        radii[in_unit] = smallest + (biggest - smallest) * share
    return np.round(radii, 1)


def _group_colours(groups: pd.Series) -> list[list[int]]:
    colours = {group: list(group_colour(group)) for group in groups.unique()}
    return [colours[group] for group in groups]


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
