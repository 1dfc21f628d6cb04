"""The metric of a figure: the short noun phrase, taken from its sentence, that the figure measures.

metric_for applies METRIC_RULES in order and the first that answers names the figure; roughly:
- `约占全市的` / `基础研究经费约占`: a share names its denominator;
- `提前一个月完成全年任务`, `工程用时一个半月`: a duration names what it offsets or what it took;
- `3650.3万亿元的金融市场成交额`: the noun phrase after 的;
- `50个备案大模型`: a count unit followed by the counted noun;
- `集装箱吞吐量5150.6万标箱`: the phrase before the figure, trimmed of time, place, discourse words
  and the verb that links it to the figure (达到, 为, 突破 …; phrases.py does the trimming);
- `同比增长5.2%`: nothing left before the figure, so the subject of the previous figure is reused.
A 分别 list pairs each figure with its member of the enumeration before any of this (labelling.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from etl.extract import phrases

# 提前一个月完成: the duration is an offset; the metric is the offset verb and what was done
_OFFSET_TAIL = re.compile(r"(?:提前|提早|推迟|延迟|延后)$")
_GROWTH_TAIL = re.compile(rf"(?P<verb>{phrases.GROWTH_VERB})$")
# 与 compares only in 与…相比 / 与…持平; otherwise it joins nouns (研究与试验发展经费, 文化与旅游产业)
_COMPARISON = re.compile(
    r"(?:(?<!占)比(?![重例])|较|与(?=[^，,。；;与]{1,10}(?:相比|相较|持平))|高于|低于|快于|慢于)[^，,。；;]{0,12}$"
    r"|同比|环比"
)
# 比全国高 / 高于全国: a gap to a comparison base; the figure belongs to the subject before it
_GAP_TO_BASE = re.compile(
    r"^(?:(?:比|较)[^，,。；;]{1,10}(?:高|低|快|慢|多|少)|(?:高于|低于|快于|慢于)[^，,。；;]{1,10})$"
)
# The verb by which a place holds what it counts (已集聚, 已投用, 建成): not part of what later rates measure
_HOLDING_VERB_PREFIX = re.compile(
    r"^(?:[^，,的]{0,6}?(?:已经|已|累计|共))?"
    r"(?:集聚|聚集|汇聚|投用|投运|落户|入驻|拥有|建有|建成|培育|引进|开通|布局|打造)(?=[\u4e00-\u9fff]{2})"
)
# A phrase starting with these describes a figure's relation to something else, not what later figures
# of the sentence measure
_NOT_A_SUBJECT = ("完成", "达成", "实现", "超过", "高于", "低于", "比", "较")
# 增速 only names the change of whatever the sentence is about; it is not a subject to pass on
_RATE_WORDS = ("增速", "增幅", "降幅", "比重", "占比")
# 药品集采已开展10批: a light verb after the subject says only that the counted thing took place
_LIGHT_VERB_ENDINGS = ("开展", "进行", "实施", "举办", "了")
_LIGHT_VERB_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{4})(?:已经|已)?(?:开展|进行|实施|举办)了?$")
_SHARE = re.compile(r"占(?P<base>[^，,。；;占]*?)(?P<de>的)?(?P<ratio>比重|比例)?$")
_ACTOR_VERB = re.compile(r"参展|参会|参赛|入驻|落户|签约|参加|参与|报名|入选|获批")
_FINAL_VERB = re.compile(r"(落地|上市|投产|运行|开业)(?=[，,。；;]|$)")
_LOCATED_AT = re.compile(r"^位于[^的]{0,12}的")
# 工业投资由上半年的下降2.1%转为前三季度增长8.2%: the frame of a turn (由…的, 转为) says when, not what
_TURN_FROM = re.compile(r"(?:由|从)[^，,。；;由从的]{1,10}的(?=[^，,。；;的]*$)")
_TURN_TO = re.compile(r"^(?:转为|转而|转向|变为)")


@dataclass(frozen=True, slots=True)
class MetricContext:
    """What the metric rules see of a figure."""

    before: str  # from the clause start (or the previous figure) to the qualifier before the number
    after: str  # from the end of unit and qualifier to the clause end
    unit: str
    is_count: bool
    is_duration: bool
    previous_subject: str  # subject of the previous figure in the paragraph, "" if none
    previous_points_metric: str = ""  # metric of the last 百分点 figure: 加快0.1个百分点，高于全国0.4个百分点
    next_clause: str = ""  # the clause after the figure's, for a bare duration (仅仅38天，…从毛坯到拎包入住)
    takes_noun: bool = False  # 1200多亩地, 10余万亩沙化土地: a measure that may be followed by its noun


@dataclass(frozen=True, slots=True)
class MetricResult:
    metric: str
    subject: str  # what later figures in the sentence inherit ("" keeps the previous subject)
    consumed_after: int  # characters of `after` used by the metric (the counted noun)


def _share(before: str, previous_subject: str) -> tuple[str, str] | None:
    """A share names its denominator: `约占全市的` -> 占全市, `实物商品网上零售额约占…的` ->
    实物商品网上零售额占…的比重, `基础研究经费约占` -> 基础研究经费占比. Returns (metric, subject)."""
    if before.endswith("占比"):
        return before, before
    m = _SHARE.search(before)
    if m is None or m.group("base").startswith(("比", "用", "地", "有")):
        return None
    owner = before[: m.start()]
    base = m.group("base")
    if not base:
        owner = owner or previous_subject
        return owner + "占比", owner + "占比"
    if not owner:
        written = ((m.group("de") or "") + m.group("ratio")) if m.group("ratio") else ""
        metric = "占" + base + written
        full = (previous_subject + "占" + base + "的比重") if previous_subject else metric
        return metric, full
    ratio = m.group("ratio") or ""
    written = (m.group("de") or "") + ratio if ratio else "的比重"
    metric = owner + "占" + base + written
    return metric, metric


_ABSTRACT_SUBJECTS = ("经济", "物价", "全年经济")
_AVERAGE_WORDS = ("日均", "月均", "年均", "周均", "平均")
_ACCUMULATED = re.compile(r"累计|共")


def _growth(core_text: str) -> tuple[str, str, str]:
    """Split `国内生产总值同比增长` into (国内生产总值, 同比, 增长): the figure is the change of the subject,
    measured against the base in the middle."""
    m = _GROWTH_TAIL.search(core_text)
    if m is None:
        return core_text, "", ""
    head = core_text[: m.start()].removesuffix("分别")
    comparison = _COMPARISON.search(head)
    subject = phrases.TRAILING_ADVERB.sub("", _COMPARISON.sub("", head))
    base = comparison.group() if comparison is not None and comparison.end() == len(head) else ""
    return subject, base, m.group("verb")


def _change_metric(level: str, base: str, verb: str, unit: str) -> str:
    """The metric of a change stated as an amount names the level and says it is the change, as the
    house rules label growth rows: 粮食总产量比上年增加 (3.6亿斤), 进出口总值增加 (930亿元). An amount in
    the level's own unit would otherwise read as the level. A rate or a gap (增长8.5%, 提高1.8个百分点)
    is a change by its unit, and keeps the level's metric."""
    if not verb or not level or level.endswith(verb) or unit in _RATE_UNITS:
        return level
    # 较2024年国庆节假期7天增加: the length of the holiday frames the base, it is not part of it
    return level + _BASE_FRAME_DURATION.sub("", base) + verb


