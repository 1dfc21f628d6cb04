"""Clean stage: normalise a parsed Article and keep boilerplate out of its body.

Pure and idempotent: clean_article(clean_article(a)) == clean_article(a). The parsers already
remove boilerplate *nodes*; this stage removes boilerplate *lines* that live inside ordinary
paragraphs on some pages (share prompts, 责编 lines, issue references, page jumps, navigation words,
footers, player labels), moves byline paragraphs into `authors`, and keeps each photo caption once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from etl.models import Article, Image, Paragraph
from etl.text_grammar.byline import is_byline_paragraph, names_in, split_credit
from etl.text_grammar.normalise import has_word_characters, normalise_text
from etl.text_grammar.patterns import strip_title_suffix

__all__ = ["clean_article", "normalise_text"]

# (pattern, longest paragraph it may remove). The caps keep real sentences that merely mention
# 版权 or ICP licences in news copy out of reach.
_BOILERPLATE: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), cap)
    for pattern, cap in (
        (r"^分享让更多人看到", 40),
        (r"^(?:分享到|扫一扫|扫码(?:关注|下载))", 40),
        (r"^(?:Play Video|Video Player is loading|播放视频|视频加载中)", 80),
        (r"^[（(【]?\s*(?:本版)?(?:责编|责任编辑|编辑|校对|审核)\s*[：:]", 80),
        (r"^[（(【]?\s*原标题\s*[：:]", 200),
        (r"^[（(【]?\s*(?:本文|文章|稿件)?来源\s*[：:][^。！？]{1,30}$", 40),  # "（来源：经济日报）"
        (r"^[（(]\s*完\s*[)）]$", 5),  # wire copy's end mark
        (r"^《\s*人\s*民\s*日\s*报\s*》\s*[（(][^）)]*版\s*[)）]$", 60),
        (r"^人民日报\s*[（(]\s*\d{4}", 60),
        (r"^《人民日报》\s*[（(]电子版[)）]的一切内容", 1000),
        (r"^(?:(?:上一篇|下一篇|返回目录|返回顶部|放大|缩小|默认|全文复制|打印本页|关闭窗口)[\s|｜]*)+$", 60),
        (r"^(?:上一篇|下一篇)\s*[：:]", 120),
        (r"版\s*权\s*所\s*有|未\s*经\s*书\s*面\s*授\s*权|^copyright\b|©", 160),
        (r"ICP\s*[备证]|公网安备|备案号|许可证\s*[（(]?\s*京|举报(?:电话|邮箱)", 200),
        (r"enpproperty|enpcontent", 5000),  # the CMS metadata comment leaked as text by a bad save
        (r"^(?:相关新闻|相关报道|推荐阅读|热点推荐|精彩推荐|精彩图集|视频新闻|热点排行)\s*[：:]?$", 20),
        (r"(?:客户端下载|下载(?:人民日报|人民网)?\s*(?:客户端|APP)|人民网\+客户端)", 40),
        (r"^点击(?:进入|查看|阅读|观看|收听)", 40),
        (r"showPlayer\s*\(|document\.write\s*\(|function\s*\(\)|\bvar\s+\w+\s*=", 2000),
    )
)


_RX_DOUBLED = re.compile(r"(.{4,}?)\s*\1")
_STRAY_CREDIT_MAX_CHARS = 40  # "新华社记者 张三 李四 摄（新华社发）" fits; a sentence with 摄 in it does not
# Print page jumps: "（相关报道见第二版）", "（下转第四版）", "（上接第一版）". They point into the paper,
# not into this record, so they go whether they stand alone or end/start a paragraph.
_PAGE_NO = r"第?\s*[一二三四五六七八九十零〇\d]{1,3}\s*版"
_JUMP = rf"[（(]\s*(?:[^（()）\s]{{0,10}}?见|下转|上接|紧接|转|接)\s*{_PAGE_NO}\s*[)）]"
_RX_JUMP_EDGES = re.compile(rf"^\s*{_JUMP}\s*|\s*{_JUMP}\s*$")


def clean_article(article: Article) -> Article:
    images = _clean_images(article.images)
    captions = _caption_keys(images)
    authors = list(_clean_names(article.authors))
    paragraphs: list[Paragraph] = []
    for paragraph in article.paragraphs:
        text = _without_page_jumps(normalise_text(paragraph.text))
        if not text or not has_word_characters(text) or is_boilerplate(text):
            continue
        if is_byline_paragraph(text):
            authors.extend(names_in(text))  # the byline is metadata, not body text
            continue
        if _squash(text) in captions or _is_stray_credit(text):
            continue  # a caption printed again as a paragraph, or a photo credit left on its own
        if paragraphs and paragraphs[-1].text == text:
            continue
        paragraphs.append(Paragraph(text, is_subhead=paragraph.is_subhead))
    title = strip_title_suffix(normalise_text(article.title))
    return replace(
        article,
        title=title,
        pre_title=_optional(article.pre_title, title),
        subtitle=_optional(article.subtitle, title),
        source=normalise_text(article.source or "") or None,
        authors=tuple(dict.fromkeys(authors)),
        editors=tuple(dict.fromkeys(n for n in (normalise_text(e) for e in article.editors) if n)),
        page_name=normalise_text(article.page_name or "") or None,
        paragraphs=tuple(paragraphs),
        images=images,
    )


def is_boilerplate(text: str) -> bool:
    return any(len(text) <= cap and pattern.search(text) for pattern, cap in _BOILERPLATE)


def _is_stray_credit(text: str) -> bool:
    """A short line that is only a photo credit ("本报记者 张三摄", "（影像中国）"): never body copy."""
    caption, credit = split_credit(text)
    return caption is None and credit is not None and len(text) <= _STRAY_CREDIT_MAX_CHARS


def _without_page_jumps(text: str) -> str:
    return _RX_JUMP_EDGES.sub("", text).strip()


def _optional(value: str | None, title: str) -> str | None:
    text = normalise_text(value or "")
    return text if text and text != title else None


def _clean_names(names: Iterable[str]) -> Iterable[str]:
    for raw in names:
        name = normalise_text(raw)
        if name:
            yield from names_in(name) or (name,)


def _clean_images(images: Iterable[Image]) -> tuple[Image, ...]:
    cleaned: list[Image] = []
    seen: set[str] = set()
    for image in images:
        if image.src in seen:
            continue
        seen.add(image.src)
        caption, credit = _clean_caption(image.caption, image.credit)
        cleaned.append(Image(position=len(cleaned), src=image.src, caption=caption, credit=credit))
    return tuple(cleaned)


def _clean_caption(caption: str | None, credit: str | None) -> tuple[str | None, str | None]:
    text = _undouble(normalise_text(caption or ""))
    credit_text = normalise_text(credit or "")
    if text and not credit_text:
        split_caption, split_off = split_credit(text)
        text, credit_text = split_caption or "", split_off or ""
    if credit_text and text.endswith(credit_text):
        text = text[: -len(credit_text)].strip()
    if text == credit_text:
        text = ""
    return (text or None, credit_text or None)


def _undouble(text: str) -> str:
    """Caption printed twice in one string ("A A" or "AA": alt text and caption line) -> "A"."""
    m = _RX_DOUBLED.fullmatch(text)
    return m.group(1).strip() if m else text


def _caption_keys(images: Iterable[Image]) -> set[str]:
    keys: set[str] = set()
    for image in images:
        parts = [p for p in (image.caption, image.credit) if p]
        keys.update(_squash(p) for p in parts)
        if len(parts) == 2:
            keys.add(_squash("".join(parts)))
    return keys


def _squash(text: str) -> str:
    return text.replace(" ", "")
