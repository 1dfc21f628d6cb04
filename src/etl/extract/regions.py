"""Province and city names, to say where a figure applies."""

from __future__ import annotations

import re
from collections import Counter

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
CITIES = (
    "石家庄", "太原", "呼和浩特", "沈阳", "大连", "长春", "哈尔滨", "南京", "苏州", "无锡", "常州",
    "南通", "徐州", "连云港", "杭州", "宁波", "温州", "绍兴", "嘉兴", "金华", "台州", "舟山", "义乌",
    "合肥", "芜湖", "福州", "厦门", "泉州", "南昌", "济南", "青岛", "烟台", "潍坊", "郑州", "洛阳",
    "周口", "开封", "武汉", "宜昌", "襄阳", "长沙", "株洲", "广州", "深圳", "珠海", "佛山", "东莞",
    "汕头", "海口", "三亚", "成都", "绵阳", "贵阳", "遵义", "昆明", "西安", "兰州", "西宁", "银川",
    "乌鲁木齐", "拉萨", "南宁", "柳州", "桂林", "雄安", "唐山", "保定", "邯郸", "鄂尔多斯", "包头",
    "大庆", "吉林市", "扬州", "镇江", "泰州", "盐城", "淮安", "宿迁", "湖州", "丽水", "衢州",
)
NATIONAL = ("全国", "我国")
# A region after these is a comparison base or a share's denominator, not where the figure applies
_NOT_SUBJECT_BEFORE = ("比", "较", "与", "高于", "低于", "超过", "占", "赴", "来自")

_SUFFIX = r"(?:省|市|自治区|特别行政区)?"
REGION_PATTERN = re.compile(
    "(?:" + "|".join(sorted(PROVINCES + CITIES + NATIONAL, key=len, reverse=True)) + ")" + _SUFFIX
)
# A region name at the start of a metric phrase, with the kind of place it names
REGION_PREFIX_PATTERN = re.compile(
    "^(?:" + "|".join(sorted(PROVINCES + CITIES, key=len, reverse=True)) + ")"
    + r"(?!工业园区|高新区|新区|开发区|自贸区|经开区)(?:省|市|港域|港区|港|机场|全市|全省)?"
    # 成都地铁, 广州市法院: an institution named with its place keeps the place
    + r"(?![市省]?(?:地铁|铁路|法院|检察|边检|海关|公安|税务|公交|高铁))"
)


def canonical(name: str) -> str:
    base = re.sub(r"(?:省|市|自治区|特别行政区)$", "", name) if name != "吉林市" else "吉林"
    return "全国" if base in NATIONAL else base


def region_before(text: str, start: int, end: int) -> str | None:
    """The last region named in text[start:end] that is the subject, not a comparison base."""
    found: str | None = None
    for m in REGION_PATTERN.finditer(text, start, end):
        preceding = text[max(start, m.start() - 2):m.start()]
        if preceding.endswith(_NOT_SUBJECT_BEFORE):
            continue
        found = canonical(m.group())
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
