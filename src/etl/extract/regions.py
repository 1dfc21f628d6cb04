"""Province and city names, to say where a figure applies."""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter

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
# A region after these is a comparison base or a share's denominator, not where the figure applies
_NOT_SUBJECT_BEFORE = ("比", "较", "与", "高于", "低于", "超过", "占", "赴", "来自")

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


REGION_PATTERN = re.compile("(?:" + trie_alternation(PROVINCES + CITIES + NATIONAL) + ")" + _SUFFIX)
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
    base = re.sub(r"(?:省|市|自治区|特别行政区)$", "", name) if name != "吉林市" else "吉林"
    return "全国" if base in NATIONAL else base


def region_before(text: str, start: int, end: int) -> str | None:
    """The last region named in text[start:end] that is the subject, not a comparison base."""
    found: str | None = None
    for m in REGION_PATTERN.finditer(text, start, end):
        preceding = text[max(start, m.start() - 2) : m.start()]
        if preceding.endswith(_NOT_SUBJECT_BEFORE):
            continue
        found = canonical(m.group())
    return found


def region_mentions(text: str) -> list[tuple[int, int, str]]:
    """Every region name in `text` as (start, end, canonical name), found once per text."""
    return [(m.start(), m.end(), canonical(m.group())) for m in REGION_PATTERN.finditer(text)]


def region_between(text: str, mentions: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """region_before over precomputed mentions: the last subject region named in text[start:end]."""
    found: str | None = None
    for m_start, m_end, name in mentions[bisect.bisect_left(mentions, (start, 0, "")) :]:
        if m_end > end:
            break
        if text[max(start, m_start - 2) : m_start].endswith(_NOT_SUBJECT_BEFORE):
            continue
        found = name
    return found


def dominant_region(text: str) -> str | None:
    """The region an article is about: the province or city it names most, if it names one often."""
    counts = Counter(canonical(m.group()) for m in REGION_PATTERN.finditer(text))
    counts.pop("全国", None)
    if not counts:
        return None
    (name, count), *rest = counts.most_common(2)
    if count >= 3 and (not rest or count > rest[0][1]):
        return name
    return None
