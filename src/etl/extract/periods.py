"""Time references (2024年, 今年上半年, 前三季度, 9月份, 1至10月, “十四五”期间) resolved against the
publication date into a label and a date range.

A reference sets the period for the figures after it in its paragraph until another reference
replaces it; 目前 / 如今 / 日前 / 近日 and seasons without a label (暑期, 春运) reset it. Named holidays
resolve to their month (春节, 端午 and 中秋 by their date in that year). A start date (今年1月1日起,
自7月1日起) replaces it with the year it names, or with none. References that are comparison bases
(比前三季度, 较上年), starting points (自2024年3月, 成立于2023年) or other day dates (10月27日电) never
set it.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from etl.extract.numbers import chinese_to_int


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class TimeReference:
    start: int  # span in the text it was found in
    end: int
    period: Period | None  # None resets the paragraph's period (目前, 如今)
    sets_period: bool  # False for comparison bases, starting points and day dates


_CN = "一二两三四五六七八九十"
_MONTH = rf"(?:1[0-2]|0?[1-9]|十[一二]?|[{_CN[:-1]}])"
_YEAR = (
    r"(?:(?P<year>(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年"
    r"|(?P<rel>今年|去年|上年|前年|明年|当年|本年))"
)
_SUB = (
    r"(?:(?P<half>上半年|下半年)"
    r"|前(?P<qrange>[一二两三1-3])个?季度"
    r"|第?(?P<quarter>[一二三四1-4])季度"
    rf"|前(?P<first_months>1[0-2]|[1-9]|十[一二]?|[{_CN[:-1]}])个月"
    # 1至9月, and with the first month written out: 1月至9月, 1月—9月, 1月份到9月份
    rf"|(?P<month_from>{_MONTH})(?:月份?)?(?:至|—|－|-|–|~|～|到)(?P<month_to>{_MONTH})月份?"
    rf"|(?P<month>{_MONTH})月份?(?P<day>[0-9]{{1,2}}日|[{_CN}]{{1,3}}日)?(?P<month_end>底|末)?"
    r"|(?P<whole>全年)(?!目标|任务|计划)"
    r"|年?(?P<year_end>末|底))"
)
# A five-year plan (“十四五”期间) spans five years, which no period label expresses: it resets
_PLAN = rf"[“\"]?十?[{_CN}]五[”\"]?(?:期间|时期|以来)"
# The holiday name is often quoted (“五一”假期) and 国庆 / 中秋 come in either order
_HOLIDAY = (
    r"[“\"]?(?P<holiday>元旦|五一|劳动节|国庆中秋|中秋国庆|国庆节|国庆|春节|清明节?|端午节?|中秋节?)[”\"]?"
    r"(?:假期|长假|黄金周|期间)"
)
# 今年暑期, 寒假, 春运: a season spans months no label expresses; it resets even after a year
_SEASON = r"(?P<season>暑期|暑假|寒假|春运|暑运|汛期|采暖季|供暖季)"
# 过去一年 opens a government work report (January to March) and means the last calendar year; later in
# the year it is the last twelve months, which no label expresses
_PAST_YEAR = r"(?P<past_year>过去(?:的)?一年)"
# 政策实施以来, 专项行动开展以来: the span since an event began has no label either; it resets like
# “十四五”以来 (a start date written as a date, 今年1月以来, is a period and is read above)
_SINCE_EVENT = (
    r"(?:实施|施行|实行|开展|启动|推行|推出|运行|运营|开通|上线|投用|投运|建成|成立|开业|开园|开馆|开放|挂牌|"
    r"出台|发布|部署|召开|举办|设立|落地|试点|通车|印发|开工|创建)以来"
)
_RESET = (
    r"(?P<reset>目前|如今|当前|眼下|现阶段|近年来|近年|下一步|(?<![0-9０-９一二三四五六七八九十节假生期])日前|(?<!最)近日(?!均)|近期|"
    rf"{_PLAN}|{_SINCE_EVENT}|[\u4e00-\u9fff]{{2}}期间)"
)
_HOLIDAY_MONTH = {
    "元旦": 1,
    "五一": 5,
    "劳动节": 5,
    "国庆": 10,
    "国庆节": 10,
    "中秋国庆": 10,
    "国庆中秋": 10,
    "清明": 4,
    "清明节": 4,
}
# Lunar holidays move: the date of 春节 (正月初一), 端午 and 中秋 each year
_LUNAR_DATES = {
    "春节": "2019-02-05 2020-01-25 2021-02-12 2022-02-01 2023-01-22 2024-02-10 2025-01-29 2026-02-17 "
    "2027-02-06 2028-01-26 2029-02-13 2030-02-03",
    "端午": "2019-06-07 2020-06-25 2021-06-14 2022-06-03 2023-06-22 2024-06-10 2025-05-31 2026-06-19 "
    "2027-06-09 2028-05-28 2029-06-16 2030-06-05",
    "中秋": "2019-09-13 2020-10-01 2021-09-21 2022-09-10 2023-09-29 2024-09-17 2025-10-06 2026-09-25 "
    "2027-09-15 2028-10-03 2029-09-22 2030-09-12",
}
_LUNAR_HOLIDAYS: dict[str, tuple[dt.date, ...]] = {
    name: tuple(map(dt.date.fromisoformat, dates.split())) for name, dates in _LUNAR_DATES.items()
}
# The year is optional and so is the part after it; zero-length matches are skipped by the caller.
# Every reference starts with one of these characters; checking that first keeps the scan cheap,
# since the optional parts would otherwise try (and fail) a zero-length match at every position.
TIME_PATTERN = re.compile(
    rf"(?=[0-9今去上前明当本下第全年一二两三四五六七八九十〇零元劳国中春清端目如眼现近过日暑寒汛采供“\"]"
    rf"|[\u4e00-\u9fff]{{2}}(?:期间|以来))"
    rf"(?:{_HOLIDAY}|{_SEASON}|{_PAST_YEAR}|(?:{_YEAR}|(?<![0-9年]))(?:{_SUB})?|{_RESET})"
)

# What before a reference makes it a comparison base or a starting point, not the figure's period
_NOT_PERIOD_BEFORE = re.compile(r"(?:比|较|与|同|相比|自|从|于|截止到?于|是)$")
# 今年起降航班: 起 begins a word (起降, 起飞) rather than saying "from"
_NOT_PERIOD_AFTER = re.compile(r"^(?:出生|起(?![降飞步草诉])|开始|成立|建成的|建成于|同期相比|前)")
# 提前一个月 / 此前两个季度: 前 belongs to the word before it, and what follows is a duration or an
# offset, not the first months of a year
_OFFSET_WORD_BEFORE = re.compile(r"(?:提|超|之|以|此|向|事|空|推迟|延迟|延后|历时|用时|耗时|仅用|长达|为期)$")
_START_AFTER = re.compile(r"^(?:起|开始|以来)")


def _cn_or_int(text: str) -> int:
    return int(text) if text.isdigit() else chinese_to_int(text)


def _month_range(year: int, first: int, last: int) -> Period:
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    label = f"{year}-{first:02d}" if first == last else f"{year}-M{first:02d}-M{last:02d}"
    return Period(label, dt.date(year, first, 1), end)


def _year_period(year: int) -> Period:
    return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))


def _sub_period(m: re.Match[str], year: int) -> Period:
    if m.group("half"):
        half = 1 if m.group("half") == "上半年" else 2
        months = _month_range(year, 1 if half == 1 else 7, 6 if half == 1 else 12)
        return Period(f"{year}-H{half}", months.start, months.end)
    if m.group("qrange"):
        last_q = _cn_or_int(m.group("qrange"))
        months = _month_range(year, 1, last_q * 3)
        return Period(f"{year}-Q1-Q{last_q}", months.start, months.end)
    if m.group("quarter"):
        q = _cn_or_int(m.group("quarter"))
        months = _month_range(year, q * 3 - 2, q * 3)
        return Period(f"{year}-Q{q}", months.start, months.end)
    if m.group("first_months"):
        return _month_range(year, 1, _cn_or_int(m.group("first_months")))
    if m.group("month_from"):
        return _month_range(year, _cn_or_int(m.group("month_from")), _cn_or_int(m.group("month_to")))
    if m.group("month"):
        month = _cn_or_int(m.group("month"))
        return _month_range(year, month, month)
    return _year_period(year)  # 全年, 年末, 年底


def _has_dates(year: int) -> bool:
    """Whether a period of `year` can be dated at all: 〇〇〇〇年, or 明年 in a text dated 9999, names a
    year outside what a date can hold, and such a reference sets no period."""
    return dt.MINYEAR <= year <= dt.MAXYEAR


def _valid_month(m: re.Match[str]) -> bool:
    for name in ("month", "month_from", "month_to", "first_months"):
        if m.group(name) and not 1 <= _cn_or_int(m.group(name)) <= 12:
            return False
    return True


def _bare_end_of_nothing(m: re.Match[str]) -> bool:
    """A lone 末 / 底 (底色, 末端) is only a reference after a year or as 年末 / 年底."""
    has_year = bool(m.group("year") or m.group("rel"))
    return bool(m.group("year_end")) and not has_year and not m.group().startswith("年")


class PeriodResolver:
    """Resolves references in document order; keeps the year that bare references (12月份) use."""

    def __init__(self, published: dt.date | None) -> None:
        self.published = published
        self.context_year: int | None = None

    def _year_of(self, m: re.Match[str]) -> int | None:
        if m.group("year"):
            return _cn_or_int(m.group("year"))
        rel = m.group("rel")
        if rel in ("当年", None):
            return self.context_year or (self.published.year if self.published else None)
        if self.published is None:
            return None
        offsets = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
        return self.published.year + offsets[rel]

    def resolve(self, m: re.Match[str]) -> Period | None:
        if m.group("past_year"):
            if self.published is None or self.published.month > 3 or not _has_dates(self.published.year - 1):
                return None
            return _year_period(self.published.year - 1)
        if m.group("holiday"):
            return self._holiday(m.group("holiday"))
        has_year = bool(m.group("year") or m.group("rel"))
        # A bare reference (12月份, 一季度, 全年) is the latest one that ended by publication; without a
        # publication date, the year the text last named.
        bare_year = self.published.year if self.published else self.context_year
        if m.group("whole") and self.context_year:
            bare_year = self.context_year  # 全年 continues the year the text is about
        year = self._year_of(m) if has_year else bare_year
        if year is None or not _has_dates(year):
            return None
        has_sub = any(
            m.group(g)
            for g in ("half", "qrange", "quarter", "first_months", "month_from", "month", "whole", "year_end")
        )
        period = _sub_period(m, year) if has_sub else _year_period(year)
        if not has_year and self.published is not None and period.end > self.published:
            if not _has_dates(year - 1):
                return None
            period = _sub_period(m, year - 1)  # "12月份" in a January article is the last December
        return period

    def _holiday(self, name: str) -> Period | None:
        """The month of the latest such holiday that began by publication (named holidays resolve to
        their month, tests/gold/README.md)."""
        if self.published is None:
            return None
        lunar = _LUNAR_HOLIDAYS.get(name) or _LUNAR_HOLIDAYS.get(name.removesuffix("节"))
        if lunar is None:
            month = _HOLIDAY_MONTH[name]
            holiday_year = self.published.year - (month > self.published.month)
            if not _has_dates(holiday_year):
                return None
            return _month_range(holiday_year, month, month)
        past = [day for day in lunar if day <= self.published]
        if not past:
            return None
        day = max(past)
        return _month_range(day.year, day.month, day.month)

    def remember(self, period: Period) -> None:
        """A reference that set a period fixes the year later bare references (12月份) fall in."""
        self.context_year = period.end.year


def find_time_references(text: str, resolver: PeriodResolver) -> list[TimeReference]:
    """Every time reference in `text`, in order, resolved with `resolver` (which remembers years)."""
    references: list[TimeReference] = []
    for m in TIME_PATTERN.finditer(text):
        if m.start() == m.end():
            continue
        if m.group("season"):
            references.append(TimeReference(m.start(), m.end(), None, sets_period=True))
            continue
        if m.group("reset"):
            # 今年麦收期间: the event span is dated by the year right before it, which stays in force
            dated = bool(references) and references[-1].end == m.start() and references[-1].sets_period
            if not dated:
                references.append(TimeReference(m.start(), m.end(), None, sets_period=True))
            continue
        if not _valid_month(m) or _bare_end_of_nothing(m):
            continue
        if _OFFSET_WORD_BEFORE.search(text, max(0, m.start() - 2), m.start()):
            continue
        period = resolver.resolve(m)
        if m.group("past_year") and period is None:
            references.append(TimeReference(m.start(), m.end(), None, sets_period=True))
            continue
        before = text[max(0, m.start() - 4) : m.start()]
        after = text[m.end() : m.end() + 4]
        if m.group("day") and _START_AFTER.match(after):
            # 今年1月1日起, 自7月1日起: what follows holds from that day on; it is of that year when the
            # year is written, otherwise of no labelled period
            start_year = (
                _year_period(period.end.year) if period and (m.group("year") or m.group("rel")) else None
            )
            references.append(TimeReference(m.start(), m.end(), start_year, sets_period=True))
            continue
        sets_period = (
            period is not None
            and not m.group("day")
            and _NOT_PERIOD_BEFORE.search(before) is None
            and _NOT_PERIOD_AFTER.search(after) is None
            and not after.startswith("电")
        )
        if sets_period and period is not None:
            resolver.remember(period)
        references.append(TimeReference(m.start(), m.end(), period, sets_period))
    return references


class Timeline:
    """The references that set a period, in text order, with where each ends: the period in force at
    any offset is then one bisection away, however many references the text holds."""

    def __init__(self, references: Sequence[TimeReference]) -> None:
        self.setting = [ref for ref in references if ref.sets_period]
        self.ends = [ref.end for ref in self.setting]


def period_at(timeline: Timeline, position: int, paragraph_start: int) -> Period | None:
    """The period in force at `position`: the last setting reference since the paragraph began.

    References come in text order and do not overlap (find_time_references), so their ends rise too:
    the last one ending by `position` is found by bisection, and if it began before the paragraph,
    every earlier one did as well.
    """
    last = bisect.bisect_right(timeline.ends, position) - 1
    if last < 0 or timeline.setting[last].start < paragraph_start:
        return None
    return timeline.setting[last].period
