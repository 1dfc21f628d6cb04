"""Convention v2 (docs/indicators.md): what kind of figure a row is (measure, basis, sign), its
metric as the subject alone, national scope, and the province a region rolls up to."""

from __future__ import annotations

import pytest
from extract_helpers import extract, one

from etl.extract.regions import province_of

# --- measure, basis and sign -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "expected"),
    [
        # (metric, measure, basis, value)
        ("2023年，国内生产总值1260582亿元，比上年增长5.2%。", "1260582亿元",
         ("国内生产总值", "level", "", 1.260582e14)),
        ("2023年，国内生产总值1260582亿元，比上年增长5.2%。", "5.2%",
         ("国内生产总值", "growth", "yoy", 5.2)),
        ("2023年全国城镇调查失业率平均值为5.2%，比上年下降0.4个百分点。", "0.4个百分点",
         ("城镇调查失业率平均值", "change", "yoy", -0.4)),
        ("2023年末，全国人口140967万人，比上年末减少208万人。", "208万人",
         ("人口", "change", "yoy", -2080000)),
        ("8月份，全市居民消费价格环比上涨0.3%。", "0.3%", ("居民消费价格", "growth", "mom", 0.3)),
        ("全省研发经费投入强度为2.96%，比全国平均水平高0.28个百分点。", "0.28个百分点",
         ("研发经费投入强度", "change", "base", 0.28)),
        ("今年以来，增速低于全国0.4个百分点。", "0.4个百分点", ("增速", "change", "base", -0.4)),
        ("装备制造业增加值占规模以上工业增加值的比重为33.6%。", "33.6%",
         ("装备制造业增加值占规模以上工业增加值的比重", "share", "", 33.6)),
        ("上半年，城镇新增就业107.8万人，完成全年目标的86.2%。", "86.2%",
         ("城镇新增就业", "completion", "", 86.2)),
        ("航展期间，参展飞机260余架，较上届增长约三成。", "三成", ("参展飞机", "growth", "base", 30)),
        ("婴儿死亡率降至4.5‰。", "4.5‰", ("婴儿死亡率", "level", "", 4.5)),
    ],
)  # fmt: skip
def test_measure_basis_and_sign(text: str, raw: str, expected: tuple[str, str, str, float]) -> None:
    row = one(text, raw)
    assert (row.metric, row.measure, row.basis) == expected[:3]
    assert row.value == pytest.approx(expected[3])


def test_an_unmarked_growth_compares_with_the_year_before_only_when_the_figure_has_a_period() -> None:
    assert one("2024年，全省粮食总产量1557.6亿斤，增长1.3%。", "1.3%").basis == "yoy"
    assert one("接待游客38.4万人次，增长超过三成。", "三成", published=None).basis == ""


def test_a_one_character_word_is_not_a_change_verb_without_a_comparison() -> None:
    # 起降 ends in 降, but nothing is compared: the count of take-offs and landings is a level
    row = one("上半年，两大机场共保障航班起降22.3万架次。", "22.3万架次")
    assert (row.measure, row.value, row.metric) == ("level", 223000, "保障航班起降")


def test_a_change_to_a_new_value_is_the_level() -> None:
    assert one("每周执飞航班量提升到110班。", "110班").measure == "level"


def test_members_of_a_list_keep_the_basis_of_their_shared_verb() -> None:
    rows = extract("2024年，日用陶瓷和艺术陶瓷产值同比分别增长7.2%和11.8%。")
    assert [(r.measure, r.basis) for r in rows] == [("growth", "yoy"), ("growth", "yoy")]


# --- region: national scope, province ----------------------------------------------------------------


def test_a_national_release_is_national_and_the_dateline_is_not_the_region() -> None:
    rows = extract("本报北京1月17日电　国家统计局17日发布数据，2023年规模以上工业增加值比上年增长4.6%。")
    assert [(r.region, r.province) for r in rows] == [("全国", "全国")]


@pytest.mark.parametrize("country", ["中国", "我国", "国内"])
def test_the_country_named_any_way_is_national(country: str) -> None:
    row = one(f"2025年，{country}新能源汽车产量1652.4万辆。", "1652.4万辆")
    assert (row.region, row.province) == ("全国", "全国")


