"""A stored article survives hostile versions of its page, through the real `etl` command: an error
page in the article template, and a page that lost most of its article. And the run lock holds for
a warehouse reached through a symlink."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from faultserver import FaultServer, FaultSpec

from etl.cli import main

SITE = Path(__file__).parent / "fixtures" / "site"
ETL = str(Path(sys.executable).parent / "etl")
DAY = "2025-09-03"
ARTICLE = "/rmrb/pc/content/202509/03/content_30170118.html"
RX_BODY = re.compile(r"(<!--enpcontent-->).*?(<!--/enpcontent-->)", re.DOTALL)
RX_COPY = re.compile(r'(<div id="articleContent"[^>]*>).*?(</div>)', re.DOTALL)


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.pop("ETL_DB", None)
    yield env


def _etl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ETL, *args], env=env, capture_output=True, text=True, timeout=300)


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _with_body(*paragraphs: str) -> str:
    """The real article page with its body replaced, as the site's template would serve it."""
    page = (SITE / ARTICLE.lstrip("/")).read_text(encoding="utf-8")
    body = "".join(f"<p>　　{p}</p>\n" for p in paragraphs)
    page = RX_BODY.sub(lambda m: m.group(1) + body + m.group(2), page, count=1)
    return RX_COPY.sub(lambda m: m.group(1) + body + m.group(2), page, count=1)


def _failed_lines(out: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in out.stderr.splitlines() if line.startswith("FAILED")]


def test_a_stored_article_survives_an_error_page_and_a_gutted_page(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    from flows.common import summary_of
    from flows.ingest import ingest_urls

    db = tmp_path / "w.duckdb"
    stored_sql = (
        "SELECT a.title, a.body_text, a.content_hash, a.loaded_at, count(i.indicator_id) "
        "FROM articles a LEFT JOIN indicators i USING (article_id) GROUP BY ALL"
    )
    last_paragraph = (
        "国铁集团有关负责人表示，下一步将加强与海关、港口等单位协作，推进铁路口岸扩能改造，"
        "优化“铁路快通”等通关模式，为稳外贸提供更加有力的物流保障。"
    )
    with FaultServer(root=SITE) as site:
        url = site.url(ARTICLE)

        def etl_ingest(*flags: str) -> subprocess.CompletedProcess[str]:
            return _etl(prefect_env, "ingest", url, "--db", str(db), "--delay", "0", *flags)

        def open_failures() -> str:
            # The listing is read by the command group in this process (click's test runner): the
            # ingests above are the real processes this test is about.
            listed = CliRunner().invoke(main, ["failures", "--db", str(db)])
            assert listed.exit_code == 0, listed.output
            return listed.stdout.strip()

        assert summary_of(ingest_urls(urls=[url], db=str(db), delay=0, return_state=True)).failures == []
        (stored,) = _q(db, stored_sql)
        assert stored[-1] >= 10  # the article's indicators

        # 1. A maintenance notice in the article template is not an article.
        site.route(ARTICLE, FaultSpec(body=_with_body("系统维护中，请稍后访问…")))
        maintenance = etl_ingest()
        assert maintenance.returncode == 1
        assert _failed_lines(maintenance) == [
            f"FAILED {url} [parse] error or maintenance page, not an article: “系统维护中，请稍后访问…”"
        ]
        assert _q(db, stored_sql) == [stored]

        # The real page is back: unchanged against the stored article, the failure resolves.
        site.unroute(ARTICLE)
        back = summary_of(ingest_urls(urls=[url], db=str(db), delay=0, return_state=True))
        assert (back.failures, back.counts.articles_unchanged) == ([], 1)
        assert open_failures() == "no open failures"

        # 2. A page that lost most of its article (the last paragraph only) is a suspicious change.
        site.route(ARTICLE, FaultSpec(body=_with_body(last_paragraph)))
        suspicious = summary_of(ingest_urls(urls=[url], db=str(db), delay=0, return_state=True))
        ((failed_url, stage, reason),) = suspicious.failures
        assert (failed_url, stage) == (url, "load")
        assert re.fullmatch(
            rf"suspicious change: body [\d,]+ → {len(last_paragraph)} characters, "
            rf"paragraphs \d+ → 1, indicators {stored[-1]} → 0; kept the stored version "
            r"\(rerun with --accept-changes to take it\)",
            reason,
        ), reason
        assert _q(db, stored_sql) == [stored]
        assert f"{url}  {reason}" in open_failures()

        site.unroute(ARTICLE)
        assert summary_of(ingest_urls(urls=[url], db=str(db), delay=0, return_state=True)).failures == []
        assert open_failures() == "no open failures"
        assert _q(db, stored_sql) == [stored]

        # 3. Through the command: exit 1 and the reason; accepted deliberately, the new version
        # replaces the stored one and nothing stays open.
        site.route(ARTICLE, FaultSpec(body=_with_body(last_paragraph)))
        refused = etl_ingest()
        assert refused.returncode == 1
        assert _failed_lines(refused) == [f"FAILED {url} [load] {reason}"]
        assert _q(db, stored_sql) == [stored]
        accepted = etl_ingest("--accept-changes")
        assert accepted.returncode == 0, accepted.stderr
        assert "1 articles loaded" in accepted.stdout
        ((title, body, *_rest, indicators),) = _q(db, stored_sql)
        assert (title, body, indicators) == (stored[0], last_paragraph, 0)
        assert open_failures() == "no open failures"


HOLD_LOCK = """
import sys
from etl.load import run_lock
with run_lock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.readline()
"""


@pytest.mark.parametrize("holder_uses_link", [False, True])
def test_a_run_through_a_symlink_waits_for_the_lock(
    tmp_path: Path, site_url: str, prefect_env: dict[str, str], holder_uses_link: bool
) -> None:
    db = tmp_path / "warehouse" / "w.duckdb"
    db.parent.mkdir()
    link = tmp_path / "link.duckdb"
    link.symlink_to(db)
    held, other = (link, db) if holder_uses_link else (db, link)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(held)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        out = _etl(
            prefect_env,
            "run",
            "--date",
            DAY,
            "--db",
            str(other),
            "--base-url",
            site_url,
            "--delay",
            "0",
            "--lock-wait",
            "0",
        )
    finally:
        holder.communicate("\n", timeout=30)
    assert out.returncode == 3, out.stdout + out.stderr
    assert "another run holds" in out.stderr
