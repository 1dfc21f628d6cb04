"""What kind of figure a row is (docs/indicators.md, "convention v2"): its measure (level, growth,
change, share, completion), the basis a growth or change compares with (yoy, mom, base), the sign of a
decrease, and the metric as the subject alone, without the comparison words.

All of it is read from the figure's own clause: the words between the clause start and the number
(比上年增长, 占…的比重为, 完成全年目标的) say what the number is, and the labelled metric keeps only what
was measured. A clause that states no comparison of its own (…，增长1.3%) still compares with the year
before when the figure has a period, as official statistics do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from etl.extract import phrases


class Measure(StrEnum):
    LEVEL = "level"
    GROWTH = "growth"
    CHANGE = "change"
    SHARE = "share"
    COMPLETION = "completion"


class Basis(StrEnum):
    YOY = "yoy"
    MOM = "mom"
    BASE = "base"
    NONE = ""


_RELATIVE_UNITS = frozenset({"%", "倍", "‰"})
_DECREASE = r"下降|减少|降低|回落|放缓|缩小|收窄|少增|下调|下跌|下滑|降幅|少出|贬值|减|少|低|慢|降"
_INCREASE = r"增长|增加|提高|提升|上升|上涨|扩大|加快|多增|上调|攀升|回升|增幅|高出|多出|升值|增|多|高|快|翻"
# The verb of a change at the end of the words before the number; 增长到 / 下降至 name the new level
_CHANGE_VERB_END = re.compile(
    rf"(?P<verb>(?:名义|实际)?(?:{_DECREASE}|{_INCREASE}))了?(?:约|近|超过?|逾|达到?|为|仅)?$"
)
# 比原计划多招8000人, 比上年少用2吨: 多 / 少 before the verb of what was done, after a comparison
_MORE_OR_LESS_DONE = re.compile(r"(?P<verb>[多少])[\u4e00-\u9fff]了?$")
_DECREASE_VERB = re.compile(rf"^(?:名义|实际)?(?:{_DECREASE})")
# 增速为5.2%, 增幅达8%: the rate of growth named as a noun
_RATE_NOUN_END = re.compile(r"(?P<noun>增速|增幅|降幅|涨幅|跌幅)(?:为|达到?|是|约)?$")
# 比全国高 needs its base: a one-character verb (高, 多, 降) is a change only after a comparison, since
# on its own it usually ends another word (起降, 最多)
_BARE_COMPARATIVE = re.compile(r"^[\u4e00-\u9fff]$")
# 高于全国0.4个百分点: the gap to a base named after the comparative
_GAP_AFTER_BASE = re.compile(r"(?P<verb>高于|低于|快于|慢于|多于|少于)[^，,。；;]{1,14}$")
_GAP_DECREASE = ("低于", "慢于", "少于")
_COMPARED = re.compile(r"(?:(?<!占)比(?![重例率值])|较|高于|低于|快于|慢于|相比|同比|环比|以来)")
_MONTH_ON_MONTH = re.compile(r"环比|(?:比|较)(?:上|前)(?:一|个)?(?:月|季度|季|周|旬)")
_YEAR_ON_YEAR = re.compile(
    r"同比|(?:比|较|与)(?:上|去|前)(?:一)?年(?:同期|末|底)?|(?:比|较)(?:上年|去年)(?:同期|末|底)?"
)
_SHARE_END = re.compile(r"占[^，,。；;占]*?(?:的)?(?:比重|比例|份额)?(?:为|达到?|约|超过?|近)?$")
_SHARE_METRIC = re.compile(r"占|占比$|比重$|比例$|份额$")
_COMPLETION_END = re.compile(
    r"完成(?:了)?(?:全年|年度|本年|今年|计划|预期)?[^，,。；;]{0,8}?(?:目标|任务|计划)(?:任务)?的$"
)
_CLAUSE_STOP = "，,；;：:。！？\n"
# The earlier members of a 分别 list (增长30.3%、54.0%、): a figure with its unit before a separator
_LISTED_FIGURE = re.compile(r"[0-9０-９.．,]+[^0-9０-９.．,\s，。；;、和及与]{0,5}[、和及与]$")
_QUALIFIER_TAIL = re.compile(r"(?:分别|均|都|约|近|超过?|逾|达到?|为|了|仅|再|不到|不足|将近|接近|大约)+$")
# What a change or a comparison adds to a metric phrase after its subject (比上年增长, 同比下降)
_METRIC_VERB_TAIL = re.compile(rf"(?:名义|实际)?(?P<verb>{_DECREASE}|{_INCREASE}|[多少][\u4e00-\u9fff])了?$")
_METRIC_COMPARISON_TAIL = re.compile(
    r"(?:同比|环比|(?:(?<!占)比(?![重例率值])|较|相比|高于|低于|快于|慢于)[^，,。；;比较]{0,12})$"
)
# 城镇新增就业完成全年目标: the target reached is the measure, not part of what was counted
_COMPLETION_TAIL = re.compile(
    r"(?:已|累计)?(?:完成|达成)了?(?:全年|年度|本年|今年)?[^，,。；;]{0,6}?(?:目标|任务|计划)(?:任务)?$"
)
_RATE_NOUN_TAIL = re.compile(r"(?:的)?(?:增速|增幅|降幅|涨幅|跌幅)$")
_NATIONAL_PREFIX = re.compile(rf"^(?:全国|我国)(?!{phrases.INSTITUTIONS})(?=[\u4e00-\u9fff]{{2}})")


# A subject longer than this is read as a modifier and its head (see subject_metric)
_LONGEST_SUBJECT = 20


@dataclass(frozen=True, slots=True)
class Semantics:
    measure: Measure
    basis: Basis
    negative: bool  # a decrease: the value is stored with a minus sign
    metric: str


def clause_lead(text: str, sentence_start: int, figure_start: int) -> str:
    """The words of the figure's clause before it, with the other figures of a list taken out."""
    begin = figure_start
    while begin > sentence_start and text[begin - 1] not in _CLAUSE_STOP:
        begin -= 1
    lead = text[begin:figure_start]
    previous = None
    while previous != lead:
        previous = lead
        lead = _QUALIFIER_TAIL.sub("", _LISTED_FIGURE.sub("", lead)).rstrip()
    return lead


