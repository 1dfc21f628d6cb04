"""Unit lexicon: base units, folded forms and measure words."""

from __future__ import annotations

import pytest
from extract_helpers import one

from etl.extract.units import KIND_TRAITS, UNIT_SPECS, UnitKind, unit_spec


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
