"""Limits shared through a Prefect server: runs queue for the warehouse instead of failing, and
requests to one host keep their spacing across processes (flows/concurrency.py)."""

from __future__ import annotations

import http.server
import itertools
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.cli.serve import people_daily_hosts
from etl.fetch import FetchConfig, Fetcher
from etl.fetch.deadline import RunStop
from etl.models import FetchStatus
from flows.concurrency import WAREHOUSE_WRITER, host_limit_name

ETL = str(Path(sys.executable).parent / "etl")
SITE = Path(__file__).parent / "fixtures" / "site"
DAY = "2025-09-03"
PORTAL_ARTICLE = "/n2/2025/0902/c134768-41234567.html"


@pytest.fixture
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.pop("ETL_DB", None)
    yield env


def _delete_limits(*names: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        for name in names:
            with suppress(ObjectNotFound):
                client.delete_global_concurrency_limit_by_name(name)


@contextmanager
def gated_site(gate: threading.Event, arrived: threading.Event) -> Iterator[str]:
    """The sample site on 127.0.0.1; e-paper pages (/rmrb/…) are held until ``gate`` is set."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(SITE), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            if self.path.startswith("/rmrb/"):
                arrived.set()
                gate.wait(120)
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        gate.set()
        server.shutdown()
        server.server_close()


def _wait_for_text(path: Path, text: str, proc: subprocess.Popen[bytes], seconds: float = 180) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if text in path.read_text(encoding="utf-8", errors="replace"):
            return
        assert proc.poll() is None, path.read_text(encoding="utf-8", errors="replace")
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared in {path}")


@pytest.mark.slow
def test_a_run_started_during_another_queues_for_the_warehouse(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    runner = CliRunner()
    setup = runner.invoke(main, ["deploy-setup"])
    assert setup.exit_code == 0, setup.output
    assert f"concurrency limit {WAREHOUSE_WRITER}" in setup.output
    db = str(tmp_path / "queued.duckdb")
    gate, arrived = threading.Event(), threading.Event()
    try:
        with gated_site(gate, arrived) as site:
            # --lock-wait 0: without the shared slot the second run would fail on the file lock (exit 3).
            common = ["--db", db, "--delay", "0", "--lock-wait", "0"]
            epaper_log, ingest_log = tmp_path / "epaper.log", tmp_path / "ingest.log"
            with epaper_log.open("wb") as out:
                epaper = subprocess.Popen(
                    [ETL, "run", "--date", DAY, "--base-url", site, *common],
                    env=prefect_env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            assert arrived.wait(180), epaper_log.read_text()  # the e-paper run holds the warehouse
            with ingest_log.open("wb") as out:
                ingest = subprocess.Popen(
                    [ETL, "ingest", site + PORTAL_ARTICLE, *common],
                    env=prefect_env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            _wait_for_text(ingest_log, f"waiting for the {WAREHOUSE_WRITER!r} slot", ingest)
            assert epaper.poll() is None  # still held at the gate: the ingest is waiting on it
            gate.set()
            assert epaper.wait(300) == 0, epaper_log.read_text()
            assert ingest.wait(300) == 0, ingest_log.read_text()
            for log in (epaper_log, ingest_log):  # each run says which warehouse it writes
                assert f"warehouse {db}" in log.read_text(encoding="utf-8")
    finally:
        _delete_limits(WAREHOUSE_WRITER, *(host_limit_name(h) for h in people_daily_hosts()))

    con = duckdb.connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT run_id, flow, status, started_at, finished_at FROM runs ORDER BY started_at"
        ).fetchall()
    finally:
        con.close()
    assert [(flow, status) for _id, flow, status, _s, _f in rows] == [
        ("daily_epaper", "ok"),
        ("ingest_urls", "ok"),
    ]
    assert rows[1][3] >= rows[0][4]  # the ingest wrote only after the e-paper run had finished

    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        for run_id, *_ in rows:
            state = client.read_flow_run(uuid.UUID(run_id)).state
            assert state is not None and state.is_completed()


FETCH_SCRIPT = """
import sys, time
from pathlib import Path
from etl.fetch import FetchConfig, Fetcher
from flows.concurrency import PrefectHostTurns

base, name, count, delay = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
ready_dir = Path(sys.argv[5])
config = FetchConfig(
    delay=delay, jitter=0.0, allowed_hosts=("127.0.0.1",), respect_robots=False, max_attempts=1
)
with Fetcher(config, shared_turns=PrefectHostTurns()) as fetcher:
    (ready_dir / name).touch()
    while len(list(ready_dir.iterdir())) < 2:  # both processes start fetching together
        time.sleep(0.05)
    for i in range(count):
        result = fetcher.fetch(f"{base}/{name}/{i}.html")
        assert result.status.value == "ok", result
"""


@contextmanager
def recording_server(arrivals: list[tuple[float, str]]) -> Iterator[str]:
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                arrivals.append((time.monotonic(), self.path))
            body = b"<html><body><p>ok</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_one_host_is_asked_at_most_once_per_interval_across_processes(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    delay, count = 1.0, 2
    arrivals: list[tuple[float, str]] = []
    ready = tmp_path / "ready"
    ready.mkdir()
    try:
        with recording_server(arrivals) as base:
            procs = [
                subprocess.Popen(
                    [sys.executable, "-c", FETCH_SCRIPT, base, name, str(count), str(delay), str(ready)],
                    env=prefect_env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                )
                for name in ("a", "b")
            ]
            outputs = [p.communicate(timeout=300)[0].decode(errors="replace") for p in procs]
            assert [p.returncode for p in procs] == [0, 0], outputs
    finally:
        _delete_limits(host_limit_name("127.0.0.1"))

    times = sorted(t for t, _path in arrivals)
    assert len(times) == 2 * count
    assert {path.split("/")[1] for _t, path in arrivals} == {"a", "b"}
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # The limit spaces the turns by the interval on the server's clock; a request reaches our server
    # a few milliseconds after its turn, so allow for that scheduling noise, no more.
    assert min(gaps) >= 0.8 * delay, gaps


class HeldTurns:
    """Shared turns that never come (a busy host on a slow Prefect server)."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.release = threading.Event()

    def take(self, host: str, interval: float) -> None:
        self.asked.set()
        self.release.wait(60)


def test_a_stopped_run_stops_waiting_for_a_shared_turn() -> None:
    turns = HeldTurns()
    stop = RunStop()
    config = FetchConfig(delay=1.0, allowed_hosts=("127.0.0.1",), respect_robots=False)
    fetcher = Fetcher(config, stop=stop, shared_turns=turns)
    threading.Thread(target=lambda: (turns.asked.wait(30), stop.request_stop("SIGTERM")), daemon=True).start()
    try:
        result = fetcher.fetch("http://127.0.0.1:9/never-asked.html")
    finally:
        turns.release.set()
        fetcher.close()
    assert turns.asked.is_set()
    assert result.status is FetchStatus.FAILED and result.error and "SIGTERM" in result.error
    assert result.attempts == 0  # no request was sent


def test_deploy_setup_needs_a_prefect_server() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: None}):
        done = CliRunner().invoke(main, ["deploy-setup"])
    assert done.exit_code == 2
    assert done.stderr.strip().splitlines() == [
        "etl: deploy-setup needs PREFECT_API_URL, the Prefect server the workers use "
        "(e.g. http://127.0.0.1:4200/api)"
    ]


