"""Sentence, paragraph and clause boundaries with offsets into the original text."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)）]*|\n")
CLAUSE_BREAKS = "，,；;：:。！？!?\n、"
_CJK = re.compile(r"[\u4e00-\u9fff]")


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
    if opening <= floor or any(ch in "，,；;。！？!?\n" for ch in text[opening:closing]):
        return None
    return opening if _CJK.match(text, opening - 1) else None


@functools.lru_cache(maxsize=4096)
def clause_begin(text: str, position: int, floor: int) -> int:
    """Start of the clause before `position`, not before `floor` (the sentence start); 、 joins list
    members so it does not end a clause, and an opening quote ends it only if the quotation is still
    open at `position`."""
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


def clause_end(text: str, position: int, ceiling: int) -> int:
    """End of the clause from `position`; 、 inside a noun phrase (新市民、青年人) does not end it."""
    i = position
    while i < ceiling and text[i] not in CLAUSE_BREAKS[:-1]:
        i += 1
    return i
