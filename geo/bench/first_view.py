"""The dashboard on a fresh install: ``streamlit run`` to the first map, then every page.

A fresh install has no store file and nothing in the user cache directory: the first page
loads the shipped sample into a new store.  :func:`first_view_timings` starts
``streamlit run dashboard.py`` as a user would (the project's ``.streamlit/config.toml``
applies) with ``SEIZURES_DB``, ``XDG_CACHE_HOME`` and ``XDG_DATA_HOME`` in a new temporary
directory, opens the server's URL in Chromium as soon as it answers, and times from the start
of the process to the Overview map drawn.  Only two settings are added: headless (no browser
window of its own) and no file watcher (a source file edited meanwhile would leave a prompt on
the page, which never looks idle then).  Then, in the same tab, it opens each page (with and
without a country pair) and times it until it has settled: the app idle, every chart drawn,
and every map's canvas the same in two screenshots in a row.  Requests to any host but the
dashboard's are answered with an error, as on a closed network, and listed.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geo.bench.browser import (
    DRAWN_PIXELS,
    VIEWPORT,
    check_browser,
    chromium,
    drawn_pixels,
    serve_streamlit,
    wait_for_map,
)
from geo.bench.timing import BenchError, child_env

__all__ = ["FIRST_VIEW_PAGES", "BenchError", "first_view_timings", "serve_fresh_install", "settle"]

# Every page, unfiltered and for one country pair (the view a bilateral meeting opens).
FIRST_VIEW_PAGES = [
    f"{path}{query}"
    for path in ("", "hotspots", "trends", "species", "routes", "data")
    for query in ("", "?pair=CN-LA")
]

# The app has finished its run and drawn every chart element it holds.
_APP_SETTLED = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('h1')) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stStatusWidget"],'
      + ' [data-stale="true"], [data-testid="stSpinner"]')) return false;
  const plots = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')];
  if (!plots.every(p => p.querySelector('.main-svg'))) return false;
  const maps = [...main.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
  return maps.every(m => m.querySelector('canvas'));
}"""


@contextmanager
def serve_fresh_install(folder: Path, timeout_s: float = 300) -> Iterator[tuple[Any, str, float]]:
    """Run ``streamlit run dashboard.py`` as on a fresh install; yield (process, URL, start).

    ``start`` is the :func:`time.perf_counter` value just before the process was started;
    the URL is yielded as soon as ``/_stcore/health`` answers.  The store
    (``folder/store.duckdb``), the user data and the user cache directories are in
    ``folder`` and do not exist yet.  The server is stopped on exit.
    """
    env = child_env(
        SEIZURES_DB=str(folder / "store.duckdb"),
        XDG_CACHE_HOME=str(folder / "cache"),
        XDG_DATA_HOME=str(folder / "data"),
    )
    # no flags beyond the file watcher: the project's .streamlit/config.toml is what a user has
    with serve_streamlit(env, timeout_s) as served:
        yield served


def _map_shots(page: Any) -> list[bytes]:
    charts = page.get_by_test_id("stMain").get_by_test_id("stDeckGlJsonChart")
    return [charts.nth(index).screenshot() for index in range(charts.count())]


