"""The hot-spot settings every face shares: grid resolution, confidence and place radius.

The Border hotspots page, ``seizures hotspots`` and the briefing all rank with
:func:`geo.report.views.hotspot_ranking` and offer these choices with these defaults, so the
same filters give the same answer everywhere.  Plain constants with no imports: the command
line builds its parser from them without loading the statistics.

Why these values (measured on the 20,000-record sample and a 1,000,000-record store; see
the README's "Reading the hot spots" and :mod:`geo.spatial.hotspots`):

- **Resolution 7** (cells of about 5 km², centres 2.4 km apart).  A Gi* neighbourhood of one
  ring is then about 7 km across, the footprint of a crossing's checkpoints and approach
  roads.  At resolution 6 the CN–LA band is a grid of only 30–34 cells and the crossing that
  holds 96% of its seizures reaches Gi* 3.2–3.4 however many seizures it has (FDR-adjusted
  p 0.012 on the sample: hot at 95%, not at 99%); along CN–VN one of three crossings is
  found.  Over the 20 pairs with 100 or more seizures in the sample, resolution 6 ranks 7
  places at 95% (1 at 99%), resolution 7 ranks 28 (24), every one a crossing, airport or
  town where the sample puts seizures; with a million records, 12 (5) against 30 (29).
- **95% confidence** after the Benjamini–Hochberg false discovery rate, ArcGIS's default.
  With the exact-count check of ``method="counts"`` it gave a false hot spot in 0 of 40
  simulated borders of pure noise (800 seizures) and 4 of 200 (3,000); the four sample places
  found at 95% and not at 99% are all real sites.
- **Places reach at most 10 km from their busiest cell** (:data:`PLACE_RADIUS_KM`): the
  closest two crossings in the reference data are 19 km apart, and 95% of a crossing's
  seizures lie within about 6 km of it (5.6 km for Boten–Mohan with a million records).
"""

__all__ = [
    "CONFIDENCES",
    "DEFAULT_CONFIDENCE",
    "DEFAULT_RESOLUTION",
    "DOMINANT_SHARE",
    "PLACE_RADIUS_KM",
    "RESOLUTIONS",
]

RESOLUTIONS = (5, 6, 7, 8)
"""H3 resolutions offered for border hot spots, coarse to fine."""

DEFAULT_RESOLUTION = 7
"""The H3 resolution of border hot spots unless the user picks another."""

CONFIDENCES = (99, 95, 90)
"""Confidence levels offered, strictest first: the Gi* bins of :mod:`geo.spatial.getis_ord`."""

DEFAULT_CONFIDENCE = 95
"""The lowest confidence (after FDR) for a cell to count as hot unless the user picks another."""

PLACE_RADIUS_KM = 10.0
"""A ranked place reaches at most this far (km, great circle) from its busiest hot cell."""

DOMINANT_SHARE = 0.5
"""A place holding more than this share of the band's seizures dominates the band."""
