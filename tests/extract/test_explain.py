"""explain() and `etl extract-text --explain`: every candidate number with the rule that dropped it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from extract_helpers import PUBLISHED

from etl.extract import explain, extract_indicators
from etl.extract.fingerprint import GOLD_DIRS
from etl.extract.rejections import ALL_RULES

ETL = str(Path(sys.executable).parent / "etl")
PLANTED = (
    "2024年，全市地区生产总值增长5.2%，新建5G基站1.2万个。\n"
    "“十四五”时期，全市累计建成保障性住房8万套，十四五规划纲要提出的目标全部完成。\n"
    "预计明年增长5%。据预测，明年全省经济增长5.5%左右。\n"
)


def _rows(stdout: str) -> dict[tuple[str, str], list[str]]:
    """Table rows keyed by (position, raw text)."""
    rows: dict[tuple[str, str], list[str]] = {}
    for line in stdout.splitlines()[2:]:
        cells = line.split()
        if cells and cells[0].isdigit():
            rows[(cells[0], cells[1])] = cells[2:]
    return rows


def test_explain_names_the_rule_that_dropped_each_candidate(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(PLANTED, encoding="utf-8")
    out = subprocess.run(
        [ETL, "extract-text", "--explain", "--published", "2025-01-10", str(article)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    rows = _rows(out.stdout)

    def at(raw: str, within: str | None = None) -> tuple[str, str]:
        """The row of `raw`, found as the start of its first `within` (the raw text itself by default)."""
        return str(PLANTED.index(within or raw)), raw

    assert rows[at("5%", "5%。")] == ["dropped", "plan"]  # 预计明年增长5%
    assert rows[at("5.5%")] == ["dropped", "forecast"]  # 据预测，明年…增长5.5%左右
    assert rows[at("5", "5G")] == ["dropped", "bare-number"]
    assert rows[at("十四五", "十四五”时期")] == ["dropped", "bare-number"]
    assert rows[at("十四五", "十四五规划")] == ["dropped", "bare-number"]
    assert rows[at("2024年")] == ["dropped", "year"]
    assert rows[at("5.2%")] == ["kept", "-", "地区生产总值"]
    assert rows[at("1.2万个")] == ["kept", "-", "新建5G基站"]
    assert "forecast: inside a forecast" in out.stdout
    assert "9 candidate(s): 3 kept, 6 dropped" in out.stdout


# One short text per rule, with the candidate the rule drops (the first rule in order that applies)
RULE_EXAMPLES = {
    "target": ("力争到2027年，高新技术企业达到3000家。", "3000家"),
    "service-frequency": ("家庭医生为签约老人每月至少上门随访2次。", "2次"),
    "specification": ("这款电动车支持超级快充，10分钟可充电70%。", "70%"),
    "rule-limit": ("该市实行每日预约制，单次团队人数不超过30人。", "30人"),
    "prescriptive": ("入园游客需提前3天预约。", "3天"),
    "bare-number": ("全市新建5G基站1.2万个。", "5"),
    "improper-fraction": ("四分之五的人。", "四分之五"),
    "part-of-a-word": ("新建四人间宿舍。", "四人"),
    "ordinal": ("这是第3个项目。", "3个"),
    "range-end": ("部分线路延长运营时间半小时至2小时。", "半小时"),
    "code": ("电站规模500MWp。", "500MW"),
    "hotline": ("群众可拨打12345次。", "12345次"),
    "exchange-rate-base": ("中间价为1美元对人民币7.18元。", "1美元"),
    "year": ("2024年，全市经济平稳运行。", "2024年"),
    "spelled-without-unit": ("博览会已举办三十多届，", "三十多届"),
    "article-yi": ("一张床位每月500元。", "一张"),
    "zhe-idiom": ("项目推进一波三折。", "三折"),
    "fan-idiom": ("经过一番努力，项目落地。", "一番"),
    "vague-range": ("一亩地能挣四五百元。", "四五百元"),
    "several": ("数家企业入驻。", "数家"),
    "round-idiom": ("百家争鸣。", "百家"),
    "chinese-only-unit": ("5成为新常态。", "5成"),
    "cheng-starts-word": ("稻谷八成熟。", "八成"),
    "cheng-wei-verb": ("两个村合并后，其一成为示范村。", "一成"),
    "small-spelled-number": ("会上，三个人发了言。", "三个"),
    "no-unit": ("截至7月10日，全市完成投资。", "10日"),
    "time-reference": ("前10个月，全国货物进出口增长3.6%。", "10个月"),
    "time-window": ("群众诉求在3个月内办理。", "3个月"),
    "locates-a-place": ("小区距地铁站步行约8分钟。", "8分钟"),
    "eligibility": ("为工作不满5年的青年人才提供补贴。", "5年"),
    "relative-time": ("国庆中秋假期8天，全国接待游客8亿人次。", "8天"),
    "recent-window": ("近5年，全市累计新增就业50万人。", "5年"),
    "since-opening": ("开业两个月，入住率达到85%。", "两个月"),
    "attributive-duration": ("入境人员接受7天健康监测。", "7天"),
    "attributive-age": ("72岁的老党员张明。", "72岁"),
    "attributive-measure": ("一台5兆瓦风机每年发电1500万千瓦时。", "5兆瓦"),
    "quoted-name": ("打造“1000个创新平台”行动。", "1000个"),
    "plan": ("明年计划新建充电桩1.5万个。", "1.5万个"),
    "cap": ("博物馆每日限流2万人。", "2万人"),
    "forecast": ("据预测，明年全省经济增长5.5%左右。", "5.5%"),
    "group-descriptor": ("31个大城市城镇调查失业率为5.0%。", "31个"),
    "threshold": ("营业收入超过百亿元的企业有15家。", "百亿元"),
    "size-class": ("当地为月收入8000元以下的家庭发放补贴1.2亿元。", "8000元"),
}


def test_every_rule_has_an_example() -> None:
    assert set(RULE_EXAMPLES) == {rule.name for rule in ALL_RULES}


@pytest.mark.parametrize("name", list(RULE_EXAMPLES))
def test_each_rule_drops_its_example(name: str) -> None:
    text, raw = RULE_EXAMPLES[name]
    verdicts = {v.raw: v for v in explain(text, PUBLISHED)}
    rule = verdicts[raw].rule
    found = [(v.raw, v.rule.name if v.rule else None) for v in verdicts.values()]
    assert rule is not None and rule.name == name, found


def test_rules_have_distinct_names_and_a_reason() -> None:
    names = [rule.name for rule in ALL_RULES]
    assert len(names) == len(set(names))
    assert all(rule.why for rule in ALL_RULES)


def test_the_kept_candidates_are_exactly_the_extracted_rows() -> None:
    for gold_dir in GOLD_DIRS:
        for path in sorted(gold_dir.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            published = dt.date.fromisoformat(doc["published"]) if doc.get("published") else None
            hint = doc.get("region_hint")
            verdicts = explain(doc["text"], published, region_hint=hint)
            kept = [v.indicator for v in verdicts if v.rule is None]
            assert kept == extract_indicators(doc["text"], published, region_hint=hint), path.name
            assert all((v.indicator is None) == (v.rule is not None) for v in verdicts)
            assert all(doc["text"].startswith(v.raw, v.start) for v in verdicts)


def test_a_dropped_candidate_leaves_no_row() -> None:
    verdicts = explain("今年全市新建5G基站1.2万个，预计明年增长5%。", PUBLISHED)
    assert [(v.raw, v.verdict) for v in verdicts] == [
        ("5", "dropped"),
        ("1.2万个", "kept"),
        ("5%", "dropped"),
    ]