_LIST_CHANGE_TAIL = re.compile(
    rf"(?P<base>(?:比|较)[^，,。；;、]{{1,10}}?|同比|环比)?分别(?P<base_after>(?:比|较)[^，,。；;、]{{1,10}}?)?"
    rf"(?P<verb>{phrases.GROWTH_VERB})了?(?:约|近|超过?|逾)?$"
)


def list_change_suffix(lead: str, unit: str) -> str:
    """`…分别比上年增加` -> 比上年增加: what each member of a 分别 list of changes appends to its name, so the
    members say they are changes (nothing for a rate, which is a change by its unit)."""
    m = _LIST_CHANGE_TAIL.search(lead)
    if m is None or unit in _RATE_UNITS:
        return ""
    base = m.group("base") or m.group("base_after") or ""
    return _change_metric("_", base, m.group("verb"), unit)[1:]


_RATE_UNITS = ("%", "百分点", "倍", "‰", "基点", "点")
_BASE_FRAME_DURATION = re.compile(r"[0-9０-９一二两三四五六七八九十]+天$")


# 其中12项实现提前竣工, 已有186个完成改造: a count whose noun stays behind (in the subject before) and
# whose clause goes on with what those counted did
_SUBSET_OPENERS = ("", "有", "已有", "另有", "共有", "还有")
_SUBSET_PREDICATE = re.compile(
    r"(?:已经|已|均|都|先后|陆续|相继|率先|全部|提前)?"
    r"(?:实现|完成|建成|通过|获得|获评|入选|开展|开通|达到|达标|纳入|接入|启用|投用|投产|开工|竣工|开放|上线|落地|"
    r"取得|进入|签约|验收|列入|被评为|被认定为|改造|修缮)"
)
_UNIT_NOUNS = {"项": "项目"}


