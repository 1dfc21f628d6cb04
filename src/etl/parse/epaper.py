"""人民日报 e-paper article templates: new (/rmrb/pc/content/, since 2024-12) and old table (nw.…htm)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import ClassVar

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString

from etl.models import Image, Paragraph
from etl.parse.article_base import ArticleTemplate
from etl.parse.dom import (
    drop_comments,
    first,
    first_text,
    is_ancestor,
    removal_groups,
    select,
    select_one,
    text_of,
)
from etl.text_grammar.byline import is_byline_paragraph, names_in
from etl.text_grammar.normalise import normalise_text
from etl.text_grammar.patterns import (
    RX_DATE_CN,
    RX_PAGE_LABEL,
    RX_PAPER_REF,
    date_from_cn,
    safe_date,
)
from etl.urls import content_id_of, date_from_url, epaper_old_page_no

PAPER_NAME = "人民日报"
_RX_ENP_BLOCK = re.compile(r"enpproperty(.*?)/enpproperty", re.DOTALL)
_RX_ENP_FIELD = re.compile(r"<(\w+)>(.*?)</\1>", re.DOTALL)
_RX_TAG = re.compile(r"<[^>]+>")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def enp_properties(soup: BeautifulSoup) -> dict[str, str]:
    """Fields of the hidden <!--enpproperty <title>…</title><author>…</author>…--> comment, as text."""
    comment = soup.find(string=lambda s: isinstance(s, Comment) and "enpproperty" in s)
    if comment is None:
        return {}
    block = _RX_ENP_BLOCK.search(str(comment))
    if block is None:
        return {}
    fields: dict[str, str] = {}
    for name, value in _RX_ENP_FIELD.findall(block.group(1)):
        fields.setdefault(name.lower(), normalise_text(html.unescape(_RX_TAG.sub(" ", value))))
    return fields


class EpaperArticle(ArticleTemplate):
    heading_root: ClassVar[str]
    byline_selectors: ClassVar[tuple[str, ...]]
    reference_selectors: ClassVar[tuple[str, ...]]  # nodes that print 《人民日报》（YYYY年MM月DD日 第 NN 版）
    issue_date_selectors: ClassVar[tuple[str, ...]]  # nodes that print the issue date alone
    # The page label of the furniture around the article: "第02版：要闻".
    page_label_selectors: ClassVar[tuple[str, ...]] = (".paper-bot .ban", ".paper-bot p.left")
    # Page furniture around the article: page picture, page switcher, article list, buttons.
    chrome: ClassVar[tuple[str, ...]] = (
        ".top", ".nav", ".paper-box", ".swiper-box", ".date-box", ".news", ".art-btn", "#go-top",
        "#tiaozhuan", ".bottom", ".copyright",
    )  # fmt: skip

    def __init__(self, soup: BeautifulSoup, url: str) -> None:
        super().__init__(soup, url)
        self._enp = enp_properties(soup)

    # ---- headings: <h1><p>标题</p></h1> comes back from lxml as <h1></h1><p>标题</p> ----------

    def title(self) -> str:
        return self._heading("h1") or self._enp.get("title", "") or self._displaced_heading("h1")

    def pre_title(self) -> str:
        return self._heading("h3") or self._enp.get("introtitle", "") or self._displaced_heading("h3")

    def subtitle(self) -> str:
        return self._heading("h2") or self._enp.get("subtitle", "") or self._displaced_heading("h2")

    def _heading_node(self, name: str) -> Tag | None:
        root = select_one(self.soup, self.heading_root)
        if root is None:
            return None
        return select_one(root, f":scope > {name}") or select_one(root, name)

    def _heading(self, name: str) -> str:
        node = self._heading_node(name)
        return text_of(node) if node is not None else ""

    def _displaced_heading(self, name: str) -> str:
        """Text of the <p>s lxml moved out of an empty heading: the siblings up to the next block."""
        node = self._heading_node(name)
        if node is None:
            return ""
        parts: list[str] = []
        for sibling in node.next_siblings:
            if isinstance(sibling, NavigableString):
                if normalise_text(str(sibling)) and not isinstance(sibling, Comment):
                    break
                continue
            if not isinstance(sibling, Tag) or sibling.name in _HEADINGS or sibling.name != "p":
                break
            if "sec" in (sibling.get("class") or []):
                break
            parts.append(text_of(sibling))
        return normalise_text(" ".join(parts))

    # ---- issue reference, byline ---------------------------------------------------------------

    def _reference(self) -> re.Match[str] | None:
        for selector in self.reference_selectors:
            for node in select(self.soup, selector):
                if m := RX_PAPER_REF.search(text_of(node)):
                    return m
        return None

    def published_at(self) -> dt.datetime | None:
        # Never <meta name=publishdate>: it is a stale 2013-07-17 on every e-paper page.
        ref = self._reference()
        day = safe_date(ref.group(1), ref.group(2), ref.group(3)) if ref else None
        day = day or self._printed_date() or date_from_url(self.url)
        return dt.datetime(day.year, day.month, day.day) if day else None

    def _printed_date(self) -> dt.date | None:
        """A bare issue date ("2025年09月03日") where the full 《人民日报》 reference is missing."""
        for selector in self.issue_date_selectors:
            for node in select(self.soup, selector):
                if day := date_from_cn(text_of(node)):
                    return day
        return None

    def source(self) -> str | None:
        return PAPER_NAME

    def page_no(self) -> int | None:
        if ref := self._reference():
            return int(ref.group(4))
        return epaper_old_page_no(self.url)

    def page_name(self) -> str | None:
        """<nodename> when it reads "第05版：评论", else the page label of the furniture around the
        article (.paper-bot .ban) when it names the same page as the issue reference."""
        if m := RX_PAGE_LABEL.fullmatch(self._enp.get("nodename", "")):
            return normalise_text(m.group(2)) or None
        label = RX_PAGE_LABEL.fullmatch(first_text(self.soup, self.page_label_selectors))
        if label is None or int(label.group(1)) != self.page_no():
            return None
        return normalise_text(label.group(2)).split(" ")[0] or None

    def content_id(self) -> str | None:
        """The id in the URL (content_N / nw.D110000renmrb_…), else the comment's <articleid>."""
        return content_id_of(self.url) or self._enp.get("articleid") or None

    def byline_authors(self) -> tuple[str, ...]:
        byline = self._byline_text()
        names = names_in(byline)
        if not names and _is_signature(byline):
            names = (byline,)  # a collective signature such as "本报评论部"
        return names or names_in(self._enp.get("author", ""))

    def _byline_text(self) -> str:
        node = first(self.soup, self.byline_selectors)
        if node is None:
            return ""
        text = text_of(node)
        if cut := RX_PAPER_REF.search(text) or RX_DATE_CN.search(text):
            text = text[: cut.start()]
        return normalise_text(text)

    # ---- body ----------------------------------------------------------------------------------

    def read_body(self, title: str) -> tuple[tuple[Paragraph, ...], tuple[Image, ...]]:
        body = self.body()
        for duplicate in select(self.soup, "#articleContent"):
            # #articleContent repeats #ozoom; drop it unless it is the body or wraps the body.
            if body is not None and duplicate is not body and not is_ancestor(duplicate, body):
                duplicate.decompose()
        if body is not None:
            for group in removal_groups(self.chrome):
                for node in select(self.soup, group):
                    decomposed = node.__dict__.get("_decomposed")
                    if not decomposed and node is not body and not is_ancestor(node, body):
                        node.decompose()
            drop_comments(body)
        return super().read_body(title)


