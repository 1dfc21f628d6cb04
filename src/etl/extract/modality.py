"""Modality: where a sentence states what will be, should be or may be rather than what is. Forecasts,
targets, plans, rules and caps are not facts, so the figures inside them are not rows
(docs/indicators.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.extract.figures import INDICATOR_PATTERN
from etl.extract.limits import CLAUSE_REACH
from etl.extract.sentences import Span, clause_end

# A sentence that lays down a rule rather than reporting a fact (须 / 需 / 应当 / 方可)
_PRESCRIPTIVE = re.compile(r"须|(?<![仅只无])需(?!求|要)|必须|应当|应在|应于|不得|方可")  # 仅需3小时 reports
# (到2030年…将 looks at most CLAUSE_REACH characters ahead: unbounded, a sentence of many 到…年 and no
# 将 would be read once per 到)
_FORECAST_BEFORE = re.compile(
    rf"预计|预测|有望|预期目标|主要目标是|到(?:19|20)\d{{2}}年[^。；;]{{0,{CLAUSE_REACH}}}?将"
)
# A clause that goes on with the forecast before it rather than stating a fact of its own
_FORECAST_CONTINUES = re.compile(
    r"(?:其中|同比|环比|比|较|将|并|且|还将|也将|或将|分别|增速|增幅|降幅|占|达到|增长|提高|届时)"
)
# 预计…将突破500列，班列线路将覆盖15个国家: a clause in the future tense goes on with the forecast
_FUTURE_CLAUSE = re.compile(r"[^，,；;。0-9０-９]{0,12}?(?:将|有望|或将|可望)")
# 将推出20条线路, 并将新增停车位800个: 将 before a verb of doing announces a plan (将近 is "nearly" and
# 已将 is the object marker of a done deed)
_FUTURE_VERBS = (
    r"推出|新增|新建|建设|建成|开工|投入|实现|完成|开通|开行|开设|举办|启动|打造|上线|投用|惠及|带动|覆盖|"
    r"形成|提供|吸引|安排|发放|改造|培育|引进|增至|提升|扩大|增加|减少|降至|新开|迎来|接待|投资|筹集|招聘|"
    r"建立|设立|布局|落地|释放|创造|带来|达|超|突破"
)
# A cap or a quota is a rule too (每日限流4万人, 限购2套)
_CAP_BEFORE = re.compile(r"(?:限流|限购|限行|限额|限量|限报|限载|上限为?|最多可)$")
# A clause that states a plan or a forecast
# 比原计划多招8000人, 超计划完成: a plan that is the base of a comparison leaves the figure a fact
_PLANNED = re.compile(
    r"力争|(?<![模虚])拟|(?<![比较超于])(?<!比原|较原|超出|高于|低于)计划(?!单列)|预计|有望|目标是|将达到?|将超过?|将突破|将保持|将在|将增长|将提高|建成后|投产后|"
    r"竣工后|届时|(?<![已])将(?:陆续|再|新|进一步|逐步|继续)?" + "(?:" + _FUTURE_VERBS + ")"
)
# 力争到2027年，研发投入强度提高到3.5%，高新技术企业达到3000家: the target goes on through the clauses
# after its marker, until a clause opens with a fact again (，目前已…)
_TARGET_MARKER = re.compile(r"力争|争取到|目标为|目标是")
_FACT_CLAUSE = re.compile(r"[^，,；;。]{0,6}?(?:目前|如今|现已|已经|已|截至|实际|累计已)")
# 该市实行每日预约限额2万人，单次团队人数不超过30人: a ceiling laid down by a rule is not a measurement
# (人均每月补贴不超过800元, with no rule in the sentence, reports what was paid)
_RULE_MARKER = re.compile(r"实行|施行|规定|要求|明确|执行|严格")
_LIMIT_BEFORE = re.compile(r"(?:不超过|不得超过|不高于|不多于|不大于|最多|最高不超过|控制在)$")


@dataclass(frozen=True, slots=True)
class SentenceModality:
    """What a sentence as a whole says about the status of its figures."""

    prescriptive: bool  # the sentence lays down a rule (须, 应当, 不得)
    forecast: tuple[int, int]  # where a forecast's figures stand (empty at the sentence end when none)
    target: tuple[int, int]  # where a target's figures stand
    rule_end: int | None  # end of the first rule marker (实行, 规定), None when there is none

    def in_target(self, position: int) -> bool:
        return self.target[0] <= position < self.target[1]

    def in_forecast(self, position: int) -> bool:
        return self.forecast[0] <= position < self.forecast[1]


def modality_of(text: str, sentence: Span) -> SentenceModality:
    rule_at = _RULE_MARKER.search(text, sentence.start, sentence.end)
    return SentenceModality(
        prescriptive=_PRESCRIPTIVE.search(text[sentence.start : sentence.end]) is not None,
        forecast=_forecast_span(text, sentence),
        target=_target_span(text, sentence),
        rule_end=rule_at.end() if rule_at is not None else None,
    )


def limited_by_rule(text: str, sentence: Span, modality: SentenceModality, start: int) -> bool:
    """单次团队人数不超过30人 after 实行: a ceiling the sentence's rule lays down."""
    return (
        modality.rule_end is not None
        and modality.rule_end <= start
        and _LIMIT_BEFORE.search(text, max(sentence.start, start - 6), start) is not None
    )


def planned(text: str, clause_begin: int, start: int) -> bool:
    """计划新建200个, 将推出20条线路: the clause before the figure states a plan."""
    return _PLANNED.search(text[clause_begin:start]) is not None


def capped(text: str, clause_begin: int, start: int) -> bool:
    """每日限流4万人: a cap or quota right before the figure."""
    return _CAP_BEFORE.search(text, max(clause_begin, start - 6), start) is not None


def _forecast_span(text: str, sentence: Span) -> tuple[int, int]:
    """Where a forecast's figures stand: from its marker (预计, 有望) to the end of the clause of its first
    figure, and on through clauses that only continue it (，其中…, ，同比…). A later clause with its own
    subject (预计…5%左右，不到两成的城市已…) states a fact again."""
    forecast = _FORECAST_BEFORE.search(text, sentence.start, sentence.end)
    if forecast is None:
        return sentence.end, sentence.end
    if "目标" in forecast.group() or text.startswith(("：", ":"), forecast.end()):
        return forecast.end(), sentence.end  # 主要预期目标是：…，…: a list of targets runs to the end
    first = next(
        (
            m
            for m in INDICATOR_PATTERN.finditer(text, forecast.end(), sentence.end)
            if m.group("unit") or m.group("magnitude") or m.group("denominator")
        ),
        None,
    )
    if first is None:
        return forecast.end(), sentence.end
    end = clause_end(text, first.end(), sentence.end)
    while end < sentence.end and (
        _FORECAST_CONTINUES.match(text, end + 1) or _FUTURE_CLAUSE.match(text, end + 1)
    ):
        end = clause_end(text, end + 1, sentence.end)
    return forecast.end(), end


def _target_span(text: str, sentence: Span) -> tuple[int, int]:
    """Where a target's figures stand: from its marker (力争, 争取到) through the clauses after it, up to a
    clause that reports a fact again (，目前已筹集3万套)."""
    marker = _TARGET_MARKER.search(text, sentence.start, sentence.end)
    if marker is None:
        return sentence.end, sentence.end
    end = clause_end(text, marker.end(), sentence.end)
    while end < sentence.end and not _FACT_CLAUSE.match(text, end + 1):
        end = clause_end(text, end + 1, sentence.end)
    return marker.start(), end
