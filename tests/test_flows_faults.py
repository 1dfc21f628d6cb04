"""A day crawled through a misbehaving server: every recoverable page loads once, every unrecoverable
one is listed with its reason, and the run after the faults clear completes the day exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from faultserver import Fault, FaultServer, FaultSpec

from flows.common import summary_of
from flows.epaper import daily_epaper
from flows.ingest import ingest_urls

pytestmark = pytest.mark.usefixtures("prefect_harness")

SITE = Path(__file__).parent / "fixtures" / "site"
DAY = "2025-09-03"
CONTENT = "/rmrb/pc/content/202509/03/content_{}.html"
GBK_PAGE = "/n2/2025/0902/c134768-41234567.html"


@pytest.fixture()
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETL_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("ETL_BACKOFF_MAX", "1")
    monkeypatch.setenv("ETL_READ_TIMEOUT", "1")
    monkeypatch.setenv("ETL_MAX_ATTEMPTS", "3")


@pytest.fixture()
def servers() -> Iterator[tuple[FaultServer, FaultServer]]:
    with FaultServer(root=SITE) as site, FaultServer(host="127.0.0.2") as elsewhere:
        yield site, elsewhere


def _file(path: str) -> bytes:
    return (SITE / path.lstrip("/")).read_bytes()


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_day_through_faults_then_recovery(
    tmp_path: Path, servers: tuple[FaultServer, FaultServer], fast_retries: None
) -> None:
    site, elsewhere = servers
    db = tmp_path / "w.duckdb"
    site.robots(f"User-agent: *\nDisallow: {CONTENT.format(30170120)}\n")
    # Recoverable within one run: a 503 burst, a 429 with Retry-After, a hang past the read timeout.
    site.route(
        "/rmrb/pc/layout/202509/03/node_02.html",
        FaultSpec(body=_file("/rmrb/pc/layout/202509/03/node_02.html"), faults=[Fault.error(503)] * 2),
    )
    site.route(
        CONTENT.format(30170118),
        FaultSpec(body=_file(CONTENT.format(30170118)), faults=[Fault.error(429, retry_after="1")]),
    )
    site.route(
        CONTENT.format(30170121), FaultSpec(body=_file(CONTENT.format(30170121)), faults=[Fault.hang(3)])
    )
    # Not recoverable in this run: a server error every time, a body cut short every time, and a
    # redirect to a host nobody named.
    site.route(
        CONTENT.format(30170119),
        FaultSpec(body=_file(CONTENT.format(30170119)), persistent_fault=Fault.error(500)),
    )
    site.route(
        CONTENT.format(30170122),
        FaultSpec(body=_file(CONTENT.format(30170122)), persistent_fault=Fault.truncate(200)),
    )
    site.route(GBK_PAGE, FaultSpec(redirect_to=elsewhere.url(GBK_PAGE)))
    # Portal pages that can never load: a 50 MB body, a gzip bomb, a PDF where HTML belongs.
    site.route("/n1/2025/0903/c1004-50000000.html", FaultSpec(generated_size=50 * 1024 * 1024))
    site.route("/n1/2025/0903/c1004-60000000.html", FaultSpec(gzip_bomb_size=200 * 1024 * 1024))
    site.route(
        "/n1/2025/0903/c1004-70000000.html", FaultSpec(body=b"%PDF-1.4", content_type="application/pdf")
    )
    # Lies about its charset: GBK bytes declared UTF-8. Decoded from the bytes, it loads fine.
    site.route(
        "/n2/2025/0902/c134768-41234568.html",
        FaultSpec(body=_file(GBK_PAGE), content_type="text/html; charset=utf-8"),
    )
    # A page in a template we do not know (a redesign): a parse failure, never an empty article.
    site.route(
        "/n1/2025/0903/c1004-80000000.html",
        FaultSpec(
            body="<html><head><title>新版页面</title></head><body><div class='new-layout'>"
            "<p>正文在脚本里加载</p></div></body></html>"
        ),
    )
    portal = [
        site.url(p)
        for p in (
            GBK_PAGE,
            "/n1/2025/0903/c1004-80000000.html",
            "/n1/2025/0903/c1004-50000000.html",
            "/n1/2025/0903/c1004-60000000.html",
            "/n1/2025/0903/c1004-70000000.html",
            "/n2/2025/0902/c134768-41234568.html",
        )
    ]

    epaper = summary_of(
        daily_epaper(date=DAY, db=str(db), base_url=site.base_url, delay=0, return_state=True)
    )
    ingest = summary_of(ingest_urls(urls=portal, db=str(db), delay=0, return_state=True))

    assert _q(db, "SELECT content_id FROM articles WHERE template LIKE 'epaper%' ORDER BY 1") == [
        ("30170118",),
        ("30170121",),
    ]
    reasons = {
        url.rsplit("/", 1)[-1]: (stage, reason) for url, stage, reason in epaper.failures + ingest.failures
    }
    assert set(reasons) == {
        "content_30170119.html",
        "content_30170120.html",
        "content_30170122.html",
        "c134768-41234567.html",
        "c1004-50000000.html",
        "c1004-60000000.html",
        "c1004-70000000.html",
        "c1004-80000000.html",
    }
    assert "HTTP 500" in reasons["content_30170119.html"][1]
    assert "robots" in reasons["content_30170120.html"][1]
    assert "host not allowed" in reasons["c134768-41234567.html"][1]
    assert "larger than" in reasons["c1004-50000000.html"][1]
    assert "larger than" in reasons["c1004-60000000.html"][1] or "bomb" in reasons["c1004-60000000.html"][1]
    assert "content type" in reasons["c1004-70000000.html"][1]
    assert reasons["c1004-80000000.html"][0] == "parse"
    assert elsewhere.requests == []  # never a request to a host outside the allowed list
    assert site.count(CONTENT.format(30170120)) == 0  # disallowed by robots.txt: never asked for
    (liar,) = _q(db, "SELECT title, body_text FROM articles WHERE url LIKE '%41234568%'")
    assert "\ufffd" not in liar[0] + liar[1]  # type: ignore[operator]
    assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(8,)]
    # The redirect to a host nobody named may go away: the page is retried like any passing fault.
    assert _q(db, "SELECT retry FROM failures WHERE url LIKE '%c134768-41234567%'") == [("transient",)]
    assert _q(db, "SELECT count(*) FROM pages WHERE status = 'failed' AND error IS NOT NULL")[0][0] >= 5  # type: ignore[operator]

    # The faults clear (robots.txt included); the next runs retry the open failures by themselves.
    site.clear_faults()
    site.robots("User-agent: *\nDisallow:\n")
    site.unroute(GBK_PAGE)
    # The broken portal pages now answer with a proper article page.
    for path in (
        "/n1/2025/0903/c1004-50000000.html",
        "/n1/2025/0903/c1004-60000000.html",
        "/n1/2025/0903/c1004-70000000.html",
        "/n1/2025/0903/c1004-80000000.html",
    ):
        site.route(path, FaultSpec(body=_file(GBK_PAGE), content_type="text/html"))
    epaper2 = summary_of(
        daily_epaper(date=DAY, db=str(db), base_url=site.base_url, delay=0, return_state=True)
    )
    ingest2 = summary_of(ingest_urls(urls=[], db=str(db), delay=0, return_state=True))

    assert epaper2.failures == [] and ingest2.failures == []
    assert epaper2.counts.articles_loaded == 3 and epaper2.counts.articles_unchanged == 2
    assert ingest2.counts.articles_loaded == 5  # the redirected GBK page and the four repaired ones
    assert _q(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(11, 11)]
    assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]
    # A third run finds nothing left to do and loads nothing twice.
    epaper3 = summary_of(
        daily_epaper(date=DAY, db=str(db), base_url=site.base_url, delay=0, return_state=True)
    )
    assert epaper3.counts.articles_loaded == 0 and epaper3.failures == []
    assert _q(db, "SELECT count(*) FROM articles") == [(11,)]


def test_a_failed_page_of_another_day_is_retried(
    tmp_path: Path, servers: tuple[FaultServer, FaultServer], fast_retries: None
) -> None:
    site, _ = servers
    db = tmp_path / "w.duckdb"
    node_02 = "/rmrb/pc/layout/202509/03/node_02.html"
    site.route(node_02, FaultSpec(body=_file(node_02), persistent_fault=Fault.error(500)))
    first = summary_of(daily_epaper(date=DAY, db=str(db), base_url=site.base_url, delay=0, return_state=True))
    assert [(u.rsplit("/", 1)[-1], s) for u, s, _ in first.failures] == [("node_02.html", "fetch")]
    assert first.counts.articles_loaded == 3  # 版面 01; 版面 03 is all ads; 版面 02's are unknown

    site.clear_faults()
    # The next scheduled run is for another day (here one without an issue); it still retries
    # yesterday's failed 版面 and loads the articles behind it.
    nxt = summary_of(
        daily_epaper(date="2025-09-04", db=str(db), base_url=site.base_url, delay=0, return_state=True)
    )
    assert nxt.counts.articles_loaded == 2
    assert [u.rsplit("/", 3)[-3:] for u, _, _ in nxt.failures] == [["202509", "04", "node_01.html"]]
    assert _q(db, "SELECT count(*) FROM articles") == [(5,)]
    assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL AND url LIKE '%node_02%'") == [
        (0,)
    ]


def test_pages_past_a_run_of_failures_come_from_the_page_switcher(
    tmp_path: Path,
    servers: tuple[FaultServer, FaultServer],
    fast_retries: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import etl.discover

    site, _ = servers
    db = tmp_path / "w.duckdb"
    monkeypatch.setattr(etl.discover, "MAX_CONSECUTIVE_LAYOUT_FAILURES", 1)  # the probe gives up at once
    node_02 = "/rmrb/pc/layout/202509/03/node_02.html"
    site.route(node_02, FaultSpec(body=_file(node_02), persistent_fault=Fault.error(500)))
    summary = summary_of(
        daily_epaper(date=DAY, db=str(db), base_url=site.base_url, delay=0, return_state=True)
    )
    # 版面 03 was still read (it is all ads), from 版面 01's page switcher; only 版面 02 failed.
    assert site.count("/rmrb/pc/layout/202509/03/node_03.html") == 1
    assert [u.rsplit("/", 1)[-1] for u, _, _ in summary.failures] == ["node_02.html"]
