"""Unit lexicon of People's Daily copy: surface form -> base unit and kind.

The base unit is the unit as written without magnitude or classifier (个月 -> 月, 个百分点 ->
百分点, 套(间) -> 套, 成 -> %). What a kind of unit implies for the grammar is declared once, in
KIND_TRAITS below: durations used as attributes ("7天健康监测") are not figures, count units take the
noun after them as the metric, and so on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class UnitKind(StrEnum):
    MONEY = "money"
    PEOPLE = "people"
    COUNT = "count"
    FREIGHT = "freight"
    WEIGHT = "weight"
    AREA = "area"
    VOLUME = "volume"
    DISTANCE = "distance"
    DURATION = "duration"
    VEHICLE = "vehicle"
    ENERGY = "energy"
    RATIO = "ratio"
    AGE = "age"
    CONCENTRATION = "concentration"
    RATE = "rate"  # bandwidth: 1000Mbps

    @property
    def traits(self) -> UnitTraits:
        return KIND_TRAITS[self]


class AttributiveUse(StrEnum):
    """How a figure of this kind is told apart from one that only describes a noun after it."""

    NONE = "none"  # never attributive by its kind (a count, an amount)
    DURATION = "duration"  # 7天健康监测, 近5年，…, 开业三个月以来: a duration that frames or describes
    AGE = "age"  # 72岁的老党员, 60岁以上老人: an age that describes a person or a group
    MEASURE = "measure"  # 1米线, 5兆瓦风机: a measure that names a kind of thing


@dataclass(frozen=True, slots=True)
class UnitTraits:
    """What a kind of unit implies for the grammar; every rule that depends on the kind reads it here."""

    category: str  # the word for what the unit measures, the metric of last resort (金额, 人数)
    counted: bool = False  # takes the counted noun after it as its metric (50个备案大模型)
    takes_noun: bool = False  # may be followed by its noun (1200多亩地, 10余万亩沙化土地)
    small_prose: bool = False  # a spelled number under ten is still a figure (三成, 两个月)
    one_is_a_figure: bool = False  # 一 before it is a figure, not the article "a" (一倍, 一成)
    reaches_previous_sentence: bool = False  # a rate or change (三季度增长5.7%) inherits the last subject
    size_class: bool = False  # may be the bound that defines a group (月收入8000元以下的家庭)
    bounds_counted_class: bool = False  # may bound a class that is then counted (12个…超过千亿元的省份)
    names_a_group: bool = False  # may name the group a later figure is measured over (31个大城市…失业率)
    locates_a_place: bool = False  # may say how far a place is (步行5分钟, 距市中心15公里)
    attributive: AttributiveUse = AttributiveUse.NONE


@dataclass(frozen=True, slots=True)
class UnitSpec:
    surface: str
    base: str
    kind: UnitKind
    chinese_only: bool = False  # 成 after Arabic digits is rare and mostly a verb ("5成为")
    scale: float = 1.0  # 成 = 10 %


KIND_TRAITS: dict[UnitKind, UnitTraits] = {
    UnitKind.MONEY: UnitTraits("金额", size_class=True, bounds_counted_class=True),
    UnitKind.PEOPLE: UnitTraits("人数", counted=True),
    UnitKind.COUNT: UnitTraits("数量", counted=True, names_a_group=True),
    UnitKind.FREIGHT: UnitTraits("吞吐量", takes_noun=True),
    UnitKind.WEIGHT: UnitTraits("重量", takes_noun=True, size_class=True, bounds_counted_class=True),
    UnitKind.AREA: UnitTraits("面积", takes_noun=True, size_class=True, bounds_counted_class=True),
    UnitKind.VOLUME: UnitTraits("体积", size_class=True, bounds_counted_class=True),
    UnitKind.DISTANCE: UnitTraits(
        "长度",
        size_class=True,
        bounds_counted_class=True,
        locates_a_place=True,
        attributive=AttributiveUse.MEASURE,
    ),
    UnitKind.DURATION: UnitTraits(
        "时长", small_prose=True, size_class=True, locates_a_place=True, attributive=AttributiveUse.DURATION
    ),
    UnitKind.VEHICLE: UnitTraits("数量", counted=True),
    UnitKind.ENERGY: UnitTraits(
        "电量", size_class=True, bounds_counted_class=True, attributive=AttributiveUse.MEASURE
    ),
    UnitKind.RATIO: UnitTraits(
        "比例", small_prose=True, one_is_a_figure=True, reaches_previous_sentence=True
    ),
    UnitKind.AGE: UnitTraits("年龄", size_class=True, attributive=AttributiveUse.AGE),
    UnitKind.CONCENTRATION: UnitTraits("浓度", size_class=True, bounds_counted_class=True),
    UnitKind.RATE: UnitTraits("速率", size_class=True, bounds_counted_class=True),
}
# A figure with no unit of its own (a bare magnitude whose noun named nothing else) is a count
NO_UNIT_CATEGORY = "数量"

# The metric of last resort for units whose word says more than their kind's (人次, not 人数)
UNIT_CATEGORY: dict[str, str] = {
    "人次": "人次",
    "架次": "架次",
    "车次": "车次",
    "辆次": "辆次",
    "艘次": "艘次",
    "乘次": "乘次",
    "千瓦时": "电量",
    "千瓦": "装机容量",
    "百分点": "变动",
    "倍": "倍数",
    "岁": "年龄",
}


def category_of(unit: str, kind: UnitKind | None) -> str:
    """The word for what a unit measures: the metric of a figure whose sentence names nothing."""
    return UNIT_CATEGORY.get(unit) or (kind.traits.category if kind is not None else NO_UNIT_CATEGORY)


def _specs(kind: UnitKind, *surfaces: str) -> list[UnitSpec]:
    return [UnitSpec(s, s, kind) for s in surfaces]


UNIT_SPECS: tuple[UnitSpec, ...] = (
    *_specs(UnitKind.MONEY, "元", "美元", "欧元", "日元", "英镑", "港元", "卢布"),
    UnitSpec("人民币", "元", UnitKind.MONEY),
    UnitSpec("港币", "港元", UnitKind.MONEY),
    *_specs(UnitKind.PEOPLE, "人", "人次", "名", "位", "户", "户次", "乘次", "客次"),
    *_specs(
        UnitKind.COUNT,
        "家",
        "个",
        "件",
        "张",
        "套",
        "台",
        "项",
        "所",
        "座",
        "场",
        "场次",
        "批",
        "种",
        "条",
        "款",
        "部",
        "本",
        "册",
        "篇",
        "首",
        "只",
        "头",
        "株",
        "棵",
        "处",
        "栋",
        "幢",
        "间",
        "例",
        "宗",
        "份",
        "枚",
        "颗",
        "盏",
        "笔",
        "次",
        "支",
        "块",
        "层",
        "帧",
        "门",
        "起",
        "根",
        "片",
        "口",
        "眼",
        "单",
        "类",
        "对",
        # 3000家次, 1.2万台次: a classifier with 次 counts visits or deployments and is read whole
        "件次",
        "批次",
        "册次",
        "张次",
        "个次",
        "家次",
        "台次",
        "项次",
        "条次",
        "所次",
        "尊",
        "羽",
        "匹",
        "峰",
        "尾",
        "粒",
        "幅",
        "函",
        "卷",
        "枝",
        "朵",
        "盆",
        "瓶",
        "袋",
        "箱",
        "罐",
        "孔",
        "具",
        "顶",
        "轴",
    ),
    *_specs(UnitKind.FREIGHT, "标箱", "标准箱", "自然箱", "TEU"),
    *_specs(UnitKind.WEIGHT, "吨", "千克", "公斤", "克", "斤", "吨标准煤", "吨标煤", "kg", "盎司"),
    *_specs(UnitKind.AREA, "平方米", "平方公里", "平方千米", "亩", "公顷", "亩次"),
    UnitSpec("千公顷", "公顷", UnitKind.AREA, scale=1000.0),  # 农作物受灾面积1050千公顷
    *_specs(UnitKind.VOLUME, "立方米", "升"),
    *_specs(UnitKind.CONCENTRATION, "微克/立方米", "毫克/立方米", "毫克/升"),
    *_specs(UnitKind.DISTANCE, "公里", "千米", "米", "厘米", "毫米", "km"),
    *_specs(UnitKind.DURATION, "年", "天", "小时", "分钟", "秒", "周", "月"),
    UnitSpec("个月", "月", UnitKind.DURATION),
    UnitSpec("个小时", "小时", UnitKind.DURATION),
    UnitSpec("个工作日", "工作日", UnitKind.DURATION),
    UnitSpec("个季度", "季度", UnitKind.DURATION),
    *_specs(
        UnitKind.VEHICLE,
        "辆",
        "架",
        "艘",
        "列",
        "车次",
        "辆次",
        "航班",
        "架次",
        "列次",
        "班次",
        "艘次",
        "趟",
        "趟次",
        "班",
        "航次",
        "架班",
    ),
    *_specs(
        UnitKind.ENERGY,
        "千瓦",
        "千瓦时",
        "兆瓦",
        "兆瓦时",
        "吉瓦",
        "吉瓦时",
        "瓦",
        "度",
        "千伏安",
        "GW",
        "MW",
        "kW",
        "kWh",
        "MWh",
        "GWh",
        "TWh",
    ),
    *_specs(UnitKind.RATE, "Mbps", "Gbps"),
    UnitSpec("%", "%", UnitKind.RATIO),
    UnitSpec("％", "%", UnitKind.RATIO),
    UnitSpec("‰", "‰", UnitKind.RATIO),
    UnitSpec("百分点", "百分点", UnitKind.RATIO),
    UnitSpec("个百分点", "百分点", UnitKind.RATIO),
    UnitSpec("倍", "倍", UnitKind.RATIO),
    # 翻一番 doubles, 翻两番 quadruples: figures.py makes it the growth in %; rejections.py drops a 番
    # that does not follow 翻 (一番努力)
    UnitSpec("番", "番", UnitKind.RATIO),
    UnitSpec("个点", "点", UnitKind.RATIO),
    UnitSpec("个基点", "基点", UnitKind.RATIO),  # 降息25个基点
    UnitSpec("基点", "基点", UnitKind.RATIO),  # 指数提升约2个点: index points
    UnitSpec("P", "P", UnitKind.COUNT),  # 算力规模超过1.5万P: computing power in PFLOPS
    UnitSpec("成", "%", UnitKind.RATIO, chinese_only=True, scale=10.0),
    # 七折 = 70 % of the full price, 八五折 = 85 %; figures.py reads two digits (八五, 85) as the percentage
    UnitSpec("折", "%", UnitKind.RATIO, scale=10.0),
    UnitSpec("岁", "岁", UnitKind.AGE),
)

# 一个半月, 两个半小时: a classifier with 半 between number and unit; figures.py adds the half
HALF_UNIT_SPECS: tuple[UnitSpec, ...] = (
    UnitSpec("个半月", "月", UnitKind.DURATION),
    UnitSpec("个半小时", "小时", UnitKind.DURATION),
)

# 3个多小时, 两个多月: 多 between classifier and unit makes the figure a lower bound; figures.py reads it
MORE_UNIT_SPECS: tuple[UnitSpec, ...] = (
    UnitSpec("个多月", "月", UnitKind.DURATION),
    UnitSpec("个多小时", "小时", UnitKind.DURATION),
)

UNITS_BY_SURFACE: dict[str, UnitSpec] = {
    spec.surface: spec for spec in UNIT_SPECS + HALF_UNIT_SPECS + MORE_UNIT_SPECS
}

# Bare 月 is a calendar month ("3月"), not a duration; only 个月 counts. It stays in the lexicon
# so the surface resolves, but the alternation leaves it out.
_NOT_ALONE = {"月"}

# Longest first, so 平方公里 wins over 公里 and 人次 over 人.
UNIT_ALTERNATION = "|".join(
    re.escape(s) for s in sorted((s for s in UNITS_BY_SURFACE if s not in _NOT_ALONE), key=len, reverse=True)
)
# 套(间): rental housing counted in flats or rooms; the parenthesis belongs to the unit
UNIT_FOLD = r"[(（]间[)）]"

# A unit followed by one of these is part of a word, not a measure: 四人间, 70周年, 3年级, 元旦.
WORD_CONTINUATIONS: tuple[str, ...] = (
    "人间",
    "周年",
    "年级",
    "年代",
    "年度",
    "年间",
    "元素",
    "元旦",
    "元宵",
    "台湾",
    "台阶",
    "种子",
    "米饭",
    "米线",
    "度假",
    "次元",
    "位于",
    "名单",
    "所有",
    "批准",
    "户外",
    "天然",
    "天气",
    "场景",
    "条件",
    "家庭",
    "家长",
    "项目",
    "座谈",
    "件事",
    "部门",
    "部分",
    "门槛",
    "层面",
    "层次",
    "首都",
    "首次",
    "首批",
    "头部",
    "块钱",
    "支持",
    "支撑",
    "笔者",
    "本届",
    "本地",
    "列车",
    "门户",
    "度过",
    "人社",
    "人大",
    "人才",
    "人民",
    "人口",
    "人工",
    "名义",
    "台风",
    "场馆",
    "场所",
    "部署",
    "户籍",
    "班子",
    "班级",
    "班组",
    "班长",
    "班车",
    "班主任",
    "班会",
    "起步",
    "起来",
    "起点",
    "起飞",
    "起降",
    "起诉",
    "起草",
    "起航",
    "起始",
    "起价",
    "起征",
    "根本",
    "根据",
    "根源",
    "根基",
    "片区",
    "片面",
    "片刻",
    "片段",
    "口岸",
    "口径",
    "口号",
    "口罩",
    "口味",
    "口碑",
    "口腔",
    "之家",
    "眼睛",
    "眼前",
    "眼下",
    "眼光",
    "眼界",
    "类型",
    "类似",
    "类别",
    "单位",
    "单元",
    "单日",
    "单月",
    "单价",
    "单体",
    "单独",
    "单项",
    "单笔",
    "单次",
    "单车",
    "单向",
    "单品",
    "单身",
    "单一",
    "单个",
    "班列",
    "把握",
    "对于",
    "对外",
    "对接",
    "对象",
    "对比",
    "对手",
    "对话",
    "对策",
    "对应",
    "对口",
    "对标",
    "对照",
    "对冲",
    "对称",
    "对待",
    "对岸",
    "对面",
    "折合",
    "折扣",
    "折旧",
    "折算",
    "折叠",
    "折射",
    "折返",
    "折腾",
    "折线",
    "折中",
    "折损",
    "尊重",
    "尊敬",
    "尊严",
    "羽毛",
    "羽绒",
    "峰会",
    "峰值",
    "尾气",
    "尾矿",
    "尾款",
    "尾声",
    "粒子",
    "幅度",
    "函数",
    "卷入",
    "盆地",
    "盆景",
    "瓶颈",
    "箱包",
    "箱体",
    "罐头",
    "罐车",
    "具有",
    "具体",
    "具备",
    "顶级",
    "顶尖",
    "顶端",
    "顶层",
    "轴承",
    "轴线",
    "番茄",
    "番禺",
    "番号",
    "番外",
    "番薯",
)


# A character after a figure that is not a measure word even when a clause ends right after it: calendar
# and clock words, ordinals and names (3号, 12版, 5楼, 10强, 00后), grammar words and numerals
NOT_MEASURE_WORDS = frozenset(
    "年月日号时分秒点期届版代级强位层楼路线区岁度世周季次名星室厅卫后前内外中上下左右间来起止每等个以"
    "的了和与及或至到比为是在也都就又亦并且而"
    "〇零一二两三四五六七八九十百千万亿多余"
)


def unit_spec(surface: str) -> UnitSpec:
    return UNITS_BY_SURFACE[surface]


def written_unit_spec(surface: str) -> UnitSpec:
    """A measure word outside the lexicon (古籍3600函) or a counted noun (2亿多网民 when no natural unit
    applies): a count, with the unit as written."""
    return UNITS_BY_SURFACE.get(surface) or UnitSpec(surface, surface, UnitKind.COUNT)
