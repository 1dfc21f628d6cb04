"""Strings that look like figures but are dates, names, rules or page furniture: never a row."""

from __future__ import annotations

import pytest
from extract_helpers import extract, one, raws


@pytest.mark.parametrize(
    "text",
    [
        "2024年，上海推进城市更新。",
        "2020年6月26日，宝兴里最后一户居民搬迁完毕。",
        "本报北京10月27日电　记者从国家统计局获悉。",
        "人力资源和社会保障部举行第四季度新闻发布会。",
        "1990年出生的张颂蔚来自河北。",
        "一座座温馨的“宝宝屋”迎接着1—3岁幼儿的到来。",
        "5G基站加快建设，地铁18号线全线贯通。",
        "G4京港澳高速河北段改扩建工程全线贯通。",
        "杨浦228街坊蜕变为“15分钟社区生活圈”样板。",
        "“十四五”期间，上海推动“五个中心”协同发力。",
        "第15届中国航展在珠海开幕，三大先导产业集中亮相。",
        "网站备案编号：京ICP备12003057号-5，京网公安备11010602130013号。",
        "咨询电话010-65363636，群众可拨打12333人社服务热线。",
        "人民日报第02版，Copyright 1997-2025 by www.people.com.cn。",
        "作为首批入驻企业之一，该公司位居全国第一、世界第二。",
        "四人间，房间里配有洗衣机、空调。",
        "2年间，这里发生了很大变化。",
        "返校时需持48小时内核酸检测阴性证明，开展7天健康监测，并安排3次核酸检测。",
        "开学报到前14天内有省外旅居史的师生员工应提交报告。",
        "师生员工勤洗手，遵守1米线，常通风。",
        "力争全年筹集建设5万套(间)。",
        "一亩地能挣四五百元。",
        "强调直接经验、间接经验是人们获取知识的两种途径。",
        "父亲的教诲像一盏灯，为我们照亮前行的路。",
        "百家争鸣，千家万户喜迎新春。",
        "31个大城市城镇调查失业率为5.0%。",
        "当地一台5兆瓦风机投入运行。",
        "城乡居民收入比值为2.39，比上年缩小0.06。",
        "全力做好2025届高校毕业生就业工作。",
        "元旦假期3天，铁路运行平稳。",
        "60岁以上老人可免费乘车，72岁的老党员每天清扫街道。",
        "近5年，全市面貌焕然一新。",
    ],
)
def test_no_row(text: str) -> None:
    found = [r for r in raws(text) if r != "5.0%"]
    assert found == []


def test_group_name_count_is_dropped_but_its_rate_kept() -> None:
    assert raws("31个大城市城镇调查失业率为5.0%。") == ["5.0%"]


def test_year_inside_a_sentence_with_figures_is_not_a_row() -> None:
    assert raws("2024年3650.3万亿元的金融市场成交额。") == ["3650.3万亿元"]


def test_plan_and_rule_words_inside_other_words_do_not_hide_facts() -> None:
    text = "全省虚拟现实产业规模达到500亿元，模拟训练中心3个。按照要求，全市已完成改造任务120项。"
    assert raws(text) == ["500亿元", "3个", "120项"]


# --- durations, ranges and measure words that are not rows ----------------------------------------


def test_eligibility_rule_is_not_a_row() -> None:
    assert raws("当地为毕业不满3年的大学生提供免费住宿。") == []


def test_range_with_units_on_both_ends_is_not_a_row() -> None:
    assert raws("部分线路延长运营时间半小时至2小时。") == []
    assert raws("游客量较平日增长两到三倍。") == []


@pytest.mark.parametrize(
    "text",
    [
        "这支年轻的班子带出了新气象。",
        "两大港口对接合作不断深化。",
        "沿边5口岸客货通关顺畅。",
    ],
)
def test_measure_words_inside_words_are_not_units(text: str) -> None:
    assert raws(text) == []


def test_change_and_result_joined_by_zhi_are_two_rows() -> None:
    text = "9月出口额同比增长5.1%至2.3万亿元，为连续3个月增长。"
    rows = [(i.raw, i.metric) for i in extract(text)]
    assert rows == [("5.1%", "出口额"), ("2.3万亿元", "出口额"), ("3个月", "出口额增长")]
    assert raws("每户补贴5至8万元。") == []


