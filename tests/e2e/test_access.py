"""Access control in Debian's Chromium: what a Lao viewer sees, and that no one else sees data.

The store is a copy of the sample with an admin of China and a viewer of Lao PDR.  Every
restricted Chinese record carries a marker in its place and notes (``HIDDEN-CN-<id>``), and
every restricted Lao record another (``VISIBLE-LA-<id>``): a Chinese marker or record id in
anything the browser receives (the websocket's frames: maps, tables, charts, text) or
downloads is a leak, and the Lao marker showing up proves the markers do travel.

A signed-in user is one Streamlit session: a page load opens a new one, signed out.  So the
signed-in tests move between pages by the sidebar's links, and each starts at ``/`` (a
deep link such as ``/hotspots`` opened signed out shows Streamlit's "Page not found" dialog
over the sign-in form, and signing in then opens the Overview).
"""

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from geo.bench.browser import CHROMIUM, CHROMIUM_ARGS
from geo.store import aggregates
from geo.store.access import Principal
from geo.store.query import Query
from geo.store.store import Store
from geo.store.users import add_user

pytestmark = pytest.mark.e2e

WAIT = 90_000  # ms: this machine draws maps in software on two cores
PASSWORDS = {"ana": "admin-password-1", "khamla": "viewer-password-3"}
LAO = Principal("khamla", "viewer", "LA", ("LA",))
HIDDEN = "HIDDEN-CN-"
VISIBLE = "VISIBLE-LA-"
RECORD_ID = re.compile(r"SYN-\d{6}")  # the sample's record ids
PAIR = "CN-LA"
PATHS = ["", "hotspots", "trends", "species", "routes", "briefing", "data"]
DATA_TEST_IDS = ["stMetric", "stDeckGlJsonChart", "stDataFrame", "stPlotlyChart", "stTable"]

if not Path(CHROMIUM).exists():
    pytest.skip(
        "browser tests need Debian's Chromium at /usr/bin/chromium: "
        "apt-get install chromium (CI installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

from geo.bench.browser import serve_dashboard, serve_streamlit  # noqa: E402  (needs Playwright)
from geo.bench.timing import child_env  # noqa: E402


@pytest.fixture(scope="module")
def access(sample_store_file, tmp_path_factory) -> dict:
    """The marked store with its users, and what the Lao viewer should see of it."""
    db = tmp_path_factory.mktemp("access") / "store.duckdb"
    shutil.copy(sample_store_file, db)
    with Store(str(db)) as store:  # no users yet: this opener sees and may change everything
        with store.transaction() as connection:
            for owner, mark in (("CN", HIDDEN), ("LA", VISIBLE)):
                connection.exec_driver_sql(
                    f"UPDATE seizures SET location_name = '{mark}' || record_id, "
                    f"notes = '{mark}' || record_id || ' note' "
                    f"WHERE sensitivity = 'restricted' AND owner_country = '{owner}'"
                )
            hidden_ids = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT record_id FROM seizures "
                    "WHERE sensitivity = 'restricted' AND owner_country = 'CN'"
                )
            }
        add_user(store, "ana", "admin", "CN", password=PASSWORDS["ana"])
        admin = store.scoped(Principal("ana", "admin", "CN", ("CN",)))
        add_user(admin, "khamla", "viewer", "LA", password=PASSWORDS["khamla"])
        everyone, lao = store.scoped(Principal.local()), store.scoped(LAO)
        pair = Query(pair=PAIR)
        bounds = aggregates.filter_options(lao)
        expected = {
            "db": str(db),
            "hidden_ids": hidden_ids,
            "all": aggregates.count(everyone, Query()),
            "lao": aggregates.count(lao, Query()),
            "all_pair": aggregates.count(everyone, pair),
            "lao_pair": aggregates.count(lao, pair),
            "lao_pair_visible_marks": aggregates.search(lao, pair, VISIBLE, ["record_id"], 1)[1],
            # the Briefing page's default period: the Lao viewer's first and last dates
            "lao_briefing": aggregates.count(
                lao, pair.with_changes(date_from=bounds["first"], date_to=bounds["last"])
            ),
        }
    assert len(hidden_ids) == 630  # the sample's restricted Chinese records
    assert expected["lao"] < expected["all"] and expected["lao_pair"] < expected["all_pair"]
    assert expected["lao_pair_visible_marks"] > 0
    return expected


@pytest.fixture(scope="module")
def server(access):
    """The dashboard on the store with users."""
    with serve_dashboard(access["db"]) as (_, url):
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright."""
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page whose received websocket frames are kept in ``page.frames_in``."""
    context = browser.new_context(viewport={"width": 1600, "height": 1100}, accept_downloads=True)
    opened = context.new_page()
    received: list[str] = []

    def watch(socket):
        socket.on(
            "framereceived",
            lambda payload: received.append(
                payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
            ),
        )

    opened.on("websocket", watch)
    opened.frames_in = received
    yield opened
    context.close()


