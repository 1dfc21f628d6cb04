"""人民网 portal article templates: 2020+ ("2020wbc", with 2025–26 variants), 2016–2019 ("2016wb"), the
classic #p_content pages (www /n/ 2012–2015, cpc/theory channels), and channel layouts of their own
(health: div.articleCont; dangshi: div.content_text and div.text_c + div.text_show; pic photo
stories: div.title + div.page_c; capital and the later pic pages: div.p2j_text)."""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from bs4 import Tag

from etl.parse.article_base import ArticleTemplate
from etl.parse.dom import absolute, attr, first_text, select, select_one, text_of
from etl.text_grammar.byline import names_in
from etl.text_grammar.normalise import normalise_text
from etl.text_grammar.patterns import (
    RX_EDITOR,
    RX_PAPER_REF,
    RX_SOURCE,
    datetime_from_dateline,
    strip_title_suffix,
)
from etl.urls import content_id_of, continuation_page, date_from_url

_RX_EDITOR_SPLIT = re.compile(r"[、，,\s]+")
# A label some pages print inside the source node itself: "来源：人民网-《人民日报》".
_RX_SOURCE_LABEL = re.compile(r"^\s*[（(]?\s*(?:文章|稿件)?来源\s*[：:]\s*")
# A reprint of a print article names its issue and page in a short line of its own.
_PAPER_REF_MAX_CHARS = 60


class PortalArticle(ArticleTemplate):
    """Fields common to both portal templates; subclasses only change selectors."""

    title_selectors: ClassVar[tuple[str, ...]]
    pre_title_selectors: ClassVar[tuple[str, ...]]
    subtitle_selectors: ClassVar[tuple[str, ...]]
    author_box_selectors: ClassVar[tuple[str, ...]]
    dateline_selectors: ClassVar[tuple[str, ...]]
    # Nodes holding only the source name, for pages that print it apart from the dateline.
    source_selectors: ClassVar[tuple[str, ...]] = ()
    editor_selectors: ClassVar[tuple[str, ...]] = ("div.edit", ".edit")
    # Links to the pages of a long article; photo stories number their pages in a pager of their own.
    pager_selectors: ClassVar[tuple[str, ...]] = ("div.zdfy a[href]",)
    body_noise = (
        # the "next/previous page" button table follows the pager, so it goes before the pager itself
        "div.zdfy + center", "center:has(img[src*=next_page])", "center:has(img[src*=prev_page])", ".zdfy",
        ".bza", ".box_pic:not(:has(img))", ".otitle", ".edit", "p.paper_num",
        ".rm_relevant", ".rm_download", "#rwb_tjyd", ".box_news", ".box_down",
        ".rmw-page-view", ".rm_type", ".rm_dingy", ".rm_qxdingy", ".rm_yshouc", ".rm_shouc",
        ".share", "#ops_share",
    )  # fmt: skip

    def title(self) -> str:
        title = first_text(self.soup, self.title_selectors)
        if not title and (tag := self.soup.title) is not None:
            title = strip_title_suffix(text_of(tag))
        return title

    def pre_title(self) -> str:
        return first_text(self.soup, self.pre_title_selectors)

    def subtitle(self) -> str:
        return first_text(self.soup, self.subtitle_selectors)

    def published_at(self) -> dt.datetime | None:
        for selector in self.dateline_selectors:
            for node in select(self.soup, selector):
                if (when := datetime_from_dateline(text_of(node))) is not None:
                    return when
        day = date_from_url(self.url) or _meta_date(select_one(self.soup, "meta[name=publishdate]"))
        return dt.datetime(day.year, day.month, day.day) if day else None

    def source(self) -> str | None:
        """来源 from the dateline, else a node of its own, else <meta name=source> ("来源：人民日报")."""
        for selector in self.dateline_selectors:
            for node in select(self.soup, selector):
                if m := RX_SOURCE.search(text_of(node)):
                    return m.group(1)
        if named := first_text(self.soup, self.source_selectors):
            return _RX_SOURCE_LABEL.sub("", named).strip() or None
        meta = select_one(self.soup, "meta[name=source]")
        if meta is not None and (m := RX_SOURCE.search(normalise_text(attr(meta, "content")))):
            return m.group(1)
        return None

    def editors(self) -> tuple[str, ...]:
        for selector in self.editor_selectors:
            for node in select(self.soup, selector):
                if m := RX_EDITOR.search(text_of(node)):
                    return tuple(n for n in _RX_EDITOR_SPLIT.split(m.group(1).strip()) if n)
        return ()

    def byline_authors(self) -> tuple[str, ...]:
        return names_in(first_text(self.soup, self.author_box_selectors))

    def next_pages(self) -> tuple[str, ...]:
        """Later pages of a long article (…-2.html, -3.html) in order; never this page or an earlier one."""
        current = continuation_page(self.url)
        if current is None:
            return ()
        current_base, current_no = current
        pages: dict[int, str] = {}
        for link in (a for selector in self.pager_selectors for a in select(self.soup, selector)):
            href = absolute(self.url, attr(link, "href"))
            page = continuation_page(href)
            if page and page[0].rsplit("/", 1)[-1] == current_base.rsplit("/", 1)[-1]:
                page_no = page[1]
                if page_no > current_no:
                    pages.setdefault(page_no, href)
        return tuple(pages[n] for n in sorted(pages))

    def page_no(self) -> int | None:
        """The 版次 of a reprinted 人民日报 article: "《人民日报》（2024年05月10日 04 版）"."""
        for node in select(self.soup, "p, div.paper_num, span.paper_num"):
            text = text_of(node)
            if len(text) <= _PAPER_REF_MAX_CHARS and (m := RX_PAPER_REF.search(text)):
                return int(m.group(4))
        return None

    def content_id(self) -> str | None:
        meta = select_one(self.soup, "meta[name=contentid]")
        if meta is not None and (value := attr(meta, "content").strip()):
            return value
        return content_id_of(self.url)


