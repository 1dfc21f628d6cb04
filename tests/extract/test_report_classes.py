"""Classes of reported-copy grammar: targets that run on past their marker, plans in 将 + verb, ceilings
laid down by a rule, 次-compound units, changes stated as amounts, counts whose noun stays behind,
institution names that start with a place, and 以来 after an event."""

from __future__ import annotations

import pytest
from extract_helpers import extract, one, raws

# --- targets, plans and rules are not rows ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        (
            "今年上半年，全区完成投资120亿元，力争到2027年，研发投入强度提高到3.5%，高新技术企业达到3000家。",
            ["120亿元"],
            ["3.5%", "3000家"],
        ),
        ("力争到2028年，全市新能源汽车年产量突破200万辆，产值达到5000亿元。", [], ["200万辆", "5000亿元"]),
        (
            "全区已建成5G基站1200个，力争到年底，基站总数达到2000个，实现重点区域全覆盖。",
            ["1200个"],
            ["2000个"],
        ),
        ("力争全年筹集保障性租赁住房5万套，目前已筹集3.2万套。", ["3.2万套"], ["5万套"]),
    ],
)
def test_a_target_runs_through_the_clauses_after_its_marker(
    text: str, kept: list[str], dropped: list[str]
) -> None:
    found = raws(text)
    assert all(raw in found for raw in kept), found
    assert not any(raw in found for raw in dropped), found


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        ("景区将推出20条精品线路，并将新增停车位800个。", [], ["20条", "800个"]),
        ("园区去年新增企业120家，今年将新增200家。", ["120家"], ["200家"]),
        ("明年计划新建充电桩1.5万个。", [], ["1.5万个"]),
        ("将近600名志愿者参与服务。", ["600名"], []),
    ],
)
def test_a_plan_with_jiang_and_a_verb_is_not_a_row(text: str, kept: list[str], dropped: list[str]) -> None:
    found = raws(text)
    assert all(raw in found for raw in kept), found
    assert not any(raw in found for raw in dropped), found


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("该市实行每日预约限额2万人，单次团队人数不超过30人。", ["2万人", "30人"]),
        ("按规定，每人每日取款不超过5万元。", ["5万元"]),
        ("全市严格执行小区停车收费标准，每月不高于300元。", ["300元"]),
        ("全年新增建设用地控制在500公顷以内。", ["500公顷"]),
    ],
)
def test_a_ceiling_laid_down_by_a_rule_is_not_a_row(text: str, dropped: list[str]) -> None:
    found = raws(text)
    assert not any(raw in found for raw in dropped), found


def test_a_reported_ceiling_without_a_rule_stays_a_row() -> None:
    assert one("当地发放住房补贴1.6亿元，人均每月补贴不超过800元。", "800元").unit == "元"


# --- compound 次 units are read whole ------------------------------------------------------------


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


# --- a change stated as an amount says it is the change -----------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("全市粮食总产量120亿斤，比上年增加3.6亿斤。", "3.6亿斤", "粮食总产量比上年增加"),
        ("全省进出口总值1.2万亿元，增长8.5%，增加930亿元。", "930亿元", "进出口总值增加"),
        ("PM2.5平均浓度为25微克/立方米，下降2微克/立方米。", "2微克/立方米", "PM2.5平均浓度下降"),
        ("货物进出口总额达2.3万亿元，同比增加1500亿元。", "1500亿元", "货物进出口总额同比增加"),
    ],
)
def test_a_change_stated_as_an_amount_names_the_change(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("全省进出口总值1.2万亿元，增长8.5%。", "8.5%", "进出口总值"),
        ("空气优良天数比例为95.2%，提高1.8个百分点。", "1.8个百分点", "空气优良天数比例"),
    ],
)
def test_a_rate_of_change_keeps_the_levels_metric(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("PM2.5平均浓度回落至28微克/立方米。", "28微克/立方米", "PM2.5平均浓度"),
        ("全省粮食产量攀升至1400亿斤。", "1400亿斤", "粮食产量"),
    ],
)
def test_a_change_to_a_new_level_gives_the_level(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


def test_each_member_of_a_list_of_changes_names_its_change() -> None:
    text = "全市工业增加值、固定资产投资和社会消费品零售总额分别增加120亿元、85亿元和60亿元。"
    metrics = [ind.metric for ind in extract(text)]
    assert metrics == ["工业增加值增加", "固定资产投资增加", "社会消费品零售总额增加"]


def test_a_list_of_changes_against_a_base_keeps_the_base() -> None:
    metrics = {ind.metric for ind in extract("两地粮食产量分别比上年增加2.1亿斤和1.6亿斤。")}
    assert metrics == {"两地粮食产量比上年增加"}


# --- a count whose noun stays behind -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("全市共有博物馆85家，其中42家实现免费开放。", "42家", "实现免费开放的博物馆"),
        ("今年共排查老旧小区320个，已有186个完成改造。", "186个", "完成改造的老旧小区"),
        ("全省今年实施重点项目560个，其中已有120个项目建成投产。", "120个", "建成投产的项目"),
        ("其中12项实现提前竣工。", "12项", "实现提前竣工的项目"),
    ],
)
def test_a_subset_count_names_what_the_subset_did(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


# --- words are never cut ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("景区单日客流最高达8.6万人次。", "8.6万人次", "景区单日客流最高"),
        ("湖北实验室累计承担国家重大科技任务120项。", "120项", "湖北实验室累计承担国家重大科技任务"),
        ("景区日接待量最多达到3万人次。", "3万人次", "景区日接待量最多"),
        ("城市绿化覆盖率甚至达45%。", "45%", "城市绿化覆盖率"),
        ("该企业年营收规模远超10亿元。", "10亿元", "企业年营收规模"),
    ],
)
def test_a_metric_keeps_whole_words_and_named_institutions(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


# --- 以来 after an event resets the period ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("上半年，全市完成投资300亿元。专项行动开展以来，累计整治隐患1200处。", "1200处"),
        ("今年3月，全市新开工项目200个。专项行动启动以来，共查处案件600起。", "600起"),
        ("上半年，全市汽车销量45万辆。“以旧换新”政策实施以来，全市汽车销量增长12%。", "12%"),
    ],
)
def test_since_an_event_resets_the_carried_period(text: str, raw: str) -> None:
    assert one(text, raw).period is None


def test_the_figure_before_the_event_keeps_its_period() -> None:
    text = "上半年，全市完成投资300亿元。专项行动开展以来，累计整治隐患1200处。"
    assert one(text, "300亿元").period == "2025-H1"


def test_qi_that_begins_a_word_does_not_mark_a_start_date() -> None:
    # 今年起降航班: 起降 is the count's verb, so 今年 is the period of the figure
    assert one("机场今年起降航班2.3万架次。", "2.3万架次").period == "2025"
