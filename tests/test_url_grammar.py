"""What a People's Daily URL means (etl.urls): 版面 URLs of a day, page kinds, dates, the first
page of a paginated article, and the key an article is stored under on any host."""

import datetime as dt

import pytest

from etl.models import PageKind
from etl.urls import canonical_article_url, classify_url, date_from_url, epaper_layout_url, source_key


def test_layout_url_uses_the_scheme_of_the_day() -> None:
    assert (
        epaper_layout_url(dt.date(2024, 12, 1), 2)
        == "http://paper.people.com.cn/rmrb/pc/layout/202412/01/node_02.html"
    )
    assert (
        epaper_layout_url(dt.date(2024, 11, 30), 12)
        == "http://paper.people.com.cn/rmrb/html/2024-11/30/nbs.D110000renmrb_12.htm"
    )


@pytest.mark.parametrize(
    ("url", "kind", "day"),
    [
        (
            "http://paper.people.com.cn/rmrb/pc/layout/202412/25/node_01.html",
            PageKind.EPAPER_LAYOUT,
            "2024-12-25",
        ),
        (
            "http://127.0.0.1:9/rmrb/pc/content/202509/03/content_30171234.html",
            PageKind.EPAPER_ARTICLE,
            "2025-09-03",
        ),
        (
            "http://paper.people.com.cn/rmrb/html/2019-03/01/nbs.D110000renmrb_01.htm",
            PageKind.EPAPER_LAYOUT,
            "2019-03-01",
        ),
        (
            "http://paper.people.com.cn/rmrb/html/2022-07/22/nw.D110000renmrb_20220722_6-02.htm",
            PageKind.EPAPER_ARTICLE,
            "2022-07-22",
        ),
        (
            "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html",
            PageKind.PORTAL_ARTICLE,
            "2024-04-24",
        ),
        ("http://js.people.com.cn/n2/2022/0213/c360307-35131671.html", PageKind.PORTAL_ARTICLE, "2022-02-13"),
        (
            "http://culture.people.com.cn/n1/2019/0615/c1013-31153719-2.html",
            PageKind.PORTAL_ARTICLE,
            "2019-06-15",
        ),
    ],
)
def test_classify_and_date(url: str, kind: PageKind, day: str) -> None:
    assert classify_url(url) is kind
    assert date_from_url(url) == dt.date.fromisoformat(day)


def test_unknown_url_and_impossible_date() -> None:
    assert classify_url("http://www.people.com.cn/") is None
    assert date_from_url("http://x/n1/2024/1345/c1-2.html") is None


def test_canonical_url_drops_the_page_suffix() -> None:
    assert (
        canonical_article_url("http://culture.people.com.cn/n1/2019/0615/c1013-31153719-3.html")
        == "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html"
    )
    same = "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html"
    assert canonical_article_url(same) == same


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the same e-paper article from the live site and from a mirror on another host and port
        (
            "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html",
            "http://127.0.0.1:8765/rmrb/pc/content/202509/03/content_30170118.html",
        ),
        # one portal story published in two channels, and its second page
        (
            "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html",
            "http://www.people.com.cn/n1/2024/0424/c1001-40223222-2.html",
        ),
        (
            "http://paper.people.com.cn/rmrb/html/2022-07/22/nw.D110000renmrb_20220722_6-02.htm",
            "https://mirror.example/rmrb/html/2022-07/22/nw.D110000renmrb_20220722_6-02.htm",
        ),
    ],
)
def test_one_article_one_source_key(a: str, b: str) -> None:
    assert source_key(a) == source_key(b)


def test_different_articles_have_different_keys() -> None:
    keys = {
        source_key("http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html"),
        source_key("http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170119.html"),
        source_key("http://paper.people.com.cn/rmrb/html/2022-07/22/nw.D110000renmrb_20220722_6-02.htm"),
        source_key("http://paper.people.com.cn/rmrb/html/2022-07/22/nw.D110000renmrb_20220722_7-02.htm"),
        source_key("http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html"),
        # provincial channels number their content apart from the national ones
        source_key("http://js.people.com.cn/n2/2024/0424/c360307-40223222.html"),
        source_key("http://example.org/some/page.html"),
    }
    assert len(keys) == 7


def test_a_page_of_the_day_has_one_key_on_any_host() -> None:
    live = "http://paper.people.com.cn/rmrb/pc/layout/202509/03/node_02.html"
    assert source_key(live) == source_key("http://127.0.0.1:8765/rmrb/pc/layout/202509/03/node_02.html")
    assert source_key(live) != source_key("http://paper.people.com.cn/rmrb/pc/layout/202509/03/node_03.html")
