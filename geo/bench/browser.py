"""The dashboard in Debian's Chromium: first map of a fresh page load, redraw after a filter.

Reusable by scripts: :func:`serve_dashboard` runs ``streamlit run dashboard.py`` on a free
port, :func:`chromium` launches the browser with the arguments that work here, and
:func:`wait_for_map` waits on states (the app idle, the map canvas drawn), never fixed sleeps.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo.bench.timing import ROOT, BenchError, child_env, close_store, median_ms, open_store

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "browser_timings",
    "check_browser",
    "chromium",
    "drawn_pixels",
    "free_port",
    "serve_dashboard",
    "serve_streamlit",
    "wait_for_map",
]

CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download fails here; Debian's Chromium draws deck.gl in software.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
]  # fmt: skip
VIEWPORT = {"width": 1600, "height": 1100}
# A blank canvas has only its background colour; the basemap alone draws far more than this.
DRAWN_PIXELS = 3_000


def check_browser() -> None:
    """Raise :class:`BenchError` unless Chromium, Playwright and Pillow are there."""
    if not Path(CHROMIUM).exists():
        raise BenchError(
            f"--browser needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)."
        )
    try:
        import PIL  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        raise BenchError(
            f"--browser needs Playwright and Pillow (pip install -e '.[test]'): {error}."
        ) from error


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve_dashboard(location: str, timeout_s: float = 120) -> Iterator[tuple[Any, str]]:
    """Run ``streamlit run dashboard.py`` on a free port over a store; yield (process, URL).

    The file watcher is off: an edited source file would otherwise leave a "File change"
    prompt in the status widget (and the app never looks idle).  The server is stopped on exit.
    Raises :class:`BenchError` if it is not healthy in time.
    """
    flags = ["--browser.gatherUsageStats", "false", "--server.runOnSave", "false"]
    with serve_streamlit(child_env(SEIZURES_DB=location), timeout_s, flags) as (process, url, _):
        yield process, url


@contextmanager
def serve_streamlit(
    env: dict[str, str], timeout_s: float, flags: Sequence[str] = ()
) -> Iterator[tuple[Any, str, float]]:
    """Start the dashboard with ``env`` on a free port; yield (process, URL, start) once healthy.

    ``start`` is the :func:`time.perf_counter` value just before the process was started.
    Headless, file watcher off, plus ``flags``.  Stopped on exit; :class:`BenchError` if
    the server exits or is not healthy within ``timeout_s``.
    """
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.fileWatcherType", "none", *flags],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = started + timeout_s
        while True:
            if process.poll() is not None:
                raise BenchError(f"the dashboard exited with status {process.returncode}.")
            if time.perf_counter() > deadline:
                raise BenchError(f"the dashboard did not answer within {timeout_s:g} s.")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.05)  # polling the health state, not a fixed wait
        yield process, url, started
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def chromium() -> Iterator[Any]:
    """Yield Debian's Chromium driven by Playwright (a ``playwright`` Browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# The app has finished its run: no skeleton, no "running" widget, nothing stale, a map canvas.
_APP_IDLE = """() => !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && !!document.querySelector('[data-testid="stDeckGlJsonChart"] canvas')"""


def drawn_pixels(png: bytes) -> int:
    """Count a screenshot's pixels that differ from its most common (background) colour."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24) or []
    background = max(colours)[0] if colours else 0
    return image.width * image.height - background


def wait_for_map(page: Any, before: str | None = None, timeout_s: float = 300) -> str:
    """Wait until the app is idle and its first map shows drawn pixels; return their hash.

    Parameters
    ----------
    page : playwright Page
        A dashboard page.
    before : str, optional
        The hash of the map before a filter change: wait until the map differs from it.
    timeout_s : float
        How long to wait.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout_s
    chart = page.get_by_test_id("stDeckGlJsonChart").first
    while True:
        remaining_ms = (deadline - time.monotonic()) * 1000
        try:
            if remaining_ms <= 0:
                raise PlaywrightTimeout("deadline")
            page.wait_for_function(_APP_IDLE, timeout=remaining_ms)
            shot = chart.screenshot(timeout=max(remaining_ms, 1))
        except PlaywrightTimeout as error:
            raise BenchError(f"the map was not drawn within {timeout_s:g} s.") from error
        digest = hashlib.sha256(shot).hexdigest()
        if digest != before and drawn_pixels(shot) >= DRAWN_PIXELS:
            return digest


