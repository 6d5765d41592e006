"""Briefings and exports."""
