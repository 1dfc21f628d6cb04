"""`make_soup` builds exactly the tree bs4's own lxml builder builds: the same nodes in the same order,
of the same classes, with the same fields (attributes, multi-valued attributes, string classes,
collapsed whitespace, meta charset substitutions) and the same parent, sibling and element links,
on every fixture page and on markup chosen for the corners of bs4's event handling."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup, SoupStrainer, Tag
from bs4.element import PageElement
from fixture_pages import decoded, fixture_files

from etl.parse import dom
from etl.parse import soup as soup_module
from etl.parse.dom import make_soup

LINKS = ("parent", "previous_element", "next_element", "previous_sibling", "next_sibling")
# The BeautifulSoup object's parse-time bookkeeping: what is left in it after a parse is not the tree.
# So are the lists our builder gathers for the selector index (compared with a walk of the tree below).
BOOKKEEPING = (
    *("builder", "currentTag", "tagStack", "open_tag_counter", "current_data"),
    *("_most_recent_element", soup_module.TAG_LISTS, dom._INDEX),
)

EDGE_CASES = {
    "whitespace": "<html><body>\n  <p> a  b </p>\t<p>\r\n</p> <pre>\n  keep  \n</pre>"
    "  <textarea>  x\n </textarea></body></html>",
    "pre with children": "<body><pre> <b> </b>\n <i>x</i> </pre> <p> </p></body>",
    "string classes": "<head><style> p{} </style><script>var a = '<p>';</script></head>"
    "<body><template><p>t</p></template><ruby>字<rp>(</rp><rt>zi</rt><rp>)</rp></ruby></body>",
    "comments": "<!-- before --><html><!----><body><!-- --><p>a<!--in-->b</p></body></html><!-- after -->",
    "doctypes": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html><body><p>x</p></body></html>',
    "late doctype": "<p>x</p><!DOCTYPE html><p>y</p>",
    "processing instruction": '<?xml version="1.0" encoding="utf-8"?><html><body><?php echo 1; ?>'
    "<p>x</p></body></html>",
    "attributes": '<body><td nowrap class=" a  b\tc " headers="h1 h2" id="x y">'
    '<a rel="nofollow noopener" rev="" href="/?a=1&amp;b=2">l</a><script defer async src="s.js"></script>'
    '<input disabled checked=checked><p class="">e</p><p CLASS="Up">u</p><p class="dup" class="dup2">d</p>'
    '<o:p>word</o:p><span xml:lang="zh" xmlns:o="urn:x">n</span></td></body>',
    "meta": '<head><meta charset="gb2312">'
    '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">'
    '<meta name="x" content="y"></head><body></body>',
    "misnested": "<body><h1><p>标题</p></h1><b><i>x</b>y</i><table><tr><td>1<td>2</table>"
    "<p>a<div>b</div>c</p></body>",
    "entities and text": "<body>&lt;&amp;&nbsp;&copy;&unknown; 5 &lt 6<p>after</body>"
    "text after body</html>tail",
    "no html": "just text",
    "truncated": "<html><body><div><p>cut off",
    "deep": "<body>" + "<div>" * 300 + "x" + "</div>" * 300 + "</body>",
}


def _nodes(soup: BeautifulSoup) -> list[PageElement]:
    return [soup, *soup.descendants]


def _differences(expected: BeautifulSoup, actual: BeautifulSoup) -> list[str]:
    """Where two trees differ, node by node: class, text, fields, and links by position."""
    want, got = _nodes(expected), _nodes(actual)
    if len(want) != len(got):
        return [f"{len(got)} nodes, bs4 has {len(want)}"]
    position_want = {id(node): i for i, node in enumerate(want)}
    position_got = {id(node): i for i, node in enumerate(got)}

    def at(positions: dict[int, int], node: Any) -> int | None:
        return None if node is None else positions.get(id(node), -1)

    found = []
    for i, (w, g) in enumerate(zip(want, got, strict=True)):
        if type(w) is not type(g) or (not isinstance(w, Tag) and str(w) != str(g)):
            found.append(f"node {i}: {type(g).__name__} {g!r:.60}, bs4 has {type(w).__name__} {w!r:.60}")
            continue
        fields_w, fields_g = dict(vars(w)), dict(vars(g))
        for link in LINKS:
            if at(position_want, fields_w.pop(link)) != at(position_got, fields_g.pop(link)):
                found.append(f"node {i} ({w!r:.40}): {link}")
        if isinstance(w, Tag):
            contents_w, contents_g = fields_w.pop("contents"), fields_g.pop("contents")
            if [at(position_want, c) for c in contents_w] != [at(position_got, c) for c in contents_g]:
                found.append(f"node {i} ({w.name}): contents")
            attrs_w, attrs_g = fields_w.pop("attrs"), fields_g.pop("attrs")
            shape = [(type(attrs_w), list(attrs_w.items()), [type(v) for v in attrs_w.values()])]
            if shape != [(type(attrs_g), list(attrs_g.items()), [type(v) for v in attrs_g.values()])]:
                found.append(f"node {i} ({w.name}): attrs {attrs_g!r}, bs4 has {attrs_w!r}")
        if w is expected:
            for name in BOOKKEEPING:
                fields_w.pop(name, None), fields_g.pop(name, None)
            last_want = at(position_want, expected._most_recent_element)
            if last_want != at(position_got, actual._most_recent_element):
                found.append("the document's last parsed element")
        if fields_w != fields_g:
            found.append(f"node {i} ({w!r:.40}): fields {fields_g!r:.200}, bs4 has {fields_w!r:.200}")
    return found


@pytest.mark.parametrize("name", fixture_files())
def test_fixture_page_tree_is_bs4s(name: str) -> None:
    html = decoded(name)
    built = make_soup(html)
    assert _differences(BeautifulSoup(html, "lxml"), built) == []
    # The selector index's lists, gathered while building, are the ones a walk of the tree gives.
    gathered = dom._index(built)
    walked = dom._TagIndex(built)
    assert gathered is not walked and gathered.all == walked.all
    assert gathered.order == walked.order
    assert {key: [id(t) for t in tags] for key, tags in gathered.tags.items()} == {
        key: [id(t) for t in tags] for key, tags in walked.tags.items()
    }


@pytest.mark.parametrize("markup", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_case_tree_is_bs4s(markup: str) -> None:
    builder = soup_module.LxmlTreeBuilder()
    expected, actual = BeautifulSoup(markup, "lxml"), BeautifulSoup(markup, builder=builder)
    assert builder._lean  # built by the lean handlers, not handed back to bs4's
    assert _differences(expected, actual) == []
    assert actual.decode() == expected.decode()


def test_the_comparison_sees_a_difference() -> None:
    one, other = make_soup("<p class='a b'>x</p>"), make_soup("<p class='a b'>x</p>")
    tag = other.find("p")
    assert isinstance(tag, Tag)
    tag["class"] = "a b"  # a plain string where the builder makes a list
    assert _differences(one, other) == ["node 3 (p): attrs {'class': 'a b'}, bs4 has {'class': ['a', 'b']}"]
    assert _differences(one, make_soup("<p class='a b'>x</p><p></p>")) == ["6 nodes, bs4 has 5"]


class _StopsMidway(soup_module.LxmlTreeBuilder):
    """Meets an event it does not model half-way through the page, after building part of the tree."""

    def lean_target(self) -> SimpleNamespace:
        target = super().lean_target()
        start = target.start

        def stop_at_p(tag: str, attrib: dict[str, str]) -> None:
            if tag == "p":
                raise soup_module._NotModelled
            start(tag, attrib)

        target.start = stop_at_p
        return target


def test_a_parse_filter_or_node_classes_leave_the_page_to_bs4s_handlers() -> None:
    html = decoded("real/people_health_n1_2024-05-17_c14739-40237861.html")
    only_paragraphs = SoupStrainer("p")
    builder = soup_module.LxmlTreeBuilder()
    filtered = BeautifulSoup(html, builder=builder, parse_only=only_paragraphs)
    assert not builder._lean
    assert _differences(BeautifulSoup(html, "lxml", parse_only=only_paragraphs), filtered) == []

    class Paragraph(Tag):
        pass

    builder = soup_module.LxmlTreeBuilder()
    own = BeautifulSoup(html, builder=builder, element_classes={Tag: Paragraph})
    assert not builder._lean and isinstance(own.find("p"), Paragraph)


def test_an_event_not_modelled_leaves_the_page_to_bs4s_handlers() -> None:
    html = decoded("real/people_politics_n1_2024-04-24_c1001-40223222.html")
    rebuilt = BeautifulSoup(html, builder=_StopsMidway())
    assert rebuilt.find("p") is not None
    assert _differences(BeautifulSoup(html, "lxml"), rebuilt) == []
