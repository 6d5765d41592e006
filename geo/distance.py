"""Great-circle distance on the WGS84 mean sphere, for arrays or scalars."""

from __future__ import annotations

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "haversine_km"]

# IUGG mean Earth radius: haversine distances within 0.5% of geodesic ones.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lat1: np.ndarray | float,
    lon1: np.ndarray | float,
    lat2: np.ndarray | float,
    lon2: np.ndarray | float,
) -> np.ndarray:
    """Return great-circle distances in km between WGS84 points (numpy broadcasting).

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : numpy.ndarray or float
        Degrees; arrays broadcast against each other (one point to many, or pairwise).

    Returns
    -------
    numpy.ndarray
        Distances in km on a sphere of the mean Earth radius.
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    half_dphi = (phi2 - phi1) / 2.0
    half_dlambda = np.radians(np.subtract(lon2, lon1)) / 2.0
    term = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(term, 0.0, 1.0)))
