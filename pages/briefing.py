"""Briefing: the bilingual pack for a bilateral meeting (PDF or PowerPoint), and the exports."""

import datetime as dt

import streamlit as st

import ui
from geo.i18n import LANGUAGES
from geo.reference.catalogue import country_label, pair_label
from geo.spatial.borders import bordering_pairs

FORMATS = {"pdf": "PDF", "pptx": "PowerPoint"}
EXPORTS = {
    "csv": ("CSV", "text/csv"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "geojson": ("GeoJSON", "application/geo+json"),
}
MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

query = ui.current_query()
who = ui.principal()
ui.page_header("Briefing", query)
choices = ui.options(ui.data_version())

st.subheader("Bilateral briefing")
countries = choices["countries"]
default_a, default_b = query.pair.split("-") if query.pair else ("CN", "LA")
left, right = st.columns(2)
country_a = left.selectbox(
    "Country",
    countries,
    index=countries.index(default_a) if default_a in countries else 0,
    format_func=country_label,
    key="brief_a",
)
country_b = right.selectbox(
    "Partner country",
    countries,
    index=countries.index(default_b) if default_b in countries else 0,
    format_func=country_label,
    key="brief_b",
)


def briefing_form(pair: str) -> None:
    """The period, languages and format of the pair's briefing, and its download."""
    date_from = query.date_from or choices["first"]
    date_to = query.date_to or choices["last"]
    period = query.with_changes(pair=pair, date_from=date_from, date_to=date_to)
    scope = (
        "the seizures within the sidebar's distance of their shared land border"
        if pair in bordering_pairs()
        else "the seizures in which both countries play a part (they share no land border)"
    )
    st.markdown(
        f"**{pair_label(pair)}**, {date_from:%d %b %Y} to {date_to:%d %b %Y}: {scope}, with the "
        "sidebar's other filters. The pack has the key figures against the previous period of "
        "the same length, the map of hot spots, the trend, the top taxa, the main routes, "
        "location types and transport modes, the caveats, and the record ids behind every figure."
    )
    left, middle, right = st.columns(3)
    first = left.selectbox(
        "First language", list(LANGUAGES), format_func=LANGUAGES.get, key="brief_first"
    )
    second = middle.selectbox(
        "Second language",
        list(LANGUAGES),
        index=list(LANGUAGES).index("zh"),
        format_func=LANGUAGES.get,
        key="brief_second",
    )
    file_format = right.segmented_control(
        "File", list(FORMATS), format_func=FORMATS.get, default="pdf", key="brief_format"
    )
    file_format = file_format or "pdf"
    name = f"briefing-{pair}-{date_from:%Y%m%d}-{date_to:%Y%m%d}-{first}-{second}"
    if st.button("Prepare the briefing", type="primary", icon=":material/description:"):
        with st.spinner("Preparing the briefing…"):
            try:
                document, records = ui.briefing_document(period, (first, second), file_format)
                st.session_state["brief_ready"] = (
                    (period, (first, second), file_format),
                    document,
                    records,
                )
            except ValueError as error:  # one sentence: no records, or no PDF library here
                st.error(f"The briefing could not be made: {error}.", icon=":material/error:")
    ready = st.session_state.get("brief_ready")
    if ready and ready[0] == (period, (first, second), file_format):
        st.download_button(
            f"Download the briefing ({FORMATS[file_format]})",
            ready[1],
            file_name=f"{name}.{file_format}",
            mime=MIME[file_format],
            icon=":material/download:",
            key="brief_download",
            on_click=ui.record_download,
            args=("brief", file_format, ready[2]),
            kwargs={"query": period, "languages": [first, second]},
        )


if country_a and country_b and country_a != country_b:
    briefing_form("-".join(sorted((country_a, country_b))))
else:
    st.info("Choose two different countries for the briefing.", icon=":material/handshake:")

st.subheader("Export the records in view")
st.caption(
    "The records the sidebar's filters select, with spreadsheet formulas neutralised; "
    "GeoJSON has the records that have coordinates."
)
columns = st.columns(len(EXPORTS)) if who.may("export") else []
if not columns:
    st.caption(ui.not_allowed(who, "export records"))
for column, (file_format, (label, mime)) in zip(columns, EXPORTS.items(), strict=False):
    column.download_button(
        label,
        # made when pressed, outside this run: the reader is captured now
        data=lambda f=file_format: ui.export_document(who, query, f),
        file_name=f"seizures.{file_format}",
        mime=mime,
        icon=":material/download:",
        key=f"export_{file_format}",
        on_click="ignore",
    )

st.subheader("CITES Annual Illegal Trade Report")
st.caption(
    "The seizures one country made in one year, in the layout of the CITES annual illegal "
    "trade report, ready to check and file."
)
if not who.may("export"):
    st.caption(ui.not_allowed(who, "export records"))
else:
    left, middle, right = st.columns([2, 1, 2], vertical_alignment="bottom")
    country = left.selectbox(
        "Reporting country",
        countries,
        index=countries.index("CN") if "CN" in countries else 0,
        format_func=country_label,
        key="aitr_country",
    )
    first_year, last_year = choices["first"].year, choices["last"].year
    years = list(range(last_year, first_year - 1, -1)) or [dt.date.today().year]
    year = middle.selectbox("Year", years, key="aitr_year")
    if country:
        right.download_button(
            "AITR (Excel)",
            data=lambda: ui.aitr_document(who, country, year),
            file_name=f"aitr-{country}-{year}.xlsx",
            mime=EXPORTS["xlsx"][1],
            icon=":material/download:",
            key="aitr_download",
            on_click="ignore",
        )
