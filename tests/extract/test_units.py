"""Unit lexicon: base units, folded forms and measure words."""

from __future__ import annotations

import pytest
from extract_helpers import one

from etl.extract.units import KIND_TRAITS, UNIT_SPECS, UnitKind, unit_spec
from etl.models import Qualifier


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("今年上半年，上海新增建设筹措保障性租赁住房4.2万套(间)。", "4.2万套(间)", 42000, "套"),
        ("增速比全国高0.6个百分点。", "0.6个百分点", 0.6, "百分点"),
        ("梅山港区二期工程从开工到投产仅用时18个月。", "18个月", 18, "月"),
        ("全区新型储能装机达到2100万千瓦。", "2100万千瓦", 2.1e7, "千瓦"),
        ("全区绿电交易电量达到680亿千瓦时。", "680亿千瓦时", 6.8e10, "千瓦时"),
        ("上海港集装箱吞吐量5150.6万标箱。", "5150.6万标箱", 51506000, "标箱"),
        ("全港年吞吐量超过5000万标准箱。", "5000万标准箱", 5e7, "标准箱"),
        ("人口出生率为6.39‰。", "6.39‰", 6.39, "‰"),
        ("全市已分配入住2.8万套（间）。", "2.8万套（间）", 28000, "套"),
        ("全省日均车流量约9.6万车次。", "9.6万车次", 96000, "车次"),
        ("该市对外贸易额达188.4亿美元。", "188.4亿美元", 1.884e10, "美元"),
        ("生态环境状况指数提升约2个点。", "2个点", 2, "点"),
    ],
)
def test_base_units(text: str, raw: str, value: float, unit: str) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit) == (pytest.approx(value, rel=1e-12), unit)


def test_unknown_surface_is_not_in_lexicon() -> None:
    with pytest.raises(KeyError):
        unit_spec("号")


def test_every_kind_has_a_unit() -> None:
    assert {spec.kind for spec in UNIT_SPECS} == set(UnitKind)


def test_every_kind_declares_its_traits() -> None:
    assert set(KIND_TRAITS) == set(UnitKind)
    assert all(traits.category for traits in KIND_TRAITS.values())


def test_cheng_is_a_tenth() -> None:
    assert unit_spec("成").scale == 10.0 and unit_spec("成").base == "%"


# --- durations: halves and 多 between classifier and unit ------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("这家书店开业不到半年，会员已有3000多人。", "半年", 0.5, "年"),
        ("新航站楼历时两年半建成投用。", "两年半", 2.5, "年"),
        ("抢修队伍用时一个半月恢复供电。", "一个半月", 1.5, "月"),
        ("大桥合龙仅用了三天半。", "三天半", 3.5, "天"),
    ],
)
def test_half_durations(text: str, raw: str, value: float, unit: str) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit) == (value, unit)


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


# --- measure words of statistics reporting --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("新线开通后日均客流超过45万乘次。", "45万乘次", 4.5e5, "乘次"),
        ("每周执飞国际航班约260班。", "260班", 260, "班"),
        ("港口全年接靠国际邮轮86艘次。", "86艘次", 86, "艘次"),
        ("铁路部门加开夜间列车120列。", "120列", 120, "列"),
        ("植保无人机作业面积1800万亩次。", "1800万亩次", 1.8e7, "亩次"),
        ("央行年内累计下调政策利率50个基点。", "50个基点", 50, "基点"),
        ("全市今年查处食品安全案件360起。", "360起", 360, "起"),
        ("动车组日均开行超过80对。", "80对", 80, "对"),
        ("年节约能源12万吨标准煤。", "12万吨标准煤", 1.2e5, "吨标准煤"),
        ("黄金储备报7300万盎司。", "7300万盎司", 7.3e7, "盎司"),
        ("新建光伏电站装机容量达到3.5GW。", "3.5GW", 3.5, "GW"),
        ("全县新打机井260眼。", "260眼", 260, "眼"),
    ],
)
def test_reporting_measure_words(text: str, raw: str, value: float, unit: str) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit) == (pytest.approx(value), unit)


def test_thousand_hectares() -> None:
    ind = one("农作物受灾面积860千公顷。", "860千公顷")
    assert (ind.value, ind.unit) == (860000, "公顷")


# --- units implied by the subject or the noun after -----------------------------------------------


def test_implied_units_from_the_subject_or_the_noun_after() -> None:
    assert (one("假期观影人次逾3100万。", "3100万").unit) == "人次"
    assert (one("近2000万农村人口喝上了自来水。", "2000万").unit) == "人"


# --- a count written before a noun with no measure word -------------------------------------------


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


# --- discounts ------------------------------------------------------------------------------------


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


# --- measure words outside the lexicon ------------------------------------------------------------


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


# --- compound 次 units are read whole --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "unit", "value"),
    [
        ("全年开行旅游专列120趟次。", "120趟次", "趟次", 120),
        ("服务企业3000家次。", "3000家次", "家次", 3000),
        ("共投入机械设备1.2万台次。", "1.2万台次", "台次", 12000),
        ("机场起降航班2.3万架次。", "2.3万架次", "架次", 23000),
        ("抽检食品1500批次。", "1500批次", "批次", 1500),
        ("检查渔船300艘次。", "300艘次", "艘次", 300),
        ("走访企业800户次。", "800户次", "户次", 800),
        ("公交开行1.6万班次。", "1.6万班次", "班次", 16000),
        ("港口完成2400航次。", "2400航次", "航次", 2400),
    ],
)
def test_a_ci_compound_is_one_unit(text: str, raw: str, unit: str, value: float) -> None:
    ind = one(text, raw)
    assert (ind.unit, ind.value) == (unit, value)
    assert ind.metric


# --- written apart, per unit, Arabic tenths (issue #10) ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("2024年，全市地区生产总值1210207 亿元。", "1210207 亿元", 1.210207e14, "元"),
        ("2024年，地区生产总值同比增长8.2 %。", "8.2 %", 8.2, "%"),
        ("全年货运量3.5\u2009亿吨。", "3.5\u2009亿吨", 3.5e8, "吨"),
    ],
)
def test_a_space_between_number_and_unit_keeps_them_together(
    text: str, raw: str, value: float, unit: str
) -> None:
    row = one(text, raw)
    assert (row.value, row.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "raw", "unit"),
    [
        ("试验田水稻亩产达到650公斤/亩。", "650公斤/亩", "公斤/亩"),
        ("玉米收购价稳定在2800元/吨。", "2800元/吨", "元/吨"),
        ("该电站年发电量达1.2万千瓦时/年。", "1.2万千瓦时/年", "千瓦时/年"),
    ],
)
def test_a_rate_per_unit_is_one_unit(text: str, raw: str, unit: str) -> None:
    assert one(text, raw).unit == unit


def test_one_arabic_digit_before_cheng_is_tenths() -> None:
    row = one("全市约4成规上企业完成了数字化改造。", "4成")
    assert (row.value, row.unit) == (40, "%")


def test_a_money_unit_named_only_by_the_subject() -> None:
    row = one("前三季度，公司营业收入同比增加7.24亿。", "7.24亿")
    assert (row.value, row.unit, row.metric, row.measure) == (7.24e8, "元", "公司营业收入", "change")
