"""URL helpers take whatever a page links to: garbage gives a safe answer, never an exception, and
one malformed link on a 版面 costs that link only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from etl import discover, urls
from etl.fetch import politeness
from etl.models import LayoutPage, PageKind
from etl.parse import ParseError, parse_layout
from etl.parse.layout import resolve_link
from etl.text_grammar import patterns as pat

SITE = Path(__file__).parent / "fixtures" / "site"
NODE_01 = SITE / "rmrb/pc/layout/202509/03/node_01.html"
NODE_01_URL = "http://paper.people.com.cn/rmrb/pc/layout/202509/03/node_01.html"

# Links that make urljoin/urlsplit raise, or whose port only raises when read.
MALFORMED_LINKS = (
    "http://[::1/rmrb/pc/content/202509/03/content_1.html",  # unbalanced IPv6 bracket
    "http://paper.people.com.cn＃/rmrb/pc/content/202509/03/content_2.html",  # full-width ＃ in the host
    "http://paper.people.com.cn:99999/rmrb/pc/content/202509/03/content_3.html",  # port out of range
    "http://paper.people.com.cn:8o/rmrb/pc/content/202509/03/content_4.html",  # port not a number
)

# Every function of urls, patterns and politeness that takes a URL string (or text read from a page).
ONE_ARGUMENT_HELPERS: tuple[Callable[[str], object], ...] = (
    urls.classify_url,
    urls.ref_for_url,
    urls.canonical_article_url,
    urls.source_key,
    urls.content_id_of,
    urls.continuation_page,
    urls.epaper_old_page_no,
    urls.sitemap_channel,
    urls.path_of,
    urls.host_of,
    urls.date_from_url,
    pat.date_from_cn,
    pat.datetime_from_dateline,
    pat.strip_title_suffix,
    politeness.origin_of,
    politeness.robots_url,
)

_URL_PIECES = st.sampled_from(
    [
        "[",
        "]",
        "::1",
        "＃",
        "#",
        "?",
        "@",
        ":",
        ":99999",
        ":-1",
        ":8o",
        "%",
        "%zz",
        "\\",
        "/",
        "..",
        " ",
        "\x00",
    ]
)
URLISH = st.builds(
    "".join,
    st.lists(
        st.one_of(
            st.sampled_from(["http://", "https://", "//", "ftp://", "javascript:", "mailto:", "http:///"]),
            st.sampled_from(["paper.people.com.cn", "127.0.0.1", "例子.中国", "xn--", "a.b"]),
            st.sampled_from(
                ["/rmrb/pc/layout/202509/03/node_01.html", "/n1/2025/0903/c1004-40556677-2.html"]
            ),
            _URL_PIECES,
            st.text(max_size=8),
        ),
        max_size=8,
    ),
)
ANY_TEXT = st.one_of(st.text(), URLISH)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
@example("http://[::1/x")
@example("http://paper.people.com.cn＃/x")
@example("http://paper.people.com.cn:99999/x")
@example("http://a:b/x")
def test_url_helpers_never_raise(text: str) -> None:
    for helper in ONE_ARGUMENT_HELPERS:
        helper(text)
    assert politeness.host_allowed(urls.host_of(text), ("people.com.cn",)) in (True, False)
    assert discover.switcher_urls_of_day(_layout_with(page_urls=(text,)), dt.date(2025, 9, 3)) in ([], [text])


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, ANY_TEXT)
@example(NODE_01_URL, "http://[::1/x")
@example("http://[::1/x", "content_1.html")
@example(NODE_01_URL, "http://a.cn:99999/x")
def test_link_resolution_never_raises_and_gives_a_usable_url(base: str, href: str) -> None:
    url = resolve_link(base, href)
    if url is not None:
        politeness.origin_of(url)
        politeness.robots_url(url)
        assert urls.classify_url(url) in (*PageKind, None)


@pytest.mark.parametrize("url", MALFORMED_LINKS)
def test_malformed_urls_give_safe_answers(url: str) -> None:
    assert resolve_link(NODE_01_URL, url) is None
    assert politeness.origin_of(url) == ""
    assert urls.canonical_article_url(url) == url
    if "[" in url or "＃" in url:
        assert urls.host_of(url) == "" and politeness.robots_url(url) == ""
        assert urls.classify_url(url) is None and urls.source_key(url) == url


def _with_malformed_links(html: str) -> str:
    """The sample 版面 with a malformed link before, between and after its good entries, and one
    in its page switcher."""
    items = "".join(
        f'<li><span>·</span><a href="{link}"> 坏链接{i} </a></li>' for i, link in enumerate(MALFORMED_LINKS)
    )
    html = html.replace('<ul class="news-list">', '<ul class="news-list">' + items[: len(items) // 2], 1)
    html = html.replace("</ul>", items[len(items) // 2 :] + "</ul>", 1)
    switcher = '<div class="swiper-slide"><a href="http://[::1/node_04.html">04版</a></div>'
    return html.replace('<div class="swiper-container">', '<div class="swiper-container">' + switcher, 1)


def malformed_links_layout() -> str:
    return _with_malformed_links(NODE_01.read_text(encoding="utf-8"))


def test_a_malformed_link_costs_only_itself() -> None:
    clean = parse_layout(NODE_01.read_text(encoding="utf-8"), NODE_01_URL)
    hostile = parse_layout(malformed_links_layout(), NODE_01_URL)
    assert len(clean.entries) == 3
    assert hostile.entries == clean.entries
    assert hostile.page_urls == clean.page_urls
    assert hostile.page_no == 1 and hostile.issue_date == dt.date(2025, 9, 3)


def test_a_layout_at_a_malformed_url_fails_with_a_parse_error() -> None:
    # Every link resolves against the page's own URL, so none is usable: a clear one-line reason.
    with pytest.raises(ParseError, match="lists no articles"):
        parse_layout(NODE_01.read_text(encoding="utf-8"), "http://[::1/rmrb/pc/layout/202509/03/node_01.html")


def _layout_with(**kw: object) -> LayoutPage:
    fields: dict[str, object] = {
        "url": NODE_01_URL,
        "issue_date": dt.date(2025, 9, 3),
        "page_no": 1,
        "page_name": "要闻",
        "entries": (),
    }
    fields.update(kw)
    return LayoutPage(**fields)  # type: ignore[arg-type]
