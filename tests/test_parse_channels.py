"""Channel layouts of their own (dangshi, pic, capital): what tells each one apart from the
look-alike templates, and the fields only its own selectors read."""

from __future__ import annotations

import datetime as dt

from fixture_pages import decoded, url_of

from etl.parse import detect_template, parse_article
from etl.parse.dom import make_soup
from etl.parse.portal import PortalArticleClassic, PortalArticleP2jText

DANGSHI = "pages/people_dangshi_n1_2017-09-15_c85037-29537490.html"
DANGSHI_TEXT_SHOW = "pages/people_dangshi_n1_2018-01-22_c85037-29778215.html"
PIC = "pages/people_pic_n1_2020-01-13_c426981-31546602.html"
CAPITAL = "pages/people_capital_n1_2020-12-29_c405954-31982904.html"


def test_dangshi_content_text_page_is_not_read_as_a_classic_page() -> None:
    html = decoded(DANGSHI)
    # It has #p_content like the classic pages, whose selectors find neither its 引题 nor its 责编.
    assert not PortalArticleClassic.matches(make_soup(html))
    article = parse_article(html, url_of(DANGSHI))
    assert article.template == "portal_content_text"
    assert article.pre_title == "多地修缮开放一批革命旧址"
    assert article.editors == ("郑璐", "谢磊")
    assert article.authors == ("李昌禹",)


def test_dangshi_text_show_page_reads_its_headings_and_byline() -> None:
    article = parse_article(decoded(DANGSHI_TEXT_SHOW), url_of(DANGSHI_TEXT_SHOW))
    assert article.template == "portal_text_show"
    assert (article.pre_title, article.subtitle) == ("推进革命文献保护利用", "馆藏珍贵档案完成数字化")
    assert article.published_at == dt.datetime(2018, 1, 22, 9, 12)
    assert article.authors == ("王汉超",)
    assert article.editors == ("任一林", "谢磊")


def test_photo_story_follows_its_pager_to_the_later_photos() -> None:
    url = url_of(PIC)
    article = parse_article(decoded(PIC), url)
    assert article.template == "portal_picture"
    # The pager lists page 1 (this page) and "下一页" (page 2 again): each later page once, in order.
    assert article.next_pages == (url.replace(".html", "-2.html"), url.replace(".html", "-3.html"))
    assert article.source == "新华网"
    assert article.published_at == dt.datetime(2020, 1, 13, 8, 59)


def test_p2j_text_page_reads_the_time_and_byline() -> None:
    article = parse_article(decoded(CAPITAL), url_of(CAPITAL))
    assert article.template == "portal_p2j_text"
    assert article.published_at == dt.datetime(2020, 12, 29, 8, 35)
    assert article.authors == ("屈信明",)


def test_leader_profile_page_with_p2j_text_is_not_an_article_of_that_layout() -> None:
    # ldzl.people.com.cn profiles put the person's name in an h2 and have no h1.
    profile = """<html><head><title>简历--领导干部资料库--人民网</title></head><body>
    <div class="fl p2j_text_center title_2j"><h2>张某某</h2>
    <div class="p2j_text"><div class="gray box_text"><p>张某某，男，汉族，1965年生。</p></div></div>
    </div></body></html>"""
    assert not PortalArticleP2jText.matches(make_soup(profile))
    assert detect_template(profile) is None
