"""Soft 404s: a 200 answer that only says the page does not exist, in any template or none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from etl.fetch import decode_html
from etl.models import FetchResult, FetchStatus
from etl.parse import is_not_found_page, is_soft_404

FIXTURES = Path(__file__).parent / "fixtures"
NODE_01 = FIXTURES / "site/rmrb/pc/layout/202509/03/node_01.html"


def _chrome(message: str, title: str = "人民日报") -> str:
    """The site's own 版面 furniture (styles, header, page switcher) around a message and no list."""
    page = NODE_01.read_text(encoding="utf-8")
    head, _, _ = page.partition("<body")
    return (
        f"{head.replace('<title>', f'<title>{title}', 1)}<body><div class='header'><a href='/'>首页</a>"
        "<a href='/rmrb/pc/layout/index.html'>版面导航</a><a href='/about.html'>关于我们</a></div>"
        f"<div class='main'><p class='error'>{message}</p></div></body></html>"
    )


SOFT_404S = {
    "bare text": "页面不存在",
    "english status line": "404 Not Found",
    "minimal html": "<html><body>404</body></html>",
    "title only": "<html><head><title>您访问的页面不存在</title></head>"
    "<body><a href='/'>返回首页</a></body></html>",
    "nginx style": "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1>"
    "</center><hr><center>nginx</center></body></html>",
    "apology": "<html><body><div><h2>抱歉，找不到您要的页面</h2><p>5秒后自动返回首页</p></div></body></html>",
    "in the site's template": _chrome("对不起，您访问的页面不存在或已被删除！"),
    "english in the site's template": _chrome("The page cannot be found.", title="Not Found"),
    # The 版面 furniture with no article list and no page picture: nothing but the message.
    "the 版面 template with nothing in it": re.sub(
        r'<ul class="news-list">.*?</ul>|<map.*?</map>',
        '<ul class="news-list"></ul><p>该版面不存在</p>',
        NODE_01.read_text(encoding="utf-8"),
        flags=re.DOTALL | re.IGNORECASE,
    ),
}


@pytest.mark.parametrize("html", SOFT_404S.values(), ids=SOFT_404S.keys())
def test_not_found_pages_are_recognised(html: str) -> None:
    assert is_not_found_page(html)


def _fixture_pages() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".html", ".htm"))


@pytest.mark.parametrize("path", _fixture_pages(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_no_fixture_page_is_a_not_found_page(path: Path) -> None:
    text = decode_html(path.read_bytes()).text
    assert not is_not_found_page(text)


NOT_SOFT_404S = {
    "empty": "",
    "no phrase": "<html><body><p>欢迎访问</p></body></html>",
    "a short article about a 404 error": "<html><head><title>网站改版</title></head><body>"
    + "<p>　　记者调查发现，部分政务网站仍有页面不存在、链接失效等问题，群众办事受到影响。</p>" * 30
    + "</body></html>",
    # The real 版面 with a headline that happens to say 页面不存在: it still lists its articles.
    "版面 mentioning the phrase": NODE_01.read_text(encoding="utf-8").replace(
        "前8个月中欧班列开行超1.2万列", "清理“页面不存在”的僵尸网站", 1
    ),
}


@pytest.mark.parametrize("html", NOT_SOFT_404S.values(), ids=NOT_SOFT_404S.keys())
def test_pages_with_content_or_without_the_phrase_are_not(html: str) -> None:
    assert not is_not_found_page(html)


@pytest.mark.parametrize(
    ("status", "text", "soft_404"),
    [
        (FetchStatus.OK, SOFT_404S["in the site's template"], True),
        (FetchStatus.NOT_MODIFIED, SOFT_404S["bare text"], True),  # a 304 re-read from the archive
        (FetchStatus.OK, NODE_01.read_text(encoding="utf-8"), False),  # a real 版面
        (FetchStatus.NOT_FOUND, SOFT_404S["bare text"], False),  # already the 404 it says
        (FetchStatus.FAILED, SOFT_404S["bare text"], False),
        (FetchStatus.OK, None, False),
    ],
)
def test_a_fetch_is_a_soft_404_when_it_answered_with_a_not_found_page(
    status: FetchStatus, text: str | None, soft_404: bool
) -> None:
    fetch = FetchResult("http://paper.people.com.cn/x.html", status, http_status=200, text=text)
    assert is_soft_404(fetch) is soft_404
