"""The offline basemap: sea, country polygons simplified for the view, and a pair's land border.

Drawn from the shipped Natural Earth polygons (:func:`geo.spatial.boundaries.load_boundaries`),
WGS84 longitude/latitude in degrees, so a map works on a closed network.  Every redraw sends
the basemap again (Streamlit re-sends a deck whole), so :func:`basemap_for_view` sends only
what the view needs: outlines simplified to about half a pixel of the initial view (the
world at 20 km instead of 2 km), and, for a regional view, full detail only for the
countries in and around it, the rest of the world as coarse context for zooming out.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

import numpy as np
import pydeck as pdk
import shapely

from geo.pairs import split_pair
from geo.reference.countries import country_name
from geo.report.deck import MERCATOR_LIMIT, km_per_pixel, surroundings
from geo.report.legend import TEXT, escape
from geo.spatial.borders import border_between, land_borders
from geo.spatial.boundaries import load_boundaries

__all__ = [
    "SIMPLIFY_KM_LEVELS",
    "basemap_for_view",
    "basemap_layer",
    "border_layer",
    "sea_layer",
]

SIMPLIFY_KM_LEVELS = (2.0, 5.0, 10.0, 20.0, 40.0)
"""Simplification tolerances (km) a view's basemap is drawn at: few, so they stay cached."""

# pydeck reads a plain string property as a data accessor ("@@=pixels"); a constant has to
# be marked as a string.
_PIXELS = pdk.types.String("pixels")

_KM_PER_DEGREE = 111.32
# Visvalingam–Whyatt drops vertices by triangle area; with the tolerance at 1.5 x the
# distance, 99% of the 1:50m vertices stay within simplify_km of their place (measured).
_AREA_TOLERANCE_PER_KM = 1.5 / _KM_PER_DEGREE
_FINE_DECIMALS = 3  # about 100 m, well below the finest simplification
_COARSE_DECIMALS = 2  # about 1 km, for outlines simplified by 10 km or more
_COARSE_KM = 10.0
# The initial view's outlines may stray by this share of a pixel: zooming in once or twice
# in the browser still looks smooth.
_PIXEL_SHARE = 0.5
# Around a regional view the rest of the world is drawn at this tolerance, for zooming out.
_CONTEXT_KM = 40.0
_DECIMALS = 5  # about 1 m, for the border line

_SEA_COLOUR = (214, 228, 238)
_LAND_COLOUR = (242, 240, 234)
_OUTLINE_COLOUR = (155, 155, 155)
_BORDER_COLOUR = (231, 41, 138)


def sea_layer() -> pdk.Layer:
    """Paint the sea as one rectangle under the countries, so the map needs no background."""
    west, east, limit = -180.0, 180.0, MERCATOR_LIMIT
    return pdk.Layer(
        "SolidPolygonLayer",
        data=[{"polygon": [[west, -limit], [east, -limit], [east, limit], [west, limit]]}],
        id="sea",
        get_polygon="polygon",
        get_fill_color=list(_SEA_COLOUR),
        pickable=False,
    )


def basemap_layer(resolution: str = "50m", simplify_km: float = 2.0) -> pdk.Layer:
    """Draw every country polygon as a light GeoJSON layer: the whole offline basemap.

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
        decimals (2, and islands smaller than the tolerance squared left out, from 10 km).
        The collection is built once per process and shared: do not modify it.
        The world at 1:50m and 2 km is about 1.3 MB of JSON; :func:`basemap_for_view`
        sends far less.
    """
    if not isinstance(simplify_km, int | float) or not simplify_km >= 0:
        raise ValueError(f"simplify_km should be a number >= 0, got {simplify_km!r}")
    return _geojson_layer(_collection((), float(simplify_km), resolution))


def basemap_for_view(view: pdk.ViewState) -> pdk.Layer:
    """Draw the countries as light as the view allows: the basemap a map actually sends.

    Parameters
    ----------
    view : pydeck.ViewState
        The map's initial view (:func:`geo.report.deck.view_for`).

    Returns
    -------
    pydeck.Layer
        A ``GeoJsonLayer`` like :func:`basemap_layer`'s (id ``basemap``, property
        ``iso2``), 1:50m polygons simplified by the one of :data:`SIMPLIFY_KM_LEVELS`
        nearest to half a pixel of the initial view (2 km at a border, 20 km for the
        world).  Only the countries touching the
        view's surroundings (:func:`geo.report.deck.surroundings`) are drawn at that
        detail, the others at 40 km as context for zooming out; islands smaller than the
        tolerance squared are left out at 10 km and coarser, but every country keeps its
        largest part.  About 0.2 MB for the world or
        the CN–LA border, against 1.3 MB for :func:`basemap_layer`.
    """
    tolerance = _tolerance_for(view)
    if tolerance >= _CONTEXT_KM:
        return _geojson_layer(_collection((), tolerance))
    near = _countries_touching(surroundings(view))
    if len(near) == len(_level("50m", _CONTEXT_KM)[0]):
        return _geojson_layer(_collection((), tolerance))
    return _geojson_layer(_collection(near, tolerance))


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
            "title": escape(title),
            "detail": escape(detail),
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


