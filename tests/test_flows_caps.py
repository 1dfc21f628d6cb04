"""What one hostile page can make a run do is bounded: 版面 entries, continuation pages, page
switchers and retried failures are capped, soft 404s end the 版面 probe, malformed links cost only
themselves. Real flow runs against a real server on 127.0.0.1 and a real DuckDB file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from faultserver import Fault, FaultServer, FaultSpec
from test_hostile_urls import malformed_links_layout

from etl import load
from etl.discover import MAX_CONTINUATION_PAGES, MAX_ENTRIES_PER_LAYOUT, MAX_EPAPER_PAGES
from etl.extract import EXTRACTOR_VERSION
from etl.models import Failure, PageKind
from flows.common import summary_of
from flows.epaper import daily_epaper
from flows.ingest import ingest_urls
from flows.tasks import MAX_RETRIES_PER_RUN

pytestmark = pytest.mark.usefixtures("prefect_harness")

SITE = Path(__file__).parent / "fixtures" / "site"
DAY = "2025-09-03"
LAYOUT = "/rmrb/pc/layout/202509/03/node_{:02d}.html"
PORTAL_FIRST = "/n1/2025/0903/c1004-40556677.html"
PORTAL_PAGE = "/n1/2025/0903/c1004-40556677-{}.html"


@pytest.fixture()
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETL_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("ETL_BACKOFF_MAX", "1")
    monkeypatch.setenv("ETL_MAX_ATTEMPTS", "2")


@pytest.fixture()
def site() -> Iterator[FaultServer]:
    with FaultServer(root=SITE) as server:
        yield server


def _file(path: str) -> str:
    return (SITE / path.lstrip("/")).read_text(encoding="utf-8")


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _paths(server: FaultServer, pattern: str) -> list[str]:
    """Request paths matching `pattern`, in arrival order."""
    rx = re.compile(pattern)
    return [r.path for r in server.requests if rx.search(r.path)]


def test_malformed_links_on_a_layout_cost_only_themselves(tmp_path: Path, site: FaultServer) -> None:
    site.route(LAYOUT.format(1), FaultSpec(body=malformed_links_layout()))
    summary = summary_of(
        daily_epaper(
            date=DAY, db=str(tmp_path / "w.duckdb"), base_url=site.base_url, delay=0, return_state=True
        )
    )
    assert summary.failures == [] and summary.status == "ok"
    assert _q(
        tmp_path / "w.duckdb", "SELECT content_id FROM articles WHERE template LIKE 'epaper%' ORDER BY 1"
    ) == [
        ("30170118",),
        ("30170119",),
        ("30170120",),
        ("30170121",),
        ("30170122",),
    ]


def test_a_layout_listing_ten_thousand_links_is_crawled_up_to_the_cap(
    tmp_path: Path, site: FaultServer
) -> None:
    links = "".join(
        f'<li><a href="../../../content/202509/03/content_9{i:07d}.html">第{i}条</a></li>'
        for i in range(10_000)
    )
    flood = re.sub(
        r'(<ul class="news-list">).*?(</ul>)', rf"\g<1>{links}\g<2>", _file(LAYOUT.format(2)), flags=re.DOTALL
    )
    site.route(LAYOUT.format(2), FaultSpec(body=flood))

    summary = summary_of(
        daily_epaper(
            date=DAY, db=str(tmp_path / "w.duckdb"), base_url=site.base_url, delay=0, return_state=True
        )
    )

    asked = _paths(site, r"content_9\d{7}\.html$")
    assert sorted(asked) == [
        f"/rmrb/pc/content/202509/03/content_9{i:07d}.html" for i in range(MAX_ENTRIES_PER_LAYOUT)
    ]
    assert len(summary.failures) == MAX_ENTRIES_PER_LAYOUT  # they answer 404: one row each, no more
    (limit,) = summary.limits
    assert "node_02.html" in limit and "10000" in limit and str(MAX_ENTRIES_PER_LAYOUT) in limit
    assert "Limits reached" in summary.as_markdown()
    # 版面 01's articles load as on any day.
    assert summary.counts.articles_loaded == 3


def _long_article(pages: int) -> str:
    """The sample two-page portal article, its page bar listing `pages` pages."""
    bar = "".join(f'<a href="{PORTAL_PAGE.format(n)}">【{n}】</a>' for n in range(2, pages + 1))
    return re.sub(
        r'(<div class="zdfy clearfix">).*?(</div>)',
        rf'\g<1><a href="{PORTAL_FIRST}">【1】</a>{bar}\g<2>',
        _file(PORTAL_FIRST),
        count=1,
        flags=re.DOTALL,
    )


def _serve_long_article(site: FaultServer, pages: int, failing: int | None = None) -> None:
    site.route(PORTAL_FIRST, FaultSpec(body=_long_article(pages)))
    for n in range(2, pages + 1):
        fault = Fault.error(500) if n == failing else None
        site.route(
            PORTAL_PAGE.format(n), FaultSpec(body=_file(PORTAL_PAGE.format(2)), persistent_fault=fault)
        )


def test_continuation_pages_are_read_in_order_up_to_the_cap(tmp_path: Path, site: FaultServer) -> None:
    _serve_long_article(site, pages=51)
    summary = summary_of(
        ingest_urls(urls=[site.url(PORTAL_FIRST)], db=str(tmp_path / "w.duckdb"), delay=0, return_state=True)
    )
    assert _paths(site, r"c1004-40556677-\d+\.html$") == [
        PORTAL_PAGE.format(n) for n in range(2, MAX_CONTINUATION_PAGES + 2)
    ]
    assert summary.failures == [] and summary.counts.articles_loaded == 1
    (limit,) = summary.limits
    assert "50 continuation pages" in limit and str(MAX_CONTINUATION_PAGES) in limit


def test_continuation_pages_stop_at_the_first_that_fails(
    tmp_path: Path, site: FaultServer, fast_retries: None
) -> None:
    _serve_long_article(site, pages=51, failing=6)
    summary = summary_of(
        ingest_urls(urls=[site.url(PORTAL_FIRST)], db=str(tmp_path / "w.duckdb"), delay=0, return_state=True)
    )
    asked = _paths(site, r"c1004-40556677-\d+\.html$")
    assert list(dict.fromkeys(asked)) == [PORTAL_PAGE.format(n) for n in range(2, 7)]
    ((url, stage, reason),) = summary.failures
    assert url == site.url(PORTAL_FIRST) and stage == "fetch" and "-6.html" in reason and "HTTP 500" in reason


def test_a_page_switcher_listing_other_days_stays_on_the_day(tmp_path: Path, site: FaultServer) -> None:
    other_days = [
        "../../02/node_01.html",
        "../../../202508/03/node_01.html",
        site.url("/rmrb/pc/layout/202409/03/node_02.html"),
        "/rmrb/html/2025-09/02/nbs.D110000renmrb_01.htm",
    ]
    slides = "".join(f'<div class="swiper-slide"><a href="{u}">往期</a></div>' for u in other_days)
    page = _file(LAYOUT.format(1)).replace(
        '<div class="swiper-container">', f'<div class="swiper-container">{slides}', 1
    )
    site.route(LAYOUT.format(1), FaultSpec(body=page))
    # Were they followed, each would answer a real 版面 whose own switcher leads further back.
    for path in ("/rmrb/pc/layout/202509/02/node_01.html", "/rmrb/pc/layout/202508/03/node_01.html"):
        site.route(path, FaultSpec(body=page))

    summary = summary_of(
        daily_epaper(
            date=DAY, db=str(tmp_path / "w.duckdb"), base_url=site.base_url, delay=0, return_state=True
        )
    )

    assert _paths(site, r"/(layout|html)/") == [LAYOUT.format(n) for n in (1, 2, 3, 4)]  # 04: the 404 end
    assert summary.failures == [] and summary.counts.articles_loaded == 5


def test_page_switchers_reach_at_most_a_day_of_pages(tmp_path: Path, site: FaultServer) -> None:
    slides = "".join(
        f'<div class="swiper-slide"><a href="node_{n:02d}.html">{n}版</a></div>' for n in range(1, 100)
    ) + "".join(f'<div class="swiper-slide"><a href="extra_{n}.html">加版</a></div>' for n in range(500))
    page = _file(LAYOUT.format(1)).replace(
        '<div class="swiper-container">', f'<div class="swiper-container">{slides}', 1
    )
    site.route(LAYOUT.format(1), FaultSpec(body=page))

    summary = summary_of(
        daily_epaper(
            date=DAY, db=str(tmp_path / "w.duckdb"), base_url=site.base_url, delay=0, return_state=True
        )
    )

    assert len(set(_paths(site, r"/layout/202509/03/"))) == MAX_EPAPER_PAGES
    assert any(f"more than {MAX_EPAPER_PAGES} 版面" in line for line in summary.limits)
    assert summary.counts.articles_loaded == 5


def _seed_failures(db: Path, site: FaultServer, ids: range) -> list[str]:
    urls = [site.url(f"/n1/2025/0903/c1004-7{i:07d}.html") for i in ids]
    failures = [
        Failure(u, "fetch", "HTTP 503 after 4 attempts", 503, 4, PageKind.PORTAL_ARTICLE) for u in urls
    ]
    load.ensure_schema(db)
    load.load_batch(db, "seed", failures=failures, extractor_version=EXTRACTOR_VERSION)
    return urls


def test_open_failures_are_retried_up_to_the_cap_least_recent_first(
    tmp_path: Path, site: FaultServer
) -> None:
    db = tmp_path / "w.duckdb"
    older = _seed_failures(db, site, range(0, 50))
    newer = _seed_failures(db, site, range(50, 50 + MAX_RETRIES_PER_RUN))
    assert len(load.open_failures(db)) == len(older) + len(newer)

    summary_of(ingest_urls(urls=[], db=str(db), delay=0, return_state=True))
    first = {site.url(p) for p in _paths(site, r"c1004-7\d{7}\.html$")}
    assert len(first) == MAX_RETRIES_PER_RUN and set(older) <= first

    site.clear_requests()
    summary_of(ingest_urls(urls=[], db=str(db), delay=0, return_state=True))
    second = {site.url(p) for p in _paths(site, r"c1004-7\d{7}\.html$")}
    # The ones the first run left out come first in the next.
    assert len(second) == MAX_RETRIES_PER_RUN and set(newer) - first <= second


SOFT_404 = {
    "bare": "<html><head><title>404</title></head><body><p>您访问的页面不存在</p></body></html>",
    "in the site's furniture": re.sub(
        r'<ul class="news-list">.*?</ul>|<map.*?</map>',
        "<p>对不起，您访问的页面不存在或已被删除！</p>",
        _file(LAYOUT.format(1)),
        flags=re.DOTALL | re.IGNORECASE,
    ),
}


@pytest.mark.parametrize("body", SOFT_404.values(), ids=SOFT_404.keys())
def test_a_soft_404_past_the_last_layout_ends_the_day(tmp_path: Path, site: FaultServer, body: str) -> None:
    db = tmp_path / "w.duckdb"
    for n in range(4, 61):  # the site answers every missing 版面 with a 200 page saying so
        site.route(LAYOUT.format(n), FaultSpec(body=body))
    for _run in range(2):
        summary = summary_of(
            daily_epaper(date=DAY, db=str(db), base_url=site.base_url, delay=0, return_state=True)
        )
        assert summary.status == "ok" and summary.failures == []
    assert site.count(LAYOUT.format(4)) == 2 and site.count(LAYOUT.format(5)) == 0
    assert _q(db, "SELECT count(*) FROM failures") == [(0,)]
    assert _q(db, "SELECT count(*) FROM articles") == [(5,)]
