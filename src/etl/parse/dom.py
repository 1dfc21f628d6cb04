"""Small DOM helpers over BeautifulSoup (always the lxml tree builder, with the lean event handlers
of `etl.parse.soup`), and the CSS selector engine the templates run on.

`select` / `select_one` answer exactly what bs4's `Tag.select` / `select_one` answer (soupsieve
decides every match), but do not walk the whole tree per selector: each selector is compiled once,
and a per-document index (tags by id, class and name, built in one pass; by attribute name when a
selector asks) hands soupsieve only the tags that can match the selector's rightmost part. Walking
every tag in soupsieve for each of a page's ~100 selector calls was most of the parse time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import urljoin

import soupsieve
from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString, PageElement
from soupsieve.css_match import CSSMatch
from soupsieve.css_types import Selector

from etl.parse.soup import TAG_LISTS, LxmlTreeBuilder, TagLists
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
    """The page's tree as bs4's lxml builder makes it, built by its lean event handlers (soup.py)."""
    return BeautifulSoup(html, builder=LxmlTreeBuilder())


# --------------------------------------------------------------------------- selector engine

_INDEX = "_etl_selector_index"  # where a document keeps its index (bs4 would read tag.x as find("x"))
Key = tuple[str, str]  # ("id" | "class" | "tag" | "attr", lower-cased value)


class _TagIndex:
    """Every tag of a document by id, class and name, in document order. Built on the first select,
    from the lists the tree builder gathered when it has them (the tree as parsed: templates remove
    nodes but never add any); tags decomposed later stay listed and are skipped when a selection
    meets them."""

    tags: dict[Key, list[Tag]]
    order: dict[int, int]
    all: list[Tag]

    def __init__(self, soup: BeautifulSoup, built: TagLists | None = None) -> None:
        if built is not None:
            self.all, self.order, self.tags = built
            return
        self.tags = {}
        self.order = {}
        self.all = [node for node in soup.descendants if isinstance(node, Tag)]
        for position, tag in enumerate(self.all):
            self.order[id(tag)] = position
            self._add(("tag", tag.name.lower()), tag)
            ident = tag.get("id")
            if isinstance(ident, str):
                self._add(("id", ident.lower()), tag)
            classes = tag.get("class") or ()
            for name in dict.fromkeys(classes.split() if isinstance(classes, str) else classes):
                self._add(("class", name.lower()), tag)

    def _add(self, key: Key, tag: Tag) -> None:
        self.tags.setdefault(key, []).append(tag)

    def has(self, key: Key) -> bool:
        """Whether any tag carries `key`. Tags by attribute name are listed on first asking: few
        selectors need them (`[class*=qrcode]`), and lxml gives attribute names in lower case."""
        if key[0] == "attr" and key not in self.tags:
            self.tags[key] = [t for t in self.all if not t.__dict__.get("_decomposed") and key[1] in t.attrs]
        return bool(self.tags.get(key))

    def candidates(self, alternatives: tuple[Alternative, ...]) -> list[Tag]:
        """Tags that may match: those carrying an alternative's key, when every compound of that
        alternative (`div.zdfy a[href]`: div.zdfy and a) has a tag in the document at all."""
        lists = [
            self._below(self.tags[key], inside) if inside is not None else self.tags[key]
            for key, needs, inside in alternatives
            if all(self.has(need) for need in needs)
        ]
        if len(lists) == 1:
            return lists[0]
        found = {id(t): t for tags in lists for t in tags}
        return sorted(found.values(), key=lambda t: self.order[id(t)])

    def _below(self, tags: list[Tag], ancestor_key: Key) -> list[Tag]:
        """The tags with an ancestor carrying `ancestor_key` (a pointer walk, far cheaper than
        soupsieve matching the ancestor's compound at every level)."""
        ancestors = {id(t) for t in self.tags[ancestor_key]}
        found = []
        for tag in tags:
            parent = tag.parent
            while parent is not None and id(parent) not in ancestors:
                parent = parent.parent
            if parent is not None:
                found.append(tag)
        return found


# A comma-separated alternative of a selector: the key of its rightmost compound, the keys of all its
# compounds (left of a combinator too), and the key of the compound it must sit inside (`div.zdfy a`,
# `.a > p`: the left compound's key), if any.
Alternative = tuple[Key, tuple[Key, ...], Key | None]


def _key(compound: Selector) -> Key | None:
    """What every tag matching the compound carries: its id, else a class, else its tag name, else
    an attribute it must have (lower-cased, so the index gives a superset of what soupsieve's case
    rules match; `[a!=b]` also matches tags without the attribute, so it gives no key)."""
    if compound.ids:
        return ("id", compound.ids[0].lower())
    if compound.classes:
        return ("class", compound.classes[0].lower())
    if compound.tag is not None and compound.tag.name != "*":
        return ("tag", compound.tag.name.lower())
    for attribute in compound.attributes:
        if not attribute.inverse and not attribute.prefix:
            return ("attr", attribute.attribute.lower())
    return None


def _chain_keys(compound: Selector) -> tuple[Key, ...]:
    keys: list[Key] = []
    current: object = compound
    while isinstance(current, Selector):
        if (key := _key(current)) is not None:
            keys.append(key)
        current = current.relation[0] if current.relation else None
    return tuple(keys)


@functools.cache
def _compiled(selector: str) -> tuple[soupsieve.SoupSieve, tuple[Alternative, ...] | None]:
    """The compiled selector and its alternatives. None: some alternative can match any tag, or
    `:scope` needs the tag the selection starts from, so soupsieve walks the tree itself."""
    compiled = soupsieve.compile(selector)
    if ":scope" in selector:
        return compiled, None
    alternatives: list[Alternative] = []
    for alternative in compiled.selectors:
        if not isinstance(alternative, Selector) or (key := _key(alternative)) is None:
            return compiled, None
        left = alternative.relation[0] if alternative.relation else None
        inside = _key(left) if isinstance(left, Selector) and left.rel_type in (" ", ">") else None
        alternatives.append((key, _chain_keys(alternative), inside))
    return compiled, tuple(dict.fromkeys(alternatives))


def _document(node: Tag) -> BeautifulSoup | None:
    top = node
    while top.parent is not None:
        top = top.parent
    return top if isinstance(top, BeautifulSoup) else None


def _index(soup: BeautifulSoup) -> _TagIndex:
    index = soup.__dict__.get(_INDEX)
    if not isinstance(index, _TagIndex):
        index = _TagIndex(soup, soup.__dict__.pop(TAG_LISTS, None))
        soup.__dict__[_INDEX] = index
    return index


def _within(tag: Tag, scope: Tag) -> bool:
    parent = tag.parent
    while parent is not None:
        if parent is scope:
            return True
        parent = parent.parent
    return False


def _iselect(scope: Tag, selector: str) -> Iterable[Tag]:
    compiled, keys = _compiled(selector)
    soup = _document(scope) if keys is not None else None
    if keys is None or soup is None:
        yield from compiled.iselect(scope)
        return
    matcher: CSSMatch | None = None
    for tag in _index(soup).candidates(keys):
        if tag.__dict__.get("_decomposed") or not _within(tag, scope):
            continue
        if matcher is None:
            # One matcher for the selection: `compiled.match(tag)` builds one per tag, each walking up
            # to the document's root first. What a matcher keeps is about the document, except the
            # tag `:scope` stands for, and selectors with `:scope` never come this way.
            matcher = CSSMatch(compiled.selectors, soup, compiled.namespaces, compiled.flags)
        if matcher.match(tag):
            yield tag


def select(scope: Tag, selector: str) -> list[Tag]:
    """`scope.select(selector)`: the tags below `scope` matching it, in document order."""
    return list(_iselect(scope, selector))


def select_one(scope: Tag, selector: str) -> Tag | None:
    """`scope.select_one(selector)`: the first tag below `scope` matching it."""
    return next(iter(_iselect(scope, selector)), None)


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
        node = select_one(soup, selector)
        if node is not None:
            return node
    return None


def first_text(soup: Tag, selectors: Iterable[str]) -> str:
    """Text of the first selector whose node has text."""
    for selector in selectors:
        for node in select(soup, selector):
            text = text_of(node)
            if text:
                return text
    return ""


def decompose_all(root: Tag, selectors: Iterable[str]) -> None:
    """Remove what the selectors match below `root`, as if one selector after the other."""
    for group in removal_groups(tuple(selectors)):
        for node in select(root, group):
            if not node.__dict__.get("_decomposed"):  # not inside a node removed just before
                node.decompose()


@functools.cache
def removal_groups(selectors: tuple[str, ...]) -> tuple[str, ...]:
    """The selectors, consecutive order-free ones joined into one selector list.

    Removing nodes one selector after the other is the same as removing what the joined list matches
    on the tree before any removal, as long as whether a node matches depends only on the node and
    its ancestors, which removing other nodes never changes. Sibling combinators and pseudo-classes
    (`div.zdfy + center`, `:has(img)`, `:first-child`) depend on what else is still there, so each of
    those stays a step of its own, in its place.
    """
    groups: list[str] = []
    run: list[str] = []
    for selector in selectors:
        if _order_free(selector):
            run.append(selector)
            continue
        if run:
            groups.append(", ".join(run))
            run = []
        groups.append(selector)
    if run:
        groups.append(", ".join(run))
    return tuple(groups)


def _order_free(selector: str) -> bool:
    for alternative in soupsieve.compile(selector).selectors:
        compound: object = alternative
        while isinstance(compound, Selector):
            plain = not (compound.selectors or compound.nth or compound.contains or compound.lang)
            if not plain or compound.flags or compound.rel_type not in (None, " ", ">"):
                return False
            compound = compound.relation[0] if compound.relation else None
        if compound is not None:
            return False
    return True


def ancestor(node: PageElement, name: str, class_: str | None = None) -> Tag | None:
    """`node.find_parent(name, class_=class_)`: the nearest enclosing tag of that name (and class),
    found by walking the parents rather than through bs4's general matching."""
    parent = node.parent
    while parent is not None:
        if parent.name == name and (class_ is None or class_ in (parent.get("class") or ())):
            return parent
        parent = parent.parent
    return None


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
