"""Province and city names, to say where a figure applies."""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import NamedTuple

PROVINCES = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
)
CITIES = (
    "石家庄",
    "太原",
    "呼和浩特",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "南京",
    "苏州",
    "无锡",
    "常州",
    "南通",
    "徐州",
    "连云港",
    "杭州",
    "宁波",
    "温州",
    "绍兴",
    "嘉兴",
    "金华",
    "台州",
    "舟山",
    "义乌",
    "合肥",
    "芜湖",
    "福州",
    "厦门",
    "泉州",
    "南昌",
    "济南",
    "青岛",
    "烟台",
    "潍坊",
    "郑州",
    "洛阳",
    "周口",
    "开封",
    "武汉",
    "宜昌",
    "襄阳",
    "长沙",
    "株洲",
    "广州",
    "深圳",
    "珠海",
    "佛山",
    "东莞",
    "汕头",
    "海口",
    "三亚",
    "成都",
    "绵阳",
    "贵阳",
    "遵义",
    "昆明",
    "西安",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "拉萨",
    "南宁",
    "柳州",
    "桂林",
    "雄安",
    "唐山",
    "保定",
    "邯郸",
    "鄂尔多斯",
    "包头",
    "大庆",
    "吉林市",
    "扬州",
    "镇江",
    "泰州",
    "盐城",
    "淮安",
    "宿迁",
    "湖州",
    "丽水",
    "衢州",
    "秦皇岛",
    "邢台",
    "张家口",
    "承德",
    "沧州",
    "廊坊",
    "衡水",
    "大同",
    "长治",
    "晋城",
    "朔州",
    "晋中",
    "运城",
    "忻州",
    "临汾",
    "吕梁",
    "赤峰",
    "通辽",
    "呼伦贝尔",
    "巴彦淖尔",
    "乌兰察布",
    "乌海",
    "鞍山",
    "抚顺",
    "本溪",
    "丹东",
    "锦州",
    "营口",
    "阜新",
    "辽阳",
    "盘锦",
    "铁岭",
    "葫芦岛",
    "四平",
    "辽源",
    "通化",
    "白城",
    "松原",
    "延吉",
    "齐齐哈尔",
    "鸡西",
    "鹤岗",
    "双鸭山",
    "伊春",
    "佳木斯",
    "牡丹江",
    "绥化",
    "黑河",
    "蚌埠",
    "淮南",
    "马鞍山",
    "淮北",
    "铜陵",
    "安庆",
    "滁州",
    "阜阳",
    "宿州",
    "六安",
    "亳州",
    "池州",
    "宣城",
    "莆田",
    "三明",
    "漳州",
    "南平",
    "龙岩",
    "宁德",
    "景德镇",
    "萍乡",
    "九江",
    "新余",
    "鹰潭",
    "赣州",
    "吉安",
    "宜春",
    "抚州",
    "上饶",
    "淄博",
    "枣庄",
    "东营",
    "济宁",
    "泰安",
    "威海",
    "临沂",
    "德州",
    "聊城",
    "滨州",
    "菏泽",
    "平顶山",
    "安阳",
    "鹤壁",
    "新乡",
    "焦作",
    "濮阳",
    "许昌",
    "漯河",
    "三门峡",
    "南阳",
    "商丘",
    "信阳",
    "驻马店",
    "黄石",
    "十堰",
    "鄂州",
    "荆门",
    "孝感",
    "荆州",
    "黄冈",
    "咸宁",
    "随州",
    "恩施",
    "湘潭",
    "衡阳",
    "邵阳",
    "岳阳",
    "常德",
    "张家界",
    "益阳",
    "郴州",
    "永州",
    "怀化",
    "娄底",
    "韶关",
    "江门",
    "湛江",
    "茂名",
    "肇庆",
    "惠州",
    "梅州",
    "汕尾",
    "河源",
    "阳江",
    "清远",
    "中山",
    "潮州",
    "揭阳",
    "云浮",
    "北海",
    "防城港",
    "钦州",
    "贵港",
    "玉林",
    "百色",
    "贺州",
    "河池",
    "来宾",
    "崇左",
    "儋州",
    "自贡",
    "攀枝花",
    "泸州",
    "德阳",
    "广元",
    "遂宁",
    "内江",
    "乐山",
    "南充",
    "眉山",
    "宜宾",
    "广安",
    "达州",
    "雅安",
    "巴中",
    "资阳",
    "六盘水",
    "安顺",
    "毕节",
    "铜仁",
    "曲靖",
    "玉溪",
    "保山",
    "昭通",
    "丽江",
    "临沧",
    "铜川",
    "宝鸡",
    "咸阳",
    "渭南",
    "延安",
    "汉中",
    "榆林",
    "商洛",
    "嘉峪关",
    "金昌",
    "天水",
    "武威",
    "张掖",
    "平凉",
    "酒泉",
    "庆阳",
    "定西",
    "陇南",
    "海东",
    "石嘴山",
    "吴忠",
    "固原",
    "中卫",
    "克拉玛依",
    "吐鲁番",
    "哈密",
    "喀什",
    "伊宁",
)
NATIONAL = ("全国", "我国")
# A name made of several places is one place (宁波舟山港 is not 舟山): a grouping of cities within one
# province resolves to the province, a grouping across provinces keeps its own name
COMPOUNDS: dict[str, str] = {
    "宁波舟山": "浙江",
    "厦漳泉": "福建",
    "长株潭": "湖南",
    "广佛": "广东",
    "深莞惠": "广东",
    "珠三角": "广东",
    "珠江三角洲": "广东",
    "呼包鄂": "内蒙古",
    "长三角": "长三角",
    "长江三角洲": "长三角",
    "京津冀": "京津冀",
    "成渝": "成渝",
    "粤港澳大湾区": "粤港澳大湾区",
    "大湾区": "粤港澳大湾区",
}
# A district resolves to its city (闵行区 -> 上海). Only districts of the big cities whose name is not
# shared by a district elsewhere (江北区, 和平区, 白云区 and 普陀区 each exist in two cities); the 区
# is required, so 朝阳 alone (a city in 辽宁) is not taken for 朝阳区
_DISTRICTS_BY_CITY = {
    "上海": "黄浦 徐汇 长宁 静安 虹口 杨浦 闵行 宝山 嘉定 浦东新 金山 松江 青浦 奉贤 崇明 临港新",
    "北京": "东城 西城 朝阳 丰台 石景山 海淀 门头沟 房山 通州 顺义 昌平 大兴 怀柔 平谷 密云 延庆",
    "天津": "南开 红桥 东丽 西青 津南 北辰 武清 宝坻 滨海新 宁河 静海 蓟州",
    "重庆": "渝中 南岸 沙坪坝 九龙坡 大渡口 渝北 巴南 北碚 两江新 万州 涪陵 永川 合川 江津",
    "深圳": "福田 罗湖 宝安 龙岗 龙华 前海",
    "广州": "天河 越秀 海珠 番禺 南沙",
    "杭州": "西湖 上城 拱墅 滨江 萧山 余杭 临平 钱塘",
}
DISTRICTS: dict[str, str] = {
    district: city for city, districts in _DISTRICTS_BY_CITY.items() for district in districts.split()
}
_DISTRICT_NAMES = tuple(name + "区" for name in DISTRICTS)
# A region after these is a comparison base, a share's denominator, an origin (从重庆发来) or the
# reach of something (辐射全国, 销往全国), not where the figure applies
_NOT_SUBJECT_BEFORE = (
    "比",
    "较",
    "与",
    "高于",
    "低于",
    "超过",
    "占",
    "赴",
    "来自",
    "从",
    "由",
    "自",
    "辐射",
    "销往",
    "发往",
    "运往",
    "覆盖",
    "服务",
    "面向",
    "遍布",
    "遍及",
    "通达",
    "联通",
    "连通",
    "通往",
    "走向",
)
# 本报北京9月2日电, 新华社上海9月1日电: a dateline says where the reporter filed from
_DATELINE_AFTER = re.compile(r"[市]?\s*[0-9０-９]{1,2}月[0-9０-９]{1,2}日\s*(?:电|讯)")
# A place that opens a paragraph or a clause (在上海市闵行区，…; 杭州某园区…) sets the scene for what follows
_LEAD_WORD_BEFORE = re.compile(r"(?:在|据|今年|去年|目前|如今|而在|同样在)$")
_CLAUSE_BOUNDARY = "，,。；;：:！？!?\n“"
# 北京地铁18号线, 四川大学: a place that begins the name of an institution names no scene
_INSTITUTION_AFTER = re.compile(
    r"[市省]?(?:地铁|铁路|法院|检察|边检|海关|公安|税务|公交|高铁|博物馆|图书馆|美术馆|大学|学院|医院|研究院|"
    r"研究所|集团|银行|剧院)"
)

