"""The "not a figure" rules: every number the pattern matches is a candidate, and the first rule in order
that drops it says why it is not an indicator (a date, a name, a range end, a forecast, a group's
bound …). A candidate no rule drops is kept and becomes a Figure.

The order matters: rules near the top read only the number and its written unit; `no-unit` is where a
bare magnitude takes the unit its subject implies (估值千亿 -> 元), and the rules after it read that unit.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from etl.extract.figures import (
    INDICATOR_PATTERN,
    NUMERAL_CHARS,
    fraction_terms,
    has_half,
    implied_unit,
    starts_word,
    unit_as_written,
    unit_of,
)
from etl.extract.modality import SentenceModality, capped, limited_by_rule, planned
from etl.extract.numbers import ARABIC, MAGNITUDE, ParsedNumber, parse_number
from etl.extract.sentences import Span, clause_begin, clause_end
from etl.extract.units import UNIT_ALTERNATION, AttributiveUse, UnitKind, UnitSpec, UnitTraits, unit_spec

_RANGE_BEFORE = re.compile(r"[0-9０-９一二两三四五六七八九十][—–\-~～至到]$")
_RANGE_MARKS = "—–-~～至到"
# The lower end of a range written with its own unit (30分钟至), for the upper end after it
_UNIT_RANGE_BEFORE = re.compile(
    rf"(?:{ARABIC}|[{NUMERAL_CHARS}半]+)(?:{MAGNITUDE})?(?P<unit>{UNIT_ALTERNATION})[—–\-~～至到]$"
)
_RANGE_AFTER = re.compile(r"^[—–\-~～至到][0-9０-９一二三四五六七八九十]")
_WINDOW_AFTER = re.compile(r"^(?:内|以内|之内)")
_RELATIVE_BEFORE = re.compile(r"(?:后|(?<!提)前|每|第|每隔)$")
_DURATION_FOLLOWERS = re.compile(
    r"^(?:[的了来就才即便，,。；;、：:）)”’！？!?\n]|$|左右|以上|上下|多|余|实现|完成|建成|刷新|创造|收官|完工|"
    r"交付|走完|通车|投产|落地|排名|位居|保持|稳定|稳居|居|全球第|世界第|全国第|蝉联|缩短|延长|减少|压缩|提前)"
)
# A duration after these is what the sentence reports (实现1066秒…运行, 为期6天)
_DURATION_REPORTED_BEFORE = re.compile(
    r"(?:实现|达到|突破|创下|持续|历时|长达|为期|运行|用时|仅用|用了|提前|推迟|缩短|延长)$"
)
# 开业三个月以来，…; 新馆运营半年，…: how long a place has been open frames the figures that follow
# (通车一年多来 stays a reported duration, tests/gold/README.md)
_OPENED_BEFORE = re.compile(
    r"(?:开业|营业|运营|投用|投运|开通|成立|上线|开园|开馆|启用|投产|开放|挂牌|落成)"
    r"(?:了|已|已经|刚|刚刚|才)?$"
)  # 成立不到两年 stresses how short the time is: that is reported (tests/gold/README.md)
_OPENED_FRAME_AFTER = re.compile(r"^[多余]?(?:以来|[，,])")
_FIGURE_LATER = re.compile(r"[^。！？\n]*?(?:[0-9０-９]|[一二两三四五六七八九十]成)")
# 离地铁站步行不到10分钟, 骑车10分钟可达, 距市中心15公里: a travel time or a distance that says where a
# place is, not a measured fact
_TRAVEL_MODE_BEFORE = re.compile(
    r"(?:步行|骑车|骑行|驾车|开车|车程|打车|自驾|坐公交|乘公交|坐地铁|乘地铁)"
    r"(?:只要|只需|仅需|需要|需|要|大约|约|不到|不足|仅|就|也就|最多)*$"
)
_LOCATED_FROM_BEFORE = re.compile(
    r"(?:距离|距|(?<![撤分隔脱远偏背])离(?![开岛退婚职任]))[^，,。；;0-9０-９]{1,12}$"
)
_REACHED_AFTER = re.compile(r"^(?:左右|以内)?(?:可达|可到|即达|即到|就到|直达|车程)")
_CRITERION_BEFORE = re.compile(r"(?:不满|未满|(?<![已])满)$")
# A duration after these frames another figure (元旦假期3天，全国铁路累计发送旅客…)
_DURATION_FRAME_BEFORE = re.compile(r"(?:假期|期间|长假|黄金周|假日)$")
_MEASURE_FOLLOWERS = re.compile(
    # 1.2万千瓦时/年: a rate per unit is a measure, like the unit alone
    r"^(?:[的了，,。；;、：:）)”’！？!?\n/／]|$|左右|以上|上下|以下|多|余|长|宽|高|深)"
)
# 6.7和13.8个百分点, 3、5个: a bare number joined to the next figure of a list
_JOINED_NEXT = re.compile(r"(?:和|、|与|及|或)")
_CHENG_AS_VERB = re.compile(r"[立功交本果员绩效都长熟品就]")
_ARABIC_CHENG_AS_VERB = re.compile(r"[立功交本果员绩效都长熟品就为了型年]")
_AGE_REPORTED_FOLLOWERS = re.compile(r"^(?:左右|以上|以下|上下)?(?:[了，,。；;、：:）)”’！？!?\n]|$)")
_RECENT_BEFORE = re.compile(r"(?:近|过去|最近|这|此前|未来)$")
_FRAME_AFTER = re.compile(r"^(?:[，,来间里中]|以来)")
_PHONE_BEFORE = re.compile(r"(?:拨打|热线|电话|致电)$")
_DIRECTION_BEFORE = re.compile(r"(?:突破|超过|超|逾|近|约|达到|达|不足|不到)$")
_CODE_CHAR = re.compile(r"[A-Za-z0-9]")
_TWO_DIGITS = re.compile(r"[一二两三四五六七八九]{2}")
_ZERO_DIGIT = re.compile("[〇零]")
_DIGIT = re.compile(r"[0-9０-９]")
_RATE_HEAD = re.compile(r"[率额值]|比例|比重|占比|指数|浓度|均价")
# 研发经费超过千亿元的省（市）有12个: the figure is the threshold of a class that is then counted
_THRESHOLD_AFTER = re.compile(
    r"(?:以上|以下)?的[^，,。；;的]{1,10}?(?:已经|已)?(?:有|达到?|增至|增加到|增长到|升至|共计|总数为?|数量为?)"
    r"[约近超逾]?[0-9０-９一二两三四五六七八九十]"
)
# 40平方米以下的小户型, 年收入10万元以上的家庭: a bound on a size, an amount or an age defines the group
# the noun names (a share, 50%以上的税收, or a count, 100家以上的企业, is still the reported figure)
_SIZE_CLASS_AFTER = re.compile(r"(?:(?:及?以上|及?以下|以内|左右)的|及?以上|及?以下)[\u4e00-\u9fff“]")
# …unless a verb before it reports the amount (完成1亿元以上的投资)
_REPORTED_AMOUNT_BEFORE = re.compile(
    r"(?:完成|实现|达到|带动|拉动|吸引|获得|贡献|新增|投入|节约|节省|减少|降低|增加|累计|共|签约|撬动|吸纳)了?"
    r"(?:约|近|超过|超|逾|突破)?$"
)
_COUNTED_GROUP_BEFORE = re.compile(
    r"[0-9０-９一二两三四五六七八九十百千]+[多余]?[万亿]?(?:个|家|座|所|项|批|名|位|户|条)"
    r"[^，,。；;0-9０-９]{1,12}(?:超过|超|突破|高于|不到|不足|低于|达到|达)$"
)
_AMONG_AFTER = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:之中|当中|中)[，,]")
_SAMPLE_BEFORE = re.compile(r"(?:监测|调查|抽样|样本|统计)的?$")


class Candidate:
    """A number the pattern matched in a sentence, with what the rules read about it. Each reading is
    computed when a rule first asks for it: an early rule decides most candidates."""

    def __init__(
        self,
        text: str,
        match: re.Match[str],
        sentence: Span,
        modality: SentenceModality,
        time_spans: list[tuple[int, int]],
    ) -> None:
        self.text = text
        self.match = match
        self.sentence = sentence
        self.modality = modality
        self.time_spans = time_spans
        self.start = match.start()
        self.end = match.end()
        self.is_fraction = match.group("denominator") is not None

    @functools.cached_property
    def _written(self) -> tuple[UnitSpec | None, int]:
        spec, end = unit_as_written(self.text, self.match)
        if spec is None and self.shares_next_unit is not None:
            return self.shares_next_unit, end
        return spec, end

    @functools.cached_property
    def shares_next_unit(self) -> UnitSpec | None:
        """6.7和13.8个百分点: a bare number joined to the next one shares its unit (not its magnitude)."""
        m = self.match
        if m.group("unit") or m.group("loose") or m.group("magnitude") or not m.group("number"):
            return None
        joined = _JOINED_NEXT.match(self.text, m.end())
        following = INDICATOR_PATTERN.match(self.text, joined.end()) if joined else None
        if following is None or following.group("magnitude") or not following.group("unit"):
            return None
        return unit_of(following)

    @property
    def written_unit(self) -> UnitSpec | None:
        """The unit as written (None for 300余万户籍人口, whose 户 begins a word)."""
        return self._written[0]

    @property
    def raw_end(self) -> int:
        return self._written[1]

    @functools.cached_property
    def parsed(self) -> ParsedNumber:
        return parse_number(self.match.group("number"), self.match.group("magnitude"))

    @functools.cached_property
    def clause_begin(self) -> int:
        return clause_begin(self.text, self.start, self.sentence.start)

    @functools.cached_property
    def unit(self) -> UnitSpec | None:
        """The written unit, else the one a bare magnitude implies (估值千亿 -> 元)."""
        if self.written_unit is not None:
            return self.written_unit
        return implied_unit(self.text, self.match, self.raw_end, self.clause_begin)

    @property
    def measured_unit(self) -> UnitSpec:
        """The unit, for the rules after `no-unit` (which drops every candidate without one)."""
        if self.unit is None:
            raise AssertionError("the no-unit rule runs before the rules that read the unit")
        return self.unit

    @functools.cached_property
    def traits(self) -> UnitTraits:
        """What the unit's kind implies, for the rules after `no-unit`."""
        return self.measured_unit.kind.traits

    @functools.cached_property
    def preceding(self) -> str:
        """The four characters before the number."""
        return self.before(4)

    @functools.cached_property
    def following(self) -> str:
        """The four characters after the number and its unit."""
        return self.text[self.end : self.end + 4]

    @property
    def more_than(self) -> bool:
        m = self.match
        more = bool(m.group("inner") or m.group("outer") or m.group("trail"))
        return more or (self.written_unit is not None and "多" in self.written_unit.surface)  # 一个多月

    @property
    def directed(self) -> bool:
        """突破百颗, 近十个: a verb or adverb of direction before the number makes it a figure."""
        return _DIRECTION_BEFORE.search(self.text[max(0, self.start - 2) : self.start]) is not None

    def before(self, width: int) -> str:
        return self.text[max(0, self.start - width) : self.start]


