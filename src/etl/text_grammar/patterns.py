"""Regular expressions for the text grammar of People's Daily pages (datelines, issue refs, credits).

What a URL says (its date, its content id) is etl.urls's business."""

from __future__ import annotations

import datetime as dt
import re

# "2024年04月24日23:52" in the portal dateline.
RX_DATELINE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})")
# "2024年12月25日" anywhere (e-paper date boxes, issue references).
RX_DATE_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# "来源：新华网" / "来源：人民网-文化频道 原创稿"; the source ends at whitespace or a bar.
RX_SOURCE = re.compile(r"来源[：:]\s*([^\s|｜]+)")
# A 版面's editor credit, listed like an article: "本版责编：王  浩  李  平". Anchored, so a headline
# that merely contains 责任编辑 stays an article.
RX_CREDIT_ENTRY = re.compile(r"^\s*(?:本版责编|责任编辑|责编|本版编辑|版式设计|本版制图)\s*[：:]")
# The names after 责编 in such a line, up to the next role, whatever it is called ("版式设计：…",
# "本版统筹：…"): a role is a few Han characters and a colon, which a name never has.
RX_CREDIT_EDITORS = re.compile(
    r"(?:本版责编|责任编辑|责编|本版编辑)\s*[：:]\s*(.*?)\s*(?=[\u4e00-\u9fff]{2,6}\s*[：:]|$)"
)
# "(责编：牛镛、岳弘彬)"; some channels print "(责任编辑：…)".
RX_EDITOR = re.compile(r"(?:责编|责任编辑)[：:]\s*([^)）]+)")
# "《人民日报》（2024年12月25日 第 01 版）"; old pages write "（ 2019年03月01日 01 版）".
RX_PAPER_REF = re.compile(
    r"《\s*人\s*民\s*日\s*报\s*》\s*[（(]\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*第?\s*(\d{1,3})\s*版\s*[)）]"
)
# "第01版：要闻", "01版:要闻", "第09版：砥砺奋进的5年·…".
RX_PAGE_LABEL = re.compile(r"第?\s*(\d{1,3})\s*版\s*[：:]?\s*(.*)")
# "{title}--{channel}--人民网" (never split on ｜/丨, they occur inside real titles).
RX_TITLE_SUFFIX = re.compile(
    r"(?:\s*-{1,2}\s*[^-｜丨]{1,12}){0,2}\s*-{1,2}\s*(?:人民网|中国共产党新闻网)\s*$"
)


def safe_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def datetime_from_dateline(text: str) -> dt.datetime | None:
    m = RX_DATELINE.search(text)
    if not m:
        return None
    day = safe_date(m.group(1), m.group(2), m.group(3))
    hour, minute = int(m.group(4)), int(m.group(5))
    if day is None or hour > 23 or minute > 59:
        return None
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def date_from_cn(text: str) -> dt.date | None:
    m = RX_DATE_CN.search(text)
    return safe_date(*m.groups()) if m else None


def strip_title_suffix(title: str) -> str:
    return RX_TITLE_SUFFIX.sub("", title).strip()
