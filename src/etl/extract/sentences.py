"""Sentence, paragraph and clause boundaries with offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)）]*|\n")
CLAUSE_BREAKS = "，,；;：:。！？!?\n、"


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


def clause_start(text: str, position: int, floor: int) -> int:
    """Start of the clause holding `position`, not before `floor` (the sentence start)."""
    i = position
    while i > floor and text[i - 1] not in CLAUSE_BREAKS:
        i -= 1
    return i


def clause_end(text: str, position: int, ceiling: int) -> int:
    """End of the clause from `position`; 、 inside a noun phrase (新市民、青年人) does not end it."""
    i = position
    while i < ceiling and text[i] not in CLAUSE_BREAKS[:-1]:
        i += 1
    return i
