"""Vectorised H3 cells: exactly the h3 library's cell for every point, near edges included."""

import h3
import numpy as np
import pytest

from geo.spatial.enrich import h3_cells
from geo.spatial.h3_cells import latlng_to_cells


def _library(lat: np.ndarray, lng: np.ndarray, resolution: int) -> np.ndarray:
    return np.array(
        [h3.api.basic_int.latlng_to_cell(a, b, resolution) for a, b in zip(lat, lng, strict=True)],
        dtype=np.uint64,
    )


def _assert_same(lat: np.ndarray, lng: np.ndarray, resolutions) -> None:
    found = latlng_to_cells(lat, lng, resolutions)
    for resolution in resolutions:
        expected = _library(lat, lng, resolution)
        wrong = np.flatnonzero(found[resolution] != expected)
        assert wrong.size == 0, (
            f"res {resolution}: {wrong.size} points differ, e.g. ({lat[wrong[0]]}, {lng[wrong[0]]})"
        )


def test_points_spread_over_the_globe():
    """Uniform on the sphere (WGS84 degrees), every resolution."""
    rng = np.random.default_rng(7)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 20_000)))
    lng = rng.uniform(-180, 180, 20_000)
    _assert_same(lat, lng, range(16))


def test_points_on_and_next_to_cell_edges():
    """Cell vertices and points along cell edges, as given and nudged by a hair."""
    rng = np.random.default_rng(8)
    seeds = np.column_stack([rng.uniform(-70, 70, 60), rng.uniform(-180, 180, 60)])
    points = []
    for resolution in (3, 5, 7, 8):
        for lat, lng in seeds:
            boundary = h3.cell_to_boundary(h3.latlng_to_cell(lat, lng, resolution))
            for (a_lat, a_lng), (b_lat, b_lng) in zip(
                boundary, boundary[1:] + boundary[:1], strict=True
            ):
                for share in (0.0, 0.3, 0.5):
                    points.append(
                        (a_lat + share * (b_lat - a_lat), a_lng + share * (b_lng - a_lng))
                    )
    points = np.array(points)
    for nudge in (0.0, 1e-12, 1e-9):
        moved = points + rng.normal(0, nudge, points.shape) if nudge else points
        _assert_same(moved[:, 0], np.clip(moved[:, 1], -180, 180), range(3, 9))


def test_points_near_base_cells_poles_and_the_antimeridian():
    """Icosahedron vertices and face centres (pentagons, base cells), poles, lng +-180."""
    rng = np.random.default_rng(9)
    centres = np.array([h3.cell_to_latlng(cell) for cell in h3.get_res0_cells()])
    near = np.repeat(centres, 20, axis=0) + rng.normal(0, 0.3, (len(centres) * 20, 2))
    near[:, 0] = np.clip(near[:, 0], -90, 90)
    near[:, 1] = (near[:, 1] + 180) % 360 - 180
    _assert_same(near[:, 0], near[:, 1], range(16))
    poles = rng.choice([-1, 1], 500) * rng.uniform(89.99, 90, 500)
    _assert_same(poles, rng.uniform(-180, 180, 500), range(16))
    _assert_same(
        rng.uniform(-60, 60, 500), rng.choice([-180.0, 180.0, 179.9999999], 500), range(16)
    )


def test_enrichment_cells_are_the_library_strings():
    lat = np.array([17.97, np.nan, 21.18, 21.18, 95.0])
    lng = np.array([102.6, 100.0, 101.68, 101.68, 0.0])
    cells = h3_cells(lat, lng, [3, 8])
    assert cells[8][0] == h3.latlng_to_cell(17.97, 102.6, 8)
    assert cells[3][2] == cells[3][3] == h3.latlng_to_cell(21.18, 101.68, 3)
    assert cells[8][1] is None and cells[8][4] is None


def test_resolutions_are_checked():
    with pytest.raises(ValueError, match="0 to 15"):
        latlng_to_cells(np.array([1.0]), np.array([1.0]), [16])
