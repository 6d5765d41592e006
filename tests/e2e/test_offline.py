"""Offline for real: on a fresh install, no page makes the browser ask any host but the server."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        "browser tests need Debian's Chromium at /usr/bin/chromium: "
        "apt-get install chromium (CI installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

from geo.bench.browser import chromium  # noqa: E402  (after the skips: needs Playwright)
from geo.bench.first_view import serve_fresh_install  # noqa: E402

PAGES = {
    "": "Overview",
    "hotspots": "Border hotspots",
    "trends": "Trends",
    "species": "Species × country pair",
    "routes": "Routes",
    "briefing": "Briefing",
    "data": "Data",
}
MAP_PAGES = ("", "hotspots", "routes")
CHART_PAGES = ("", "trends", "species", "routes")
TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """The dashboard as on a fresh install: no store file, empty user cache and data folders."""
    folder = tmp_path_factory.mktemp("fresh-install")
    with serve_fresh_install(folder) as (_, url, _):
        assert not (folder / "store.duckdb").exists()
        yield url


def _wait_until_drawn(page, path: str) -> None:
    """Wait for the page's heading, its charts and maps drawn, and the app idle."""
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=PAGES[path]).first).to_be_visible(timeout=TIMEOUT_MS)
    if path in MAP_PAGES:
        expect(main.get_by_test_id("stDeckGlJsonChart").locator("canvas").first).to_be_visible(
            timeout=TIMEOUT_MS
        )
    if path in CHART_PAGES:
        expect(main.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_attached(
            timeout=TIMEOUT_MS
        )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    assert not page.get_by_test_id("stException").count(), page.url


def test_no_page_asks_another_host(fresh_server):
    """Every page, and a map of CN-LA: requests to other hosts are refused and listed."""
    local = urlsplit(fresh_server).netloc
    elsewhere: list[str] = []

    def other_host(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != local

    def note(url: str) -> None:
        if other_host(url) and url not in elsewhere:
            elsewhere.append(url)

    def refuse(route) -> None:
        # As on a closed network: nothing leaves the machine, even where CI is online.
        if other_host(route.request.url):
            route.abort("internetdisconnected")
        else:
            route.continue_()

    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1600, "height": 1100})
        context.on("request", lambda request: note(request.url))
        context.route("**/*", refuse)
        page = context.new_page()
        page.on("websocket", lambda socket: note(socket.url))
        try:
            page.goto(fresh_server)
            _wait_until_drawn(page, "")
            # the first run loaded the whole shipped sample into the new store
            seizures = page.get_by_test_id("stMetric").filter(has_text="Seizures").first
            expect(seizures.get_by_test_id("stMetricValue")).to_have_text("20,000")
            # then every page as a user reaches it, from the sidebar (no reload)
            for path, title in PAGES.items():
                page.get_by_test_id("stSidebar").get_by_role("link", name=title).click()
                _wait_until_drawn(page, path)
            # a pair adds its border, place names and a scale bar to the maps
            page.goto(f"{fresh_server}/hotspots?pair=CN-LA")
            _wait_until_drawn(page, "hotspots")
        finally:
            context.close()
    assert elsewhere == [], f"requests to other hosts than {local}: {elsewhere}"
