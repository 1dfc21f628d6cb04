"""Labelling across the figures of a paragraph: the metric of each figure, with what one figure hands
on to the next. A 分别 list pairs each figure with its member of the enumeration, an anaphor (这一比重)
points back to the paragraph's previous metric, a clause that names nothing falls back to an earlier
clause or to what the unit measures, and a change (同比增长5.2%) inherits the subject before it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from etl.extract import metrics, phrases
from etl.extract.figures import Figure
from etl.extract.sentences import Span, clause_begin, clause_end
from etl.extract.units import UnitKind, category_of

_LIST_SEPARATOR = re.compile(r"^[、，,和及与或]*$")
_MULTI_CHAR_HEADS = (
    "吞吐量",
    "参保人数",
    "人数",
    "产量",
    "销量",
    "总额",
    "总量",
    "总值",
    "收入",
    "增加值",
    "零售额",
    "成交额",
    "金额",
    "规模",
    "投资",
    "产值",
    "营收",
    "数量",
    "业务量",
    "进出口",
    "销售额",
    "营业额",
    "出口额",
    "进口额",
    "客流量",
    "通胀率",
    "增长率",
    "利润",
    "发电量",
    "用电量",
    "装机容量",
    "失业率",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# 这一比重, 该比例, 上述指标: a phrase that points back to a metric already named in the paragraph
_ANAPHOR = re.compile(
    r"(?:(?<![\s\S])|(?<=[，,：:。；;！？\n]))(?:其中[，,]?)?(?:这一|这个|该|此|上述|以上)"
    r"(?P<noun>比重|比例|占比|比率|数字|数据|指标|规模|增速|增幅|水平|数量|总量|金额|数值)"
)
_MEMBER_SEPARATOR = re.compile(r"、|以及|和|及|与")
_YEAR_ON_YEAR_TAIL = re.compile(r"(?:同比|环比)$")


# 产销, 进出口, 收支: one word made of two verbs (or two sides) that share the subject before them. Each
# member names a quantity of its own, in the character order of the compound: 进出口 is 进口 then 出口,
# 产销 is 产量 then 销量, 收支 收入 then 支出 (docs/indicators.md). A head noun after the compound goes
# to each member (产销量 -> 产量, 销量; 进出口额 -> 进口额, 出口额; 存贷款余额 -> 存款余额, 贷款余额);
# without one, a member takes the compound's default head (产 -> 产量). Members that are verbs of
# movement (进口, 出境, 进港) also share a counted noun after them (出入境人员 -> 出境人员, 入境人员).
@dataclass(frozen=True, slots=True)
class _Paired:
    members: tuple[str, str]
    default_head: str = ""
    shares_noun: bool = False


_PAIRED_VERBS: dict[str, _Paired] = {
    "产销": _Paired(("产", "销"), "量"),
    "进出口": _Paired(("进口", "出口"), shares_noun=True),
    "收支": _Paired(("收入", "支出")),
    "存贷款": _Paired(("存款", "贷款")),
    "供需": _Paired(("供给", "需求")),
    "出入境": _Paired(("出境", "入境"), shares_noun=True),
    "进出港": _Paired(("进港", "出港"), shares_noun=True),
    "客货运": _Paired(("客运", "货运"), "量"),
}
_PAIRED_HEADS = ("总额", "总值", "总量", "余额", "金额", "规模", "增速", "量", "额", "值")
_SHARED_NOUN = re.compile(r"[\u4e00-\u9fff]{1,4}")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Figures and the connectives around them, removed from an earlier clause before it is read as a subject
_FIGURE_TEXT = re.compile(r"[约近超逾达为]*[0-9０-９.．,]+[\u4e00-\u9fff%％‰]{0,4}")


@dataclass(frozen=True, slots=True)
class LabelledFigure:
    """A figure with its metric."""

    figure: Figure
    metric: str


def _split_members(subject: str) -> list[str]:
    return [part for part in _MEMBER_SEPARATOR.split(subject) if part]


def _shared_tail(members: list[str]) -> tuple[list[str], str]:
    """基本养老、失业、工伤保险参保人数 -> ([基本养老, 失业, 工伤], 保险参保人数)."""
    last = members[-1]
    if "的" in last and "的" not in "".join(members[:-1]):
        distinct, _, tail = last.rpartition("的")  # 德国、法国、意大利的通胀率
        return [*members[:-1], distinct], "的" + tail
    if "等" in last:
        distinct, _, tail = last.partition("等")
        head = next((h for h in _MULTI_CHAR_HEADS if tail.endswith(h)), tail)
        return [*members[:-1], distinct], head
    if any(phrases.HEAD_NOUNS.search(member) for member in members[:-1]):
        return members, ""
    by_length = last[len(members[-2]) :] if len(last) > len(members[-2]) else ""
    by_head = next((h for h in _MULTI_CHAR_HEADS if last.endswith(h) and len(last) > len(h)), "")
    tail = max(by_length, by_head, key=len)
    return [*members[:-1], last[: len(last) - len(tail)]], tail


def _group_starts(text: str, figures: list[Figure]) -> dict[int, list[int]]:
    """Figures that follow one 分别 and are separated only by 、 / 和 / commas, keyed by the first."""
    groups: dict[int, list[int]] = {}
    i = 0
    while i < len(figures):
        begin = clause_begin(text, figures[i].context_start, 0)
        lead = text[begin : figures[i].context_start]
        if "分别" not in lead:
            i += 1
            continue
        group = [i]
        while i + 1 < len(figures) and _LIST_SEPARATOR.match(
            text[figures[i].context_end : figures[i + 1].context_start]
        ):
            i += 1
            group.append(i)
        if len(group) > 1:
            groups[group[0]] = group
        i += 1
    return groups


@dataclass(slots=True)
class ParagraphState:
    """What later figures of a paragraph inherit from earlier ones; a new paragraph starts afresh."""

    previous_subject: str = ""
    subject_sentence: int = -1  # start of the sentence the subject came from
    previous_points_metric: str = ""
    last_members: tuple[str, ...] = ()
    last_metric: str = ""  # the metric of the paragraph's previous figure, for 这一比重 / 该比例


def label_sentence(
    text: str, sentence: Span, figures: list[Figure], state: ParagraphState
) -> list[LabelledFigure]:
    labelled: list[LabelledFigure] = []
    previous_end = sentence.start
    group_metrics: dict[int, str] = {}
    earlier: dict[int, str] = {}  # for _fallback_metric
    groups = _group_starts(text, figures)
    for index, figure in enumerate(figures):
        if index in groups:
            members = _list_members(text, sentence, figures, groups[index], state, labelled)
            group_metrics.update(zip(groups[index], members, strict=False))
        begin = max(clause_begin(text, figure.context_start, sentence.start), previous_end)
        stop = clause_end(text, figure.context_end, sentence.end)
        next_stop = clause_end(text, min(stop + 1, sentence.end), sentence.end)
        traits = figure.kind.traits if figure.kind is not None else None
        ctx = metrics.MetricContext(
            before=text[begin : figure.context_start],
            after=text[figure.context_end : stop],
            unit=figure.unit,
            is_count=traits is not None and traits.counted,
            is_duration=figure.kind is UnitKind.DURATION,
            previous_subject=state.previous_subject,
            next_clause=text[min(stop + 1, sentence.end) : next_stop],
            previous_points_metric=state.previous_points_metric,
            takes_noun=traits is not None and traits.takes_noun,
        )
        reaches_back = traits is not None and traits.reaches_previous_sentence
        if state.subject_sentence != sentence.start and not reaches_back:
            # Only a rate or a change (三季度增长5.7%) reaches back into the previous sentence
            ctx = dataclasses.replace(ctx, previous_subject="")
        result = metrics.metric_for(ctx)
        metric = group_metrics.get(index, result.metric)
        anaphor = _ANAPHOR.search(text, begin, figure.context_start)
        if anaphor is not None and state.last_metric:
            metric = _resolve_anaphor(metric, anaphor.group("noun") or "", state.last_metric)
        elif not _meaningful(metric):
            metric = _fallback_metric(text, sentence.start, begin, figure, earlier)
        state.last_metric = metric
        if index in group_metrics or result.subject:
            state.previous_subject = metric if index in group_metrics else result.subject
            state.subject_sentence = sentence.start
        if figure.unit == "百分点":
            state.previous_points_metric = metric
        previous_end = figure.context_end + result.consumed_after
        labelled.append(LabelledFigure(figure, metric))
    return labelled


def _resolve_anaphor(metric: str, noun: str, previous: str) -> str:
    """`这一比重比上年提高0.4个百分点`: the anaphor stands for the metric named before it in the paragraph;
    what the clause adds after it (提高, 连续三年提高) stays."""
    if noun and noun in metric:
        return previous + metric[metric.index(noun) + len(noun) :]
    if not noun and metric.startswith(("上述", "以上")):
        return previous
    return previous if not _meaningful(metric) or noun else metric


def _meaningful(metric: str) -> bool:
    return len(_CJK.findall(metric)) >= 2 or bool(_LATIN_WORD.search(metric))


def _fallback_metric(
    text: str, sentence_start: int, own_clause: int, figure: Figure, earlier: dict[int, str]
) -> str:
    """A metric for a figure whose own clause names nothing (…，接待近120万人次): the nearest earlier
    clause of the sentence that yields a noun phrase, else the word for what the unit measures.

    `earlier` remembers, for the sentence, what the walk back from a clause end found ("" for nothing),
    so that a sentence of many bare figures is walked once, not once per figure.
    """
    end = own_clause
    walked: list[int] = []
    found = ""
    while end > sentence_start:
        if end in earlier:
            found = earlier[end]
            break
        walked.append(end)
        begin = clause_begin(text, max(end - 1, sentence_start), sentence_start)
        phrase = _FIGURE_TEXT.sub("", text[begin:end]).strip("，,、；; ")
        candidate = phrases.drop_examples(phrases.strip_leading(phrases.strip_trailing(phrase)[0]))
        if _meaningful(candidate):
            found = candidate
            break
        end = begin - 1
    earlier.update(dict.fromkeys(walked, found))
    if found:
        return found
    return category_of(figure.unit, figure.kind)


def _paired_members(subject: str) -> tuple[str, ...] | None:
    """汽车产销 -> (汽车产量, 汽车销量), 货物进出口额 -> (货物进口额, 货物出口额): the members of a paired
    compound at the end of `subject`, in the character order of the compound; None without one."""
    for compound, paired in _PAIRED_VERBS.items():
        for head in ("", *_PAIRED_HEADS):
            if subject.endswith(compound + head):
                owner = subject[: len(subject) - len(compound) - len(head)]
                return tuple(owner + member + (head or paired.default_head) for member in paired.members)
        at = subject.rfind(compound)
        noun = subject[at + len(compound) :] if at >= 0 and paired.shares_noun else ""
        if noun and _SHARED_NOUN.fullmatch(noun):
            return tuple(subject[:at] + member + noun for member in paired.members)
    return None


def _list_members(
    text: str,
    sentence: Span,
    figures: list[Figure],
    group: list[int],
    state: ParagraphState,
    labelled: list[LabelledFigure],
) -> list[str]:
    """The metric of each figure of a 分别 list, from the enumeration before 分别 or, when the
    enumeration was given earlier (…分别为A、B、C，分别比上年末增加…), from the figures it named."""
    first = figures[group[0]]
    previous_end = figures[group[0] - 1].context_end if group[0] > 0 else sentence.start
    begin = max(clause_begin(text, first.context_start, sentence.start), previous_end)
    lead = text[begin : first.context_start]
    subject, _ = phrases.strip_trailing(lead[: lead.rfind("分别")])
    subject = _YEAR_ON_YEAR_TAIL.sub("", phrases.strip_leading(subject)).removeprefix("全国")
    # 分别增加120亿元、85亿元: each member's row is the change of that member (house rules, growth rows)
    change = metrics.list_change_suffix(lead, first.unit)
    paired = _paired_members(subject)
    if paired is not None and len(group) == len(paired):
        state.last_members = paired
        return [name + change for name in paired]
    if subject:
        members = _split_members(subject)
        if len(members) == len(group) and len(members) > 1:
            distinct, tail = _shared_tail(members)
            names = [m if m.endswith(tail) else m + tail for m in distinct]
            state.last_members = tuple(names)
            return [name + change for name in names]
        return [subject + change] * len(group)
    if len(state.last_members) == len(group):
        return list(state.last_members)
    if len(labelled) >= len(group):
        return [item.metric for item in labelled[-len(group) :]]
    return []


__all__ = ["LabelledFigure", "ParagraphState", "label_sentence"]
