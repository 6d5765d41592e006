"""``seizures bench``: how fast a fresh store of sample records imports, serves pages and draws.

The bench writes ``rows`` synthetic records (:mod:`geo.ingest.sample`, as ``seizures sample``)
to a CSV, imports them into an empty store in a child process (so the peak memory is the
import's alone, not the bench's), then times, as medians of ``runs`` after one warm-up, each
page's data work (:data:`geo.report.views.PAGES`) for the unfiltered view and for one country
pair, and in the same run hand-written SQL for every aggregate the page draws (its figures,
tables and map layers) with the same filter.  The ratio page / SQL says how far a page is
from what the database alone needs.  With ``browser=True`` it starts the dashboard on the
bench store and times, in Debian's Chromium, the first map of a fresh page load on a warm
server and the redraw after choosing a country pair in the sidebar.  The targets of issue 7
are in :data:`TARGETS`.

Numbers depend on what else the machine is doing: :func:`machine` records the load average.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo.bench.browser import browser_timings, check_browser
from geo.bench.timing import (
    PAIR,
    BenchError,
    busiest_pairs,
    close_store,
    machine,
    measure_import,
    open_store,
    sample_file,
    time_briefing,
    time_views,
)
from geo.store.query import Query

__all__ = ["PAIR", "TARGETS", "BenchError", "format_report", "run_bench"]

TARGETS = {
    "page_ms": 250.0,
    "page_ratio": 3.0,
    "hotspots_ms": 1_000.0,
    "brief_ms": 15_000.0,
    "browser_first_map_ms": 6_000.0,
    "browser_redraw_ms": 2_000.0,
    "import_rows_per_s": 50_000.0,
    "import_peak_mb": 2_048.0,
}


def _rounded(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    if isinstance(value, float):
        return round(value, 2) if math.isfinite(value) else None
    return value


def run_bench(
    rows: int = 1_000_000,
    db: str | None = None,
    runs: int = 5,
    browser: bool = False,
    pair: str = PAIR,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the whole bench and return its numbers (the ``seizures bench --json`` object).

    Parameters
    ----------
    rows : int
        Sample records to generate and import.
    db : str, optional
        An empty store to use (DuckDB path or ``postgresql://`` URL); it is emptied again
        afterwards (the bench batch undone).  Default: a temporary DuckDB file.
    runs : int
        Runs per median (each after one warm-up).
    browser : bool
        Also time the dashboard in Chromium.
    pair : str
        The country pair of the filtered view.
    log : callable, optional
        Called with a line of progress at each step.

    Returns
    -------
    dict
        ``rows``, ``accepted``, ``db`` (``"duckdb"`` or ``"postgresql"``), ``runs``, ``pair``,
        ``measured_at`` (ISO, local time), ``sample_seconds`` (0 when the CSV was cached),
        ``import_seconds``, ``import_rows_per_s``, ``import_peak_mb``; ``pages``: page name →
        ``{"ms", "sql_ms", "ratio"}`` for the unfiltered view, plus ``"pair"``: the same three
        for ``Query(pair=pair)`` (medians in ms; ratio = page / SQL); ``hotspots_ms``;
        ``map_payload_bytes``: ``{"overview", "hotspots"}``; ``checks``: the overview's seizure
        count from the page and from the SQL per view; with ``browser``,
        ``browser_first_map_ms``, ``browser_redraw_ms`` and ``browser`` (samples, pairs,
        server memory); and ``machine`` (:func:`machine`, the load average at the start, plus
        ``load_average_end``).  Floats are rounded to 0.01; a non-finite one is ``None``.

    Raises
    ------
    BenchError
        When something cannot run: bad arguments, no Chromium for ``browser``, a non-empty
        ``db``, a failed import or dashboard.
    """
    say = log or (lambda message: None)
    if rows < 1 or runs < 1:
        raise BenchError(f"--rows and --runs should be at least 1, got {rows} and {runs}.")
    if browser:
        check_browser()
    try:
        pair = Query(pair=pair).pair or pair
    except ValueError as error:
        raise BenchError(str(error)) from error
    result: dict[str, Any] = {
        "rows": rows,
        "measured_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
    }
    with tempfile.TemporaryDirectory(prefix="seizures-bench-") as folder:
        location = db or str(Path(folder) / "bench.duckdb")
        if db:
            target = open_store(db)
            held = target.count()
            close_store(target)
            if held:
                raise BenchError(
                    f"the bench needs an empty store, but {db} holds {held:,} "
                    f"record{'s' if held != 1 else ''}: "
                    "give a new DuckDB file or an empty PostgreSQL database."
                )
        say(f"writing {rows:,} sample records")
        source, result["sample_seconds"] = sample_file(rows)
        say(f"importing {source.name}")
        imported = measure_import(source, location)
        report = imported["report"]
        try:
            store = open_store(location)
            result.update(
                db="postgresql" if store.dialect.startswith("postgres") else store.dialect,
                accepted=report["accepted"],
                runs=runs,
                pair=pair,
                import_seconds=imported["seconds"],
                import_rows_per_s=imported["rows_per_s"],
                import_peak_mb=imported["peak_mb"],
            )
            say(f"timing pages and SQL, {runs} runs each")
            result.update(time_views(store, runs, pair))
            say(f"timing the {pair} briefing (PDF and PowerPoint)")
            result.update(time_briefing(store, pair, runs))
            pairs = busiest_pairs(store, pair, runs)
            close_store(store)
            if browser:
                say("timing the dashboard in Chromium")
                timings = browser_timings(location, pairs, runs)
                result["browser_first_map_ms"] = timings.pop("first_map_ms")
                result["browser_redraw_ms"] = timings.pop("redraw_ms")
                result["browser"] = timings
        finally:
            if db and report.get("batch_id"):
                say(f"emptying {db} again")
                target = open_store(db)
                target.undo_batch(report["batch_id"])
                close_store(target)
    result["machine"] = result.pop("machine")  # last: the numbers first, then where
    result["machine"]["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
    return _rounded(result)


def _flag(value: float | None, limit: float, above: bool = False) -> str:
    if value is None:
        return " "
    return "!" if (value < limit if above else value > limit) else " "


def format_report(result: dict[str, Any]) -> str:
    """Return the bench's numbers as a readable table (``!`` marks a missed target)."""
    machine_info = result["machine"]
    lines = [
        f"seizures bench: {result['rows']:,} sample records ({result['accepted']:,} accepted), "
        f"{result['db']}, median of {result['runs']} runs, {result['measured_at']}",
        f"machine: {machine_info['cores']} cores, {machine_info['memory_gb']} GB, "
        f"{machine_info['cpu']}; Python {machine_info['python']}, DuckDB {machine_info['duckdb']}; "
        f"load average {machine_info['load_average'][0]} at start, "
        f"{machine_info['load_average_end'][0]} at end",
        f"import: {result['import_rows_per_s']:,.0f} rows/s"
        f"{_flag(result['import_rows_per_s'], TARGETS['import_rows_per_s'], above=True)} "
        f"({result['import_seconds']:.1f} s, start-up included), "
        f"peak {result['import_peak_mb']:,.0f} MB"
        f"{_flag(result['import_peak_mb'], TARGETS['import_peak_mb'])}",
        "",
        f"{'page':<10} {'unfiltered ms':>14} {'SQL ms':>9} {'ratio':>7}   "
        f"{result['pair'] + ' ms':>13} {'SQL ms':>9} {'ratio':>7}",
    ]
    for name, timing in result["pages"].items():
        cells = []
        for numbers in (timing, timing["pair"]):
            cells.append(
                f"{numbers['ms']:>13,.1f}{_flag(numbers['ms'], TARGETS['page_ms'])}"
                f"{numbers['sql_ms']:>9,.1f} {numbers['ratio']:>6.1f}"
                f"{_flag(numbers['ratio'], TARGETS['page_ratio'])}"
            )
        lines.append(f"{name:<10} {cells[0]}   {cells[1]}")
    payload = result["map_payload_bytes"]
    lines += [
        "",
        f"hot spots for {result['pair']}: {result['hotspots_ms']:,.1f} ms"
        f"{_flag(result['hotspots_ms'], TARGETS['hotspots_ms'])}",
        f"briefing for {result['pair']} ({result['brief_records']:,} records, en+zh): PDF "
        f"{result['brief_ms'] / 1000:.1f} s{_flag(result['brief_ms'], TARGETS['brief_ms'])}, "
        f"PowerPoint {result['brief_pptx_ms'] / 1000:.1f} s",
        "map payload (unfiltered): "
        + ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in payload.items()),
    ]
    if "browser_first_map_ms" in result:
        extra = result["browser"]
        lines.append(
            f"browser: first map {result['browser_first_map_ms'] / 1000:.2f} s"
            f"{_flag(result['browser_first_map_ms'], TARGETS['browser_first_map_ms'])}, "
            f"redraw after a pair change {result['browser_redraw_ms'] / 1000:.2f} s"
            f"{_flag(result['browser_redraw_ms'], TARGETS['browser_redraw_ms'])}; "
            f"dashboard server {extra['server_rss_mb']:,.0f} MB resident "
            f"(peak {extra['server_peak_mb']:,.0f} MB)"
        )
    lines.append(
        "targets: pages <= 250 ms and <= 3x SQL, hot spots <= 1 s, import >= 50,000 rows/s "
        "in < 2 GB, briefing <= 15 s, first map <= 6 s, redraw <= 2 s; ! marks a miss"
    )
    return "\n".join(lines)
