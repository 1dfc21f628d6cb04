"""Periods: resolution against the publication date, carrying forward through a paragraph."""

from __future__ import annotations

import datetime as dt

import pytest
from extract_helpers import extract, one, raws

from etl.extract.periods import PeriodResolver, find_time_references


@pytest.mark.parametrize(
    ("text", "published", "label", "start", "end"),
    [
        (
            "2024年，上海港集装箱吞吐量5150.6万标箱。",
            dt.date(2025, 9, 3),
            "2024",
            dt.date(2024, 1, 1),
            dt.date(2024, 12, 31),
        ),
        (
            "今年上半年，上海新增供应3.7万套(间)。",
            dt.date(2025, 9, 3),
            "2025-H1",
            dt.date(2025, 1, 1),
            dt.date(2025, 6, 30),
        ),
        (
            "前三季度，全省规模以上工业增加值增长7.5%。",
            dt.date(2025, 10, 21),
            "2025-Q1-Q3",
            dt.date(2025, 1, 1),
            dt.date(2025, 9, 30),
        ),
        (
            "三季度，地区生产总值增长5.7%。",
            dt.date(2025, 10, 21),
            "2025-Q3",
            dt.date(2025, 7, 1),
            dt.date(2025, 9, 30),
        ),
        (
            "9月份，全国城镇调查失业率为5.2%。",
            dt.date(2025, 10, 21),
            "2025-09",
            dt.date(2025, 9, 1),
            dt.date(2025, 9, 30),
        ),
        (
            "前10个月，我国货物贸易进出口总值36.02万亿元。",
            dt.date(2024, 11, 8),
            "2024-M01-M10",
            dt.date(2024, 1, 1),
            dt.date(2024, 10, 31),
        ),
        (
            "1至10月，外贸企业数量突破60万家。",
            dt.date(2024, 11, 8),
            "2024-M01-M10",
            dt.date(2024, 1, 1),
            dt.date(2024, 10, 31),
        ),
        (
            "去年，全港集装箱船舶平均在港时间压缩到不足24小时。",
            dt.date(2025, 1, 6),
            "2024",
            dt.date(2024, 1, 1),
            dt.date(2024, 12, 31),
        ),
        (
            "去年一季度，单日最高作业量达到3.26万标箱。",
            dt.date(2025, 1, 6),
            "2024-Q1",
            dt.date(2024, 1, 1),
            dt.date(2024, 3, 31),
        ),
        (
            "12月份，全国城镇调查失业率为5.1%。",
            dt.date(2024, 1, 18),
            "2023-12",
            dt.date(2023, 12, 1),
            dt.date(2023, 12, 31),
        ),
        (
            "截至2024年12月底，三项社会保险基金累计结余9.81万亿元。",
            dt.date(2025, 1, 25),
            "2024-12",
            dt.date(2024, 12, 1),
            dt.date(2024, 12, 31),
        ),
        (
            "元旦假期，全国高速公路日均流量约5600万辆次。",
            dt.date(2026, 1, 3),
            "2026-01",
            dt.date(2026, 1, 1),
            dt.date(2026, 1, 31),
        ),
    ],
)
def test_period_resolution(text: str, published: dt.date, label: str, start: dt.date, end: dt.date) -> None:
    (ind,) = extract(text, published)
    assert (ind.period, ind.period_start, ind.period_end) == (label, start, end)


def test_period_carries_through_paragraph_but_not_beyond() -> None:
    text = "今年前10个月，进出口总值36.02万亿元。其中，出口20.8万亿元。\n出口机电产品12.32万亿元。"
    periods = [ind.period for ind in extract(text, dt.date(2024, 11, 8))]
    assert periods == ["2024-M01-M10", "2024-M01-M10", None]


def test_later_reference_replaces_earlier() -> None:
    text = "2023年，城镇新增就业1244万人。12月份，全国城镇调查失业率为5.1%。"
    assert [i.period for i in extract(text, dt.date(2024, 1, 18))] == ["2023", "2023-12"]


def test_comparison_base_is_not_the_period() -> None:
    text = "今年前10个月，进出口同比增长5.2%，增速比前三季度加快0.1个百分点。"
    assert one(text, "0.1个百分点", dt.date(2024, 11, 8)).period == "2024-M01-M10"


@pytest.mark.parametrize(
    "text",
    [
        "2024年，库帕思成立。目前，海铁联运班列开通线路超过100条。",
        "2020年6月26日，宝兴里1136户持证居民自主签约。",
        "成立于2023年的企业，核心技术接入10余种芯片。",
        "“十四五”以来，全省新增国家级专精特新企业120家。",
        "本报北京10月27日电　全省新增城镇就业80万人。",
    ],
)
def test_resets_day_dates_and_starting_points_leave_no_period(text: str) -> None:
    assert [ind.period for ind in extract(text, dt.date(2025, 9, 3))] == [None]


def test_without_publication_date_relative_references_stay_open() -> None:
    assert extract("今年上半年，上海新增供应3.7万套(间)。", None)[0].period is None
    assert extract("2024年，上海港集装箱吞吐量5150.6万标箱。", None)[0].period == "2024"


def test_time_references_report_spans() -> None:
    text = "今年前10个月，增速比前三季度加快。"
    refs = find_time_references(text, PeriodResolver(dt.date(2024, 11, 8)))
    found = [(text[r.start : r.end], r.sets_period) for r in refs]
    assert found == [("今年前10个月", True), ("前三季度", False)]


