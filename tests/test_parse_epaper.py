"""E-paper article and layout templates on fixture pages written after the live markup.

No real e-paper article page has been saved yet; tests/fixtures/pages/ holds pages built from
the selectors working scrapers use, carrying the known traps (<h1><p>…</p></h1>, the
enpproperty comment, #articleContent, captions printed twice, stale meta dates).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from etl.clean import clean_article
from etl.models import Article
from etl.parse import detect_template, parse_article, parse_layout
from etl.urls import source_key

PAGES = Path(__file__).parent / "fixtures" / "pages"
NEW = "rmrb_pc_content_2026-09-17_content_30181577.html"
NEW_URL = "http://paper.people.com.cn/rmrb/pc/content/202609/17/content_30181577.html"
OLD = "rmrb_html_2019-03-01_nw.D110000renmrb_20190301_3-04.htm"
OLD_URL = "http://paper.people.com.cn/rmrb/html/2019-03/01/nw.D110000renmrb_20190301_3-04.htm"
OLD_LAYOUT = "rmrb_html_2019-03-01_nbs.D110000renmrb_04.htm"
OLD_LAYOUT_URL = "http://paper.people.com.cn/rmrb/html/2019-03/01/nbs.D110000renmrb_04.htm"
RX_ENP_COMMENT = re.compile(r"<!--enpproperty.*?/enpproperty-->", re.DOTALL)


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def new_article() -> Article:
    return clean_article(parse_article(page(NEW), NEW_URL))


def test_new_epaper_headings_from_restructured_h1(new_article: Article) -> None:
    assert detect_template(page(NEW)) == "epaper_new" == new_article.template
    assert new_article.pre_title == "前8个月全国港口货物吞吐量同比增长4.2%"
    assert new_article.title == "港口生产保持平稳增长"
    assert new_article.subtitle == "外贸航线持续加密 集装箱运输需求旺盛"


def test_new_epaper_issue_fields(new_article: Article) -> None:
    # The page declares <meta name="publishdate" content="2013-07-17">; the issue date wins.
    assert new_article.published_at == dt.datetime(2026, 9, 17)
    assert new_article.page_no == 2
    assert new_article.source == "人民日报"
    assert new_article.authors == ("陈晓航", "王静远")
    assert new_article.content_id == "30181577"
    assert new_article.editors == ()


def test_new_epaper_body(new_article: Article) -> None:
    texts = [p.text for p in new_article.paragraphs]
    assert len(texts) == 5 and len(set(texts)) == 5  # #articleContent did not double the body
    assert texts[0].startswith("本报北京9月16日电 交通运输部16日发布数据显示")
    assert [p.text for p in new_article.paragraphs if p.is_subhead] == ["外贸航线加密"]
    body = new_article.body_text
    for leaked in (
        "《人民日报》",
        "enpproperty",
        "articleid",
        "放大",
        "上一篇",
        "全文复制",
        "版权",
        "返回顶部",
    ):
        assert leaked not in body, leaked


def test_new_epaper_photos_captions_and_credits(new_article: Article) -> None:
    base = "http://paper.people.com.cn/rmrb/pc/pic/202609/17/"
    assert [(i.position, i.src, i.caption, i.credit) for i in new_article.images] == [
        (
            0,
            base + "3f2a9c4e-7b1d-4e8a-9c55-0d6b2e41a7f3.jpg",
            "9月15日，山东青岛港前湾集装箱码头，货轮正在装卸作业。",
            "张进刚摄（影像中国）",
        ),
        (
            1,
            base + "b81c0d27-5e43-4f9a-8a6e-91d3c2f0e7b4.jpg",
            "浙江宁波舟山港梅山港区一角。",
            "本报记者 陈晓航摄",
        ),
    ]
    for image in new_article.images:
        assert image.caption is not None
        assert image.caption not in new_article.body_text  # table.pci_c did not become a paragraph


def test_title_recovered_from_displaced_paragraphs_without_the_comment() -> None:
    html = RX_ENP_COMMENT.sub("", page(NEW))
    assert "enpproperty" not in html
    article = parse_article(html, NEW_URL)
    assert article.title == "港口生产保持平稳增长"
    assert article.pre_title == "前8个月全国港口货物吞吐量同比增长4.2%"
    assert article.subtitle == "外贸航线持续加密 集装箱运输需求旺盛"
    assert not any(p.text == article.title for p in article.paragraphs)


def test_plain_headings_are_read_directly() -> None:
    html = RX_ENP_COMMENT.sub("", page(NEW))
    html = html.replace("<h1><p>港口生产保持平稳增长</p></h1>", "<h1>港口生产<br>保持平稳增长</h1>")
    html = html.replace("<h3><p>前8个月全国港口货物吞吐量同比增长4.2%</p></h3>", "<h3></h3>")
    article = parse_article(html, NEW_URL)
    assert article.title == "港口生产 保持平稳增长"
    assert article.pre_title is None


def test_authors_fall_back_to_the_comment_when_sec_has_no_byline() -> None:
    html = page(NEW).replace("本报记者　陈晓航　王静远", "")
    article = parse_article(html, NEW_URL)
    assert article.authors == ("陈晓航", "王静远")


def test_saved_copy_without_dated_url_takes_date_and_id_from_the_page() -> None:
    article = parse_article(page(NEW), "http://127.0.0.1:8765/saved/article.html")
    assert article.template == "epaper_new"
    assert article.published_at == dt.datetime(2026, 9, 17)
    assert article.content_id == "30181577"
    assert (
        article.images[0].src
        == "http://127.0.0.1:8765/pic/202609/17/3f2a9c4e-7b1d-4e8a-9c55-0d6b2e41a7f3.jpg"
    )


def test_old_epaper_article() -> None:
    html = page(OLD)
    assert detect_template(html) == "epaper_old"
    article = clean_article(parse_article(html, OLD_URL))
    assert article.pre_title == "各地抢抓农时保障粮食生产"
    assert article.title == "春耕备耕有序推进"
    assert article.subtitle is None
    assert article.authors == ("郁静娴",)
    assert article.published_at == dt.datetime(2019, 3, 1)
    assert article.page_no == 4
    # The id inside the article's source key (epaper-old:20190301_3-04): one form everywhere.
    assert article.content_id == "20190301_3-04"
    assert source_key(OLD_URL) == f"epaper-old:{article.content_id}"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].text.startswith("眼下，春耕备耕由南向北陆续展开。")
    (image,) = article.images
    assert image.src == "http://paper.people.com.cn/rmrb/res/1/20190301/1551384512345_1.jpg"
    assert image.caption == "2月27日，江西省南昌县蒋巷镇的农民在育秧大棚内查看秧苗长势。"
    assert image.credit == "新华社记者 彭昭之摄"
    assert "版权" not in article.body_text and "Copyright" not in article.body_text


def test_old_layout_page() -> None:
    html = page(OLD_LAYOUT)
    assert detect_template(html) == "epaper_layout_old"
    layout = parse_layout(html, OLD_LAYOUT_URL)
    base = "http://paper.people.com.cn/rmrb/html/2019-03/01/"
    assert (layout.page_no, layout.page_name, layout.issue_date) == (4, "要闻", dt.date(2019, 3, 1))
    # Titles come from document.write(view("…")); the 本版责编 credit entry (4-04) is not an article.
    assert [(e.url, e.title) for e in layout.entries] == [
        (base + "nw.D110000renmrb_20190301_1-04.htm", "全国政协十三届二次会议新闻发布会3月2日举行"),
        (
            base + "nw.D110000renmrb_20190301_2-04.htm",
            "深化党和国家机构改革 推进国家治理体系和治理能力现代化",
        ),
        (base + "nw.D110000renmrb_20190301_3-04.htm", "春耕备耕有序推进"),
        (base + "nw.D110000renmrb_20190301_5-04.htm", "图片新闻"),
    ]
    assert layout.pdf_url == "http://paper.people.com.cn/rmrb/page/2019-03/01/04/rmrb2019030104.pdf"
    assert layout.page_urls == tuple(f"{base}nbs.D110000renmrb_{n:02d}.htm" for n in range(1, 21))
    assert layout.editors == ("王斌", "刘洁")  # from "本版责编：王 斌 刘 洁", the padding undone


def test_a_headline_mentioning_an_editor_is_still_an_article() -> None:
    html = page(OLD_LAYOUT).replace("春耕备耕有序推进", "当好新时代的责任编辑")
    titles = [e.title for e in parse_layout(html, OLD_LAYOUT_URL).entries]
    assert "当好新时代的责任编辑" in titles and not any(t.startswith("本版责编") for t in titles)


def test_old_layout_pdf_from_the_page_switcher_when_the_label_has_none() -> None:
    pdf_link = "<a href=../../../page/2019-03/01/04/rmrb2019030104.pdf>"
    assert page(OLD_LAYOUT).count(pdf_link) == 2  # once in div.ban_t, once in #pageList
    html = page(OLD_LAYOUT).replace(pdf_link, "<a>", 1)
    layout = parse_layout(html, OLD_LAYOUT_URL)
    assert layout.pdf_url == "http://paper.people.com.cn/rmrb/page/2019-03/01/04/rmrb2019030104.pdf"


def test_layout_parsers_do_not_take_article_pages_and_vice_versa() -> None:
    from etl.parse import ParseError

    with pytest.raises(ParseError):
        parse_layout(page(NEW), NEW_URL)
    with pytest.raises(ParseError, match="no known article template"):
        parse_article(page(OLD_LAYOUT), OLD_LAYOUT_URL)


def test_bare_issue_date_in_sec_when_the_reference_is_missing() -> None:
    html = page(NEW).replace(
        '<span class="date">《人民日报》（2026年09月17日 第 02 版）</span>',
        '<span class="newstime">2026年09月17日</span>',
    )
    article = parse_article(html, "http://127.0.0.1:8765/saved/article.html")
    assert article.published_at == dt.datetime(2026, 9, 17)
    assert article.page_no is None  # only the full reference names the page
    assert article.authors == ("陈晓航", "王静远")


def test_collective_signature_is_kept_as_author() -> None:
    html = RX_ENP_COMMENT.sub("", page(NEW)).replace("本报记者　陈晓航　王静远", "本报评论部")
    assert parse_article(html, NEW_URL).authors == ("本报评论部",)


def test_body_without_paragraph_tags_is_split_on_line_breaks() -> None:
    html = page(OLD).replace("<P>", "").replace("</P>", "<br>")
    assert "<P>" not in html
    article = parse_article(html, OLD_URL)
    assert [p.text for p in article.paragraphs] == [
        p.text for p in parse_article(page(OLD), OLD_URL).paragraphs
    ]
    assert article.images[0].credit == "新华社记者 彭昭之摄"
