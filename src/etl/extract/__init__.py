"""Rule-based extraction of numeric indicators from Chinese news text (docs/indicators.md).

extract_indicators() works on one text (a cleaned body or one caption); extract_article() runs it
over an article's body and captions; explain() says, for every number matched in a text, which rule
dropped it or which row it became.
"""

from __future__ import annotations

import datetime as dt

from etl.extract.extractor import CandidateVerdict, explain, extract
from etl.extract.limits import (
    MAX_INDICATORS_PER_ARTICLE,
    MAX_TEXT_CHARS,
    ExtractionRefused,
    TooManyFigures,
    too_long,
)
from etl.extract.regions import dominant_region
from etl.extract.table import format_explanation, format_table
from etl.models import Article, Indicator

EXTRACTOR_VERSION = "1.5.0"


def extract_indicators(
    text: str,
    published: dt.date | None,
    *,
    region_hint: str | None = None,
    source: str = "body",
    image_position: int | None = None,
    figures_before: int = 0,
) -> list[Indicator]:
    """Every indicator in `text`; offsets index into `text` (text[char_start:char_end] == raw).

    Raises ExtractionRefused for a text that is not article prose (limits.py): too long to read, or
    with more figures than an article holds (counting `figures_before`, found earlier in its article).
    """
    if len(text) > MAX_TEXT_CHARS:
        raise too_long(len(text))
    return extract(
        text,
        published,
        region_hint=region_hint,
        source=source,
        image_position=image_position,
        figures_before=figures_before,
    )


def explain_text(text: str, published: dt.date | None, *, region_hint: str | None = None) -> str:
    """A table of every number matched in `text`: kept with its metric, or dropped with the rule's name.

    Raises ExtractionRefused for a text too long to read (limits.py); the figure cap does not apply,
    since the table is for reading what the extractor does, figure by figure.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise too_long(len(text))
    return format_explanation(explain(text, published, region_hint=region_hint))


def extract_article(article: Article) -> list[Indicator]:
    """Indicators of the body (offsets into article.body_text) and of each image caption.

    Raises ExtractionRefused when body and captions together are past the limits of limits.py.
    """
    published = article.published_at.date() if article.published_at else None
    body = article.body_text
    chars = len(body) + sum(len(image.caption or "") for image in article.images)
    if chars > MAX_TEXT_CHARS:
        raise too_long(chars)
    hint = dominant_region(f"{article.title}\n{body}")
    texts: list[tuple[str, str, int | None]] = [(body, "body", None)]
    texts += [(image.caption, "caption", image.position) for image in article.images if image.caption]
    indicators: list[Indicator] = []
    figures = 0
    for text, source, position in texts:
        try:
            rows = extract_indicators(
                text,
                published,
                region_hint=hint,
                source=source,
                image_position=position,
                figures_before=figures,
            )
        except TooManyFigures as refused:
            figures = refused.figures  # the texts after it are only counted, for the message
            continue
        figures += len(rows)
        indicators.extend(rows)
    if figures > MAX_INDICATORS_PER_ARTICLE:
        raise TooManyFigures(figures)
    return indicators


__all__ = [
    "EXTRACTOR_VERSION",
    "CandidateVerdict",
    "ExtractionRefused",
    "explain",
    "explain_text",
    "extract_article",
    "extract_indicators",
    "format_explanation",
    "format_table",
]
