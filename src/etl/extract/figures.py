"""Figures: the one pattern that finds every candidate number with its unit, and the building of a
Figure (value in the base unit, qualifier, offsets) from a match the rules in rejections.py kept."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from etl.extract import phrases
from etl.extract.numbers import (
    MAGNITUDE,
    MORE_THAN,
    NUMBER,
    ParsedNumber,
    chinese_to_int,
)
from etl.extract.qualifiers import clause_approx, combine, prefix_qualifier, suffix_qualifier
from etl.extract.units import (
    NOT_MEASURE_WORDS,
    UNIT_ALTERNATION,
    UNIT_FOLD,
    WORD_CONTINUATIONS,
    UnitKind,
    UnitSpec,
    unit_spec,
    written_unit_spec,
)
from etl.models import Qualifier

NUMERAL_CHARS = "〇零一二两三四五六七八九十百千"
INDICATOR_PATTERN = re.compile(
    rf"(?<![0-9０-９.．A-Za-z{NUMERAL_CHARS}])"
    rf"(?:(?P<denominator>[{NUMERAL_CHARS}]+)分之(?P<numerator>[{NUMERAL_CHARS}]+)(?P<fraction_more>[余多强])?"
    rf"|(?P<number>{NUMBER}|(?<![上下前后大小多一])半(?=个?(?:月|小时|年|天)))"
    # 1210207 亿元, 8.2 %: one space (or a thin or no-break space) set between an Arabic number and
    # what follows it
    rf"(?:(?<=[0-9０-９])[ \u2009\u202f\u00a0]"
    rf"(?=(?:{MAGNITUDE}|[%％‰]|(?:{UNIT_ALTERNATION})(?![\u4e00-\u9fff]))))?"
    rf"(?P<inner>{MORE_THAN})?(?P<magnitude>{MAGNITUDE})?(?P<outer>{MORE_THAN})?"
    rf"(?:(?P<unit>{UNIT_ALTERNATION})|(?<=[0-9０-９万亿余多])(?P<loose>[\u4e00-\u9fff])(?=[，,。；;！？!?、）)”]|$))?"
    rf"(?P<half>(?<=[年天])半)?(?P<fold>{UNIT_FOLD})?"
    r"(?P<trail>[余多](?=[来了的，,。；;、）)]|$))?)"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_IMPLIED_MONEY = re.compile(
    r"估值|市值|资金|投资|收入|营收|产值|总值|总额|金额|成交额|销售额|营业额|GDP|"
    r"生产总值|融资|募资|资产|利润|税收|消费|基金|贷款"
)
_IMPLIED_PEOPLE = re.compile(r"人口|人数$")
_IMPLIED_VISITS = re.compile(r"(?:人次|游客|旅客|乘客|客流量?)$")
# 1.4亿多退休人员, 300余万户籍人口, 3.2万余农户: a noun right after the magnitude, with no measure word
# between, is counted in its natural unit
_PEOPLE_NOUN = re.compile(
    r"(?:人口|人员|人才|居民|市民|村民|农民|网民|网友|职工|员工|工人|学生|毕业生|游客|旅客|乘客|观众|"
    r"患者|群众|群体|人群|儿童|老人|老年人|青年|劳动者|从业者|消费者|志愿者|会员|党员|师生|教师|医生|人)$"
)
# 近2000万农村人口喝上了自来水: a people noun that opens a longer phrase
_PEOPLE_NOUN_AHEAD = re.compile(
    r"[\u4e00-\u9fff]{0,6}?(?:人口|人员|居民|市民|村民|农民|网民|职工|员工|学生|毕业生|游客|群众|劳动者)"
)
_HOUSEHOLD_NOUN = re.compile(r"(?:户|家庭)$")
_FIRM_NOUN = re.compile(r"(?:企业|公司|商家|门店|机构)$")
_NOUN_MEMBER_END = re.compile(r"[、和及与或]|等")
# 650公斤/亩, 2800元/吨, 1.2万千瓦时/年: a rate per unit of something else is one unit, kept whole
_PER_UNIT = re.compile(
    r"[/／](?P<per>亩|公顷|吨|公斤|千克|斤|年|月|天|日|周|小时|时|分钟|秒|人|户|台|辆|件|次|张|头|只|"
    r"平方米|立方米|平方公里|公里|千米|米|千瓦时|千瓦|度|标箱|箱|个)(?![\u4e00-\u9fff])"
)


# 翻一番, 翻了一番, 近翻一番: the verb of a doubling, and a qualifier written before it
_DOUBLING_VERB = re.compile(r"翻了?$")


def doubling_growth(times: Decimal) -> Decimal:
    """翻一番 -> 100, 翻两番 -> 300: doubling `times` times is a growth of (2^times - 1) x 100 %."""
    return Decimal(2 ** int(times) - 1) * 100


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


def unit_of(m: re.Match[str]) -> UnitSpec | None:
    if m.group("unit"):
        return unit_spec(m.group("unit"))
    loose = m.group("loose")
    # 候鸟2万羽，: a measure word outside the lexicon, clear from its place at the end of the clause
    return written_unit_spec(loose) if loose and loose not in NOT_MEASURE_WORDS else None


def starts_word(text: str, m: re.Match[str], spec: UnitSpec) -> bool:
    """人 of 人间, 户 of 户籍: the matched unit is the first character of a longer word."""
    unit_start = m.start("unit") if m.group("unit") else m.end()
    return any(text.startswith(word, unit_start) for word in _continuations(spec.surface))


def unit_as_written(text: str, m: re.Match[str]) -> tuple[UnitSpec | None, int]:
    """The unit written after the number and where the figure's raw text ends."""
    spec = unit_of(m)
    if spec is not None and m.group("magnitude") and starts_word(text, m, spec):
        # 300余万户籍人口: 户 begins 户籍; the figure is the magnitude and the noun names the unit
        return None, max(m.end("magnitude"), m.end("outer"))
    return spec, m.end()