@dataclass(frozen=True, slots=True)
class Rule:
    """One reason a matched number is not an indicator."""

    name: str
    why: str
    drops: Callable[[Candidate], bool]


# --- every candidate: where the sentence stands --------------------------------------------------


def _in_target(c: Candidate) -> bool:
    return c.modality.in_target(c.start)


def _limited_by_rule(c: Candidate) -> bool:
    return limited_by_rule(c.text, c.sentence, c.modality, c.start)


def _prescriptive(c: Candidate) -> bool:
    return c.modality.prescriptive


def _bare_number(c: Candidate) -> bool:
    m = c.match
    written = m.group("unit") or m.group("loose") or m.group("magnitude") or m.group("denominator")
    return not written and c.shares_next_unit is None


# --- fractions ------------------------------------------------------------------------------------


def _improper_fraction(c: Candidate) -> bool:
    denominator, numerator = fraction_terms(c.match)
    return denominator == 0 or numerator > denominator


# --- dates, names, codes and ranges: the number with its written unit -----------------------------


def _part_of_word(c: Candidate) -> bool:
    return c.written_unit is not None and starts_word(c.text, c.match, c.written_unit)


def _ordinal(c: Candidate) -> bool:
    return c.before(2).endswith("第")


def _opens_range(c: Candidate) -> bool:
    """5至8个 / 30分钟至1小时: the lower end of a range. 增长4.2%至9.2万亿日元 is a change and its result:
    the figure after 至 measures something else, so neither is a range."""
    text, end, spec = c.text, c.end, c.written_unit
    if text[end : end + 1] not in _RANGE_MARKS or not _RANGE_AFTER.match(text[end : end + 2]):
        return False
    upper = INDICATOR_PATTERN.match(text, end + 1)
    upper_unit = upper.group("unit") if upper is not None and upper.group("number") else None
    if spec is None or not upper_unit:
        return True
    return unit_spec(upper_unit).kind is spec.kind


