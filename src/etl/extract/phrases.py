"""Phrase trimming and noun finding: the pieces a metric is cut from.

strip_leading / strip_trailing trim time, place, discourse words and the linking verb from the phrase
before a figure (`2024年，上海港集装箱吞吐量` -> 集装箱吞吐量); counted_noun and noun_after_de find the
noun after a figure (`50个备案大模型落地` -> 备案大模型); metrics.py decides which of them names the figure.
"""

from __future__ import annotations

import re

from etl.extract.periods import TIME_PATTERN
from etl.extract.regions import REGION_PREFIX_PATTERN
from etl.extract.sentences import GLOSS

# Verbs and adverbs that link a subject to its figure; trimmed from the end of the phrase before it.
_LINK_TAIL = re.compile(
    r"(?:分别(?:为|是|达到|达)?|达到了?|达|为|是|有|在|共计|合计|总计|已达到?|达至|升至|降至|增至|"
    r"提高到|提高至|提升到|提升至|上升到|上升至|下降到|下降至|降到|缩短至|缩短到|压缩到|压缩至|稳定在|"
    r"保持在|超过了?|超出|突破|迈上|跨上|跃上|迈过|超|逾|约为|(?<![签节制条公预相邀履合违解特婚誓践集])约|大约|将近|接近|近|不到|不足|(?<!最)高达|(?<!最)多达|首次|已|已经|了|的|"
    r"共|仅需|只需|只要|仅仅|仅|累计达|按照?|(?:能|可)(?:达到|达|到)|优于|(?<![截甚])至|(?<![预汇通申快日周年月海电情举上公])报)$"
)
# Duration figures introduced by 用 ("仅用172天") measure the time something took
# 投用 / 使用 / 应用 end in 用 too, so a bare 用 needs an adverb (仅用, 只用, 共用)
_TOOK_TAIL = re.compile(r"(?:(?:仅仅|仅|只|共|总共|前后|先后)(?:用时|用了|用)|用时|用了|历时|耗时)$")
GROWTH_VERB = (
    r"(?:名义|实际)?(?:增长|下降|增加|减少|扩大|缩小|提升|提高|回落|加快|放缓|上升|多增|少增|"
    r"上调|下调|回升|增幅|降幅|上涨|下跌|下滑|攀升|(?:将近|接近|近|约|超过|超)?翻)"
)
TRAILING_ADVERB = re.compile(
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
_DE_VERB = re.compile(r"具有|拥有|参与|从事|提供|实现|开展|获得|入选|来自|位于|覆盖|涉及|参加")
_COMPARED_BEFORE = re.compile(r"(?:比|较|与|同|于|是)$")
_AFTER_EVENT = re.compile(r"^[\u4e00-\u9fff]{1,4}后(?=[\u4e00-\u9fff]{4})")
# 投入研究与试验发展经费, 完成地区生产总值, 累计实现营业收入: a verb of action before a measured noun
# says what was done with the quantity, not what it is; the noun alone is the subject
_ACTION_VERBS = r"(?:投入(?!强度|产出|力度|水平|比)|完成|实现|达到|达成|录得|创造)"
_ACTION_VERB = re.compile(rf"^(?:(?:累计|共计|合计){_ACTION_VERBS}?|(?:共|已经|已)?{_ACTION_VERBS})了?")
# 快递业务量完成, 营业收入实现: the same verbs after the measured noun
_ACTION_VERB_TAIL = re.compile(r"(?:累计|共计|共|已经|已)?(?:完成|实现|达成|录得)了?$")
# The nouns a quantity of money is named by, besides the HEAD_NOUNS (研发经费, 财政资金)
_FUNDS = re.compile(r"(?:经费|资金|费用)$")
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
_EXCHANGE_BASE_TAIL = re.compile(
    r"[0-9０-９]+(?:[.．][0-9]+)?[\u4e00-\u9fff]{1,3}(?:对|兑|兑换)[\u4e00-\u9fff]{1,4}$"
)
_FROM_TAIL = re.compile(r"(?:由|从)(?:原来|过去|以前)?的?$")
# 回落至28微克/立方米: a change to a new level gives the level, whatever the verb
_CHANGED_TO_TAIL = re.compile(rf"(?:{GROWTH_VERB}|降低)(?:到|至)$")
_COHORT = re.compile(r"\d{4}(?:届|年度)")
_PAREN = re.compile(r"[（(][^）)]{1,8}[）)]")
_DE_NOUN = re.compile(r"(?P<gap>[^，,。；;、的\d]{0,6})的(?P<noun>[^，,。；;、！？\n]+)")
_SCOPE_TAIL = re.compile(r"(?:全国|全球|全省|全市|我国|国内|国外|境内|世界)$")
_CLAUSE_SPLIT = re.compile(r"[，,。；;、！？\n]")

_DATED_END = re.compile(
    r"(?:从|由|增长到|增加到|提高到|提升到|下降到|减少到|降低到|到)(?:19|20)\d{2}年(?:底|末)?的$"
)


def _strip_quotes(text: str) -> str:
    return text.strip(_QUOTE_CHARS + " 　")


def balanced(text: str) -> str:
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


def drop_glosses(text: str) -> str:
    """研究与试验发展（R&D）经费 -> 研究与试验发展经费: the glossing parentheses of GLOSS go."""
    return GLOSS.sub("", text) if "（" in text or "(" in text else text


def measured_noun(text: str) -> bool:
    """A noun phrase that names a quantity by its head (地区生产总值, 研发经费, 货物吞吐量)."""
    if len(text) < 2 or text.startswith("的"):
        return False
    return HEAD_NOUNS.search(text) is not None or _FUNDS.search(text) is not None


def strip_leading(text: str) -> str:
    """Trim time, place and discourse words from the front, keeping at least a meaningful phrase."""
    text = drop_glosses(_cut_after_time(text)).lstrip("，,、 　")
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
        m = _ACTION_VERB.match(text)
        # a bare head (投入资金, 完成投资) says less without its verb, and a verb inside a relative
        # clause (完成改造的小区数量) governs only that clause: both stay whole
        rest = text[m.end() :] if m else ""
        if m and m.end() > 0 and len(rest) > 2 and "的" not in rest and measured_noun(rest):
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
        text = TRAILING_ADVERB.sub("", text)
        action = _ACTION_VERB_TAIL.search(text)
        if action is not None and measured_noun(drop_glosses(text[: action.start()])):
            text = text[: action.start()]
        if text == before:
            return text, took


def counted_noun_with_length(after: str) -> tuple[str, int]:
    """`个备案大模型落地` -> 备案大模型: the noun right after a count unit, up to a verb or punctuation."""
    cohort = _COHORT.match(after)  # 1222万名2025届高校毕业生
    if cohort:
        noun, used = counted_noun_with_length(after[cohort.end() :])
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
    return counted_noun_with_length(after)[0]


def noun_after_de(after: str) -> tuple[str, str, int] | None:
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


def leading_verb(before: str) -> str | None:
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


def from_predicate(phrase: str) -> str:
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


def clause_rest(after: str) -> str:
    """The rest of the clause after the figure, without a leading particle: 排名世界第一."""
    rest = _CLAUSE_SPLIT.split(after, maxsplit=1)[0]
    return rest.removeprefix("的")
