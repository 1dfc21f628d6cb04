"""A flow run's Prefect state and the `etl` exit code say how the run's own pages went: a run whose
pages failed, or that found no paper, ends Failed; earlier runs' failures it retried on the side are
reported apart and change neither. Real Prefect runs (the session's test server), the sample site
on 127.0.0.1 and real DuckDB files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb
import pytest
from click.testing import CliRunner
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun, State, StateType

from etl.cli import main
from flows.common import RunSummary, summary_of
from flows.epaper import daily_epaper
from flows.ingest import ingest_urls

pytestmark = pytest.mark.usefixtures("prefect_harness")

DAY = "2025-09-03"
NO_PAPER_DAY = "2025-09-04"  # the sample site has no issue that day: 版面 01 answers 404
PORTAL = "/n2/2025/0902/c134768-41234567.html"


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _flow_run(state: State[Any]) -> FlowRun:
    """The flow run as the Prefect server recorded it."""
    flow_run_id = state.state_details.flow_run_id
    assert isinstance(flow_run_id, UUID)
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id)


def _daily(day: str, db: Path, base_url: str) -> tuple[RunSummary, FlowRun]:
    state = daily_epaper(date=day, db=str(db), base_url=base_url, delay=0, return_state=True)
    return summary_of(state), _flow_run(state)


def test_a_complete_day_ends_completed_and_is_named_after_its_day(tmp_path: Path, site_url: str) -> None:
    summary, run = _daily(DAY, tmp_path / "w.duckdb", site_url)
    assert run.state is not None and run.state.type is StateType.COMPLETED
    assert run.name == f"daily-epaper-{DAY}"
    assert summary.status == "ok" and summary.counts.articles_loaded == 5
    assert _q(tmp_path / "w.duckdb", "SELECT status, scope, failures, retried FROM runs") == [
        ("ok", DAY, 0, 0)
    ]


def test_a_day_whose_pages_all_fail_ends_failed_with_its_summary(tmp_path: Path) -> None:
    # Nothing listens on this port: every 版面 fails to connect (one attempt each).
    os.environ["ETL_MAX_ATTEMPTS"] = "1"
    try:
        summary, run = _daily(DAY, tmp_path / "w.duckdb", "http://127.0.0.1:9")
    finally:
        del os.environ["ETL_MAX_ATTEMPTS"]
    assert run.state is not None and run.state.type is StateType.FAILED
    assert run.state.message == summary.headline()
    assert summary.failures and all(stage == "fetch" for _u, stage, _r in summary.failures)
    assert summary.nothing_to_load is not None and not summary.not_served
    assert _q(tmp_path / "w.duckdb", "SELECT status FROM runs") == [("partial",)]


def test_a_day_without_paper_ends_failed_and_says_it_is_not_served(tmp_path: Path, site_url: str) -> None:
    summary, run = _daily(NO_PAPER_DAY, tmp_path / "w.duckdb", site_url)
    assert run.state is not None and run.state.type is StateType.FAILED
    assert run.name == f"daily-epaper-{NO_PAPER_DAY}"
    assert summary.not_served and summary.nothing_to_load is not None
    assert f"no paper for {NO_PAPER_DAY}" in (run.state.message or "")


def test_an_earlier_days_failure_retried_today_changes_neither_state_nor_exit_code(
    tmp_path: Path, site_url: str
) -> None:
    db = tmp_path / "w.duckdb"
    _daily(NO_PAPER_DAY, db, site_url)  # leaves its 版面 01 (a 404) open, retried by the next runs
    summary, run = _daily(DAY, db, site_url)
    assert run.state is not None and run.state.type is StateType.COMPLETED
    assert summary.failures == []
    [(url, stage, _reason)] = summary.retry_failures
    assert "/202509/04/node_01.html" in url and stage == "fetch"
    assert summary.counters()["retried"] == 1 and summary.counters()["retry_failures"] == 1
    assert "Retried from earlier runs" in summary.as_markdown()
    assert _q(
        db, "SELECT status, failures, retried, retry_failures FROM runs WHERE scope = '2025-09-03'"
    ) == [("ok", 0, 1, 1)]

    # The same through the command line: exit 0, the leftover reported on its own line.
    result = CliRunner().invoke(
        main, ["run", "--date", DAY, "--db", str(db), "--base-url", site_url, "--delay", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "retried from earlier runs: 1 open failures, 1 still failing" in result.output
    assert "STILL FAILING" in result.output and "FAILED " not in result.output


def test_ingest_fails_on_its_named_urls_only_and_is_named_after_them(tmp_path: Path, site_url: str) -> None:
    db = tmp_path / "w.duckdb"
    missing = site_url + "/n1/2025/0903/c1004-99999999.html"
    first = ingest_urls(urls=[missing], db=str(db), delay=0, return_state=True)
    assert first.is_failed() and summary_of(first).failures
    assert _flow_run(first).name.startswith("ingest-1-urls-")

    second = ingest_urls(urls=[site_url + PORTAL], db=str(db), delay=0, return_state=True)
    assert second.is_completed()
    summary = summary_of(second)
    assert summary.failures == [] and [u for u, _s, _r in summary.retry_failures] == [missing]
