"""Reference data: countries, species and places, read from data/."""
