"""The real dashboard in Debian's Chromium: pages load, the map draws, filters and URLs work."""

import io
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from geo.ingest.importer import import_file
from geo.store.store import Store

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
]  # fmt: skip
PAGES = {
    "": "Overview",
    "hotspots": "Border hotspots",
    "trends": "Trends",
    "species": "Species × country pair",
    "routes": "Routes",
    "data": "Data",
}
PAYLOAD = "<img src=x onerror=alert(1)>"

if not Path(CHROMIUM).exists():
    pytest.skip(
        "browser tests need Debian's Chromium at /usr/bin/chromium: "
        "apt-get install chromium (CI installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

from geo.bench.browser import serve_dashboard  # noqa: E402  (after the skips: needs Playwright)


@pytest.fixture(scope="module")
def server(sample_store_file, tmp_path_factory):
    """The dashboard on a copy of the sample store."""
    db = tmp_path_factory.mktemp("e2e") / "store.duckdb"
    shutil.copy(sample_store_file, db)
    with serve_dashboard(str(db)) as (_, url):
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright."""
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page, large enough for the map and the sidebar."""
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    opened = context.new_page()
    dialogs = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def _ready(page, timeout=90_000):
    page.get_by_test_id("stAppViewContainer").wait_for(timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout
    )
    page.get_by_test_id("stMain").get_by_role("heading").first.wait_for(timeout=timeout)


def _metric(page) -> str:
    """The "Seizures" figure, read once the app has finished running."""
    metric = page.get_by_test_id("stMetric").filter(has_text="Seizures").first
    metric.wait_for(timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
    )
    return metric.get_by_test_id("stMetricValue").inner_text()


def _map_pixels(page) -> int:
    """Count the map canvas's pixels that differ from its most common (background) colour."""
    from PIL import Image

    chart = page.get_by_test_id("stDeckGlJsonChart").first
    chart.wait_for(timeout=90_000)
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24)
    background = max(colours)[0]
    return image.width * image.height - background


def _wait_for_map_drawn(page, at_least: int, timeout_s: float = 90) -> int:
    """Wait until the map shows at least this many non-background pixels (deck.gl draws in
    software here, some time after the chart element appears); return the count."""
    deadline = time.monotonic() + timeout_s
    drawn = _map_pixels(page)
    while drawn < at_least and time.monotonic() < deadline:
        page.wait_for_function("() => new Promise(r => requestAnimationFrame(() => r(true)))")
        drawn = _map_pixels(page)
    return drawn


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_loads(server, page, path):
    page.goto(f"{server}/{path}")
    _ready(page)
    page.get_by_role("heading", name=PAGES[path]).first.wait_for(timeout=90_000)
    expect(page.get_by_text("synthetic", exact=False).first).to_be_visible(timeout=30_000)
    assert not page.get_by_test_id("stException").count()


def test_hotspot_map_draws(server, page):
    page.goto(f"{server}/hotspots?pair=CN-LA")
    _ready(page)
    # A blank canvas has no pixel but the background; the basemap, border and points do.
    assert _wait_for_map_drawn(page, at_least=3_000) > 3_000


def test_filter_change_changes_figures_and_url_restores_them(server, page, browser):
    page.goto(server)
    before = _metric(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(
        has_text="Taxon group"
    ).click()
    page.get_by_role("option", name="Timber").click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        f"() => document.querySelector('[data-testid=\"stMetricValue\"]').innerText !== '{before}'",
        timeout=60_000,
    )
    after = _metric(page)
    assert after != before
    page.wait_for_function("() => location.search.includes('taxon_groups=timber')", timeout=30_000)
    shared = page.url
    other = browser.new_context(viewport={"width": 1600, "height": 1100}).new_page()
    other.goto(shared)
    assert _metric(other) == after, shared
    other.context.close()


