"""The key to a map: one entry per visible layer, as plain data, and that data drawn as HTML.

A map's key is a list of entries, each a plain dict that JSON, a page and matplotlib can all
read (so the briefing draws the same key as the dashboard)::

    {"layer": "seizures",                   # the id of the deck layer it explains
     "title": "Seizures, coloured by taxon group",
     "kind": "swatches",                    # swatches | sizes | ramp | line | symbols
     "shape": "circle",                     # swatches only: circle or hexagon
     "items": [{"label": "Mammals", "colour": [204, 102, 119, 217]}, ...],
     "note": "..."}                         # optional: a sentence instead of items

Every item has a ``label`` (plain text, not escaped: :func:`legend_html` escapes it) and a
``colour`` (RGBA, 0–255).  ``sizes`` items add ``radius`` (pixels), ``line`` items
``width`` (pixels) and optionally ``colour_to`` (the colour at the line's far end),
``symbols`` items ``outline`` (RGBA) and ``radius``.  ``ramp`` items are stops, low to
high, whose labels are the numbers they stand for.

The colours come from the functions and tables the layers draw with
(:mod:`geo.report.layers`, :mod:`geo.report.basemap`); there is no second copy of them.
The words are in :data:`geo.report.legend.TEXT`; taxon groups and units in words from
:mod:`geo.report.charts`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import h3
import numpy as np
import pandas as pd
import pydeck as pdk

from geo.pairs import split_pair
from geo.reference.countries import country_name
from geo.report.basemap import BORDER_COLOUR
from geo.report.charts import GROUP_LABELS, UNIT_LABELS
from geo.report.layers import (
    HOTSPOT_BINS,
    PLACE_KINDS,
    PLACE_SYMBOLS,
    POINT_OPACITY,
    POINT_RADIUS_PIXELS,
    ROUTE_SOURCE_COLOUR,
    ROUTE_TARGET_COLOUR,
    SUBDUED_POINTS,
    density_colours,
    group_colour,
    hotspot_colour,
    hotspot_confidence,
    located_records,
    route_widths,
)
from geo.report.legend import TEXT, column, hexagon_across, seizure_count
from geo.spatial.borders import border_between

__all__ = [
    "KINDS",
    "border_key",
    "density_key",
    "hotspots_key",
    "legend_html",
    "places_key",
    "points_keys",
    "routes_key",
]

KINDS = ("swatches", "sizes", "ramp", "line", "symbols")
"""How an entry is drawn: colour swatches, dot sizes, a colour ramp, lines, map symbols."""

_UNKNOWN = "unknown"
_SIZE_GREY = [120, 120, 120, 255]
_RAMP_STOPS = 5
_OPAQUE = 255
_BORDER_WIDTH = 4
_ROUTE_KEY_WIDTHS = (0.1, 1.0)  # shares of the busiest route drawn in the key
_EDGE = "rgba(0,0,0,0.25)"
_HEXAGON = "clip-path:polygon(25% 5%,75% 5%,100% 50%,75% 95%,25% 95%,0 50%)"


def points_keys(records: pd.DataFrame, *, subdued: bool = False) -> list[dict]:
    """Return the key to the seizure dots: the taxon groups present, and what size means.

    Parameters
    ----------
    records : pandas.DataFrame
        The records given to :func:`geo.report.layers.seizure_points_layer` (``lat``,
        ``lon``; ``taxon_group``, ``quantity`` and ``unit`` when present).  Only those
        with coordinates count, as only they are drawn.
    subdued : bool, default False
        As for the layer: the sizes in the key follow it.  The colours keep the dots'
        usual opacity: faded swatches would be hard to tell apart, and a key is about hue.

    Returns
    -------
    list of dict
        A ``swatches`` entry (circles) with one item per taxon group present, in the
        charts' order, missing groups as "Unknown"; and, when any dot has a quantity, a
        ``sizes`` entry with the smallest and largest dot and the units they compare
        within.  Empty when no record has coordinates.
    """
    drawn = located_records(records)
    if drawn.empty:
        return []
    alpha = round(_OPAQUE * POINT_OPACITY)
    groups = column(drawn, "taxon_group")
    present = {group if isinstance(group, str) and group else _UNKNOWN for group in groups}
    known = [group for group in GROUP_LABELS if group in present and group != _UNKNOWN]
    others = sorted(present - set(GROUP_LABELS))
    ordered = [*known, *others, *([_UNKNOWN] if _UNKNOWN in present else [])]
    entries = [
        {
            "layer": "seizures",
            "title": TEXT["key_points"],
            "kind": "swatches",
            "shape": "circle",
            "items": [
                {
                    "label": GROUP_LABELS.get(group, group),
                    "colour": [*group_colour(None if group == _UNKNOWN else group), alpha],
                }
                for group in ordered
            ],
        }
    ]
    quantity = pd.to_numeric(column(drawn, "quantity"), errors="coerce")
    unit = column(drawn, "unit")
    sized = (quantity > 0) & unit.notna()
    if sized.any():
        names = [UNIT_LABELS.get(name, str(name)) for name in pd.unique(unit[sized])]
        scale = SUBDUED_POINTS["radius_scale"] if subdued else 1.0
        smallest, largest = (round(radius * scale, 1) for radius in POINT_RADIUS_PIXELS)
        entries.append(
            {
                "layer": "seizures",
                "title": TEXT["key_sizes"],
                "kind": "sizes",
                "items": [
                    {"label": TEXT["size_small"], "radius": smallest, "colour": _SIZE_GREY},
                    {
                        "label": TEXT["size_large"].format(units=", ".join(sorted(names))),
                        "radius": largest,
                        "colour": _SIZE_GREY,
                    },
                ],
            }
        )
    return entries


def density_key(cells: pd.DataFrame) -> dict | None:
    """Return the key to the density hexagons: the colour ramp with its counts, low to high.

    Parameters
    ----------
    cells : pandas.DataFrame
        The cells given to :func:`geo.report.layers.density_layer` (``cell``, ``count``).

    Returns
    -------
    dict or None
        A ``ramp`` entry of up to five stops from the fewest seizures in a hexagon to the
        most, spaced as the ramp is (on log(1 + count)), each coloured by
        :func:`geo.report.layers.density_colours` against the largest count; the title
        gives the hexagons' width.  None when there are no cells.
    """
    if cells is None or len(cells) == 0:
        return None
    counts = pd.to_numeric(cells["count"], errors="coerce").fillna(0).to_numpy(dtype=float)
    largest = float(counts.max())
    fewest = float(counts[counts > 0].min()) if (counts > 0).any() else 0.0
    if largest <= fewest:
        stops = [largest]
    else:
        shares = np.linspace(0.0, 1.0, _RAMP_STOPS)
        spaced = np.expm1(np.log1p(fewest) + shares * (np.log1p(largest) - np.log1p(fewest)))
        stops = sorted({float(round(value)) for value in spaced} | {fewest, largest})
    first = str(cells["cell"].iloc[0])
    across = hexagon_across(h3.get_resolution(first))
    return {
        "layer": "density",
        "title": TEXT["key_density"].format(across=across),
        "kind": "ramp",
        "shape": "hexagon",
        "items": [
            {"label": f"{value:,.0f}", "colour": colour}
            for value, colour in zip(stops, density_colours(stops, largest), strict=True)
        ],
    }


def hotspots_key(gi: pd.DataFrame) -> dict:
    """Return the key to the Gi* hexagons: the hot and cold bins drawn on the map.

    Parameters
    ----------
    gi : pandas.DataFrame
        The frame given to :func:`geo.report.layers.hotspot_layer` (``gi_bin``).

    Returns
    -------
    dict
        A ``swatches`` entry (hexagons), one item per bin present, hot at 99, 95, 90%
        then cold at 90, 95, 99%, coloured by :func:`geo.report.layers.hotspot_colour`.
        Only the bins on the map are listed: a colour the reader cannot find would only
        send them looking (the tooltip of each hexagon gives its confidence as well).
        With none, no items and a ``note`` saying that nothing is significant.
    """
    bins = pd.to_numeric(gi["gi_bin"], errors="coerce").fillna(0).astype(int).clip(-3, 3)
    present = set(bins.tolist())
    items = [
        {
            "label": TEXT["hot" if value > 0 else "cold"].format(
                confidence=hotspot_confidence(value)
            ),
            "colour": hotspot_colour(value),
        }
        for value in HOTSPOT_BINS
        if value in present
    ]
    entry = {
        "layer": "hotspots",
        "title": TEXT["key_hotspots"],
        "kind": "swatches",
        "shape": "hexagon",
        "items": items,
    }
    if not items:
        entry["note"] = TEXT["no_hotspots"]
    return entry


def border_key(pair: str) -> dict | None:
    """Return the key to a pair's land border line, or None when the two share none."""
    first, second = split_pair(pair)
    if border_between(first, second) is None:
        return None
    return {
        "layer": "border",
        "title": TEXT["key_border"],
        "kind": "line",
        "items": [
            {
                "label": TEXT["border"].format(
                    first=country_name(first), second=country_name(second)
                ),
                "colour": [*BORDER_COLOUR, _OPAQUE],
                "width": _BORDER_WIDTH,
            }
        ],
    }


