"""What every page template shares: its name, the DOM test that says whether it applies, and the
page it reads.

A template is one small class per page layout (fundus-style): selectors are class attributes, each
field has a short method, and a layout change is a one-line edit in one class. Whether a template
applies is judged from the DOM only, never from the URL host, so mirrors and saved copies parse
the same. The test is declared, not written: every selector in ``requires_all`` must match, at least
one in ``requires_any`` (when given), and none in ``forbids``.
"""

from __future__ import annotations

from typing import ClassVar

from bs4 import BeautifulSoup

from etl.parse.dom import select_one


class Template:
    name: ClassVar[str]
    requires_all: ClassVar[tuple[str, ...]] = ()  # every one of these selectors must match
    requires_any: ClassVar[tuple[str, ...]] = ()  # at least one must match (ignored when empty)
    forbids: ClassVar[tuple[str, ...]] = ()  # none may match: what tells a look-alike template apart

    def __init__(self, soup: BeautifulSoup, url: str) -> None:
        self.soup = soup
        self.url = url

    @classmethod
    def matches(cls, soup: BeautifulSoup) -> bool:
        def found(selector: str) -> bool:
            return select_one(soup, selector) is not None

        return (
            all(found(s) for s in cls.requires_all)
            and (not cls.requires_any or any(found(s) for s in cls.requires_any))
            and not any(found(s) for s in cls.forbids)
        )
