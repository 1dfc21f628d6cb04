"""Labelling across figures: 分别 lists, what a figure inherits from the one before it, and the
fallback that leaves no row without a metric."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from extract_helpers import extract, one

from etl import clean, fetch, parse
from etl.extract import extract_article, extract_indicators
from etl.parse.errors import ParseError

TESTS = Path(__file__).resolve().parents[1]
SITE = TESTS / "fixtures" / "site"


# --- what a figure inherits from the one before ---------------------------------------------------


def test_average_takes_the_activity_of_the_total_before_it() -> None:
    text = "假期全国边检机关累计查验出入境人员1500万人次，日均214万人次。"
    assert one(text, "214万人次").metric == "日均查验出入境人员"


def test_multiple_of_an_earlier_period_belongs_to_the_subject() -> None:
    text = "其中入境游客82万人次，是去年同期的1.8倍。"
    assert one(text, "1.8倍").metric == "入境游客"
    assert one(text, "1.8倍").period is None


# --- 分别 lists -------------------------------------------------------------------------------------


def test_fenbie_members_share_a_de_phrase() -> None:
    text = "从主要城市看，成都、重庆、西安的客流量分别增长12%、9%和7%。"
    assert [i.metric for i in extract(text)] == ["成都的客流量", "重庆的客流量", "西安的客流量"]


def test_each_member_of_a_list_of_changes_names_its_change() -> None:
    text = "全市工业增加值、固定资产投资和社会消费品零售总额分别增加120亿元、85亿元和60亿元。"
    metrics = [ind.metric for ind in extract(text)]
    assert metrics == ["工业增加值", "固定资产投资", "社会消费品零售总额"]
    assert {ind.measure for ind in extract(text)} == {"change"}


def test_a_list_of_changes_against_a_base_keeps_the_base() -> None:
    rows = extract("两地粮食产量分别比上年增加2.1亿斤和1.6亿斤。")
    assert {(ind.metric, ind.measure, ind.basis) for ind in rows} == {("两地粮食产量", "change", "yoy")}


# --- no row ever has an empty metric --------------------------------------------------------------


def _gold_texts() -> list[tuple[str, dt.date | None]]:
    texts = []
    for path in sorted((TESTS / "gold").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        published = dt.date.fromisoformat(doc["published"]) if doc.get("published") else None
        texts.append((doc["text"], published))
    texts.append(((TESTS / "fixtures" / "seed_article.txt").read_text(encoding="utf-8"), dt.date(2025, 9, 3)))
    return texts


def test_no_empty_metric_on_gold_and_sample_texts() -> None:
    empty = [
        (ind.raw, ind.sentence)
        for text, published in _gold_texts()
        for ind in extract_indicators(text, published)
        if len(ind.metric.strip()) < 2
    ]
    assert empty == []


def _site_articles() -> list[Path]:
    pages = sorted((SITE / "rmrb" / "pc" / "content").rglob("*.html"))
    pages += sorted((SITE / "n1").rglob("*.html")) + sorted((SITE / "n2").rglob("*.html"))
    return pages


def test_no_empty_metric_on_demo_site_articles() -> None:
    rows = []
    for page in _site_articles():
        rel = page.relative_to(SITE).as_posix()
        host = "paper.people.com.cn" if rel.startswith("rmrb") else "finance.people.com.cn"
        try:
            article = clean.clean_article(
                parse.parse_article(fetch.decode_html(page.read_bytes()).text, f"http://{host}/{rel}")
            )
        except ParseError:
            continue  # a page whose body is empty has nothing to extract
        rows.extend(extract_article(article))
    assert len(rows) > 100
    assert [(i.raw, i.sentence) for i in rows if len(i.metric.strip()) < 2] == []


def test_clause_without_a_subject_falls_back_to_the_unit_category() -> None:
    assert one("他今年72岁。", "72岁").metric == "年龄"


def test_a_paired_verb_before_a_list_gives_each_member_its_quantity() -> None:
    rows = extract("2025年，全国汽车产销分别完成3126万辆和3110万辆，同比分别增长4.2%和3.9%。")
    assert [(r.metric, r.measure) for r in rows] == [
        ("汽车产量", "level"),
        ("汽车销量", "level"),
        ("汽车产量", "growth"),
        ("汽车销量", "growth"),
    ]
    # in the order written: 进 then 出
    rows = extract("前三季度，全省进出口分别增长6.1%和9.4%。")
    assert [r.metric for r in rows] == ["进口", "出口"]


def test_a_plan_that_is_the_base_of_a_comparison_leaves_a_fact() -> None:
    row = one("今年全市国有企业比原计划多招8000人。", "8000人")
    assert (row.measure, row.basis, row.value) == ("change", "base", 8000)


def test_both_members_of_a_list_that_writes_the_unit_once() -> None:
    rows = extract("两项指标分别比上年提高6.7和13.8个百分点。")
    assert [(r.raw, r.value, r.unit, r.measure) for r in rows] == [
        ("6.7", 6.7, "百分点", "change"),
        ("13.8个百分点", 13.8, "百分点", "change"),
    ]


def test_a_turn_from_one_period_to_the_next_keeps_the_subject() -> None:
    # each figure belongs to the period written before it: the later one to 前三季度
    rows = extract("全省工业投资由上半年的下降2.1%转为前三季度增长8.2%。", dt.date(2025, 10, 20))
    assert [(r.metric, r.value, r.period) for r in rows] == [
        ("工业投资", -2.1, "2025-H1"),
        ("工业投资", 8.2, "2025-Q1-Q3"),
    ]


@pytest.mark.parametrize(
    ("text", "metrics"),
    [
        # the members follow the character order of the compound, whatever the sentence
        ("2024年，全市货物进出口额分别为1200亿元和1500亿元。", ["货物进口额", "货物出口额"]),
        ("2024年，我国新能源汽车产销量分别完成1288万辆和1287万辆。", ["新能源汽车产量", "新能源汽车销量"]),
        ("2024年，全市一般公共预算收支分别为800亿元和1000亿元。", ["一般公共预算收入", "一般公共预算支出"]),
        ("6月末，全省金融机构存贷款余额分别为25万亿元和22万亿元。", ["金融机构存款余额", "金融机构贷款余额"]),
        ("国庆假期，全国口岸出入境人员分别为800万人次和810万人次。", ["口岸出境人员", "口岸入境人员"]),
        ("上半年，全港进出港船舶分别为3万艘次和3.1万艘次。", ["进港船舶", "出港船舶"]),
        ("上半年，全市客货运量分别为1.2亿人次和3亿吨。", ["客运量", "货运量"]),
    ],
)
def test_a_paired_compound_lists_its_members_in_character_order(text: str, metrics: list[str]) -> None:
    assert [r.metric for r in extract(text)] == metrics


def test_a_later_list_reuses_the_members_of_the_compound() -> None:
    rows = extract("前三季度，全市进出口额分别为1200亿元和1500亿元，同比分别增长3.5%和6.2%。")
    assert [(r.metric, r.measure) for r in rows] == [
        ("进口额", "level"),
        ("出口额", "level"),
        ("进口额", "growth"),
        ("出口额", "growth"),
    ]
