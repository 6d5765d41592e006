"""H3 cells of many points at once: the h3 library's answer, asked once per distinct cell.

Seizures cluster at airports, ports, crossings and towns, so a million records fall in a few
thousand cells at resolution 8 and a few hundred at resolution 5.  Calling
``h3.latlng_to_cell`` once per point and resolution costs seconds; here the point's cell
*coordinates* are found with numpy, points are grouped by them, and the library is called
once per group.

How a point's cell is found (the H3 definition): the point is projected gnomonically onto
the nearest face of the icosahedron H3 is built on, expressed in the hexagon lattice of that
face at the resolution (scaled by sqrt(7) per resolution, turned by asin(sqrt(3/28)) at
odd resolutions), and rounded to the nearest hexagon centre.  The H3 index is a function of
(face, hexagon) alone, so two points that round to the same hexagon of the same face have
the same cell, and one library call answers for all of them.  The icosahedron is read
from the library itself (its resolution-0 pentagons sit on the vertices).

Floating point can differ between this computation and the library's in the last few
digits, which only matters for a point within a hair of a hexagon edge or equally near two
faces; such points (about one in a million) are asked of the library directly.  So every
cell returned is exactly what ``h3.latlng_to_cell`` returns for that point; the tests check
this on points spread over the globe and on points placed right on cell edges.
"""

from __future__ import annotations

import math
from functools import lru_cache

import h3
import numpy as np
import pandas as pd

__all__ = ["latlng_to_cells"]

_SQRT7 = math.sqrt(7.0)
_SIN60 = math.sqrt(3.0) / 2.0
# Gnomonic length of one resolution-0 hexagon unit: a face's vertex lies two units from
# its centre, and tan(centre-to-vertex angle) = 3 - sqrt(5) on the regular icosahedron.
_RES0_UNIT = (3.0 - math.sqrt(5.0)) / 2.0
# Odd ("Class III") resolutions turn the lattice by this angle.
_CLASS_III_TURN = math.asin(math.sqrt(3.0 / 28.0))
# Points nearer than this (in hexagon units, about 1 mm at resolution 8) to the edge of
# their hexagon, or with two faces equally near to this (squared chord), go to the library.
_EDGE_MARGIN = 1e-6
_FACE_MARGIN = 1e-12
_NEAR_CENTRE = 1e-6
_KEY_OFFSET = 1 << 20


@lru_cache(maxsize=1)
def _icosahedron() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return face centres (unit vectors, lat, lng in radians) and each face's axis azimuth."""
    vertices_deg = np.array([h3.cell_to_latlng(cell) for cell in h3.get_pentagons(0)])
    vertices = _unit_vectors(np.radians(vertices_deg[:, 0]), np.radians(vertices_deg[:, 1]))
    chord = np.linalg.norm(vertices[:, None, :] - vertices[None, :, :], axis=2)
    edge = chord[chord > 1e-9].min()
    near = np.abs(chord - edge) < 1e-9
    faces = [
        (a, b, c)
        for a in range(12)
        for b in range(a + 1, 12)
        for c in range(b + 1, 12)
        if near[a, b] and near[a, c] and near[b, c]
    ]
    if len(faces) != 20:
        raise RuntimeError(f"expected the 20 faces of H3's icosahedron, found {len(faces)}")
    corners = np.array(faces)
    centres = vertices[corners].sum(axis=1)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    centre_lat = np.arcsin(np.clip(centres[:, 2], -1.0, 1.0))
    centre_lng = np.arctan2(centres[:, 1], centres[:, 0])
    # The lattice's i axis points from the face centre to a vertex; the lattice looks the
    # same turned by 60 degrees, so any of the three vertices will do.
    vertex_lat = np.radians(vertices_deg[corners[:, 0], 0])
    vertex_lng = np.radians(vertices_deg[corners[:, 0], 1])
    axis = _azimuth(centre_lat, centre_lng, vertex_lat, vertex_lng)
    return centres, centre_lat, centre_lng, axis


