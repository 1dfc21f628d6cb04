"""Portal 2020+ template (2025–26 variant: b#newstime, #rm_txt_zw) on a two-page photo article."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.clean import clean_article
from etl.models import Article
from etl.parse import detect_template, merge_pages, parse_article

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "http://sc.people.com.cn/n2/2026/0916/c345167-41234567.html"
URL2 = "http://sc.people.com.cn/n2/2026/0916/c345167-41234567-2.html"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def first() -> Article:
    return parse_article(page("people_sc_n2_2026-09-16_c345167-41234567.html"), URL)


@pytest.fixture(scope="module")
def second() -> Article:
    return parse_article(page("people_sc_n2_2026-09-16_c345167-41234567-2.html"), URL2)


def test_metadata(first: Article) -> None:
    article = clean_article(first)
    assert detect_template(page("people_sc_n2_2026-09-16_c345167-41234567.html")) == "portal_2020"
    assert article.title == "宝兴：老旧小区改造让居民住得更舒心"  # not the decoy logo <h1 class="cf">
    assert article.subtitle == "全县完成改造小区46个 惠及居民3200余户"
    assert article.pre_title is None
    assert article.published_at == dt.datetime(2026, 9, 16, 16, 35)
    assert article.source == "人民网－四川频道"
    assert article.editors == ("罗娉婷", "章华维")
    assert article.authors == ("王初",)  # from the lead "人民网雅安9月16日电 （记者王初）"
    assert article.content_id == "L_41234567"
    assert article.next_pages == (URL2,)


def test_captioned_photos(first: Article) -> None:
    article = clean_article(first)
    assert [(i.position, i.src.rsplit("/", 1)[1], i.caption, i.credit) for i in article.images] == [
        (
            0,
            "LOCAL202609161532043818401857214.jpg",
            "9月15日，宝兴县穆坪镇改造后的老旧小区。",
            "人民网记者 王初摄",
        ),
        (1, "LOCAL202609161533117620954381620.jpg", "居民在改造后的小区广场上休闲。", "宝兴居民区供图"),
    ]
    # The caption appears once: not as img@alt + caption line, not as a body paragraph.
    for image in article.images:
        assert image.caption is not None and image.caption not in article.body_text
    assert all(i.src.startswith("http://sc.people.com.cn/NMediaFile/") for i in article.images)


def test_body_has_no_player_hidden_title_or_footer(first: Article) -> None:
    article = clean_article(first)
    assert len(article.paragraphs) == 5
    assert [p.text for p in article.paragraphs if p.is_subhead] == ["加装电梯解决“上下楼难”"]
    body = article.body_text
    for leaked in (
        "Play Video",
        "showPlayer",
        "原标题",
        "责编",
        "分享",
        "相关新闻",
        "客户端",
        "ICP",
        "版 权",
    ):
        assert leaked not in body, leaked


def test_continuation_page(second: Article) -> None:
    assert second.next_pages == ()  # page 2 of 2 links back to page 1 only
    article = clean_article(second)
    assert article.authors == ("王初", "李佳怡")  # the closing byline paragraph
    assert not any("人民网记者" in p.text for p in article.paragraphs)
    (image,) = article.images
    assert (image.caption, image.credit) == ("灵关镇大渔溪社区新建的社区食堂。", "人民网 马作鹏摄")


def test_merge_pages(first: Article, second: Article) -> None:
    merged = clean_article(merge_pages(first, [second]))
    assert merged.url == URL
    assert merged.next_pages == ()
    assert merged.paragraphs == clean_article(first).paragraphs + clean_article(second).paragraphs
    assert [i.position for i in merged.images] == [0, 1, 2]
    assert merged.images[2].src == second.images[0].src
    assert merged.authors == ("王初", "李佳怡")
    assert merged.editors == ("罗娉婷", "章华维")


def test_merge_of_a_single_page_only_clears_next_pages(first: Article) -> None:
    merged = merge_pages(first, [])
    assert merged.next_pages == ()
    assert (merged.paragraphs, merged.images) == (first.paragraphs, first.images)


THEORY_VARIANT = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>加快发展新质生产力--理论-人民网</title></head>
<body><div class="main">
<div class="nav_more_con"><h1 class="cf"><img src="/img/2020peopleindex/img/logo_red.png"></h1></div>
<div class="text_con text_con01 rm_txt cf"><div class="text_c col-1">
<h1>因地制宜发展新质生产力</h1>
<p class="sou"><b id="newstime">2026年10月03日05:36</b> | 来源：<a href="http://paper.ce.cn/">经济日报</a></p>
<div class="show_text" id="rm_txt_zw">
<p>　　发展新质生产力是推动高质量发展的内在要求和重要着力点。</p>
<p>　　（作者为中国社会科学院工业经济研究所研究员）</p>
</div>
<div class="edit">(责任编辑：张三、李四)</div>
</div></div></div></body></html>"""


def test_theory_channel_variant_is_not_mistaken_for_an_old_epaper_page() -> None:
    assert detect_template(THEORY_VARIANT) == "portal_2020"
    article = parse_article(THEORY_VARIANT, "http://theory.people.com.cn/n1/2026/1003/c40531-41250001.html")
    assert article.title == "因地制宜发展新质生产力"
    assert article.published_at == dt.datetime(2026, 10, 3, 5, 36)
    assert article.source == "经济日报"
    assert article.editors == ("张三", "李四")
    assert len(article.paragraphs) == 2


LINKED_PHOTO = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>
<div class="layout rm_txt cf"><div class="col col-1"><h1>黄河流域生态保护持续加强</h1>
<div class="channel cf"><div class="col-1-1">2026年05月20日09:12 | 来源：人民网</div></div>
<div class="rm_txt_con cf">
<p style="text-align: center;"><a href="c1008-41100001-2.html"><img src="/NMediaFile/MAIN1.jpg"></a></p>
<p style="text-align: center;"><a href="c1008-41100001-2.html">黄河壶口瀑布。人民网记者 王初摄</a></p>
<p>　　记者从水利部获悉，今年以来黄河流域水土保持治理面积持续扩大。</p>
<p><a href="http://env.people.com.cn/GB/1072/index.html">点击进入生态环境频道&gt;&gt;</a></p>
</div></div></div></body></html>"""


def test_caption_inside_a_link_is_a_caption_and_a_bare_link_is_dropped() -> None:
    article = parse_article(LINKED_PHOTO, "http://env.people.com.cn/n1/2026/0520/c1008-41100001.html")
    (image,) = article.images
    assert (image.caption, image.credit) == ("黄河壶口瀑布。", "人民网记者 王初摄")
    assert [p.text for p in article.paragraphs] == [
        "记者从水利部获悉，今年以来黄河流域水土保持治理面积持续扩大。"
    ]