class PortalArticle2016(PortalArticle):
    """2016–2019: div.text_title (h3.pre/h1/h4.sub, .box01 .fl dateline) + div.box_con#rwb_zw."""

    name = "portal_2016"
    requires_all = ("div.text_title", "#rwb_zw, div.box_con")
    title_selectors = (".text_title > h1", ".text_title h1")
    pre_title_selectors = (".text_title > h3.pre",)
    subtitle_selectors = (".text_title > h4.sub",)
    author_box_selectors = (".text_title > p.author",)
    dateline_selectors = (".text_title .box01 .fl", ".box01 .fl")
    body_selectors = ("#rwb_zw", "div.box_con")


class PortalArticle2020(PortalArticle):
    """2020+: div.rm_txt › div.col-1 (h3.pre/h1/h4.sub, .channel .col-1-1) + div.rm_txt_con.

    2025–26 variants keep the outer classes and add b#newstime, #rm_txt_zw, div.show_text and
    p.sou for the dateline.
    """

    name = "portal_2020"
    requires_all = (".rm_txt", "#rm_txt_zw, div.rm_txt_con, div.show_text")
    title_selectors = (".rm_txt .col-1 > h1", "h1#newstit", ".rm_txt h1")
    pre_title_selectors = (".rm_txt .col-1 > h3.pre", ".rm_txt h3.pre")
    subtitle_selectors = (".rm_txt .col-1 > h4.sub", ".rm_txt h4.sub")
    author_box_selectors = (".rm_txt .col-1 > .author", ".rm_txt .author")
    dateline_selectors = ("#newstime", ".rm_txt .channel .col-1-1", ".channel .col-1-1", "p.sou")
    body_selectors = ("#rm_txt_zw", "div.rm_txt_con", "div.show_text")


class PortalArticleClassic(PortalArticle):
    """#p_content / div.show_text pages without the 2016 or 2020 furniture.

    Two layouts share it: the www /n/ template of 2012–2015 (h1#p_title, span#p_publishtime,
    span#p_origin, div#p_content, #p_editor) and the cpc/theory channel pages (div.text_c with
    h3/h1/h4.sub, p.sou1 author, p.sou dateline, #p_content or div.show_text). The old e-paper
    article also uses div.text_c but always has #ozoom, which this template forbids.
    """

    name = "portal_classic"
    requires_all = ("#p_content, div.show_text",)
    # dangshi's div.content_text pages also have #p_content, but headings these selectors miss.
    forbids = (".rm_txt", "div.text_title", "#ozoom", "div.content_text")
    title_selectors = ("div.text_c > h1", "h1#p_title", "#p_title", ".text_c h1")
    # www pages print the 引题 as a <p class="p1"> right above the title.
    pre_title_selectors = ("div.text_c > h3", "#jtitle", "h3.pre", "p.p1:has(~ h1)")
    subtitle_selectors = ("div.text_c > h4.sub", "div.text_c > h2", "#ftitle", "h4.sub")
    author_box_selectors = ("div.text_c > p.sou1", "div.text_c > p.author", "p.author")
    dateline_selectors = ("p.sou", "#p_publishtime", "div.text_c > h5")
    source_selectors = ("#p_origin",)
    editor_selectors = ("#p_editor", "div.edit", ".edit")
    body_selectors = ("#p_content", "div.show_text")


class PortalArticleChannelCont(PortalArticle):
    """Channel layout of health.people.com.cn (and channels built on the same skeleton):
    div.articleCont › div.title (h4 引题, h2 title, h3 副题, p author), div.artOri dateline and 来源,
    div.artDet body, div.editor 责编."""

    name = "portal_article_cont"
    requires_all = ("div.articleCont", "div.articleCont div.artDet")
    forbids = (".rm_txt", "div.text_title", "#ozoom")
    title_selectors = (".articleCont > .title > h2", ".articleCont .title h2", ".articleCont h1")
    pre_title_selectors = (".articleCont > .title > h4",)
    subtitle_selectors = (".articleCont > .title > h3",)
    author_box_selectors = (".articleCont > .title > p",)
    dateline_selectors = (".articleCont .artOri", ".artOri")
    editor_selectors = (".articleCont .editor", "div.editor", "div.edit")
    body_selectors = (".articleCont .artDet",)