def _closes_range(c: Candidate) -> bool:
    """30分钟至1小时: the upper end of a range whose lower end carries its own unit of the same kind."""
    spec, start = c.written_unit, c.start
    if spec is None or start == 0 or c.text[start - 1] not in _RANGE_MARKS:
        return False
    lower = _UNIT_RANGE_BEFORE.search(c.text, max(0, start - 14), start)
    return lower is not None and unit_spec(lower.group("unit")).kind is spec.kind


def _range_end(c: Candidate) -> bool:
    return _RANGE_BEFORE.search(c.before(2)) is not None or _opens_range(c) or _closes_range(c)


def _code(c: Candidate) -> bool:
    spec = c.written_unit
    return (spec is None or spec.surface.isascii()) and _CODE_CHAR.match(c.text, c.end) is not None


def _hotline(c: Candidate) -> bool:
    return not c.match.group("magnitude") and _PHONE_BEFORE.search(c.before(3)) is not None


def _exchange_rate_base(c: Candidate) -> bool:
    spec = c.written_unit
    return spec is not None and spec.kind is UnitKind.MONEY and c.text.startswith(("对", "兑"), c.end)


def _year(c: Candidate) -> bool:
    spec, m = c.written_unit, c.match
    if spec is None or spec.surface != "年":
        return False
    number = m.group("number")
    unit_start = m.start("unit") if m.group("unit") else m.end()
    is_year = (
        number.isdigit()
        and len(number) == 4
        and 1000 <= int(number) <= 2100
        and not m.group("magnitude")
        and not m.group("inner")
    )
    spelled_year = "〇" in number or "零" in number
    return is_year or spelled_year or c.text.startswith(("年底", "年末", "年初"), unit_start)