def places_key(layer: pdk.Layer | None) -> dict | None:
    """Return the key to the places layer: the kinds of place it draws, as drawn.

    Parameters
    ----------
    layer : pydeck.Layer or None
        A :func:`geo.report.layers.places_layer`.

    Returns
    -------
    dict or None
        A ``symbols`` entry, one item per kind present (airport, seaport, border crossing)
        with its fill, outline and radius; None when the layer draws no place.
    """
    if layer is None or not layer.data:
        return None
    present = {row["kind"] for row in layer.data}
    items = [
        {
            "label": TEXT[kind],
            "colour": [*PLACE_SYMBOLS[kind]["fill"], _OPAQUE],
            "outline": [*PLACE_SYMBOLS[kind]["outline"], _OPAQUE],
            "radius": 5,
        }
        for kind in PLACE_KINDS
        if kind in present
    ]
    return {"layer": "places", "title": TEXT["key_places"], "kind": "symbols", "items": items}


def routes_key(layer: pdk.Layer | None) -> dict | None:
    """Return the key to the route arcs: which end is which, and what width means.

    Parameters
    ----------
    layer : pydeck.Layer or None
        A :func:`geo.report.layers.route_arcs_layer`.

    Returns
    -------
    dict or None
        A ``line`` entry: a line from the arcs' source colour to their target colour
        saying which end is the origin, and a thin and a wide line for the number of
        seizures (the widest named).  None when there are no arcs.
    """
    if layer is None or not layer.data:
        return None
    most = max(float(row["seizures"]) for row in layer.data)
    thin, wide = route_widths(_ROUTE_KEY_WIDTHS).tolist()
    source, target = list(ROUTE_SOURCE_COLOUR), list(ROUTE_TARGET_COLOUR)
    return {
        "layer": "routes",
        "title": TEXT["key_routes"],
        "kind": "line",
        "items": [
            {"label": TEXT["route_direction"], "colour": source, "colour_to": target, "width": 4},
            {
                "label": TEXT["route_width"].format(most=seizure_count(most)),
                "colour": source,
                "colour_to": target,
                "width": wide,
                "width_from": thin,
            },
        ],
    }


