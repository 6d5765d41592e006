"""The Data page's mapping step: name unknown columns, set a file-wide value, import.

As a manager would: a file whose headers the importer does not know is uploaded; its
columns are shown with examples; two are named and the taxon is set for the whole file; the
counts change; the import lands and the records count on the Overview; the next file with
the same headers maps itself.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store.store import Store

ROOT = Path(__file__).resolve().parents[2]

# A single-species file (pangolins) from a provincial police system's export: internal column
# codes that no alias knows, no country column (every row is the same country's).
HEADER = "F_OPER,SITIO_INT,VAL_1\n"
FIRST = HEADER + ("2023-03-12,Lima,14\n2023-03-15,Callao,3.5\n2023-04-02,Lima,9\n")
SECOND = HEADER + ("2024-01-20,Lima,2\n2024-02-11,Callao,6\n")


def _uploader(at: AppTest):
    """The Data page's file uploader (a new one, with a new key, after each import)."""
    [uploader] = [u for u in at.file_uploader if u.key.startswith("data_upload_")]
    return uploader


def _upload(at: AppTest, name: str, text: str) -> None:
    _uploader(at).set_value((name, text.encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception


def _select(at: AppTest, position: int, label: str) -> None:
    [box] = [b for b in at.selectbox if b.key and b.key.endswith(f"_{position}")]
    box.set_value(label).run()
    assert not at.exception, at.exception


def _metric(at: AppTest, label: str) -> int:
    return int(next(m.value for m in at.metric if m.label == label).replace(",", ""))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_unknown_columns_are_named_imported_and_remembered(data_page, sample_db):
    at = data_page
    _upload(at, "operativos_2023.csv", FIRST)
    # the columns are shown with their examples, and the header was guessed, said so
    shown = " ".join(m.value for m in at.markdown)
    assert "F\\_OPER" in shown and "Lima, Callao" in shown
    assert any("first full" in w.value for w in at.warning)
    assert _metric(at, "Would be accepted") == 0 and _metric(at, "Quarantined") == 3

    _select(at, 0, "Seizure date")
    _select(at, 2, "Weight (kg)")
    at.text_input(key=next(k.key for k in at.text_input if "taxon" in k.key)).set_value(
        "Manis spp."
    ).run()
    country = next(b for b in at.selectbox if "default_country" in b.key)
    country.set_value("PE").run()
    assert not at.exception, at.exception
    assert _metric(at, "Would be accepted") == 3 and _metric(at, "Quarantined") == 0

    before = Store(str(sample_db)).count()
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert at.success and "3 accepted" in at.success[0].value
    store = Store(str(sample_db))
    assert store.count() == before + 3
    mine = store.records().query("seizing_country == 'PE' and taxon == 'Manis spp.'")
    assert sorted(mine["quantity"]) == [3.5, 9.0, 14.0] and set(mine["unit"]) == {"kg"}

    # the Overview counts them
    at.switch_page("pages/overview.py")
    at.run()
    assert not at.exception, at.exception
    assert any(f"{before + 3:,}" in m.value for m in at.metric)

    # the next file with the same headers maps itself, and says so
    at.switch_page("pages/data.py")
    at.run()
    _upload(at, "operativos_2024.csv", SECOND)
    assert any("operativos_2023.csv" in i.value for i in at.info)
    assert _metric(at, "Would be accepted") == 2 and _metric(at, "Quarantined") == 0
