"""A run killed with SIGKILL mid-crawl leaves a consistent warehouse, and the next run completes it."""

from __future__ import annotations

import functools
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

DAY = "2025-09-03"
SITE = Path(__file__).parent / "fixtures" / "site"


class _SlowHandler(http.server.SimpleHTTPRequestHandler):
    served: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        if "/content/" in self.path:
            time.sleep(0.4)  # long enough for the kill to land between (or inside) batches
        type(self).served.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def slow_site() -> Iterator[str]:
    _SlowHandler.served = []
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_SlowHandler, directory=str(SITE))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


RUN_FLOW = """
import sys
from flows.epaper import daily_epaper
daily_epaper(date=sys.argv[1], db=sys.argv[2], base_url=sys.argv[3], delay=0, batch_size=1)
"""


def test_kill_minus_nine_then_rerun(tmp_path: Path, slow_site: str, prefect_harness: None) -> None:
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "w.duckdb"
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN_FLOW, DAY, str(db), slow_site],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Kill the moment the second article batch has been processed: its warehouse load is starting.
    assert proc.stderr is not None
    watchdog = threading.Timer(180, proc.kill)  # a hung run must not hang the suite
    watchdog.start()
    processed = 0
    for line in proc.stderr:
        if "fetch-and-process-articles" in line and "Finished in state" in line:
            processed += 1
            if processed == 2:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=30)
    watchdog.cancel()
    if processed < 2:
        pytest.fail("the run ended before it could be killed")

    con = duckdb.connect(str(db), read_only=True)  # opens: the WAL replays or is discarded whole
    try:
        partial = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        # No half-loaded article: nothing hangs off an article that is not there.
        orphans = con.execute(
            "SELECT (SELECT count(*) FROM indicators i ANTI JOIN articles a USING (article_id))"
            " + (SELECT count(*) FROM images i ANTI JOIN articles a USING (article_id))"
        ).fetchall()
    finally:
        con.close()
    assert 1 <= partial < 5  # the first batch is in; the run died around the second batch's load
    assert orphans == [(0,)]

    from flows.common import summary_of
    from flows.epaper import daily_epaper

    summary = summary_of(daily_epaper(date=DAY, db=str(db), base_url=slow_site, delay=0, return_state=True))
    assert summary.failures == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchall() == [(5, 5)]
        assert con.execute("SELECT count(*) FROM images").fetchall() == [(5,)]
        assert con.execute("SELECT status FROM runs ORDER BY started_at").fetchall() == [
            ("aborted",),
            ("ok",),
        ]
    finally:
        con.close()
