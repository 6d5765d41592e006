"""The briefing's pictures, drawn without a browser: the border map and the trend chart.

matplotlib (Agg) draws both as PNG at print resolution.  The map shows the pair's two
countries (tinted, with their names in the briefing's languages), their neighbours in grey,
the shared border, every seizure placed in view as a small dot and the ranked hot spots as
circles by confidence, numbered as in the ranking table beside it.  Words other than the
country names stay out of the pictures: legends and titles are text in the document, so
they are searchable and in both languages.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.collections import PatchCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from geo.report.basemap_levels import level
from geo.report.briefing import Briefing
from geo.spatial.borders import border_between

__all__ = ["CONFIDENCE_COLOURS", "FONT_FAMILIES", "hotspot_map_png", "trend_png"]

# WenQuanYi Zen Hei has no "normal" weight, only Medium: matplotlib says so at every label.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

# Latin first, then Chinese and Lao for the glyphs Latin fonts lack (matplotlib falls back
# glyph by glyph).
FONT_FAMILIES = ["DejaVu Sans", "WenQuanYi Zen Hei", "Phetsarath OT"]
CONFIDENCE_COLOURS = {99: "#8b0000", 95: "#d7301f", 90: "#fc8d59"}
PAIR_TINTS = ("#f3e3c3", "#dcebd2")
_OTHER_LAND = "#eeeeea"
_SEA = "#dbe7f0"
_BORDER = "#6a1b1b"
_INK = "#222222"
_DPI = 200


def _style() -> dict:
    return {"font.family": FONT_FAMILIES, "font.size": 9, "axes.edgecolor": "#999999"}


def hotspot_map_png(
    briefing: Briefing, country_names: Sequence[str], size: tuple[float, float] = (7.0, 5.6)
) -> bytes:
    r"""Draw the border map; return PNG bytes.

    Parameters
    ----------
    briefing : Briefing
        The briefing (pair, placed seizures, ranked hot spots).
    country_names : sequence of str
        The label of each of the pair's two countries (e.g. "China\\n中国").
    size : tuple of float
        Inches (width, height).
    """
    a, b = briefing.countries
    border = border_between(a, b)
    codes, geometries, _ = level("50m", 2.0)
    frame = _fit(_frame(briefing, border), size)
    west, south, east, north = frame
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=size, dpi=_DPI)
        axes.set_facecolor(_SEA)
        view = shapely.box(*frame)
        for code, geometry in zip(codes, geometries, strict=True):
            if not shapely.intersects(geometry, view):
                continue
            colour = PAIR_TINTS[0] if code == a else PAIR_TINTS[1] if code == b else _OTHER_LAND
            _draw_polygon(axes, shapely.clip_by_rect(geometry, *frame), colour)
        if border is not None:
            for line in shapely.get_parts(border):
                xy = np.asarray(line.coords)
                axes.plot(xy[:, 0], xy[:, 1], color=_BORDER, linewidth=2.2, solid_capstyle="round")
        points = briefing.map_points
        inside = (
            points["lon"].between(west, east) & points["lat"].between(south, north)
        ).to_numpy()
        axes.scatter(
            points["lon"].to_numpy()[inside],
            points["lat"].to_numpy()[inside],
            s=max(3.0, min(16.0, 3000.0 / max(int(inside.sum()), 1))),
            color="#444444",
            alpha=0.45,
            linewidths=0,
            zorder=3,
        )
        ranking = briefing.places
        if len(ranking):
            largest = max(float(ranking["count"].max()), 1.0)
            for _, place in ranking.iterrows():
                area = 120 + 900 * float(place["count"]) / largest
                colour = CONFIDENCE_COLOURS.get(int(place["confidence"]), "#fc8d59")
                axes.scatter(
                    [place["lon"]], [place["lat"]], s=area, color=colour, alpha=0.8,
                    edgecolors="white", linewidths=1.2, zorder=5,
                )  # fmt: skip
                axes.annotate(
                    str(int(place["rank"])),
                    (place["lon"], place["lat"]),
                    color="white",
                    fontsize=9,
                    fontweight="bold",
                    ha="center",
                    va="center",
                    zorder=6,
                )
        _country_labels(axes, codes, geometries, (a, b), country_names, frame)
        _scale_bar(axes, frame)
        axes.set_xlim(west, east)
        axes.set_ylim(south, north)
        axes.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_position([0, 0, 1, 1])
        return _png(figure)


def trend_png(briefing: Briefing, size: tuple[float, float] = (7.0, 3.0)) -> bytes:
    """Draw the seizures per period as bars, the largest labelled; return PNG bytes."""
    trend = briefing.trend
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=size, dpi=_DPI)
        x = np.arange(len(trend))
        values = trend["seizures"].to_numpy()
        axes.bar(x, values, color="#3b6ea5", width=0.8)
        if briefing.trend_period == "quarter":
            labels = [f"{d.year} Q{(d.month - 1) // 3 + 1}" for d in trend["period"]]
        else:
            labels = [f"{d.year}-{d.month:02d}" for d in trend["period"]]
        step = max(1, math.ceil(len(labels) / 16))
        axes.set_xticks(x[::step])
        axes.set_xticklabels(labels[::step], rotation=45, ha="right")
        for index in x:
            if values[index] and values[index] >= 0.6 * values.max():
                axes.annotate(
                    f"{values[index]:,}", (index, values[index]), ha="center", va="bottom",
                    fontsize=7, color=_INK,
                )  # fmt: skip
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        figure.tight_layout(pad=0.3)
        return _png(figure)


def _frame(briefing: Briefing, border) -> tuple[float, float, float, float]:
    """Return the map extent: the border, the hot spots and a margin of at least 1°."""
    xs, ys = [], []
    if border is not None:
        west, south, east, north = border.bounds
        xs += [west, east]
        ys += [south, north]
    ranking = briefing.places
    xs += list(ranking["lon"]) if len(ranking) else []
    ys += list(ranking["lat"]) if len(ranking) else []
    if not xs:
        points = briefing.map_points
        xs, ys = list(points["lon"]), list(points["lat"])
    if not xs:
        return (-180.0, -60.0, 180.0, 80.0)
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    pad_x = max((east - west) * 0.15, 1.0)
    pad_y = max((north - south) * 0.15, 1.0)
    return (
        max(west - pad_x, -180.0),
        max(south - pad_y, -85.0),
        min(east + pad_x, 180.0),
        min(north + pad_y, 85.0),
    )


def _fit(frame, size) -> tuple[float, float, float, float]:
    """Widen the frame in one direction so that it fills a figure of ``size`` exactly."""
    west, south, east, north = frame
    squeeze = math.cos(math.radians((south + north) / 2))
    wanted = size[0] / size[1]
    actual = (east - west) * squeeze / (north - south)
    if actual < wanted:  # too tall: widen
        extra = ((north - south) * wanted / squeeze - (east - west)) / 2
        west, east = max(west - extra, -180.0), min(east + extra, 180.0)
    else:  # too wide: heighten
        extra = ((east - west) * squeeze / wanted - (north - south)) / 2
        south, north = max(south - extra, -85.0), min(north + extra, 85.0)
    return (west, south, east, north)


def _draw_polygon(axes, geometry, colour: str) -> None:
    patches = []
    for polygon in shapely.get_parts(geometry):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings = [np.asarray(polygon.exterior.coords)] + [
            np.asarray(ring.coords) for ring in polygon.interiors
        ]
        vertices = np.concatenate(rings)
        codes = np.concatenate(
            [
                [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
                for ring in rings
            ]
        )
        patches.append(PathPatch(MplPath(vertices, codes)))
    if patches:
        collection = PatchCollection(
            patches, facecolor=colour, edgecolor="#9a9a9a", linewidth=0.5, zorder=1
        )
        axes.add_collection(collection)


def _country_labels(axes, codes, geometries, pair, names, frame) -> None:
    view = shapely.box(*frame)
    for code, name in zip(pair, names, strict=True):
        index = list(codes).index(code) if code in list(codes) else None
        if index is None:
            continue
        shown = shapely.intersection(geometries[index], view)
        if shown.is_empty:
            continue
        largest = max(shapely.get_parts(shown), key=lambda part: part.area)
        anchor = largest.representative_point()
        axes.text(
            anchor.x, anchor.y, name, ha="center", va="center", fontsize=12, fontweight="bold",
            color="#444444", zorder=4,
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.6, "linewidth": 0},
        )  # fmt: skip


def _scale_bar(axes, frame) -> None:
    west, south, east, north = frame
    km_per_degree = 111.32 * math.cos(math.radians((south + north) / 2))
    wanted = (east - west) * km_per_degree / 5
    length = max((n for n in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if n <= wanted), default=10)
    x0 = west + (east - west) * 0.04
    y0 = south + (north - south) * 0.05
    x1 = x0 + length / km_per_degree
    axes.plot([x0, x1], [y0, y0], color=_INK, linewidth=2.5, zorder=7, solid_capstyle="butt")
    axes.text((x0 + x1) / 2, y0, f"{length} km", ha="center", va="bottom", fontsize=8, zorder=7)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    plt.close(figure)
    return buffer.getvalue()
