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

Events the lean handlers do not model (namespaced names, which lxml's HTML parser does not produce)
stop the lean build, and bs4's own handlers read the page again from scratch.
"""

from __future__ import annotations

from typing import Any, ClassVar

from bs4 import BeautifulSoup
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import Comment, Doctype, NavigableString, PageElement, Tag, nonwhitespace_re

# bs4 collapses a string of nothing but these to "\n" (when it holds one) or " ", outside <pre>/<textarea>.
_ASCII_SPACES = BeautifulSoup.ASCII_SPACES
# The fields of a Tag that depend on where it sits or what it holds, set per node.
_PER_NODE = frozenset(
    {
        *("parent", "previous_element", "next_element", "previous_sibling", "next_sibling"),
        *("attrs", "contents", "_namespaces"),
    }
)


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
        self._open: list[tuple[Tag, type[NavigableString], bool]] = []
        self._text: list[str] = []
        self._last: PageElement | None = None

    def feed(self, markup: Any) -> None:
        soup = self.soup
        assert soup is not None
        self._lean = True
        self._open, self._text, self._last = [], [], None
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

    # ---- lxml's parser-target interface -----------------------------------------------------------

    def start(self, tag: str | bytes, attrib: dict[str | bytes, str | bytes], nsmap: Any = {}) -> None:  # noqa: B006 - lxml's signature
        if not self._lean:
            return super().start(tag, attrib, nsmap)
        if nsmap or not isinstance(tag, str) or tag[:1] == "{":
            raise _NotModelled
        self._flush()
        attrs = self.attribute_dict_class(attrib)
        if attrs:
            universal = self.cdata_list_attributes.get("*", ())
            specific = self.cdata_list_attributes.get(tag.lower(), ())
            for key, value in attrs.items():
                if not isinstance(key, str) or key[:1] == "{" or not isinstance(value, str):
                    raise _NotModelled
                if key in universal or key in specific:
                    attrs[key] = self.attribute_value_list_class(nonwhitespace_re.findall(value))
        shape = self._shapes.get(tag)
        if shape is None:
            shape = self._shapes.setdefault(tag, self._shape(tag))
        open_tags = self._open
        parent, container, preserve = open_tags[-1] if open_tags else (self.soup, NavigableString, False)
        node = Tag.__new__(Tag)
        node.__dict__.update(shape, _namespaces=self.active_namespace_prefixes[-1], attrs=attrs, contents=[])
        if tag == "meta":
            self.set_up_substitutions(node)
        self._link(node, parent)
        open_tags.append(
            (
                node,
                self.string_containers.get(tag, container),
                preserve or tag in self.preserve_whitespace_tags,
            )
        )

    def end(self, tag: str | bytes) -> None:
        if not self._lean:
            return super().end(tag)
        self._flush()
        open_tags = self._open
        # As bs4 does: close up to the most recent open tag of that name, or nothing when none is open.
        for depth in range(len(open_tags) - 1, -1, -1):
            if open_tags[depth][0].name == tag:
                del open_tags[depth:]
                return

    def data(self, data: str | bytes) -> None:
        if not self._lean:
            return super().data(data)
        if not isinstance(data, str):
            raise _NotModelled
        self._text.append(data)

    def comment(self, text: str | bytes) -> None:
        if not self._lean:
            return super().comment(text)
        if not isinstance(text, str):
            raise _NotModelled
        self._flush()
        self._text.append(text)
        self._flush(Comment)

    def doctype(self, name: str, pubid: str, system: str) -> None:
        if not self._lean:
            return super().doctype(name, pubid, system)
        self._flush()
        self._text.append(Doctype._string_for_name_and_ids(name, pubid, system))
        self._flush(Doctype)

    def pi(self, target: str, data: str) -> None:
        if not self._lean:
            return super().pi(target, data)
        self._flush()
        self._text.append(target + " " + data)
        self._flush(self.processing_instruction_class)

    def close(self) -> None:
        if self._lean:
            self._flush()
            soup = self.soup
            assert soup is not None
            soup._most_recent_element = self._last
        super().close()

    # ---- building ---------------------------------------------------------------------------------

    def _flush(self, string_class: type[NavigableString] | None = None) -> None:
        """The text collected since the last event as one string node (bs4's endData)."""
        if not self._text:
            return
        text = "".join(self._text)
        self._text = []
        if self._open:
            parent, container, preserve = self._open[-1]
        else:
            parent, container, preserve = self.soup, NavigableString, False  # type: ignore[assignment]
        if not preserve and not text.strip(_ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        cls = string_class or container
        node = str.__new__(cls, text)
        node.__dict__["hidden"] = False
        self._link(node, parent)

    def _link(self, node: PageElement, parent: Tag | None) -> None:
        """Append `node` to `parent` as the element parsed after the last one."""
        assert parent is not None
        siblings = parent.contents
        previous_sibling = siblings[-1] if siblings else None
        last = self._last
        fields = node.__dict__
        fields["parent"] = parent
        fields["previous_element"] = last
        fields["next_element"] = None
        fields["previous_sibling"] = previous_sibling
        fields["next_sibling"] = None
        if last is not None:
            last.next_element = node
        if previous_sibling is not None:
            previous_sibling.next_sibling = node
        siblings.append(node)
        self._last = node

    def _shape(self, name: str) -> dict[str, Any]:
        prototype = Tag(self.soup, self, name)
        return {key: value for key, value in prototype.__dict__.items() if key not in _PER_NODE}