def _spelled_without_unit(c: Candidate) -> bool:
    return c.parsed.chinese and not c.match.group("magnitude") and c.written_unit is None


# --- shapes that are never a reported figure on their own ----------------------------------------


def _reported_duration(c: Candidate) -> bool:
    """提前一个月, 历时一年半: a duration of one is a figure when the verb before it reports it."""
    spec = c.written_unit
    if spec is None or spec.kind is not UnitKind.DURATION:
        return False
    reported = _DURATION_REPORTED_BEFORE.search(c.text, max(0, c.start - 4), c.start)
    return has_half(c.match) or reported is not None


def _article_yi(c: Candidate) -> bool:
    spec = c.written_unit
    one_is_a_figure = spec is not None and spec.kind.traits.one_is_a_figure
    return c.match.group("number") == "一" and not (
        c.match.group("magnitude") or c.more_than or one_is_a_figure or _reported_duration(c)
    )


def _is_discount(c: Candidate) -> bool:
    return c.written_unit is not None and c.written_unit.surface == "折"


def _zhe_idiom(c: Candidate) -> bool:
    return _is_discount(c) and c.before(1) == "波"


# 翻一番, 翻了近两番: 番 counts doublings only after the verb 翻
_DOUBLING_BEFORE = re.compile(r"翻了?(?:将近|接近|近|约|超过|超)?$")


def _fan_idiom(c: Candidate) -> bool:
    doubling = c.written_unit is not None and c.written_unit.surface == "番"
    return doubling and (bool(c.match.group("magnitude")) or not _DOUBLING_BEFORE.search(c.before(6)))


def _vague_range(c: Candidate) -> bool:
    number = c.match.group("number")
    return (
        c.parsed.chinese
        and _TWO_DIGITS.search(number) is not None
        and not _ZERO_DIGIT.search(number)
        and not _is_discount(c)
    )


def _several(c: Candidate) -> bool:
    number = c.match.group("number")
    return number.startswith("数") and len(number) == 1 and not c.match.group("magnitude")


def _round_idiom(c: Candidate) -> bool:
    return c.parsed.round_figure and not (c.match.group("magnitude") or c.more_than or c.directed)


def _chinese_only_unit(c: Candidate) -> bool:
    spec = c.written_unit
    if spec is None or not spec.chinese_only or c.parsed.chinese:
        return False
    # 4成企业 is 40 %: one Arabic digit before 成 is a tenth unless 成 goes on into a verb (5成为)
    one_digit = re.fullmatch(r"[1-9１-９]", c.match.group("number") or "") is not None
    return not one_digit or _ARABIC_CHENG_AS_VERB.match(c.text, c.end) is not None


