"""`etl backfill` and the backfill flow: one daily run per day, each finished day recorded in the
warehouse, so a backfill killed half-way and started again does each day once, and a day the site
no longer serves is reported once. Generated copies of the sample day served on 127.0.0.1, real
Prefect runs, real DuckDB files, and a real `etl backfill` subprocess killed with SIGKILL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from faultserver import FaultServer
from fixture_days import site_with_days

from etl.cli import main
from flows.backfill import backfill, backfill_summary_of

ETL = str(Path(sys.executable).parent / "etl")
DAYS = [dt.date(2025, 9, 5), dt.date(2025, 9, 6), dt.date(2025, 9, 7)]
ARTICLES_PER_DAY = 5  # the sample day's articles, 广告 and 本版责编 entries left out
# A bound on a wait, never on speed: a hung backfill must not hang the suite.
GENEROUS = 300.0


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def three_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_with_days(tmp_path_factory.mktemp("site") / "site", DAYS)


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    for name in ("ETL_DB", "ETL_ARCHIVE", "ETL_RUN_DEADLINE"):
        env.pop(name, None)
    yield env


def _backfill_cmd(db: Path, base_url: str, *extra: str) -> list[str]:
    start, end = DAYS[0].isoformat(), DAYS[-1].isoformat()
    return [ETL, "backfill", "--start", start, "--end", end, "--db", str(db), "--base-url", base_url, *extra]


@pytest.mark.slow
def test_a_backfill_killed_after_its_first_day_resumes_and_does_each_day_once(
    tmp_path: Path, three_days: Path, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    with FaultServer(root=three_days) as site:
        cmd = _backfill_cmd(db, site.base_url, "--delay", "0")
        proc = subprocess.Popen(
            cmd, env=prefect_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        assert proc.stderr is not None
        watchdog = threading.Timer(GENEROUS, proc.kill)
        watchdog.start()
        killed = False
        # The second day's run starts only once the first day is recorded: kill it right there.
        for line in proc.stderr:
            if f"daily-epaper-{DAYS[1]}" in line:
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
                break
        proc.wait(timeout=30)
        watchdog.cancel()
        assert killed, "the backfill ended before its second day began"
        assert _q(db, "SELECT day::VARCHAR, outcome FROM backfill_days") == [(str(DAYS[0]), "loaded")]

        # Started again (in this process: the same command line, without a second interpreter).
        site.clear_requests()
        again = CliRunner().invoke(main, cmd[1:])
        assert again.exit_code == 0, again.output
        assert f"{DAYS[0]} done by an earlier backfill" in again.output
        asked = {r.path for r in site.requests}
        assert not any(f"/{DAYS[0]:%Y%m}/{DAYS[0]:%d}/" in p for p in asked)  # the first day: not again

        # Every day loaded once: one finished daily run per day, its articles each stored once.
        assert _q(db, "SELECT day::VARCHAR, outcome FROM backfill_days ORDER BY day") == [
            (str(d), "loaded") for d in DAYS
        ]
        assert _q(
            db,
            "SELECT scope, count(*) FROM runs WHERE flow = 'daily_epaper' AND status = 'ok' "
            "GROUP BY ALL ORDER BY ALL",
        ) == [(str(d), 1) for d in DAYS]
        first_day_runs = _q(db, f"SELECT count(*) FROM runs WHERE scope = '{DAYS[0]}'")
        assert first_day_runs == [(1,)]
        assert _q(
            db,
            "SELECT published_date::VARCHAR, count(*), count(DISTINCT url) FROM articles "
            "GROUP BY ALL ORDER BY ALL",
        ) == [(str(d), ARTICLES_PER_DAY, ARTICLES_PER_DAY) for d in DAYS]

        # A finished backfill started again does nothing.
        site.clear_requests()
        done = CliRunner().invoke(main, cmd[1:])
        assert done.exit_code == 0, done.output
        assert "0 days loaded, 0 not served, 0 failed, 3 done before" in done.output
        assert not [r for r in site.requests if "/rmrb/" in r.path]


def test_a_day_not_served_is_reported_once_and_never_asked_for_again(
    tmp_path: Path, prefect_harness: None
) -> None:
    served = DAYS[0]
    gone = served - dt.timedelta(days=1)  # the copy has no paper that day: its 版面 01 is a 404
    db = tmp_path / "w.duckdb"
    with FaultServer(root=site_with_days(tmp_path / "site", [served])) as site:
        state = backfill(
            start=str(gone), end=str(served), db=str(db), base_url=site.base_url, delay=0, return_state=True
        )
        assert state.is_completed()
        summary = backfill_summary_of(state)
        assert summary.not_served == [gone] and summary.loaded == [served] and summary.failed == []
        assert _q(db, "SELECT day::VARCHAR, outcome FROM backfill_days ORDER BY day") == [
            (str(gone), "not_served"),
            (str(served), "loaded"),
        ]
        assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]

        site.clear_requests()
        result = CliRunner().invoke(
            main,
            [
                "backfill",
                "--start",
                str(gone),
                "--end",
                str(served),
                "--db",
                str(db),
                "--base-url",
                site.base_url,
                "--delay",
                "0",
            ],
        )
        assert result.exit_code == 0, result.output
        assert f"{gone} done by an earlier backfill" in result.output
        assert site.requests == []

        # --redo asks again, and records the answer again, once.
        redo = CliRunner().invoke(
            main,
            [
                *("backfill", "--start", str(gone), "--end", str(gone), "--redo", "--db", str(db)),
                *("--base-url", site.base_url, "--delay", "0"),
            ],
        )
        assert redo.exit_code == 0, redo.output
        assert f"{gone} not served" in redo.output and "FAILED" not in redo.output
        assert [r.path for r in site.requests if "/layout/" in r.path] == [
            f"/rmrb/pc/layout/{gone:%Y%m}/{gone:%d}/node_01.html"
        ]
        assert _q(db, "SELECT count(*) FROM backfill_days") == [(2,)]


def test_a_failed_day_exits_1_and_is_tried_again(tmp_path: Path, prefect_harness: None) -> None:
    served = DAYS[0]
    site_root = site_with_days(tmp_path / "site", [served])
    article = next(
        (site_root / "rmrb" / "pc" / "content" / f"{served:%Y%m}" / f"{served:%d}").glob("content_*.html")
    )
    hidden = article.with_suffix(".hidden")
    article.rename(hidden)  # one article of the day answers 404
    db = tmp_path / "w.duckdb"
    args = ["backfill", "--start", str(served), "--end", str(served), "--db", str(db), "--delay", "0"]
    with FaultServer(root=site_root) as site:
        failed = CliRunner().invoke(main, [*args, "--base-url", site.base_url])
        assert failed.exit_code == 1, failed.output
        assert f"DAY FAILED {served}" in failed.output
        assert _q(db, "SELECT count(*) FROM backfill_days") == [(0,)]

        hidden.rename(article)
        fixed = CliRunner().invoke(main, [*args, "--base-url", site.base_url])
        assert fixed.exit_code == 0, fixed.output
        assert _q(db, "SELECT outcome FROM backfill_days") == [("loaded",)]


def _article_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the article tables, without when and by which run an article was fetched and
    written."""
    return {
        "articles": _q(db, "SELECT * EXCLUDE (fetched_at, loaded_at, run_id) FROM articles ORDER BY ALL"),
        "images": _q(db, "SELECT * FROM images ORDER BY ALL"),
        "indicators": _q(db, "SELECT * FROM indicators ORDER BY ALL"),
    }


