"""The BeautifulSoup tree of a page, built by a leaner handler of lxml's parse events.

bs4's `lxml` tree builder is lxml's parser target: lxml calls it for every start tag, end tag, run
of text and comment, and each call goes through bs4's general-purpose bookkeeping (parse filters,
open-tag counters, whitespace and string-class stacks, linkage repair for out-of-order inserts).
On People's Daily pages that bookkeeping was about half of the parse stage's time, while lxml's
own parsing, events included, is under a tenth of it.

`LxmlTreeBuilder` is bs4's builder with those event handlers replaced by ones that do only what an
HTML parse through lxml needs: the same parser, fed the same text, sends the same events, and the
handlers create the same Tags and strings (same classes, attributes, multi-valued attributes, string
classes, whitespace collapsing) linked the same way. Templates keep reading a plain BeautifulSoup
tree through the bs4 API. tests/test_parse_soup.py compares every node, field and link with bs4's
own builder on every fixture page and on hand-made edge cases.

The handlers also gather, as they create the tags, the lists the selector index of `etl.parse.dom`
starts from (tags in document order and by name, id and class), which it otherwise walks the tree for.

Events the lean handlers do not model (namespaced names, which lxml's HTML parser does not produce)
stop the lean build, and bs4's own handlers read the page again from scratch; a BeautifulSoup made
with a parse filter or node classes of its own is read by bs4's handlers from the start.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

from bs4 import BeautifulSoup
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import Comment, Doctype, NavigableString, Tag, nonwhitespace_re
from lxml import etree

# bs4 collapses a string of nothing but these to "\n" (when it holds one) or " ", outside <pre>/<textarea>.
_ASCII_SPACES = BeautifulSoup.ASCII_SPACES
# The fields of a Tag that depend on where it sits or what it holds, set per node.
_PER_NODE = frozenset(
    {
        *("parent", "previous_element", "next_element", "previous_sibling", "next_sibling"),
        *("attrs", "contents", "_namespaces"),
    }
)


# Where a document built here keeps what its selector index (etl.parse.dom) starts from, gathered
# while the tags are created: every tag in document order, each tag's position, and the tags by
# ("tag", name), ("id", id) and ("class", name), lower-cased.
TAG_LISTS = "_etl_tag_lists"
TagLists = tuple[list[Tag], dict[int, int], dict[tuple[str, str], list[Tag]]]


class _NotModelled(Exception):
    """An event the lean handlers do not reproduce exactly."""


class LxmlTreeBuilder(LXMLTreeBuilder):
    """bs4's lxml HTML builder with lean parse-event handlers (see the module docstring)."""

    NAME = "lxml-lean"
    # Per tag name: the fields bs4's own builder gives a new Tag of that name, but the per-node ones.
    # They depend only on the name and the builder's class-level settings, so documents share them.
    _shapes: ClassVar[dict[str, dict[str, Any]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lean = True

    def feed(self, markup: Any) -> None:
        soup = self.soup
        assert soup is not None
        # A parse filter (SoupStrainer) or classes of the caller's own for the nodes: bs4's handlers.
        self._lean = not (soup.parse_only or soup.element_classes)
        if not self._lean:
            super().feed(markup)
            return
        try:
            super().feed(markup)
            return
        except _NotModelled:
            soup.reset()
            self.initialize_soup(soup)
            self.nsmaps = [self.DEFAULT_NSMAPS_INVERTED]
            self.active_namespace_prefixes = [dict(self.DEFAULT_NSMAPS)]
        self._lean = False
        super().feed(markup)

    def parser_for(self, encoding: Any) -> Any:
        if not self._lean:
            return super().parser_for(encoding)
        return etree.HTMLParser(
            target=self.lean_target(), recover=True, huge_tree=self.huge_tree, encoding=encoding
        )

    def lean_target(self) -> SimpleNamespace:
        """lxml's parser target for one document: its start, end, data, comment, doctype, pi and close
        handlers, closures over the document's state (lxml calls them some 800 times a page)."""
        soup = self.soup
        assert soup is not None
        shapes = self._shapes
        new_shape = self._shape
        dict_class = self.attribute_dict_class
        value_list = self.attribute_value_list_class
        list_attributes = self.cdata_list_attributes
        universal = tuple(list_attributes.get("*", ()))
        string_containers = self.string_containers
        preserve_tags = self.preserve_whitespace_tags
        namespaces = self.active_namespace_prefixes[-1]
        set_up_substitutions = self.set_up_substitutions
        find_words = nonwhitespace_re.findall
        new_tag = Tag.__new__
        new_string = str.__new__
        spaces = _ASCII_SPACES

        # The open tags, innermost last, each with the string class and whitespace rule of its text.
        open_tags: list[tuple[Tag, type[NavigableString], bool]] = []
        text: list[str] = []  # text since the last event
        last: Any = None  # the element created last (bs4's _most_recent_element)
        # Per tag name, the attributes whose values bs4 splits into lists (class, rel, headers …).
        list_keys: dict[str, tuple[str, ...]] = {}
        in_order: list[Tag] = []
        positions: dict[int, int] = {}
        by_key: dict[tuple[str, str], list[Tag]] = {}

        # The linking below is written out in `flush` and `start` rather than shared: a call per node
        # is a measurable part of the build.
        def flush(string_class: type[NavigableString] | None = None) -> None:
            """The text collected since the last event as one string node (bs4's endData)."""
            nonlocal last
            value = text[0] if len(text) == 1 else "".join(text)
            text.clear()
            parent, container, preserve = open_tags[-1] if open_tags else (soup, NavigableString, False)
            if not preserve and not value.strip(spaces):
                value = "\n" if "\n" in value else " "
            node = new_string(string_class or container, value)
            siblings = parent.contents
            previous_sibling = siblings[-1] if siblings else None
            node.__dict__ = {
                "hidden": False,
                "parent": parent,
                "previous_element": last,
                "next_element": None,
                "previous_sibling": previous_sibling,
                "next_sibling": None,
            }
            if last is not None:
                last.next_element = node
            if previous_sibling is not None:
                previous_sibling.next_sibling = node
            siblings.append(node)
            last = node

        def start(tag: str, attrib: dict[str, str]) -> None:
            nonlocal last
            if not isinstance(tag, str) or tag[:1] == "{":
                raise _NotModelled
            if text:
                flush()
            attrs = dict_class(attrib)
            if attrs:
                keys = list_keys.get(tag)
                if keys is None:
                    keys = list_keys[tag] = (*universal, *list_attributes.get(tag.lower(), ()))
                for key in keys:
                    if key in attrs:
                        attrs[key] = value_list(find_words(attrs[key]))
            shape = shapes.get(tag)
            if shape is None:
                shape = shapes.setdefault(tag, new_shape(tag))
            if open_tags:
                parent, container, preserve = open_tags[-1]
            else:
                parent, container, preserve = soup, NavigableString, False
            siblings = parent.contents
            previous_sibling = siblings[-1] if siblings else None
            node = new_tag(Tag)
            node.__dict__ = {
                **shape,
                "_namespaces": namespaces,
                "attrs": attrs,
                "contents": [],
                "parent": parent,
                "previous_element": last,
                "next_element": None,
                "previous_sibling": previous_sibling,
                "next_sibling": None,
            }
            if tag in string_containers:
                # A set of its own per tag, as bs4 gives it (the shape's would be shared).
                node.__dict__["interesting_string_types"] = {string_containers[tag]}
            if tag == "meta":
                set_up_substitutions(node)
            if last is not None:
                last.next_element = node
            if previous_sibling is not None:
                previous_sibling.next_sibling = node
            siblings.append(node)
            last = node
            open_tags.append((node, string_containers.get(tag, container), preserve or tag in preserve_tags))
            positions[id(node)] = len(in_order)
            in_order.append(node)
            by_key.setdefault(("tag", tag.lower()), []).append(node)
            if attrs:
                ident = attrs.get("id")
                if isinstance(ident, str):
                    by_key.setdefault(("id", ident.lower()), []).append(node)
                classes = attrs.get("class")
                if classes:
                    for name in dict.fromkeys(classes.split() if isinstance(classes, str) else classes):
                        by_key.setdefault(("class", name.lower()), []).append(node)

        def end(tag: str) -> None:
            if text:
                flush()
            if open_tags and open_tags[-1][0].name == tag:
                open_tags.pop()
                return
            # As bs4 does: close up to the most recent open tag of that name, or nothing when none is.
            for depth in range(len(open_tags) - 1, -1, -1):
                if open_tags[depth][0].name == tag:
                    del open_tags[depth:]
                    return

        def data(value: str) -> None:
            text.append(value)

        def comment(value: str) -> None:
            if text:
                flush()
            text.append(value)
            flush(Comment)

        def doctype(name: str, pubid: str, system: str) -> None:
            if text:
                flush()
            text.append(Doctype._string_for_name_and_ids(name, pubid, system))
            flush(Doctype)

        def pi(target: str, value: str) -> None:
            if text:
                flush()
            text.append(target + " " + value)
            flush(self.processing_instruction_class)

        def close() -> None:
            if text:
                flush()
            soup._most_recent_element = last
            tag_lists: TagLists = (in_order, positions, by_key)
            soup.__dict__[TAG_LISTS] = tag_lists

        return SimpleNamespace(
            start=start, end=end, data=data, comment=comment, doctype=doctype, pi=pi, close=close
        )

    def _shape(self, name: str) -> dict[str, Any]:
        prototype = Tag(self.soup, self, name)
        return {key: value for key, value in prototype.__dict__.items() if key not in _PER_NODE}
