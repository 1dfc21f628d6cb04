"""Template variants seen on live pages, one fixture each in tests/fixtures/pages/ (see its README).

Each test first checks that the fixture carries the trait it stands for, then that it parses.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from etl.clean import clean_article
from etl.models import Article
from etl.parse import ParseError, detect_template, merge_pages, parse_article, parse_layout

PAGES = Path(__file__).parent / "fixtures" / "pages"
RX_ENP_COMMENT = re.compile(r"<!--enpproperty.*?/enpproperty-->", re.DOTALL)
PLAYER_TEXT = (
    "Play Video",
    "Video Player is loading",
    "Current Time",
    "Duration",
    "modal window",
    "showPlayer",
)

POLITICS = "people_politics_n1_2026-10-03_c1001-41250207.html"
POLITICS_URL = "http://politics.people.com.cn/n1/2026/1003/c1001-41250207.html"
FINANCE = "people_finance_n1_2026-10-03_c1004-41250388.html"
FINANCE_URL = "http://finance.people.com.cn/n1/2026/1003/c1004-41250388.html"
THEORY = "people_theory_n1_2026-10-03_c40531-41250166.html"
THEORY_URL = "http://theory.people.com.cn/n1/2026/1003/c40531-41250166.html"
CPC = "people_cpc_n1_2019-06-18_c64094-31164218.html"
CPC_URL = "http://cpc.people.com.cn/n1/2019/0618/c64094-31164218.html"
WWW_2015 = "people_theory_n_2015-03-06_c40531-26647112.html"
WWW_2015_URL = "http://theory.people.com.cn/n/2015/0306/c40531-26647112.html"
SOCIETY = "people_society_n1_2018-05-12_c1008-29983215.html"
SOCIETY_URL = "http://society.people.com.cn/n1/2018/0512/c1008-29983215.html"
SOCIETY_2 = "people_society_n1_2018-05-12_c1008-29983215-2.html"
SOCIETY_2_URL = "http://society.people.com.cn/n1/2018/0512/c1008-29983215-2.html"
OLD_URL_LAYOUT = "rmrb_html_2022-07-22_nbs.D110000renmrb_02.htm"
OLD_URL_LAYOUT_URL = "http://paper.people.com.cn/rmrb/html/2022-07/22/nbs.D110000renmrb_02.htm"
OLD_URL_ARTICLE = "rmrb_html_2022-07-22_nw.D110000renmrb_20220722_6-02.htm"
OLD_URL_ARTICLE_URL = "http://paper.people.com.cn/rmrb/html/2022-07/22/nw.D110000renmrb_20220722_6-02.htm"
INTROTITLE = "rmrb_pc_content_2026-09-18_content_30181702.html"
INTROTITLE_URL = "http://paper.people.com.cn/rmrb/pc/content/202609/18/content_30181702.html"
ISSUE_INDEX = "rmrb_pc_layout_index.html"
ISSUE_INDEX_URL = "http://paper.people.com.cn/rmrb/pc/layout/index.html"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def soup(name: str) -> BeautifulSoup:
    return BeautifulSoup(page(name), "lxml")


def texts(article: Article) -> list[str]:
    return [p.text for p in article.paragraphs]


# ---- portal 2020+, 2025–26 variants ----------------------------------------------------------------


def test_politics_variant_with_source_only_in_meta_and_a_visible_original_title() -> None:
    channel = soup(POLITICS).select_one(".rm_txt .channel")
    assert channel is not None and "来源" not in channel.get_text()  # the trait: no 来源 in the dateline
    raw = parse_article(page(POLITICS), POLITICS_URL)
    assert raw.paragraphs[0].text.startswith("原标题：")  # a visible <p>, not the hidden div.otitle
    article = clean_article(raw)
    assert (article.template, article.title) == (
        "portal_2020",
        "十四届全国人大常委会第十九次会议10月27日至31日在京举行",
    )
    assert article.published_at == dt.datetime(2026, 10, 3, 5, 36)
    assert article.source == "人民日报"  # <meta name="source" content="来源：人民日报">
    assert article.authors == ("张天培",)  # wire lead after the 原标题 line
    assert article.editors == ("杨光宇", "刘军涛")
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].text.startswith("本报北京10月2日电")
    assert not any("原标题" in t for t in texts(article))


def test_source_is_none_when_neither_dateline_nor_meta_names_it() -> None:
    html = page(POLITICS).replace('<meta name="source" content="来源：人民日报">', "")
    assert parse_article(html, POLITICS_URL).source is None


def test_reduced_politics_markup_newstime_and_body_directly_in_rm_txt() -> None:
    html = (
        "<html><head><title>国庆假期全国铁路发送旅客超1亿人次--时政--人民网</title></head><body>"
        '<div class="rm_txt"><b id="newstime">2026年10月03日05:36</b><div id="rm_txt_zw">'
        "<p>　　记者从国铁集团获悉，国庆假期前两日，全国铁路累计发送旅客超1亿人次。</p></div></div>"
        "</body></html>"
    )
    article = clean_article(parse_article(html, POLITICS_URL))
    assert (article.template, article.title) == ("portal_2020", "国庆假期全国铁路发送旅客超1亿人次")
    assert article.published_at == dt.datetime(2026, 10, 3, 5, 36)
    assert texts(article) == ["记者从国铁集团获悉，国庆假期前两日，全国铁路累计发送旅客超1亿人次。"]


@pytest.fixture(scope="module")
def finance_raw() -> Article:
    return parse_article(page(FINANCE), FINANCE_URL)


def test_finance_variant_fields(finance_raw: Article) -> None:
    assert soup(FINANCE).select_one("div.rm_txt_con.cf > div#rm_txt_zw") is not None
    article = clean_article(finance_raw)
    assert article.template == "portal_2020"
    assert (article.pre_title, article.title) == (
        "外贸“成绩单”亮眼",
        "前三季度我国货物贸易进出口同比增长3.6%",
    )
    assert article.published_at == dt.datetime(2026, 10, 3, 7, 12)
    assert article.source == "经济日报"
    assert article.authors == ("冯其予",)  # "经济日报记者 冯其予" opening the body
    assert article.editors == ("杨曦", "陈键")
    assert [p.text for p in article.paragraphs if p.is_subhead] == ["民营企业活力足"]
    assert len(article.paragraphs) == 5


def test_rendered_video_player_leaves_no_text_and_no_image(finance_raw: Article) -> None:
    player = soup(FINANCE).select_one("#rm_txt_zw div[id^=q_v_p] > div.video-js video[src]")
    assert player is not None  # the trait: the player DOM after video.js ran
    for leaked in PLAYER_TEXT:
        assert leaked not in finance_raw.body_text, leaked  # already at parse, not only after clean
    assert finance_raw.images == ()  # the poster is not a photo of the article


def test_theory_variant_is_a_portal_page_not_an_old_epaper_page() -> None:
    assert soup(THEORY).select_one("div.text_con.text_con01.rm_txt > div.text_c.col-1 > h1") is not None
    assert detect_template(page(THEORY)) == "portal_2020"
    article = clean_article(parse_article(page(THEORY), THEORY_URL))
    assert article.title == "以科技创新引领新质生产力发展"
    assert article.published_at == dt.datetime(2026, 10, 3, 5, 36)
    assert article.source == "经济日报"
    assert article.authors == ("王昌林",)
    assert article.editors == ("孙垚", "王宇")
    assert [p.text for p in article.paragraphs if p.is_subhead] == [
        "强化企业科技创新主体地位",
        "推动科技创新和产业创新深度融合",
    ]
    assert texts(article)[-1] == "（作者为中国宏观经济研究院研究员）"
    assert len(article.paragraphs) == 6


def test_theory_page_without_rm_txt_is_still_a_portal_page() -> None:
    html = page(THEORY).replace("text_con text_con01 rm_txt cf", "text_con text_con01 cf")
    assert detect_template(html) == "portal_classic"
    article = parse_article(html, THEORY_URL)
    assert article.title == "以科技创新引领新质生产力发展"
    assert len(clean_article(article).paragraphs) == 6


# ---- classic #p_content pages -----------------------------------------------------------------------


def test_cpc_channel_page_with_p_content() -> None:
    assert soup(CPC).select_one("div.text_c") is not None and soup(CPC).select_one("#ozoom") is None
    assert detect_template(page(CPC)) == "portal_classic"
    article = clean_article(parse_article(page(CPC), CPC_URL))
    assert (article.pre_title, article.title) == ("各地创新宣讲方式", "让党的创新理论“飞入寻常百姓家”")
    assert article.subtitle is None
    assert article.published_at == dt.datetime(2019, 6, 18, 8, 27)
    assert article.source == "人民网－人民日报"  # full-width dash kept
    assert article.authors == ("王珂",)  # p.sou1 "本报记者  王  珂"
    assert article.editors == ("王静", "常雪梅")
    assert article.content_id == "31164218"
    assert len(article.paragraphs) == 4  # the #paper_num issue reference is not a paragraph
    assert not any("人民日报" in t and "版" in t for t in texts(article))


def test_www_template_of_2015_with_p_title_and_p_origin() -> None:
    assert soup(WWW_2015).select_one("h1#p_title + h2#ftitle") is not None
    article = clean_article(parse_article(page(WWW_2015), WWW_2015_URL))
    assert (article.template, article.title) == ("portal_classic", "把握经济发展新常态的新特征")
    assert article.subtitle is None
    assert article.published_at == dt.datetime(2015, 3, 6, 8, 41)
    assert article.source == "人民网－人民日报"  # span#p_origin, apart from span#p_publishtime
    assert article.editors == ("秦华", "程宏毅")
    assert article.content_id == "26647112"
    assert [p.text for p in article.paragraphs if p.is_subhead] == [
        "增长速度从高速转向中高速",
        "发展动力从要素驱动转向创新驱动",
    ]
    assert len(article.paragraphs) == 6


# ---- portal 2016 template: captioned photo and a -2.html continuation --------------------------------


@pytest.fixture(scope="module")
def society_pages() -> tuple[Article, Article]:
    return parse_article(page(SOCIETY), SOCIETY_URL), parse_article(page(SOCIETY_2), SOCIETY_2_URL)


def test_2016_photo_with_caption_and_a_separate_credit_line(society_pages: tuple[Article, Article]) -> None:
    article = clean_article(society_pages[0])
    assert (article.template, article.pre_title, article.title) == (
        "portal_2016",
        "汶川特大地震十周年",
        "汶川：十年重建 新城崛起",
    )
    assert article.published_at == dt.datetime(2018, 5, 12, 8, 6)
    assert article.source == "人民网-社会频道"
    assert article.next_pages == (SOCIETY_2_URL,)
    (image,) = article.images
    assert (
        image.src == "http://society.people.com.cn/NMediaFile/2018/0512/MAIN201805120751000412687532191.jpg"
    )
    assert (image.caption, image.credit) == ("5月10日拍摄的汶川县威州镇新貌。", "人民网记者 刘颖颖摄")
    assert article.authors == ()  # a photo credit is not a byline
    assert len(article.paragraphs) == 5
    assert not any("摄" in t and len(t) < 20 for t in texts(article))


def test_2016_continuation_page(society_pages: tuple[Article, Article]) -> None:
    second = clean_article(society_pages[1])
    assert second.title == "汶川：十年重建 新城崛起"
    assert second.next_pages == ()  # its pager links back to page 1 only
    (image,) = second.images
    assert (image.caption, image.credit) == ("汶川县克枯乡的村民在采摘甜樱桃。", "人民网记者 刘颖颖摄")
    assert second.authors == ("刘颖颖", "张晓雨")  # the closing "（人民网记者 … 实习生 …）"
    assert texts(second)[-1] == "十年砥砺，汶川从“悲壮汶川”走向“美丽汶川”“活力汶川”。"
    assert second.paragraphs[0].is_subhead


def test_2016_pages_merge(society_pages: tuple[Article, Article]) -> None:
    first, second = society_pages
    merged = clean_article(merge_pages(first, [second]))
    assert merged.url == SOCIETY_URL and merged.next_pages == ()
    assert merged.paragraphs == clean_article(first).paragraphs + clean_article(second).paragraphs
    assert [(i.position, i.credit) for i in merged.images] == [
        (0, "人民网记者 刘颖颖摄"),
        (1, "人民网记者 刘颖颖摄"),
    ]
    assert merged.authors == ("刘颖颖", "张晓雨")


# ---- e-paper: the swiper look under the old /rmrb/html/ URLs (≈2020–2024-11) -------------------------


def test_old_url_layout_in_the_swiper_look() -> None:
    layout_soup = soup(OLD_URL_LAYOUT)
    assert layout_soup.select_one(".swiper-container") and layout_soup.select_one("#pageList") is None
    assert detect_template(page(OLD_URL_LAYOUT)) == "epaper_layout_new"
    layout = parse_layout(page(OLD_URL_LAYOUT), OLD_URL_LAYOUT_URL)
    base = "http://paper.people.com.cn/rmrb/html/2022-07/22/"
    assert (layout.page_no, layout.page_name, layout.issue_date) == (2, "要闻", dt.date(2022, 7, 22))
    assert [e.url for e in layout.entries] == [
        f"{base}nw.D110000renmrb_20220722_{i}-02.htm" for i in range(1, 7)
    ]
    assert layout.entries[5].title == "积极的财政政策靠前发力显效"
    assert not any("责编" in e.title for e in layout.entries)
    assert layout.page_urls == tuple(f"{base}nbs.D110000renmrb_{n:02d}.htm" for n in range(1, 21))
    assert layout.pdf_url == "http://paper.people.com.cn/rmrb/images/2022-07/22/02/rmrb2022072202.pdf"


@pytest.fixture(scope="module")
def old_url_article() -> Article:
    return clean_article(parse_article(page(OLD_URL_ARTICLE), OLD_URL_ARTICLE_URL))


def test_old_url_article_in_the_new_article_dom(old_url_article: Article) -> None:
    assert detect_template(page(OLD_URL_ARTICLE)) == "epaper_new"
    article = old_url_article
    assert (article.pre_title, article.title) == (None, "积极的财政政策靠前发力显效")
    assert article.subtitle == "上半年新增减税降费及退税缓税缓费超3万亿元 留抵退税政策效果持续显现"
    assert article.published_at == dt.datetime(2022, 7, 22)
    assert (article.page_no, article.page_name) == (2, "要闻")
    assert article.content_id == "20220722_6-02"  # the same id the old template gives
    assert article.authors == ("曲哲涵",)
    assert len(article.paragraphs) == 4


def test_caption_table_without_data_original_title(old_url_article: Article) -> None:
    img = soup(OLD_URL_ARTICLE).select_one("#ozoom img")
    assert img is not None and img.get("data-original-title") is None
    (image,) = old_url_article.images
    assert image.src == "http://paper.people.com.cn/rmrb/res/1/20220722/1658429417923_1.jpg"
    # Two <p> in the cell, the caption without a full stop: still caption and credit.
    assert (image.caption, image.credit) == (
        "7月18日，江苏省南通市一家企业的工人在生产线上作业",
        "许丛军摄（人民视觉）",
    )


def test_subtitle_of_several_paragraphs_without_the_comment() -> None:
    article = parse_article(RX_ENP_COMMENT.sub("", page(OLD_URL_ARTICLE)), OLD_URL_ARTICLE_URL)
    assert article.subtitle == "上半年新增减税降费及退税缓税缓费超3万亿元 留抵退税政策效果持续显现"
    assert article.title == "积极的财政政策靠前发力显效"
    assert not any(p.text.startswith("留抵退税政策效果") for p in article.paragraphs)


def test_caption_cell_with_two_paragraphs_and_no_indent() -> None:
    html = page(OLD_URL_ARTICLE).replace(
        "<p>7月18日，江苏省南通市一家企业的工人在生产线上作业</p><p>　　许丛军摄（人民视觉）</p>",
        "<p>江苏南通一家企业的生产车间</p><p>本报记者 王云娜摄</p>",
    )
    (image,) = parse_article(html, OLD_URL_ARTICLE_URL).images
    assert (image.caption, image.credit) == ("江苏南通一家企业的生产车间", "本报记者 王云娜摄")


# ---- e-paper article: 引题 only in <introtitle>, span.newstime, page jumps, closing credit -------------


@pytest.fixture(scope="module")
def introtitle_article() -> Article:
    return clean_article(parse_article(page(INTROTITLE), INTROTITLE_URL))


def test_pre_title_only_in_the_comment(introtitle_article: Article) -> None:
    heading = soup(INTROTITLE).select_one(".article > h3")
    assert heading is not None and not heading.get_text(strip=True)
    assert introtitle_article.pre_title == "农业农村部农情调度显示"
    assert introtitle_article.title == "今年秋粮收获面积已超4亿亩"
    without_comment = parse_article(RX_ENP_COMMENT.sub("", page(INTROTITLE)), INTROTITLE_URL)
    assert without_comment.pre_title is None  # nothing printed, nothing invented


def test_sec_with_newstime_instead_of_date(introtitle_article: Article) -> None:
    sec = soup(INTROTITLE).select_one(".article .sec")
    assert sec is not None and sec.select_one(".newstime") and sec.select_one(".date") is None
    assert introtitle_article.published_at == dt.datetime(2026, 9, 18)
    assert (introtitle_article.page_no, introtitle_article.page_name) == (1, "要闻")


def test_page_jumps_and_closing_credit_leave_the_body(introtitle_article: Article) -> None:
    raw = parse_article(page(INTROTITLE), INTROTITLE_URL)
    assert "（相关报道见第二版）" in texts(raw) and raw.body_text.count("（本报记者 李 洋）") == 1
    article = introtitle_article
    assert article.authors == ("李洋",)
    assert len(article.paragraphs) == 3
    assert texts(article)[-1].endswith("确保颗粒归仓。")  # "（下转第四版）" cut from the end
    for leaked in ("见第二版", "下转", "本报记者", "（"):
        assert not any(t.startswith(leaked) or t.endswith(leaked) for t in texts(article)), leaked


# ---- layout/index.html ---------------------------------------------------------------------------


def test_issue_index_lists_the_pages_of_the_latest_issue() -> None:
    assert detect_template(page(ISSUE_INDEX)) == "epaper_issue_index"
    index = parse_layout(page(ISSUE_INDEX), ISSUE_INDEX_URL)
    assert index.entries == ()
    assert index.issue_date == dt.date(2026, 9, 18)
    assert index.page_urls == tuple(
        f"http://paper.people.com.cn/rmrb/pc/layout/202609/18/node_{n:02d}.html" for n in range(1, 21)
    )
    with pytest.raises(ParseError, match="no known article template"):
        parse_article(page(ISSUE_INDEX), ISSUE_INDEX_URL)


def test_issue_index_without_page_links_fails() -> None:
    empty_list = '<div class="list" id="list"><ul><li></li></ul></div>'
    html = re.sub(r'<div class="list" id="list">.*?</div>', empty_list, page(ISSUE_INDEX), flags=re.DOTALL)
    with pytest.raises(ParseError, match="no known layout template"):
        parse_layout(html, ISSUE_INDEX_URL)


def test_previous_page_button_is_not_a_photo() -> None:
    button = (
        '<p style="text-align: center;"><a href="c1008-29983215.html"><img src="/img/prev_page.jpg"></a></p>'
    )
    subhead = '<p style="text-indent: 2em;">\n\t<strong>产业逐步振兴'
    html = page(SOCIETY_2).replace(subhead, button + subhead)
    assert html.count("prev_page.jpg") == 2
    article = parse_article(html, SOCIETY_2_URL)
    assert [i.src.rsplit("/", 1)[1] for i in article.images] == ["MAIN201805120753000935107824433.jpg"]