def _idle(page, timeout: int = WAIT) -> None:
    """Wait until the app's run has finished and nothing on the page is stale."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return !!app && app.dataset.testScriptState === 'notRunning'
                && !document.querySelector('[data-stale="true"]')
                && !document.querySelector('[data-testid="stSkeleton"]');
        }""",
        timeout=timeout,
    )


def _leaks(text: str, hidden_ids: set[str]) -> list[str]:
    """The hidden record ids, and the hidden marker, found in ``text``."""
    found = sorted(set(RECORD_ID.findall(text)) & hidden_ids)
    return found + ([HIDDEN] if HIDDEN in text else [])


def _sign_in(page, name: str, password: str) -> None:
    user = page.get_by_label("User name")
    expect(user).to_be_visible(timeout=WAIT)
    user.fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _seizures(page):
    """The Overview's "Seizures" figure."""
    return (
        page.get_by_test_id("stMetric")
        .filter(has_text="Seizures")
        .first.get_by_test_id("stMetricValue")
    )


def _open(page, link: str, shows: str) -> None:
    """Follow a sidebar link (same session); wait for its heading, ``shows`` and the run's end."""
    main = page.get_by_test_id("stMain")
    page.get_by_test_id("stSidebar").get_by_role("link", name=link).click()
    expect(main.get_by_role("heading", name=link, exact=True)).to_be_visible(timeout=WAIT)
    expect(main.get_by_test_id(shows).first).to_be_visible(timeout=WAIT)
    _idle(page)


def _shows_no_data(page) -> None:
    for test_id in DATA_TEST_IDS:
        expect(page.get_by_test_id(test_id)).to_have_count(0, timeout=WAIT)
    expect(page.get_by_test_id("stPageLink")).to_have_count(0, timeout=WAIT)
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(0, timeout=WAIT)


def _search(page, words: str, total: int) -> None:
    box = page.get_by_test_id("stMain").get_by_role("textbox", name="Search", exact=True)
    box.fill(words)
    box.press("Enter")
    caption = f"Showing {total:,} records matching the filters and search"
    expect(page.get_by_text(caption)).to_be_visible(timeout=WAIT)
    _idle(page)


def test_a_lao_viewer_counts_only_what_they_may_see(server, page, access):
    page.goto(server)
    _sign_in(page, "khamla", PASSWORDS["khamla"])
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="Overview")).to_be_visible(
        timeout=WAIT
    )
    expect(_seizures(page)).to_have_text(f"{access['lao']:,}", timeout=WAIT)  # not the 20,000
    expect(page.get_by_test_id("stDeckGlJsonChart").first).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT)
    _idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Signed in as khamla (viewer, Lao PDR)")
    assert HIDDEN not in page.get_by_test_id("stMain").inner_text()
    assert _leaks("".join(page.frames_in), access["hidden_ids"]) == []