def _subset_metric(ctx: MetricContext) -> MetricResult | None:
    """其中42家实现免费开放 -> 实现免费开放的博物馆: the predicate, then the noun it is said of: the noun
    right after the figure (120个项目建成投产), else the subject of the figure before (推进重点项目 ->
    重点项目), else the noun the unit stands for (项 -> 项目)."""
    clause = phrases.clause_rest(ctx.after)
    predicate = _SUBSET_PREDICATE.search(clause)
    if predicate is None or predicate.start() > 8:
        return None
    noun = clause[: predicate.start()]
    what = clause[predicate.start() :]
    if not noun:
        previous = ctx.previous_subject
        action = _ACTION_PREFIX.match(previous)
        cut = phrases.leading_verb(previous) or (action.group() if action else "") if previous else ""
        noun = previous[len(cut) :] if cut and len(previous) > len(cut) + 1 else previous
        noun = noun or _UNIT_NOUNS.get(ctx.unit, "")
    metric = what + "的" + noun if noun else what
    return MetricResult(metric, "", len(clause))


# 排查老旧小区320个，已有186个完成改造: the verb of the whole count is not part of the subset's noun
_ACTION_PREFIX = re.compile(
    r"^(?:排查|摸排|推进|实施|建设|新建|改造|认定|培育|引进|储备|谋划|安排|启动|新增|累计|梳理|评定|遴选|登记|普查)"
)


def _duration_metric(ctx: MetricContext, trimmed: str, took: bool) -> MetricResult | None:
    """提前一个月完成全年任务 -> 提前完成全年任务; 工程用时一个半月 -> 工程用时;
    开业不到半年的民宿 -> 开业."""
    rest = phrases.clause_rest(ctx.after).lstrip("就才便即")
    offset = _OFFSET_TAIL.search(trimmed)
    if offset is not None:
        return MetricResult(offset.group() + rest, "", 0)
    if took and trimmed:
        return MetricResult(phrases.balanced(trimmed) + "用时", "", 0)
    if trimmed and ctx.after.startswith("的") and not phrases.HEAD_NOUNS.search(trimmed):
        return MetricResult(
            phrases.balanced(trimmed), "", 0
        )  # the 的-noun after is what lasted, not what was measured
    if rest.startswith(("实现", "完成", "刷新")) and not trimmed:
        return MetricResult(rest, "", 0)  # 三天就完成了八成以上的收获任务
    return None


