"""explain() and `etl extract-text --explain`: every candidate number with the rule that dropped it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

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
