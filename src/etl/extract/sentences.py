"""Sentence, paragraph and clause boundaries with offsets into the original text."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from etl.extract.limits import CLAUSE_REACH, MAX_SENTENCE_CHARS

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)）]*|\n")
CLAUSE_BREAKS = "，,；;：:。！？!?\n、"
_CLAUSE_END = re.compile("[" + re.escape(CLAUSE_BREAKS[:-1]) + "]")
_CLAUSE_BREAK = re.compile("[" + re.escape(CLAUSE_BREAKS) + "]")
# What clause_begin stops at or steps over: clause punctuation, closing parentheses, quotes, dashes
_CLAUSE_MARKS = re.compile(r"[，,；;：:。！？!?\n）)”“—]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# 研究与试验发展（R&D）经费, 社会消费品零售总额（含网上零售额）, …示范区（以下简称示范区）: a parenthesis
# that only glosses the words before it (a Latin abbreviation, what is or is not included, the short
# name used later, the basis of a calculation) is no part of the subject; one that narrows or spells
# out the noun (中欧班列（成渝）, 县（区）, 执业（助理）医师, 充电基础设施（枪）) stays
GLOSS = re.compile(
    r"[（(](?:[A-Za-z][A-Za-z0-9&＆.．·/\- ]*"
    r"|(?:不含|含|不包括|包括|包含|以下简称|以下称|下称|简称|即|按)[^（()）]*)[）)]"
)
# A gloss may run longer than the short parentheses read as part of a phrase
_GLOSS_REACH = 40


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Sentences as spans; the end punctuation (and a closing quote after it) stays with the sentence."""
    spans: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() if m.group() == "\n" else m.end()
        if text[start:end].strip():
            spans.append(Span(start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(Span(start, len(text)))
    return spans


def paragraph_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def _inner_parenthesis_start(text: str, closing: int, floor: int) -> int | None:
    """Start of the parenthesis closed at `closing` when it is short, inside one clause and attached to a
    word on both sides (执业（助理）医师); None for a trailing aside such as （间） or （记者…）."""
    opening = max(
        text.rfind("（", max(floor, closing - 10), closing),
        text.rfind("(", max(floor, closing - 10), closing),
    )
    if opening < 0:
        # 社会消费品零售总额（含限额以下单位网上零售额）同比增长: a gloss of any length stays with its noun
        longer = max(
            text.rfind("（", max(floor, closing - _GLOSS_REACH), closing),
            text.rfind("(", max(floor, closing - _GLOSS_REACH), closing),
        )
        if longer >= 0 and GLOSS.fullmatch(text, longer, closing + 1):
            opening = longer
    if opening <= floor or any(ch in "，,；;。！？!?\n" for ch in text[opening:closing]):
        return None
    return opening if _CJK.match(text, opening - 1) else None


@functools.lru_cache(maxsize=8)
def _clause_mark_offsets(text: str) -> list[int]:
    """Offsets of the _CLAUSE_MARKS in `text`, found once per text, so that a clause is read back by
    jumping between them rather than character by character."""
    return [m.start() for m in _CLAUSE_MARKS.finditer(text)]


@functools.lru_cache(maxsize=8)
def _clause_end_offsets(text: str) -> list[int]:
    """Offsets of the punctuation that ends a clause read forward, found once per text."""
    return [m.start() for m in _CLAUSE_END.finditer(text)]


@functools.lru_cache(maxsize=8)
def _clause_break_offsets(text: str) -> list[int]:
    """Offsets of every clause break, 、 included, found once per text."""
    return [m.start() for m in _CLAUSE_BREAK.finditer(text)]


@functools.lru_cache(maxsize=4096)
def clause_begin(text: str, position: int, floor: int) -> int:
    """Start of the clause before `position`, not before `floor` (the sentence start) and at most
    CLAUSE_REACH characters back; 、 joins list members so it does not end a clause, and an opening
    quote ends it only if the quotation is still open at `position`."""
    if position <= floor:
        return position
    floor = max(floor, position - CLAUSE_REACH)
    marks = _clause_mark_offsets(text)
    k = bisect.bisect_left(marks, position) - 1
    closed_quotes = 0
    while k >= 0 and marks[k] >= floor:
        at = marks[k]
        ch = text[at]
        if ch in "）)":
            opening = _inner_parenthesis_start(text, at, floor)
            if opening is None:
                return at + 1
            # 研究与试验发展（R&D）经费: a short parenthesis inside the phrase belongs to it
            k = bisect.bisect_left(marks, opening, 0, k) - 1
            continue
        if ch == "—":
            if at > 0 and text[at - 1] == "—":
                return at + 1
        elif ch == "”":
            closed_quotes += 1
        elif ch == "“":
            if closed_quotes == 0:
                return at + 1
            closed_quotes -= 1
        else:
            return at + 1
        k -= 1
    return floor


def clause_end(text: str, position: int, ceiling: int) -> int:
    """End of the clause from `position`, at most CLAUSE_REACH characters on; 、 inside a noun phrase
    (新市民、青年人) does not end it. A bisection over the text's punctuation, so that reading every
    figure of a long list costs no more than the list."""
    ceiling = min(ceiling, position + CLAUSE_REACH)
    if position >= ceiling:
        return position
    offsets = _clause_end_offsets(text)
    following = bisect.bisect_left(offsets, position)
    return min(offsets[following], ceiling) if following < len(offsets) else ceiling


def excerpt(text: str, sentence: Span, start: int, end: int) -> str:
    """The sentence holding text[start:end], as stored with its indicator: whole (stripped) up to
    MAX_SENTENCE_CHARS characters, else at most that many characters of it around the figure; where
    the window cuts the sentence, it opens after and closes on clause punctuation if it holds some."""
    if sentence.end - sentence.start <= MAX_SENTENCE_CHARS:
        return text[sentence.start : sentence.end].strip()
    room = max(0, MAX_SENTENCE_CHARS - (end - start))
    low = max(sentence.start, start - room // 2)
    high = min(sentence.end, max(end, low + MAX_SENTENCE_CHARS))
    low = max(sentence.start, min(start, high - MAX_SENTENCE_CHARS))
    breaks = _clause_break_offsets(text)
    if low > sentence.start:
        first = bisect.bisect_left(breaks, low)
        if first < len(breaks) and breaks[first] < start:
            low = breaks[first] + 1
    if high < sentence.end:
        last = bisect.bisect_left(breaks, high) - 1
        if last >= 0 and breaks[last] >= end:
            high = breaks[last] + 1
    return text[low:high].strip()