# --- dates, names, bases and thresholds -----------------------------------------------------------


def test_exchange_rate_base_is_not_a_row() -> None:
    text = "月末人民币汇率中间价为1美元对人民币7.18元。"
    assert [(i.raw, i.metric) for i in extract(text)] == [("7.18元", "人民币汇率中间价")]


def test_threshold_of_a_counted_class_is_not_a_row() -> None:
    text = "营业收入超过百亿元的企业有15家。"
    rows = extract(text)
    assert [i.raw for i in rows] == ["15家"]
    assert rows[0].metric == "营业收入超过百亿元的企业"


def test_hotline_word_before_a_count_with_magnitude() -> None:
    assert one("全年拦截诈骗电话12亿次。", "12亿次").metric == "拦截诈骗电话"


# --- groups a later figure is measured over -------------------------------------------------------


def test_count_of_the_group_a_share_is_measured_over_is_not_a_row() -> None:
    assert raws("全国300多个城市空气质量优良天数比例为86%。") == ["86%"]


def test_population_a_count_is_taken_from_is_not_a_row() -> None:
    assert raws("40个重点城市中，房价环比上涨的城市有9个。") == ["9个"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("全市提供90平方米以下的中小户型房源2.3万套。", ["2.3万套"]),
        ("当地为月收入8000元以下的家庭发放租房补贴1.2亿元。", ["1.2亿元"]),
        ("年营业收入2000万元以上的工业企业达到1.2万家。", ["1.2万家"]),
        ("全国有12个研发经费超过千亿元的省份。", ["12个"]),
        ("今年完成1亿元以上的技改投资，同比增长8%。", ["1亿元", "8%"]),
        ("这座GDP突破5万亿元的超大城市正加速转型。", ["5万亿元"]),
        ("全市为首次购买90平方米以下住房的家庭发放补贴3.6亿元。", ["3.6亿元"]),
        ("全县投资5000万元以上项目开工38个。", ["38个"]),
    ],
)
def test_a_bound_that_defines_a_group_is_not_a_row(text: str, kept: list[str]) -> None:
    assert raws(text) == kept


# --- 成 and 折 inside words -------------------------------------------------------------------------


def test_cheng_wei_as_a_verb_is_not_a_share() -> None:
    assert raws("两个村合并后，其一成为示范村。") == []


@pytest.mark.parametrize("text", ["项目推进一波三折，最终顺利落地。", "按市场价折合人民币计算。"])
def test_zhe_in_words_is_not_a_discount(text: str) -> None:
    assert raws(text) == []


# --- calendar words and ordinals ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["截至6月，全市完成投资。", "当天9时，列车发车。", "他排名第3，名列前10。", "这一批是2025届，也是00后。"],
)
def test_calendar_words_and_ordinals_are_not_measure_words(text: str) -> None:
    assert raws(text) == []


# --- durations that frame or locate ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("这家商场开业三个月以来，累计接待顾客120万人次。", ["120万人次"]),
        ("新馆运营半年，接待观众已超过50万人次。", ["50万人次"]),
        ("这家书店开业不到半年，会员已有3000多人。", ["半年", "3000多人"]),
    ],
)
def test_how_long_a_place_has_been_open_frames_the_count(text: str, kept: list[str]) -> None:
    assert raws(text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "小区距最近的地铁站步行约8分钟。",
        "从新城开车20分钟可达市中心。",
        "“公司离住处骑车只要一刻钟，坐公交不到15分钟。”",
        "项目地块距市中心15公里。",
    ],
)
def test_travel_times_and_distances_that_locate_a_place_are_not_rows(text: str) -> None:
    assert raws(text) == []


def test_a_reported_travel_time_is_still_a_row() -> None:
    assert raws("新线开通后，两地通行时间由2小时缩短至40分钟。") == ["2小时", "40分钟"]


# --- definitions, specifications and thresholds are not facts (issue #10) ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "家庭医生为重点人群每月至少随访1次、每季度上门3次。",
        "新车型支持快充，15分钟充电80%。",
        "全省年接待游客10万人次以上的景区有56家。",
    ],
)
def test_a_definition_a_specification_or_a_threshold_is_no_row(text: str) -> None:
    assert all(r.unit == "家" for r in extract(text))
