"""The caps on what one page can make a run crawl, as pure functions and warehouse queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl import load
from etl.discover import MAX_ENTRIES_PER_LAYOUT, capped_entries, switcher_urls_of_day
from etl.extract import EXTRACTOR_VERSION
from etl.models import Failure, LayoutEntry, LayoutPage, PageKind

DAY = dt.date(2025, 9, 3)
BASE = "http://paper.people.com.cn/rmrb/pc"


def _layout(entries: int = 0, page_urls: tuple[str, ...] = ()) -> LayoutPage:
    return LayoutPage(
        url=f"{BASE}/layout/202509/03/node_01.html",
        issue_date=DAY,
        page_no=1,
        page_name="要闻",
        entries=tuple(
            LayoutEntry(f"{BASE}/content/202509/03/content_{i}.html", f"第{i}条") for i in range(entries)
        ),
        page_urls=page_urls,
    )


def test_entries_past_the_cap_are_cut_in_page_order() -> None:
    layout, dropped = capped_entries(_layout(10_000))
    assert dropped == 10_000 - MAX_ENTRIES_PER_LAYOUT
    assert [e.url for e in layout.entries] == [e.url for e in _layout(MAX_ENTRIES_PER_LAYOUT).entries]
    real = _layout(30)
    assert capped_entries(real) == (real, 0)


def test_the_page_switcher_is_followed_within_its_day_only() -> None:
    same_day = [f"{BASE}/layout/202509/03/node_{n:02d}.html" for n in (1, 2, 3)]
    other = [
        f"{BASE}/layout/202509/02/node_01.html",
        f"{BASE}/layout/202409/03/node_01.html",
        "http://paper.people.com.cn/rmrb/html/2025-09/02/nbs.D110000renmrb_01.htm",
        "http://paper.people.com.cn/rmrb/pc/layout/index.html",  # no day at all
        "http://[::1/rmrb/pc/layout/202509/03/node_04.html",  # malformed
    ]
    layout = _layout(page_urls=(other[0], *same_day, *other[1:], same_day[0]))
    assert switcher_urls_of_day(layout, DAY) == same_day
    assert switcher_urls_of_day(layout, None) == []


def test_open_failures_limit_takes_the_least_recently_failed(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)

    def fail(*urls: str) -> None:
        failures = [Failure(u, "fetch", "HTTP 503", 503, 4, PageKind.PORTAL_ARTICLE) for u in urls]
        load.load_batch(db, "r", failures=failures, extractor_version=EXTRACTOR_VERSION)

    fail("http://x/n1/2025/0903/c1-3.html", "http://x/n1/2025/0903/c1-4.html")
    fail("http://x/n1/2025/0903/c1-1.html", "http://x/n1/2025/0903/c1-2.html")
    fail("http://x/n1/2025/0903/c1-3.html")  # failed again: now the most recent
    assert [f.url.rsplit("-", 1)[-1] for f in load.open_failures(db, limit=3)] == [
        "4.html",
        "1.html",
        "2.html",
    ]
    assert len(load.open_failures(db, retryable_only=True, limit=10)) == 4
    assert load.open_failures(db, limit=0) == []
