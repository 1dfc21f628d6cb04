"""The metric of a figure: the short noun phrase, taken from its sentence, that the figure measures.

Where it comes from, in order of preference:
- a 分别 list pairs each figure with its member of the enumeration (core.py does the pairing);
- `3650.3万亿元的金融市场成交额`: the noun phrase after 的;
- `50个备案大模型`: a count unit followed by the counted noun;
- `集装箱吞吐量5150.6万标箱`: the phrase before the figure, trimmed of time, place, discourse words
  and the verb that links it to the figure (达到, 为, 突破 …);
- `同比增长5.2%`: nothing left before the figure, so the subject of the previous figure is reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.extract.periods import TIME_PATTERN
from etl.extract.regions import REGION_PREFIX_PATTERN

# Verbs and adverbs that link a subject to its figure; trimmed from the end of the phrase before it.
_LINK_TAIL = re.compile(
    r"(?:分别(?:为|是|达到|达)?|达到了?|达|为|是|有|在|共计|合计|总计|已达到?|达至|升至|降至|增至|"
    r"提高到|提高至|提升到|提升至|上升到|上升至|下降到|下降至|降到|缩短至|缩短到|压缩到|压缩至|稳定在|"
    r"保持在|超过了?|超出|突破|超|逾|约为|(?<![签节制条公预相邀履合违解特婚誓践集])约|大约|将近|接近|近|不到|不足|(?<!最)高达|(?<!最)多达|首次|已|已经|了|的|"
    r"共|仅需|只需|只要|仅仅|仅|累计达|按照?|(?:能|可)(?:达到|达|到)|优于|(?<![截甚])至|(?<![预汇通申快日周年月海电情举上公])报)$"
)
# Duration figures introduced by 用 ("仅用172天") measure the time something took
# 投用 / 使用 / 应用 end in 用 too, so a bare 用 needs an adverb (仅用, 只用, 共用)
_TOOK_TAIL = re.compile(r"(?:(?:仅仅|仅|只|共|总共|前后|先后)(?:用时|用了|用)|用时|用了|历时|耗时)$")
# 提前一个月完成: the duration is an offset; the metric is the offset verb and what was done
_OFFSET_TAIL = re.compile(r"(?:提前|提早|推迟|延迟|延后)$")
_GROWTH_VERB = (
    r"(?:名义|实际)?(?:增长|下降|增加|减少|扩大|缩小|提升|提高|回落|加快|放缓|上升|多增|少增|"
    r"上调|下调|回升|增幅|降幅|上涨|下跌|下滑|攀升)"
)
_GROWTH_TAIL = re.compile(rf"(?P<verb>{_GROWTH_VERB})$")
_COMPARISON = re.compile(r"(?:(?<!占)比(?![重例])|较|与|高于|低于|快于|慢于)[^，,。；;]{0,12}$|同比|环比")
# 比全国高 / 高于全国: a gap to a comparison base; the figure belongs to the subject before it
_GAP_TO_BASE = re.compile(
    r"^(?:(?:比|较)[^，,。；;]{1,10}(?:高|低|快|慢|多|少)|(?:高于|低于|快于|慢于)[^，,。；;]{1,10})$"
)
_TRAILING_ADVERB = re.compile(
    r"(?:总体|普遍|整体|稳步|持续|大幅|明显|较快|继续|始终|一直|依然|仍然|仍|(?<![人日户平亩])均|(?<!首)都|累计|"
    r"就|(?<!人)才|却|也|还|可|将|甚至|(?<![永长久深疏遥])远)$"
)
# Institutions named with their place (成都地铁, 全省法院, 全国边检机关) keep it: it is part of the name
INSTITUTIONS = "地铁|铁路|法院|检察|边检|海关|机场|公安|税务|公交|高铁|各级"
_LEADING_NOISE = re.compile(
    r"^(?:其中|此外|同时|另外|另|数据显示|据统计|统计显示|初步核算|这里|这座|这家|这些|这个|这一|"
    r"该[市省县区镇村乡站港厂园馆所院校]|该|这|(?:月|年|季)[末底初]|"
    rf"目前|如今|当前|(?:全市|全省|全区|全县|全州|全盟|全旗|全镇|全乡|全村)(?!{INSTITUTIONS})|全港|本市|某市|现有|假期|节日期间|(?:全国)?各地|"
    r"(?:已经|已)(?![\u4e00-\u9fff]{1,3}的)|还|也|都|均|仍|又|让|使|把|成为|相当于|仅|"
    r"各类|各级|各|他们|他|她|我们|共有|拥有|(?:有|共)(?![效关力限序机益利])(?=[^的]{3,}$)|"
    r"(?:全球|全国|世界|国内|中国)?首[个家座批]|扣除[^，,]*?因素|按[^，,]*?计算|"
    r"一(?:家|个|位|名|座|所|批)(?=[^的]{2,})|"
    r"据[^，,]{1,12}?(?:统计|监测|测算|介绍)|(?:新开通|新建成|新投用|新建|新开)的|"
    r"[两三四五六七八九十]大(?:国际)?(?:机场|港口|港|城市|平台|基地|园区|片区|板块|区域)|"
    r"(?:依托|依靠|借助|围绕|利用|结合|立足)[^，,]*?的(?=[^的]{4,}$)|的)"
)
# Discourse words that are never a metric, even when nothing is left after removing them
_DISCOURSE_ONLY = re.compile(
    r"^(?:其中|此外|同时|另外|另|目前|如今|当前|这里|据统计|数据显示|统计显示|对此|为此)$"
)
# 纳入监测的88个乡村旅游点接待游客: the sample a figure was measured over is not part of its name
_SAMPLE_PREFIX = re.compile(r"^[^，,]*?(?:监测|调查|抽样|统计)的[0-9０-９]+[个家座所项户]")
# 以来 closes a time frame (春运以来, 今年以来, 自开通以来): what follows is the subject
_FRAME_END = re.compile(r"^[^，,]*?以来")
# 海关共监管…, 全国已组建…: the agent before 共 / 已 goes; the metric starts at the verb
_AGENT_VERBS = (
    "监管|保障|运送|发送|接待|组建|投入|完成|实现|办理|审结|受理|开行|建成|新建|培育|引进|吸引|带动|发放|筹集|"
    "筹建|开工|签约|开通|新开通|恢复|服务|收获|收购|销售|认定|设立|建设|培训|救助|帮扶|开展|举办|吸纳|新增|处理|"
    "集聚|聚集|汇聚|投用|投运|检测|救治|接诊|安置|转移|回收|交付|治理|生产|推出|上线|发布|出台|建立|组织|分配|批准|提起|判处|追回|查处|"
    "立案|累计|减免|接收|选派|查验|审理|执结|办结|化解|调解|起诉|派出|走访|执飞|新开|落实|出动|投放|种植|修复|改造|培养|招聘|招收|录取|资助|捐赠|捐款|查获|抓获|破获"
)
_AGENT = re.compile(rf"^[^，,]{{2,}}?(?:共|已经|已)(?=(?:{_AGENT_VERBS})[^的]{{2,}}$)")
# 铁路部门在重点方向加开…: a place or domain adverbial before the verb
_LOCATIVE = re.compile(r"^[^，,]{0,12}?在[^，,]{1,10}?(?:方向|领域|方面|地区|区域|线路|环节|层面)")
# 通过…等方式筹集房源, 向…等群体发放补贴: what remains of a means or beneficiary adverbial after 等
# Each cut with a character its pattern needs, so phrases without it skip the regex
_CLAUSE_CUTS = (
    ("以来", _FRAME_END),
    ("的", _SAMPLE_PREFIX),
    ("在", _LOCATIVE),
    ("已", _AGENT),
    ("共", _AGENT),
)
_ADVERBIAL_HEAD = re.compile(
    r"^(?:方式|渠道|途径|形式|手段|措施|群体|人群|人员|对象|方面|领域|行业)(?=[\u4e00-\u9fff]{3})"
)
# 我国 adds nothing to a national figure; 全国 is kept, it is part of names like 全国城镇调查失业率
# 湖北实验室, 甘肃省博物馆, 江夏实验室: a place that names an institution is part of its name, not a
# scope to trim
_NAMED_INSTITUTION = re.compile(
    r"[\u4e00-\u9fff]{0,2}?(?:实验室|研究院|研究所|科学院|大学|学院|医院|博物馆|美术馆|图书馆|科技馆|纪念馆|"
    r"银行|集团|交易所|大剧院)"
)
_NATIONAL_PREFIX = re.compile(rf"^(?:我国|全国)(?!{INSTITUTIONS})")
# Words removed wherever they stand in the phrase
_INNER_NOISE = (
    re.compile(r"自[^，,]{1,8}?以来"),  # 京雄城际铁路自开通以来累计发送旅客
    re.compile(r"已(?=累计|经|达|有|完成|实现|超|保持|连续)"),
    re.compile(r"共(?=办理|完成|实现|发放|接待|开展|培训|收购|有)"),
    re.compile(r"可(?=发电|满足|同时|实现|达到|提供)"),
    re.compile(r"约(?=占)"),
    re.compile(r"本轮|本次|此次|此轮"),  # 欧洲央行本轮累计降息
    re.compile(r"按[^，,]{1,8}?(?:计算|口径|统计)"),  # 按年率计算, 按可比口径
)
_INNER_COMPLETE = re.compile(r"(?<=.)(?<!全国)(?:完成|实现)(?=[^，,]*(?:量|额|值|投资|收入)$)")
_QUOTE_CHARS = '“”‘’"「」'
HEAD_NOUNS = re.compile(
    r"(?:量|额|值|率|数|总数|规模|面积|长度|全长|收入|产值|支出|投资|比重|比例|占比|GDP|成交额|人口|"
    r"能力|指数|强度|水平|产量|销量|增速|估值|月租|租金|价格|时间|里程|容量|效率)$"
)
VERBS = (
    "开发",
    "链接",
    "连接",
    "培育",
    "构建",
    "服务",
    "辐射",
    "接入",
    "覆盖",
    "推动",
    "支持",
    "建成",
    "建设",
    "新建",
    "开通",
    "举办",
    "引进",
    "引育",
    "孵化",
    "打造",
    "联合",
    "提供",
    "涉及",
    "惠及",
    "出动",
    "投入",
    "发放",
    "招聘",
    "吸纳",
    "带动",
    "选派",
    "派出",
    "组织",
    "吸引",
    "监控",
    "管理",
    "培训",
    "开展",
    "新增",
    "布局",
    "治理",
    "流转",
    "收购",
)
_VERB_ALTERNATION = "|".join(sorted(VERBS, key=len, reverse=True))
# The verb by which a place holds what it counts (已集聚, 已投用, 建成): not part of what later rates measure
_HOLDING_VERB_PREFIX = re.compile(
    r"^(?:[^，,的]{0,6}?(?:已经|已|累计|共))?"
    r"(?:集聚|聚集|汇聚|投用|投运|落户|入驻|拥有|建有|建成|培育|引进|开通|布局|打造)(?=[\u4e00-\u9fff]{2})"
)
# 布局建设, 累计培育, 同时监控: the governing verb with a verb or adverb right before it
_GOVERNING_VERB_TAIL = re.compile(rf"(?:{_VERB_ALTERNATION}|同时|累计)?(?:{_VERB_ALTERNATION})$")
# Where the counted noun after a count unit ends: a verb, a digit, or clause punctuation
_NOUN_END = re.compile(
    r"[0-9０-９，,。；;：:！？!?\n（(]|落地|上市|投入|让|共同|参与|正在|正|已|在|是|为|被|将|可|获|得到|"
    r"开展|进行|成为|形成|完成|实现|追发|享受|入驻|参加|提供|带动|受益|通过|发挥|同比|同期|分别|累计|"
    r"达到|超过|突破|增长|下降|集中|亮相|驻足|参展|落户|签约|开工|投用|获批|入选|出席|参观|观看|报名|参赛|参会|"
    r"到场|签署|发布|落成|投运|运营|营业|接待|运送|发送|集聚|聚集|扎根|下沉|抱团|"
    r"(?<![方导意走倾面转志动取指去航风纵横双单定逆正反外内])向|(?:上|中|里)?(?:应用|使用|运行|部署)|"
    r"(?:近|约|超过|超|逾|突破|达)(?=[0-9０-９一二两三四五六七八九十百千数])|$"
)
_BOUNDED_CLASS = re.compile(
    r"(?:近|约|超过|超|逾|突破|达到|达|高于|低于|不到|不足)[0-9０-９.．一二两三四五六七八九十百千]+[多余]?"
    r"(?:万亿|千亿|百亿|亿|千万|百万|万)?[\u4e00-\u9fff%％]{0,4}?(?:以上|以下)?的"
)
# A phrase starting with these describes a figure's relation to something else, not what later figures
# of the sentence measure
_NOT_A_SUBJECT = ("完成", "达成", "实现", "超过", "高于", "低于", "比", "较")
# 增速 only names the change of whatever the sentence is about; it is not a subject to pass on
_RATE_WORDS = ("增速", "增幅", "降幅", "比重", "占比")
_DE_VERB = re.compile(r"具有|拥有|参与|从事|提供|实现|开展|获得|入选|来自|位于|覆盖|涉及|参加")
_COMPARED_BEFORE = re.compile(r"(?:比|较|与|同|于|是)$")
_AFTER_EVENT = re.compile(r"^[\u4e00-\u9fff]{1,4}后(?=[\u4e00-\u9fff]{4})")
_COMPLETION_VERB = re.compile(r"^(?:完成|实现)")
_LEADING_EXAMPLE_VERB = re.compile(
    r"^(?:新引进|新签约|新开工|新增|新建|新开通|累计引进|累计建成|引进|建成|培育|打造|开通|签约|落地|实施|推出)"
)
# 等 closing a list of examples, not the 等 of 高等 / 中等 / 平等 / 一等奖
_EXAMPLES = re.compile(
    r"^[^，,]+?(?<![高中初平同相均对上次优特头超一二三])等(?![级奖待])(?=[\u4e00-\u9fff]{2,})"
)
_PER_UNIT_TAIL = re.compile(
    r"(?:普遍)?(?:达到|达|为|在|是|提高到|提高至|提升到|提升至|增加到|增至|上调至|调整为)(?:每[\u4e00-\u9fff]{1,2}){1,2}$"
)
# 药品集采已开展10批: a light verb after the subject says only that the counted thing took place
_LIGHT_VERB_ENDINGS = ("开展", "进行", "实施", "举办", "了")
_LIGHT_VERB_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{4})(?:已经|已)?(?:开展|进行|实施|举办)了?$")
_EXCHANGE_BASE_TAIL = re.compile(
    r"[0-9０-９]+(?:[.．][0-9]+)?[\u4e00-\u9fff]{1,3}(?:对|兑|兑换)[\u4e00-\u9fff]{1,4}$"
)
_FROM_TAIL = re.compile(r"(?:由|从)(?:原来|过去|以前)?的?$")
# 回落至28微克/立方米: a change to a new level gives the level, whatever the verb
_CHANGED_TO_TAIL = re.compile(rf"(?:{_GROWTH_VERB}|降低)(?:到|至)$")
_COHORT = re.compile(r"\d{4}(?:届|年度)")
_PAREN = re.compile(r"[（(][^）)]{1,8}[）)]")
_DE_NOUN = re.compile(r"(?P<gap>[^，,。；;、的\d]{0,6})的(?P<noun>[^，,。；;、！？\n]+)")
_SCOPE_TAIL = re.compile(r"(?:全国|全球|全省|全市|我国|国内|国外|境内|世界)$")
_SHARE = re.compile(r"占(?P<base>[^，,。；;占]*?)(?P<de>的)?(?P<ratio>比重|比例)?$")
_ACTOR_VERB = re.compile(r"参展|参会|参赛|入驻|落户|签约|参加|参与|报名|入选|获批")
_FINAL_VERB = re.compile(r"(落地|上市|投产|运行|开业)(?=[，,。；;]|$)")
_LOCATED_AT = re.compile(r"^位于[^的]{0,12}的")
_CLAUSE_SPLIT = re.compile(r"[，,。；;、！？\n]")


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


_DATED_END = re.compile(
    r"(?:从|由|增长到|增加到|提高到|提升到|下降到|减少到|降低到|到)(?:19|20)\d{2}年(?:底|末)?的$"
)


def _strip_quotes(text: str) -> str:
    return text.strip(_QUOTE_CHARS + " 　")


def _balanced(text: str) -> str:
    """Keep quotation marks that pair up (从毛坯到“拎包入住”); drop a stray one cut off at an end."""
    return text if text.count("“") == text.count("”") else _strip_quotes(text)


def _cut_after_time(text: str) -> str:
    """Drop everything up to the last time reference: 2024年上海接待… -> 上海接待…
    A comparison base (比上年, 较去年同期) stays: it belongs to the phrase."""
    last_end = 0
    base_end = -1  # end of the last comparison base: 较2024年国庆节假期 is one base, not a base and a period
    for m in TIME_PATTERN.finditer(text):
        if m.end() == m.start():
            continue
        if _COMPARED_BEFORE.search(text, 0, m.start()) or m.start() == base_end:
            base_end = m.end()
        else:
            last_end = m.end()
    return text[last_end:]


def strip_leading(text: str) -> str:
    """Trim time, place and discourse words from the front, keeping at least a meaningful phrase."""
    text = _cut_after_time(text).lstrip("，,、 　")
    for pattern in _INNER_NOISE:
        text = pattern.sub("", text)
    if _DISCOURSE_ONLY.match(text):
        return ""
    while True:
        before = text
        m = _LEADING_NOISE.match(text)
        if m and len(text) - m.end() >= 2:
            text = text[m.end() :]
        for marker, pattern in _CLAUSE_CUTS:
            m = pattern.match(text) if marker in text else None
            if m and len(text) - m.end() >= 3:
                text = text[m.end() :]
        m = _AFTER_EVENT.match(text)  # 通车后日均通行能力
        if m and not text.startswith(("此后", "今后", "随后", "之后")):
            text = text[m.end() :]
        m = _COMPLETION_VERB.match(text)
        if m and HEAD_NOUNS.search(text) and len(text) > 4:
            text = text[m.end() :]
        for pattern in (REGION_PREFIX_PATTERN, _NATIONAL_PREFIX):
            m = pattern.match(text)
            if m and m.end() > 0 and len(text) - m.end() >= 3 and not _NAMED_INSTITUTION.match(text, m.end()):
                text = text[m.end() :]
        if text == before:
            return _INNER_COMPLETE.sub("", text)


def drop_examples(text: str) -> str:
    """叶片、塔筒等主要零部件本地配套率 -> 主要零部件本地配套率: examples before 等 are not the metric."""
    listed = _EXAMPLES.match(text)
    if listed is None:
        return text
    rest = text[listed.end() :]
    adverbial = _ADVERBIAL_HEAD.match(rest)
    rest = rest[adverbial.end() :] if adverbial else rest
    # 新引进冷链物流、跨境电商等项目: the verb before the examples still governs the noun after them
    verb = _LEADING_EXAMPLE_VERB.match(text)
    return (verb.group() + rest) if verb and not rest.startswith(verb.group()) else rest


def strip_trailing(text: str) -> tuple[str, bool]:
    """Trim the linking verb and qualifiers from the end; report whether a 用-duration verb was there."""
    took = False
    # 试验速度达到每小时 / 容重普遍在每升: the per-unit word follows a linking verb, the metric is before it
    text = _PER_UNIT_TAIL.sub("", text)
    if "对" in text or "兑" in text:
        text = _EXCHANGE_BASE_TAIL.sub("", text)  # 中间价为1欧元对人民币8.2156元
    text = text.removesuffix("就")
    text = _FROM_TAIL.sub("", text)
    # 人均年收入从2012年的3000元增长到2024年的2.8万元: the dated ends of a change
    text = _DATED_END.sub("", text)
    text = _CHANGED_TO_TAIL.sub("", text)
    m = _TOOK_TAIL.search(text)
    if m:
        took = True
        text = text[: m.start()]
    while True:
        before = text
        text = _LINK_TAIL.sub("", text)
        text = _TRAILING_ADVERB.sub("", text)
        if text == before:
            return text, took


def _counted_noun(after: str) -> tuple[str, int]:
    """`个备案大模型落地` -> 备案大模型: the noun right after a count unit, up to a verb or punctuation."""
    cohort = _COHORT.match(after)  # 1222万名2025届高校毕业生
    if cohort:
        noun, used = _counted_noun(after[cohort.end() :])
        return (cohort.group() + noun, cohort.end() + used) if noun else ("", 0)
    if not after or not ("\u4e00" <= after[0] <= "\u9fff" or after[0] in _QUOTE_CHARS):
        return "", 0
    end = _NOUN_END.search(after)
    assert end is not None  # the pattern matches at the end of the string
    bound = _BOUNDED_CLASS.match(after, end.start())
    if bound is not None and end.start() > 0:
        # 12个研发经费超过千亿元的省份: the bound is part of the class counted; keep it with the noun
        class_end = _NOUN_END.search(after, bound.end())
        assert class_end is not None  # the pattern matches at the end of the string
        return after[: class_end.start()], class_end.start()
    noun = after[: end.start()]
    if "的" in noun:
        head, _, tail = noun.rpartition("的")
        noun = tail if tail and _DE_VERB.search(head) else head
    noun = noun.rstrip("、")
    # 个省（区、市）: a parenthesis right after the noun belongs to it
    rest = after[end.start() :]
    paren = _PAREN.match(rest)
    if paren and noun:
        return noun + paren.group(), end.start() + paren.end()
    return noun, end.start()


def counted_noun(after: str) -> str:
    """The noun a figure counts when it follows the figure directly (1.4亿多退休人员 -> 退休人员)."""
    return _counted_noun(after)[0]


def _noun_after_de(after: str) -> tuple[str, str, int] | None:
    """`规模的三大先导产业基金` -> (三大先导产业基金, 规模): a 的 right after the figure introduces it."""
    m = _DE_NOUN.match(after)
    if m is None:
        return None
    noun = m.group("noun")
    end = _NOUN_END.search(noun)
    if end is not None and end.start() > 0:
        noun = noun[: end.start()]
    noun = noun.rpartition("的")[2]
    if len(_strip_quotes(noun)) < 2:
        return None
    return noun, m.group("gap"), m.start("noun") + len(noun)


def _leading_verb(before: str) -> str | None:
    """The verb that governs a counted noun: 服务全国 -> 服务, 联合人民网等 -> 联合, 布局建设 -> 布局建设."""
    text = before.removesuffix("了")
    if text.endswith("等"):
        for verb in VERBS:
            if text.startswith(verb):
                return verb
        return None
    text = _SCOPE_TAIL.sub("", text).removesuffix("了")
    m = _GOVERNING_VERB_TAIL.search(text)
    return m.group() if m else None


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
    subject = _TRAILING_ADVERB.sub("", _COMPARISON.sub("", head))
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
    rf"(?P<verb>{_GROWTH_VERB})了?(?:约|近|超过?|逾)?$"
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


def metric_for(ctx: MetricContext) -> MetricResult:
    trimmed, took = strip_trailing(ctx.before)
    if not ctx.is_duration and trimmed.endswith(_LIGHT_VERB_ENDINGS):
        trimmed = _LIGHT_VERB_TAIL.sub("", trimmed)  # 实施两年多 keeps its verb; 已开展10批 does not
    trimmed = drop_examples(strip_leading(trimmed))

    share = _share(trimmed, ctx.previous_subject)
    if share is not None:
        return MetricResult(share[0], share[1], 0)
    if ctx.is_duration:
        duration = _duration_metric(ctx, trimmed, took)
        if duration is not None:
            return duration

    de = _noun_after_de(ctx.after)
    if de is not None and ctx.is_count and de[1]:
        de = None  # 11家单位共同组建的企业: the counted noun comes first
    if de is not None:
        noun, gap, used = de
        if trimmed and HEAD_NOUNS.search(trimmed):
            return MetricResult(trimmed, trimmed, 0)
        verb = _leading_verb(trimmed) if trimmed else None
        metric = (verb + noun) if verb else noun + (gap if not gap.startswith("连续") else "")
        return MetricResult(metric, noun, used)

    if ctx.is_count and trimmed in _SUBSET_OPENERS:
        subset = _subset_metric(ctx)
        if subset is not None:
            return subset

    completes = trimmed.endswith(("完成", "实现", "达成"))  # 完成了8500多万亩小麦的收获任务
    governed = not trimmed or completes or _leading_verb(trimmed) is not None
    noun_first = ctx.is_count or (ctx.takes_noun and governed)
    if noun_first:
        noun, used = _counted_noun(ctx.after)
        if noun:
            verb = _leading_verb(trimmed) if trimmed else None
            if verb and ctx.before.endswith("的"):
                return MetricResult(verb + "的" + noun, "", used)  # 他流转的1200多亩地 -> 流转的地
            if verb:
                tail = ctx.after[used:]
                final_verb = _FINAL_VERB.match(tail)
                return MetricResult(verb + noun + (final_verb.group() if final_verb else ""), "", used)
            short_actor = _ACTOR_VERB.match(ctx.after, used) if len(noun) <= 2 else None
            if short_actor:  # 1022家企业参展: a bare noun says more with the verb it does
                return MetricResult(noun + short_actor.group(), "", used)
            return MetricResult(noun, "", used)

    rest = _clause_rest(ctx.after)
    if ctx.is_duration and rest and trimmed.endswith("实现"):
        return MetricResult(rest, "", len(rest))  # 实现1066秒稳态长脉冲高约束模等离子体运行
    if ctx.is_duration and rest.startswith(("实现", "完成", "刷新")):
        return MetricResult(rest, "", len(rest))  # 172天实现100%旧改签约
    if rest and ctx.unit == "%" and (not trimmed or trimmed in ("实现", "完成", "达成")):
        # 100%自主签约; 约七成为中小企业: the copula after a share only links it to what it counts
        named = rest[1:] if rest.startswith(("为", "是")) and len(rest) > 2 else rest
        return MetricResult(named, "", len(rest))
    gap_only = _GAP_TO_BASE.match(trimmed) is not None
    if gap_only:
        trimmed = ""
        if ctx.unit == "百分点" and ctx.previous_points_metric:
            return MetricResult(ctx.previous_points_metric, "", 0)  # …加快0.1个百分点，高于全国0.4个百分点
    subject, base, verb = _growth(_from_predicate(trimmed))
    subject = subject.strip("，,、 ")
    if subject in _ABSTRACT_SUBJECTS and verb:
        subject += verb  # 全年经济增长1.0%: 经济 alone names no quantity
    if subject in _AVERAGE_WORDS and ctx.previous_subject:
        # …边检机关累计查验出入境人员1886.8万人次，日均235.9万人次: the average of the same activity
        subject += _ACCUMULATED.split(ctx.previous_subject)[-1]
    if subject.startswith("是") and ctx.unit in ("倍", "%") and ctx.previous_subject:
        return MetricResult(ctx.previous_subject, "", 0)  # …14.8件，是“十三五”末的2.5倍
    streak = subject.endswith("连续") or subject == "连续"
    subject = subject.removesuffix("连续")
    if streak:
        base = strip_trailing(subject)[0] or ctx.previous_subject  # 为连续两个月增长: 为 only links
        return MetricResult(base + _clause_rest(ctx.after), base, 0)
    if took:
        return MetricResult((subject or "") + "用时", subject, 0)
    if subject:
        metric = _balanced(subject)
        inherited = "" if subject.startswith(_NOT_A_SUBJECT) or subject in _RATE_WORDS else subject
        # 园区已集聚生物医药企业560家，同比增长12%: the change is of the firms, not of the gathering
        inherited = _HOLDING_VERB_PREFIX.sub("", inherited)
        return MetricResult(_change_metric(metric, base, verb, ctx.unit), inherited, 0)
    if ctx.previous_subject:
        return MetricResult(_change_metric(ctx.previous_subject, base, verb, ctx.unit), "", 0)
    if not rest and ctx.is_duration:
        rest = _balanced(_LOCATED_AT.sub("", ctx.next_clause))
    return MetricResult(rest or verb, "", 0)


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
    clause = _clause_rest(ctx.after)
    predicate = _SUBSET_PREDICATE.search(clause)
    if predicate is None or predicate.start() > 8:
        return None
    noun = clause[: predicate.start()]
    what = clause[predicate.start() :]
    if not noun:
        previous = ctx.previous_subject
        action = _ACTION_PREFIX.match(previous)
        cut = _leading_verb(previous) or (action.group() if action else "") if previous else ""
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
    rest = _clause_rest(ctx.after).lstrip("就才便即")
    offset = _OFFSET_TAIL.search(trimmed)
    if offset is not None:
        return MetricResult(offset.group() + rest, "", 0)
    if took and trimmed:
        return MetricResult(_balanced(trimmed) + "用时", "", 0)
    if trimmed and ctx.after.startswith("的") and not HEAD_NOUNS.search(trimmed):
        return MetricResult(
            _balanced(trimmed), "", 0
        )  # the 的-noun after is what lasted, not what was measured
    if rest.startswith(("实现", "完成", "刷新")) and not trimmed:
        return MetricResult(rest, "", 0)  # 三天就完成了八成以上的收获任务
    return None


def _from_predicate(phrase: str) -> str:
    """`光伏板下种植的沙生植物已治理沙化土地` -> 治理沙化土地: in a long phrase whose agent is described
    with 的, the figure measures what the verb after that description acts on."""
    if len(phrase) <= 10 or "的" not in phrase:
        return phrase
    tail = phrase.rpartition("的")[2]
    for verb in VERBS:
        at = tail.find(verb)
        if at > 0 and len(tail) - at - len(verb) >= 2:
            return tail[at:]
    return phrase


def _clause_rest(after: str) -> str:
    """The rest of the clause after the figure, without a leading particle: 排名世界第一."""
    rest = _CLAUSE_SPLIT.split(after, maxsplit=1)[0]
    return rest.removeprefix("的")
