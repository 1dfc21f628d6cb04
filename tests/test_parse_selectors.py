"""The templates' selector engine (`etl.parse.dom.select` / `select_one`) answers exactly what bs4's
`Tag.select` / `select_one` answer: the same tags, in the same order, from the whole page and from
inside a node, before and after nodes are decomposed."""

from __future__ import annotations

import pytest
from bs4 import Tag
from fixture_pages import decoded, fixture_files

from etl.parse import ARTICLE_TEMPLATES, LAYOUT_TEMPLATES
from etl.parse.article_base import NEVER_CONTENT, VIDEO_PLAYERS
from etl.parse.dom import ancestor, decompose_all, make_soup, removal_groups, select, select_one
from etl.parse.epaper import EpaperArticle
from etl.parse.furniture import FURNITURE_CONTAINERS

# Every selector a template declares as data, and a few shapes no template uses yet.
SELECTORS = sorted(
    {
        value
        for template in (*ARTICLE_TEMPLATES, *LAYOUT_TEMPLATES)
        for name in dir(template)
        if not name.startswith("__")
        for values in [getattr(template, name)]
        if isinstance(values, tuple)
        for value in values
        if isinstance(value, str)
    }
    | {*NEVER_CONTENT, *VIDEO_PLAYERS, *FURNITURE_CONTAINERS}
    | {"P", "DIV.Text_C", "#P_CONTENT", "div p, p", "a[href] ~ a", "div > p:first-child", "*", ":root"}
)
PAGES = [name for name in fixture_files() if name.startswith("real/")]


def _ids(tags: object) -> list[int]:
    return [id(t) for t in tags] if isinstance(tags, list) else [id(tags)] if tags is not None else []


@pytest.mark.parametrize("name", PAGES)
def test_select_answers_what_bs4_answers(name: str) -> None:
    soup = make_soup(decoded(name))
    for selector in SELECTORS:
        assert _ids(select(soup, selector)) == _ids(soup.select(selector)), selector
        assert _ids(select_one(soup, selector)) == _ids(soup.select_one(selector)), selector
    # From inside a node, then after parts of the page are decomposed.
    scope = max(soup.find_all("div"), key=lambda d: len(d.find_all("p")))
    for selector in SELECTORS:
        assert _ids(select(scope, selector)) == _ids(scope.select(selector)), selector
    for node in soup.select("script, style, a"):
        node.decompose()
    for selector in SELECTORS:
        assert _ids(select(soup, selector)) == _ids(soup.select(selector)), selector
        assert _ids(select(scope, selector)) == _ids(scope.select(selector)), selector


# What the article templates remove before reading a body, in their order.
REMOVALS = sorted(
    {
        (*NEVER_CONTENT, *VIDEO_PLAYERS, *FURNITURE_CONTAINERS, *template.body_noise)
        for template in ARTICLE_TEMPLATES
    }
    | {EpaperArticle.chrome}
)


def _removed_one_by_one(root: Tag, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        for node in root.select(selector):
            node.decompose()


# Pages with photo caption tables (table.pci_c), e-paper chrome, and the portal's furniture.
BODY_PAGES = [
    "pages/rmrb_html_2022-07-22_nw.D110000renmrb_20220722_6-02.htm",
    "pages/rmrb_pc_content_2026-09-17_content_30181577.html",
    "real/people_health_n1_2024-05-17_c14739-40237861.html",
    "real/people_finance_n1_2024-05-10_c1004-40232587.html",
]


@pytest.mark.parametrize("name", BODY_PAGES)
def test_decompose_all_removes_what_one_selector_after_the_other_removes(name: str) -> None:
    for selectors in REMOVALS:
        ours, theirs = make_soup(decoded(name)), make_soup(decoded(name))
        decompose_all(ours, selectors)
        _removed_one_by_one(theirs, selectors)
        assert ours.decode() == theirs.decode(), selectors


def test_selectors_that_depend_on_other_nodes_keep_their_place() -> None:
    html = (
        "<div id=b><div class=zdfy><a href=x>2</a></div><center><img src=next_page.gif></center>"
        "<p class=share>s</p><div class=box_pic><p>no photo</p></div><p>text</p></div></body>"
    )
    selectors = ("p.share", "div.zdfy + center", ".zdfy", ".box_pic:not(:has(img))", "#b > p", ".share p")
    assert removal_groups(selectors) == (
        "p.share",
        "div.zdfy + center",
        ".zdfy",
        ".box_pic:not(:has(img))",
        "#b > p, .share p",
    )
    ours, theirs = make_soup(html), make_soup(html)
    decompose_all(ours, selectors)
    _removed_one_by_one(theirs, selectors)
    assert ours.decode() == theirs.decode()
    assert ours.find("center") is None and ours.find("div", class_="box_pic") is None


@pytest.mark.parametrize("name", BODY_PAGES[:2])
def test_ancestor_is_find_parent(name: str) -> None:
    soup = make_soup(decoded(name))
    for node in soup.descendants:
        assert ancestor(node, "p") is node.find_parent("p")
        assert ancestor(node, "table", "pci_c") is node.find_parent("table", class_="pci_c")
        assert ancestor(node, "div", "text_c") is node.find_parent("div", class_="text_c")
