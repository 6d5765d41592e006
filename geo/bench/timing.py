"""The bench's server-side measurements: the machine, the sample, the import, pages vs SQL.

Each page's data work (:data:`geo.report.views.PAGES`) is timed against hand-written SQL
for every aggregate the page draws (its figures, tables and map layers), with the same
filter, alternately, so that both see the same noise; the ratio page / SQL says how far a
page is from what the database alone needs.  The import runs in a child process, so its
peak memory is its own.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydeck as pdk

from geo.ingest import sample
from geo.paths import DATA_DIR, SAMPLE_FILE
from geo.report import maps, views
from geo.store.query import Query
from geo.store.store import Store, StoreError

__all__ = [
    "PAIR",
    "BenchError",
    "busiest_pairs",
    "child_env",
    "close_store",
    "machine",
    "measure_import",
    "median_ms",
    "open_store",
    "page_sql",
    "sample_file",
    "time_briefing",
    "time_views",
]

ROOT = Path(__file__).resolve().parents[2]
PAIR = "CN-LA"
SEED = 7


class BenchError(RuntimeError):
    """The bench cannot run (one sentence for the user)."""


# Per page, hand-written SQL for every aggregate the page draws (the figures, tables and map
# layers it shows), as one would write them without this project's code.  ``{where}`` is the
# filter, written by hand as the store writes it (:func:`_where`); ``{cell}`` the H3 column
# the page's map counts in (resolution 3 for the world view, 6 for a pair's border).
_PAGE_SQL = {
    "overview": (
        # key figures: count, distinct taxa, quantity per unit, per taxon group, countries
        """SELECT 'total' AS part, NULL AS item, count(*) AS seizures,
                  CAST(count(DISTINCT taxon) AS FLOAT8) AS amount
             FROM seizures WHERE {where}
           UNION ALL
           SELECT 'unit', unit, count(*), sum(quantity)
             FROM seizures WHERE {where} AND unit IS NOT NULL AND quantity IS NOT NULL
            GROUP BY unit
           UNION ALL
           SELECT 'taxon_group', taxon_group, count(*), NULL
             FROM seizures WHERE {where} GROUP BY taxon_group
           UNION ALL
           SELECT 'country', country, NULL, NULL FROM (
             SELECT seizing_country AS country FROM seizures WHERE {where}
             UNION SELECT export_country FROM seizures WHERE {where}
             UNION SELECT destination_country FROM seizures WHERE {where}
             UNION SELECT origin_countries FROM seizures WHERE {where}
             UNION SELECT transit_countries FROM seizures WHERE {where}) AS named""",
        # the newest seizures
        """SELECT record_id, date_precision, seizure_date, seizing_country, location_name,
                  taxon, commodity, quantity, unit
             FROM seizures WHERE {where} ORDER BY seizure_date DESC, record_id LIMIT 15""",
        # the map: its extent, then hexagon counts with their taxa
        """SELECT count(*), count(lat + lon), min(lon), min(lat), max(lon), max(lat)
             FROM seizures WHERE {where}""",
        """SELECT {cell} AS cell, taxon, count(*) AS seizures
             FROM seizures
            WHERE {where} AND {cell} IS NOT NULL
              AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180
            GROUP BY 1, 2""",
    ),
    "trends": (
        """SELECT CAST(date_trunc('month', seizure_date) AS DATE) AS month, date_precision,
                  unit, count(*) AS seizures, sum(quantity) AS quantity
             FROM seizures WHERE {where} GROUP BY 1, 2, 3""",
    ),
    "species": (
        # taxa x border pair (every pair, near a border)
        """SELECT taxon, border_pair, count(*) AS seizures
             FROM seizures
            WHERE {where_no_pair} AND border_pair IS NOT NULL
              AND border_distance_km <= :border_km
            GROUP BY taxon, border_pair""",
        # top taxa with group, appendix and quantity per unit
        """SELECT taxon, taxon_group, cites_appendix, unit, count(*) AS seizures,
                  sum(quantity) AS quantity
             FROM seizures WHERE {where} GROUP BY 1, 2, 3, 4""",
        # China's profile: the trade chains of the records naming CN in any role, per taxon
        """SELECT origin_countries, export_country, transit_countries, destination_country,
                  seizing_country, taxon, count(*) AS seizures
             FROM seizures
            WHERE {where} AND (seizing_country = 'CN' OR export_country = 'CN'
                  OR destination_country = 'CN'
                  OR ';' || coalesce(origin_countries, '') || ';' LIKE '%;CN;%'
                  OR ';' || coalesce(transit_countries, '') || ';' LIKE '%;CN;%')
            GROUP BY 1, 2, 3, 4, 5, 6""",
    ),
    "routes": (
        """SELECT origin_countries, export_country, transit_countries, destination_country,
                  seizing_country, count(*) AS seizures
             FROM seizures WHERE {where} GROUP BY 1, 2, 3, 4, 5""",
    ),
    "hotspots": (
        """SELECT count(*), count(lat + lon), min(lon), min(lat), max(lon), max(lat)
             FROM seizures WHERE {where}""",
        # hexagon counts (Gi* runs on them) with taxa and quantities for the tooltips;
        # records placed at a country's centre are not hot-spot evidence
        """SELECT h3_r6 AS cell, taxon, unit, count(*) AS seizures, sum(quantity) AS quantity
             FROM seizures
            WHERE {where} AND h3_r6 IS NOT NULL
              AND (coord_precision IS NULL
                   OR coord_precision NOT IN ('country', 'none'))
            GROUP BY 1, 2, 3""",
    ),
}
_UNSUPPORTED = (
    "taxon_groups", "taxa", "countries", "commodities", "transport_modes", "location_types",
)  # fmt: skip


def _where(query: Query) -> tuple[str, dict[str, Any]]:
    conditions, params = [], {"border_km": query.border_km}
    if query.date_from:
        conditions.append("seizure_date >= :date_from")
        params["date_from"] = query.date_from
    if query.date_to:
        conditions.append("seizure_date <= :date_to")
        params["date_to"] = query.date_to
    if query.pair:
        conditions += ["border_pair = :pair", "border_distance_km <= :border_km"]
        params["pair"] = query.pair
    unsupported = [name for name in _UNSUPPORTED if getattr(query, name)]
    if unsupported:
        raise ValueError(f"the bench's SQL filters by dates and pair only, got {unsupported}")
    return " AND ".join(conditions) or "TRUE", params


def page_sql(page: str, query: Query) -> list[tuple[str, dict[str, Any]]]:
    """Return hand-written SQL for every aggregate a page draws, with parameters.

    Parameters
    ----------
    page : str
        A name in :data:`geo.report.views.PAGES`.
    query : Query
        The filter; only its dates, pair and ``border_km`` are supported (what the bench uses).

    Returns
    -------
    list of tuple
        ``(sql, params)`` per statement, for :meth:`geo.store.store.Store.run_sql`, valid on
        DuckDB and PostgreSQL.  The first statement computes the page's headline figure.

    Raises
    ------
    ValueError
        For an unknown page, or a query filtering by anything but dates and pair.
    """
    if page not in _PAGE_SQL:
        raise ValueError(f"page should be one of {sorted(_PAGE_SQL)}, got {page!r}")
    where, params = _where(query)
    where_no_pair, _ = _where(query.with_changes(pair=None))
    cell = "h3_r6" if query.pair else "h3_r3"
    statements = []
    for template in _PAGE_SQL[page]:
        sql = template.format(where=where, where_no_pair=where_no_pair, cell=cell)
        used = {name: value for name, value in params.items() if f":{name}" in sql}
        statements.append((sql, used))
    return statements


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """Return what the numbers were measured on: cores, memory, CPU, versions, load average."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory_gb = float("nan")
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": _version("duckdb"),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def sample_file(rows: int, seed: int = SEED) -> tuple[Path, float]:
    """Return a CSV of ``rows`` sample records and the seconds it took to write (0 if cached).

    The file is kept in the temp folder, named after the rows, the seed and the generator's
    source and data, so a second bench of the same size skips the minutes a million records
    take.
    """
    digest = hashlib.sha256(Path(sample.__file__).read_bytes())
    for part in sorted((DATA_DIR / "sample").glob("*")):
        if part.is_file() and part != SAMPLE_FILE:  # the generator's streams and tables
            digest.update(part.name.encode() + part.read_bytes())
    generator = digest.hexdigest()[:10]
    path = Path(tempfile.gettempdir()) / f"seizures_bench_{rows}_{seed}_{generator}.csv"
    if path.exists():
        return path, 0.0
    partial = path.with_name(f"{path.stem}_{os.getpid()}_partial.csv")
    started = time.perf_counter()
    sample.write_sample(partial, rows=rows, seed=seed)
    os.replace(partial, path)
    return path, time.perf_counter() - started


