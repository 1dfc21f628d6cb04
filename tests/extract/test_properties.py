"""Property tests: a figure written into a sentence comes back with its value, unit and metric."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from etl.extract import extract_indicators
from etl.extract.numbers import FULLWIDTH_TO_ASCII
from etl.extract.units import UNIT_SPECS, UnitKind

PUBLISHED = dt.date(2025, 9, 3)
# 成 only follows Chinese numerals; bare 月 is a calendar month, a duration is 个月; 番 counts doublings
# only after 翻 (翻一番, test_semantics.py), never after 达到
UNITS = [spec for spec in UNIT_SPECS if not spec.chinese_only and spec.surface not in ("月", "番")]
MAGNITUDES = {"": Decimal(1), "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "万亿": Decimal(10) ** 12}
METRICS = [
    "集装箱吞吐量",
    "社会消费品零售总额",
    "城镇新增就业",
    "高技术制造业增加值",
    "金融市场成交额",
    "研发经费投入强度",
    "粮食总产量",
    "新能源汽车产量",
    "外贸进出口总值",
]
ASCII_TO_FULLWIDTH = {v: k for k, v in FULLWIDTH_TO_ASCII.items()}


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    integer = draw(st.integers(min_value=1, max_value=999_999))
    decimals = draw(st.integers(min_value=0, max_value=3))
    fraction = draw(st.integers(min_value=0, max_value=10**decimals - 1)) if decimals else 0
    fraction_text = f".{fraction:0{decimals}d}" if decimals else ""
    style = draw(st.sampled_from(["plain", "thousands", "fullwidth"]))
    integer_text = f"{integer:,}" if style == "thousands" else str(integer)
    text = integer_text + fraction_text
    if style == "fullwidth":
        text = text.translate(ASCII_TO_FULLWIDTH)
    return text, Decimal(f"{integer}{fraction_text}")


@settings(max_examples=300, deadline=None)
@given(
    number=written_numbers(),
    magnitude=st.sampled_from(sorted(MAGNITUDES)),
    unit=st.sampled_from(UNITS),
    metric=st.sampled_from(METRICS),
)
def test_value_unit_and_metric_round_trip(
    number: tuple[str, Decimal], magnitude: str, unit: object, metric: str
) -> None:
    spec = UNITS[UNITS.index(unit)]  # type: ignore[arg-type]
    written, value = number
    if spec.kind is UnitKind.RATIO:
        magnitude = ""  # "5万%" is not written
    # A four-digit integer before 年 is a year, not a duration: that is the date rule, not a failure
    assume(not (spec.surface == "年" and not magnitude and value == int(value) and 1000 <= value <= 2100))
    text = f"2024年，某市{metric}达到{written}{magnitude}{spec.surface}。"
    indicators = extract_indicators(text, PUBLISHED)
    assert len(indicators) == 1, (text, indicators)
    ind = indicators[0]
    expected = float(value * MAGNITUDES[magnitude] * Decimal(str(spec.scale)))
    assert abs(ind.value - expected) <= 1e-9 * abs(expected)
    assert ind.unit == spec.base
    assert ind.metric == metric
    assert ind.period == "2024"
    assert text[ind.char_start : ind.char_end] == ind.raw == f"{written}{magnitude}{spec.surface}"


FRAGMENTS = [
    "2024年",
    "上半年",
    "约",
    "超过",
    "增长",
    "分别为",
    "、",
    "，",
    "。",
    "\n",
    "“",
    "”",
    "万",
    "亿",
    "元",
    "人次",
    "%",
    "个百分点",
    "家",
    "第",
    "号",
    "12",
    "3.5",
    "两",
    "百余",
    "数万",
    "四分之一",
    "比上年",
    "其中",
    "占全市的",
    "连续",
    "年",
    "天",
    "小时内",
    "G4",
    "—",
    "套(间)",
    "七成",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_any_text_gives_consistent_rows(fragments: list[str]) -> None:
    text = "".join(fragments)
    for ind in extract_indicators(text, PUBLISHED, region_hint="上海"):
        assert text[ind.char_start : ind.char_end] == ind.raw
        assert ind.raw in ind.sentence
        assert ind.value >= 0
        assert (ind.period is None) == (ind.period_start is None) == (ind.period_end is None)
