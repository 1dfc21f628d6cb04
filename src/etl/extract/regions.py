"""Province and city names, to say where a figure applies."""

from __future__ import annotations

import bisect
import csv
import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from typing import NamedTuple

from etl.extract.limits import SCOPE_REACH

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
# 中国 / 国内 name the country too (convention v2), except where they begin a name (中国人民银行,
# 国内生产总值)
NATIONAL = ("全国", "我国", "中国", "国内")
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
    "对",
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
# 杭州市统计局, 浙江省人民政府新闻办公室: a place's own government or statistics office releases figures
# about the place
_RELEASING_BODY_AFTER = re.compile(
    r"[市省区县]?(?:统计局|人民政府|政府|发展改革委|发改委|商务厅|商务局|统计部门|调查总队|新闻办)"
)
# 北京地铁18号线, 四川大学: a place that begins the name of an institution names no scene
_INSTITUTION_AFTER = re.compile(
    r"[市省]?(?:地铁|铁路|法院|检察|边检|海关|公安|税务|公交|高铁|博物馆|图书馆|美术馆|大学|学院|医院|研究院|"
    r"研究所|集团|银行|剧院)"
)

_SUFFIX = r"(?:省|市|自治区|特别行政区)?"
# 中国人民银行, 中国国际航空航天博览会, 国内生产总值, 国内外: 中国 / 国内 begin a name, not a scope
_NOT_THE_COUNTRY_AFTER = re.compile(
    r"[\u4e00-\u9fff]{0,8}?(?:银行|集团|公司|协会|博览会|大学|学院|研究院|委员会|中心|局|会)|生产总值|外"
)


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
# Economies abroad that news reports figures for: a figure about them keeps the name as written and
# has no province (convention v2). A partner of trade (对美国出口, 自日本进口) is not a subject: see
# _NOT_SUBJECT_BEFORE. Trade blocs (欧盟, 东盟) are left out: in this news they are nearly always partners.
FOREIGN = (
    "欧元区",
    "美国",
    "日本",
    "韩国",
    "德国",
    "法国",
    "英国",
    "意大利",
    "西班牙",
    "俄罗斯",
    "印度",
    "巴西",
    "澳大利亚",
    "加拿大",
    "新加坡",
)
_ALL_NAMES = PROVINCES + CITIES + NATIONAL + tuple(COMPOUNDS) + _DISTRICT_NAMES + FOREIGN
# Checking the first character before anything else keeps the scan cheap at the positions where no
# name starts, which are nearly all of them
_FIRST_CHARACTERS = "(?=[" + "".join(sorted({name[0] for name in _ALL_NAMES})) + "])"
REGION_PATTERN = re.compile(_FIRST_CHARACTERS + "(?:" + trie_alternation(_ALL_NAMES) + ")" + _SUFFIX)
# 居全国第四, 全国领先: the country is the scope of a rank, not where the figure applies
_RANK_SCOPE_AFTER = re.compile(
    # 前三 ranks; 前三季度 and 前10个月 are periods
    r"(?:第[一二三四五六七八九十0-9０-９]|前列|前[一二三四五六七八九十0-9]+(?!季度|个?月|年)|首位|之最|领先|排名)"
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
        begins_a_name = m.group() in ("中国", "国内") and _NOT_THE_COUNTRY_AFTER.match(text, m.end())
        if begins_a_name or _DATELINE_AFTER.match(text, m.end()):
            continue
        preceding = text[max(0, m.start() - 2) : m.start()]
        chained = bool(mentions) and mentions[-1].end == m.start() and mentions[-1].lead
        lead = chained or _opens_clause(text, m.start())
        lead = lead and not _INSTITUTION_AFTER.match(text, m.end())
        subject = not preceding.endswith(_NOT_SUBJECT_BEFORE) and not _RANK_SCOPE_AFTER.match(text, m.end())
        if _is_national(m.group()) and preceding.endswith(_NATIONAL_PREDICATE_BEFORE):
            subject = False
        if _RELEASING_BODY_AFTER.match(text, m.end()):
            # 记者从杭州市统计局获悉: the place's own statistics are about the place, like a national release
            subject = lead = True
        mentions.append(Mention(m.start(), m.end(), canonical(m.group()), subject, lead))
    return mentions


# 全省 / 全市 / 全区 name the whole of the province, city or autonomous region the text is about; not
# 全市场, 全区域, 全省份, 全区块链
_SCOPE_WORD = re.compile(r"全(?P<level>省|市|区)(?!场|域|间|份|块)")
_MUNICIPALITIES = frozenset({"北京", "天津", "上海", "重庆"})
_AUTONOMOUS_REGIONS = frozenset({"内蒙古", "广西", "西藏", "宁夏", "新疆"})
_CITY_NAMES = frozenset(CITIES) | _MUNICIPALITIES
# How many places back a scope word looks, within SCOPE_REACH (real paragraphs name a handful)
_PLACES_LOOKED_BACK = 64
# A place after these is a comparison base or a denominator, not the place a later 全省 is about
_COMPARED_BEFORE = ("比", "较", "与", "同", "高于", "低于", "超过", "占")


class Home(NamedTuple):
    """The province and the city a text is about, for the 全省 / 全市 / 全区 it does not name."""

    province: str | None
    city: str | None


def home_of(text: str, hint: str | None) -> Home:
    """The article's province: the one of `hint` (上海, 浙江, 杭州 -> 浙江). Its city: `hint` when it is a
    city, else the city of that province the text names most (the dateline included: 本报珠海…电)."""
    province = province_of(hint) if hint else None
    if province == "全国" or (province is not None and province not in PROVINCES):
        province = None
    if hint in _CITY_NAMES:
        return Home(province, hint)
    if province is None:
        return Home(None, None)
    counts = Counter(
        name
        for name in (canonical(m.group()) for m in _names(text))
        if name in _CITY_NAMES and province_of(name) == province
    )
    return Home(province, counts.most_common(1)[0][0] if counts else None)


def _scope_name(level: str, nearest: Iterable[str], home: Home) -> str | None:
    """The place 全省 / 全市 / 全区 stands for: that of the nearest place named before it in its paragraph
    (南京…，全省… -> 江苏; 苏州…，全市… -> 苏州), else the article's home."""
    if level == "市":
        return next((name for name in nearest if name in _CITY_NAMES), home.city)
    provinces = (province_of(name) for name in nearest)
    province = next((p for p in provinces if p in PROVINCES), home.province)
    if level == "省":
        return province
    return province if province in _AUTONOMOUS_REGIONS else None


def _named_before(text: str, mentions: Sequence[Mention], index: int, floor: int) -> Iterator[str]:
    """The places of mentions[:index] from the last back to `floor`, comparison bases left out."""
    for mention in reversed(mentions[max(0, index - _PLACES_LOOKED_BACK) : index]):
        if mention.start < floor:
            return
        if not text[max(0, mention.start - 2) : mention.start].endswith(_COMPARED_BEFORE):
            yield mention.name


def with_scope_words(text: str, mentions: Sequence[Mention], hint: str | None) -> list[Mention]:
    """`mentions` (of region_mentions(text)) with every 全省 / 全市 / 全区 of the text that resolves to a
    place added as a mention of that place (全省 in a 江苏 article is 江苏; 全国 stays 全国)."""
    home = home_of(text, hint)
    starts = [m.start for m in mentions]
    added: list[Mention] = []
    for m in _SCOPE_WORD.finditer(text):
        reach = max(0, m.start() - SCOPE_REACH)
        floor = text.rfind("\n", reach, m.start()) + 1 or reach  # the paragraph, within reach
        before = _named_before(text, mentions, bisect.bisect_left(starts, m.start()), floor)
        name = _scope_name(m.group("level"), before, home)
        if name is None:
            continue
        preceding = text[max(0, m.start() - 2) : m.start()]
        subject = not preceding.endswith(_NOT_SUBJECT_BEFORE) and not _RANK_SCOPE_AFTER.match(text, m.end())
        # the whole province or city sets the scene of what follows, wherever in its clause it stands
        lead = subject and not _INSTITUTION_AFTER.match(text, m.end())
        added.append(Mention(m.start(), m.end(), name, subject, lead))
    if not added:
        return list(mentions)
    return sorted([*mentions, *added], key=lambda mention: mention.start)


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


@functools.cache
def _divisions() -> dict[str, str]:
    """Place name -> province, from data/divisions.csv (derived from the official division codes; see
    data/README.md for its source and scripts/build_divisions.py for how it is made)."""
    table = resources.files("etl.extract").joinpath("data/divisions.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in table.splitlines() if not line.startswith("#"))
    return {row["name"]: row["province"] for row in rows}


def province_of(region: str | None) -> str | None:
    """The province-level unit containing `region` (杭州 -> 浙江, 上海 -> 上海, 全国 -> 全国); None for a
    region that spans provinces (长三角), a foreign place, or no region."""
    if region is None:
        return None
    if region == "全国":
        return region
    divisions = _divisions()
    for name in (region, region + "市", region + "区", region + "县"):
        if name in divisions:
            return divisions[name]
    return None


# A body that speaks for the whole country: its release is about 全国 unless a narrower place is named
_NATIONAL_BODY = re.compile(
    r"国家统计局|海关总署|国家发展改革委|国家发改委|财政部|商务部|人力资源和社会保障部|人社部|工业和信息化部|"
    r"工信部|交通运输部|农业农村部|文化和旅游部|国家能源局|国家铁路局|国铁集团|国家邮政局|中国民航局|民航局|"
    r"中国人民银行|国家外汇管理局|国家税务总局|国家知识产权局|国家医保局|国务院新闻办公室|国新办"
)
# 中国 / 国内 as the scope of a paragraph (中国汽车产销, 国内旅游出游); not 中国人民银行 or 中国国际…博览会,
# names of bodies and events
_BODY_NAME_END = "银行|集团|公司|协会|博览会|大学|学院|研究院|委员会|中心|会|局"
_COUNTRY_WORD = re.compile(
    rf"(?<![\u4e00-\u9fff]国)(?:我国|全国|国内(?!外)|中国(?![\u4e00-\u9fff]{{0,8}}(?:{_BODY_NAME_END})))"
)


def national_scope(
    text: str, paragraph_starts: list[int], mentions: Sequence[Mention] | None = None
) -> dict[int, str]:
    """Paragraph start -> 全国 for every paragraph whose figures are about the whole country when no
    place is named for them: the paragraph names the country, or the text is a national body's release
    and the paragraph names no province or city (`mentions`, by default region_mentions(text))."""
    ends = [*paragraph_starts[1:], len(text) + 1]
    release = _NATIONAL_BODY.search(text) is not None
    found = region_mentions(text) if mentions is None else mentions
    places = [m for m in found if m.name != "全国" and m.subject]
    scope: dict[int, str] = {}
    for start, end in zip(paragraph_starts, ends, strict=True):
        narrower = any(start <= m.start < end for m in places)
        if (release and not narrower) or _COUNTRY_WORD.search(text, start, end):
            scope[start] = "全国"
    return scope
