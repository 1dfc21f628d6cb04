"""The templates' selector engine (`etl.parse.dom.select` / `select_one`) answers exactly what bs4's
`Tag.select` / `select_one` answer: the same tags, in the same order, from the whole page and from
inside a node, before and after nodes are decomposed."""

from __future__ import annotations

import pytest
from fixture_pages import decoded, fixture_files

from etl.parse import ARTICLE_TEMPLATES, LAYOUT_TEMPLATES
from etl.parse.article_base import NEVER_CONTENT, VIDEO_PLAYERS
from etl.parse.dom import make_soup, select, select_one
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
