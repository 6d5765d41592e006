"""`seizures bench`: the JSON's shape, finite numbers, and page and SQL agreeing on counts."""

import contextlib
import datetime as dt
import io
import json
import math

import pandas as pd
import pytest

from geo import bench
from geo.bench import browser as bench_browser
from geo.bench import timing as bench_timing
from geo.cli import main
from geo.report.views import PAGES
from geo.store.query import Query
from geo.store.store import Store
from geo.store.tables import seizures

ROWS = 2_000


@pytest.fixture(scope="module")
def result():
    """One small bench run (2,000 records, one run per median), as its --json object."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["bench", "--rows", str(ROWS), "--runs", "1", "--json"])
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def _numbers(value, path="result"):
    """Yield (path, number) for every number in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, f"{path}[{index}]")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def test_json_shape(result):
    for key in (
        "rows", "accepted", "import_rows_per_s", "import_peak_mb", "hotspots_ms", "brief_ms",
        "brief_pptx_ms", "brief_records",
    ):  # fmt: skip
        assert key in result, key
    assert result["rows"] == ROWS
    assert result["db"] == "duckdb"
    assert result["pair"] == "CN-LA"
    assert set(result["pages"]) == set(PAGES)
    for name, timing in result["pages"].items():
        assert set(timing) == {"ms", "sql_ms", "ratio", "pair"}, name
        assert set(timing["pair"]) == {"ms", "sql_ms", "ratio"}, name
    assert set(result["map_payload_bytes"]) == {"overview", "hotspots"}
    assert {"cores", "memory_gb", "cpu", "python", "duckdb"} <= set(result["machine"])
    assert dt.datetime.fromisoformat(result["measured_at"])
    assert "browser_first_map_ms" not in result


def test_every_number_is_positive_and_finite(result):
    skipped = {"result.sample_seconds", "result.machine.load_average"}  # 0 when cached or idle
    numbers = [(p, v) for p, v in _numbers(result) if not p.startswith(tuple(skipped))]
    assert len(numbers) > 30
    bad = [(p, v) for p, v in numbers if not (math.isfinite(v) and v > 0)]
    assert not bad
    for timing in result["pages"].values():
        for numbers_ in (timing, timing["pair"]):
            assert numbers_["ratio"] == pytest.approx(
                numbers_["ms"] / numbers_["sql_ms"], rel=0.05, abs=0.02
            )


def test_page_and_sql_count_the_same_seizures(result):
    everything, pair = result["checks"]["unfiltered"], result["checks"]["pair"]
    assert everything["page_seizures"] == everything["sql_seizures"] == result["accepted"]
    assert pair["page_seizures"] == pair["sql_seizures"]
    assert 0 < pair["sql_seizures"] < result["accepted"]


def test_report_table_names_every_page(result):
    text = bench.format_report(result)
    for name in PAGES:
        assert f"\n{name} " in text
    assert "CN-LA ms" in text and "cores" in text


@pytest.mark.parametrize(
    ("query", "where", "params"),
    [
        (Query(), "WHERE TRUE", {}),
        (
            Query(pair="LA-CN", border_km=20),
            "border_pair = :pair AND border_distance_km <= :border_km",
            {"pair": "CN-LA", "border_km": 20},
        ),
        (
            Query(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31)),
            "seizure_date >= :date_from AND seizure_date <= :date_to",
            {"date_from": dt.date(2020, 1, 1), "date_to": dt.date(2020, 12, 31)},
        ),
    ],
)
def test_page_sql_filters_as_the_store_does(query, where, params):
    [(sql, bound)] = bench_timing.page_sql("trends", query)
    assert where in sql
    assert bound == params


def test_page_sql_covers_every_aggregate_a_page_draws():
    # the overview draws figures, the newest rows, the map's extent and its hexagons
    statements = bench_timing.page_sql("overview", Query(pair="CN-LA"))
    assert len(statements) == 4
    assert "LIMIT 15" in statements[1][0] and "h3_r6" in statements[3][0]
    assert "h3_r3" in bench_timing.page_sql("overview", Query())[3][0]
    # the species matrix compares every pair, whatever pair the page is filtered to
    matrix, _ = bench_timing.page_sql("species", Query(pair="CN-LA"))[0]
    assert "border_pair = :pair" not in matrix


def test_page_sql_refuses_filters_it_does_not_write():
    with pytest.raises(ValueError, match="dates and pair only"):
        bench_timing.page_sql("overview", Query(taxon_groups=("birds",)))
    with pytest.raises(ValueError, match="page should be one of"):
        bench_timing.page_sql("nowhere", Query())


def test_a_store_with_records_is_refused(tmp_path, capsys):
    path = tmp_path / "full.duckdb"
    store = Store(str(path))
    with store.transaction() as connection:
        store.insert_frame(
            connection, seizures, pd.DataFrame({"record_id": ["R1"], "content_hash": [1]})
        )
    store.engine.dispose()
    assert main(["bench", "--rows", "10", "--db", str(path)]) == 2
    message = capsys.readouterr().err.strip().splitlines()[-1]
    assert "needs an empty store" in message and "holds 1 record:" in message


def test_browser_without_chromium_stops_before_any_work(monkeypatch, capsys):
    monkeypatch.setattr(bench_browser, "CHROMIUM", "/nowhere/chromium")
    monkeypatch.setattr(bench, "sample_file", lambda *a: pytest.fail("should not generate"))
    assert main(["bench", "--rows", "10", "--browser"]) == 2
    assert "needs Debian's Chromium" in capsys.readouterr().err
