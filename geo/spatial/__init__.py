"""Geography: boundaries, land borders and hotspots."""
