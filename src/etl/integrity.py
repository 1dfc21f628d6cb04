"""Integrity checks on what is about to be loaded: pure judgements, no I/O.

A site under maintenance often answers 200 with its normal article template around a one-line
notice ("系统维护中，请稍后访问…"). Parsed and cleaned, that notice looks like a valid, very short
article, and loading it would replace a good stored article and its indicators. Two guards:

* `error_page_reason` recognises an error or maintenance notice from the cleaned article alone, so
  it never becomes an article (etl.compose turns it into a parse failure).
* `suspicious_change` compares a new version of an article with the stored one, so that a page
  that lost most of its body (a notice the first guard does not know, a truncated template) keeps
  the stored rows until an operator accepts the change (`--accept-changes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.models import Article

# What error and maintenance pages say to their visitor about the page or the site itself. News copy
# reports maintenance in other words ("12306网站将于23时进行系统维护"), and "维护中" alone is part
# of "维护中国…", so the bare words 维护/系统维护 are not on this list.
ERROR_PAGE_PHRASES: tuple[str, ...] = (
    r"(?:系统|网站|页面|服务器|平台)(?:正在)?(?:维护|升级)中",
    r"(?:系统|网站|页面|服务器)正在(?:维护|升级)",
    r"维护中[，,]\s*请",
    r"页面不存在",
    r"网页不存在",
    r"页面(?:找不到|未找到|已删除|已失效)",
    r"您(?:所)?(?:要)?访问的(?:页面|网页|内容|文章)",
    r"服务器(?:繁忙|错误|异常|忙)",
    r"访问(?:出错|异常|失败|过于频繁)",
    r"(?:暂时|页面|网页|网站)无法访问",
    r"请稍[后候](?:再试|重试|访问|刷新)",
    r"(?:返回|回到)首页",
    r"(?<![\d.])[45]\d\d\s*(?:not\s*found|forbidden|错误|error)",
    r"(?:错误|error|HTTP)\s*(?:代码|code)?\s*[:：]?\s*[45]\d\d(?![\d.])",
    r"^\W*404\W*$",
    r"\b(?:not\s+found|service\s+unavailable|internal\s+server\s+error|bad\s+gateway)\b",
)
_RX_ERROR_PAGE = re.compile("|".join(f"(?:{p})" for p in ERROR_PAGE_PHRASES), re.IGNORECASE)

# An error notice is a line or two. Real articles, even the shortest 简讯, run to a few hundred
# characters, and in those a sentence about a website's maintenance is a small share of the text.
ERROR_PAGE_MAX_CHARS = 200
# Share of the body's characters that must sit in sentences carrying an error phrase.
ERROR_PAGE_MIN_SHARE = 0.5

_RX_SENTENCE = re.compile(r"[^。！？!?；;…\n]+[。！？!?；;…]*")
_RX_SPACE = re.compile(r"\s+")


def error_page_reason(article: Article) -> str | None:
    """Why this cleaned article is an error or maintenance notice rather than an article, or None.

    True only for a short body made mostly of sentences such as 页面不存在 / 系统维护中 / 请稍后再试;
    an article that merely mentions maintenance is far longer than the notice, or says it otherwise.
    """
    size = _visible_chars(article.body_text)
    if not size or size > ERROR_PAGE_MAX_CHARS:
        return None
    sentences = [m.group(0) for m in _RX_SENTENCE.finditer(article.body_text)]
    flagged = sum(_visible_chars(s) for s in sentences if _RX_ERROR_PAGE.search(s))
    if flagged < ERROR_PAGE_MIN_SHARE * size:
        return None
    shown = _RX_SPACE.sub(" ", article.body_text).strip()
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return f"error or maintenance page, not an article: “{shown}”"


def _visible_chars(text: str) -> int:
    return len(_RX_SPACE.sub("", text))


@dataclass(frozen=True, slots=True)
class ArticleStats:
    """What a suspicious change is judged on: the size of an article as stored or as newly parsed."""

    body_chars: int  # characters of body_text (paragraphs joined by a newline)
    paragraphs: int
    indicators: int


# A stored article this short is a 简讯 whose edits move its length by large ratios; the error-page
# check above guards those.
SUSPICIOUS_MIN_STORED_CHARS = 200
# Real revisions of a published article (a 更正, a paragraph added or cut, a caption fixed, a better
# parser or extractor) keep most of the body: losing more than 60 % of it is what a page that lost
# its article looks like (a notice in the article template, a truncated page, page 1 of 2 alone).
SUSPICIOUS_BODY_RATIO = 0.4
# ... and such a page loses its figures with it: more than half of the indicators gone. A stored
# article without indicators has none to lose, so there the body alone decides.
SUSPICIOUS_INDICATOR_RATIO = 0.5


def suspicious_change(stored: ArticleStats, new: ArticleStats) -> str | None:
    """Why replacing the stored article by the new version would more likely lose data than update
    it, or None when the new version may simply replace it."""
    if stored.body_chars < SUSPICIOUS_MIN_STORED_CHARS:
        return None
    if new.body_chars >= SUSPICIOUS_BODY_RATIO * stored.body_chars:
        return None
    if stored.indicators and new.indicators >= SUSPICIOUS_INDICATOR_RATIO * stored.indicators:
        return None
    return (
        f"suspicious change: body {stored.body_chars:,} → {new.body_chars:,} characters, "
        f"paragraphs {stored.paragraphs:,} → {new.paragraphs:,}, "
        f"indicators {stored.indicators:,} → {new.indicators:,}; kept the stored version "
        "(rerun with --accept-changes to take it)"
    )