def _cheng_starts_word(c: Candidate) -> bool:
    spec = c.written_unit
    return spec is not None and spec.surface == "成" and _CHENG_AS_VERB.match(c.text, c.end) is not None


def _cheng_wei_verb(c: Candidate) -> bool:
    spec = c.written_unit
    return (
        spec is not None
        and spec.surface == "成"
        and c.match.group("number") == "一"
        and c.text.startswith("为", c.end)
    )


def _small_spelled_number(c: Candidate) -> bool:
    spec = c.written_unit
    small_prose = (
        c.parsed.chinese
        and c.parsed.value < 10
        and not (c.match.group("magnitude") or c.more_than or c.directed)
    )
    return bool(small_prose and spec is not None and not spec.kind.traits.small_prose)


# --- the unit, written or implied ---------------------------------------------------------------


def _no_unit(c: Candidate) -> bool:
    return c.unit is None


def _in_time_reference(c: Candidate) -> bool:
    spans = c.time_spans
    i = bisect.bisect_right(spans, (c.start, 10**9)) - 1
    return i >= 0 and spans[i][1] > c.start and spans[i][0] < c.end


# --- attributive uses: a measure that describes something else -----------------------------------


def _time_window(c: Candidate) -> bool:
    return _WINDOW_AFTER.match(c.following) is not None


def _locates_place(c: Candidate) -> bool:
    """步行约8分钟, 开车20分钟可达, 距市中心15公里: how far a place is from somewhere."""
    if not c.traits.locates_a_place:
        return False
    text = c.text
    window_start = max(0, c.start - 16)
    clause = text[window_start : c.start]
    cut = max(clause.rfind(ch) for ch in "，,。；;：:！？\n")
    clause = clause[cut + 1 :]
    if _TRAVEL_MODE_BEFORE.search(clause) or _REACHED_AFTER.match(text, c.end):
        return True
    return _LOCATED_FROM_BEFORE.search(clause) is not None


def _is_duration(c: Candidate) -> bool:
    return c.traits.attributive is AttributiveUse.DURATION


def _eligibility(c: Candidate) -> bool:
    return _is_duration(c) and _CRITERION_BEFORE.search(c.preceding) is not None


def _framing_duration(c: Candidate) -> bool:
    """A duration that is not reported (连续, 历时, 为期 … before it says it is)."""
    if not _is_duration(c):
        return False
    preceding = c.preceding
    return not (preceding.endswith("连续") or _DURATION_REPORTED_BEFORE.search(preceding))


def _relative_time(c: Candidate) -> bool:
    preceding = c.preceding
    return _framing_duration(c) and bool(
        _RELATIVE_BEFORE.search(preceding) or _DURATION_FRAME_BEFORE.search(preceding)
    )


def _recent_window(c: Candidate) -> bool:
    return (
        _framing_duration(c)
        and _RECENT_BEFORE.search(c.preceding) is not None
        and _FRAME_AFTER.match(c.following) is not None
    )


def _since_opening(c: Candidate) -> bool:
    return (
        _framing_duration(c)
        and _OPENED_FRAME_AFTER.match(c.following) is not None
        and _OPENED_BEFORE.search(c.text, max(0, c.start - 8), c.start) is not None
        and _FIGURE_LATER.match(c.text, c.end) is not None
    )


def _describing_duration(c: Candidate) -> bool:
    return _framing_duration(c) and _DURATION_FOLLOWERS.match(c.following) is None


def _describing_age(c: Candidate) -> bool:
    attributive = c.traits.attributive
    return attributive is AttributiveUse.AGE and _AGE_REPORTED_FOLLOWERS.match(c.following) is None


def _describing_measure(c: Candidate) -> bool:
    attributive = c.traits.attributive
    return attributive is AttributiveUse.MEASURE and _MEASURE_FOLLOWERS.match(c.following) is None


def _inside_quoted_name(c: Candidate) -> bool:
    text, start, end = c.text, c.start, c.end
    opening = text.rfind("“", max(0, start - 12), start)
    if opening < 0 or "”" in text[opening:start]:
        return False
    closing = text.find("”", end, end + 12)
    if closing < 0:
        return False
    quoted = text[opening + 1 : closing]
    return not any(ch in quoted for ch in "，,。；;！？")