def test_presentation_toggle_hides_the_sidebar_and_menus(server, page):
    page.goto(f"{server}/trends")
    _ready(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stToolbar")).to_be_visible(timeout=60_000)
    sidebar.get_by_text("Presentation mode").click()
    expect(sidebar).to_be_hidden(timeout=60_000)
    expect(page.get_by_test_id("stToolbar")).to_be_hidden(timeout=60_000)
    expect(page.get_by_test_id("stMainMenu")).to_be_hidden(timeout=60_000)
    page.wait_for_function("() => location.search.includes('present=1')", timeout=30_000)
    page.get_by_role("button", name="Leave presentation").click()
    expect(sidebar).to_be_visible(timeout=60_000)
    page.wait_for_function("() => !location.search.includes('present=1')", timeout=30_000)


def test_a_shared_link_restores_the_page_settings(server, page, browser):
    page.goto(f"{server}/trends?pair=CN-LA")
    _ready(page)
    _choose(page, "Split by", "Taxon group")
    page.wait_for_function("() => location.search.includes('split=taxon_group')", timeout=60_000)
    page.get_by_test_id("stButtonGroup").get_by_text("Year", exact=True).click()
    page.wait_for_function("() => location.search.includes('period=year')", timeout=60_000)
    shared = page.url
    other = browser.new_context(viewport={"width": 1600, "height": 1100}).new_page()
    other.goto(shared)
    _ready(other)
    # the chart's legend names the groups: the split came back from the link and took effect
    expect(other.get_by_test_id("stPlotlyChart").first).to_contain_text("Mammals", timeout=60_000)
    other.context.close()


def test_hotspot_map_names_the_countries_and_has_a_legend(server, page):
    frames: list[str] = []

    def collect(socket):
        socket.on(
            "framereceived",
            lambda payload: frames.append(
                payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            ),
        )

    page.on("websocket", collect)
    page.goto(f"{server}/hotspots?pair=CN-LA")
    _ready(page)
    page.get_by_test_id("stDeckGlJsonChart").first.wait_for(timeout=90_000)
    legend = page.get_by_test_id("stMain").locator(".map-legend").first
    expect(legend).to_be_visible(timeout=60_000)
    expect(legend).to_contain_text("Mammals")
    sent = "".join(frames)
    assert "TextLayer" in sent
    assert "China" in sent and "Lao PDR" in sent


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The dashboard on a store holding one record whose text fields carry markup."""
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.csv"
    pd.DataFrame(
        {
            "Date": ["2023-05-01"],
            "Country": ["LA"],
            "Place": [PAYLOAD],
            "Latitude": ["21.19"],
            "Longitude": ["101.68"],
            "Species": ["Manis javanica"],
            "Quantity": ["12 kg"],
            "Notes": [PAYLOAD],
        }
    ).to_csv(source, index=False)
    db = folder / "store.duckdb"
    import_file(source, Store(str(db)))
    with serve_dashboard(str(db)) as (_, url):
        yield url


def test_record_markup_shows_as_text(hostile_server, page):
    page.goto(hostile_server)
    _ready(page)
    chart = page.get_by_test_id("stDeckGlJsonChart").first
    chart.wait_for(timeout=90_000)
    _wait_for_map_drawn(page, at_least=1_000)
    box = chart.bounding_box()
    # The view is fitted to the one record, so it sits in the middle of the map; hover
    # until deck.gl has picked it (it may still be drawing), then read the tooltip.
    tooltip = page.locator(".deck-tooltip")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page.mouse.move(box["x"] + box["width"] / 2 + 1, box["y"] + box["height"] / 2)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            tooltip.wait_for(state="visible", timeout=2_000)
            break
        except sync_api.TimeoutError:
            continue
    expect(tooltip).to_be_visible(timeout=5_000)
    # The markup is shown as text (its angle brackets as entities), never run.
    assert "img src=x onerror=alert(1)" in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []


def test_upload_shows_the_report_then_imports(server, page):
    """Runs last: it adds records to the shared server's store."""
    page.goto(f"{server}/data")
    _ready(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        str(ROOT / "tests" / "data" / "etis_export.csv")
    )
    page.get_by_text("Would be accepted").wait_for(timeout=90_000)
    metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert metrics[:4] == ["10", "9", "1", "0"]
    page.get_by_role("button", name="Import these records").click()
    page.get_by_text("9 accepted").first.wait_for(timeout=90_000)
    page.get_by_text("etis_export.csv").first.wait_for(timeout=30_000)


MAPPED_HEADER = "F_OPER,SITIO_INT,VAL_1\n"  # a police system's column codes: no alias knows them


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit select box by typing it, as a user would."""
    page.get_by_label(label).click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def test_mapping_step_names_unknown_columns_then_remembers_them(server, page, tmp_path):
    """Runs after the upload test: it adds records to the shared server's store."""
    first = tmp_path / "operativos_2023.csv"
    first.write_text(
        MAPPED_HEADER + "2023-03-12,Lima,14\n2023-03-15,Callao,3.5\n2023-04-02,Lima,9\n"
    )
    second = tmp_path / "operativos_2024.csv"
    second.write_text(MAPPED_HEADER + "2024-01-20,Lima,2\n2024-02-11,Callao,6\n")
    page.goto(server)
    _ready(page)
    before = int(_metric(page).replace(",", ""))

    page.goto(f"{server}/data")
    _ready(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(first))
    expect(page.get_by_text("first full row", exact=False)).to_be_visible(timeout=90_000)
    accepted = (
        page.get_by_test_id("stMetric")
        .filter(has_text="Would be accepted")
        .get_by_test_id("stMetricValue")
    )
    expect(accepted).to_have_text("0", timeout=90_000)
    _choose(page, "Field for column F_OPER", "Seizure date")
    expect(page.get_by_text("Your mapping").first).to_be_visible(timeout=90_000)
    _choose(page, "Field for column VAL_1", "Weight (kg)")
    expect(page.get_by_text("Your mapping")).to_have_count(2, timeout=90_000)
    page.get_by_text("Values for the whole file").click()
    page.get_by_label("Species or taxon (for a file about one species)").fill("Manis spp.")
    page.keyboard.press("Enter")
    _choose(page, "Seizing country (for every row that names none)", "Peru")
    expect(accepted).to_have_text("3", timeout=90_000)
    page.get_by_role("button", name="Import these records").click()
    expect(page.get_by_text("3 accepted").first).to_be_visible(timeout=90_000)

    page.goto(server)
    _ready(page)
    assert int(_metric(page).replace(",", "")) == before + 3

    # the next file with the same headers maps itself, and the page says from which file
    page.goto(f"{server}/data")
    _ready(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(second))
    expect(page.get_by_text("Columns mapped as for operativos_2023.csv")).to_be_visible(
        timeout=90_000
    )
    expect(accepted).to_have_text("2", timeout=90_000)
