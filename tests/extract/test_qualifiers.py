"""Qualifier words: 约 / 左右 approx, 超 / 以上 / 余 gt, 不到 / 近 lt."""

from __future__ import annotations

import pytest
from extract_helpers import one

from etl.models import Qualifier


@pytest.mark.parametrize(
    ("text", "raw", "qualifier"),
    [
        ("累计推动50个备案大模型落地，约占全市的61%。", "61%", Qualifier.APPROX),
        ("研发经费支出相当于生产总值比例4.4%左右。", "4.4%", Qualifier.APPROX),
        ("日均收购量保持在40万吨上下。", "40万吨", Qualifier.APPROX),
        ("总面积超6万平方米。", "6万平方米", Qualifier.GT),
        ("累计融资超过1万亿元。", "1万亿元", Qualifier.GT),
        ("接待入境旅游者突破600万人次。", "600万人次", Qualifier.GT),
        ("港口物流相关营业收入逾3200亿元。", "3200亿元", Qualifier.GT),
        ("混合效率达到97%以上。", "97%", Qualifier.GT),
        ("平均在港时间压缩到不足24小时。", "24小时", Qualifier.LT),
        ("发放就业补助资金近1000亿元。", "1000亿元", Qualifier.LT),
        ("租金在同地段市场租金的85%以下。", "85%", Qualifier.LT),
        ("一室一厅，月租1200元出头。", "1200元", Qualifier.GT),
        ("上海港集装箱吞吐量5150.6万标箱。", "5150.6万标箱", Qualifier.EXACT),
        ("当天大约3000名志愿者参与服务。", "3000名", Qualifier.APPROX),
        ("全年开行班列大约1200列。", "1200列", Qualifier.APPROX),
        ("增速大约在5%上下。", "5%", Qualifier.APPROX),
        ("每天开行货运列车30多列。", "30多列", Qualifier.GT),
        ("新建充电桩1.6万多个。", "1.6万多个", Qualifier.GT),
        ("参展企业两千多家。", "两千多家", Qualifier.GT),
        ("惠及1.4亿多参保群众。", "1.4亿多", Qualifier.GT),
    ],
)
def test_qualifier(text: str, raw: str, qualifier: Qualifier) -> None:
    assert one(text, raw).qualifier is qualifier


def test_qualifier_words_stay_out_of_raw() -> None:
    ind = one("总面积超6万平方米的园区。", "6万平方米")
    assert ind.raw == "6万平方米"


# --- words that only look like qualifiers ---------------------------------------------------------


def test_qianyue_is_not_a_qualifier() -> None:
    ind = one("全县65岁以上老年人签约40万人。", "40万人")
    assert ind.qualifier.value == "exact" and ind.metric.endswith("签约")


def test_a_threshold_passed_is_more_than() -> None:
    row = one("全省粮食总产量迈上1400亿斤新台阶。", "1400亿斤")
    assert (row.qualifier, row.metric) == (Qualifier.GT, "粮食总产量")
