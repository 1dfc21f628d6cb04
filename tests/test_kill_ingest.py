"""An `etl ingest` killed with SIGKILL leaves the URLs it had not reached as pending failures, and
the next `etl ingest`, given no URLs, loads exactly those."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from faultserver import Fault, FaultServer, FaultSpec

from etl.config import RUN_DEFAULTS

SITE = Path(__file__).parent / "fixtures" / "site"
ETL = str(Path(sys.executable).parent / "etl")
# One real single-page portal article (GBK bytes), served under 30 article URLs.
TEMPLATE = SITE / "n2" / "2025" / "0902" / "c134768-41234567.html"
PATHS = [f"/n2/2025/0902/c134768-{41250000 + n}.html" for n in range(RUN_DEFAULTS.batch_size + 10)]


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.pop("ETL_DB", None)
    yield env


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_killed_ingest_leaves_the_rest_pending_and_the_next_ingest_completes_it(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    with FaultServer() as site:
        body = TEMPLATE.read_bytes()
        for path in PATHS[: RUN_DEFAULTS.batch_size]:
            site.route(path, FaultSpec(body=body))
        for path in PATHS[RUN_DEFAULTS.batch_size :]:
            # Slow enough that the kill lands while the second batch is being fetched.
            site.route(path, FaultSpec(body=body, persistent_fault=Fault.hang(0.6)))
        urls = [site.url(p) for p in PATHS]

        proc = subprocess.Popen(
            [ETL, "ingest", *urls, "--db", str(db), "--delay", "0"],
            env=prefect_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        watchdog = threading.Timer(240, proc.kill)  # a hung run must not hang the suite
        watchdog.start()
        killed = False
        for line in proc.stderr:
            if "load-batch" in line and "Finished in state Completed" in line:
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
                break
        proc.wait(timeout=30)
        watchdog.cancel()
        assert killed, "the run ended before its first batch was loaded"

        first_batch, rest = urls[: RUN_DEFAULTS.batch_size], urls[RUN_DEFAULTS.batch_size :]
        assert _q(db, "SELECT url FROM articles ORDER BY url") == [(u,) for u in sorted(first_batch)]
        listed = subprocess.run(
            [ETL, "failures", "--db", str(db)], env=prefect_env, capture_output=True, text=True, timeout=120
        )
        assert listed.returncode == 0, listed.stderr
        lines = listed.stdout.splitlines()[2:]  # after the header row and the line explaining it
        assert len(lines) == len(rest)
        for url in rest:
            (line,) = [x for x in lines if f" {url} " in x]
            assert " pending " in line and "not reached yet" in line, line

        site.clear_faults()  # the next ingest's point is what it fetches, not how slowly
        site.clear_requests()
        again = subprocess.run(
            [ETL, "ingest", "--db", str(db), "--delay", "0"],
            env=prefect_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert again.returncode == 0, again.stderr
        assert "10 articles loaded, 0 unchanged" in again.stdout
        fetched = {r.path for r in site.requests if r.path != "/robots.txt"}
        assert fetched == set(PATHS[RUN_DEFAULTS.batch_size :])  # the rest, and nothing loaded before
        assert _q(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(len(urls), len(urls))]
        assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]

        done = subprocess.run(
            [ETL, "ingest", "--db", str(db)], env=prefect_env, capture_output=True, text=True, timeout=120
        )
        assert (done.returncode, done.stdout.strip()) == (0, "nothing to ingest")
