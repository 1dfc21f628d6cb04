"""Shared skeleton of the per-template article parsers (one subclass per template version; see
`etl.parse.template` for how a template is declared and matched)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import ClassVar

from bs4 import Tag

from etl.models import Article, Image, Paragraph
from etl.parse.body import BodyReader
from etl.parse.dom import decompose_all, first
from etl.parse.errors import ParseError
from etl.parse.furniture import FURNITURE_CONTAINERS
from etl.parse.template import Template
from etl.text_grammar.byline import credited_names, is_byline_paragraph, names_in

# Nodes that never hold article text on any template.
NEVER_CONTENT = (
    "script",
    "style",
    "noscript",
    "iframe",
    "video",
    "audio",
    "object",
    "embed",
    "form",
    "input",
)
# Rendered video players (video.people.cn showPlayer, video.js) inside a body paragraph.
VIDEO_PLAYERS = ("div.video-js", "[id^=q_v_p]", "[class*=vjs-]", ".voice-wrap", ".voice-container")
# Bylines sit at the start or the end of a body; looking further in would catch quoted text.
BYLINE_SCAN = 3


class ArticleTemplate(Template):
    body_selectors: ClassVar[tuple[str, ...]]
    body_noise: ClassVar[tuple[str, ...]] = ()  # boilerplate nodes removed from the body before reading

    def parse(self) -> Article:
        title = self.title()
        if not title:
            raise ParseError(f"{self.name}: article title is empty")
        # Metadata first: some of it (责编, pagination) lives in nodes the body cleanup removes.
        meta = Article(
            url=self.url,
            title=title,
            template=self.name,
            pre_title=self.pre_title() or None,
            subtitle=self.subtitle() or None,
            published_at=self.published_at(),
            source=self.source(),
            authors=self.byline_authors(),
            editors=self.editors(),
            page_no=self.page_no(),
            page_name=self.page_name(),
            next_pages=self.next_pages(),
            content_id=self.content_id(),
        )
        paragraphs, images = self.read_body(title)
        if not paragraphs and not images:
            raise ParseError(f"{self.name}: article body is empty")
        authors = tuple(dict.fromkeys((*meta.authors, *_paragraph_authors(paragraphs))))
        return replace(meta, paragraphs=paragraphs, images=images, authors=authors)

    def read_body(self, title: str) -> tuple[tuple[Paragraph, ...], tuple[Image, ...]]:
        body = self.body()
        if body is None:
            raise ParseError(f"{self.name}: article body not found")
        decompose_all(body, (*NEVER_CONTENT, *VIDEO_PLAYERS, *FURNITURE_CONTAINERS, *self.body_noise))
        return BodyReader(self.url, title).read(body)

    def body(self) -> Tag | None:
        return first(self.soup, self.body_selectors)

    # ---- fields; subclasses override ---------------------------------------------------------------

    def title(self) -> str:
        raise NotImplementedError

    def pre_title(self) -> str:
        return ""

    def subtitle(self) -> str:
        return ""

    def published_at(self) -> dt.datetime | None:
        return None

    def source(self) -> str | None:
        return None

    def editors(self) -> tuple[str, ...]:
        return ()

    def byline_authors(self) -> tuple[str, ...]:
        """Authors from a DOM byline field (e-paper .sec, portal .author), before the body scan."""
        return ()

    def page_no(self) -> int | None:
        return None

    def page_name(self) -> str | None:
        return None

    def next_pages(self) -> tuple[str, ...]:
        return ()

    def content_id(self) -> str | None:
        return None


def _paragraph_authors(paragraphs: tuple[Paragraph, ...]) -> tuple[str, ...]:
    """Names from byline paragraphs and wire credits at the start or end of the body."""
    names: list[str] = []
    last = len(paragraphs) - 1
    for i, paragraph in enumerate(paragraphs):
        if BYLINE_SCAN <= i <= last - BYLINE_SCAN:
            continue
        if is_byline_paragraph(paragraph.text):
            names.extend(names_in(paragraph.text))
        else:
            # The wire lead "…电（记者 …）" may follow a visible 原标题 line or a bare byline.
            names.extend(credited_names(paragraph.text, is_first=i < BYLINE_SCAN))
    return tuple(names)
