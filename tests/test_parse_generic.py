"""The generic fallback: an article in a layout no template knows still loads, whole and clean, and
says it was read generically; a page that is not an article still fails."""

from __future__ import annotations

import datetime as dt

import pytest
from fixture_pages import decoded, parsed, url_of

from etl.models import Article
from etl.parse import ParseError, detect_template, parse_article
from etl.parse.dom import make_soup
from etl.parse.generic import densest_block

UNSEEN = "pages/people_kpzg_n1_2026-10-20_c404214-41260012.unseen_layout.html"


def test_a_never_seen_layout_loads_through_the_fallback() -> None:
    assert detect_template(decoded(UNSEEN)) is None
    article = parsed(UNSEEN, url_of(UNSEEN))
    assert isinstance(article, Article)
    assert article.template == "generic"
    # The heading that repeats og:title, not the logo h1 of the navigation.
    assert article.title == "我国新能源汽车年产量首次突破1000万辆"
    # The dateline, never the stale publishdate meta (2013-07-17).
    assert article.published_at == dt.datetime(2026, 10, 20, 9, 15)
    assert article.source == "经济日报"
    assert article.editors == ("王震", "陈键")
    assert article.authors == ("周雷",)
    assert article.content_id == "41260012"
    texts = [p.text for p in article.paragraphs]
    assert len(texts) == 4 and texts[0].startswith("本报北京10月19日电")
    assert [p.text for p in article.paragraphs if p.is_subhead] == ["出口保持快速增长"]
    # Side boxes, footer, QR-code box and related links stay out.
    joined = "".join(texts)
    for furniture in ("相关新闻", "版权所有", "公众号", "科普视频", "充电桩保有量"):
        assert furniture not in joined
    assert [(i.caption, i.credit) for i in article.images] == [
        ("一家新能源汽车企业的总装车间。", "新华社记者 李响摄")
    ]


def test_a_known_layout_is_never_read_generically() -> None:
    name = "real/people_health_n1_2024-05-17_c14739-40237861.html"
    assert parse_article(decoded(name), url_of(name)).template == "portal_article_cont"


@pytest.mark.parametrize(
    "name",
    [
        "pages/people_politics_GB_1024_index.html",
        "pages/rmrb_pc_layout_index.html",
        "real/rmrb_pc_layout_2024-12-25_node_01.html",
    ],
)
def test_pages_that_are_not_articles_still_fail(name: str) -> None:
    with pytest.raises(ParseError, match="no known article template matched; generic reader: "):
        parse_article(decoded(name), url_of(name))


def test_the_body_is_the_block_with_the_most_prose() -> None:
    soup = make_soup(
        "<html><body><div id=side><p>推荐阅读：<a href=/a.html>某某新闻标题很长很长很长</a></p></div>"
        "<div id=main><p>第一段正文内容，记录了一项重要的经济数据和它的背景情况说明。</p>"
        "<p>第二段正文内容，继续介绍有关部门的工作部署以及下一步的具体安排。</p>"
        "<p>第三段正文内容，专家认为这一趋势还将持续下去并带动相关产业发展。</p></div></body></html>"
    )
    block = densest_block(soup)
    assert block is not None and block.get("id") == "main"