def legend_html(entries: Sequence[Mapping], font_px: int = 14) -> str:
    """Draw a map's key as a small, self-contained piece of HTML.

    Parameters
    ----------
    entries : sequence of dict
        The map's key (``MapDeck.legend``; the format is in the module notes).
    font_px : int, default 14
        Type size in pixels; swatches follow it.

    Returns
    -------
    str
        One ``<div class="map-legend">`` holding a wrapping flex row, one block per
        entry: its title, then its items as swatches (squares, circles or hexagons),
        circles of the dot sizes, a gradient bar with its numbers below, line samples or
        place symbols, each beside its label.  Inline styles only, no script, no class
        but the outer one; every text escaped (``html.escape``, quotes included), every
        colour written from integers.  "" for no entries.
    """
    if isinstance(entries, str | bytes) or not isinstance(entries, Sequence):
        raise TypeError(f"'entries' should be a list of dicts, got {type(entries)}")
    if not isinstance(font_px, int) or not 8 <= font_px <= 64:
        raise ValueError(f"font_px should be a whole number of pixels 8-64, got {font_px!r}")
    blocks = [_entry_html(entry, font_px) for entry in entries if isinstance(entry, Mapping)]
    blocks = [block for block in blocks if block]
    if not blocks:
        return ""
    style = (
        f"display:flex;flex-wrap:wrap;gap:{font_px // 2}px {font_px * 2}px;"
        f"align-items:flex-start;font-size:{font_px}px;line-height:1.35;color:#222;"
        "margin:4px 0 8px 0"
    )
    return f'<div class="map-legend" style="{style}">{"".join(blocks)}</div>'


def _entry_html(entry: Mapping, font_px: int) -> str:
    kind = entry.get("kind")
    items = [item for item in entry.get("items") or [] if isinstance(item, Mapping)]
    title = _text(entry.get("title"))
    parts = [f'<div style="font-weight:600;margin-bottom:2px">{title}</div>'] if title else []
    if kind == "ramp" and items:
        parts.append(_ramp_html(items, font_px, entry.get("shape")))
    elif items:
        rows = [_item_html(kind, entry.get("shape"), item, font_px) for item in items]
        parts.append(
            f'<div style="display:flex;flex-wrap:wrap;gap:2px {font_px}px">{"".join(rows)}</div>'
        )
    if entry.get("note"):
        parts.append(f'<div style="color:#555">{_text(entry["note"])}</div>')
    if not parts:
        return ""
    return f'<div style="display:flex;flex-direction:column;max-width:100%">{"".join(parts)}</div>'