# 贡献了50%以上的税收, 60%的国内生产总值: a percentage of the noun after it is a part of that whole
_PART_OF_WHOLE_AFTER = re.compile(r"^(?:以上|以下|左右)?的[\u4e00-\u9fff]")


def _measure(lead: str, unit: str, metric: str, follows: str = "") -> tuple[Measure, str]:
    """The measure and, for a growth or change, the verb that states it."""
    if _COMPLETION_END.search(lead):
        return Measure.COMPLETION, ""
    rate = _RATE_NOUN_END.search(lead)
    if rate is not None and unit in _RELATIVE_UNITS:
        return Measure.GROWTH, rate.group("noun")
    verb_match = _CHANGE_VERB_END.search(lead)
    if verb_match is not None:
        verb = verb_match.group("verb")
        compared = _COMPARED.search(lead[: verb_match.start()]) is not None
        # 翻 before a number is always a doubling (翻一番), never the end of another word
        bare = _BARE_COMPARATIVE.match(verb.removeprefix("名义").removeprefix("实际")) and not compared
        bare = bare and verb != "翻"
        if bare or lead[verb_match.end() :].startswith(("到", "至")):
            verb_match = None
    if verb_match is not None:
        verb = verb_match.group("verb")
        if unit in _RELATIVE_UNITS:
            return Measure.GROWTH, verb
        return Measure.CHANGE, verb
    more_or_less = _MORE_OR_LESS_DONE.search(lead)
    if verb_match is None and more_or_less is not None and _COMPARED.search(lead[: more_or_less.start()]):
        return Measure.CHANGE, more_or_less.group("verb")
    if rate is not None and unit == "百分点":
        return Measure.CHANGE, rate.group("noun")
    gap = _GAP_AFTER_BASE.search(lead)
    if gap is not None:
        return Measure.CHANGE, gap.group("verb")
    if unit == "%" and (
        _SHARE_END.search(lead) or _SHARE_METRIC.search(metric) or _PART_OF_WHOLE_AFTER.match(follows)
    ):
        return Measure.SHARE, ""
    return Measure.LEVEL, ""


def _basis(lead: str, has_period: bool) -> Basis:
    if _MONTH_ON_MONTH.search(lead):
        return Basis.MOM
    if _YEAR_ON_YEAR.search(lead):
        return Basis.YOY
    if _COMPARED.search(lead):
        return Basis.BASE
    return Basis.YOY if has_period else Basis.NONE


def subject_metric(metric: str, measure: Measure, previous_subject: str = "") -> str:
    """The subject alone: 全国城镇调查失业率平均值比上年下降 -> 城镇调查失业率平均值. When the phrase held
    nothing but the comparison (较上届增长, 完成全年目标), the subject is the one named before it."""
    subject = metric
    if measure in (Measure.GROWTH, Measure.CHANGE):
        previous = None
        while previous != subject:
            previous = subject
            verb = _METRIC_VERB_TAIL.search(subject)
            if verb is not None:
                rest = subject[: verb.start()]
                # 起降 keeps its 降; 比上年多 loses its 多
                stated = len(verb.group("verb")) > 1 and not verb.group("verb").startswith(("多", "少"))
                if stated or _METRIC_COMPARISON_TAIL.search(rest):
                    subject = rest
            subject = _METRIC_COMPARISON_TAIL.sub("", subject)
            subject = phrases.TRAILING_ADVERB.sub("", subject)
            if measure is Measure.GROWTH:
                subject = _RATE_NOUN_TAIL.sub("", subject)
    if measure is Measure.COMPLETION:
        subject = _COMPLETION_TAIL.sub("", subject)
    subject = _NATIONAL_PREFIX.sub("", subject.strip("，,、 "))
    if len(subject) > _LONGEST_SUBJECT and measure is not Measure.SHARE:
        # 剔除能源、食品、酒精和烟草价格后的核心通胀率: a long phrase is a modifier and its head noun;
        # the head (after the last 的) is the subject, when it still names something
        head = subject.rpartition("的")[2]
        if len(head) >= 3 and head != subject:
            subject = head
    if len(subject) >= 2:
        return subject
    return previous_subject or metric


def semantics_of(
    text: str,
    sentence_start: int,
    figure_start: int,
    unit: str,
    metric: str,
    has_period: bool,
    previous_subject: str = "",
    follows: str = "",
) -> Semantics:
    """Measure, basis, sign and subject of the figure that starts (with its qualifier) at figure_start;
    `follows` is the text right after its raw text."""
    lead = clause_lead(text, sentence_start, figure_start)
    measure, verb = _measure(lead, unit, metric, follows)
    if measure in (Measure.GROWTH, Measure.CHANGE):
        basis = _basis(lead, has_period)
        negative = bool(_DECREASE_VERB.match(verb)) or verb in _GAP_DECREASE
    else:
        basis, negative = Basis.NONE, False
    return Semantics(measure, basis, negative, subject_metric(metric, measure, previous_subject))


__all__ = ["Basis", "Measure", "Semantics", "clause_lead", "semantics_of", "subject_metric"]
