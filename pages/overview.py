"""Overview: how many records the store holds, from which imports, and the records themselves."""

import streamlit as st

import ui

st.title("Wildlife Seizure Atlas")
version = ui.data_version()
batches = ui.batches(version)
left, right = st.columns(2)
left.metric("Seizure records", f"{int(batches['accepted'].sum()):,}")
right.metric("Import batches", f"{len(batches):,}")
st.subheader("Imports")
st.dataframe(batches, hide_index=True, key="overview_batches")
st.subheader("Records")
st.dataframe(ui.latest_records(version, 1000), hide_index=True, key="overview_records")
