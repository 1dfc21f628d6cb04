"""Helpers shared by the extractor tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import datetime as dt

from etl.extract import extract_indicators
from etl.models import Indicator

PUBLISHED = dt.date(2025, 9, 3)


def extract(text: str, published: dt.date | None = PUBLISHED, **kwargs: object) -> list[Indicator]:
    indicators = extract_indicators(text, published, **kwargs)  # type: ignore[arg-type]
    for ind in indicators:
        assert text[ind.char_start : ind.char_end] == ind.raw
        assert ind.raw in ind.sentence
    return indicators


def one(text: str, raw: str, published: dt.date | None = PUBLISHED) -> Indicator:
    """The single indicator whose raw text is `raw`."""
    found = [ind for ind in extract(text, published) if ind.raw == raw]
    assert len(found) == 1, f"{raw!r} in {[i.raw for i in extract(text, published)]}"
    return found[0]


def raws(text: str, published: dt.date | None = PUBLISHED) -> list[str]:
    return [ind.raw for ind in extract(text, published)]