def has_half(m: re.Match[str]) -> bool:
    return bool(m.group("half")) or "半" in (m.group("unit") or "")


def fraction_terms(m: re.Match[str]) -> tuple[int, int]:
    """(denominator, numerator) of 四分之一."""
    return chinese_to_int(m.group("denominator")), chinese_to_int(m.group("numerator"))


def fraction_figure(m: re.Match[str], text: str, clause_begin: int) -> Figure:
    """四分之一 -> 25 %: a fraction is a share."""
    denominator, numerator = fraction_terms(m)
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


def qualified_figure(
    text: str, m: re.Match[str], spec: UnitSpec, parsed: ParsedNumber, clause_begin: int, raw_end: int
) -> Figure:
    prefix, prefix_len = prefix_qualifier(text[max(clause_begin, m.start() - 4) : m.start()])
    suffix, suffix_len = suffix_qualifier(text[raw_end : raw_end + 2])
    doubling = spec.base == "番"
    verb = _DOUBLING_VERB.search(text, max(clause_begin, m.start() - 2), m.start()) if doubling else None
    if verb is not None and prefix is None:
        prefix = prefix_qualifier(text[max(clause_begin, verb.start() - 4) : verb.start()])[0]  # 近翻一番
    qualifier = combine(
        prefix=prefix,
        suffix=suffix,
        more_than=bool(m.group("inner") or m.group("outer") or m.group("trail") or "多" in spec.surface),
        several=parsed.several,
        round_figure=parsed.round_figure,
        approx_in_clause=clause_approx(text[clause_begin : m.start() - prefix_len]),
    )
    scale = Decimal(str(spec.scale))
    if spec.surface == "折" and parsed.chinese and len(m.group("number")) == 2 and parsed.value >= 10:
        scale = Decimal(1)  # 八五折: two digits read one by one already are the percentage
    value = (parsed.value + (Decimal("0.5") if has_half(m) else 0)) * scale
    unit = spec.base
    if doubling:
        value, unit = doubling_growth(parsed.value), "%"  # docs/indicators.md, convention v2
    per = _PER_UNIT.match(text, raw_end) if "/" not in unit and not suffix_len else None
    if per is not None:
        unit, raw_end = f"{unit}/{per.group('per')}", per.end()
    return Figure(
        value=float(value),
        unit=unit,
        kind=spec.kind,
        qualifier=qualifier,
        raw_start=m.start(),
        raw_end=raw_end,
        context_start=m.start() - prefix_len,
        context_end=raw_end + suffix_len,
    )


def implied_unit(text: str, m: re.Match[str], end: int, clause_begin: int) -> UnitSpec | None:
    """`估值千亿`: a magnitude without a unit takes the unit its subject implies; `1.4亿多退休人员`: the
    unit the noun after it is counted in."""
    if not m.group("magnitude"):
        return None
    if _CJK.match(text[end : end + 1] or "。") and text[end] not in "级左上以":
        return _noun_unit(text, m, end)
    before, _ = phrases.strip_trailing(text[clause_begin : m.start()])
    if _IMPLIED_MONEY.search(before):
        return unit_spec("元")
    if _IMPLIED_VISITS.search(before):
        return unit_spec("人次")  # 观影人次逾4500万, 总诊疗人次达101.5亿
    if _IMPLIED_PEOPLE.search(before) or _PEOPLE_NOUN.search(before):
        return unit_spec("人")  # 惠及老年人1500多万: the people counted are named before the number
    return None


def _noun_unit(text: str, m: re.Match[str], end: int) -> UnitSpec | None:
    """People are counted in 人, households in 户, firms in 家; another noun after `多` / `余` (an
    approximate count, so a count) is its own unit as written."""
    noun = phrases.counted_noun(text[end : end + 24])
    first = _NOUN_MEMBER_END.split(noun, maxsplit=1)[0]
    if not first or first.startswith("的"):
        return None
    if _PEOPLE_NOUN.search(first) or _PEOPLE_NOUN_AHEAD.match(text, end, end + 12):
        return unit_spec("人")
    if _HOUSEHOLD_NOUN.search(first):
        return unit_spec("户")
    if _FIRM_NOUN.search(first):
        return unit_spec("家")
    if (m.group("inner") or m.group("outer")) and 2 <= len(first) <= 6:
        return written_unit_spec(first)
    return None
