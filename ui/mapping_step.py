"""The Data page's mapping step: each column of an uploaded file and the field it feeds.

Between upload and import.  Every column is listed with the field it was matched to (or
"kept in other columns"), a few sample values, and what an unmatched column looks like; the
user can change any match and set file-wide values (seizing country, agency, taxon,
commodity, unit, how dates read).  The check below it (counts, per-row reasons) runs again
with each change.  A mapping the store remembers for the same headers is applied by itself,
and said so.  The result downloads as the TOML that ``seizures import --mapping`` reads.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.ingest.headers import UserMapping
from geo.ingest.mapping import (
    MAPPABLE_FIELDS,
    FileColumns,
    file_columns,
    mapping_from_toml,
    mapping_toml,
)
from geo.labels import field_label
from geo.reference.countries import country_name, load_countries
from geo.schema import COMMODITY_CODES, UNITS
from ui.cache import store
from ui.upload import _file_name, _saved_upload, _sentence

_EXTRA = "Kept in other columns (extra)"
_DATES = {
    "Read from the file's dates": None,
    "Day first (03/04/2021 is 3 April)": True,
    "Month first (03/04/2021 is 4 March)": False,
}


def upload_columns(upload: Any, mapping: UserMapping) -> dict[str, Any]:
    """The file's columns under ``mapping``: ``{"columns": FileColumns}`` or ``{"error"}``."""
    key = f"_columns_{upload.file_id}_{mapping_toml(mapping)}"
    if key not in st.session_state:
        name = _file_name(upload)
        try:
            with _saved_upload(upload) as path:
                st.session_state[key] = {"columns": file_columns(path, mapping)}
        except Exception as error:
            st.session_state[key] = {"error": _sentence(error, name, "reading")}
    return st.session_state[key]


def mapping_step(upload: Any) -> tuple[UserMapping, str] | None:
    """Draw the mapping step for an upload; return the user's mapping and the header signature.

    The mapping starts as the one the store remembers for the file's headers, if any.  None
    when the file cannot be read as a table (the sentence why is shown).
    """
    state_key = f"_mapping_{upload.file_id}"
    if state_key not in st.session_state:
        st.session_state[state_key] = _starting_mapping(upload)
    mapping: UserMapping = st.session_state[state_key]["mapping"]
    found = upload_columns(upload, mapping)
    if found.get("error"):
        st.error(found["error"])
        return None
    columns: FileColumns = found["columns"]
    remembered = st.session_state[state_key].get("remembered")
    if remembered:
        st.info(
            f"Columns mapped as for {remembered['file_name'] or 'an earlier file'} "
            f"(saved {remembered['saved_at']:%d %b %Y}), which had the same headers. "
            "Change anything below."
        )
    if columns.header_guessed:
        st.warning(
            "No header of this file names a column the importer knows, so its first full "
            f"row (row {columns.header_row}) is taken as the header: say below what each "
            "column holds."
        )

    with st.expander("Columns of the file and the fields they feed", expanded=True):
        changed = _column_choices(upload, columns, mapping)
    with st.expander("Values for the whole file", expanded=bool(mapping.defaults)):
        defaults, dayfirst = _file_wide(upload, columns, mapping)

    new = UserMapping(
        columns=changed, defaults=defaults, dayfirst=dayfirst, sheet=mapping.sheet or None
    )
    if new != mapping:
        st.session_state[state_key] = {**st.session_state[state_key], "mapping": new}
        st.rerun()
    st.download_button(
        "Save this mapping (TOML for `seizures import --mapping`)",
        mapping_toml(new, comment=f"Made for {_file_name(upload)}"),
        file_name=f"{_file_name(upload).rsplit('.', 1)[0]}_mapping.toml",
        mime="application/toml",
        key=f"data_mapping_download_{upload.file_id}",
    )
    return new, columns.signature


def _starting_mapping(upload: Any) -> dict[str, Any]:
    """The store's remembered mapping for the file's headers, or an empty one."""
    empty = {"mapping": UserMapping(), "remembered": None}
    found = upload_columns(upload, UserMapping())
    if found.get("error"):
        return empty
    try:
        kept = store().remembered_mapping(found["columns"].signature)
        if kept is None:
            return empty
        return {"mapping": mapping_from_toml(kept["mapping"]), "remembered": kept}
    except Exception:  # a remembered mapping that no longer reads is simply not applied
        return empty


