"""What an operator sees of `etl`: exit statuses with one line saying why, bad ETL_* settings refused
before a run row exists, `--version`, `--json`, and a progress bar on a terminal only. Real
subprocesses, real DuckDB files, the session's Prefect test server, a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

DAY = "2025-09-03"
ETL = str(Path(sys.executable).parent / "etl")
MIGRATIONS = Path(__file__).resolve().parents[1] / "warehouse" / "migrations"


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {k: v for k, v in os.environ.items() if not k.startswith("ETL_")}
    env["PREFECT_API_URL"] = str(PREFECT_API_URL.value())
    yield env


@pytest.fixture
def plain_env() -> dict[str, str]:
    """For commands that end before Prefect is needed."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("ETL_", "PREFECT_API_URL"))}


def _etl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ETL, *args], env=env, capture_output=True, text=True, timeout=300)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _one_line(out: subprocess.CompletedProcess[str], code: int) -> str:
    assert out.returncode == code, (out.returncode, out.stderr[-3000:])
    assert "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("etl: "), out.stderr[-3000:]
    return lines[0]


def _runs(db: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT run_id, status FROM runs ORDER BY started_at").fetchall()
    finally:
        con.close()


# -- exit 4: the Prefect API ------------------------------------------------------------------------


@pytest.mark.slow
def test_an_unreachable_prefect_api_exits_4_before_anything_is_written(
    tmp_path: Path, plain_env: dict[str, str]
) -> None:
    api = f"http://127.0.0.1:{_closed_port()}/api"
    env = {**plain_env, "PREFECT_API_URL": api}
    args = ["run", "--date", DAY, "--db", str(tmp_path / "w.duckdb"), "--base-url", "http://127.0.0.1:9"]
    line = _one_line(_etl(env, *args), 4)
    assert line.startswith(f"etl: Prefect API unreachable at {api} (")
    assert "PREFECT_API_URL" in line
    assert list(tmp_path.iterdir()) == []

    verbose = _etl(env, "-v", *args)  # -v: the same line, after the traceback of its cause
    assert verbose.returncode == 4 and "Traceback" in verbose.stderr
    assert verbose.stderr.splitlines()[-1] == line


def test_a_prefect_connection_failure_during_a_run_is_infrastructure() -> None:
    """What `etl` turns into exit 4 when the API goes away mid-run: httpx's transport errors, however
    deep Prefect wraps them, and nothing else."""
    import httpx

    from etl.cli.common import _is_prefect_api_failure

    with pytest.raises(httpx.ConnectError) as refused:
        httpx.get(f"http://127.0.0.1:{_closed_port()}/api/health", timeout=5)
    try:
        raise RuntimeError("Flow run crashed") from refused.value
    except RuntimeError as exc:
        wrapped = exc
    assert _is_prefect_api_failure(refused.value) and _is_prefect_api_failure(wrapped)
    assert _is_prefect_api_failure(RuntimeError("Failed to reach API at http://127.0.0.1:1/api/"))
    assert not _is_prefect_api_failure(ValueError("a bug")) and not _is_prefect_api_failure(
        OSError(28, "full")
    )


# -- exit 2: bad ETL_* settings -----------------------------------------------------------------------

# (variable, bad value, what the one line names). The fetch tuning variables that a number check
# refuses are in test_cli_input.py; these are the ones that used to get past the CLI and fail the
# run after its row was written, or crash it.
BAD_SETTINGS = [
    ("ETL_REQUEST_DEADLINE", "0", "ETL_REQUEST_DEADLINE='0'"),
    ("ETL_RUN_DEADLINE", "0", "ETL_RUN_DEADLINE='0'"),
    ("ETL_RUN_DEADLINE", "6h", "ETL_RUN_DEADLINE='6h'"),
    (
        "ETL_HTTP_CREDENTIALS",
        "https://u:s3cret@mirror.example:8443 s3cret-too",
        "ETL_HTTP_CREDENTIALS: entry 2",
    ),
    ("ETL_USER_AGENT", "Team ETL/1.0\r\nX-Injected: 1", "ETL_USER_AGENT="),
    ("ETL_USER_AGENT", " /1.0", "ETL_USER_AGENT="),
    ("ETL_WAREHOUSE_SQL", "/nonexistent/warehouse", "ETL_WAREHOUSE_SQL='/nonexistent/warehouse'"),
]


@pytest.fixture(scope="module")
def finished_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with one finished run, as an operator's would be."""
    from etl import load

    db = tmp_path_factory.mktemp("wh") / "w.duckdb"
    load.start_run(db, "earlier", "daily_epaper", {})
    load.finish_run(db, "earlier", "ok", {}, None)
    return db


@pytest.mark.parametrize(
    ("name", "value", "needle"), BAD_SETTINGS, ids=[f"{n}={v!r}" for n, v, _ in BAD_SETTINGS]
)
def test_a_bad_etl_setting_exits_2_with_one_line_and_no_run_row(
    finished_warehouse: Path, plain_env: dict[str, str], name: str, value: str, needle: str
) -> None:
    # The Prefect API named here would answer nothing: a bad setting is refused before it is asked.
    env = {**plain_env, name: value, "PREFECT_API_URL": f"http://127.0.0.1:{_closed_port()}/api"}
    before = _runs(finished_warehouse)
    out = _etl(env, "run", "--date", DAY, "--db", str(finished_warehouse), "--base-url", "http://127.0.0.1:9")
    line = _one_line(out, 2)
    assert line.startswith("etl: bad setting") and needle in line
    assert "s3cret" not in line  # credentials are described, never shown
    assert _runs(finished_warehouse) == before


def test_a_bad_etl_db_or_run_deadline_exits_2_naming_it(tmp_path: Path, plain_env: dict[str, str]) -> None:
    line = _one_line(_etl({**plain_env, "ETL_DB": str(tmp_path)}, "run", "--date", DAY), 2)
    assert line.startswith(f"etl: bad setting ETL_DB='{tmp_path}': is a directory")
    db = str(tmp_path / "w.duckdb")
    line = _one_line(_etl(plain_env, "run", "--date", DAY, "--db", db, "--run-deadline", "inf"), 2)
    assert line.startswith("etl: bad setting --run-deadline=inf")
    assert list(tmp_path.iterdir()) == []


def test_a_deployment_run_with_bad_credentials_leaves_no_running_row(
    prefect_harness: None, finished_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flow started by a deployment has no CLI in front: it refuses the setting itself, before
    its run row is written."""
    from etl.config import SettingError
    from flows.epaper import daily_epaper

    monkeypatch.setenv("ETL_HTTP_CREDENTIALS", "mirror.example")
    before = _runs(finished_warehouse)
    with pytest.raises(SettingError, match="ETL_HTTP_CREDENTIALS"):
        daily_epaper(date=DAY, db=str(finished_warehouse), base_url="http://127.0.0.1:9", delay=0)
    assert _runs(finished_warehouse) == before


# -- --version ----------------------------------------------------------------------------------------


def test_version_names_package_extractor_schema_and_libraries(plain_env: dict[str, str]) -> None:
    from importlib.metadata import version

    from etl.extract import EXTRACTOR_VERSION

    out = _etl(plain_env, "--version")
    assert out.returncode == 0, out.stderr
    latest = max(int(p.name[:3]) for p in MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))
    lines = out.stdout.splitlines()
    assert lines[0] == f"etl (peoples-daily-etl) {version('peoples-daily-etl')}"
    assert lines[1] == f"extractor {EXTRACTOR_VERSION}"
    assert lines[2].startswith(f"schema {latest:03d} (")
    assert lines[3:5] == [f"duckdb {version('duckdb')}", f"prefect {version('prefect')}"]
    assert lines[5] == f"python {sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"


# -- --json, and the progress bar ------------------------------------------------------------------


def _run_on_a_terminal(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run `etl` with stderr on a pseudo-terminal (stdout a pipe); return status, stdout, terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([ETL, *args], env=env, stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    seen: list[bytes] = []

    def drain() -> None:  # a terminal nobody reads fills up and blocks the writer
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        out, _ = proc.communicate(timeout=300)
    finally:
        reader.join(timeout=30)
        os.close(master)
    return proc.returncode, out, b"".join(seen).decode(errors="replace")


@pytest.mark.slow
def test_json_summary_and_a_progress_bar_on_a_terminal(
    tmp_path: Path, site_url: str, prefect_env: dict[str, str]
) -> None:
    db = str(tmp_path / "w.duckdb")
    env = {**prefect_env, "COLUMNS": "120"}
    code, out, terminal = _run_on_a_terminal(
        env, "run", "--json", "--date", DAY, "--db", db, "--base-url", site_url, "--delay", "0"
    )
    assert code == 0, terminal[-3000:]
    document = json.loads(out)
    assert document["status"] == "ok" and document["exit_code"] == 0
    assert document["flow"] == "daily_epaper" and document["failures"] == []
    assert document["counters"]["articles_loaded"] == 5
    assert (document["run_id"], "ok") in _runs(Path(db))
    assert f"daily_epaper {DAY}: articles" in terminal and "5/5" in terminal


@pytest.mark.slow
def test_json_failures_as_objects_and_no_bar_off_a_terminal(
    tmp_path: Path, site_url: str, prefect_env: dict[str, str]
) -> None:
    missing = site_url + "/n1/2025/0903/c1004-1.html"
    nowhere = "http://xyz.invalid/n1/2025/0903/c1004-2.html"  # RFC 6761: never resolves
    out = _etl(prefect_env, "ingest", "--json", missing, nowhere, "--db", str(tmp_path / "w.duckdb"))
    assert out.returncode == 1, out.stderr[-3000:]
    document = json.loads(out.stdout)
    assert document["status"] == "partial" and document["exit_code"] == 1
    assert document["counters"]["failures"] == 2
    assert sorted(document["failures"], key=lambda f: f["url"]) == [
        {"url": missing, "stage": "fetch", "reason": "HTTP 404"},
        {
            "url": nowhere,
            "stage": "fetch",
            "reason": "network: cannot resolve host xyz.invalid (check the URL or DNS)",
        },
    ]
    # The summary lines are replaced by the document, and no bar is drawn into a pipe.
    assert "FAILED" not in out.stderr and "ingest_urls: articles" not in out.stderr
