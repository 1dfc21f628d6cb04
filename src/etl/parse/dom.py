"""Small DOM helpers over BeautifulSoup (always the lxml tree builder)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString

from etl.text_grammar.normalise import normalise_text
from etl.urls import redact_url

_RX_CENTRED_STYLE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_RX_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_BOLD_TAGS = frozenset({"strong", "b"})
# Block elements start a new line when rendered: two <p> in one table cell are two lines, not one word.
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "tr", "td", "th", "table", "section", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"}
)


def make_soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def text_of(node: Tag) -> str:
    """Visible text of a node, <br> and nested block elements read as a space, whitespace collapsed.

    Concatenates the text of inline tags (<a>, <span>, <strong>) without a separator, because they
    sit inside words of Chinese sentences.
    """
    parts: list[str] = []
    for element in node.descendants:
        if isinstance(element, Tag) and (element.name == "br" or element.name in _BLOCK_TAGS):
            parts.append(" ")
        elif type(element) is NavigableString and not _inside(element, ("script", "style", "noscript")):
            parts.append(str(element))
    return normalise_text("".join(parts))


def _inside(element: NavigableString, names: tuple[str, ...]) -> bool:
    return element.parent is not None and element.parent.name in names


def first(soup: Tag, selectors: Iterable[str]) -> Tag | None:
    """First node matched by the first selector that matches (priority order, not document order)."""
    for selector in selectors:
        node = soup.select_one(selector)
        if node is not None:
            return node
    return None


def first_text(soup: Tag, selectors: Iterable[str]) -> str:
    """Text of the first selector whose node has text."""
    for selector in selectors:
        for node in soup.select(selector):
            text = text_of(node)
            if text:
                return text
    return ""


def decompose_all(root: Tag, selectors: Iterable[str]) -> None:
    for selector in selectors:
        for node in root.select(selector):
            node.decompose()


def drop_comments(root: Tag) -> None:
    for comment in root.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()


def attr(node: Tag, name: str) -> str:
    value = node.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def absolute(base_url: str, href: str) -> str:
    # A link's user:password is not ours to send or store.
    return redact_url(urljoin(base_url, href.strip()))


def is_centred(node: Tag) -> bool:
    if attr(node, "align").lower() == "center":
        return True
    if _RX_CENTRED_STYLE.search(attr(node, "style")):
        return True
    return any(name in ("center", "tc", "pictext") for name in attr(node, "class").split())


def is_wholly_bold(node: Tag) -> bool:
    """Every visible character of the node sits inside <strong>/<b> (or the node itself is bold)."""
    if _RX_BOLD_STYLE.search(attr(node, "style")):
        return True
    saw_bold_text = False
    for element in node.descendants:
        if not isinstance(element, NavigableString) or isinstance(element, Comment):
            continue
        if not normalise_text(str(element)):
            continue
        if not _has_bold_ancestor(element, node):
            return False
        saw_bold_text = True
    return saw_bold_text


def _has_bold_ancestor(element: NavigableString, stop: Tag) -> bool:
    parent = element.parent
    while parent is not None and parent is not stop:
        if parent.name in _BOLD_TAGS or _RX_BOLD_STYLE.search(attr(parent, "style")):
            return True
        parent = parent.parent
    return False


def is_ancestor(ancestor: Tag, node: Tag) -> bool:
    """Identity test: bs4's == compares markup, so two equal-looking nodes would match."""
    return any(parent is ancestor for parent in node.parents)