def test_no_chinese_restricted_record_reaches_a_lao_viewer(server, page, access):
    page.goto(f"{server}/?pair={PAIR}")
    _sign_in(page, "khamla", PASSWORDS["khamla"])
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Overview")).to_be_visible(timeout=WAIT)
    expect(_seizures(page)).to_have_text(f"{access['lao_pair']:,}", timeout=WAIT)
    _idle(page)

    _open(page, "Border hotspots", "stDeckGlJsonChart")
    # the ranking counts the Lao viewer's border seizures, not everyone's
    expect(main).to_contain_text(f"of {access['lao_pair']:,} seizures", timeout=WAIT)
    assert f"{access['all_pair']:,}" not in main.inner_text()
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT)
    assert HIDDEN not in main.inner_text()

    for link, shows in (
        ("Trends", "stPlotlyChart"),
        ("Species × country pair", "stDataFrame"),
        ("Routes", "stDeckGlJsonChart"),
    ):
        _open(page, link, shows)
        assert HIDDEN not in main.inner_text(), link

    _open(page, "Data", "stDataFrame")
    # lower case: the search ignores case, and what is typed never looks like the markers
    # (each search changes the caption, so each waits for its own run)
    _search(page, HIDDEN.lower().rstrip("-"), 0)
    _search(page, VISIBLE.lower().rstrip("-"), access["lao_pair_visible_marks"])
    _search(page, sorted(access["hidden_ids"])[0].lower(), 0)
    assert HIDDEN not in main.inner_text()
    expect(main).to_contain_text("To import files you need the analyst role")
    expect(main).to_contain_text("To download records you need the analyst role")
    expect(main.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(main.get_by_text("Prepare a CSV download")).to_have_count(0)
    expect(main.get_by_test_id("stDownloadButton")).to_have_count(0)

    received = "".join(page.frames_in)
    assert VISIBLE in received  # the markers do reach the browser when the record may
    assert _leaks(received, access["hidden_ids"]) == []


def test_a_lao_viewers_briefing_holds_no_chinese_restricted_record(server, page, access, tmp_path):
    page.goto(f"{server}/?pair={PAIR}")
    _sign_in(page, "khamla", PASSWORDS["khamla"])
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Overview")).to_be_visible(timeout=WAIT)
    _idle(page)
    _open(page, "Briefing", "stSelectbox")
    expect(main).to_contain_text("China–Lao PDR")
    # a viewer makes briefings but exports no records: no CSV, Excel, GeoJSON or AITR buttons
    expect(main).to_contain_text("To export records you need the analyst role")
    expect(main.get_by_test_id("stDownloadButton")).to_have_count(0)

    main.get_by_role("button", name="Prepare the briefing").click()
    download_button = main.get_by_role("button", name="Download the briefing (PDF)")
    expect(download_button).to_be_visible(timeout=3 * WAIT)
    _idle(page)
    expect(main.get_by_test_id("stDownloadButton")).to_have_count(1)
    with page.expect_download(timeout=WAIT) as started:
        download_button.click()
    pdf = tmp_path / "briefing.pdf"
    started.value.save_as(pdf)

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(rf"Records\s.*\s{access['lao_briefing']:,}\n", text), text[:600]
    assert _leaks(text, access["hidden_ids"]) == []
    # the record ids behind every figure travel as the attachment records.csv
    folder = tmp_path / "attached"
    folder.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(folder), str(pdf)], check=True)
    attached = (folder / "records.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(attached)))
    assert len({r["record_id"] for r in rows if r["figure"] == "records"}) == access["lao_briefing"]
    assert _leaks(attached, access["hidden_ids"]) == []
    assert _leaks("".join(page.frames_in), access["hidden_ids"]) == []


def test_signed_out_no_page_shows_data(server, page, access):
    page.goto(f"{server}/?pair={PAIR}")
    _sign_in(page, "khamla", PASSWORDS["khamla"])
    expect(_seizures(page)).to_have_text(f"{access['lao_pair']:,}", timeout=WAIT)
    _idle(page)
    signed_in = len(page.frames_in)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("User name")).to_be_visible(timeout=WAIT)
    _idle(page)
    _shows_no_data(page)
    for path in PATHS:
        page.goto(f"{server}/{path}?pair={PAIR}")
        expect(page.get_by_label("User name")).to_be_visible(timeout=WAIT)
        _idle(page)
        _shows_no_data(page)
        assert "Signed in as" not in page.content(), path
    after = "".join(page.frames_in[signed_in:])
    assert RECORD_ID.findall(after) == []  # not one record's id, hidden or public
    assert VISIBLE not in after and HIDDEN not in after


def test_a_wrong_password_is_refused_and_shows_nothing(server, page):
    page.goto(f"{server}/?pair={PAIR}")
    _sign_in(page, "khamla", "not-her-password")
    expect(page.get_by_text("Unknown user name or wrong password.")).to_be_visible(timeout=WAIT)
    _idle(page)
    _shows_no_data(page)
    expect(page.get_by_label("User name")).to_be_visible()
    assert RECORD_ID.findall("".join(page.frames_in)) == []


@pytest.fixture(scope="module")
def exposed_server(sample_store_file, tmp_path_factory):
    """The dashboard on a store without users, told to listen on every network interface."""
    db = tmp_path_factory.mktemp("exposed") / "store.duckdb"
    shutil.copy(sample_store_file, db)
    flags = ["--browser.gatherUsageStats", "false", "--server.runOnSave", "false",
             "--server.address", "0.0.0.0"]  # fmt: skip
    with serve_streamlit(child_env(SEIZURES_DB=str(db)), 120, flags) as (_, url, _started):
        yield url  # http://127.0.0.1:PORT: 0.0.0.0 includes this computer


@pytest.mark.parametrize("path", ["", "data"])
def test_without_users_a_non_local_address_shows_no_data(exposed_server, page, path):
    page.goto(f"{exposed_server}/{path}")
    refusal = page.get_by_text("This dashboard has no users, so it serves only this computer")
    expect(refusal).to_be_visible(timeout=WAIT)
    expect(refusal).to_contain_text("listen on 0.0.0.0")  # the flag took effect
    _idle(page)
    _shows_no_data(page)
    expect(page.get_by_label("User name")).to_have_count(0)
    assert RECORD_ID.findall("".join(page.frames_in)) == []