def _column_choices(upload: Any, columns: FileColumns, mapping: UserMapping) -> dict[str, str]:
    """One line per column: header and samples, and the field it feeds; return the changes.

    Returns the user's choices that differ from what the alias table alone would do, as
    ``{header: field or "extra"}`` (the ``[columns]`` of the mapping).
    """
    labels = [_EXTRA, *(field_label(name) for name in MAPPABLE_FIELDS)]
    by_label = dict(zip(labels, [None, *MAPPABLE_FIELDS], strict=True))
    automatic = upload_columns(upload, UserMapping())
    automatic_fields = (
        {m.column: m.field for m in automatic["columns"].columns} if "columns" in automatic else {}
    )
    choices: dict[str, str] = {}
    head = st.columns([3, 3])
    head[0].markdown("**Column in the file** (examples)")
    head[1].markdown("**Imported as**")
    for position, match in enumerate(columns.columns):
        row = st.columns([3, 3])
        examples = ", ".join(match.samples) if match.samples else "empty in the first rows"
        row[0].markdown(f"**{_escape(match.column)}**  \n{_escape(examples)}")
        current = field_label(match.field) if match.field else _EXTRA
        chosen = row[1].selectbox(
            f"Field for column {match.column}",
            labels,
            index=labels.index(current),
            key=f"data_map_{upload.file_id}_{position}",
            label_visibility="collapsed",
            disabled=match.how == "recomputed",
        )
        if match.how == "recomputed":
            row[1].caption("Recomputed at import from the other fields")
        elif match.suggestion and chosen == _EXTRA:
            row[1].caption(f"⚠ {_escape(match.suggestion)}")
        elif match.how == "mapping":
            row[1].caption("Your mapping")
        field = by_label[chosen]
        if field != automatic_fields.get(match.column) and match.how != "recomputed":
            choices[match.column] = field or "extra"
    return choices


def _file_wide(
    upload: Any, columns: FileColumns, mapping: UserMapping
) -> tuple[dict[str, str], bool | None]:
    """File-wide values for fields the file lacks, and how its dates read."""
    matched = columns.matched
    defaults: dict[str, str] = {}
    countries = load_countries()
    codes = sorted(countries["iso2"], key=country_name)
    left, right = st.columns(2)
    country = left.selectbox(
        "Seizing country (for every row that names none)",
        ["", *codes],
        index=_position(["", *codes], mapping.defaults.get("seizing_country")),
        format_func=lambda c: f"{country_name(c)} ({c})" if c else "—",
        key=f"data_default_country_{upload.file_id}",
    )
    agency = right.text_input(
        "Agency",
        value=mapping.defaults.get("agency", ""),
        key=f"data_default_agency_{upload.file_id}",
    )
    taxon = left.text_input(
        "Species or taxon (for a file about one species)",
        value=mapping.defaults.get("taxon", ""),
        placeholder="e.g. Manis javanica, or pangolin",
        key=f"data_default_taxon_{upload.file_id}",
    )
    commodity = right.selectbox(
        "Commodity",
        ["", *COMMODITY_CODES],
        index=_position(["", *COMMODITY_CODES], mapping.defaults.get("commodity")),
        key=f"data_default_commodity_{upload.file_id}",
    )
    unit = left.selectbox(
        "Unit of the quantities",
        ["", *UNITS],
        index=_position(["", *UNITS], mapping.defaults.get("unit")),
        key=f"data_default_unit_{upload.file_id}",
    )
    dates = right.radio(
        "Dates like 03/04/2021",
        list(_DATES),
        index=list(_DATES.values()).index(mapping.dayfirst),
        key=f"data_default_dayfirst_{upload.file_id}",
    )
    for name, value in (
        ("seizing_country", country),
        ("agency", agency.strip()),
        ("taxon", taxon.strip()),
        ("commodity", commodity),
        ("unit", unit),
    ):
        if value:
            defaults[name] = value
    covered = [field_label(name) for name in defaults if name in matched]
    if covered:
        st.caption(
            f"The file has a column for {', '.join(covered)}, so the value set above is not "
            "used: a file-wide value is for a field the file has no column for."
        )
    return defaults, _DATES[dates]


def _position(options: list[str], value: str | None) -> int:
    """The position of ``value`` among the options (0, the blank, when it is not there)."""
    return options.index(value) if value in options else 0


def _escape(text: str) -> str:
    """Markdown-safe text from a file (headers and cells are not markup)."""
    out = str(text).replace("\\", "\\\\")
    for ch in "`*_{}[]<>()#+-.!|~$":
        out = out.replace(ch, "\\" + ch)
    return out
