"""Discovery: which URLs to fetch for a day of the e-paper (what a URL means is etl.urls's business).

Pure functions, and the 版面 probe, a state machine fed what each fetch gave. The e-paper has no
index we can trust for past days, so 版面 URLs are built from the date (NN = 01, 02, ... until a
404), every 版面's page switcher lists the rest of its day, and article links come from each parsed
版面 page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from etl.models import (
    Failure,
    FetchedLayout,
    FetchStatus,
    LayoutPage,
    PageKind,
    PageRef,
)
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

# A day's 版面 probe gives up after this many pages in a row fail for reasons other than 404.
MAX_CONSECUTIVE_LAYOUT_FAILURES = 3

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


@dataclass(slots=True)
class LayoutProbe:
    """Which 版面 to fetch next, fed what the last ones gave: `step(outcomes) -> (refs, done)`.

    First 01, 02, … one at a time until the first 404 (a soft 404 included; the end of the day, not
    a failure past 版面 01) or MAX_CONSECUTIVE_LAYOUT_FAILURES failures in a row; then the 版面 of
    earlier runs' failures not reached yet; then, from every 版面 read, the pages its switcher lists
    for its own day that were not asked for yet (pages past a run of failures are reached so, and
    recorded as failures when they fail too), at most MAX_EPAPER_PAGES asked for a day.

    What the probe found accumulates in `layouts` (capped to MAX_ENTRIES_PER_LAYOUT entries),
    `outcomes` (every 版面 fetched), `failures`, `succeeded_urls` (版面 read) and `limits` (one line
    for each cap that left pages out).
    """

    probe_refs: Sequence[PageRef]
    retry_refs: Sequence[PageRef] = ()
    layouts: list[LayoutPage] = field(default_factory=list)
    outcomes: list[FetchedLayout] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    succeeded_urls: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    _days: list[dt.date | None] = field(default_factory=list)  # the day each of `layouts` was asked for
    _asked: set[str] = field(default_factory=set)
    _asked_per_day: dict[dt.date | None, int] = field(default_factory=dict)
    _probing: bool = True
    _next_probe: int = 0
    _failures_in_a_row: int = 0
    _retried: bool = False
    _followed: int = 0  # layouts whose page switcher has been followed

    @property
    def probing(self) -> bool:
        """Whether the refs the last step returned are the probe's 01, 02, …, where a 404 past 版面 01
        is the expected end of the day."""
        return self._probing

    def step(self, outcomes: Sequence[FetchedLayout]) -> tuple[list[PageRef], bool]:
        """Take the outcomes of the refs the previous step returned (none for the first step); return
        the refs to fetch next, and whether the probe is done (then there are none)."""
        for outcome in outcomes:
            self._take(outcome)
        refs = self._next_refs(outcomes)
        return refs, not refs

    def _take(self, outcome: FetchedLayout) -> None:
        ref, page = outcome.ref, outcome.page
        self._asked.add(ref.url)
        self._asked_per_day[ref.issue_date] = self._asked_per_day.get(ref.issue_date, 0) + 1
        self.outcomes.append(outcome)
        if isinstance(page, Failure):
            if not ends_the_day(outcome):
                self.failures.append(page)
            return
        page, dropped = capped_entries(page)
        if dropped:
            self.limits.append(
                f"版面 {ref.url} lists {len(page.entries) + dropped} articles; only the first "
                f"{MAX_ENTRIES_PER_LAYOUT} are crawled"
            )
        self.succeeded_urls.append(ref.url)
        self.layouts.append(page)
        self._days.append(ref.issue_date)

    def _next_refs(self, outcomes: Sequence[FetchedLayout]) -> list[PageRef]:
        if self._probing:
            for outcome in outcomes:  # one at a time while probing
                if outcome.fetch.status is FetchStatus.NOT_FOUND:
                    self._probing = False
                elif isinstance(outcome.page, Failure):
                    self._failures_in_a_row += 1
                    self._probing = self._failures_in_a_row < MAX_CONSECUTIVE_LAYOUT_FAILURES
                else:
                    self._failures_in_a_row = 0
            if self._probing and self._next_probe < len(self.probe_refs):
                self._next_probe += 1
                return [self.probe_refs[self._next_probe - 1]]
            self._probing = False
        if not self._retried:
            self._retried = True
            retry: list[PageRef] = []
            for ref in self.retry_refs:
                if ref.url not in self._asked and ref.url not in {r.url for r in retry}:
                    retry.append(ref)
            if retry:
                return retry
        while self._followed < len(self.layouts):
            layout, day = self.layouts[self._followed], self._days[self._followed]
            self._followed += 1
            unasked = [u for u in switcher_urls_of_day(layout, day) if u not in self._asked]
            room = max(0, MAX_EPAPER_PAGES - self._asked_per_day.get(day, 0))
            if len(unasked) > room:
                limit = (
                    f"the page switchers of {day} list more than {MAX_EPAPER_PAGES} 版面; "
                    "the rest are not crawled"
                )
                if limit not in self.limits:
                    self.limits.append(limit)
            if unasked[:room]:
                return [PageRef(u, PageKind.EPAPER_LAYOUT, issue_date=day) for u in unasked[:room]]
        return []


def ends_the_day(outcome: FetchedLayout) -> bool:
    """A 404 past 版面 01 is where the day's pages end, not a failure."""
    page_no = outcome.ref.page_no
    return outcome.fetch.status is FetchStatus.NOT_FOUND and page_no is not None and page_no > 1
