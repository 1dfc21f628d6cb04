"""Discovery: which URLs to fetch for a day of the e-paper (what a URL means is etl.urls's business).

Pure functions. The e-paper has no index we can trust for past days, so 版面 URLs are built from the
date (NN = 01, 02, ... until a 404) and article links come from each parsed 版面 page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace

from etl.models import LayoutPage, PageKind, PageRef
from etl.text_grammar.patterns import RX_CREDIT_ENTRY
from etl.urls import DEFAULT_EPAPER_BASE, date_from_url, epaper_layout_url, path_of

# A 版面 number is two digits; no issue has come close to 99 pages, so this only stops a runaway probe.
# It also bounds the 版面 of one day reached through page switchers.
MAX_EPAPER_PAGES = 60

# Caps on what one hostile or broken page can make a run fetch. A real 版面 lists about 30 entries
# and a long portal article a handful of continuation pages; beyond these, the page is not one we
# understand, and following it would cost a request (and usually a failure row retried by every
# later run) per link.
MAX_ENTRIES_PER_LAYOUT = 200
MAX_CONTINUATION_PAGES = 20

_AD_PAGE = re.compile(r"广告")


def epaper_layout_refs(day: dt.date, base_url: str = DEFAULT_EPAPER_BASE) -> list[PageRef]:
    """Every 版面 URL worth probing for `day`, in order; the caller stops at the first 404."""
    return [
        PageRef(epaper_layout_url(day, n, base_url), PageKind.EPAPER_LAYOUT, issue_date=day, page_no=n)
        for n in range(1, MAX_EPAPER_PAGES + 1)
    ]


def capped_entries(layout: LayoutPage) -> tuple[LayoutPage, int]:
    """The 版面 with at most MAX_ENTRIES_PER_LAYOUT entries (in page order), and how many were cut."""
    dropped = len(layout.entries) - MAX_ENTRIES_PER_LAYOUT
    if dropped <= 0:
        return layout, 0
    return replace(layout, entries=layout.entries[:MAX_ENTRIES_PER_LAYOUT]), dropped


def switcher_urls_of_day(layout: LayoutPage, day: dt.date | None) -> list[str]:
    """The 版面 URLs of `layout`'s page switcher that belong to `day`: a switcher that lists other
    days (an archive calendar, a broken template) must not walk the crawl into them."""
    if day is None:
        return []
    return [url for url in dict.fromkeys(layout.page_urls) if date_from_url(path_of(url)) == day]


def is_ad_page(layout: LayoutPage) -> bool:
    return bool(layout.page_name and _AD_PAGE.search(layout.page_name))


def is_credit_entry(title: str) -> bool:
    return bool(RX_CREDIT_ENTRY.search(title))


def article_refs(layouts: Iterable[LayoutPage], day: dt.date | None = None) -> list[PageRef]:
    """Article pages to fetch from a day's parsed 版面 pages: no 广告 pages, no 责编 credit lines,
    each URL once (a story that jumps pages is linked from both)."""
    seen: set[str] = set()
    refs: list[PageRef] = []
    for layout in layouts:
        if is_ad_page(layout):
            continue
        for entry in layout.entries:
            if is_credit_entry(entry.title) or entry.url in seen:
                continue
            seen.add(entry.url)
            refs.append(
                PageRef(
                    entry.url,
                    PageKind.EPAPER_ARTICLE,
                    issue_date=layout.issue_date or day,
                    page_no=layout.page_no,
                    page_name=layout.page_name,
                    title_hint=entry.title,
                    editors=layout.editors,
                )
            )
    return refs
