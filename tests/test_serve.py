"""`etl serve`: the deployments, served by one process against a Prefect server, run when asked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ETL = str(Path(sys.executable).parent / "etl")


@pytest.mark.slow
def test_etl_serve_registers_the_schedules_and_runs_a_deployment(
    tmp_path: Path, prefect_harness: None
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "served.duckdb"
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",  # pick the run up at once
        "ETL_DB": str(db),
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([ETL, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path)
    deployments = []
    try:
        with get_client(sync_client=True) as client:
            end = time.monotonic() + 180
            for name in ("ingest_urls/ingest-urls", "daily_epaper/daily-epaper", "portal_news/portal-news"):
                while True:  # serve registers them one by one, then starts polling for runs
                    try:
                        deployments.append(client.read_deployment_by_name(name))
                        break
                    except ObjectNotFound:
                        assert server.poll() is None and time.monotonic() < end, log.read_text()
                        time.sleep(0.5)
            schedules = {
                d.name: sorted((s.schedule.cron, s.schedule.timezone) for s in d.schedules)  # type: ignore[union-attr]
                for d in deployments
            }
            assert schedules == {
                "ingest-urls": [],
                "daily-epaper": [("30 10 * * *", "Asia/Shanghai"), ("30 7 * * *", "Asia/Shanghai")],
                "portal-news": [("15 * * * *", "Asia/Shanghai")],
            }

        run = run_deployment("ingest_urls/ingest-urls", parameters={"urls": []}, timeout=240)
        assert run.state is not None and run.state.is_completed(), log.read_text()
        assert run.empirical_policy.retries == 1  # the scheduled flow, with its retry
        assert "warehouse: " + str(db) in log.read_text()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
        with get_client(sync_client=True) as client:
            for deployment in deployments:
                client.delete_deployment(deployment.id)

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT flow, status FROM runs").fetchall() == [("ingest_urls", "ok")]
    finally:
        con.close()