class PortalArticleContentText(PortalArticle):
    """Channel layout of dangshi.people.com.cn: div.content_text › h3 引题, h1 title, h2 副题,
    p.author, p.sou dateline and 来源, then div#p_content body and div.editor 责编.

    It shares #p_content with the classic pages, but its headings are bare h3/h1/h2 under
    div.content_text (no div.text_c, no #p_title), so it needs selectors of its own.
    """

    name = "portal_content_text"
    requires_all = ("div.content_text", "div.content_text #p_content")
    forbids = (".rm_txt", "div.text_title", "#ozoom")
    title_selectors = (".content_text > h1",)
    pre_title_selectors = (".content_text > h3",)
    subtitle_selectors = (".content_text > h2",)
    author_box_selectors = (".content_text > p.author",)
    dateline_selectors = (".content_text > p.sou", "p.sou")
    editor_selectors = (".content_text div.editor", "div.editor", "div.edit")
    body_selectors = ("#p_content",)


class PortalArticleTextShow(PortalArticle):
    """Older dangshi.people.com.cn layout: div.t2_left › div.text_c › h3 引题, h1, h4 副题, an h5
    dateline with 来源, p.tc byline, div.text_show body, 责编 in a span.fr after the body.

    div.text_c is shared with the classic cpc/theory pages and the old e-paper article; the body
    class text_show (not show_text, not #p_content, no #ozoom) is what tells this one apart.
    """

    name = "portal_text_show"
    requires_all = ("div.text_c", "div.text_c div.text_show")
    forbids = (".rm_txt", "div.text_title", "#ozoom", "#p_content", "div.show_text")
    title_selectors = ("div.text_c > h1",)
    pre_title_selectors = ("div.text_c > h3",)
    subtitle_selectors = ("div.text_c > h4", "div.text_c > h2")
    author_box_selectors = ("div.text_c > p.tc",)
    dateline_selectors = ("div.text_c > h5",)
    editor_selectors = ("div.text_c span.fr", "div.edit", "div.editor")
    body_selectors = ("div.text_c div.text_show",)


class PortalArticlePicture(PortalArticle):
    """Photo stories of pic.people.com.cn: div.title (h3.jian 引题, h1, h3.fu 副题), div.page_c
    holding 来源 and the time, the photo and its text in div.content.clear.clearfix (#picG on older
    pages), a div.page_n pager with one photo per page (…-2.html, -3.html), div.editor 责编."""

    name = "portal_picture"
    requires_all = ("div.title > h1", "div.page_c", "div.content.clear.clearfix, #picG")
    forbids = (".rm_txt", "div.text_title", "#ozoom", "div.articleCont")
    title_selectors = ("div.title > h1",)
    pre_title_selectors = ("div.title > h3.jian",)
    subtitle_selectors = ("div.title > h3.fu",)
    author_box_selectors = ()
    # The 来源/time line is the page_c with an inline style; the other page_c holds the pager.
    dateline_selectors = ("div.page_c[style]", "div.page_c")
    editor_selectors = ("div.editor", "div.edit")
    body_selectors = ("div.content.clear.clearfix", "#picG")
    pager_selectors = ("div.page_c div.page_n a[href]",)


class PortalArticleP2jText(PortalArticle):
    """Channel layout of capital.people.com.cn and the later pic.people.com.cn pages (≈2020–):
    div.p2j_text › h1, an h2 dateline with 来源, .author byline, div.gray.box_text body, div.edit.

    The leader-profile pages of ldzl.people.com.cn also use div.p2j_text, with the name in an h2
    and no h1: requiring the h1 keeps them out.
    """

    name = "portal_p2j_text"
    requires_all = ("div.p2j_text > h1", "div.p2j_text div.box_text")
    forbids = (".rm_txt", "div.text_title", "#ozoom", "div.articleCont")
    title_selectors = ("div.p2j_text > h1",)
    pre_title_selectors = ()
    subtitle_selectors = ()
    author_box_selectors = ("div.p2j_text > .author",)
    dateline_selectors = ("div.p2j_text > h2",)
    editor_selectors = ("div.p2j_text div.edit", "div.edit", "div.editor")
    body_selectors = ("div.p2j_text div.box_text",)


def _meta_date(meta: Tag | None) -> dt.date | None:
    if meta is None:
        return None
    try:
        return dt.date.fromisoformat(attr(meta, "content").strip()[:10])
    except ValueError:
        return None
