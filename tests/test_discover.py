import datetime as dt

import pytest

from etl.discover import article_refs, epaper_layout_refs, is_credit_entry
from etl.models import LayoutEntry, LayoutPage, PageKind


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
