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
from etl.models import Indicator, Qualifier

_NUMERAL_CHARS = "〇零一二两三四五六七八九十百千"
INDICATOR_PATTERN = re.compile(
    rf"(?<![0-9０-９.．A-Za-z{_NUMERAL_CHARS}])"
    rf"(?:(?P<denominator>[{_NUMERAL_CHARS}]+)分之(?P<numerator>[{_NUMERAL_CHARS}]+)(?P<fraction_more>[余多强])?"
    rf"|(?P<number>{NUMBER}|(?<![上下前后大小多一])半(?=个?(?:月|小时|年|天)))"
    rf"(?P<inner>{MORE_THAN})?(?P<magnitude>{MAGNITUDE})?(?P<outer>{MORE_THAN})?"
    rf"(?:(?P<unit>{UNIT_ALTERNATION})|(?<=[0-9０-９万亿余多])(?P<loose>[\u4e00-\u9fff])(?=[，,。；;！？!?、）)”]|$))?"
    rf"(?P<half>(?<=[年天])半)?(?P<fold>{UNIT_FOLD})?"
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
_PRESCRIPTIVE = re.compile(r"须|(?<![仅只无])需(?!求|要)|必须|应当|应在|应于|不得|方可")  # 仅需3小时 reports
_FORECAST_BEFORE = re.compile(r"预计|预测|有望|预期目标|主要目标是|到(?:19|20)\d{2}年[^。；;]*?将")
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
_PLANNED = re.compile(
    r"力争|(?<![模虚])拟|计划(?!单列)|预计|有望|目标是|将达到?|将超过?|将突破|将保持|将在|将增长|将提高|建成后|投产后|"
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
    r"^(?:[的了，,。；;、：:）)”’！？!?\n]|$|左右|以上|上下|以下|多|余|长|宽|高|深)"
)
_CHENG_AS_VERB = re.compile(r"[立功交本果员绩效都长熟品就]")
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
_THRESHOLD_AFTER = re.compile(
    r"(?:以上|以下)?的[^，,。；;的]{1,10}?(?:已经|已)?(?:有|达到?|增至|增加到|增长到|升至|共计|总数为?|数量为?)"
    r"[约近超逾]?[0-9０-９一二两三四五六七八九十]"
)
# 40平方米以下的小户型, 年收入10万元以上的家庭: a bound on a size, an amount or an age defines the group
# the noun names (a share, 50%以上的税收, or a count, 100家以上的企业, is still the reported figure)
_SIZE_CLASS_AFTER = re.compile(r"(?:(?:及?以上|及?以下|以内|左右)的|及?以上|及?以下)[\u4e00-\u9fff“]")
_SIZE_CLASS_KINDS = frozenset(
    {
        UnitKind.AREA,
        UnitKind.MONEY,
        UnitKind.WEIGHT,
        UnitKind.DISTANCE,
        UnitKind.VOLUME,
        UnitKind.ENERGY,
        UnitKind.AGE,
        UnitKind.DURATION,
        UnitKind.CONCENTRATION,
        UnitKind.RATE,
    }
)
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
_CJK = re.compile(r"[\u4e00-\u9fff]")
# 这一比重, 该比例, 上述指标: a phrase that points back to a metric already named in the paragraph
_ANAPHOR = re.compile(
    r"(?:(?<![\s\S])|(?<=[，,：:。；;！？\n]))(?:其中[，,]?)?(?:这一|这个|该|此|上述|以上)"
    r"(?P<noun>比重|比例|占比|比率|数字|数据|指标|规模|增速|增幅|水平|数量|总量|金额|数值)"
)
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
    if m.group("unit"):
        return unit_spec(m.group("unit"))
    loose = m.group("loose")
    # 候鸟2万羽，: a measure word outside the lexicon, clear from its place at the end of the clause
    return written_unit_spec(loose) if loose and loose not in NOT_MEASURE_WORDS else None


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


def _starts_word(text: str, m: re.Match[str], spec: UnitSpec) -> bool:
    """人 of 人间, 户 of 户籍: the matched unit is the first character of a longer word."""
    unit_start = m.start("unit") if m.group("unit") else m.end()
    return any(text.startswith(word, unit_start) for word in _continuations(spec.surface))


def _is_date_or_name(text: str, m: re.Match[str], spec: UnitSpec | None, parsed: ParsedNumber) -> bool:
    number = m.group("number")
    before = text[max(0, m.start() - 2) : m.start()]
    unit_start = m.start("unit") if m.group("unit") else m.end()
    if spec is not None and _starts_word(text, m, spec):
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
    more_than = more_than or (spec is not None and "多" in spec.surface)  # 一个多月
    ratio = spec is not None and spec.kind is UnitKind.RATIO
    if number == "一" and not (
        m.group("magnitude") or more_than or ratio or _reported_duration(text, m, spec)
    ):
        return True  # 一张床位, 一座座: the article "a"
    discount = spec is not None and spec.surface == "折"
    if discount and text[max(0, m.start() - 1) : m.start()] == "波":
        return True  # 一波三折: an idiom
    if parsed.chinese and _TWO_DIGITS.search(number) and not _ZERO_DIGIT.search(number) and not discount:
        return True  # 四五百元: a vague range, no single value (八五折 is 85 %)
    if number.startswith("数") and len(number) == 1 and not m.group("magnitude"):
        return True  # 数家: "several", no figure
    directed = _DIRECTION_BEFORE.search(text[max(0, m.start() - 2) : m.start()]) is not None
    if parsed.round_figure and not (m.group("magnitude") or more_than or directed):
        return True  # 百家争鸣, 千家万户, 百年: idioms (突破百颗 is a figure)
    if spec is not None and spec.chinese_only and not parsed.chinese:
        return True
    if spec is not None and spec.surface == "成" and _CHENG_AS_VERB.match(text, m.end()):
        return True  # 3成交, 八成熟: 成 starts a word
    if spec is not None and spec.surface == "成" and number == "一" and text.startswith("为", m.end()):
        return True  # 其一成为: 一 ends a word and 成为 is the verb (约七成为中小企业 is a share)
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
    if spec.kind in (UnitKind.DURATION, UnitKind.DISTANCE) and _locates_a_place(text, m):
        return True
    if spec.kind is UnitKind.DURATION:
        if _CRITERION_BEFORE.search(preceding):
            return True  # 工作不满5年的青年人才: an eligibility rule
        if preceding.endswith("连续") or _DURATION_REPORTED_BEFORE.search(preceding):
            return False
        if _RELATIVE_BEFORE.search(preceding) or _DURATION_FRAME_BEFORE.search(preceding):
            return True
        if _RECENT_BEFORE.search(preceding) and _FRAME_AFTER.match(following):
            return True  # 近5年，全市累计新增…: the window over which another figure was counted
        if (
            _OPENED_FRAME_AFTER.match(following)
            and _OPENED_BEFORE.search(text, max(0, m.start() - 8), m.start())
            and _FIGURE_LATER.match(text, m.end())
        ):
            return True
        return _DURATION_FOLLOWERS.match(following) is None
    if spec.kind is UnitKind.AGE:
        # 72岁的老党员, 60岁以上老人: an age that describes a person or a group
        return _AGE_REPORTED_FOLLOWERS.match(following) is None
    if spec.kind in (UnitKind.DISTANCE, UnitKind.ENERGY):
        return _MEASURE_FOLLOWERS.match(following) is None  # 1米线, 5兆瓦风机
    return False


def _locates_a_place(text: str, m: re.Match[str]) -> bool:
    """步行约8分钟, 开车20分钟可达, 距市中心15公里: how far a place is from somewhere."""
    window_start = max(0, m.start() - 16)
    clause = text[window_start : m.start()]
    cut = max(clause.rfind(ch) for ch in "，,。；;：:！？\n")
    clause = clause[cut + 1 :]
    if _TRAVEL_MODE_BEFORE.search(clause) or _REACHED_AFTER.match(text, m.end()):
        return True
    return _LOCATED_FROM_BEFORE.search(clause) is not None


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


def _size_class(text: str, m: re.Match[str], spec: UnitSpec, clause_begin: int, raw_end: int) -> bool:
    """`月收入8000元以下的家庭`: the figure is the bound that defines a group, not a fact about it."""
    if spec.kind not in _SIZE_CLASS_KINDS:
        return False
    counted_class = spec.kind not in (UnitKind.DURATION, UnitKind.AGE) and text.startswith("的", raw_end)
    if counted_class and _COUNTED_GROUP_BEFORE.search(text, clause_begin, m.start()):
        return True  # 有12个研发经费超过千亿元的省份: the count is of the class the amount bounds
    if not _SIZE_CLASS_AFTER.match(text, raw_end):
        return False
    return _REPORTED_AMOUNT_BEFORE.search(text, clause_begin, m.start()) is None


def _implied_unit(text: str, m: re.Match[str], end: int, clause_begin: int) -> UnitSpec | None:
    """`估值千亿`: a magnitude without a unit takes the unit its subject implies; `1.4亿多退休人员`: the
    unit the noun after it is counted in."""
    if not m.group("magnitude"):
        return None
    if _CJK.match(text[end : end + 1] or "。") and text[end] not in "级左上以":
        return _noun_unit(text, m, end)
    before, _ = metric_rules.strip_trailing(text[clause_begin : m.start()])
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
    noun = metric_rules.counted_noun(text[end : end + 24])
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


def find_figures(text: str, sentence: Span, time_spans: list[tuple[int, int]]) -> list[Figure]:
    figures: list[Figure] = []
    sentence_text = text[sentence.start : sentence.end]
    prescriptive = _PRESCRIPTIVE.search(sentence_text) is not None
    forecast = _forecast_span(text, sentence)
    target = _target_span(text, sentence)
    rule_at = _RULE_MARKER.search(text, sentence.start, sentence.end)
    for m in INDICATOR_PATTERN.finditer(text, sentence.start, sentence.end):
        if target[0] <= m.start() < target[1]:
            continue  # 力争到2027年，…，…达到3000家: a target, not a fact
        if (
            rule_at is not None
            and rule_at.end() <= m.start()
            and _LIMIT_BEFORE.search(text, max(sentence.start, m.start() - 6), m.start())
        ):
            continue
        figure = _figure(text, m, sentence, time_spans, prescriptive, forecast)
        if figure is not None:
            figures.append(figure)
    return figures


def _figure(
    text: str,
    m: re.Match[str],
    sentence: Span,
    time_spans: list[tuple[int, int]],
    prescriptive: bool,
    forecast: tuple[int, int],
) -> Figure | None:
    if prescriptive:
        return None
    if not (m.group("unit") or m.group("loose") or m.group("magnitude") or m.group("denominator")):
        return None  # a bare number (2.39, 12333, the 一 of 一群群) is never a row
    if m.group("denominator"):
        return _fraction_figure(m, text, _clause_begin(text, m.start(), sentence.start))
    spec = _unit_of(m)
    raw_end = m.end()
    if spec is not None and m.group("magnitude") and _starts_word(text, m, spec):
        # 300余万户籍人口: 户 begins 户籍; the figure is the magnitude and the noun names the unit
        spec, raw_end = None, max(m.end("magnitude"), m.end("outer"))
    parsed = parse_number(m.group("number"), m.group("magnitude"))
    if _is_date_or_name(text, m, spec, parsed) or _rejected_shape(text, m, spec, parsed):
        return None
    clause_begin = _clause_begin(text, m.start(), sentence.start)
    if spec is None:
        spec = _implied_unit(text, m, raw_end, clause_begin)
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
    if forecast[0] <= m.start() < forecast[1]:
        return None  # 研究机构预计，今年…将在1%上下 / 到2027年，…将…达到3.6人: a forecast, not a fact
    stop = clause_end(text, m.end(), sentence.end)
    if _group_descriptor(text, m, spec, stop) or _THRESHOLD_AFTER.match(text, m.end(), stop):
        return None
    if _size_class(text, m, spec, clause_begin, raw_end):
        return None
    return _qualified_figure(text, m, spec, parsed, clause_begin, raw_end)


def _qualified_figure(
    text: str, m: re.Match[str], spec: UnitSpec, parsed: ParsedNumber, clause_begin: int, raw_end: int
) -> Figure:
    prefix, prefix_len = prefix_qualifier(text[max(clause_begin, m.start() - 4) : m.start()])
    suffix, suffix_len = suffix_qualifier(text[raw_end : raw_end + 2])
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
    value = (parsed.value + (Decimal("0.5") if _has_half(m) else 0)) * scale
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
    last_metric: str = ""  # the metric of the paragraph's previous figure, for 这一比重 / 该比例


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
        anaphor = _ANAPHOR.search(text, begin, figure.context_start)
        if anaphor is not None and state.last_metric:
            metric = _resolve_anaphor(metric, anaphor.group("noun") or "", state.last_metric)
        elif not _meaningful(metric):
            metric = _fallback_metric(text, sentence.start, begin, figure)
        state.last_metric = metric
        if index in group_metrics or result.subject:
            state.previous_subject = metric if index in group_metrics else result.subject
            state.subject_sentence = sentence.start
        if figure.unit == "百分点":
            state.previous_points_metric = metric
        previous_end = figure.context_end + result.consumed_after
        labelled.append(_Labelled(figure, metric))
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
    # 分别增加120亿元、85亿元: each member's row is the change of that member (house rules, growth rows)
    change = metric_rules.list_change_suffix(lead, first.unit)
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
            region = region_between(text, mentions, sentence.start, start, paragraph_start) or region_hint
            indicators.append(_indicator(text, item, sentence, period, region, source, image_position))
    return indicators


__all__ = ["Figure", "extract"]