def _item_html(kind: object, shape: object, item: Mapping, font_px: int) -> str:
    label = _text(item.get("label"))
    colour = _css_colour(item.get("colour"))
    box = font_px
    if kind == "sizes":
        diameter = max(2, round(2 * _number(item.get("radius"), 3)))
        box = max(box, diameter)
        mark = _mark(diameter, diameter, f"background:{colour};border-radius:50%")
    elif kind == "symbols":
        diameter = max(6, round(2 * _number(item.get("radius"), 5)))
        outline = _css_colour(item.get("outline"))
        mark = _mark(
            diameter,
            diameter,
            f"background:{colour};border:2px solid {outline};border-radius:50%;"
            "box-sizing:border-box;box-shadow:0 0 0 1px #bbb",
        )
    elif kind == "line":
        wide = max(1, round(_number(item.get("width"), 3)))
        to = _css_colour(item.get("colour_to")) if item.get("colour_to") else colour
        if item.get("width_from") is not None:
            thin = max(1, round(_number(item.get("width_from"), 1)))
            # a wedge from thin to wide, coloured from one end to the other
            mark = _mark(
                2 * font_px + 8,
                wide,
                f"background:linear-gradient(to right,{colour},{to});"
                f"clip-path:polygon(0 {50 - 50 * thin / wide:.0f}%,100% 0,100% 100%,"
                f"0 {50 + 50 * thin / wide:.0f}%)",
            )
        else:
            mark = _mark(
                2 * font_px + 8,
                wide,
                f"background:linear-gradient(to right,{colour},{to});border-radius:{wide}px",
            )
        box = max(box, wide)
    elif shape == "hexagon":
        # a hexagon inside a grey one a pixel larger: pale bins stay visible on white
        mark = (
            f'<span style="display:inline-flex;align-items:center;justify-content:center;'
            f'width:{font_px + 2}px;height:{font_px + 2}px;background:{_EDGE};{_HEXAGON}">'
            f"{_mark(font_px, font_px, f'background:{colour};{_HEXAGON}')}</span>"
        )
    else:
        radius = "border-radius:50%;" if shape == "circle" else ""
        mark = _mark(
            font_px, font_px, f"background:{colour};{radius}box-shadow:inset 0 0 0 1px {_EDGE}"
        )
    return (
        '<span style="display:inline-flex;align-items:center;gap:6px;white-space:nowrap">'
        f'<span style="display:inline-flex;align-items:center;justify-content:center;'
        f'min-width:{box}px;min-height:{box}px">{mark}</span>{label}</span>'
    )


def _ramp_html(items: list[Mapping], font_px: int, shape: object) -> str:
    colours = [_css_colour(item.get("colour")) for item in items]
    if len(colours) == 1:
        colours = colours * 2
    stops = ",".join(
        f"{colour} {100 * index / (len(colours) - 1):.0f}%" for index, colour in enumerate(colours)
    )
    width = 12 * font_px
    bar = _mark(width, font_px, f"background:linear-gradient(to right,{stops});border-radius:2px")
    numbers = "".join(f"<span>{_text(item.get('label'))}</span>" for item in items)
    justify = "space-between" if len(items) > 1 else "flex-start"
    return (
        f'<div style="display:inline-flex;flex-direction:column;width:{width}px">{bar}'
        f'<div style="display:flex;justify-content:{justify};font-size:{font_px - 1}px;'
        f'color:#444">{numbers}</div></div>'
    )


def _mark(width: int, height: int, style: str) -> str:
    return f'<span style="display:inline-block;width:{width}px;height:{height}px;{style}"></span>'


def _text(value: object) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def _number(value: object, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) and 0 <= number <= 100 else default


def _css_colour(value: object) -> str:
    """rgba() from an RGB or RGBA list of 0–255 numbers; grey for anything else."""
    try:
        channels = [round(float(channel)) for channel in value]  # type: ignore[union-attr]
    except (TypeError, ValueError, OverflowError):
        channels = []
    if len(channels) not in (3, 4):
        channels = [128, 128, 128, 255]
    red, green, blue = (min(max(channel, 0), 255) for channel in channels[:3])
    alpha = min(max(channels[3], 0), 255) / 255 if len(channels) == 4 else 1.0
    return f"rgba({red},{green},{blue},{alpha:.2f})"
