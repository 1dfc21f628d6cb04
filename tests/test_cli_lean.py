"""`etl run`/`ingest` without a Prefect API: the flow's function runs in the command's process, no
Prefect server is started, and the warehouse gets the same rows as from a flow run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

DAY = "2025-09-03"
ETL = str(Path(sys.executable).parent / "etl")

# What a run leaves in the warehouse, independent of run ids and fetch times.
SNAPSHOT = {
    "articles": "SELECT url, title, content_hash FROM articles ORDER BY url",
    "images": "SELECT position, src, caption FROM images ORDER BY src, position",
    "indicators": "SELECT metric, value, unit, period, region, char_start FROM indicators "
    "ORDER BY metric, value, char_start",
    "pages": "SELECT url, status FROM pages ORDER BY url",
}


def _env_without_api(prefect_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL" and k != "ETL_DB"}
    env["PREFECT_HOME"] = str(prefect_home)
    # A temporary server (with --prefect) starts slowly on a busy machine.
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    # A profile may name an API too: an empty profiles file leaves only the environment.
    env["PREFECT_PROFILES_PATH"] = str(prefect_home / "profiles.toml")
    return env


def _etl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ETL, *args], env=env, capture_output=True, text=True, timeout=300)


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}
    finally:
        con.close()


def _prefect_databases(prefect_home: Path) -> list[Path]:
    return [p for p in prefect_home.rglob("*") if p.suffix in (".db", ".sqlite", ".sqlite3")]


@pytest.mark.slow
def test_run_without_an_api_starts_no_server_and_loads_what_a_flow_run_loads(
    tmp_path: Path, site_url: str
) -> None:
    lean_home, flow_home = tmp_path / "lean-home", tmp_path / "flow-home"
    lean_home.mkdir()
    flow_home.mkdir()
    lean_db, flow_db = tmp_path / "lean.duckdb", tmp_path / "flow.duckdb"
    day = ("--date", DAY, "--base-url", site_url, "--delay", "0")
    lean = _etl(_env_without_api(lean_home), "run", *day, "--db", str(lean_db))
    assert lean.returncode == 0, lean.stderr
    assert "daily_epaper ok: 5 articles loaded" in lean.stdout
    # A temporary server keeps its database under PREFECT_HOME: none was created.
    assert _prefect_databases(lean_home) == []
    assert "temporary server" not in lean.stderr.lower()
    # The flow's own progress lines still reach the console, through the etl loggers.
    assert "5 articles to fetch" in lean.stderr

    # --prefect runs the same flow as a flow run, on a temporary server.
    flow = _etl(_env_without_api(flow_home), "run", "--prefect", *day, "--db", str(flow_db))
    assert flow.returncode == 0, flow.stderr
    assert _prefect_databases(flow_home) != []
    assert flow.stdout == lean.stdout
    assert _snapshot(lean_db) == _snapshot(flow_db)
    assert _snapshot(lean_db)["articles"]

    con = duckdb.connect(str(lean_db), read_only=True)
    try:
        runs = con.execute("SELECT flow, status, articles_loaded FROM runs").fetchall()
    finally:
        con.close()
    assert runs == [("daily_epaper", "ok", 5)]


@pytest.mark.slow
def test_ingest_without_an_api_reports_failures_and_exits_1(tmp_path: Path, site_url: str) -> None:
    home = tmp_path / "prefect-home"
    home.mkdir()
    db = tmp_path / "lean.duckdb"
    missing = site_url + "/n1/2025/0903/c1004-1.html"
    found = site_url + "/n2/2025/0902/c134768-41234567.html"
    result = _etl(_env_without_api(home), "ingest", missing, found, "--db", str(db), "--delay", "0")
    assert result.returncode == 1, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("FAILED")] == [
        f"FAILED {missing} [fetch] HTTP 404"
    ]
    assert "1 articles loaded" in result.stdout
    assert _prefect_databases(home) == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT flow, status, failures FROM runs").fetchall() == [
            ("ingest_urls", "partial", 1)
        ]
    finally:
        con.close()


def test_help_says_when_prefect_runs() -> None:
    result = subprocess.run([ETL, "run", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "PREFECT_API_URL" in result.stdout and "--prefect" in result.stdout


LEAN_RUN = """
import sys
from etl.cli import main
try:
    main(sys.argv[1:])
except SystemExit as end:
    code = end.code
print("prefect imported:", "prefect" in sys.modules, "exit:", code)
"""


def _lean(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-c", LEAN_RUN, *args],
        env=_env_without_api(home),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_lean_runs_never_import_prefect(tmp_path: Path, site_url: str) -> None:
    """Importing Prefect costs more CPU than the rest of a lean run's start-up: `etl run` and `etl
    ingest` without a Prefect API load their pages without it (a top-level Prefect import in their
    modules fails this)."""
    db = str(tmp_path / "lean.duckdb")
    out = _lean(tmp_path, "run", "--date", DAY, "--base-url", site_url, "--delay", "0", "--db", db)
    assert out.stdout.splitlines()[-1] == "prefect imported: False exit: 0", out.stderr[-2000:]
    assert "daily_epaper ok: 5 articles loaded" in out.stdout
    # The progress lines still reach the console, in Prefect's layout.
    assert " | INFO    | etl.flows - 2025-09-03: 3 版面, 5 articles to fetch" in out.stderr

    article = site_url + "/n2/2025/0902/c134768-41234567.html"
    out = _lean(tmp_path, "ingest", article, "--delay", "0", "--db", db)
    assert out.stdout.splitlines()[-1] == "prefect imported: False exit: 0", out.stderr[-2000:]
    assert "ingest_urls ok: 1 articles loaded" in out.stdout


def test_an_api_named_only_in_the_prefect_profile_is_still_used(tmp_path: Path) -> None:
    """The lean path is taken only when nothing names a Prefect API: a profile that does sends the
    run there (here a closed port: exit 4 naming it, before anything is written)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path / "home"
    home.mkdir()
    env = _env_without_api(home)
    Path(env["PREFECT_PROFILES_PATH"]).write_text(
        f'active = "remote"\n\n[profiles.remote]\nPREFECT_API_URL = "http://127.0.0.1:{port}/api"\n',
        encoding="utf-8",
    )
    db = tmp_path / "w.duckdb"
    out = _etl(env, "run", "--date", DAY, "--base-url", "http://127.0.0.1:1", "--db", str(db))
    assert out.returncode == 4, out.stderr[-2000:]
    assert f"Prefect API unreachable at http://127.0.0.1:{port}/api" in out.stderr
    assert not db.exists()