def _is_signature(byline: str) -> bool:
    """A short signature that is not a person's name nor a bare role: "本报评论部", "任仲平"."""
    return 0 < len(byline) <= 20 and not is_byline_paragraph(byline) and not any(c.isdigit() for c in byline)


class EpaperArticleNew(EpaperArticle):
    """/rmrb/pc/content/…/content_N.html: div.article › h3/h1/h2, p.sec, div#ozoom."""

    name = "epaper_new"
    requires_all = (".article", "#ozoom, #articleContent")
    heading_root = ".article"
    byline_selectors = (".article > p.sec", "p.sec", ".article .sec")
    reference_selectors = (".article .sec", "p.sec", ".sec")
    issue_date_selectors = (".sec .date", ".sec .newstime", ".sec", ".date-box .newstime")
    body_selectors = (".article #ozoom", "#ozoom", "#articleContent")


class EpaperArticleOld(EpaperArticle):
    """nw.D110000renmrb_YYYYMMDD_i-NN.htm: div.text_c › h3/h1/h2/h4(byline), div.lai, div.c_c › div#ozoom."""

    name = "epaper_old"
    requires_all = ("div.text_c", "#ozoom")
    forbids = (".rm_txt", "#titleList", "#pageList")  # theory-channel portal pages reuse .text_c
    heading_root = "div.text_c"
    byline_selectors = ("div.text_c > h4", "div.text_c h4")
    reference_selectors = ("div.lai", "div.text_c")
    issue_date_selectors = ("div.lai", "#riqi_")
    body_selectors = ("div.c_c #ozoom", "#ozoom")
