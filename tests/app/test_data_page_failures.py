"""The Data page tells a failed upload or import in one sentence, and keeps uploads private.

A broken file, or an import that lost a race with another one, shows one ``st.error``
sentence naming the user's file, never an exception box or a server path.  The uploaded
bytes live in a private temporary file only while they are checked or imported, and the
audit log names the dashboard, not the server's operating-system user, as the actor.
"""

import io
import json
import os
import stat
import threading
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import geo.ingest.importer
import geo.ingest.mapping
import ui.state
import ui.upload
from geo.ingest.importer import import_file
from geo.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def _broken_xlsx() -> bytes:
    """A zip that looks like a workbook, whose workbook XML is cut off."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name=")
    return buffer.getvalue()


BROKEN = {
    "broken.xlsx": _broken_xlsx(),
    "strings.geojson": json.dumps({"type": "FeatureCollection", "features": ["a", "b"]}).encode(),
}


def _uploader(at: AppTest):
    """The Data page's file uploader (a new one, with a new key, after each import)."""
    [uploader] = [u for u in at.file_uploader if u.key.startswith("data_upload_")]
    return uploader


def _upload(at: AppTest, name: str, content: bytes) -> None:
    _uploader(at).set_value((name, content, "application/octet-stream"))
    at.run()


def _assert_one_sentence(text: str, name: str, uploads: Path) -> None:
    assert name in text and "\n" not in text.strip() and len(text) < 400, text
    assert str(uploads) not in text and "Traceback" not in text


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_upload_is_one_sentence_not_an_exception(data_page, uploads, name):
    _upload(data_page, name, BROKEN[name])
    assert not data_page.exception, data_page.exception[0].value
    assert len(data_page.error) == 1
    _assert_one_sentence(data_page.error[0].value, name, uploads)
    assert not any(button.key == "data_import" for button in data_page.button)
    assert list(uploads.iterdir()) == []  # nothing of the upload is left on the server


def test_a_reader_bug_is_one_sentence_not_an_exception(data_page, uploads, monkeypatch):
    def bug(*_args, **_kwargs):
        raise KeyError("features")

    monkeypatch.setattr(geo.ingest.importer, "open_table", bug)
    monkeypatch.setattr(geo.ingest.mapping, "open_table", bug)  # the mapping step reads first
    _upload(data_page, "seizures.geojson", b'{"type": "FeatureCollection", "features": []}')
    assert not data_page.exception, data_page.exception[0].value
    assert len(data_page.error) == 1
    sentence = data_page.error[0].value
    _assert_one_sentence(sentence, "seizures.geojson", uploads)
    assert "internal error" in sentence.lower()
    assert list(uploads.iterdir()) == []


def test_an_import_that_lost_a_race_is_one_sentence_and_adds_nothing(
    data_page, uploads, sample_db, monkeypatch
):
    """Two imports of the same file at once (two browser tabs, or a tab and the command
    line): the page's import checks the store, then the other import commits first."""
    name = "etis_export.csv"
    _upload(data_page, name, (DATA / name).read_bytes())
    assert not data_page.exception and not data_page.error
    started: list = []
    rival: list = []  # the rival's report, once it has run
    checked = Store.content_hashes

    def rival_import():
        with Store(str(sample_db)) as other:
            rival.append(import_file(DATA / name, other))

    def content_hashes_then_rival(store):
        known = checked(store)
        if not started:  # the rival's own check comes here too: it must not start another
            started.append(True)
            thread = threading.Thread(target=rival_import)
            thread.start()
            thread.join()
        return known

    monkeypatch.setattr(Store, "content_hashes", content_hashes_then_rival)
    data_page.button(key="data_import").click().run()
    assert rival and rival[0].stored, "the rival import did not run"
    assert not data_page.exception, data_page.exception[0].value
    assert len(data_page.error) == 1 and not data_page.success
    sentence = data_page.error[0].value
    _assert_one_sentence(sentence, name, uploads)
    assert "another import" in sentence.lower() and f"nothing from {name}" in sentence
    assert list(uploads.iterdir()) == []
    monkeypatch.undo()
    imported = Store(str(sample_db)).batches()
    assert (imported["file_name"] == name).sum() == 1  # the rival's batch, and only that


def test_uploads_are_private_while_used_and_removed_after(data_page, uploads, monkeypatch):
    seen: list[tuple[str, int, int]] = []

    def watching(function):
        def wrapper(path, *args, **kwargs):
            path = Path(path)
            seen.append(
                (
                    function.__name__,
                    stat.S_IMODE(os.stat(path).st_mode),
                    stat.S_IMODE(os.stat(path.parent).st_mode),
                )
            )
            return function(path, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(ui.upload, "validate_file", watching(ui.upload.validate_file))
    monkeypatch.setattr(ui.upload, "import_file", watching(ui.upload.import_file))
    _upload(data_page, "etis_export.csv", (DATA / "etis_export.csv").read_bytes())
    assert list(uploads.iterdir()) == []
    data_page.button(key="data_import").click().run()
    assert not data_page.exception
    assert [name for name, _, _ in seen] == ["validate_file", "import_file"]
    assert all(file_mode == 0o600 and folder_mode == 0o700 for _, file_mode, folder_mode in seen)
    assert list(uploads.iterdir()) == []


def test_an_import_names_the_users_file_and_the_dashboard_as_actor(data_page, uploads, sample_db):
    name = "etis_export.csv"
    _upload(data_page, name, (DATA / name).read_bytes())
    data_page.button(key="data_import").click().run()
    assert not data_page.exception and not data_page.error
    message = data_page.success[0].value
    assert message.startswith(f"{name}: imported") and str(uploads) not in message

    store = Store(str(sample_db))
    batch = store.batches().query("file_name == @name").iloc[0]
    assert batch["imported_by"] == "dashboard"
    # the form starts afresh, and the new import is listed first and chosen for undo
    assert [u.key for u in data_page.file_uploader] == ["data_upload_1"]
    assert batch["batch_id"] in data_page.dataframe[0].value.iloc[0]["Import"]
    undo = data_page.selectbox(key="data_undo_batch")
    assert batch["batch_id"] in undo.value
    data_page.button(key="data_undo").click().run()
    assert not data_page.exception
    events = store.run_sql("SELECT actor, action, detail FROM audit ORDER BY occurred_at")
    mine = events[events["detail"].str.contains(batch["batch_id"])]
    assert mine["action"].tolist() == ["import", "undo"]
    assert set(mine["actor"]) == {"dashboard"}
