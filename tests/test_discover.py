import datetime as dt

import pytest

from etl.discover import article_refs, epaper_layout_refs, is_credit_entry
from etl.models import LayoutEntry, LayoutPage, PageKind
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


def test_layout_refs_use_the_base_url_of_a_mirror() -> None:
    refs = epaper_layout_refs(dt.date(2025, 9, 3), "http://127.0.0.1:8000/")
    assert refs[0].url == "http://127.0.0.1:8000/rmrb/pc/layout/202509/03/node_01.html"
    assert [r.page_no for r in refs[:3]] == [1, 2, 3]
    assert all(r.kind is PageKind.EPAPER_LAYOUT and r.issue_date == dt.date(2025, 9, 3) for r in refs)


@pytest.mark.parametrize(
    ("title", "credit"),
    [
        ("本版责编：李  拯  王  浩", True),
        ("责任编辑:张三", True),
        (" 本版责编：吴  凯", True),
        ("本版责编制度改革见成效", False),  # a headline that merely starts with the same characters
        ("上海港集装箱吞吐量再创新高", False),
    ],
)
def test_credit_entries(title: str, credit: bool) -> None:
    assert is_credit_entry(title) is credit


def _layout(page_no: int, name: str, *entries: tuple[str, str]) -> LayoutPage:
    return LayoutPage(
        url=f"http://x/rmrb/pc/layout/202509/03/node_{page_no:02d}.html",
        issue_date=dt.date(2025, 9, 3),
        page_no=page_no,
        page_name=name,
        entries=tuple(LayoutEntry(u, t) for u, t in entries),
    )


def test_article_refs_skip_ads_credits_and_repeats() -> None:
    layouts = [
        _layout(1, "要闻", ("http://x/c/1.html", "头条"), ("http://x/c/2.html", "转版稿")),
        _layout(2, "经济", ("http://x/c/2.html", "转版稿"), ("http://x/c/3.html", "本版责编：王  浩")),
        _layout(3, "广告", ("http://x/c/4.html", "某品牌")),
    ]
    refs = article_refs(layouts)
    assert [r.url for r in refs] == ["http://x/c/1.html", "http://x/c/2.html"]
    assert refs[0].page_no == 1 and refs[0].page_name == "要闻" and refs[0].title_hint == "头条"
    assert all(r.kind is PageKind.EPAPER_ARTICLE for r in refs)


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
