"""Number grammar: Arabic, full-width, thousands separators, Chinese numerals and magnitudes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from extract_helpers import one

from etl.extract.numbers import chinese_to_int, parse_number
from etl.models import Qualifier


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("两", 2),
        ("七", 7),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百二十三", 123),
        ("三千五百", 3500),
        ("二〇二四", 2024),
    ],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_to_int(numeral) == value


@pytest.mark.parametrize(
    ("number", "magnitude", "value"),
    [
        ("3650.3", "万亿", Decimal("3650300000000000")),
        ("1.25", "亿", Decimal("125000000")),
        ("１２３", None, Decimal(123)),
        ("1,234.5", "万", Decimal("12345000")),
        ("千", "亿", Decimal(10) ** 11),
    ],
)
def test_parse_number_applies_magnitude(number: str, magnitude: str | None, value: Decimal) -> None:
    assert parse_number(number, magnitude).value == value


def test_trillions_of_yuan() -> None:
    ind = one("2024年3650.3万亿元的金融市场成交额，创下新高。", "3650.3万亿元")
    assert (ind.value, ind.unit, ind.qualifier) == (3.6503e15, "元", Qualifier.EXACT)


def test_hundred_million_person_trips() -> None:
    ind = one("上海机场旅客吞吐量达到1.25亿人次。", "1.25亿人次")
    assert (ind.value, ind.unit) == (1.25e8, "人次")


def test_full_width_digits() -> None:
    ind = one("前三季度，江苏实现地区生产总值１０２５８６.３亿元，同比增长５.６％。", "１０２５８６.３亿元")
    assert ind.value == pytest.approx(1.025863e13, rel=1e-12)
    assert one("前三季度，江苏实现地区生产总值１０２５８６.３亿元，同比增长５.６％。", "５.６％").unit == "%"


def test_thousands_separator() -> None:
    ind = one("该区全年完成技术合同成交额1,234.5万元。", "1,234.5万元")
    assert (ind.value, ind.unit) == (12345000, "元")


def test_comma_as_clause_punctuation_is_not_a_separator() -> None:
    assert one("仅仅38天,位于黄浦江畔的园区从毛坯到拎包入住。", "38天").value == 38


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit", "qualifier"),
    [
        ("成立不到两年，园区总面积超6万平方米。", "两年", 2, "年", Qualifier.LT),
        ("调解成功率达到七成。", "七成", 70, "%", Qualifier.EXACT),
        ("新能源发电量占比三成以上。", "三成", 30, "%", Qualifier.GT),
        ("2年来，这里入驻企业百余家。", "百余家", 100, "家", Qualifier.GT),
        ("数万张建设者之家床位让奋斗者安身立命。", "数万张", 10000, "张", Qualifier.GT),
        ("展会吸引十余个国家的客商参展。", "十余个", 10, "个", Qualifier.GT),
        ("世博文化公园面积2平方公里，估值千亿。", "千亿", 1e11, "元", Qualifier.APPROX),
        ("开发1.6万多个工业软件。", "1.6万多个", 16000, "个", Qualifier.GT),
        ("河南夏粮产量约占全国的四分之一。", "四分之一", 25, "%", Qualifier.APPROX),
        (
            "部分酒店房价较平时上涨不到一倍。",
            "一倍",
            100,
            "%",
            Qualifier.LT,
        ),  # a growth in 倍 is a percentage
        ("客流量是去年同期的两倍。", "两倍", 2, "倍", Qualifier.EXACT),
        ("卫星年产能已突破百颗。", "百颗", 100, "颗", Qualifier.GT),
    ],
)
def test_chinese_numerals_in_context(
    text: str, raw: str, value: float, unit: str, qualifier: Qualifier
) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit, ind.qualifier) == (value, unit, qualifier)