def _unit_vectors(lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
    cos_lat = np.cos(lat)
    return np.column_stack([np.cos(lng) * cos_lat, np.sin(lng) * cos_lat, np.sin(lat)])


def _azimuth(lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray) -> np.ndarray:
    """Return the bearing from point 1 to point 2 on the sphere, radians clockwise from north."""
    return np.arctan2(
        np.cos(lat2) * np.sin(lng2 - lng1),
        np.cos(lat1) * np.sin(lat2) - np.sin(lat1) * np.cos(lat2) * np.cos(lng2 - lng1),
    )


def _face_polar(lat: np.ndarray, lng: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return each point's nearest face, gnomonic radius, angle from the i axis, and a tie mask.

    Points within about 6 km of a face centre are marked unsure too: there the library's
    radius, ``acos(1 - chord**2 / 2)``, keeps few significant digits, and at fine
    resolutions the two computations could round apart.
    """
    centres, centre_lat, centre_lng, axis = _icosahedron()
    points = _unit_vectors(lat, lng)
    cosines = points @ centres.T
    rows = np.arange(len(lat))
    face = np.argmax(cosines, axis=1)
    first = cosines[rows, face]
    cosines[rows, face] = -2.0
    # squared chord = 2 - 2 cos: two faces tie when their cosines are within half the margin
    tied = (first - cosines.max(axis=1)) < _FACE_MARGIN / 2.0
    offset = points - centres[face]
    chord = np.einsum("ij,ij->i", offset, offset)
    tied |= chord < _NEAR_CENTRE
    radius = np.tan(np.arccos(np.clip(1.0 - chord / 2.0, -1.0, 1.0))) / _RES0_UNIT
    bearing = _azimuth(centre_lat[face], centre_lng[face], lat, lng)
    theta = np.mod(axis[face] - np.mod(bearing, 2 * np.pi), 2 * np.pi)
    return face, radius, theta, tied


def _nearest_hexagon(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Round hex-plane points to the nearest lattice centre; also return the edge margin.

    Centres sit at ``a * (1, 0) + b * (-1/2, sin 60)`` for integers a, b.  A point lies in
    one of the two equilateral triangles of its (a, b) rhombus, and its nearest centre is
    the nearest corner of that triangle; the distance to its hexagon's edge is
    (d2**2 - d1**2) / 2, with d1 and d2 the nearest and second-nearest corner distances.
    """
    b_real = y / _SIN60
    a_real = x + b_real / 2.0
    a0, b0 = np.floor(a_real), np.floor(b_real)
    px = x - (a0 - b0 / 2.0)
    py = y - b0 * _SIN60
    lower = (a_real - a0) >= (b_real - b0)  # the triangle (0, 0), (1, 0), (1, 1)
    # Cartesian offsets of the corners: (0, 0); (1, 1) -> (1/2, sin 60); and the third
    # corner, (1, 0) -> (1, 0) in the lower triangle, (0, 1) -> (-1/2, sin 60) in the upper.
    third_x = np.where(lower, 1.0, -0.5)
    third_y = np.where(lower, 0.0, _SIN60)
    squared = np.stack(
        [
            px * px + py * py,
            (px - 0.5) ** 2 + (py - _SIN60) ** 2,
            (px - third_x) ** 2 + (py - third_y) ** 2,
        ]
    )
    nearest = np.argmin(squared, axis=0)
    smallest = np.min(squared, axis=0)
    second = squared.sum(axis=0) - smallest - np.max(squared, axis=0)
    step_a = np.choose(nearest, [np.zeros_like(a0), np.ones_like(a0), lower.astype(float)])
    step_b = np.choose(nearest, [np.zeros_like(b0), np.ones_like(b0), (~lower).astype(float)])
    return (a0 + step_a).astype(np.int64), (b0 + step_b).astype(np.int64), (second - smallest) / 2


def latlng_to_cells(
    lat: np.ndarray, lng: np.ndarray, resolutions: list[int] | range
) -> dict[int, np.ndarray]:
    """Return the H3 cell of each point at each resolution, as ``h3.latlng_to_cell`` would.

    Parameters
    ----------
    lat, lng : numpy.ndarray
        WGS84 (``EPSG:4326``) degrees, finite and in range (the caller filters the others).
    resolutions : iterable of int
        H3 resolutions, 0 to 15.

    Returns
    -------
    dict of int to numpy.ndarray
        For each resolution, the cells as unsigned 64-bit H3 indexes.
    """
    lat = np.asarray(lat, dtype=np.float64)
    lng = np.asarray(lng, dtype=np.float64)
    wanted = [int(resolution) for resolution in resolutions]
    if not wanted:
        return {}
    if lat.size == 0:
        return {resolution: np.empty(0, dtype=np.uint64) for resolution in wanted}
    face, radius, theta, tied = _face_polar(np.radians(lat), np.radians(lng))
    cells = {}
    for resolution in wanted:
        if not 0 <= resolution <= 15:
            raise ValueError(f"H3 resolutions run from 0 to 15, got {resolution}")
        angle = theta - _CLASS_III_TURN if resolution % 2 else theta
        scaled = radius * _SQRT7**resolution
        a, b, margin = _nearest_hexagon(scaled * np.cos(angle), scaled * np.sin(angle))
        unsure = tied | (margin < _EDGE_MARGIN)
        keys = (face * (2 * _KEY_OFFSET) + (a + _KEY_OFFSET)) * (2 * _KEY_OFFSET) + (
            b + _KEY_OFFSET
        )
        keys[unsure] = -1 - np.arange(int(unsure.sum()))  # each asked on its own
        codes, distinct = pd.factorize(keys)
        # One library call per hexagon (and per unsure point), on any one of its members.
        member = np.empty(len(distinct), dtype=np.int64)
        member[codes] = np.arange(codes.size)
        found = np.fromiter(
            map(
                h3.api.basic_int.latlng_to_cell,
                lat[member].tolist(),
                lng[member].tolist(),
                [resolution] * member.size,
            ),
            dtype=np.uint64,
            count=member.size,
        )
        cells[resolution] = found[codes]
    return cells
