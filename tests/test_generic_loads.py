"""An article in a layout no template knows loads through the generic fallback, and operators are
told: a GENERIC line from the CLI, a section in the run summary, and `etl templates` by host."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultserver import FaultServer, FaultSpec

FIXTURES = Path(__file__).parent / "fixtures"
UNSEEN = FIXTURES / "pages" / "people_kpzg_n1_2026-10-20_c404214-41260012.unseen_layout.html"
PATH = "/n1/2026/1020/c404214-41260012.html"
KNOWN = FIXTURES / "real" / "people_health_n1_2024-05-17_c14739-40237861.html"
KNOWN_PATH = "/n1/2024/0517/c14739-40237861.html"
ETL = str(Path(sys.executable).parent / "etl")


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.pop("ETL_DB", None)
    yield env


def _etl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ETL, *args], env=env, capture_output=True, text=True, timeout=300)


def test_generic_loads_are_flagged_and_listed_by_host(tmp_path: Path, prefect_env: dict[str, str]) -> None:
    db = str(tmp_path / "w.duckdb")
    with FaultServer() as server:
        server.route(PATH, FaultSpec(body=UNSEEN.read_bytes()))
        server.route(KNOWN_PATH, FaultSpec(body=KNOWN.read_bytes()))
        run = _etl(
            prefect_env, "ingest", server.url(PATH), server.url(KNOWN_PATH), "--db", db, "--delay", "0"
        )
    assert run.returncode == 0, run.stderr
    assert "2 articles loaded" in run.stdout
    generic_lines = [line for line in run.stderr.splitlines() if line.startswith("GENERIC")]
    assert generic_lines == [f"GENERIC {server.url(PATH)} (no template knows this layout; see etl templates)"]

    listed = _etl(prefect_env, "templates", "--db", db)
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()[1:]
    assert rows[0].split()[:3] == ["127.0.0.1", "generic", "1"] and rows[0].endswith("<- needs a template")
    assert rows[1].split()[:3] == ["127.0.0.1", "portal_article_cont", "1"]
    assert "needs a template" not in rows[1]


def test_run_summary_names_generic_loads(tmp_path: Path, prefect_harness: None) -> None:
    from flows.common import summary_of
    from flows.ingest import ingest_urls

    with FaultServer() as server:
        server.route(PATH, FaultSpec(body=UNSEEN.read_bytes()))
        summary = summary_of(
            ingest_urls(urls=[server.url(PATH)], db=str(tmp_path / "w.duckdb"), delay=0, return_state=True)
        )
    assert summary.generic == [server.url(PATH)]
    markdown = summary.as_markdown()
    assert "## Read by the generic fallback: these layouts need a template" in markdown
    assert markdown.rstrip().endswith(server.url(PATH).replace(".", ".").replace("_", "\\_"))
