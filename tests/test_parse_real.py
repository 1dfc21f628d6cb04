"""Parse + clean on the four real saved pages in tests/fixtures/real/ (see PROVENANCE.md there)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from etl.clean import clean_article, normalise_text
from etl.models import Article
from etl.parse import detect_template, parse_article, parse_layout

REAL = Path(__file__).parent / "fixtures" / "real"
EXPECTED = REAL / "expected"

CULTURE = "people_culture_n1_2019-06-15_c1013-31153719.html"
CULTURE_URL = "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html"
POLITICS = "people_politics_n1_2024-04-24_c1001-40223222.html"
POLITICS_URL = "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html"
JS_GBK = "people_js_n2_2022-02-13_c360307-35131671.gbk.html"
JS_URL = "http://js.people.com.cn/n2/2022/0213/c360307-35131671.html"
LAYOUT = "rmrb_pc_layout_2024-12-25_node_01.html"
LAYOUT_URL = "http://paper.people.com.cn/rmrb/pc/layout/202412/25/node_01.html"

# Text that must never reach a cleaned body: 责编 lines, share prompts, the hidden 原标题,
# footers and script source.
BOILERPLATE_MARKERS = ("责编", "分享让更多人看到", "原标题", "版权所有", "版 权 所 有", "Copyright", "ICP")
SCRIPT_MARKERS = ("showPlayer", "function(", "document.write", "var ", "$(")


def utf8(name: str) -> str:
    return (REAL / name).read_bytes().decode("utf-8")


def assert_no_boilerplate(article: Article) -> None:
    text = "\n".join([article.body_text, *(i.caption or "" for i in article.images)])
    for marker in (*BOILERPLATE_MARKERS, *SCRIPT_MARKERS):
        assert marker not in text, marker
    assert all(p.text == normalise_text(p.text) and p.text for p in article.paragraphs)


# ---- politics 2024 (2020+ template, Xinhua wire copy) against the fundus expected output --------


@pytest.fixture(scope="module")
def fundus_expected() -> dict[str, object]:
    data = json.loads(
        (EXPECTED / "people_politics_n1_2024-04-24_c1001-40223222.fundus_expected.json").read_text()
    )
    return dict(data["V1"])


@pytest.fixture(scope="module")
def politics_raw() -> Article:
    return parse_article(utf8(POLITICS), POLITICS_URL)


def fundus_paragraphs(expected: dict[str, object]) -> list[str]:
    body = expected["body"]
    assert isinstance(body, dict)
    return [normalise_text(p) for section in body["sections"] for p in section["paragraphs"]]


def test_politics_fields(politics_raw: Article, fundus_expected: dict[str, object]) -> None:
    article = clean_article(politics_raw)
    assert detect_template(utf8(POLITICS)) == "portal_2020" == article.template
    # fundus keeps the <title> suffix "--时政--人民网"; the article heading has none.
    assert article.title == str(fundus_expected["title"]).split("--")[0]
    assert article.published_at == dt.datetime(2024, 4, 24, 23, 52)
    assert str(fundus_expected["publishing_date"]).startswith(article.published_at.date().isoformat())
    assert article.source == "新华网"
    # fundus reads div.edit as "authors"; those names are the 责编.
    assert article.editors == tuple(fundus_expected["authors"])  # type: ignore[arg-type]
    assert article.content_id == "40223222"
    assert article.next_pages == ()
    assert article.images == ()  # the only <img> fundus saw is the 字号 icon outside the body
    assert_no_boilerplate(article)


def test_politics_raw_paragraphs_match_fundus(
    politics_raw: Article, fundus_expected: dict[str, object]
) -> None:
    assert [p.text for p in politics_raw.paragraphs] == fundus_paragraphs(fundus_expected)


def test_politics_byline_moves_to_authors(politics_raw: Article, fundus_expected: dict[str, object]) -> None:
    article = clean_article(politics_raw)
    expected = fundus_paragraphs(fundus_expected)
    dropped = [p for p in expected if p not in article.body_text.split("\n")]
    # The only difference to fundus: the bare byline "新华社记者" is metadata, not body text.
    assert dropped == ["新华社记者"]
    assert [p.text for p in article.paragraphs] == [p for p in expected if p != "新华社记者"]
    # Names come from the wire tail "（记者宋晨、田中全、胡…" whose third name is mojibake: dropped.
    assert article.authors == ("宋晨", "田中全")


# ---- js.people 2022 (provincial n2, GBK bytes) against the hand-made ground truth ---------------


@pytest.fixture(scope="module")
def js_html() -> str:
    raw = (REAL / JS_GBK).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # real GBK bytes under a GB2312 declaration
    return raw.decode("gb18030")


def test_js_gbk_matches_cleaned_ground_truth(js_html: str) -> None:
    article = clean_article(parse_article(js_html, JS_URL))
    expected = [
        normalise_text(line)
        for line in (EXPECTED / "people_js_n2_2022-02-13_c360307-35131671.cleaned.txt")
        .read_text()
        .splitlines()
        if line.strip()
    ]
    # The ground truth ends with the byline and the 责编 line; both are metadata here.
    byline, editors_line = expected[-2:]
    assert byline == "□ 本报记者 葛灵丹" and editors_line.startswith("(责编")
    assert [p.text for p in article.paragraphs] == expected[:-2]
    assert article.editors == tuple(re.split("、", editors_line.strip("()").split("：")[1]))
    assert_no_boilerplate(article)


def test_js_author_and_date_match_ground_truth(js_html: str) -> None:
    article = clean_article(parse_article(js_html, JS_URL))
    author = (EXPECTED / "people_js_n2_2022-02-13_c360307-35131671.author.txt").read_text().strip()
    date = (EXPECTED / "people_js_n2_2022-02-13_c360307-35131671.date.txt").read_text().strip()
    assert article.authors == (author,)
    assert article.published_at is not None
    assert article.published_at.strftime("%Y-%m-%d %H:%M") == date
    assert article.title == "江苏多地要求中高风险地区师生员工暂不返校"
    assert article.source == "新华日报"
    assert article.content_id == "L_35131671"


# ---- culture 2019 (2016 template, 4-page article) -------------------------------------------------


def test_culture_2016_template() -> None:
    article = clean_article(parse_article(utf8(CULTURE), CULTURE_URL))
    assert article.template == "portal_2016"
    assert article.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"
    assert article.published_at == dt.datetime(2019, 6, 15, 8, 18)
    assert article.source == "人民网-文化频道"
    assert article.editors == ("汤诗瑶", "丁涛")
    assert article.next_pages == tuple(f"{CULTURE_URL[:-5]}-{n}.html" for n in (2, 3, 4))
    assert [i.src for i in article.images] == [
        "http://culture.people.com.cn/NMediaFile/2019/0614/MAIN201906141807000399797949197.jpg",
        "http://culture.people.com.cn/NMediaFile/2019/0614/MAIN201906141320000021568350523.png",
    ]
    assert all(i.caption is None and i.credit is None for i in article.images)  # alt="" and no caption lines
    # 27 text paragraphs; the "点击进入…" promo link and the next-page button are not among them.
    assert len(article.paragraphs) == 27
    assert not any("点击进入" in p.text for p in article.paragraphs)
    subheads = [p.text for p in article.paragraphs if p.is_subhead]
    assert subheads == [
        "《冬夜读书示子聿》",
        "——（宋）陆游",
        "点评：",
        "《诫子诗》",
        "——（汉）东方朔",
        "点评：",
    ]
    assert_no_boilerplate(article)


def test_culture_page_two_link_is_not_a_next_page_of_itself() -> None:
    page2_url = CULTURE_URL.replace(".html", "-2.html")
    article = parse_article(utf8(CULTURE), page2_url)
    assert article.next_pages == (
        CULTURE_URL.replace(".html", "-3.html"),
        CULTURE_URL.replace(".html", "-4.html"),
    )


# ---- the same pages served from a mirror ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url"),
    [(POLITICS, POLITICS_URL), (CULTURE, CULTURE_URL)],
)
def test_template_is_chosen_from_the_dom_not_the_host(name: str, url: str) -> None:
    mirror = re.sub(r"^http://[^/]+", "http://127.0.0.1:8765", url)
    original = clean_article(parse_article(utf8(name), url))
    mirrored = clean_article(parse_article(utf8(name), mirror))
    assert mirrored.template == original.template
    assert mirrored.paragraphs == original.paragraphs
    assert mirrored.published_at == original.published_at
    assert [i.src.replace("http://127.0.0.1:8765", "") for i in mirrored.images] == [
        re.sub(r"^http://[^/]+", "", i.src) for i in original.images
    ]


# ---- e-paper layout page 2024-12-25 node_01 -------------------------------------------------------


def test_layout_page() -> None:
    html = utf8(LAYOUT)
    assert detect_template(html) == "epaper_layout_new"
    page = parse_layout(html, LAYOUT_URL)
    assert page.template == "epaper_layout_new"
    assert (page.page_no, page.page_name, page.issue_date) == (1, "要闻", dt.date(2024, 12, 25))
    assert [e.url for e in page.entries] == [
        f"http://paper.people.com.cn/rmrb/pc/content/202412/25/content_{n}.html"
        for n in range(30048054, 30048061)
    ]
    assert page.entries[0].title == "“为老百姓提供用得上、用得起、用得好的信息服务”（总书记的人民情怀）"
    assert page.entries[1].title == "深化生态文明体制改革（改革增动力 发展添活力）"
    assert page.pdf_url == (
        "http://paper.people.com.cn/rmrb/pc/attachement/202412/25/58d97d37-6229-4f3b-872d-3911f85cb11b.pdf"
    )
    assert page.page_urls == tuple(
        f"http://paper.people.com.cn/rmrb/pc/layout/202412/25/node_{n:02d}.html" for n in range(1, 21)
    )


def test_layout_falls_back_to_map_areas_without_the_news_list() -> None:
    html = utf8(LAYOUT)
    without_list = re.sub(r'<div class="news">.*?</ul>\s*</div>', "", html, flags=re.DOTALL)
    assert '<ul class="news-list">' not in without_list
    page = parse_layout(without_list, LAYOUT_URL)
    assert [e.url for e in page.entries] == [e.url for e in parse_layout(html, LAYOUT_URL).entries]


def test_layout_from_a_mirror_keeps_relative_links_on_the_mirror() -> None:
    mirror = "http://127.0.0.1:8765/rmrb/pc/layout/202412/25/node_01.html"
    page = parse_layout(utf8(LAYOUT), mirror)
    assert page.entries[0].url == "http://127.0.0.1:8765/rmrb/pc/content/202412/25/content_30048054.html"
    assert page.issue_date == dt.date(2024, 12, 25)


def test_clean_is_idempotent_on_real_pages(js_html: str) -> None:
    for html, url in ((utf8(POLITICS), POLITICS_URL), (utf8(CULTURE), CULTURE_URL), (js_html, JS_URL)):
        once = clean_article(parse_article(html, url))
        assert clean_article(once) == once


def test_real_pages_are_byte_identical_to_their_sources() -> None:
    listed = re.findall(r"^([0-9a-f]{64})  (\S+)$", (REAL / "README.md").read_text(), flags=re.MULTILINE)
    # Every saved page has its digest listed, and nothing else is listed.
    assert sorted(name for _, name in listed) == sorted(p.name for p in REAL.glob("*.htm*"))
    for digest, name in listed:
        assert hashlib.sha256((REAL / name).read_bytes()).hexdigest() == digest, name