# --- definitions and specifications --------------------------------------------------------------

# 每月至少随访1次: a count of times per calendar interval is how a service is defined, not an outcome
_PER_INTERVAL = re.compile(r"每(?:个)?(?:年|季度|季|月|周|天|日|学期)[^，,。；;0-9０-９]{0,8}$")
# 15分钟充电80%, 1小时可充满: a time then what the product does in it is a rating, not a measurement
_RATED_WITHIN = re.compile(
    r"[0-9０-９一二两三四五六七八九十半]+(?:分钟|小时|秒)(?:内)?(?:即可|就能|可|能)?[\u4e00-\u9fff]{1,3}$"
)


def _service_frequency(c: Candidate) -> bool:
    return (
        c.measured_unit.surface == "次" and _PER_INTERVAL.search(c.text, c.clause_begin, c.start) is not None
    )


def _specification(c: Candidate) -> bool:
    return c.measured_unit.base == "%" and _RATED_WITHIN.search(c.text, c.clause_begin, c.start) is not None


# --- plans and forecasts ------------------------------------------------------------------------


def _planned(c: Candidate) -> bool:
    return planned(c.text, c.clause_begin, c.start)


def _capped(c: Candidate) -> bool:
    return capped(c.text, c.clause_begin, c.start)


def _in_forecast(c: Candidate) -> bool:
    return c.modality.in_forecast(c.start)


# --- figures that define a group rather than report about it -------------------------------------


def _clause_stop(c: Candidate) -> int:
    return clause_end(c.text, c.end, c.sentence.end)


def _group_descriptor(c: Candidate) -> bool:
    """`31个大城市城镇调查失业率为5.0%`: the count names the group a later figure is measured over."""
    if not c.traits.names_a_group:
        return False
    text, stop = c.text, _clause_stop(c)
    rest = text[c.end : stop]
    later = _DIGIT.search(rest)
    between = rest[: later.start()] if later else ""
    if _AMONG_AFTER.match(text, c.end, stop + 1):
        return True  # 70个大中城市中，…有52个: the population a later count is taken from
    if later is None:
        return False
    # 纳入监测的88个乡村旅游点接待游客…: a monitored sample is the group, its count is not the news
    if _SAMPLE_BEFORE.search(text, max(0, c.start - 8), c.start):
        return True
    return "、" not in between and _RATE_HEAD.search(between) is not None


def _threshold(c: Candidate) -> bool:
    return _THRESHOLD_AFTER.match(c.text, c.end, _clause_stop(c)) is not None


def _size_class(c: Candidate) -> bool:
    """`月收入8000元以下的家庭`: the figure is the bound that defines a group, not a fact about it."""
    traits = c.traits
    if not traits.size_class:
        return False
    text, begin, raw_end = c.text, c.clause_begin, c.raw_end
    counted_class = traits.bounds_counted_class and text.startswith("的", raw_end)
    if counted_class and _COUNTED_GROUP_BEFORE.search(text, begin, c.start):
        return True  # 有12个研发经费超过千亿元的省份: the count is of the class the amount bounds
    if not _SIZE_CLASS_AFTER.match(text, raw_end):
        return False
    return _REPORTED_AMOUNT_BEFORE.search(text, begin, c.start) is None


