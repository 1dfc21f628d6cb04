"""Parse stage: decoded HTML -> Article / LayoutPage.

The template is chosen from the DOM (each template declares what it requires and forbids on the
`Template` base in `template.py`; they are tried in order), never from the URL host, so mirrors and
saved copies parse the same. A page no template matches, or one whose template matched but yields
no title or body, raises ParseError; an empty Article is never returned.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace

from etl.models import Article, Image, LayoutPage
from etl.parse.article_base import ArticleTemplate
from etl.parse.dom import make_soup
from etl.parse.epaper import EpaperArticleNew, EpaperArticleOld
from etl.parse.errors import ParseError
from etl.parse.generic import GenericArticle
from etl.parse.layout import EpaperIssueIndex, EpaperLayoutNew, EpaperLayoutOld, LayoutTemplate
from etl.parse.notfound import is_not_found_page, is_soft_404
from etl.parse.portal import (
    PortalArticle2016,
    PortalArticle2020,
    PortalArticleChannelCont,
    PortalArticleClassic,
    PortalArticleContentText,
    PortalArticleP2jText,
    PortalArticlePicture,
    PortalArticleTextShow,
)

__all__ = [
    "ARTICLE_TEMPLATES",
    "GENERIC_TEMPLATE",
    "LAYOUT_TEMPLATES",
    "PARSER_VERSION",
    "ParseError",
    "detect_template",
    "is_not_found_page",
    "is_soft_404",
    "merge_pages",
    "parse_article",
    "parse_layout",
]

log = logging.getLogger(__name__)

# What the parser reads from a page, versioned: a re-run skips a page whose body, parser version and
# extractor version are all as when it was loaded, so a change to what any template reads must bump
# this, or stored articles keep the old reading. `etl.parse.fingerprint` pins the version to a digest
# of the parser's output over the fixture pages, and a test fails when one moves without the other.
PARSER_VERSION = "1.0.0"

# Most specific first: e-paper pages carry the page furniture of layouts; theory and cpc channel
# portal pages reuse the old e-paper class div.text_c (told apart by #ozoom).
ARTICLE_TEMPLATES: tuple[type[ArticleTemplate], ...] = (
    EpaperArticleNew,
    PortalArticle2020,
    PortalArticle2016,
    PortalArticleClassic,
    PortalArticleChannelCont,
    PortalArticleContentText,
    PortalArticlePicture,
    PortalArticleP2jText,
    PortalArticleTextShow,
    EpaperArticleOld,
)
# The template name of articles read by the generic fallback: their layouts need a template.
GENERIC_TEMPLATE = GenericArticle.name
LAYOUT_TEMPLATES: tuple[type[LayoutTemplate], ...] = (EpaperLayoutNew, EpaperLayoutOld, EpaperIssueIndex)


def detect_template(html: str) -> str | None:
    """Name of the article or layout template the page matches, or None."""
    if not html.strip():
        return None
    soup = make_soup(html)
    names = [t.name for t in ARTICLE_TEMPLATES if t.matches(soup)]
    names += [t.name for t in LAYOUT_TEMPLATES if t.matches(soup)]
    return names[0] if names else None


def parse_article(html: str, url: str) -> Article:
    soup = make_soup(_complete(html))
    for template in ARTICLE_TEMPLATES:
        if template.matches(soup):
            log.debug("%s matched %s", template.name, url)
            return template(soup, url).parse()
    # A layout we have not seen yet: read it generically rather than lose the article; the rows
    # carry template "generic" so the layout is noticed and given a template of its own.
    try:
        article = GenericArticle(soup, url).parse()
    except ParseError as exc:
        reason = str(exc).removeprefix(f"{GenericArticle.name}: ")
        raise ParseError(f"no known article template matched; generic reader: {reason}") from None
    log.warning("no template matched %s; read it with the generic fallback", url)
    return article


def parse_layout(html: str, url: str) -> LayoutPage:
    soup = make_soup(_complete(html))
    for template in LAYOUT_TEMPLATES:
        if template.matches(soup):
            return template(soup, url).parse()
    raise ParseError("no known layout template matched")


def _complete(html: str) -> str:
    """Reject an empty or cut-off download before lxml silently closes its open tags.

    A truncated page would otherwise parse into a plausible article missing its last paragraphs.
    """
    if not isinstance(html, str):
        # bs4 given bytes honours the page's (often wrong) GB2312 declaration; fetch decodes.
        raise TypeError(f"parse expects decoded text, got {type(html).__name__}")
    if not html.strip():
        raise ParseError("empty page")
    lowered = html.lower()
    if "</html>" not in lowered and "</body>" not in lowered:
        raise ParseError("page is truncated (no closing </body> or </html>)")
    return html


def merge_pages(first: Article, rest: Sequence[Article]) -> Article:
    """Join a multi-page portal article (…-2.html, -3.html) into the first page's record.

    Paragraphs and images are appended in page order, images renumbered 0..n-1; bylines and
    editors printed on later pages are kept; next_pages is cleared because nothing is left to fetch.
    """
    pages = (first, *rest)
    paragraphs = tuple(p for page in pages for p in page.paragraphs)
    images = tuple(
        Image(position=i, src=img.src, caption=img.caption, credit=img.credit)
        for i, img in enumerate(img for page in pages for img in page.images)
    )
    return replace(
        first,
        paragraphs=paragraphs,
        images=images,
        authors=_union(page.authors for page in pages),
        editors=_union(page.editors for page in pages),
        next_pages=(),
    )


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups for name in group))
