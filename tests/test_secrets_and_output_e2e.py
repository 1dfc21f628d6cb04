"""Secrets and hostile text end to end: real `etl` subprocesses, a real Prefect server, a real warehouse.

A password given in a URL loads the pages and then appears nowhere: not in any warehouse column,
not in the raw archive, not on the terminal, not in Prefect's parameters or logs. Text a hostile
site controls (URL paths, Content-Type headers, page names) reaches the terminal without control
sequences and the Prefect summary artifact without active Markdown or HTML.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
from faultserver import FaultServer, FaultSpec

CREDENTIALS_ENV = "ETL_HTTP_CREDENTIALS"  # the operator setting for deployment runs
DAY = "2025-09-03"
ETL = str(Path(sys.executable).parent / "etl")
SITE = Path(__file__).parent / "fixtures" / "site"
LAYOUT_01 = "/rmrb/pc/layout/202509/03/node_01.html"
PORTAL_PAGES = ("/n1/2025/0903/c1004-40556677.html", "/n2/2025/0902/c134768-41234567.html")
PASSWORD = "Tr0ub4dor-and-3"
HOSTILE = "|`<script>alert(1)</script>](javascript:alert(1))\x1b[2J"


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    for name in ("ETL_DB", "ETL_ARCHIVE", CREDENTIALS_ENV):
        env.pop(name, None)
    yield env


def _etl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ETL, *args], env=env, capture_output=True, text=True, timeout=300)


def _with_credentials(url: str, user: str, password: str) -> str:
    return url.replace("://", f"://{user}:{password}@", 1)


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _warehouse_text(db: Path) -> str:
    """Every value of every column of every table, as text."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE t.table_type = 'BASE TABLE'"
        ).fetchall()
        values = [
            str(value)
            for table, column in columns
            for (value,) in con.execute(f'SELECT CAST("{column}" AS VARCHAR) FROM "{table}"').fetchall()
        ]
    finally:
        con.close()
    assert values
    return "\n".join(values)


def _flow_run_ids(db: Path) -> list[uuid.UUID]:
    return [uuid.UUID(str(run_id)) for (run_id,) in _rows(db, "SELECT run_id FROM runs ORDER BY started_at")]


