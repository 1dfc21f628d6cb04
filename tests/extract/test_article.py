"""extract_article over body and captions, regions, the text table, and the version string."""

from __future__ import annotations

import datetime as dt
import re

from etl.extract import EXTRACTOR_VERSION, extract_article, extract_indicators, format_table
from etl.extract.sentences import split_sentences
from etl.extract.table import display_width
from etl.models import Article, Image, Paragraph

ARTICLE = Article(
    url="http://sh.people.com.cn/n2/2025/0903/c134768-40000000.html",
    title="科创高地 人民之城",
    template="portal_2020",
    published_at=dt.datetime(2025, 9, 3, 8, 30),
    paragraphs=(
        Paragraph("“上下楼就是上下游” 数智变革激活发展新动能", is_subhead=True),
        Paragraph("2024年，上海港集装箱吞吐量5150.6万标箱，连续15年排名世界第一。"),
        Paragraph("今年上半年，上海新增建设筹措保障性租赁住房4.2万套(间)，完成全年目标的60.4%。"),
        Paragraph("在上海，浦东新区新建口袋公园38座。与此同时，苏州工业园区新增就业岗位2.1万个。"),
    ),
    images=(
        Image(
            position=0,
            src="http://sh.people.com.cn/NMediaFile/a.jpg",
            caption="陆家嘴刺破云霄的天际线。",
            credit="人民网 马作鹏摄",
        ),
        Image(
            position=1,
            src="http://sh.people.com.cn/NMediaFile/b.jpg",
            caption="洋山港四期自动化码头年吞吐能力超过630万标准箱。",
        ),
        Image(position=2, src="http://sh.people.com.cn/NMediaFile/c.jpg", caption=None),
    ),
)


def test_body_rows_index_into_body_text() -> None:
    body = ARTICLE.body_text
    rows = [ind for ind in extract_article(ARTICLE) if ind.source == "body"]
    assert [ind.raw for ind in rows] == ["5150.6万标箱", "15年", "4.2万套(间)", "60.4%", "38座", "2.1万个"]
    for ind in rows:
        assert body[ind.char_start : ind.char_end] == ind.raw
        assert ind.image_position is None


def test_captions_are_their_own_texts() -> None:
    (caption_row,) = [ind for ind in extract_article(ARTICLE) if ind.source == "caption"]
    caption = ARTICLE.images[1].caption
    assert caption is not None
    assert caption_row.image_position == 1
    assert caption[caption_row.char_start : caption_row.char_end] == caption_row.raw == "630万标准箱"
    assert caption_row.value == 6.3e6


def test_publication_date_resolves_periods() -> None:
    periods = {ind.raw: ind.period for ind in extract_article(ARTICLE)}
    assert periods["5150.6万标箱"] == "2024"
    assert periods["4.2万套(间)"] == periods["60.4%"] == "2025-H1"
    assert periods["38座"] is None


def test_region_from_sentence_else_the_article() -> None:
    regions = {ind.raw: ind.region for ind in extract_article(ARTICLE)}
    assert regions["5150.6万标箱"] == "上海"
    assert regions["2.1万个"] == "苏州"  # named in its own sentence
    assert regions["630万标准箱"] == "上海"  # caption: the article is about 上海


def test_region_hint_and_national_figures() -> None:
    (row,) = extract_indicators("全年粮食总产量13908亿斤。", dt.date(2024, 1, 18), region_hint="全国")
    assert row.region == "全国"
    (row,) = extract_indicators("全国居民人均可支配收入39218元。", dt.date(2024, 1, 18))
    assert row.region == "全国"
    (row,) = extract_indicators("浙江全年GDP增速比全国高0.6个百分点。", dt.date(2025, 1, 20))
    assert row.region == "浙江"


def test_article_without_date_or_figures() -> None:
    empty = Article(
        url="http://example.invalid/a",
        title="父亲节读诗",
        template="portal_2016",
        paragraphs=(Paragraph("父亲的教诲像一盏灯，为我们照亮前行的路。"),),
    )
    assert extract_article(empty) == []


def test_format_table_lists_every_row() -> None:
    rows = extract_article(ARTICLE)
    table = format_table(rows)
    lines = table.splitlines()
    assert lines[0].split() == [
        "value", "unit", "qual", "metric", "measure", "basis", "period", "region", "province", "raw", "at"
    ]  # fmt: skip
    assert len(lines) == len(rows) + 3
    assert lines[-1] == f"{len(rows)} indicator(s)"
    assert "51,506,000" in table and "caption:" in table and "@img1" in table
    # columns line up although CJK characters are two terminal columns wide
    raw_columns = {
        display_width(line[: line.index(f" {row.raw} ")]) for line, row in zip(lines[2:-1], rows, strict=True)
    }
    assert len(raw_columns) == 1


def test_format_table_empty() -> None:
    assert format_table([]).splitlines()[-1] == "0 indicator(s)"


def test_version_is_semantic() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", EXTRACTOR_VERSION)


def test_sentences_keep_offsets_and_closing_quotes() -> None:
    text = "“今年小麦品质好。”他说。\n第二段没有句号"
    spans = [text[s.start : s.end] for s in split_sentences(text)]
    assert spans == ["“今年小麦品质好。”", "他说。", "第二段没有句号"]
