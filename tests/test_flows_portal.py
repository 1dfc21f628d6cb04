"""The portal flow on a copy of the sample site: it discovers from the sitemaps, loads each article
once, finds only new articles on its next run, falls back on channel list pages, and keeps to a
host's Crawl-delay."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from faultserver import FaultServer, FaultSpec

from flows.common import summary_of
from flows.portal import portal_news

pytestmark = pytest.mark.usefixtures("prefect_harness")

SITE = Path(__file__).parent / "fixtures" / "site"
FINANCE = "/n1/2025/0903/c1004-40556677.html"
FINANCE_2 = "/n1/2025/0903/c1004-40556677-2.html"
ZJ = "/n2/2025/0902/c134768-41234567.html"
NEW = "/n1/2025/0904/c1004-40559999.html"
FINANCE_SITEMAP = "/sitemap/cn/finance/news_sitemap.xml"
CHANNELS = ["finance", "zj"]


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[FaultServer, Path]]:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    with FaultServer(root=root) as server:
        yield server, root


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _publish_new_article(root: Path) -> None:
    """A new two-page finance article appears on the site and in its channel's sitemap."""
    for old, new in ((FINANCE, NEW), (FINANCE_2, NEW.replace(".html", "-2.html"))):
        page = (root / old.lstrip("/")).read_text(encoding="utf-8")
        page = page.replace("/n1/2025/0903/", "/n1/2025/0904/").replace("40556677", "40559999")
        page = page.replace("暑期文旅消费活力足", "秋季文旅消费开局良好")
        target = root / new.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    sitemap = root / FINANCE_SITEMAP.lstrip("/")
    entry = f"  <url><loc>http://finance.people.com.cn{NEW}</loc><lastmod>{now}</lastmod></url>\n</urlset>"
    sitemap.write_text(sitemap.read_text(encoding="utf-8").replace("</urlset>", entry), encoding="utf-8")


def test_discovers_from_sitemaps_then_only_what_is_new(
    tmp_path: Path, site: tuple[FaultServer, Path]
) -> None:
    server, root = site
    db = tmp_path / "w.duckdb"
    first = summary_of(
        portal_news(channels=CHANNELS, base_url=server.base_url, db=str(db), delay=0, return_state=True)
    )
    assert first.failures == []
    assert first.counts.articles_loaded == 2
    assert sorted(r[0] for r in _q(db, "SELECT content_id FROM articles")) == ["40556677", "L_41234567"]
    # The index once; each followed channel's sitemap once although the index lists finance twice.
    assert server.count("/sitemap_index.xml") == 1 and server.count(FINANCE_SITEMAP) == 1
    assert server.count(FINANCE_2) == 1  # the continuation page, fetched with its article only

    _publish_new_article(root)
    server.clear_requests()
    second = summary_of(
        portal_news(channels=CHANNELS, base_url=server.base_url, db=str(db), delay=0, return_state=True)
    )
    assert second.failures == []
    assert second.counts.articles_loaded == 1
    fetched = {r.path for r in server.requests}
    assert NEW in fetched and FINANCE not in fetched and ZJ not in fetched
    assert _q(db, "SELECT count(*) FROM articles") == [(3,)]
    assert _q(db, "SELECT title FROM articles WHERE content_id = '40559999'") == [
        ("秋季文旅消费开局良好 服务消费成为新增长点",)
    ]


def test_channel_list_pages_when_the_sitemap_index_is_gone(
    tmp_path: Path, site: tuple[FaultServer, Path]
) -> None:
    server, _root = site
    server.route("/sitemap_index.xml", FaultSpec(status=404, body="<html><body>404</body></html>"))
    db = tmp_path / "w.duckdb"
    summary = summary_of(
        portal_news(channels=["finance"], base_url=server.base_url, db=str(db), delay=0, return_state=True)
    )
    assert server.count("/GB/1004/index.html") == 1
    assert _q(db, "SELECT content_id FROM articles") == [("40556677",)]
    # The index that answered 404 is recorded, and the articles it would have listed still loaded.
    assert [(u.rsplit("/", 1)[-1], s) for u, s, _ in summary.failures] == [("sitemap_index.xml", "fetch")]


def test_sitemaps_on_one_host_keep_its_crawl_delay(tmp_path: Path, site: tuple[FaultServer, Path]) -> None:
    server, _root = site
    server.robots("User-agent: *\nCrawl-delay: 2\n")
    db = tmp_path / "w.duckdb"
    summary_of(
        portal_news(channels=CHANNELS, base_url=server.base_url, db=str(db), delay=0, return_state=True)
    )
    asked = [r.at for r in server.requests if r.path != "/robots.txt"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(asked)]
    assert len(asked) >= 5 and min(gaps) >= 2.0 - 0.05
