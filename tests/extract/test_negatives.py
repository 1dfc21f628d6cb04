"""Strings that look like figures but are dates, names, rules or page furniture: never a row."""

from __future__ import annotations

import pytest
from extract_helpers import raws


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
