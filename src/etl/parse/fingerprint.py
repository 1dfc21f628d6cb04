"""A digest of what the parser reads from the fixture pages, pinned next to PARSER_VERSION.

A re-run skips a page whose body, parser version and extractor version are unchanged since it was
loaded, so a parser change shipped under an old version number would leave stale articles in every
warehouse. A test compares this digest with the pinned one: change what the templates read, bump
PARSER_VERSION (src/etl/parse/__init__.py), then run `python -m etl.parse.fingerprint --update` to
pin the new pair (it refuses an unchanged version, unless `--pages-changed` says the fixture pages,
not the parser, moved).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from etl.fetch import decode_html
from etl.parse import PARSER_VERSION, ParseError, detect_template, parse_article, parse_layout
from etl.pins import Pin, pin_tool, read_pin

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures"
PAGE_DIRS = tuple(FIXTURES / name for name in ("real", "pages", "site"))
PIN_FILE = Path(__file__).with_name("FINGERPRINT")
# Every page is read as if it lived at this address: the digest is about the templates, and the
# URL only feeds content ids and absolute links, the same on every run.
BASE_URL = "http://www.people.com.cn/"


def fixture_pages() -> list[Path]:
    return sorted(p for d in PAGE_DIRS for p in d.rglob("*") if p.suffix in (".html", ".htm"))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def reading(html: str, url: str) -> object:
    """What the parser makes of one page: its record, or the error it raises."""
    try:
        if (detect_template(html) or "").startswith(("epaper_layout", "epaper_issue_index")):
            return _plain(parse_layout(html, url))
        return _plain(parse_article(html, url))
    except ParseError as exc:
        return {"parse_error": str(exc)}


def compute() -> str:
    digest = hashlib.sha256()
    for path in fixture_pages():
        name = path.relative_to(FIXTURES).as_posix()
        html = decode_html(path.read_bytes()).text
        record = reading(html, BASE_URL + name)
        digest.update(json.dumps([name, record], ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


PIN = Pin(
    component="parser",
    version_name="PARSER_VERSION",
    version=PARSER_VERSION,
    path=PIN_FILE,
    inputs="fixture pages",
    inputs_flag="--pages-changed",
)


def pinned() -> tuple[str, str]:
    return read_pin(PIN_FILE)


def main(argv: list[str] | None = None) -> int:
    return pin_tool(PIN, compute, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
