"""Grammar classes of copy the extractor was not tuned on: counts written before a bare noun, shares
and discounts, forecasts sharing a sentence with facts, measure words outside the lexicon, and the
figures that are not rows (size classes, opening durations that frame a count, travel times)."""

from __future__ import annotations

import pytest
from extract_helpers import one, raws

from etl.models import Qualifier

# --- a count written before a noun with no measure word -----------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("全省城乡居民医保惠及5600多万参保群众。", "5600多万", 5.6e7, "人"),
        ("当地为800多万外来务工人员提供就业服务。", "800多万", 8e6, "人"),
        ("医保电子凭证已覆盖1.2亿多参保职工。", "1.2亿多", 1.2e8, "人"),
        ("全市共有500余万户籍人口。", "500余万", 5e6, "人"),
        ("农房改造惠及3.2万余农户。", "3.2万余", 3.2e4, "户"),
        ("开发区集聚了1200余家企业，吸引300余万新就业群体。", "300余万", 3e6, "人"),
        ("平台上活跃着2000多万中小商家。", "2000多万", 2e7, "家"),
    ],
)
def test_count_before_a_bare_noun_takes_the_nouns_unit(text: str, raw: str, value: float, unit: str) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit, ind.qualifier) == (value, unit, Qualifier.GT)


def test_other_nouns_after_more_than_are_the_unit_as_written() -> None:
    ind = one("全县已种下300多万核桃苗。", "300多万")
    assert (ind.value, ind.unit, ind.qualifier) == (3e6, "核桃苗", Qualifier.GT)


def test_people_named_before_the_number() -> None:
    ind = one("新政策惠及老年人1500多万。", "1500多万")
    assert (ind.value, ind.unit, ind.qualifier) == (1.5e7, "人", Qualifier.GT)


def test_the_counted_noun_is_the_metric() -> None:
    assert one("这项改革惠及5600多万参保群众。", "5600多万").metric == "惠及参保群众"


# --- shares and discounts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "qualifier", "metric"),
    [
        ("园区入驻企业860家，其中近六成为科技型中小企业。", "六成", 60.0, Qualifier.LT, "科技型中小企业"),
        ("新增就业岗位中，约八成为服务业岗位。", "八成", 80.0, Qualifier.APPROX, "服务业岗位"),
    ],
)
def test_share_followed_by_the_copula(
    text: str, raw: str, value: float, qualifier: Qualifier, metric: str
) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit, ind.qualifier, ind.metric) == (value, "%", qualifier, metric)


def test_cheng_wei_as_a_verb_is_not_a_share() -> None:
    assert raws("两个村合并后，其一成为示范村。") == []


@pytest.mark.parametrize(
    ("text", "raw", "value"),
    [
        ("活动期间，景区门票按八折优惠。", "八折", 80.0),
        ("部分酒店推出六五折特惠房。", "六五折", 65.0),
        ("首年租金按市场价的7.5折收取。", "7.5折", 75.0),
        ("老年人乘车享受五折优惠。", "五折", 50.0),
    ],
)
def test_discounts_are_percentages(text: str, raw: str, value: float) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit) == (value, "%")


@pytest.mark.parametrize("text", ["项目推进一波三折，最终顺利落地。", "按市场价折合人民币计算。"])
def test_zhe_in_words_is_not_a_discount(text: str) -> None:
    assert raws(text) == []


# --- forecasts ----------------------------------------------------------------------------------


def test_a_fact_after_a_forecast_in_the_same_sentence_is_kept() -> None:
    text = "业内机构预计全年快递业务量将增长15%左右，超过六成的县级网点已实现盈利。"
    assert raws(text) == ["六成"]
    assert one(text, "六成").qualifier is Qualifier.GT


def test_a_clause_that_continues_a_forecast_is_dropped() -> None:
    assert raws("预计全年粮食产量将超过1.4万亿斤，其中夏粮增产2%。") == []


def test_a_clause_in_the_future_tense_continues_the_forecast() -> None:
    text = "今年班列已开行320列，预计全年开行量将突破500列，班列线路将覆盖欧洲15个国家。"
    assert raws(text) == ["320列"]


def test_a_list_of_targets_is_dropped_to_the_end() -> None:
    assert raws("全年主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业60万人以上。") == []


# --- measure words outside the lexicon ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("寺内现存清代佛像12尊，保存完好。", "12尊", 12, "尊"),
        ("保护区今年冬季观测到越冬候鸟2万羽。", "2万羽", 2e4, "羽"),
        ("牧场存栏良种马460匹。", "460匹", 460, "匹"),
        ("新建温室大棚35幢。", "35幢", 35, "幢"),
        ("馆藏古籍善本3600函，唐卡80余幅。", "3600函", 3600, "函"),
        ("馆藏古籍善本3600函，唐卡80余幅。", "80余幅", 80, "幅"),
        ("当地新发现摩崖石刻140龛，其中唐代作品30龛。", "140龛", 140, "龛"),
        ("馆内展出青铜面具20余副。", "20余副", 20, "副"),
    ],
)
def test_measure_words_are_extracted_as_written(text: str, raw: str, value: float, unit: str) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit) == (value, unit)


@pytest.mark.parametrize(
    "text",
    ["截至6月，全市完成投资。", "当天9时，列车发车。", "他排名第3，名列前10。", "这一批是2025届，也是00后。"],
)
def test_calendar_words_and_ordinals_are_not_measure_words(text: str) -> None:
    assert raws(text) == []


# --- figures that are not rows ------------------------------------------------------------------


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


def test_the_group_keeps_its_bound_in_the_metric() -> None:
    assert one("全国有12个研发经费超过千亿元的省份。", "12个").metric == "研发经费超过千亿元的省份"
    assert one("研发经费投入超过千亿元的省份达到12个。", "12个").metric == "研发经费投入超过千亿元的省份"


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


# --- durations with 多 inside, and 只需 --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("工程历时两个多月完工。", "两个多月", 2, "月"),
        ("高铁开通后，从省城到景区仅需3个多小时。", "3个多小时", 3, "小时"),
        ("抢修队伍连续奋战一个多月。", "一个多月", 1, "月"),
    ],
)
def test_more_than_between_classifier_and_unit(text: str, raw: str, value: float, unit: str) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit, ind.qualifier) == (value, unit, Qualifier.GT)


def test_only_needs_reports_and_does_not_prescribe() -> None:
    assert raws("新线开通后，两地往返只需40分钟。") == ["40分钟"]
    assert raws("入园游客需提前3天预约。") == []
