"""Modality: forecasts, targets, plans, rules and caps state what will or should be, not what is, so
their figures are not rows."""

from __future__ import annotations

import pytest
from extract_helpers import one, raws

from etl.models import Qualifier

# --- forecasts ------------------------------------------------------------------------------------


def test_forecasts_and_caps_are_not_rows() -> None:
    assert raws("机构预计，明年该国经济增速将在2%左右。") == []
    assert raws("到2030年，全市公共充电桩将达到20万个。") == []
    assert raws("博物馆每日限流2万人。") == []


def test_a_fact_after_a_forecast_in_the_same_sentence_is_kept() -> None:
    text = "业内机构预计全年快递业务量将增长15%左右，超过六成的县级网点已实现盈利。"
    assert raws(text) == ["六成"]
    assert one(text, "六成").qualifier is Qualifier.GT


def test_a_clause_that_continues_a_forecast_is_dropped() -> None:
    assert raws("预计全年粮食产量将超过1.4万亿斤，其中夏粮增产2%。") == []


def test_a_clause_in_the_future_tense_continues_the_forecast() -> None:
    text = "今年班列已开行320列，预计全年开行量将突破500列，班列线路将覆盖欧洲15个国家。"
    assert raws(text) == ["320列"]


# --- targets --------------------------------------------------------------------------------------


def test_targets_of_a_work_report_are_not_rows() -> None:
    text = "今年主要预期目标是：地区生产总值增长5%左右，城镇新增就业50万人以上。"
    assert raws(text) == []


def test_a_list_of_targets_is_dropped_to_the_end() -> None:
    assert raws("全年主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业60万人以上。") == []


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


# --- rules and caps -------------------------------------------------------------------------------


def test_only_needs_reports_and_does_not_prescribe() -> None:
    assert raws("新线开通后，两地往返只需40分钟。") == ["40分钟"]
    assert raws("入园游客需提前3天预约。") == []


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


# --- plans ----------------------------------------------------------------------------------------


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
