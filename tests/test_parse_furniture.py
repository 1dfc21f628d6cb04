"""Only article photos are photos: QR codes, logos, icons and banners that channels put inside or
after the body are never stored as images, on any template.

Each article fixture page gets the furniture appended to its body container (where the channels
put it: after the 责编 line) and must parse to exactly the record it had without it.
"""

from __future__ import annotations

import pytest
from fixture_pages import NOT_PARSEABLE, decoded, fixture_files, parsed, url_of

from etl.clean import clean_article
from etl.models import Article
from etl.parse import ARTICLE_TEMPLATES, parse_article
from etl.parse.dom import make_soup
from etl.parse.furniture import furniture_reason
from etl.parse.generic import GenericArticle

FURNITURE = """
<div class="tjewm"><img src="/NMediaFile/2024/0517/MAIN20240517qr.jpg"><p>关注公众号：人民网健康</p></div>
<p style="text-align: center"><img src="/img/MAIN/2024/05/logo_rmw.png" alt="人民网"></p>
<p><img src="/NMediaFile/2024/0517/MAIN20240517icon.gif" width="32" height="32"></p>
<p style="text-align: center"><img src="/NMediaFile/2024/0517/MAIN20240517wx.jpg"></p>
<p style="text-align: center">扫码关注人民网微信公众号，获取更多资讯</p>
<p><img src="/NMediaFile/2024/0517/MAIN20240517code.jpg" width="115" height="115"></p>
<p><img src="/NMediaFile/2024/0517/MAIN20240517banner.jpg" width="640" height="90"></p>
<p><a href="/n1/2024/0517/c14739-40237001.html"><img src="/NMediaFile/2024/0517/MAIN20240517zt.jpg"></a></p>
<ul><li><a href="/n1/2024/0516/c14739-40236001.html">相关阅读一</a></li>
<li><a href="/n1/2024/0516/c14739-40236002.html">相关阅读二</a></li></ul>
"""
FURNITURE_MARK = "MAIN20240517"

ARTICLES = [
    name
    for name in fixture_files()
    if name not in NOT_PARSEABLE and isinstance(parsed(name, url_of(name)), Article)
]


def _with_furniture(html: str, url: str) -> str:
    soup = make_soup(html)
    template = next((t for t in ARTICLE_TEMPLATES if t.matches(soup)), GenericArticle)
    body = template(soup, url).body()
    assert body is not None, template.name
    for node in make_soup(FURNITURE).body or []:
        body.append(node)
    return str(soup)


def test_every_article_template_is_covered() -> None:
    covered = {parsed(name, url_of(name)).template for name in ARTICLES}
    assert covered == {t.name for t in (*ARTICLE_TEMPLATES, GenericArticle)}


@pytest.mark.parametrize("name", ARTICLES)
def test_furniture_in_the_body_is_never_a_photo_nor_text(name: str) -> None:
    without = parsed(name, url_of(name))
    with_furniture = clean_article(parse_article(_with_furniture(decoded(name), url_of(name)), url_of(name)))
    assert not [i.src for i in with_furniture.images if FURNITURE_MARK in i.src]
    assert with_furniture.images == without.images
    assert with_furniture.paragraphs == without.paragraphs


@pytest.mark.parametrize(
    ("img", "reason"),
    [
        ('<img src="/img/2016wb/images/icon04.jpg">', "template chrome"),
        ('<img src="/NMediaFile/a.jpg" width="115" height="115">', "smaller than a thumbnail"),
        ('<img src="/NMediaFile/a.jpg" width="30">', "smaller than a thumbnail"),
        ('<img src="/NMediaFile/a.jpg" width="980" height="120">', "banner-shaped"),
        ('<img src="/uploads/logo.png">', "named like a logo, icon or QR code"),
        ('<img src="/NMediaFile/a.jpg" alt="扫码下载客户端">', "promotion alt text"),
    ],
)
def test_each_rule_names_its_reason(img: str, reason: str) -> None:
    tag = make_soup(img).img
    assert tag is not None
    assert furniture_reason(tag, str(tag["src"])) == reason


@pytest.mark.parametrize(
    "img",
    [
        '<img src="/NMediaFile/2018/0512/MAIN201805120753000935107824433.jpg" width="600" height="400">',
        '<img src="../../../res/1/20190301/1551384512345_1.jpg" width="300">',
        '<img src="/NMediaFile/2024/0517/MAIN20240517silicon.jpg" alt="芯片生产线">',
    ],
)
def test_news_photos_are_kept(img: str) -> None:
    tag = make_soup(img).img
    assert tag is not None
    assert furniture_reason(tag, str(tag["src"])) is None
