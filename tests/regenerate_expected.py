"""Expected records per fixture page, as data: tests/fixtures/expected/<fixture>.json.

Each file holds what the pipeline reads from one saved page (parse, then clean for articles): every
field of the Article or LayoutPage, or the ParseError a page must raise. `test_parse_expected.py`
compares each page with its file; after a deliberate parser change, regenerate them and review the
diff like code:

    .venv/bin/python tests/regenerate_expected.py          # rewrite every file
    git diff tests/fixtures/expected/                      # every changed field, page by page
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from fixture_pages import FIXTURES, fixture_files, parsed, url_of

from etl.models import Article
from etl.parse import ParseError

EXPECTED = FIXTURES / "expected"


def expected_path(name: str) -> Path:
    """real/foo.html -> expected/real/foo.json; site pages keep their path under expected/site/."""
    return (EXPECTED / name).with_suffix(".json")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def record_of(name: str) -> dict[str, Any]:
    """The page's record as JSON-ready data, or the error it raises."""
    try:
        record = parsed(name, url_of(name))
    except ParseError as exc:
        return {"url": url_of(name), "parse_error": str(exc)}
    kind = "article" if isinstance(record, Article) else "layout"
    return {"kind": kind, **_plain(record)}


def as_text(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    for name in fixture_files():
        path = expected_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = as_text(record_of(name))
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(FIXTURES.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