class Collected(logging.Handler):
    """Log records of one logger, wherever Prefect's logging set-up sends them on."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_a_prefect_server_that_is_down_leaves_the_spacing_to_the_process() -> None:
    from prefect.settings import PREFECT_API_URL, PREFECT_CLIENT_MAX_RETRIES, temporary_settings

    from flows.concurrency import PrefectHostTurns

    arrivals: list[tuple[float, str]] = []
    now = [1000.0]
    down = {PREFECT_API_URL: "http://127.0.0.1:9/api", PREFECT_CLIENT_MAX_RETRIES: 0}  # nothing listens
    config = FetchConfig(delay=0.2, jitter=0.0, allowed_hosts=("127.0.0.1",), respect_robots=False)
    with temporary_settings(updates=down), recording_server(arrivals) as base:
        turns = PrefectHostTurns(clock=lambda: now[0])  # takes the settings in force along
        with pytest.raises(Exception):  # noqa: B017 - whatever the client raises for a refused connection
            turns.take("127.0.0.1", 0.2)
        turns.take("127.0.0.1", 0.2)  # paused: returns at once, no second attempt
        now[0] += 301
        collected = Collected()
        logging.getLogger("etl.fetch").addHandler(collected)
        try:
            with Fetcher(config, shared_turns=turns) as fetcher:
                results = [fetcher.fetch(f"{base}/{i}.html") for i in range(2)]
        finally:
            logging.getLogger("etl.fetch").removeHandler(collected)
    assert [r.status for r in results] == [FetchStatus.OK, FetchStatus.OK]
    assert len(arrivals) == 2 and arrivals[1][0] - arrivals[0][0] >= 0.2 * 0.8
    warnings = [m for m in collected.messages if "no shared turn" in m]
    assert len(warnings) == 1 and "within this process only" in warnings[0]  # then paused, not asked again