def test_whole_year_continues_the_year_of_the_text() -> None:
    text = "2023年国内生产总值1260582亿元。\n全年粮食总产量13908亿斤。"
    assert [i.period for i in extract(text, dt.date(2024, 3, 1))] == ["2023", "2023"]


def test_event_span_dated_by_a_year_keeps_the_year() -> None:
    text = "“今年麦收期间遭遇‘干热风’。”他流转的1200多亩地，小麦亩产超过1300斤。"
    assert {i.period for i in extract(text, dt.date(2024, 7, 16))} == {"2024"}
    assert extract("麦收期间，全省日投入联合收割机近20万台。", dt.date(2024, 7, 16))[0].period is None


# --- resets, seasons, holidays and start dates ---------------------------------------------------


@pytest.mark.parametrize("word", ["日前", "近日", "近期", "目前", "如今"])
def test_recent_time_words_reset_the_carried_period(word: str) -> None:
    text = f"今年上半年，全市新增就业岗位8.2万个。{word}，全市已举办招聘会120场。"
    assert {i.raw: i.period for i in extract(text)} == {"8.2万个": "2025-H1", "120场": None}


def test_a_day_before_a_date_is_not_a_reset() -> None:
    text = "今年上半年，全市新增就业岗位8.2万个，其中6月30日前完成签约的岗位3.1万个。"
    assert {i.raw: i.period for i in extract(text)} == {"8.2万个": "2025-H1", "3.1万个": "2025-H1"}


@pytest.mark.parametrize("season", ["今年暑期", "暑假期间", "今年寒假", "今年春运"])
def test_a_season_has_no_label(season: str) -> None:
    text = f"{season}，全市博物馆接待观众320万人次。"
    assert one(text, "320万人次").period is None


@pytest.mark.parametrize(
    ("holiday", "published", "label"),
    [
        ("春节假期", dt.date(2025, 2, 5), "2025-01"),
        ("春节假期", dt.date(2026, 2, 25), "2026-02"),
        ("端午假期", dt.date(2025, 6, 3), "2025-05"),
        ("中秋假期", dt.date(2024, 9, 18), "2024-09"),
        ("清明假期", dt.date(2025, 4, 7), "2025-04"),
    ],
)
def test_named_holidays_resolve_to_their_month(holiday: str, published: dt.date, label: str) -> None:
    text = f"{holiday}，全省接待游客3200万人次。"
    assert one(text, "3200万人次", published).period == label


@pytest.mark.parametrize(
    ("start", "label"),
    [("自7月1日起", None), ("今年1月1日起", "2025"), ("2024年10月1日起", "2024")],
)
def test_a_start_date_replaces_the_carried_period(start: str, label: str | None) -> None:
    text = f"今年上半年，全市新增城镇就业7.5万人。{start}，全市城乡低保标准提高5%，惠及困难群众30万人。"
    rows = {i.raw: i.period for i in extract(text)}
    assert rows == {"7.5万人": "2025-H1", "5%": label, "30万人": label}


@pytest.mark.parametrize(
    "text", ["今年上半年，景区最近日均接待游客2万人次。", "今年上半年，节日前后景区接待游客2万人次。"]
)
def test_words_that_contain_a_reset_word_do_not_reset(text: str) -> None:
    assert one(text, "2万人次").period == "2025-H1"


# --- durations and offsets never date a paragraph -------------------------------------------------


@pytest.mark.parametrize("offset", ["提前一个月", "提前两个月", "推迟一个月", "历时三个月", "提前10个月"])
def test_offset_duration_is_not_a_month_reference(offset: str) -> None:
    text = f"今年全县新建村道86公里，{offset}完成年度任务，改造危房320户。"
    rows = extract(text)
    assert {i.period for i in rows} == {"2025"}
    assert [i.raw for i in rows if i.unit == "月"] == [offset[2:]]


def test_upper_half_of_year_is_a_period_not_a_duration() -> None:
    assert raws("上半年，全县新增市场主体1.2万户。") == ["1.2万户"]


# --- work reports ---------------------------------------------------------------------------------


def test_past_year_of_a_work_report_is_the_last_calendar_year() -> None:
    text = "过去一年，全市地区生产总值增长5.4%。"
    assert one(text, "5.4%", published=dt.date(2026, 1, 20)).period == "2025"
    assert one(text, "5.4%", published=dt.date(2026, 7, 20)).period is None


# --- 以来 after an event resets the period ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("上半年，全市完成投资300亿元。专项行动开展以来，累计整治隐患1200处。", "1200处"),
        ("今年3月，全市新开工项目200个。专项行动启动以来，共查处案件600起。", "600起"),
        ("上半年，全市汽车销量45万辆。“以旧换新”政策实施以来，全市汽车销量增长12%。", "12%"),
    ],
)
def test_since_an_event_resets_the_carried_period(text: str, raw: str) -> None:
    assert one(text, raw).period is None


def test_the_figure_before_the_event_keeps_its_period() -> None:
    text = "上半年，全市完成投资300亿元。专项行动开展以来，累计整治隐患1200处。"
    assert one(text, "300亿元").period == "2025-H1"


def test_qi_that_begins_a_word_does_not_mark_a_start_date() -> None:
    # 今年起降航班: 起降 is the count's verb, so 今年 is the period of the figure
    assert one("机场今年起降航班2.3万架次。", "2.3万架次").period == "2025"


@pytest.mark.parametrize("months", ["1至9月", "1月至9月", "1月—9月", "1月份到9月份"])
def test_a_month_range_with_the_first_month_written_out(months: str) -> None:
    row = one(f"今年{months}，全省规模以上工业增加值同比增长6.1%。", "6.1%")
    assert row.period == "2025-M01-M09"
