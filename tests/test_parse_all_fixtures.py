"""Properties that hold on every fixture page (real, pages, site), whatever its template.

* The template is chosen from the DOM: a page served from 127.0.0.1 parses exactly as from its
  people.com.cn URL.
* No boilerplate string survives in any cleaned paragraph or caption.
* Every photo caption is printed once: not doubled, not twice among the photos, not in the body.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from etl.clean import clean_article
from etl.models import Article, LayoutPage
from etl.parse import ParseError, detect_template, parse_article, parse_layout

FIXTURES = Path(__file__).parent / "fixtures"
MIRROR = "http://127.0.0.1:8765"
RX_ORIGIN = re.compile(r"^https?://[^/]+")

# Where each saved page lives on the web. The offline site answers the live paths (its README).
SITE_HOSTS = {"rmrb": "paper.people.com.cn", "n1": "finance.people.com.cn", "n2": "zj.people.com.cn"}
PAGE_URLS = {
    "real/people_culture_n1_2019-06-15_c1013-31153719.html": "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html",
    "real/people_js_n2_2022-02-13_c360307-35131671.gbk.html": "http://js.people.com.cn/n2/2022/0213/c360307-35131671.html",
    "real/people_politics_n1_2024-04-24_c1001-40223222.html": "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html",
    "real/rmrb_pc_layout_2024-12-25_node_01.html": "http://paper.people.com.cn/rmrb/pc/layout/202412/25/node_01.html",
    "pages/people_cpc_n1_2019-06-18_c64094-31164218.html": "http://cpc.people.com.cn/n1/2019/0618/c64094-31164218.html",
    "pages/people_finance_n1_2026-10-03_c1004-41250388.html": "http://finance.people.com.cn/n1/2026/1003/c1004-41250388.html",
    "pages/people_politics_GB_1024_index.html": "http://politics.people.com.cn/GB/1024/index.html",
    "pages/people_politics_n1_2026-09-16_c1001-41233990.title_only.html": "http://politics.people.com.cn/n1/2026/0916/c1001-41233990.html",
    "pages/people_politics_n1_2026-10-03_c1001-41250207.html": "http://politics.people.com.cn/n1/2026/1003/c1001-41250207.html",
    "pages/people_sc_n2_2026-09-16_c345167-41234567.html": "http://sc.people.com.cn/n2/2026/0916/c345167-41234567.html",
    "pages/people_sc_n2_2026-09-16_c345167-41234567-2.html": "http://sc.people.com.cn/n2/2026/0916/c345167-41234567-2.html",
    "pages/people_society_n1_2018-05-12_c1008-29983215.html": "http://society.people.com.cn/n1/2018/0512/c1008-29983215.html",
    "pages/people_society_n1_2018-05-12_c1008-29983215-2.html": "http://society.people.com.cn/n1/2018/0512/c1008-29983215-2.html",
    "pages/people_theory_n1_2026-10-03_c40531-41250166.html": "http://theory.people.com.cn/n1/2026/1003/c40531-41250166.html",
    "pages/people_theory_n_2015-03-06_c40531-26647112.html": "http://theory.people.com.cn/n/2015/0306/c40531-26647112.html",
    "pages/rmrb_html_2019-03-01_nbs.D110000renmrb_04.htm": "http://paper.people.com.cn/rmrb/html/2019-03/01/nbs.D110000renmrb_04.htm",
    "pages/rmrb_html_2019-03-01_nw.D110000renmrb_20190301_3-04.htm": "http://paper.people.com.cn/rmrb/html/2019-03/01/nw.D110000renmrb_20190301_3-04.htm",
    "pages/rmrb_html_2022-07-22_nbs.D110000renmrb_02.htm": "http://paper.people.com.cn/rmrb/html/2022-07/22/nbs.D110000renmrb_02.htm",
    "pages/rmrb_html_2022-07-22_nw.D110000renmrb_20220722_6-02.htm": "http://paper.people.com.cn/rmrb/html/2022-07/22/nw.D110000renmrb_20220722_6-02.htm",
    "pages/rmrb_pc_content_2026-09-17_content_30181577.html": "http://paper.people.com.cn/rmrb/pc/content/202609/17/content_30181577.html",
    "pages/rmrb_pc_content_2026-09-18_content_30181702.html": "http://paper.people.com.cn/rmrb/pc/content/202609/18/content_30181702.html",
    "pages/rmrb_pc_layout_index.html": "http://paper.people.com.cn/rmrb/pc/layout/index.html",
}  # fmt: skip
# Pages that must not parse as an article or a layout (what they test is in tests/fixtures/*/README.md).
NOT_PARSEABLE = {
    "pages/people_politics_GB_1024_index.html",  # a channel list page
    "pages/people_politics_n1_2026-09-16_c1001-41233990.title_only.html",  # boilerplate-only body
    "site/rmrb/pc/content/202509/03/content_30170123.html",  # the 本版责编 pseudo-article
}
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


def fixture_files() -> list[str]:
    found = [
        p
        for d in ("real", "pages", "site")
        for p in (FIXTURES / d).rglob("*")
        if p.suffix in (".html", ".htm")
    ]
    return sorted(str(p.relative_to(FIXTURES)) for p in found)


def url_of(name: str) -> str:
    if name.startswith("site/"):
        path = name.removeprefix("site")
        return f"http://{SITE_HOSTS[path.split('/')[1]]}{path}"
    return PAGE_URLS[name]


def decoded(name: str) -> str:
    raw = (FIXTURES / name).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")  # GBK pages, as fetch decodes them


@functools.cache
def parsed(name: str, url: str) -> Article | LayoutPage:
    html = decoded(name)
    if (detect_template(html) or "").startswith(("epaper_layout", "epaper_issue_index")):
        return parse_layout(html, url)
    return clean_article(parse_article(html, url))


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