def _prefect_record(run_id: uuid.UUID) -> str:
    """The flow run's parameters and every log line Prefect stored for it, as text."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    return "\n".join([repr(run.parameters), *(log.message for log in logs)])


def _summary_markdown(run_id: uuid.UUID) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
    (artifact,) = [a for a in artifacts if a.type == "markdown"]
    return str(artifact.data)


def _unescaped(cell: str) -> str:
    """The characters of a Markdown cell that are not backslash-escaped."""
    out: list[str] = []
    escaped = False
    for ch in cell:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append(ch)
    return "".join(out)


def test_a_password_in_a_url_loads_the_pages_and_is_stored_nowhere(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    with FaultServer(root=SITE, basic_auth=("reader", PASSWORD)) as mirror:
        base = _with_credentials(mirror.base_url, "reader", PASSWORD)
        day = _etl(prefect_env, "run", "--date", DAY, "--db", str(db), "--base-url", base, "--delay", "0")
        portal = _etl(
            prefect_env, "ingest", *(base + path for path in PORTAL_PAGES), "--db", str(db), "--delay", "0"
        )
        asked_without_credentials = [r.path for r in mirror.requests if not r.header("Authorization")]

    assert day.returncode == 0, day.stderr
    assert portal.returncode == 0, portal.stderr
    assert "5 articles loaded" in day.stdout and "2 articles loaded" in portal.stdout
    assert asked_without_credentials == []
    assert _rows(db, "SELECT count(*) FROM articles") == [(7,)]
    # Rows are keyed on the URL without credentials, as if none had been given.
    assert _rows(db, f"SELECT count(*) FROM pages WHERE url = '{mirror.base_url}{LAYOUT_01}'") == [(1,)]

    stored = _warehouse_text(db)
    assert mirror.base_url in stored
    archive = "\n".join(str(p) for p in (tmp_path / "raw").rglob("*"))
    run_ids = _flow_run_ids(db)
    assert len(run_ids) == 2
    prefect = "\n".join(_prefect_record(run_id) for run_id in run_ids)
    assert mirror.base_url in prefect
    for text in (stored, archive, day.stdout, day.stderr, portal.stdout, portal.stderr, prefect):
        assert PASSWORD not in text
        assert "reader:" not in text and "reader@" not in text


@pytest.mark.usefixtures("prefect_harness")
def test_deployment_runs_take_credentials_from_parameters_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.common import summary_of
    from flows.ingest import ingest_urls

    db = tmp_path / "w.duckdb"
    env_password = "Env-Secret-4"
    with (
        FaultServer(root=SITE, basic_auth=("reader", PASSWORD)) as given,
        FaultServer(root=SITE, basic_auth=("ops", env_password)) as configured,
    ):
        monkeypatch.setenv(CREDENTIALS_ENV, _with_credentials(configured.base_url, "ops", env_password))
        summary = summary_of(
            ingest_urls(
                urls=[
                    _with_credentials(given.url(PORTAL_PAGES[0]), "reader", PASSWORD),
                    configured.url(PORTAL_PAGES[1]),
                ],
                db=str(db),
                delay=0,
                return_state=True,
            )
        )
    assert summary.failures == []
    assert summary.counts.articles_loaded == 2
    stored = _warehouse_text(db)
    assert given.url(PORTAL_PAGES[0]) in stored and configured.url(PORTAL_PAGES[1]) in stored
    assert PASSWORD not in stored and env_password not in stored


def _hostile_layout() -> bytes:
    page = (SITE / LAYOUT_01.lstrip("/")).read_text(encoding="utf-8")
    escaped = HOSTILE.replace("<", "&lt;").replace(">", "&gt;").replace("\x1b", "&#27;")
    page = page.replace("第01版：要闻", f"第01版：要闻{escaped}", 1)
    link = f'<li><a href="content_x{escaped}&#13;.html">恶意链接</a></li>'
    return page.replace('<ul class="news-list">', f'<ul class="news-list">{link}', 1).encode()


def test_hostile_page_text_reaches_terminal_and_artifact_defused(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    with FaultServer(root=SITE) as site:
        site.route(LAYOUT_01, FaultSpec(body=_hostile_layout()))
        # URL parsing drops the carriage return of the link (WHATWG); the ESC stays.
        hostile_path = f"/rmrb/pc/layout/202509/03/content_x{HOSTILE}.html"
        site.route(hostile_path, FaultSpec(body="<html></html>", content_type=f"text/x-{HOSTILE}"))
        day = _etl(
            prefect_env, "run", "--date", DAY, "--db", str(db), "--base-url", site.base_url, "--delay", "0"
        )
        asked = [r.path for r in site.requests if unquote(r.path) == hostile_path]
    listed = _etl(prefect_env, "failures", "--db", str(db))

    assert len(asked) == 1
    assert day.returncode == 1, day.stderr
    assert "5 articles loaded" in day.stdout
    # The page-supplied text did reach the terminal (the FAILED line, the 版面 name in the log) ...
    failed = [line for line in day.stderr.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and "unexpected content type text/x-|`<script>" in failed[0]
    assert "\\x1b[2J.html" in failed[0]
    assert "要闻|`<script>alert(1)</script>](javascript:alert(1))\\x1b[2J" in day.stderr
    assert "content_x|`<script>" in listed.stdout
    # ... but no control character did.
    for output in (day.stdout, day.stderr, listed.stdout, listed.stderr):
        assert "\x1b" not in output and "\r" not in output

    (run_id,) = _flow_run_ids(db)
    markdown = _summary_markdown(run_id)
    assert "\x1b" not in markdown and "\r" not in markdown
    rows = markdown.split("## Failures", 1)[1].strip().splitlines()[2:]
    assert len(rows) == 1
    cells = rows[0].strip("|").split(" | ")
    assert len(cells) == 3 and cells[1] == "fetch"
    for cell in cells:
        assert not set("|`[]<>") & set(_unescaped(cell))
    assert "&lt;script&gt;" in cells[0] and "&lt;script&gt;" in cells[2]
