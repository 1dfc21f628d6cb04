"""Rule-based extraction of numeric indicators from Chinese news text (docs/indicators.md).

extract_indicators() works on one text (a cleaned body or one caption); extract_article() runs it
over an article's body and captions; explain() says, for every number matched in a text, which rule
dropped it or which row it became.
"""

from __future__ import annotations

import datetime as dt

from etl.extract.extractor import CandidateVerdict, explain, extract
from etl.extract.regions import dominant_region
from etl.extract.table import format_explanation, format_table
from etl.models import Article, Indicator

EXTRACTOR_VERSION = "1.4.0"


def extract_indicators(
    text: str,
    published: dt.date | None,
    *,
    region_hint: str | None = None,
    source: str = "body",
    image_position: int | None = None,
) -> list[Indicator]:
    """Every indicator in `text`; offsets index into `text` (text[char_start:char_end] == raw)."""
    return extract(text, published, region_hint=region_hint, source=source, image_position=image_position)


def explain_text(text: str, published: dt.date | None, *, region_hint: str | None = None) -> str:
    """A table of every number matched in `text`: kept with its metric, or dropped with the rule's name."""
    return format_explanation(explain(text, published, region_hint=region_hint))


def extract_article(article: Article) -> list[Indicator]:
    """Indicators of the body (offsets into article.body_text) and of each image caption."""
    published = article.published_at.date() if article.published_at else None
    body = article.body_text
    hint = dominant_region(f"{article.title}\n{body}")
    indicators = extract_indicators(body, published, region_hint=hint, source="body")
    for image in article.images:
        if image.caption:
            indicators.extend(
                extract_indicators(
                    image.caption,
                    published,
                    region_hint=hint,
                    source="caption",
                    image_position=image.position,
                )
            )
    return indicators


__all__ = [
    "EXTRACTOR_VERSION",
    "CandidateVerdict",
    "explain",
    "explain_text",
    "extract_article",
    "extract_indicators",
    "format_explanation",
    "format_table",
]
