"""人民日报 e-paper 版面 (page) templates: the swiper look (2020 onwards, and all of /rmrb/pc/) and
the older table look (#pageList/#titleList, ≈2008–2019)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from etl.models import LayoutEntry, LayoutPage
from etl.parse.dom import attr, first, first_text, select, select_one, text_of
from etl.parse.errors import ParseError
from etl.parse.template import Template
from etl.text_grammar.byline import credit_line_editors
from etl.text_grammar.normalise import normalise_text
from etl.text_grammar.patterns import RX_CREDIT_ENTRY, RX_PAGE_LABEL, date_from_cn
from etl.urls import date_from_url

# Old list titles are written by script: document.write(view("标题<br>副题  ")).
_RX_SCRIPT_TITLE = re.compile(r"""view\(\s*["'](.*?)["']\s*\)""", re.DOTALL)
_RX_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_RX_TAG = re.compile(r"<[^>]+>")
_MAP_AREAS = ("map[name=PagePicMap] area[href]", "map[name=pagepicmap] area[href]", "map area[href]")

log = logging.getLogger(__name__)


def resolve_link(base_url: str, href: str) -> str | None:
    """`href` made absolute against `base_url`, or None when either is not a usable URL.

    urljoin and urlsplit raise on an unbalanced IPv6 "[" or a host holding characters that
    NFKC-normalise to delimiters (a full-width ＃), and a port that is not a number in range only
    raises when read; one such link must cost that link, not the whole 版面.
    """
    try:
        url = urljoin(base_url, href.strip())
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number or out of range
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and not parts.hostname:
        return None
    return url


class LayoutTemplate(Template):
    entry_selectors: ClassVar[tuple[str, ...]]
    page_label_selectors: ClassVar[tuple[str, ...]]
    pdf_selectors: ClassVar[tuple[str, ...]]
    date_selectors: ClassVar[tuple[str, ...]]
    page_link_selectors: ClassVar[tuple[str, ...]]

    def parse(self) -> LayoutPage:
        entries = self.entries()
        if not entries:
            raise ParseError(f"{self.name}: layout page lists no articles")
        page_no, page_name = self.page_label()
        return LayoutPage(
            url=self.url,
            issue_date=self.issue_date(),
            page_no=page_no,
            page_name=page_name,
            entries=tuple(e for e in entries if not RX_CREDIT_ENTRY.search(e.title)),
            page_urls=self.page_urls(),
            pdf_url=self.pdf_url(),
            template=self.name,
            editors=tuple(
                n for e in entries if RX_CREDIT_ENTRY.search(e.title) for n in credit_line_editors(e.title)
            ),
        )

    def entries(self) -> tuple[LayoutEntry, ...]:
        """Links in DOM order, de-duplicated, the page-picture hotspots when the list is missing. The
        editors' credit line is among them (same markup as an article); `parse` splits it off."""
        for selectors in (self.entry_selectors, _MAP_AREAS):
            links = _first_nonempty(self.soup, selectors)
            if links:
                return self._entries_from(links)
        return ()

    def _entries_from(self, links: list[Tag]) -> tuple[LayoutEntry, ...]:
        entries: dict[str, LayoutEntry] = {}
        for link in links:
            url = resolve_link(self.url, attr(link, "href"))
            title = self._link_title(link)
            if url is None:
                log.warning("%s: skipped malformed link %r (%s)", self.url, attr(link, "href"), title)
                continue
            if url in entries:
                continue
            entries[url] = LayoutEntry(url=url, title=title)
        return tuple(entries.values())

    @staticmethod
    def _link_title(link: Tag) -> str:
        title = text_of(link) or normalise_text(attr(link, "title") or attr(link, "alt"))
        script = link.find("script") if not title else None
        if script is not None and (m := _RX_SCRIPT_TITLE.search(script.get_text())):
            title = normalise_text(_RX_TAG.sub("", _RX_BR.sub(" ", m.group(1))))
        return title

    def page_label(self) -> tuple[int | None, str | None]:
        """("第01版：要闻") -> (1, "要闻")."""
        for selector in self.page_label_selectors:
            for node in select(self.soup, selector):
                if m := RX_PAGE_LABEL.search(text_of(node)):
                    words = m.group(2).split()
                    return int(m.group(1)), (words[0] if words else None)
        return None, None

    def pdf_url(self) -> str | None:
        node = first(self.soup, self.pdf_selectors)
        return resolve_link(self.url, attr(node, "href")) if node is not None else None

    def issue_date(self) -> dt.date | None:
        printed = date_from_cn(first_text(self.soup, self.date_selectors))
        return printed or date_from_url(self.url)

    def page_urls(self) -> tuple[str, ...]:
        links = _first_nonempty(self.soup, self.page_link_selectors)
        urls = (resolve_link(self.url, attr(link, "href")) for link in links)
        return tuple(dict.fromkeys(url for url in urls if url is not None))


class EpaperLayoutNew(LayoutTemplate):
    """div.paper-box (map + page picture), .paper-bot (.ban label, PDF), .swiper-slide pages, .news-list."""

    name = "epaper_layout_new"
    # Any one of the three blocks identifies the swiper look.
    requires_any = (".news-list", ".paper-bot", ".swiper-container .swiper-slide")
    forbids = (".article", "div.text_c")
    entry_selectors = (".news ul.news-list li a[href]", ".news-list li a[href]", ".news-list a[href]")
    page_label_selectors = (".paper-bot .ban", ".paper-bot p.left", ".paper-bot")
    pdf_selectors = ('.paper-bot .btn a[href$=".pdf"]', '.paper-bot a[href$=".pdf"]', 'a[href$=".pdf"]')
    date_selectors = (".date-box .newstime", ".date-box .date", ".date-box")
    page_link_selectors = (".swiper-box .swiper-slide a[href]", ".swiper-slide a[href]", "#list li a[href]")


class EpaperLayoutOld(LayoutTemplate):
    """Table look: div.ban_t label + PDF, #riqi_ date, #titleList articles, #pageList page switcher."""

    name = "epaper_layout_old"
    requires_any = ("#titleList", "#pageList", "div.ban_t")
    forbids = ("div.text_c",)
    entry_selectors = ("#titleList ul li a[href]", "#titleList a[href]")
    page_label_selectors = ("div.ban_t li", ".list_l .l_t", "#pageNameForJiaoHu")
    pdf_selectors = ('div.ban_t a[href$=".pdf"]',)
    date_selectors = ("#riqi_",)
    page_link_selectors = ("#pageList .right_title-name a[href]", "#pageList a[href$='.htm']")

    def pdf_url(self) -> str | None:
        """The label's PDF link, else the PDF on this page's row of the page switcher."""
        if found := super().pdf_url():
            return found
        for row in select(self.soup, "#pageList .right_title-name"):
            link, pdf = select_one(row, "a[href]"), _next_pdf_link(row)
            if (
                link is not None
                and pdf is not None
                and resolve_link(self.url, attr(link, "href")) == self.url
            ):
                return resolve_link(self.url, attr(pdf, "href"))
        return None


class EpaperIssueIndex(LayoutTemplate):
    """layout/index.html: the latest issue as a #list of its 版面 ("第01版 要闻" → YYYYMM/DD/node_01.html).

    It lists pages, not articles, so its LayoutPage has page_urls and no entries; the issue date
    comes from the page URLs because index.html itself carries none.
    """

    name = "epaper_issue_index"
    requires_all = ("#list li a[href]",)
    forbids = (".news-list", "#titleList", ".article", "div.text_c")
    entry_selectors = ()
    page_label_selectors = ()
    pdf_selectors = ()
    date_selectors = (".date-box .newstime", ".date-box")
    page_link_selectors = ("#list li a[href*='node_']", "#list li a[href]")

    def parse(self) -> LayoutPage:
        page_urls = self.page_urls()
        if not page_urls:
            raise ParseError(f"{self.name}: issue index lists no pages")
        return LayoutPage(
            url=self.url,
            issue_date=date_from_url(page_urls[0]) or self.issue_date(),
            page_no=None,
            page_name=None,
            entries=(),
            page_urls=page_urls,
            template=self.name,
        )


def _next_pdf_link(row: Tag) -> Tag | None:
    sibling = row.find_next_sibling(class_="right_title-pdf")
    return select_one(sibling, 'a[href$=".pdf"]') if isinstance(sibling, Tag) else None


def _first_nonempty(soup: BeautifulSoup, selectors: tuple[str, ...]) -> list[Tag]:
    for selector in selectors:
        found = [node for node in select(soup, selector) if attr(node, "href").strip()]
        if found:
            return found
    return []