SENTENCE_RULES: tuple[Rule, ...] = (
    Rule("target", "inside a target (力争到2027年…达到3000家)", _in_target),
    Rule("rule-limit", "a ceiling laid down by the sentence's rule (实行…不超过30人)", _limited_by_rule),
    Rule("prescriptive", "the sentence lays down a rule (须, 应当, 不得)", _prescriptive),
    Rule("bare-number", "no unit and no magnitude (2.39, 十四五, the 5 of 5G)", _bare_number),
)
FRACTION_RULES: tuple[Rule, ...] = (
    Rule("improper-fraction", "a zero denominator or a fraction above one is no share", _improper_fraction),
)
FIGURE_RULES: tuple[Rule, ...] = (
    Rule("part-of-a-word", "the unit begins a longer word (四人间, 70周年, 户籍)", _part_of_word),
    Rule("ordinal", "an ordinal (第3个)", _ordinal),
    Rule("range-end", "one end of a range (5至8个, 30分钟至1小时)", _range_end),
    Rule("code", "a unit running on into letters or digits is part of a code (500MWp)", _code),
    Rule("hotline", "a number dialled after 拨打 / 热线 / 电话, not a count", _hotline),
    Rule("exchange-rate-base", "the base of an exchange rate (1欧元对人民币…)", _exchange_rate_base),
    Rule("year", "a calendar year (2024年, 二〇二四年, 3年底)", _year),
    Rule(
        "spelled-without-unit",
        "a spelled number whose unit is a calendar or ordinal word (三十多届)",
        _spelled_without_unit,
    ),
    Rule("article-yi", "一 as the article 'a' (一张床位, 一座座)", _article_yi),
    Rule("zhe-idiom", "折 of an idiom (一波三折)", _zhe_idiom),
    Rule("fan-idiom", "番 that does not follow 翻 (一番努力, 三番五次)", _fan_idiom),
    Rule("vague-range", "two spelled digits give no single value (四五百元)", _vague_range),
    Rule("several", "数 alone is 'several', no figure (数家)", _several),
    Rule("round-idiom", "a bare 百 / 千 of an idiom (百家争鸣, 千家万户)", _round_idiom),
    Rule(
        "chinese-only-unit",
        "成 after Arabic digits is a verb (5成为) unless one digit names tenths (4成企业)",
        _chinese_only_unit,
    ),
    Rule("cheng-starts-word", "成 begins a word (八成熟)", _cheng_starts_word),
    Rule("cheng-wei-verb", "成为 is the verb (其一成为)", _cheng_wei_verb),
    Rule(
        "small-spelled-number", "a spelled number under ten in prose (三个人, 五本书)", _small_spelled_number
    ),
    Rule("no-unit", "a magnitude whose unit nothing names or implies", _no_unit),
    Rule("time-reference", "part of a date or period (3月, 2024年上半年)", _in_time_reference),
    Rule("time-window", "a time window (48小时内)", _time_window),
    Rule("locates-a-place", "how far a place is (步行5分钟, 距市中心15公里)", _locates_place),
    Rule("eligibility", "an eligibility rule (工作不满5年的)", _eligibility),
    Rule("relative-time", "a relative time or a holiday's length (3天后, 每5年, 假期3天)", _relative_time),
    Rule("recent-window", "the window another figure was counted over (近5年，…)", _recent_window),
    Rule(
        "since-opening",
        "how long a place has been open frames later figures (开业三个月以来)",
        _since_opening,
    ),
    Rule("attributive-duration", "a duration describing something (7天健康监测)", _describing_duration),
    Rule("attributive-age", "an age describing a person or a group (72岁的老党员)", _describing_age),
    Rule("attributive-measure", "a measure naming a kind of thing (1米线, 5兆瓦风机)", _describing_measure),
    Rule("quoted-name", "inside a short quoted name (“1000个创新平台”行动)", _inside_quoted_name),
    Rule("plan", "the clause states a plan or a forecast (计划, 拟, 预计, 将推出)", _planned),
    Rule("cap", "a cap or a quota (限流4万人, 限购2套)", _capped),
    Rule("forecast", "inside a forecast (预计明年增长5%)", _in_forecast),
    Rule(
        "group-descriptor", "names the group a later figure is measured over (31个大城市…)", _group_descriptor
    ),
    Rule("threshold", "the threshold of a class then counted (超过千亿元的省有12个)", _threshold),
    Rule("size-class", "the bound that defines a group (月收入8000元以下的家庭)", _size_class),
    Rule(
        "service-frequency",
        "how often a service is given, which defines it (每月至少随访1次、每季度上门3次)",
        _service_frequency,
    ),
    Rule("specification", "a product's rated performance (15分钟充电80%)", _specification),
)


ALL_RULES: tuple[Rule, ...] = SENTENCE_RULES + FRACTION_RULES + FIGURE_RULES
_FRACTION_CHAIN = SENTENCE_RULES + FRACTION_RULES
_FIGURE_CHAIN = SENTENCE_RULES + FIGURE_RULES


def rules_for(candidate: Candidate) -> tuple[Rule, ...]:
    """The rules a candidate goes through, in order."""
    return _FRACTION_CHAIN if candidate.is_fraction else _FIGURE_CHAIN


def dropping_rule(candidate: Candidate) -> Rule | None:
    """The first rule that drops the candidate, None when it is a figure."""
    for rule in rules_for(candidate):
        if rule.drops(candidate):
            return rule
    return None