_SUFFIX = r"(?:省|市|自治区|特别行政区)?"


_Trie = dict[str, "_Trie"]


def trie_alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of `words` factored by common prefixes (上海|上饶 -> 上(?:海|饶)), so the
    regex engine tries one branch per character instead of every word; the longest word still wins."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: _Trie) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


# 其中山东, 其中卫星: 中 that ends a word (其中, 集中, 之中) does not begin 中山 or 中卫
_ZHONG_ENDS_WORD_AFTER = frozenset("其集之当空心高初途正居命从")
_ALL_NAMES = PROVINCES + CITIES + NATIONAL + tuple(COMPOUNDS) + _DISTRICT_NAMES
# Checking the first character before anything else keeps the scan cheap at the positions where no
# name starts, which are nearly all of them
_FIRST_CHARACTERS = "(?=[" + "".join(sorted({name[0] for name in _ALL_NAMES})) + "])"
REGION_PATTERN = re.compile(_FIRST_CHARACTERS + "(?:" + trie_alternation(_ALL_NAMES) + ")" + _SUFFIX)
# 居全国第四, 全国领先: the country is the scope of a rank, not where the figure applies
_RANK_SCOPE_AFTER = re.compile(
    r"(?:第[一二三四五六七八九十0-9０-９]|前列|前[一二三四五六七八九十0-9]|首位|之最|领先|排名)"
)
# 黑龙江是我国重要的商品粮生产基地: the country in a predicate is not the subject
_NATIONAL_PREDICATE_BEFORE = ("是", "为", "成为", "作为")
# A region name at the start of a metric phrase, with the kind of place it names
REGION_PREFIX_PATTERN = re.compile(
    "^(?:"
    + trie_alternation(PROVINCES + CITIES)
    + ")"
    + r"(?!工业园区|高新区|新区|开发区|自贸区|经开区)(?:省|市|港域|港区|港(?![口澳])|机场|全市|全省)?"
    # 成都地铁, 广州市法院: an institution named with its place keeps the place
    + r"(?![市省]?(?:地铁|铁路|法院|检察|边检|海关|公安|税务|公交|高铁))"
    + r"(?![、和与及])"  # 成都、重庆、西安的客流量: the first member of a list of places
    # 陕西历史博物馆, 四川大学: the place begins the name of an institution
    + r"(?![\u4e00-\u9fff]{0,4}?(?:博物馆|图书馆|美术馆|大学|学院|医院|研究院|研究所|集团|银行|剧院))"
)