def _flow_run_logs(run_ids: list[str]) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    with get_client(sync_client=True) as client:
        logs = client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[uuid.UUID(r) for r in run_ids]))
        )
    return [log.message for log in logs]


def _task_run_names(run_ids: list[str]) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[uuid.UUID(r) for r in run_ids]))
        )
    return [run.name for run in runs]


@pytest.mark.slow
def test_a_backfill_on_two_dask_workers_loads_the_rows_of_one(
    tmp_path: Path, three_days: Path, prefect_harness: None
) -> None:
    days = [str(DAYS[0]), str(DAYS[1])]
    summaries = {}
    with FaultServer(root=three_days) as site:
        for workers in (1, 2):
            state = backfill(
                start=days[0],
                end=days[1],
                db=str(tmp_path / f"w{workers}.duckdb"),
                base_url=site.base_url,
                delay=0,
                batch_size=2,  # three batches a day: several in flight on the cluster at once
                workers=workers,
                return_state=True,
            )
            assert state.is_completed(), state.message
            summaries[workers] = (backfill_summary_of(state), state.state_details.flow_run_id)
    one, two = _article_rows(tmp_path / "w1.duckdb"), _article_rows(tmp_path / "w2.duckdb")
    assert len(one["articles"]) == 2 * ARTICLES_PER_DAY and len(one["indicators"]) > 0
    assert two == one
    summary, backfill_run = summaries[2]
    assert summary.loaded == [DAYS[0], DAYS[1]]
    daily_runs = [run.run_id for run in summary.runs]
    # Each day's articles were read by tasks on the cluster, which the backfill started once.
    tasks = _task_run_names(daily_runs)
    assert sum(name.startswith("read-articles") for name in tasks) == 2 * 3
    assert not any(name.startswith("fetch-and-process-articles") for name in tasks)
    started = [m for m in _flow_run_logs([str(backfill_run), *daily_runs]) if "local Dask processes" in m]
    assert started == ["pages are parsed and extracted on 2 local Dask processes"]
    params = _q(tmp_path / "w2.duckdb", "SELECT params FROM runs WHERE flow = 'daily_epaper'")
    assert all('"workers": 2' in str(p) for (p,) in params) and len(params) == 2
    # One worker reads in the flow's own process, a task per batch as before.
    assert not any(
        name.startswith("read-articles") for name in _task_run_names([r.run_id for r in summaries[1][0].runs])
    )


