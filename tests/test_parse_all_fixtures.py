"""Properties that hold on every fixture page (real, pages, site), whatever its template.

* The template is chosen from the DOM: a page served from 127.0.0.1 parses exactly as from its
  people.com.cn URL.
* No boilerplate string survives in any cleaned paragraph or caption.
* Every photo caption is printed once: not doubled, not twice among the photos, not in the body.
"""

from __future__ import annotations

import re

import pytest
from fixture_pages import NOT_PARSEABLE, PAGE_URLS, decoded, fixture_files, parsed, url_of

from etl.clean import clean_article
from etl.models import Article
from etl.parse import ParseError, parse_article

MIRROR = "http://127.0.0.1:8765"
RX_ORIGIN = re.compile(r"^https?://[^/]+")
BOILERPLATE = (
    "分享让更多人看到",
    "责编",
    "原标题",
    "版权所有",
    "京ICP",
    "客户端",
    "Play Video",
    "上一篇",
    "下一篇",
    "返回目录",
    "《人民日报》（",
)
RX_DOUBLED = re.compile(r"(.{4,}?)\s*\1")


FILES = fixture_files()
PARSEABLE = [name for name in FILES if name not in NOT_PARSEABLE]
ARTICLES = [name for name in PARSEABLE if isinstance(parsed(name, url_of(name)), Article)]


def test_every_fixture_page_has_a_url_and_is_covered() -> None:
    # A new saved page must be given its URL here, so that every test below covers it.
    assert set(PAGE_URLS) == {name for name in FILES if not name.startswith("site/")}
    assert all(url_of(name).startswith("http://") for name in FILES)
    assert set(FILES) >= NOT_PARSEABLE
    assert len(ARTICLES) >= 20


@pytest.mark.parametrize("name", sorted(NOT_PARSEABLE))
def test_pages_without_an_article_fail_loudly(name: str) -> None:
    with pytest.raises(ParseError):
        parse_article(decoded(name), url_of(name))


@pytest.mark.parametrize("name", PARSEABLE)
def test_template_is_chosen_from_the_dom_not_the_host(name: str) -> None:
    url = url_of(name)
    origin = RX_ORIGIN.match(url)
    assert origin is not None
    mirrored = parsed(name, RX_ORIGIN.sub(MIRROR, url))
    original = parsed(name, url)
    # Every field, links included: the mirror's links point at the mirror, nothing else differs.
    assert repr(mirrored).replace(MIRROR, origin.group(0)) == repr(original)


@pytest.mark.parametrize("name", ARTICLES)
def test_no_boilerplate_in_any_paragraph_or_caption(name: str) -> None:
    article = parsed(name, url_of(name))
    assert isinstance(article, Article)
    printed = [p.text for p in article.paragraphs]
    printed += [t for image in article.images for t in (image.caption, image.credit) if t]
    for text in printed:
        squashed = text.replace(" ", "")
        for marker in BOILERPLATE:
            assert marker not in text and marker.replace(" ", "") not in squashed, (marker, text)


@pytest.mark.parametrize("name", ARTICLES)
def test_every_caption_is_printed_once(name: str) -> None:
    article = parsed(name, url_of(name))
    assert isinstance(article, Article)
    body = [p.text.replace(" ", "") for p in article.paragraphs]
    captions = [image.caption for image in article.images if image.caption]
    assert len(captions) == len(set(captions)), captions
    for image in article.images:
        if image.caption:
            caption = image.caption.replace(" ", "")
            assert not RX_DOUBLED.fullmatch(image.caption), image.caption
            assert not any(caption in paragraph for paragraph in body), image.caption
        if image.credit:
            assert image.credit.replace(" ", "") not in body, image.credit


@pytest.mark.parametrize("name", ARTICLES)
def test_clean_is_idempotent_on_every_page(name: str) -> None:
    article = parsed(name, url_of(name))
    assert isinstance(article, Article)
    assert clean_article(article) == article