@functools.cache
def canonical(name: str) -> str:
    if name in _DISTRICT_NAMES:
        return DISTRICTS[name.removesuffix("区")]
    base = re.sub(r"(?:省|市|自治区|特别行政区)$", "", name) if name != "吉林市" else "吉林"
    if base in COMPOUNDS:
        return COMPOUNDS[base]
    return "全国" if base in NATIONAL else base


class Mention(NamedTuple):
    """A region named in a text: where, which, and whether the figures after it belong to it."""

    start: int
    end: int
    name: str
    subject: bool  # False for a comparison base, an origin or a reach (比全国, 从重庆, 辐射全国)
    lead: bool  # opens a paragraph or a clause, or continues a place that does (在江苏省苏州市)


def _names(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """REGION_PATTERN matches, except a 中 that ends the word before it (其中山东 names 山东)."""
    end = len(text) if end is None else end
    m = REGION_PATTERN.search(text, start, end)
    while m is not None:
        if m.group().startswith("中") and m.start() > 0 and text[m.start() - 1] in _ZHONG_ENDS_WORD_AFTER:
            m = REGION_PATTERN.search(text, m.start() + 1, end)
            continue
        yield m
        m = REGION_PATTERN.search(text, m.end(), end)


def _is_national(name: str) -> bool:
    return name in NATIONAL


def region_mentions(text: str) -> list[Mention]:
    """Every region name in `text` outside datelines, found once per text."""
    mentions: list[Mention] = []
    for m in _names(text):
        if _DATELINE_AFTER.match(text, m.end()):
            continue
        preceding = text[max(0, m.start() - 2) : m.start()]
        chained = bool(mentions) and mentions[-1].end == m.start() and mentions[-1].lead
        lead = chained or _opens_clause(text, m.start())
        lead = lead and not _INSTITUTION_AFTER.match(text, m.end())
        subject = not preceding.endswith(_NOT_SUBJECT_BEFORE) and not _RANK_SCOPE_AFTER.match(text, m.end())
        if _is_national(m.group()) and preceding.endswith(_NATIONAL_PREDICATE_BEFORE):
            subject = False
        mentions.append(Mention(m.start(), m.end(), canonical(m.group()), subject, lead))
    return mentions


def _opens_clause(text: str, start: int) -> bool:
    """The place stands first in its paragraph or clause, alone or after 在 / 据 (在上海市闵行区，…)."""
    word = _LEAD_WORD_BEFORE.search(text, max(0, start - 4), start)
    at = word.start() if word else start
    return at == 0 or text[at - 1] in _CLAUSE_BOUNDARY


def region_between(
    text: str, subjects: Sequence[Mention], start: int, end: int, scene_start: int | None = None
) -> str | None:
    """The last subject region named in text[start:end]; failing that, the place that sets the scene of
    the paragraph (named in a lead position in text[scene_start:start] and not replaced since).

    `subjects` are the mentions of region_mentions(text) that are subjects (the others never decide),
    in text order; they do not overlap, so their ends rise too and both look-ups are bisections.
    """
    last = bisect.bisect_right(subjects, end, key=lambda m: m.end) - 1
    if last >= 0 and subjects[last].start >= start:
        return subjects[last].name
    if scene_start is None:
        return None
    before = bisect.bisect_left(subjects, start, key=lambda m: m.start) - 1
    if before >= 0 and subjects[before].start >= scene_start:
        return subjects[before].name if subjects[before].lead else None
    return None


def dominant_region(text: str) -> str | None:
    """The region an article is about: the province or city it names most, if it names one often."""
    counts = Counter(mention.name for mention in region_mentions(text))
    counts.pop("全国", None)
    if not counts:
        return None
    (name, count), *rest = counts.most_common(2)
    if count >= 3 and (not rest or count > rest[0][1]):
        return name
    return None
