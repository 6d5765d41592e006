"""Countries looked up by grid box give what the point-by-point test gives (WGS84 degrees)."""

import numpy as np

from geo.spatial import enrich


def test_boxes_agree_with_points_everywhere():
    rng = np.random.default_rng(11)
    index = enrich._country_index()
    # spread out, and clustered around busy places on coasts and borders
    places = np.array([[22.3, 114.2], [21.18, 101.68], [1.29, 103.85], [-4.05, 39.67], [6.45, 3.4]])
    clustered = np.repeat(places, 2000, axis=0) + rng.normal(0, 0.05, (10_000, 2))
    spread = np.column_stack([rng.uniform(-60, 75, 20_000), rng.uniform(-180, 180, 20_000)])
    points = np.vstack([clustered, spread])
    lat, lon = points[:, 0], points[:, 1]
    by_box = enrich._locate(index, lat, lon, enrich.COASTAL_KM)
    by_point = enrich._locate_points(index, lat, lon, enrich.COASTAL_KM)
    assert (by_box == by_point).all()
