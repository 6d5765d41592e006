"""Benchmark: from a filter change in the browser to the map redrawn (real Chromium).

Usage: python tests/bench/bench_browser.py --db STORE.duckdb [--runs 3]

Starts the dashboard on the given store, opens the hotspot page for CN-LA in Debian's
Chromium, then changes the taxon-group filter and times until the app has finished its rerun
and the map canvas shows different pixels.  Not a test: numbers for the closing note.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
]  # fmt: skip
GROUPS = ["timber", "birds", "reptiles", "mammals"]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _map_hash(page) -> str:
    shot = page.get_by_test_id("stDeckGlJsonChart").first.screenshot()
    return hashlib.sha256(shot).hexdigest()


def _idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )


def main() -> None:
    """Print seconds from a filter change to the redrawn map, per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "SEIZURES_DB": args.db},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/hotspots?pair=CN-LA")
            page.get_by_test_id("stDeckGlJsonChart").first.wait_for(timeout=180_000)
            _idle(page)
            page.wait_for_timeout(3000)
            print(f"first load (cold caches): {time.perf_counter() - started:.1f} s")
            for run, group in zip(range(args.runs), GROUPS, strict=False):
                before = _map_hash(page)
                box = (
                    page.get_by_test_id("stSidebar")
                    .get_by_test_id("stMultiSelect")
                    .filter(has_text="Taxon group")
                )
                box.locator("input").click()
                started = time.perf_counter()
                page.get_by_role("option", name=group).click()
                page.keyboard.press("Escape")
                try:  # the rerun starts (status widget appears), then ends
                    page.wait_for_selector(
                        '[data-testid="stStatusWidget"]', state="attached", timeout=3000
                    )
                except Exception:  # a very fast rerun may finish unseen
                    pass
                _idle(page)
                while _map_hash(page) == before and time.perf_counter() - started < 60:
                    page.wait_for_timeout(100)
                print(
                    f"run {run + 1} (+{group}): map redrawn {time.perf_counter() - started:.2f} s"
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
