"""The fallback for article pages no template claims, so that an article is never lost to a layout we
have not seen yet. Rows it produces carry the template name `generic`, so a new layout is noticed
and given a template of its own (docs/adding_a_template.md).

It reads what every People's Daily article page has whatever its markup: a heading that repeats the
<title>, a dateline ("2024年05月17日08:59 来源：…"), a 责编 line, and a body that is the block holding
the most prose in <p> paragraphs (text density, as readability-style extractors judge it; measured
against a general-purpose extractor on every fixture page in benchmarks/generic_fallback.py). The body
is then read by the same `BodyReader` as every template, so captions, bylines and furniture are
handled the same way and cleaning still applies.
"""

from __future__ import annotations

import datetime as dt
import re

from bs4 import BeautifulSoup, Tag

from etl.parse.dom import attr, select_one, text_of
from etl.parse.epaper import enp_properties
from etl.parse.portal import PortalArticle
from etl.text_grammar.normalise import normalise_text
from etl.text_grammar.patterns import (
    RX_EDITOR,
    RX_PAPER_REF,
    RX_SOURCE,
    datetime_from_dateline,
    strip_title_suffix,
)
from etl.urls import date_from_url

_RX_HAN = re.compile("[\u4e00-\u9fff]")
_RX_EDITOR_SPLIT = re.compile(r"[、，,\s]+")
# A paragraph counts towards a block's prose when it has this many Han characters outside links.
PARAGRAPH_MIN_HAN = 10
# A block is an article body only with this much prose: a list page's link blurbs stay below it.
BODY_MIN_HAN = 80
# Datelines, source and 责编 lines are short; a long paragraph that mentions a date is copy.
META_LINE_MAX_CHARS = 100
# Blocks that hold navigation and site chrome, never the article.
_CHROME_ANCESTORS = ("nav", "header", "footer", "ul", "ol", "li", "select", "form")
# What a site calls itself in <title> when a page has no title of its own.
_SITE_NAMES = frozenset({"人民日报", "人民网", "人民日报海外版", "中国共产党新闻网"})
_CONTAINERS = frozenset({"div", "td", "section", "article", "main", "center", "font", "span", "body"})


def _han_count(text: str) -> int:
    return len(_RX_HAN.findall(text))


def _prose_han(p: Tag) -> int:
    """Han characters of a paragraph that are not link text."""
    linked = sum(_han_count(text_of(a)) for a in p.find_all("a"))
    return _han_count(text_of(p)) - linked


def densest_block(root: Tag) -> Tag | None:
    """The block whose own <p> paragraphs hold the most prose, when that is enough for an article."""
    scores: dict[int, int] = {}
    blocks: dict[int, Tag] = {}
    for p in root.find_all("p"):
        if not isinstance(p, Tag) or p.find_parent(_CHROME_ANCESTORS) is not None:
            continue
        prose = _prose_han(p)
        if prose < PARAGRAPH_MIN_HAN:
            continue
        parent = p.parent
        while parent is not None and parent.name not in _CONTAINERS:
            parent = parent.parent
        if parent is None:
            continue
        scores[id(parent)] = scores.get(id(parent), 0) + prose
        blocks[id(parent)] = parent
    if not scores:
        return None
    best = max(scores, key=lambda key: scores[key])
    return blocks[best] if scores[best] >= BODY_MIN_HAN else None


def _heading_text(node: Tag) -> str:
    """A heading's text. lxml moves a <p> out of an <h1> ("<h1><p>标题</p></h1>" becomes an empty
    h1 and the p after it), so an empty heading reads the paragraph that follows it."""
    if text := text_of(node):
        return text
    following = node.find_next_sibling()
    return text_of(following) if isinstance(following, Tag) and following.name == "p" else ""


def _is_heading(node: Tag, text: str) -> bool:
    """A heading with words of its own: not a logo, not a link in the navigation."""
    if _han_count(text) < 4 or node.find_parent(_CHROME_ANCESTORS) is not None:
        return False
    linked = "".join(text_of(a) for a in node.find_all("a"))
    return linked != text


def _precedes(node: Tag, other: Tag) -> bool:
    return any(following is other for following in node.find_all_next(other.name))


class GenericArticle(PortalArticle):
    """Any article page: title, dateline, source, 责编 and body found by what they say, not where."""

    name = "generic"
    title_selectors = ()
    pre_title_selectors = ()
    subtitle_selectors = ()
    author_box_selectors = ()
    dateline_selectors = ()
    body_selectors = ()

    @classmethod
    def matches(cls, soup: BeautifulSoup) -> bool:
        return False  # never chosen by the DOM test: `parse_article` falls back on it explicitly

    def title(self) -> str:
        """The heading that repeats og:title, the e-paper CMS's title or the page's <title>; else the
        last heading before the body; else one of those titles itself."""
        og_tag = select_one(self.soup, "meta[property='og:title']")
        og = normalise_text(attr(og_tag, "content")) if og_tag is not None else ""
        page_title = strip_title_suffix(text_of(self.soup.title)) if self.soup.title is not None else ""
        enp_title = enp_properties(self.soup).get("title", "")
        known = (og, enp_title, page_title.split("--")[0].strip())
        wanted = [t for t in known if _han_count(t) >= 2 and t not in _SITE_NAMES]
        headings = [
            (h, _heading_text(h)) for h in self.soup.find_all(("h1", "h2", "h3")) if isinstance(h, Tag)
        ]
        headings = [(h, text) for h, text in headings if _is_heading(h, text)]
        for _heading, text in headings:
            if any(text in t or t in text for t in wanted):
                return text
        body = self.body()
        before_body = [text for h, text in headings if body is not None and _precedes(h, body)]
        if before_body:
            return before_body[-1]
        return wanted[0] if wanted else ""

    def _meta_lines(self) -> list[str]:
        """Short text blocks, in page order: where datelines, sources and 责编 lines live."""
        lines: list[str] = []
        for node in self.soup.find_all(("div", "p", "span", "b", "em", "i", "td", "h5")):
            if not isinstance(node, Tag) or node.find_parent(("script", "style")) is not None:
                continue
            text = text_of(node)
            if text and len(text) <= META_LINE_MAX_CHARS:
                lines.append(text)
        return lines

    def published_at(self) -> dt.datetime | None:
        # Never meta[name=publishdate]: e-paper pages carry a stale one.
        for line in self._meta_lines():
            if (when := datetime_from_dateline(line)) is not None:
                return when
        day = date_from_url(self.url)
        return dt.datetime(day.year, day.month, day.day) if day else None

    def source(self) -> str | None:
        for line in self._meta_lines():
            if datetime_from_dateline(line) is not None and (m := RX_SOURCE.search(line)):
                return m.group(1)
        meta = select_one(self.soup, "meta[name=source]")
        if meta is not None and (m := RX_SOURCE.search(normalise_text(attr(meta, "content")))):
            return m.group(1)
        # A page of the paper itself prints its issue reference instead: "《人民日报》（… 第 02 版）".
        if any(RX_PAPER_REF.search(line) for line in self._meta_lines()):
            return "人民日报"
        return None

    def editors(self) -> tuple[str, ...]:
        for line in reversed(self._meta_lines()):
            if m := RX_EDITOR.search(line):
                return tuple(n for n in _RX_EDITOR_SPLIT.split(m.group(1).strip()) if n)
        return ()

    def body(self) -> Tag | None:
        return densest_block(self.soup.body or self.soup)