def settle(page: Any, timeout_s: float = 300) -> float:
    """Wait until a page has settled; return the seconds since this call.

    Settled: the app idle (no skeleton, spinner, stale element or running status), a
    heading shown, every Plotly chart drawn, and every map showing drawn pixels, the same
    in two screenshots in a row (deck.gl has stopped drawing).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = time.perf_counter()
    deadline = started + timeout_s
    last: list[str] | None = None
    while True:
        remaining_ms = (deadline - time.perf_counter()) * 1000
        try:
            if remaining_ms <= 0:
                raise PlaywrightTimeout("deadline")
            page.wait_for_function(_APP_SETTLED, timeout=remaining_ms)
            shots = _map_shots(page)
        except PlaywrightTimeout as error:
            raise BenchError(f"{page.url} did not settle within {timeout_s:g} s.") from error
        if all(drawn_pixels(shot) >= DRAWN_PIXELS for shot in shots):
            digests = [hashlib.sha256(shot).hexdigest() for shot in shots]
            if digests == last:
                return time.perf_counter() - started
            last = digests


def _off_host_guard(context: Any, url: str, seen: set[str]) -> None:
    """Answer every request to a host other than the dashboard's with an error; note it."""
    local = urlsplit(url).netloc

    def route(request_route: Any) -> None:
        parts = urlsplit(request_route.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != local:
            seen.add(f"{parts.scheme}://{parts.netloc}")
            request_route.abort("internetdisconnected")
        else:
            request_route.continue_()

    context.route("**/*", route)


def _one_install(browser: Any, pages: list[str]) -> dict[str, Any]:
    off_host: set[str] = set()
    with (
        tempfile.TemporaryDirectory(prefix="seizures-first-view-") as folder,
        serve_fresh_install(Path(folder)) as (_, url, started),
    ):
        answered = time.perf_counter() - started
        context = browser.new_context(viewport=VIEWPORT)
        _off_host_guard(context, url, off_host)
        settled: dict[str, float] = {}
        try:
            page = context.new_page()
            page.goto(url)
            wait_for_map(page, timeout_s=300)
            first_map = time.perf_counter() - started
            settle(page)
            first_settled = time.perf_counter() - started
            # The same tab, as a user opens one shared view after another: the browser has
            # the app's scripts, the server has its store, each page's data is new to it.
            for path in pages:
                begun = time.perf_counter()
                page.goto(f"{url}/{path}")
                settle(page)
                settled[f"/{path}"] = time.perf_counter() - begun
        finally:
            context.close()
    return {
        "server_answered_s": answered,
        "first_map_s": first_map,
        "first_view_settled_s": first_settled,
        "pages_s": settled,
        "off_host": sorted(off_host),
    }


def first_view_timings(runs: int = 3, pages: list[str] | None = None) -> dict[str, Any]:
    """Time fresh installs: ``streamlit run`` to the first map, then each page's settling.

    Parameters
    ----------
    runs : int
        Fresh installs to time (each with a new store and an empty user cache).
    pages : list of str, optional
        Page paths with their query (``"routes?pair=CN-LA"``); default
        :data:`FIRST_VIEW_PAGES`.  Each is opened once per run, after the first map, in the
        same tab on the same server: the page's own data work is not cached yet.

    Returns
    -------
    dict
        Medians in ms: ``server_answered_ms`` (the health check answers),
        ``first_map_ms`` (process start to the Overview map drawn), ``first_view_settled_ms``
        (to the Overview settled), ``pages_ms`` (path → settle time from navigation); the
        samples of each under ``samples``; ``off_host``: every ``scheme://host`` the browser
        asked for besides the dashboard (refused); ``runs``.
    """
    check_browser()
    if runs < 1:
        raise BenchError(f"--runs should be at least 1, got {runs}.")
    pages = FIRST_VIEW_PAGES if pages is None else pages
    results = []
    with chromium() as browser:
        for _ in range(runs):
            results.append(_one_install(browser, pages))

    def median_ms(values: list[float]) -> float:
        return round(statistics.median(values) * 1000, 1)

    def samples_ms(values: list[float]) -> list[float]:
        return [round(value * 1000, 1) for value in values]

    scalar = ("server_answered_s", "first_map_s", "first_view_settled_s")
    return {
        **{name[:-2] + "_ms": median_ms([r[name] for r in results]) for name in scalar},
        "pages_ms": {
            path: median_ms([r["pages_s"][path] for r in results]) for path in results[0]["pages_s"]
        },
        "samples": {
            **{name[:-2] + "_ms": samples_ms([r[name] for r in results]) for name in scalar},
            "pages_ms": {
                path: samples_ms([r["pages_s"][path] for r in results])
                for path in results[0]["pages_s"]
            },
        },
        "off_host": sorted({host for r in results for host in r["off_host"]}),
        "runs": runs,
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }
