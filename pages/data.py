"""Data: check a file before importing it, import it, undo an import, browse and download."""

import streamlit as st

import ui
from geo.report.export import records_csv

UPLOADS = "_data_upload_round"  # a new uploader after each import: the form starts afresh
DONE = "_data_import_done"  # the last import's message and batch, shown once after it
UNDO_KEY = "data_undo_batch"

query = ui.current_query()
who = ui.principal()
ui.page_header("Data", query)

st.subheader("Import a file")
done = st.session_state.get(DONE)
if done:
    st.success(done["message"])
    st.caption("Choose another file below to import more.")
upload = None
if who.may("import"):
    upload = st.file_uploader(
        "CSV, Excel, GeoJSON, GeoPackage or Parquet",
        type=["csv", "tsv", "txt", "xlsx", "geojson", "json", "gpkg", "parquet"],
        key=f"data_upload_{st.session_state.get(UPLOADS, 0)}",
    )
else:
    st.caption(ui.not_allowed(who, "import files"))
sensitivity = None
if upload is not None and not who.sees_everything:
    sensitivity = st.radio(
        "Rows the file does not mark as public or restricted are",
        ["restricted", "public"],
        format_func=ui.sensitivity_choice,
        key="data_sensitivity",
    )
if upload is not None:
    st.session_state.pop(DONE, None)
    step = ui.mapping_step(upload)
    if step is not None:
        mapping, signature = step
        checked = ui.check_upload(upload, mapping)
        if checked.get("error"):
            st.error(checked["error"])
        else:
            report = checked["report"]
            if report.already_imported:
                st.info(report.summary())
            else:
                cols = st.columns(4)
                cols[0].metric("Rows read", f"{report.rows_read:,}")
                cols[1].metric("Would be accepted", f"{report.accepted:,}")
                cols[2].metric("Quarantined", f"{report.quarantined:,}")
                cols[3].metric("Duplicates", f"{report.duplicates:,}")
                st.caption(
                    f"Dates like 03/04/2021 read {'day' if report.dayfirst else 'month'} first "
                    f"({report.dayfirst_source})."
                )
                if report.problems:
                    shown = "the first " if report.problems_truncated else ""
                    st.markdown(f"**Problems found** ({shown}{len(report.problems):,})")
                    st.dataframe(
                        ui.problems_table(report.problems),
                        hide_index=True,
                        key="data_problems",
                    )
                if st.button("Import these records", type="primary", key="data_import"):
                    result = ui.import_upload(upload, mapping, signature, sensitivity)
                    if result.get("error"):
                        st.error(result["error"])
                    else:
                        st.session_state[DONE] = {
                            "message": result["message"],
                            "batch": result["report"].batch_id,
                        }
                        st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
                        st.session_state.pop(UNDO_KEY, None)
                        st.rerun()

st.subheader("Imports")
batches = ui.batches(ui.data_version())
ui.table(ui.batches_table(batches), "data_batches", words=False)
sample = ui.sample_batches()
if not who.may("undo_any"):
    pass  # the synthetic sample is the deployment's: an admin takes it out or back
elif not sample.empty and len(batches) > len(sample):
    # real data has come in beside the synthetic sample: offer to take the sample out
    count = int(sample["accepted"].sum())
    st.info(
        f"The store still holds the synthetic sample ({count:,} made-up records) beside "
        "your data, and every figure counts them. Remove it to see your records alone; "
        "it can be brought back.",
        icon=":material/science:",
    )
    if st.button("Remove the synthetic sample", key="data_remove_sample"):
        removed = ui.remove_sample()
        if removed.get("error"):
            st.error(removed["error"])
        else:
            st.rerun()
elif sample.empty and ui.sample_removed():
    if st.button("Bring the synthetic sample back", key="data_restore_sample"):
        restored = ui.restore_sample()
        if restored.get("error"):
            st.error(restored["error"])
        else:
            st.rerun()
undoable = batches if who.may("undo_any") else batches[batches["imported_by"] == who.name]
if not undoable.empty and who.may("undo"):
    batches = undoable
    undo_cols = st.columns([3, 1])
    # "file (batch, N records)" for each import, newest first
    labels = dict(
        zip(
            batches["file_name"]
            + " ("
            + batches["batch_id"]
            + ", "
            + batches["accepted"].map("{:,}".format)
            + " records)",
            batches["batch_id"],
            strict=True,
        )
    )
    newest = (done or {}).get("batch")
    if newest in labels.values() and UNDO_KEY not in st.session_state:
        # just imported: the new batch is the one to undo if it was the wrong file
        st.session_state[UNDO_KEY] = next(k for k, v in labels.items() if v == newest)
    picked = undo_cols[0].selectbox(
        "Undo an import",
        list(labels),
        index=None,  # otherwise nothing chosen until the user picks one
        placeholder="Choose an import to remove",
        key=UNDO_KEY,
    )
    chosen = labels.get(picked)
    if undo_cols[1].button("Undo", key="data_undo", disabled=chosen is None):
        result = ui.undo(chosen)
        if result.get("error"):
            st.error(result["error"])
        else:
            restored = sum(result.get("restored_to", {}).values())
            again = (
                f" {restored:,} rows of later imports that repeated them took their places."
                if restored
                else ""
            )
            st.success(
                f"Removed {result['records_removed']:,} records of {result['file_name']}.{again}"
            )

st.subheader("Records")
text = st.text_input("Search", key="data_search", placeholder="taxon, place, notes, id…")
found, total = ui.found_records(query, text)
shown = f"the newest {len(found):,} of " if len(found) < total else ""
st.caption(f"Showing {shown}{total:,} records matching the filters and search")
ui.table(found, "data_records")
if not who.may("export"):
    st.caption(ui.not_allowed(who, "download records"))
elif st.toggle("Prepare a CSV download", key="data_prepare_download"):
    chosen, total = ui.download_records(query, text)
    if len(chosen) < total:
        st.caption(
            f"The download holds the newest {len(chosen):,} of {total:,} records; "
            "`seizures export` writes them all."
        )
    st.download_button(
        "Download the records (CSV)",
        records_csv(chosen, words=True),
        file_name="seizures.csv",
        mime="text/csv",
        key="data_download",
        on_click=ui.record_download,
        args=("export", "csv", len(chosen)),
        kwargs={"query": query, "search": text},
    )

if who.may("audit"):
    st.subheader("Audit log")
    st.caption(
        "Who signed in (and who failed to), imported, undid, exported and made briefings, "
        "and every change to users; newest first. `seizures audit` has all of it."
    )
    ui.table(ui.audit_table(), "data_audit", words=False)
