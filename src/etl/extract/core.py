"""Ties the grammar together: find figures, drop the ones that are dates or names, attach qualifier,
metric, period and region, and pair 分别 lists."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from etl.extract import metrics as metric_rules
from etl.extract.numbers import (
    ARABIC,
    MAGNITUDE,
    MORE_THAN,
    NUMBER,
    ParsedNumber,
    chinese_to_int,
    parse_number,
)
from etl.extract.periods import Period, PeriodResolver, TimeReference, find_time_references, period_at
from etl.extract.qualifiers import clause_approx, combine, prefix_qualifier, suffix_qualifier
from etl.extract.regions import region_between, region_mentions
from etl.extract.sentences import Span, clause_end, paragraph_starts, split_sentences
from etl.extract.units import UNIT_ALTERNATION, UNIT_FOLD, WORD_CONTINUATIONS, UnitKind, UnitSpec, unit_spec
from etl.models import Indicator, Qualifier

_NUMERAL_CHARS = "〇零一二两三四五六七八九十百千"
INDICATOR_PATTERN = re.compile(
    rf"(?<![0-9０-９.．A-Za-z{_NUMERAL_CHARS}])"
    rf"(?:(?P<denominator>[{_NUMERAL_CHARS}]+)分之(?P<numerator>[{_NUMERAL_CHARS}]+)(?P<fraction_more>[余多强])?"
    rf"|(?P<number>{NUMBER}|(?<![上下前后大小多一])半(?=个?(?:月|小时|年|天)))"
    rf"(?P<inner>{MORE_THAN})?(?P<magnitude>{MAGNITUDE})?(?P<outer>{MORE_THAN})?"
    rf"(?P<unit>{UNIT_ALTERNATION})?(?P<half>(?<=[年天])半)?(?P<fold>{UNIT_FOLD})?"
    r"(?P<trail>[余多](?=[来了的，,。；;、）)]|$))?)"
)
_RANGE_BEFORE = re.compile(r"[0-9０-９一二两三四五六七八九十][—–\-~～至到]$")
_RANGE_MARKS = "—–-~～至到"
_UNIT_RANGE_BEFORE = re.compile(
    rf"(?:{ARABIC}|[{_NUMERAL_CHARS}半]+)(?:{MAGNITUDE})?(?P<unit>{UNIT_ALTERNATION})[—–\-~～至到]$"
)
_RANGE_AFTER = re.compile(r"^[—–\-~～至到][0-9０-９一二三四五六七八九十]")
_WINDOW_AFTER = re.compile(r"^(?:内|以内|之内)")
_RELATIVE_BEFORE = re.compile(r"(?:后|(?<!提)前|每|第|每隔)$")
# A sentence that lays down a rule rather than reporting a fact (须 / 需 / 应当 / 方可)
_PRESCRIPTIVE = re.compile(r"须|需(?!求|要)|必须|应当|应在|应于|不得|方可")
_FORECAST_BEFORE = re.compile(r"预计|预测|有望|预期目标|主要目标是|到(?:19|20)\d{2}年[^。；;]*?将")
# A cap or a quota is a rule too (每日限流4万人, 限购2套)
_CAP_BEFORE = re.compile(r"(?:限流|限购|限行|限额|限量|限报|限载|上限为?|最多可)$")
# A clause that states a plan or a forecast
_PLANNED = re.compile(
    r"力争|(?<![模虚])拟|计划(?!单列)|预计|有望|目标是|将达到?|将超过?|将突破|将保持|将在|将增长|将提高|建成后|投产后|"
    r"竣工后|届时"
)
_DURATION_FOLLOWERS = re.compile(
    r"^(?:[的了来就才即便，,。；;、：:）)”’！？!?\n]|$|左右|以上|上下|多|余|实现|完成|建成|刷新|创造|收官|完工|"
    r"交付|走完|通车|投产|落地|排名|位居|保持|稳定|稳居|居|全球第|世界第|全国第|蝉联|缩短|延长|减少|压缩|提前)"
)
# A duration after these is what the sentence reports (实现1066秒…运行, 为期6天)
_DURATION_REPORTED_BEFORE = re.compile(
    r"(?:实现|达到|突破|创下|持续|历时|长达|为期|运行|用时|仅用|用了|提前|推迟|缩短|延长)$"
)
_CRITERION_BEFORE = re.compile(r"(?:不满|未满|(?<![已])满)$")
# A duration after these frames another figure (元旦假期3天，全国铁路累计发送旅客…)
_DURATION_FRAME_BEFORE = re.compile(r"(?:假期|期间|长假|黄金周|假日)$")
_MEASURE_FOLLOWERS = re.compile(
    r"^(?:[的了，,。；;、：:）)”’！？!?\n]|$|左右|以上|上下|以下|多|余|长|宽|高|深)"
)
_CHENG_AS_VERB = re.compile(r"[为立功交本果员绩效都长熟品就]")
_AGE_REPORTED_FOLLOWERS = re.compile(r"^(?:左右|以上|以下|上下)?(?:[了，,。；;、：:）)”’！？!?\n]|$)")
_RECENT_BEFORE = re.compile(r"(?:近|过去|最近|这|此前|未来)$")
_FRAME_AFTER = re.compile(r"^(?:[，,来间里中]|以来)")
_PHONE_BEFORE = re.compile(r"(?:拨打|热线|电话|致电)$")
_DIRECTION_BEFORE = re.compile(r"(?:突破|超过|超|逾|近|约|达到|达|不足|不到)$")
_IMPLIED_MONEY = re.compile(
    r"估值|市值|资金|投资|收入|营收|产值|总值|总额|金额|成交额|销售额|营业额|GDP|"
    r"生产总值|融资|募资|资产|利润|税收|消费|基金|贷款"
)
_IMPLIED_PEOPLE = re.compile(r"人口|人数$")
_IMPLIED_VISITS = re.compile(r"(?:人次|游客|旅客|乘客|客流量?)$")
_POPULATION_AFTER = re.compile(r"[\u4e00-\u9fff]{0,6}?人口")
_SMALL_PROSE_KINDS = (UnitKind.DURATION, UnitKind.RATIO)
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
_CODE_CHAR = re.compile(r"[A-Za-z0-9]")
_TWO_DIGITS = re.compile(r"[一二两三四五六七八九]{2}")
_ZERO_DIGIT = re.compile("[〇零]")
_DIGIT = re.compile(r"[0-9０-９]")
_RATE_HEAD = re.compile(r"[率额值]|比例|比重|占比|指数|浓度|均价")
# 研发经费超过千亿元的省（市）有12个: the figure is the threshold of a class that is then counted
_THRESHOLD_AFTER = re.compile(r"(?:以上|以下)?的[^，,。；;的]{1,10}?有[0-9０-９一二两三四五六七八九十]")
_AMONG_AFTER = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:之中|当中|中)[，,]")
_SAMPLE_BEFORE = re.compile(r"(?:监测|调查|抽样|样本|统计)的?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MEMBER_SEPARATOR = re.compile(r"、|以及|和|及|与")
_YEAR_ON_YEAR_TAIL = re.compile(r"(?:同比|环比)$")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Figures and the connectives around them, removed from an earlier clause before it is read as a subject
_FIGURE_TEXT = re.compile(r"[约近超逾达为]*[0-9０-９.．,]+[\u4e00-\u9fff%％‰]{0,4}")
# Last resort for a metric: the word for what a unit measures
_UNIT_CATEGORY = {
    "人次": "人次",
    "架次": "架次",
    "车次": "车次",
    "辆次": "辆次",
    "艘次": "艘次",
    "乘次": "乘次",
    "千瓦时": "电量",
    "千瓦": "装机容量",
    "百分点": "变动",
    "倍": "倍数",
    "岁": "年龄",
}
_KIND_CATEGORY = {
    UnitKind.MONEY: "金额",
    UnitKind.PEOPLE: "人数",
    UnitKind.COUNT: "数量",
    UnitKind.FREIGHT: "吞吐量",
    UnitKind.WEIGHT: "重量",
    UnitKind.AREA: "面积",
    UnitKind.VOLUME: "体积",
    UnitKind.DISTANCE: "长度",
    UnitKind.DURATION: "时长",
    UnitKind.VEHICLE: "数量",
    UnitKind.ENERGY: "电量",
    UnitKind.RATIO: "比例",
    UnitKind.AGE: "年龄",
    UnitKind.CONCENTRATION: "浓度",
    UnitKind.RATE: "速率",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """A matched number with unit, before metric/period/region are attached."""

    value: float
    unit: str
    kind: UnitKind | None
    qualifier: Qualifier
    raw_start: int
    raw_end: int
    context_start: int  # start of the qualifier before the number (or raw_start)
    context_end: int  # end of the qualifier after the unit (or raw_end)


@functools.cache
def _continuations(surface: str) -> tuple[str, ...]:
    """Words that begin with the unit and run past it (人 -> 人间, 人社): the unit is part of a word."""
    return tuple(w for w in WORD_CONTINUATIONS if w.startswith(surface) and len(w) > len(surface))


def _unit_of(m: re.Match[str]) -> UnitSpec | None:
    return unit_spec(m.group("unit")) if m.group("unit") else None


def _fraction_figure(m: re.Match[str], text: str, clause_begin: int) -> Figure | None:
    """四分之一 -> 25 %: a fraction is a share."""
    denominator = chinese_to_int(m.group("denominator"))
    numerator = chinese_to_int(m.group("numerator"))
    if denominator == 0 or numerator > denominator:
        return None
    value = Decimal(numerator) / Decimal(denominator) * 100
    prefix, prefix_len = prefix_qualifier(text[max(clause_begin, m.start() - 4) : m.start()])
    suffix, suffix_len = suffix_qualifier(text[m.end() : m.end() + 2])  # 三分之一以上
    qualifier = combine(
        prefix=prefix,
        suffix=suffix,
        more_than=bool(m.group("fraction_more")),
        several=False,
        round_figure=False,
        approx_in_clause=clause_approx(text[clause_begin : m.start()]),
    )
    return Figure(
        value=float(round(value, 9)),
        unit="%",
        kind=UnitKind.RATIO,
        qualifier=qualifier,
        raw_start=m.start(),
        raw_end=m.end(),
        context_start=m.start() - prefix_len,
        context_end=m.end() + suffix_len,
    )


def _inside_quoted_name(text: str, start: int, end: int) -> bool:
    """`“15分钟社区生活圈”`: a short quotation around the figure is a name, not a report."""
    opening = text.rfind("“", max(0, start - 12), start)
    if opening < 0 or "”" in text[opening:start]:
        return False
    closing = text.find("”", end, end + 12)
    if closing < 0:
        return False
    quoted = text[opening + 1 : closing]
    return not any(ch in quoted for ch in "，,。；;！？")


def _is_date_or_name(text: str, m: re.Match[str], spec: UnitSpec | None, parsed: ParsedNumber) -> bool:
    number = m.group("number")
    before = text[max(0, m.start() - 2) : m.start()]
    unit_start = m.start("unit") if m.group("unit") else m.end()
    if spec is not None and any(text.startswith(word, unit_start) for word in _continuations(spec.surface)):
        return True
    if before.endswith("第") or _RANGE_BEFORE.search(before) or _opens_range(text, m, spec):
        return True
    if spec is not None and _closes_range(text, m.start(), spec):
        return True
    if (spec is None or spec.surface.isascii()) and _CODE_CHAR.match(text, m.end()):
        return True  # 5G, 4K: a code
    if not m.group("magnitude") and _PHONE_BEFORE.search(text[max(0, m.start() - 3) : m.start()]):
        return True  # 拨打12333: a hotline (拦截诈骗电话16亿次 is a count)
    if spec is not None and spec.kind is UnitKind.MONEY and text.startswith(("对", "兑"), m.end()):
        return True  # 1欧元对人民币8.2156元: the base of an exchange rate
    if spec is not None and spec.surface == "年":
        is_year = (
            number.isdigit()
            and len(number) == 4
            and 1000 <= int(number) <= 2100
            and not m.group("magnitude")
            and not m.group("inner")
        )
        spelled_year = "〇" in number or "零" in number
        if is_year or spelled_year or text.startswith(("年底", "年末", "年初"), unit_start):
            return True
    return parsed.chinese and not m.group("magnitude") and spec is None


def _has_half(m: re.Match[str]) -> bool:
    return bool(m.group("half")) or "半" in (m.group("unit") or "")


def _reported_duration(text: str, m: re.Match[str], spec: UnitSpec | None) -> bool:
    """提前一个月, 历时一年半: a duration of one is a figure when the verb before it reports it."""
    if spec is None or spec.kind is not UnitKind.DURATION:
        return False
    return (
        _has_half(m) or _DURATION_REPORTED_BEFORE.search(text, max(0, m.start() - 4), m.start()) is not None
    )


def _opens_range(text: str, m: re.Match[str], spec: UnitSpec | None) -> bool:
    """5至8个 / 30分钟至1小时: the lower end of a range. 增长4.2%至9.2万亿日元 is a change and its result:
    the figure after 至 measures something else, so neither is a range."""
    if text[m.end() : m.end() + 1] not in _RANGE_MARKS or not _RANGE_AFTER.match(text[m.end() : m.end() + 2]):
        return False
    upper = INDICATOR_PATTERN.match(text, m.end() + 1)
    upper_unit = upper.group("unit") if upper is not None and upper.group("number") else None
    if spec is None or not upper_unit:
        return True
    return unit_spec(upper_unit).kind is spec.kind


def _closes_range(text: str, start: int, spec: UnitSpec) -> bool:
    """30分钟至1小时: the upper end of a range whose lower end carries its own unit of the same kind."""
    if start == 0 or text[start - 1] not in _RANGE_MARKS:
        return False
    lower = _UNIT_RANGE_BEFORE.search(text, max(0, start - 14), start)
    return lower is not None and unit_spec(lower.group("unit")).kind is spec.kind


def _rejected_shape(text: str, m: re.Match[str], spec: UnitSpec | None, parsed: ParsedNumber) -> bool:
    """Shapes that are never a reported figure on their own."""
    number = m.group("number")
    more_than = bool(m.group("inner") or m.group("outer") or m.group("trail"))
    ratio = spec is not None and spec.kind is UnitKind.RATIO
    if number == "一" and not (
        m.group("magnitude") or more_than or ratio or _reported_duration(text, m, spec)
    ):
        return True  # 一张床位, 一座座: the article "a"
    if parsed.chinese and _TWO_DIGITS.search(number) and not _ZERO_DIGIT.search(number):
        return True  # 四五百元: a vague range, no single value
    if number.startswith("数") and len(number) == 1 and not m.group("magnitude"):
        return True  # 数家: "several", no figure
    directed = _DIRECTION_BEFORE.search(text[max(0, m.start() - 2) : m.start()]) is not None
    if parsed.round_figure and not (m.group("magnitude") or more_than or directed):
        return True  # 百家争鸣, 千家万户, 百年: idioms (突破百颗 is a figure)
    if spec is not None and spec.chinese_only and not parsed.chinese:
        return True
    if spec is not None and spec.surface == "成" and _CHENG_AS_VERB.match(text, m.end()):
        return True  # 5成为 / 3成交: 成 starts a word
    small_prose = parsed.chinese and parsed.value < 10 and not (m.group("magnitude") or more_than or directed)
    return bool(small_prose and spec is not None and spec.kind not in _SMALL_PROSE_KINDS)


def _attributive(text: str, m: re.Match[str], spec: UnitSpec | None) -> bool:
    """`7天健康监测`, `1米线`, `步行5分钟可达`: a duration or distance describing something else."""
    if spec is None:
        return False
    following = text[m.end() : m.end() + 4]
    if _WINDOW_AFTER.match(following):
        return True  # 48小时内: a time window
    preceding = text[max(0, m.start() - 4) : m.start()]
    if spec.kind is UnitKind.DURATION:
        if _CRITERION_BEFORE.search(preceding):
            return True  # 工作不满5年的青年人才: an eligibility rule
        if preceding.endswith("连续") or _DURATION_REPORTED_BEFORE.search(preceding):
            return False
        if _RELATIVE_BEFORE.search(preceding) or _DURATION_FRAME_BEFORE.search(preceding):
            return True
        if _RECENT_BEFORE.search(preceding) and _FRAME_AFTER.match(following):
            return True  # 近5年，全市累计新增…: the window over which another figure was counted
        return _DURATION_FOLLOWERS.match(following) is None
    if spec.kind is UnitKind.AGE:
        # 72岁的老党员, 60岁以上老人: an age that describes a person or a group
        return _AGE_REPORTED_FOLLOWERS.match(following) is None
    if spec.kind in (UnitKind.DISTANCE, UnitKind.ENERGY):
        return _MEASURE_FOLLOWERS.match(following) is None  # 1米线, 5兆瓦风机
    return False


def _group_descriptor(text: str, m: re.Match[str], spec: UnitSpec | None, clause_stop: int) -> bool:
    """`31个大城市城镇调查失业率为5.0%`: the count names the group a later figure is measured over."""
    if spec is None or spec.kind is not UnitKind.COUNT:
        return False
    rest = text[m.end() : clause_stop]
    later = _DIGIT.search(rest)
    between = rest[: later.start()] if later else ""
    if _AMONG_AFTER.match(text, m.end(), clause_stop + 1):
        return True  # 70个大中城市中，…有52个: the population a later count is taken from
    if later is None:
        return False
    # 纳入监测的88个乡村旅游点接待游客…: a monitored sample is the group, its count is not the news
    if _SAMPLE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return True
    return "、" not in between and _RATE_HEAD.search(between) is not None


def _implied_unit(text: str, m: re.Match[str], clause_begin: int) -> UnitSpec | None:
    """`估值千亿`: a magnitude without a unit takes the unit its subject implies."""
    if not m.group("magnitude"):
        return None
    if _CJK.match(text[m.end() : m.end() + 1] or "。") and text[m.end()] not in "级左上以":
        # 近1亿农村贫困人口: the population noun right after the figure names the unit
        return unit_spec("人") if _POPULATION_AFTER.match(text, m.end(), m.end() + 10) else None
    before, _ = metric_rules.strip_trailing(text[clause_begin : m.start()])
    if _IMPLIED_MONEY.search(before):
        return unit_spec("元")
    if _IMPLIED_VISITS.search(before):
        return unit_spec("人次")  # 观影人次逾4500万, 总诊疗人次达101.5亿
    if _IMPLIED_PEOPLE.search(before):
        return unit_spec("人")
    return None


def _in_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(spans, (start, 10**9)) - 1
    return i >= 0 and spans[i][1] > start and spans[i][0] < end


def _inner_parenthesis_start(text: str, closing: int, floor: int) -> int | None:
    """Start of the parenthesis closed at `closing` when it is short, inside one clause and attached to a
    word on both sides (执业（助理）医师); None for a trailing aside such as （间） or （记者…）."""
    opening = max(
        text.rfind("（", max(floor, closing - 10), closing),
        text.rfind("(", max(floor, closing - 10), closing),
    )
    if opening <= floor or any(ch in "，,；;。！？!?\n" for ch in text[opening:closing]):
        return None
    return opening if _CJK.match(text, opening - 1) else None


@functools.lru_cache(maxsize=4096)
def _clause_begin(text: str, position: int, floor: int) -> int:
    """Start of the clause before `position`; 、 joins list members so it does not end a clause, and an
    opening quote ends it only if the quotation is still open at `position`."""
    i = position
    closed_quotes = 0
    while i > floor:
        ch = text[i - 1]
        if ch in "）)":
            opening = _inner_parenthesis_start(text, i - 1, floor)
            if opening is None:
                break
            i = opening  # 研究与试验发展（R&D）经费: a short parenthesis inside the phrase belongs to it
            continue
        if ch in "，,；;：:。！？!?\n" or text.startswith("——", i - 2):
            break
        if ch == "”":
            closed_quotes += 1
        elif ch == "“":
            if closed_quotes == 0:
                break
            closed_quotes -= 1
        i -= 1
    return i


def find_figures(text: str, sentence: Span, time_spans: list[tuple[int, int]]) -> list[Figure]:
    figures: list[Figure] = []
    sentence_text = text[sentence.start : sentence.end]
    prescriptive = _PRESCRIPTIVE.search(sentence_text) is not None
    forecast = _FORECAST_BEFORE.search(sentence_text)
    forecast_from = sentence.start + forecast.end() if forecast else sentence.end
    for m in INDICATOR_PATTERN.finditer(text, sentence.start, sentence.end):
        figure = _figure(text, m, sentence, time_spans, prescriptive, forecast_from)
        if figure is not None:
            figures.append(figure)
    return figures


def _figure(
    text: str,
    m: re.Match[str],
    sentence: Span,
    time_spans: list[tuple[int, int]],
    prescriptive: bool,
    forecast_from: int,
) -> Figure | None:
    if prescriptive:
        return None
    if not (m.group("unit") or m.group("magnitude") or m.group("denominator")):
        return None  # a bare number (2.39, 12333, the 一 of 一群群) is never a row
    if m.group("denominator"):
        return _fraction_figure(m, text, _clause_begin(text, m.start(), sentence.start))
    spec = _unit_of(m)
    parsed = parse_number(m.group("number"), m.group("magnitude"))
    if _is_date_or_name(text, m, spec, parsed) or _rejected_shape(text, m, spec, parsed):
        return None
    clause_begin = _clause_begin(text, m.start(), sentence.start)
    if spec is None:
        spec = _implied_unit(text, m, clause_begin)
        if spec is None:
            return None
    if _in_any(time_spans, m.start(), m.end()) or _attributive(text, m, spec):
        return None
    if _inside_quoted_name(text, m.start(), m.end()):
        return None
    if _PLANNED.search(text[clause_begin : m.start()]) or _CAP_BEFORE.search(
        text, max(clause_begin, m.start() - 6), m.start()
    ):
        return None
    if m.start() >= forecast_from:
        return None  # 研究机构预计，今年…将在1%上下 / 到2027年，…将…达到3.6人: a forecast, not a fact
    stop = clause_end(text, m.end(), sentence.end)
    if _group_descriptor(text, m, spec, stop) or _THRESHOLD_AFTER.match(text, m.end(), stop):
        return None
    return _qualified_figure(text, m, spec, parsed, clause_begin)


def _qualified_figure(
    text: str, m: re.Match[str], spec: UnitSpec, parsed: ParsedNumber, clause_begin: int
) -> Figure:
    raw_end = m.end()
    prefix, prefix_len = prefix_qualifier(text[max(clause_begin, m.start() - 4) : m.start()])
    suffix, suffix_len = suffix_qualifier(text[raw_end : raw_end + 2])
    qualifier = combine(
        prefix=prefix,
        suffix=suffix,
        more_than=bool(m.group("inner") or m.group("outer") or m.group("trail")),
        several=parsed.several,
        round_figure=parsed.round_figure,
        approx_in_clause=clause_approx(text[clause_begin : m.start() - prefix_len]),
    )
    value = (parsed.value + (Decimal("0.5") if _has_half(m) else 0)) * Decimal(str(spec.scale))
    return Figure(
        value=float(value),
        unit=spec.base,
        kind=spec.kind,
        qualifier=qualifier,
        raw_start=m.start(),
        raw_end=raw_end,
        context_start=m.start() - prefix_len,
        context_end=raw_end + suffix_len,
    )


@dataclass(frozen=True, slots=True)
class _Labelled:
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
    if any(metric_rules.HEAD_NOUNS.search(member) for member in members[:-1]):
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
        begin = _clause_begin(text, figures[i].context_start, 0)
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
class _SentenceState:
    """What later figures of a paragraph inherit from earlier ones."""

    previous_subject: str = ""
    subject_sentence: int = -1  # start of the sentence the subject came from
    previous_points_metric: str = ""
    last_members: tuple[str, ...] = ()


def _label_sentence(
    text: str, sentence: Span, figures: list[Figure], state: _SentenceState
) -> list[_Labelled]:
    labelled: list[_Labelled] = []
    previous_end = sentence.start
    group_metrics: dict[int, str] = {}
    groups = _group_starts(text, figures)
    for index, figure in enumerate(figures):
        if index in groups:
            members = _list_members(text, sentence, figures, groups[index], state, labelled)
            group_metrics.update(zip(groups[index], members, strict=False))
        begin = max(_clause_begin(text, figure.context_start, sentence.start), previous_end)
        stop = clause_end(text, figure.context_end, sentence.end)
        next_stop = clause_end(text, min(stop + 1, sentence.end), sentence.end)
        ctx = metric_rules.MetricContext(
            before=text[begin : figure.context_start],
            after=text[figure.context_end : stop],
            unit=figure.unit,
            is_count=figure.kind in (UnitKind.COUNT, UnitKind.PEOPLE, UnitKind.VEHICLE),
            is_duration=figure.kind is UnitKind.DURATION,
            previous_subject=state.previous_subject,
            next_clause=text[min(stop + 1, sentence.end) : next_stop],
            previous_points_metric=state.previous_points_metric,
            takes_noun=figure.kind in (UnitKind.AREA, UnitKind.WEIGHT, UnitKind.FREIGHT),
        )
        if state.subject_sentence != sentence.start and figure.kind is not UnitKind.RATIO:
            # Only a rate or a change (三季度增长5.7%) reaches back into the previous sentence
            ctx = dataclasses.replace(ctx, previous_subject="")
        result = metric_rules.metric_for(ctx)
        metric = group_metrics.get(index, result.metric)
        if not _meaningful(metric):
            metric = _fallback_metric(text, sentence.start, begin, figure)
        if index in group_metrics or result.subject:
            state.previous_subject = metric if index in group_metrics else result.subject
            state.subject_sentence = sentence.start
        if figure.unit == "百分点":
            state.previous_points_metric = metric
        previous_end = figure.context_end + result.consumed_after
        labelled.append(_Labelled(figure, metric))
    return labelled


def _meaningful(metric: str) -> bool:
    return len(_CJK.findall(metric)) >= 2 or bool(_LATIN_WORD.search(metric))


def _fallback_metric(text: str, sentence_start: int, clause_begin: int, figure: Figure) -> str:
    """A metric for a figure whose own clause names nothing (…，接待近120万人次): the nearest earlier
    clause of the sentence that yields a noun phrase, else the word for what the unit measures."""
    end = clause_begin
    while end > sentence_start:
        begin = _clause_begin(text, max(end - 1, sentence_start), sentence_start)
        phrase = _FIGURE_TEXT.sub("", text[begin:end]).strip("，,、；; ")
        candidate = metric_rules.drop_examples(
            metric_rules.strip_leading(metric_rules.strip_trailing(phrase)[0])
        )
        if _meaningful(candidate):
            return candidate
        end = begin - 1
    by_kind = _KIND_CATEGORY.get(figure.kind, "数量") if figure.kind is not None else "数量"
    return _UNIT_CATEGORY.get(figure.unit) or by_kind


def _list_members(
    text: str,
    sentence: Span,
    figures: list[Figure],
    group: list[int],
    state: _SentenceState,
    labelled: list[_Labelled],
) -> list[str]:
    """The metric of each figure of a 分别 list, from the enumeration before 分别 or, when the
    enumeration was given earlier (…分别为A、B、C，分别比上年末增加…), from the figures it named."""
    first = figures[group[0]]
    previous_end = figures[group[0] - 1].context_end if group[0] > 0 else sentence.start
    begin = max(_clause_begin(text, first.context_start, sentence.start), previous_end)
    lead = text[begin : first.context_start]
    subject, _ = metric_rules.strip_trailing(lead[: lead.rfind("分别")])
    subject = _YEAR_ON_YEAR_TAIL.sub("", metric_rules.strip_leading(subject)).removeprefix("全国")
    if subject:
        members = _split_members(subject)
        if len(members) == len(group) and len(members) > 1:
            distinct, tail = _shared_tail(members)
            names = [m if m.endswith(tail) else m + tail for m in distinct]
            state.last_members = tuple(names)
            return names
        return [subject] * len(group)
    if len(state.last_members) == len(group):
        return list(state.last_members)
    if len(labelled) >= len(group):
        return [item.metric for item in labelled[-len(group) :]]
    return []


def _indicator(
    text: str,
    item: _Labelled,
    sentence: Span,
    period: Period | None,
    region: str | None,
    source: str,
    image_position: int | None,
) -> Indicator:
    f = item.figure
    return Indicator(
        value=f.value,
        unit=f.unit,
        qualifier=f.qualifier,
        metric=item.metric,
        raw=text[f.raw_start : f.raw_end],
        sentence=text[sentence.start : sentence.end].strip(),
        char_start=f.raw_start,
        char_end=f.raw_end,
        period=period.label if period else None,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        region=region,
        source=source,
        image_position=image_position,
    )


def extract(
    text: str, published: dt.date | None, *, region_hint: str | None, source: str, image_position: int | None
) -> list[Indicator]:
    references: list[TimeReference] = find_time_references(text, PeriodResolver(published))
    time_spans = sorted((r.start, r.end) for r in references if r.period is not None)
    mentions = region_mentions(text)
    paragraphs = paragraph_starts(text)
    indicators: list[Indicator] = []
    state = _SentenceState()
    current_paragraph = -1
    for sentence in split_sentences(text):
        paragraph = bisect.bisect_right(paragraphs, sentence.start)
        if paragraph != current_paragraph:
            state, current_paragraph = _SentenceState(), paragraph  # subjects do not cross paragraphs
        figures = find_figures(text, sentence, time_spans)
        if not figures:
            continue
        for item in _label_sentence(text, sentence, figures, state):
            start = item.figure.raw_start
            paragraph_start = paragraphs[bisect.bisect_right(paragraphs, start) - 1]
            period = period_at(references, start, paragraph_start)
            region = region_between(text, mentions, sentence.start, start) or region_hint
            indicators.append(_indicator(text, item, sentence, period, region, source, image_position))
    return indicators


__all__ = ["Figure", "extract"]