def _settled(page: Any, last: str, timeout_s: float = 120) -> str:
    """Wait until two screenshots of the map in a row are equal (deck.gl has stopped drawing)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    chart = page.get_by_test_id("stDeckGlJsonChart").first
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            page.wait_for_function(_APP_IDLE, timeout=timeout_s * 1000)
            digest = hashlib.sha256(chart.screenshot()).hexdigest()
        except PlaywrightTimeout:
            break
        if digest == last:
            return digest
        last = digest
    raise BenchError(f"the map did not settle within {timeout_s:g} s.")


def _choose_pair(page: Any, pair: str) -> Callable[[], None]:
    """Open the sidebar's pair box and type the pair; return the click that chooses it."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")
    box.filter(has_text="Country pair").first.click()
    page.keyboard.type(pair)
    option = page.get_by_role("option", name=re.compile(re.escape(f"({pair})"))).first
    option.wait_for()
    return option.click


def _memory_mb(pid: int) -> dict[str, float]:
    sizes = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                sizes[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return {"rss_mb": sizes.get("VmRSS", math.nan), "peak_mb": sizes.get("VmHWM", math.nan)}


def browser_timings(location: str, pairs: list[str], runs: int = 3) -> dict[str, Any]:
    """Time the dashboard's first map and its redraw after a pair change, in Chromium.

    One page load warms the server (its caches, the first session); then each run opens a
    fresh page (timed from navigation to the map drawn: the app idle and the map canvas
    showing more than its background) and chooses the next pair of ``pairs`` in the sidebar
    (timed from the click to the map redrawn: idle again and different).  A pair not seen
    before is uncached on the server, as after a real filter change.

    Parameters
    ----------
    location : str
        The store the dashboard serves (``SEIZURES_DB``); no other process may hold it open.
    pairs : list of str
        Country pairs to choose, one per run (reused in turn if fewer than ``runs``).
    runs : int
        Number of runs.

    Returns
    -------
    dict
        ``first_map_ms`` and ``redraw_ms`` (medians), the samples under ``first_map_samples_ms``
        and ``redraw_samples_ms``, the ``pairs`` chosen, and the server's resident memory
        after the runs and its peak (``server_rss_mb``, ``server_peak_mb``).
    """
    check_browser()
    if not pairs:
        raise BenchError("the bench store has no border pair to choose in the browser.")
    store = open_store(location)
    held = store.count()
    close_store(store)
    if not held:
        raise BenchError(f"{location} holds no records: the dashboard would draw no map.")
    first, redraw, chosen = [], [], []
    with serve_dashboard(location) as (process, url), chromium() as browser:
        for run in range(runs + 1):
            context = browser.new_context(viewport=VIEWPORT)
            try:
                page = context.new_page()
                started = time.perf_counter()
                page.goto(url)
                before = wait_for_map(page)
                loaded = time.perf_counter() - started
                if run == 0:  # the warm-up load, not counted
                    continue
                before = _settled(page, before)
                pair = pairs[(run - 1) % len(pairs)]
                click = _choose_pair(page, pair)
                started = time.perf_counter()
                click()
                wait_for_map(page, before)
                redraw.append(time.perf_counter() - started)
                first.append(loaded)
                chosen.append(pair)
            finally:
                context.close()
        memory = _memory_mb(process.pid)
    return {
        "first_map_ms": median_ms(first),
        "redraw_ms": median_ms(redraw),
        "first_map_samples_ms": [round(s * 1000, 1) for s in first],
        "redraw_samples_ms": [round(s * 1000, 1) for s in redraw],
        "pairs": chosen,
        "server_rss_mb": memory["rss_mb"],
        "server_peak_mb": memory["peak_mb"],
    }
