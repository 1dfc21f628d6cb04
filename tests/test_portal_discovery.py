"""Portal discovery: sitemap index -> channel news sitemaps (or channel list pages) -> new articles."""

from __future__ import annotations

import datetime as dt

from etl.sitemaps import (
    BEIJING,
    SitemapEntry,
    channel_sitemaps,
    list_page_articles,
    new_articles,
    parse_lastmod,
    read_sitemap,
)
from etl.urls import on_mirror, sitemap_channel

INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://www.people.cn/sitemap/cn/politics/news_sitemap.xml</loc></sitemap>
  <sitemap><loc>http://www.people.cn/sitemap/cn/legal/news_sitemap.xml</loc></sitemap>
  <sitemap><loc>http://www.people.cn/sitemap/cn/finance/news_sitemap.xml</loc></sitemap>
  <sitemap><loc>http://www.people.cn/sitemap/cn/legal/news_sitemap.xml</loc></sitemap>
</sitemapindex>"""

URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://politics.people.com.cn/n1/2025/1028/c1001-40591001.html</loc><lastmod>2025-10-28T09:00:00+08:00</lastmod></url>
  <url><loc>http://politics.people.com.cn/n1/2025/1027/c1001-40590001.html</loc><lastmod>2025-10-27T21:30:00+08:00</lastmod></url>
  <url><loc>http://politics.people.com.cn/n1/2025/1028/c1001-40591001-2.html</loc><lastmod>2025-10-28T09:00:00+08:00</lastmod></url>
  <url><loc>http://leaders.people.com.cn/n1/2025/1028/c58278-40591001.html</loc><lastmod>2025-10-28T09:05:00+08:00</lastmod></url>
  <url><loc>http://politics.people.com.cn/GB/1024/index.html</loc><lastmod>2025-10-28T09:10:00+08:00</lastmod></url>
  <url><loc>http://politics.people.com.cn/n1/2025/1028/c1001-40591002.html</loc></url>
</urlset>"""


def test_sitemap_index_lists_each_channel_once() -> None:
    index = read_sitemap(INDEX)
    assert index.is_index
    assert [sitemap_channel(e.url) for e in index.entries] == ["politics", "legal", "finance"]
    assert channel_sitemaps(index, ["legal", "finance"]) == [
        "http://www.people.cn/sitemap/cn/legal/news_sitemap.xml",
        "http://www.people.cn/sitemap/cn/finance/news_sitemap.xml",
    ]
    assert len(channel_sitemaps(index, None)) == 3


def test_news_sitemap_gives_each_new_article_once() -> None:
    urlset = read_sitemap(URLSET)
    assert not urlset.is_index
    since = dt.datetime(2025, 10, 28, tzinfo=BEIJING)
    # The continuation page, the same story in a second channel, the list page and the entry modified
    # before `since` are not new articles; an entry without lastmod is kept.
    assert new_articles(urlset.entries, since) == [
        "http://politics.people.com.cn/n1/2025/1028/c1001-40591001.html",
        "http://politics.people.com.cn/n1/2025/1028/c1001-40591002.html",
    ]
    assert len(new_articles(urlset.entries, None)) == 3


def test_lastmod_forms() -> None:
    assert parse_lastmod("2025-09-03") == dt.datetime(2025, 9, 3, tzinfo=BEIJING)
    assert parse_lastmod("2025-09-02 17:32:00") == dt.datetime(2025, 9, 2, 17, 32, tzinfo=BEIJING)
    assert parse_lastmod("2025-09-03T00:15:00Z") == dt.datetime(2025, 9, 3, 0, 15, tzinfo=dt.UTC)
    assert parse_lastmod("2025-09-03T08:15+08:00") == dt.datetime(2025, 9, 3, 0, 15, tzinfo=dt.UTC)
    assert parse_lastmod("yesterday") is None and parse_lastmod("") is None


def test_hostile_or_broken_sitemaps_read_as_empty_and_resolve_no_entities() -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a.people.com.cn/&x;</loc></url></urlset>'
    )
    assert all("root:" not in e.url for e in read_sitemap(xxe).entries)
    assert read_sitemap("<html><body>系统维护中</body></html>").entries == ()
    assert read_sitemap("\x00\x01 not xml").entries == ()
    assert read_sitemap("").entries == ()


def test_channel_list_page_links() -> None:
    html = (
        '<ul><li><a href="/n1/2025/1028/c1001-40591001.html">甲</a></li>'
        '<li><a href="/n1/2025/1028/c1001-40591001-2.html">甲（2）</a></li>'
        '<li><a href="http://[::1/broken">坏链接</a></li>'
        '<li><a href="index2.html">下一页</a></li></ul>'
    )
    assert list_page_articles(html, "http://politics.people.com.cn/GB/1024/index.html") == [
        "http://politics.people.com.cn/n1/2025/1028/c1001-40591001.html"
    ]


def test_mirror_keeps_the_path() -> None:
    assert (
        on_mirror("http://www.people.cn/sitemap/cn/finance/news_sitemap.xml", "http://127.0.0.1:8765")
        == "http://127.0.0.1:8765/sitemap/cn/finance/news_sitemap.xml"
    )
    assert on_mirror("http://a.people.com.cn/x.html", None) == "http://a.people.com.cn/x.html"


def test_sitemap_entry_without_lastmod_is_new() -> None:
    entry = SitemapEntry("http://finance.people.com.cn/n1/2025/0903/c1004-40556677.html")
    assert new_articles([entry], dt.datetime(2030, 1, 1, tzinfo=dt.UTC)) == [entry.url]
