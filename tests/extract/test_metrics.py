"""Metrics: the short phrase, taken from the sentence, that a figure measures."""

from __future__ import annotations

import pytest
from extract_helpers import extract, one

SHANGHAI = (
    "2024年，上海全社会研发经费支出相当于全市生产总值比例4.4%左右，每万人口高价值发明专利拥有量提高到57.9件；"
    "2024年，上海港集装箱吞吐量5150.6万标箱，连续15年排名世界第一；上海机场航空货邮和旅客吞吐量分别达到"
    "420.6万吨、1.25亿人次；2024年上海接待入境旅游者突破600万人次。"
)

FINANCE = "2024年3650.3万亿元的金融市场成交额、1.8万亿元规模的三大先导产业基金。"
INDUSTRY = "上海累计培育30余个具有行业影响力的工业互联网平台，链接超1000万台工业设备。"


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        (SHANGHAI, "5150.6万标箱", "集装箱吞吐量"),
        (SHANGHAI, "57.9件", "每万人口高价值发明专利拥有量"),
        (SHANGHAI, "600万人次", "接待入境旅游者"),
        (SHANGHAI, "4.4%", "全社会研发经费支出相当于全市生产总值比例"),
        (FINANCE, "3650.3万亿元", "金融市场成交额"),
        (FINANCE, "1.8万亿元", "三大先导产业基金规模"),
        ("2年间，这里入驻企业百余家，累计推动50个备案大模型落地。", "百余家", "入驻企业"),
        (INDUSTRY, "30余个", "累计培育工业互联网平台"),
        (INDUSTRY, "1000万台", "链接工业设备"),
        ("2024年，全国城镇新增就业1256万人，完成全年目标任务的104.7%。", "1256万人", "城镇新增就业"),
        ("2024年，全国城镇新增就业1256万人，完成全年目标任务的104.7%。", "104.7%", "完成全年目标任务"),
        ("四人间，一张床位每月500元。", "500元", "一张床位每月"),
        ("户均面积12.6平方米。", "12.6平方米", "户均面积"),
        ("这座GDP突破5万亿元的超大城市。", "5万亿元", "GDP"),
        ("2024年，高校毕业生规模达1,179万人。", "1,179万人", "高校毕业生规模"),
        ("从签约到交付使用仅用了11个月。", "11个月", "从签约到交付使用用时"),
        ("全国人口140967万人，比上年末减少208万人。", "208万人", "全国人口"),
    ],
)
def test_metric(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


def test_growth_rate_reuses_the_subject_before_it() -> None:
    text = "今年前10个月，我国货物贸易进出口总值36.02万亿元，同比增长5.2%，增速比前三季度加快0.1个百分点。"
    assert [i.metric for i in extract(text)] == ["货物贸易进出口总值", "货物贸易进出口总值", "增速"]


def test_share_names_its_denominator() -> None:
    text = "一般贸易进出口23.33万亿元，增长4.9%，占我国外贸总值的64.8%。"
    assert one(text, "64.8%").metric == "占我国外贸总值"


def test_streak_takes_the_rest_of_the_clause() -> None:
    assert one(SHANGHAI, "15年").metric == "集装箱吞吐量排名世界第一"
    assert one(SHANGHAI, "15年").value == 15 and one(SHANGHAI, "15年").unit == "年"


def test_fenbie_list_pairs_members_with_shared_tail() -> None:
    text = "截至2024年12月底，全国基本养老、失业、工伤保险参保人数分别为10.72亿人、2.48亿人、3.02亿人。"
    rows = [(i.raw, i.value, i.metric) for i in extract(text)]
    assert rows == [
        ("10.72亿人", 1.072e9, "基本养老保险参保人数"),
        ("2.48亿人", 2.48e8, "失业保险参保人数"),
        ("3.02亿人", 3.02e8, "工伤保险参保人数"),
    ]


def test_fenbie_list_with_head_noun_on_last_member() -> None:
    assert [i.metric for i in extract(SHANGHAI) if i.raw in ("420.6万吨", "1.25亿人次")] == [
        "航空货邮吞吐量",
        "旅客吞吐量",
    ]


def test_fenbie_list_without_enumeration_reuses_earlier_figures() -> None:
    text = "上半年，全市发放住房公积金个人住房贷款2.1万笔、金额107.6亿元，同比分别增长18.2%和21.5%。"
    metrics = {i.raw: i.metric for i in extract(text)}
    assert metrics["18.2%"] == metrics["2.1万笔"] == "发放住房公积金个人住房贷款"
    assert metrics["21.5%"] == "金额"


def test_fenbie_list_of_products_drops_the_category() -> None:
    text = "新能源汽车、太阳能电池、服务机器人等产品产量分别增长30.3%、54.0%、23.3%。"
    assert [i.metric for i in extract(text)] == ["新能源汽车产量", "太阳能电池产量", "服务机器人产量"]


def test_durations_that_are_the_news() -> None:
    text = "2020年6月26日，宝兴里1136户持证居民100%自主签约、100%自主搬迁，仅用172天，刷新旧改纪录。"
    rows = [(i.raw, i.value, i.unit, i.metric) for i in extract(text)]
    assert rows == [
        ("1136户", 1136, "户", "持证居民"),
        ("100%", 100, "%", "自主签约"),
        ("100%", 100, "%", "自主搬迁"),
        ("172天", 172, "天", "用时"),
    ]
    assert one("仅仅38天,园区从毛坯到“拎包入住”。", "38天").metric == "园区从毛坯到“拎包入住”"


def test_gap_to_a_comparison_base_belongs_to_the_subject() -> None:
    text = "今年以来，浙江出口增长8.5%，比全国高0.6个百分点。"
    assert [(i.raw, i.metric, i.unit, i.value) for i in extract(text)] == [
        ("8.5%", "出口", "%", 8.5),
        ("0.6个百分点", "出口", "百分点", 0.6),
    ]


def test_gap_after_a_change_in_growth_rate_keeps_the_rate() -> None:
    text = "前三季度，江苏地区生产总值同比增长5.6%，增速比上半年加快0.1个百分点，高于全国0.4个百分点。"
    assert [i.metric for i in extract(text)] == ["地区生产总值", "增速", "增速"]


def test_planned_outcomes_and_attributive_ages_are_not_rows() -> None:
    text = "该项目总投资约45亿元，建成后年产值可达100亿元。72岁的老党员王建国30年如一日清扫街道。"
    assert [(i.raw, i.metric) for i in extract(text)] == [("45亿元", "项目总投资")]


def test_price_index_change() -> None:
    text = "全市PM2.5平均浓度为28微克/立方米，居民消费价格指数同比上涨0.4%。"
    assert [(i.raw, i.unit, i.metric) for i in extract(text)] == [
        ("28微克/立方米", "微克/立方米", "PM2.5平均浓度"),
        ("0.4%", "%", "居民消费价格指数"),
    ]


def test_both_ends_of_a_change() -> None:
    text = "该村人均年收入从2012年的3000元增长到2024年的2.8万元。"
    rows = [(i.raw, i.value, i.metric, i.period) for i in extract(text)]
    assert rows == [("3000元", 3000, "人均年收入", None), ("2.8万元", 28000, "人均年收入", "2024")]


def test_subject_does_not_leak_into_the_next_sentence_for_counts() -> None:
    text = "全市共有5A级景区12家。他今年72岁。"
    assert [i.metric for i in extract(text)] == ["5A级景区", "年龄"]


def test_growth_takes_the_counted_thing_not_the_verb_that_holds_it() -> None:
    text = "目前，园区已集聚生物医药企业560家，同比增长12%；全市已投用充电桩4.6万个，比上年增长35%。"
    assert [(i.raw, i.metric) for i in extract(text)] == [
        ("560家", "集聚生物医药企业"),
        ("12%", "生物医药企业"),
        ("4.6万个", "投用充电桩"),
        ("35%", "充电桩"),
    ]


@pytest.mark.parametrize(
    ("second", "raw", "metric"),
    [
        ("这一比重比上年提高0.4个百分点。", "0.4个百分点", "文化产业增加值占地区生产总值的比重"),
        ("该比例已连续三年提高。", "三年", "文化产业增加值占地区生产总值的比重提高"),
        ("上述比重较上年提高0.3个百分点。", "0.3个百分点", "文化产业增加值占地区生产总值的比重"),
    ],
)
def test_an_anaphor_resolves_to_the_metric_named_before_it(second: str, raw: str, metric: str) -> None:
    text = "全市文化产业增加值占地区生产总值的比重为6.1%。" + second
    assert one(text, raw).metric == metric


def test_an_anaphor_does_not_reach_into_the_previous_paragraph() -> None:
    text = "全市文化产业增加值占地区生产总值的比重为6.1%。\n这一比例在县域达到45%。"
    assert "文化产业" not in one(text, "45%").metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("去年，规上工业营业收入超过千亿元的城市有8个。", "8个", "规上工业营业收入超过千亿元的城市"),
        ("全国出口额超过千亿美元的省份达到9个。", "9个", "出口额超过千亿美元的省份"),
        ("年产值超百亿元的企业增至36家。", "36家", "年产值超百亿元的企业"),
    ],
)
def test_a_generic_noun_keeps_the_phrase_that_qualifies_it(text: str, raw: str, metric: str) -> None:
    assert [i.raw for i in extract(text)] == [raw]
    assert one(text, raw).metric == metric
