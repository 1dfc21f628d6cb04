"""Soft 404s: pages that answer 200 but say the page does not exist.

The e-paper answers a 版面 past the last one of a day with a 404 on some mirrors and with a 200
"页面不存在" page on others (in the site's template or none at all). Judged from the page alone:
no article or 版面 content, little text of its own, and a not-found phrase in the title or the text.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString

from etl.models import FetchResult, FetchStatus
from etl.parse.dom import make_soup
from etl.parse.errors import ParseError
from etl.text_grammar.normalise import normalise_text

# What such pages say, in Chinese or English ("您访问的页面不存在", "抱歉，找不到您要的页面",
# "404 Not Found", "The page cannot be found"). A bare 404 must stand alone, not inside 40404.
_RX_NOT_FOUND = re.compile(
    r"(?:页面|网页|文章|稿件|内容|版面)\S{0,4}?(?:不存在|未找到|找不到|已删除|被删除|无法访问|无法找到)"
    r"|找不到\S{0,8}?(?:页面|网页)"
    r"|(?<![0-9])404(?![0-9])"
    r"|not\s*found"
    r"|page\s+(?:cannot|can't|could\s+not)\s+be\s+found",
    re.IGNORECASE,
)

# Text of the page's own (outside links, scripts and the <head>): an error page says one or two
# sentences; navigation links around them do not count. Real articles and 版面 pages never reach
# this test (they parse), but a long page without a template is not judged a not-found page.
MAX_NOT_FOUND_TEXT_CHARS = 1000

_NOT_TEXT = frozenset({"script", "style", "noscript", "a", "head", "title", "template"})


def is_not_found_page(html: str) -> bool:
    """True when `html` is a not-found page served with a 200 (a soft 404); never for a page that
    parses as an article or a 版面 with entries."""
    if not html.strip():
        return False
    soup = make_soup(html)
    own_text = _own_text(soup)
    if len(own_text) > MAX_NOT_FOUND_TEXT_CHARS:
        return False
    title = normalise_text(soup.title.get_text()) if soup.title is not None else ""
    if not (_RX_NOT_FOUND.search(title) or _RX_NOT_FOUND.search(own_text)):
        return False
    return not _has_content(html)


def is_soft_404(fetch: FetchResult) -> bool:
    """A fetched page that answered with a body (200, or a 304 re-read from the archive) which only
    says the page does not exist: the 404 it stands for."""
    answered = fetch.status in (FetchStatus.OK, FetchStatus.NOT_MODIFIED)
    return answered and fetch.text is not None and is_not_found_page(fetch.text)


def _own_text(soup: BeautifulSoup) -> str:
    parts: list[str] = []
    for element in soup.find_all(string=True):
        if not isinstance(element, NavigableString) or isinstance(element, Comment):
            continue
        if any(parent.name in _NOT_TEXT for parent in element.parents):
            continue
        parts.append(str(element))
    return normalise_text(" ".join(parts))


def _has_content(html: str) -> bool:
    """Does any article or 版面 template read content from the page?"""
    # Imported here: the package imports this module to export it.
    from etl.parse import parse_article, parse_layout

    for parse in (parse_layout, parse_article):
        try:
            parse(html, "http://localhost/")
        except ParseError:
            continue
        except Exception:  # a parser crashing on the page still means it saw something of its own
            return True
        return True
    return False