def test_a_name_beginning_with_the_country_is_not_the_country() -> None:
    # 国内生产总值 is a metric, not a scope; the paragraph names 江苏
    row = one("前三季度，江苏实现地区生产总值10万亿元，国内生产总值占比约一成。", "10万亿元")
    assert row.region == "江苏"


def test_a_city_rolls_up_to_its_province() -> None:
    row = one("杭州市前三季度社会消费品零售总额同比增长4.1%。", "4.1%")
    assert (row.region, row.province, row.period) == ("杭州", "浙江", "2024-Q1-Q3")


@pytest.mark.parametrize(
    ("region", "province"),
    [
        ("杭州", "浙江"),
        ("上海", "上海"),
        ("浦东新区", "上海"),
        ("五常", "黑龙江"),
        ("内蒙古", "内蒙古"),
        ("全国", "全国"),
        ("欧元区", None),
        ("长三角", None),
        (None, None),
    ],
)
def test_province_of(region: str | None, province: str | None) -> None:
    assert province_of(region) == province


def test_a_national_release_is_national_in_every_paragraph_that_names_no_narrower_place() -> None:
    text = (
        "商务部发布数据，1至7月，社会消费品零售总额同比增长4.8%。\n"
        "在浙江，宁波舟山港集装箱吞吐量同比增长7.1%。"
    )
    assert [(r.raw, r.region) for r in extract(text)] == [("4.8%", "全国"), ("7.1%", "浙江")]


def test_a_long_subject_is_its_head_noun() -> None:
    row = one("2月份，剔除能源、食品、酒精和烟草价格后的核心通胀率为2.4%。", "2.4%")
    assert row.metric == "核心通胀率"


def test_a_percentage_of_the_noun_after_it_is_a_share() -> None:
    row = one("高速公路服务区累计建成充电桩3.6万个，覆盖98%以上的服务区。", "98%")
    assert row.measure == "share"


# --- doublings: 翻一番, 翻两番, 增长一倍 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "expected"),
    [
        # (metric, measure, basis, value, unit, qualifier)
        ("2025年，全市地区生产总值比2020年翻一番。", "一番",
         ("地区生产总值", "growth", "base", 100, "%", "exact")),
        ("2025年，全省城乡居民人均可支配收入比2010年翻了两番。", "两番",
         ("城乡居民人均可支配收入", "growth", "base", 300, "%", "exact")),
        ("“十四五”时期，全市数字经济核心产业增加值较“十三五”末翻了一番多。", "一番多",
         ("数字经济核心产业增加值", "growth", "base", 100, "%", "gt")),
        ("2024年，全市外贸进出口总值近翻一番。", "一番",
         ("外贸进出口总值", "growth", "yoy", 100, "%", "lt")),
        ("十年来，全县茶叶种植面积翻了三番。", "三番",
         ("茶叶种植面积", "growth", "", 700, "%", "exact")),
        ("2024年，全市新能源汽车产量比上年增长一倍。", "一倍",
         ("新能源汽车产量", "growth", "yoy", 100, "%", "exact")),
        ("2024年，全市跨境电商进出口额比上年增长两倍。", "两倍",
         ("跨境电商进出口额", "growth", "yoy", 200, "%", "exact")),
    ],
)  # fmt: skip
def test_a_doubling_is_a_growth_in_percent(
    text: str, raw: str, expected: tuple[str, str, str, float, str, str]
) -> None:
    row = one(text, raw)
    assert (row.metric, row.measure, row.basis, row.value, row.unit, str(row.qualifier)) == expected


def test_a_level_after_a_doubling_keeps_the_subject() -> None:
    rows = extract("十年来，全省粮食产量翻了一番，达到1200亿斤。")
    assert [(r.raw, r.metric, r.measure, r.value) for r in rows] == [
        ("一番", "粮食产量", "growth", 100),
        ("1200亿斤", "粮食产量", "level", 1.2e11),
    ]


@pytest.mark.parametrize(
    "text", ["经过一番努力，项目顺利投产。", "别有一番风味。", "企业三番五次上门对接。", "全市番茄产量增长。"]
)
def test_a_fan_that_is_no_doubling_is_no_row(text: str) -> None:
    assert extract(text) == []