class _Phrase:
    """The phrase before a figure, trimmed, and what the later rules read from it (each reading is
    computed when a rule first asks for it)."""

    def __init__(self, ctx: MetricContext) -> None:
        self.ctx = ctx
        before = _TURN_TO.sub("", _TURN_FROM.sub("", ctx.before))
        trimmed, self.took = phrases.strip_trailing(before)
        if not ctx.is_duration and trimmed.endswith(_LIGHT_VERB_ENDINGS):
            trimmed = _LIGHT_VERB_TAIL.sub("", trimmed)  # 实施两年多 keeps its verb; 已开展10批 does not
        self.trimmed = phrases.drop_examples(phrases.strip_leading(trimmed))

    @functools.cached_property
    def rest(self) -> str:
        """The rest of the figure's clause after it."""
        return phrases.clause_rest(self.ctx.after)

    @functools.cached_property
    def gap_only(self) -> bool:
        """比全国高 / 高于全国: the phrase only states the gap to a comparison base."""
        return _GAP_TO_BASE.match(self.trimmed) is not None

    @functools.cached_property
    def _change(self) -> tuple[str, str, str]:
        subject, base, verb = _growth(phrases.from_predicate("" if self.gap_only else self.trimmed))
        subject = subject.strip("，,、 ")
        if subject in _ABSTRACT_SUBJECTS and verb:
            subject += verb  # 全年经济增长1.0%: 经济 alone names no quantity
        previous = self.ctx.previous_subject
        if subject in _AVERAGE_WORDS and previous:
            # …边检机关累计查验出入境人员1886.8万人次，日均235.9万人次: the average of the same activity
            subject += _ACCUMULATED.split(previous)[-1]
        return subject, base, verb

    @property
    def subject(self) -> str:
        """What the figure is of, once a change verb and its comparison base are cut off."""
        return self._change[0]

    @property
    def base(self) -> str:
        return self._change[1]

    @property
    def verb(self) -> str:
        return self._change[2]


@dataclass(frozen=True, slots=True)
class MetricRule:
    """One way to name a figure; it answers None when it does not apply."""

    name: str
    apply: Callable[[MetricContext, _Phrase], MetricResult | None]


def _share_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    share = _share(p.trimmed, ctx.previous_subject)
    return MetricResult(share[0], share[1], 0) if share is not None else None


def _duration_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    return _duration_metric(ctx, p.trimmed, p.took) if ctx.is_duration else None


def _noun_after_de_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    de = phrases.noun_after_de(ctx.after)
    if de is None or (ctx.is_count and de[1]):
        return None  # 11家单位共同组建的企业: the counted noun comes first
    noun, gap, used = de
    trimmed = p.trimmed
    if trimmed and phrases.HEAD_NOUNS.search(trimmed):
        return MetricResult(trimmed, trimmed, 0)
    verb = phrases.leading_verb(trimmed) if trimmed else None
    metric = (verb + noun) if verb else noun + (gap if not gap.startswith("连续") else "")
    return MetricResult(metric, noun, used)


def _subset_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    return _subset_metric(ctx) if ctx.is_count and p.trimmed in _SUBSET_OPENERS else None


def _counted_noun_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    trimmed = p.trimmed
    completes = trimmed.endswith(("完成", "实现", "达成"))  # 完成了8500多万亩小麦的收获任务
    governed = not trimmed or completes or phrases.leading_verb(trimmed) is not None
    if not (ctx.is_count or (ctx.takes_noun and governed)):
        return None
    noun, used = phrases.counted_noun_with_length(ctx.after)
    if not noun:
        return None
    verb = phrases.leading_verb(trimmed) if trimmed else None
    if verb and ctx.before.endswith("的"):
        return MetricResult(verb + "的" + noun, "", used)  # 他流转的1200多亩地 -> 流转的地
    if verb:
        final_verb = _FINAL_VERB.match(ctx.after[used:])
        return MetricResult(verb + noun + (final_verb.group() if final_verb else ""), "", used)
    short_actor = _ACTOR_VERB.match(ctx.after, used) if len(noun) <= 2 else None
    if short_actor:  # 1022家企业参展: a bare noun says more with the verb it does
        return MetricResult(noun + short_actor.group(), "", used)
    return MetricResult(noun, "", used)


def _achieved_in_duration_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    if ctx.is_duration and p.rest and p.trimmed.endswith("实现"):
        return MetricResult(p.rest, "", len(p.rest))  # 实现1066秒稳态长脉冲高约束模等离子体运行
    return None


