"""The `etl` command as data engineers and other tools call it: real subprocesses, real exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

DAY = "2025-09-03"
ETL = str(Path(sys.executable).parent / "etl")


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.pop("ETL_DB", None)
    yield env


def _etl(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ETL, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)


def test_run_then_ingest_with_a_bad_url(tmp_path: Path, site_url: str, prefect_env: dict[str, str]) -> None:
    db = str(tmp_path / "cli.duckdb")
    ok = _etl(prefect_env, "run", "--date", DAY, "--db", db, "--base-url", site_url, "--delay", "0")
    assert ok.returncode == 0, ok.stderr
    assert "5 articles loaded" in ok.stdout

    missing = site_url + "/n1/2025/0903/c1004-1.html"
    env = {**prefect_env, "ETL_DB": db}  # --db falls back to $ETL_DB
    partial = _etl(env, "ingest", missing, site_url + "/n2/2025/0902/c134768-41234567.html", "--delay", "0")
    assert partial.returncode == 1
    failed_lines = [line for line in partial.stderr.splitlines() if line.startswith("FAILED")]
    assert failed_lines == [f"FAILED {missing} [fetch] HTTP 404"]
    con = duckdb.connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(6,)]
    finally:
        con.close()

    listed = _etl(env, "failures")
    assert listed.returncode == 0
    assert missing in listed.stdout and "fetch" in listed.stdout


def test_usage_errors_exit_2(prefect_env: dict[str, str]) -> None:
    assert _etl(prefect_env, "ingest", "not-a-url").returncode == 2
    assert _etl(prefect_env, "run", "--date", "2025-13-01").returncode == 2


def test_failures_on_an_empty_warehouse(tmp_path: Path, prefect_env: dict[str, str]) -> None:
    out = _etl(prefect_env, "failures", "--db", str(tmp_path / "none.duckdb"))
    assert out.returncode == 0 and out.stdout.strip() == "no open failures"


def test_extract_text_prints_a_table(prefect_env: dict[str, str]) -> None:
    text = "2024年，上海港集装箱吞吐量5150.6万标箱，连续15年排名世界第一。\n"
    out = _etl(prefect_env, "extract-text", "-", "--published", "2025-09-03", stdin=text)
    assert out.returncode == 0, out.stderr
    assert "5150.6万标箱" in out.stdout and "集装箱吞吐量" in out.stdout
    assert "51506000" in out.stdout.replace(",", "")


def test_extract_text_documents_and_prints_what_kind_of_figure(prefect_env: dict[str, str]) -> None:
    usage = _etl(prefect_env, "extract-text", "--help")
    assert all(field in usage.stdout for field in ("measure", "basis", "province", "negative for a decrease"))
    text = "2024年，杭州市社会消费品零售总额同比下降2.1%。\n"
    out = _etl(prefect_env, "extract-text", "-", "--published", "2025-01-20", stdin=text)
    header, _, row = out.stdout.splitlines()[:3]
    assert header.split()[4:9] == ["measure", "basis", "period", "region", "province"]
    expected = ["-2.1", "%", "exact", "社会消费品零售总额", "growth", "yoy", "2024", "杭州", "浙江"]
    assert row.split()[:9] == expected


def test_a_second_run_on_a_busy_warehouse_exits_3(
    tmp_path: Path, site_url: str, prefect_env: dict[str, str]
) -> None:
    from etl.load import run_lock

    db = str(tmp_path / "busy.duckdb")
    with run_lock(db):
        out = _etl(prefect_env, "run", "--date", DAY, "--db", db, "--base-url", site_url, "--lock-wait", "0")
    assert out.returncode == 3
    assert "another run holds" in out.stderr