# Runs in a child: the `seizures import` command, then its own peak resident memory.
_IMPORT_CHILD = """
import json, resource, sys
from geo.cli import main
code = main(["import", sys.argv[1], "--db", sys.argv[2], "--json"])
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
sys.exit(code)
"""


def child_env(**extra: str) -> dict[str, str]:
    """Return this process's environment for a child that imports ``geo`` (plus ``extra``)."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def measure_import(source: Path, location: str) -> dict[str, Any]:
    """Import a file with ``seizures import`` in a child process; return speed and peak memory.

    Parameters
    ----------
    source : pathlib.Path
        The CSV to import.
    location : str
        The store (DuckDB path or PostgreSQL URL).

    Returns
    -------
    dict
        ``seconds`` (the child's wall time, start-up included, as a user sees it),
        ``rows_per_s``, ``peak_mb`` (the child's peak resident memory) and the import report
        (``rows_read``, ``accepted``, ``batch_id``...) under ``report``.
    """
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHILD, str(source), location],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    if child.returncode != 0 or len(lines) < 2 or "rows_read" not in lines[0]:
        detail = (child.stderr.strip().splitlines() or ["no message"])[-1]
        raise BenchError(f"the import of the sample records failed: {detail}")
    report, peak = lines[0], lines[-1]
    return {
        "seconds": seconds,
        "rows_per_s": report["rows_read"] / seconds,
        "peak_mb": peak["peak_kb"] / 1024,
        "report": report,
    }


def median_ms(samples: list[float]) -> float:
    """Return the median of durations in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def _versus(page: Callable[[], Any], sql: Callable[[], Any], runs: int) -> tuple[dict, Any, Any]:
    """Time a page and its SQL alternately (so both see the same noise); return medians."""
    page_result, frame = page(), sql()  # warm-up: reference tables, indexes, the OS cache
    page_s, sql_s = [], []
    for _ in range(runs):
        started = time.perf_counter()
        page_result = page()
        page_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        frame = sql()
        sql_s.append(time.perf_counter() - started)
    page_ms, sql_ms = median_ms(page_s), median_ms(sql_s)
    timing = {"ms": page_ms, "sql_ms": sql_ms, "ratio": page_ms / max(sql_ms, 1e-3)}
    return timing, page_result, frame


def _deck(result: Any, page: str) -> pdk.Deck:
    if isinstance(result, pdk.Deck):
        return result
    if isinstance(result, dict):
        candidates = [result.get("map"), *result.values()]
        for value in candidates:
            if isinstance(value, pdk.Deck):
                return value
    raise BenchError(f"the {page} page returned no map deck to measure.")


def _overview_seizures(result: Any) -> int | None:
    try:
        return int(result["figures"]["seizures"])
    except (KeyError, TypeError, ValueError):
        return None


def time_views(store: Store, runs: int = 5, pair: str = PAIR) -> dict[str, Any]:
    """Time each page's data work and its hand-written SQL, unfiltered and for ``pair``.

    Parameters
    ----------
    store : Store
        A store holding records.
    runs : int
        Runs per median, after one warm-up.
    pair : str
        The country pair of the filtered view.

    Returns
    -------
    dict
        ``pages`` (name → ``{"ms", "sql_ms", "ratio", "pair": {"ms", "sql_ms", "ratio"}}``),
        ``hotspots_ms`` (:func:`geo.report.views.hotspot_ranking` for the pair),
        ``map_payload_bytes`` (``{"overview", "hotspots"}``, unfiltered) and ``checks``: the
        overview's seizure count from the page and from the SQL, for both views.
    """
    pages: dict[str, dict[str, Any]] = {}
    checks: dict[str, dict[str, int | None]] = {}
    payload: dict[str, int] = {}
    for label, query in (("unfiltered", Query()), ("pair", Query(pair=pair))):
        for name, function in views.PAGES.items():
            statements = page_sql(name, query)
            timing, result, frames = _versus(
                lambda f=function, q=query: f(store, q),
                lambda s=statements: [store.run_sql(sql, p) for sql, p in s],
                runs,
            )
            frame = frames[0]
            if label == "unfiltered":
                pages[name] = timing
                if name in ("overview", "hotspots"):
                    payload[name] = maps.deck_payload_bytes(_deck(result, name))
            else:
                pages[name]["pair"] = timing
            if name == "overview":
                total = frame.loc[frame["part"] == "total", "seizures"]
                checks[label] = {
                    "page_seizures": _overview_seizures(result),
                    "sql_seizures": int(total.iloc[0]) if len(total) else None,
                }
    ranking = Query(pair=pair)
    views.hotspot_ranking(store, ranking)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        views.hotspot_ranking(store, ranking)
        samples.append(time.perf_counter() - started)
    return {
        "pages": pages,
        "hotspots_ms": median_ms(samples),
        "map_payload_bytes": payload,
        "checks": checks,
    }


def open_store(location: str) -> Store:
    """Open a store, turning a :class:`StoreError` into a :class:`BenchError`."""
    try:
        return Store(location)
    except StoreError as error:
        raise BenchError(str(error)) from error


def close_store(store: Store) -> None:
    """Let go of the store, so that a child process (the dashboard) may open a DuckDB file."""
    close = getattr(store, "close", None)
    if callable(close):
        close()
    else:
        store.engine.dispose()


def busiest_pairs(store: Store, first: str, count: int) -> list[str]:
    """Return ``count`` border pairs, ``first`` (if stored) then the most frequent others."""
    frame = store.run_sql(
        "SELECT border_pair, count(*) AS n FROM seizures WHERE border_pair IS NOT NULL "
        "GROUP BY border_pair ORDER BY n DESC, border_pair LIMIT :count",
        {"count": count + 1},
    )
    found = [str(pair) for pair in frame["border_pair"]]
    return ([first] if first in found else []) + [p for p in found if p != first][: count - 1]


def time_briefing(store, pair: str, runs: int) -> dict[str, Any]:
    """Time the bilingual briefing (en, zh) of a pair over the store's whole period.

    Returns ``brief_ms`` (PDF: gathering, pictures, typesetting; the median of the runs
    after one warm-up), ``brief_pptx_ms`` (the same as PowerPoint) and ``brief_records``.
    """
    from geo.report.brief import briefing_file
    from geo.store import aggregates

    bounds = aggregates.filter_options(store)
    query = Query(pair=pair, date_from=bounds["first"], date_to=bounds["last"])
    result: dict[str, Any] = {}
    for file_format, name in (("pdf", "brief_ms"), ("pptx", "brief_pptx_ms")):
        _, briefing = briefing_file(store, query, "en,zh", file_format)
        samples = []
        for _ in range(max(1, min(runs, 3))):
            started = time.perf_counter()
            briefing_file(store, query, "en,zh", file_format)
            samples.append(time.perf_counter() - started)
        result[name] = median_ms(samples)
        result["brief_records"] = briefing.records
    return result