def _done_within_duration_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    if ctx.is_duration and p.rest.startswith(("实现", "完成", "刷新")):
        return MetricResult(p.rest, "", len(p.rest))  # 172天实现100%旧改签约
    return None


def _share_of_what_follows_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    rest = p.rest
    if rest and ctx.unit == "%" and (not p.trimmed or p.trimmed in ("实现", "完成", "达成")):
        # 100%自主签约; 约七成为中小企业: the copula after a share only links it to what it counts
        named = rest[1:] if rest.startswith(("为", "是")) and len(rest) > 2 else rest
        return MetricResult(named, "", len(rest))
    return None


def _gap_in_points_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    if p.gap_only and ctx.unit == "百分点" and ctx.previous_points_metric:
        return MetricResult(ctx.previous_points_metric, "", 0)  # …加快0.1个百分点，高于全国0.4个百分点
    return None


def _multiple_of_earlier_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    if p.subject.startswith("是") and ctx.unit in ("倍", "%") and ctx.previous_subject:
        return MetricResult(ctx.previous_subject, "", 0)  # …14.8件，是“十三五”末的2.5倍
    return None


def _streak_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    if not p.subject.endswith("连续"):
        return None
    # 为连续两个月增长: 为 only links
    base = phrases.strip_trailing(p.subject.removesuffix("连续"))[0] or ctx.previous_subject
    return MetricResult(base + phrases.clause_rest(ctx.after), base, 0)


def _took_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    return MetricResult(p.subject + "用时", p.subject, 0) if p.took else None


def _subject_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    subject = p.subject
    if not subject:
        return None
    inherited = "" if subject.startswith(_NOT_A_SUBJECT) or subject in _RATE_WORDS else subject
    # 园区已集聚生物医药企业560家，同比增长12%: the change is of the firms, not of the gathering
    inherited = _HOLDING_VERB_PREFIX.sub("", inherited)
    metric = phrases.balanced(subject)
    return MetricResult(_change_metric(metric, p.base, p.verb, ctx.unit), inherited, 0)


def _previous_subject_rule(ctx: MetricContext, p: _Phrase) -> MetricResult | None:
    if not ctx.previous_subject:
        return None
    return MetricResult(_change_metric(ctx.previous_subject, p.base, p.verb, ctx.unit), "", 0)


def _rest_of_clause_rule(ctx: MetricContext, p: _Phrase) -> MetricResult:
    rest = p.rest
    if not rest and ctx.is_duration:
        rest = phrases.balanced(_LOCATED_AT.sub("", ctx.next_clause))
    return MetricResult(rest or p.verb, "", 0)


METRIC_RULES: tuple[MetricRule, ...] = (
    MetricRule("share", _share_rule),
    MetricRule("duration", _duration_rule),
    MetricRule("noun-after-de", _noun_after_de_rule),
    MetricRule("subset", _subset_rule),
    MetricRule("counted-noun", _counted_noun_rule),
    MetricRule("achieved-in-duration", _achieved_in_duration_rule),
    MetricRule("done-within-duration", _done_within_duration_rule),
    MetricRule("share-of-what-follows", _share_of_what_follows_rule),
    MetricRule("gap-in-points", _gap_in_points_rule),
    MetricRule("multiple-of-earlier", _multiple_of_earlier_rule),
    MetricRule("streak", _streak_rule),
    MetricRule("took", _took_rule),
    MetricRule("subject", _subject_rule),
    MetricRule("previous-subject", _previous_subject_rule),
    MetricRule("rest-of-clause", _rest_of_clause_rule),  # always answers
)


def metric_for(ctx: MetricContext) -> MetricResult:
    """The metric of a figure: the answer of the first rule in METRIC_RULES that applies."""
    phrase = _Phrase(ctx)
    for rule in METRIC_RULES:
        result = rule.apply(ctx, phrase)
        if result is not None:
            return result
    raise AssertionError("the last metric rule always answers")