def test_workers_and_a_dask_address_together_are_refused_before_anything_runs(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(
        main,
        [
            *("backfill", "--start", str(DAYS[0]), "--end", str(DAYS[0]), "--db", str(db)),
            *("--workers", "2", "--dask-address", "tcp://127.0.0.1:8786"),
        ],
    )
    assert result.exit_code == 2
    assert "bad setting --workers: give either --workers or --dask-address, not both" in result.output
    assert not db.exists()


@pytest.mark.slow
def test_a_day_read_on_an_existing_dask_cluster_loads_the_rows_of_one_process(
    tmp_path: Path, three_days: Path, prefect_harness: None
) -> None:
    """--dask-address: a cluster started apart from the run (its workers given the Prefect API, as
    the README asks of a real one), connected to, used, and left running."""
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL

    from flows.epaper import daily_epaper

    day = str(DAYS[2])
    with FaultServer(root=three_days) as site:
        alone = daily_epaper(
            date=day, db=str(tmp_path / "alone.duckdb"), base_url=site.base_url, delay=0, batch_size=2
        )
        with LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            env={"PREFECT_API_URL": str(PREFECT_API_URL.value())},
        ) as cluster:
            state = daily_epaper(
                date=day,
                db=str(tmp_path / "cluster.duckdb"),
                base_url=site.base_url,
                delay=0,
                batch_size=2,
                dask_address=cluster.scheduler_address,
                return_state=True,
            )
            assert state.is_completed(), state.message
            on_cluster = state.result()
            assert cluster.scheduler_info["workers"]  # still up: the run only connected to it
    assert on_cluster.counts.articles_loaded == alone.counts.articles_loaded == ARTICLES_PER_DAY
    assert _article_rows(tmp_path / "cluster.duckdb") == _article_rows(tmp_path / "alone.duckdb")
    assert sum(name.startswith("read-articles") for name in _task_run_names([on_cluster.run_id])) == 3
    logs = _flow_run_logs([on_cluster.run_id])
    assert f"pages are parsed and extracted on the Dask cluster at {cluster.scheduler_address}" in logs