def _geojson_layer(collection: dict) -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer",
        data=collection,
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


def _tolerance_for(view: pdk.ViewState) -> float:
    """Return the level nearest (by ratio) to half a pixel at the view's centre."""
    wanted = _PIXEL_SHARE * km_per_pixel(view)
    return min(SIMPLIFY_KM_LEVELS, key=lambda level: abs(math.log(level / wanted)))


def _countries_touching(bounds: tuple[float, float, float, float]) -> tuple[str, ...]:
    codes, geometries, _ = _level("50m", _CONTEXT_KM)
    touching = shapely.intersects(geometries, shapely.box(*bounds))
    return tuple(sorted(str(code) for code in codes[touching]))


@lru_cache(maxsize=16)
def _collection(near: tuple[str, ...], tolerance: float, resolution: str = "50m") -> dict:
    """Return ``near`` countries at ``tolerance``, the others at the context tolerance.

    With no ``near`` countries, every country at ``tolerance``.  Built once per view kind
    and shared: do not modify it.
    """
    if not near:
        return {"type": "FeatureCollection", "features": _level(resolution, tolerance)[2]}
    wanted = set(near)
    _, _, detailed = _level(resolution, tolerance)
    _, _, context = _level(resolution, _CONTEXT_KM)
    features = [feature for feature in context if feature["properties"]["iso2"] not in wanted]
    features += [feature for feature in detailed if feature["properties"]["iso2"] in wanted]
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=8)
def _level(resolution: str, simplify_km: float) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """(codes, geometries, features) of every country at one tolerance, specks dropped."""
    boundaries = load_boundaries(resolution)
    geometries = boundaries.geometry.to_numpy()
    if simplify_km > 0:
        geometries = _simplify_coverage(geometries, simplify_km)
    if simplify_km >= _COARSE_KM:
        geometries = np.array([_without_specks(g, simplify_km) for g in geometries], dtype=object)
    decimals = _COARSE_DECIMALS if simplify_km >= _COARSE_KM else _FINE_DECIMALS
    geometries = shapely.transform(geometries, lambda xy: np.round(xy, decimals))
    codes = boundaries["iso2"].to_numpy(dtype=object)
    kept = np.array([g is not None and not g.is_empty for g in geometries], dtype=bool)
    features = [
        {"type": "Feature", "properties": {"iso2": code}, "geometry": _geometry_json(geometry)}
        for code, geometry in zip(codes[kept], geometries[kept], strict=True)
    ]
    return codes[kept], geometries[kept], features


def _without_specks(geometry: shapely.Geometry | None, simplify_km: float):
    """Drop the parts smaller than the tolerance squared, keeping the largest part."""
    if geometry is None or geometry.is_empty:
        return geometry
    parts = shapely.get_parts(geometry)
    if len(parts) < 2:
        return geometry
    areas = shapely.area(parts)
    keep = areas >= (simplify_km / _KM_PER_DEGREE) ** 2
    keep[np.argmax(areas)] = True
    return shapely.multipolygons(parts[keep]) if keep.sum() > 1 else parts[keep][0]


def _simplify_coverage(geometries: np.ndarray, simplify_km: float) -> np.ndarray:
    try:
        return shapely.coverage_simplify(geometries, simplify_km * _AREA_TOLERANCE_PER_KM)
    except (AttributeError, shapely.errors.UnsupportedGEOSVersionError):
        # Before shapely 2.1 / GEOS 3.12: per-polygon simplification, slivers and all.
        return shapely.simplify(geometries, simplify_km / _KM_PER_DEGREE, preserve_topology=True)


def _geometry_json(geometry: shapely.Geometry) -> dict:
    """GeoJSON geometry with lists (not tuples), so the cached dict serialises the same way."""
    return json.loads(shapely.to_geojson(geometry))
