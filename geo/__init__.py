"""Wildlife Seizure Atlas core: records, reference data, geography, store and analysis.

Nothing under ``geo`` imports Streamlit; the dashboard is a thin layer on top.
"""

__version__ = "0.1.0"
