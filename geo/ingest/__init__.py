"""Seizure records: schema, readers, normalisation and import."""
