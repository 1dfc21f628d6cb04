"""The 版面 probe (etl.discover.LayoutProbe) as a pure state machine: fed FetchedLayout records built
here, with no network and no Prefect, it says which 版面 to fetch next and when the day is done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import pytest

from etl import compose
from etl.discover import (
    MAX_CONSECUTIVE_LAYOUT_FAILURES,
    MAX_ENTRIES_PER_LAYOUT,
    MAX_EPAPER_PAGES,
    LayoutProbe,
    epaper_layout_refs,
)
from etl.models import (
    FetchedLayout,
    FetchResult,
    FetchStatus,
    LayoutEntry,
    LayoutPage,
    PageKind,
    PageRef,
)
from etl.urls import epaper_layout_url

DAY = dt.date(2025, 9, 3)
BASE = "http://paper.people.com.cn"
PROBE = epaper_layout_refs(DAY, BASE)

Answer = Callable[[PageRef], FetchedLayout]


def url(n: int, day: dt.date = DAY) -> str:
    return epaper_layout_url(day, n, BASE)


def layout(ref: PageRef, switcher: tuple[str, ...] = (), entries: int = 2) -> LayoutPage:
    n = ref.page_no
    return LayoutPage(
        url=ref.url,
        issue_date=ref.issue_date,
        page_no=n,
        page_name=f"{n}版",
        entries=tuple(
            LayoutEntry(f"{BASE}/rmrb/pc/content/202509/03/content_{n}{i:04d}.html", f"第{i}条")
            for i in range(entries)
        ),
        page_urls=switcher,
    )


def read(ref: PageRef, switcher: tuple[str, ...] = (), entries: int = 2) -> FetchedLayout:
    fetch = FetchResult(ref.url, FetchStatus.OK, final_url=ref.url, http_status=200, text="<html></html>")
    return FetchedLayout(ref, fetch, layout(ref, switcher, entries))


def answered(ref: PageRef, status: FetchStatus, http_status: int) -> FetchedLayout:
    fetch = FetchResult(ref.url, status, final_url=ref.url, http_status=http_status, attempts=1)
    failure = compose.fetch_failure(ref, fetch)
    assert failure is not None
    return FetchedLayout(ref, fetch, failure)


def not_found(ref: PageRef) -> FetchedLayout:
    return answered(ref, FetchStatus.NOT_FOUND, 404)


def failed(ref: PageRef) -> FetchedLayout:
    return answered(ref, FetchStatus.FAILED, 503)


def site(pages: Mapping[str, Answer]) -> Answer:
    """A day whose 版面 answer as `pages` says; every other URL is a 404."""
    return lambda ref: pages.get(ref.url, not_found)(ref)


def walk(probe: LayoutProbe, answer: Answer) -> list[list[str]]:
    """Drive the probe to its end; the URLs each step asked for, step by step."""
    steps: list[list[str]] = []
    refs, done = probe.step([])
    while not done:
        assert refs, "a step that is not the last asks for something"
        steps.append([r.url for r in refs])
        refs, done = probe.step([answer(r) for r in refs])
    assert refs == []
    return steps


def test_the_probe_asks_one_page_at_a_time_and_a_404_past_the_first_ends_the_day() -> None:
    probe = LayoutProbe(PROBE)
    steps = walk(probe, site({url(1): read, url(2): read, url(3): read}))
    assert steps == [[url(1)], [url(2)], [url(3)], [url(4)]]
    assert [p.page_no for p in probe.layouts] == [1, 2, 3]
    assert probe.succeeded_urls == [url(1), url(2), url(3)]
    assert probe.failures == [] and probe.limits == []
    assert [o.fetch.status for o in probe.outcomes] == [FetchStatus.OK] * 3 + [FetchStatus.NOT_FOUND]


def test_a_missing_first_page_is_a_failure_and_ends_the_probe() -> None:
    probe = LayoutProbe(PROBE)
    assert walk(probe, site({})) == [[url(1)]]
    assert [f.url for f in probe.failures] == [url(1)] and probe.layouts == []


def test_the_probe_gives_up_after_a_run_of_failures_and_a_success_resets_the_run() -> None:
    pages: dict[str, Answer] = {url(n): failed for n in range(1, 20)}
    pages[url(3)] = read
    probe = LayoutProbe(PROBE)
    steps = walk(probe, site(pages))
    # 01, 02 fail; 03 reads and starts the count again; then MAX_CONSECUTIVE_LAYOUT_FAILURES more.
    assert [s[0] for s in steps] == [url(n) for n in range(1, 4 + MAX_CONSECUTIVE_LAYOUT_FAILURES)]
    assert [f.url for f in probe.failures] == [u for (u,) in steps if u != url(3)]
    assert probe.succeeded_urls == [url(3)]


def test_a_soft_404_past_the_last_page_ends_the_day_without_a_failure() -> None:
    def soft_404(ref: PageRef) -> FetchedLayout:
        body = "<html><head><title>404</title></head><body><p>您访问的页面不存在</p></body></html>"
        fetch = FetchResult(ref.url, FetchStatus.OK, final_url=ref.url, http_status=200, text=body)
        return compose.read_layout_page(ref, fetch)

    probe = LayoutProbe(PROBE)
    steps = walk(probe, site({url(1): read, **{url(n): soft_404 for n in range(2, 61)}}))
    assert steps == [[url(1)], [url(2)]]
    assert probe.failures == [] and probe.outcomes[-1].fetch.status is FetchStatus.NOT_FOUND
    assert probe.outcomes[-1].fetch.error == "HTTP 200: page says it does not exist (soft 404)"


def test_earlier_failures_are_retried_together_after_the_probe_unless_it_reached_them() -> None:
    older = PageRef(url(5, dt.date(2025, 9, 1)), PageKind.EPAPER_LAYOUT, dt.date(2025, 9, 1), 5)
    retry = [PageRef(url(2), PageKind.EPAPER_LAYOUT, DAY, 2), older, older]
    probe = LayoutProbe(PROBE, retry)
    steps = walk(probe, site({url(1): read, url(2): read, older.url: read}))
    assert steps == [[url(1)], [url(2)], [url(3)], [older.url]]
    assert probe.succeeded_urls == [url(1), url(2), older.url]


def test_pages_past_a_run_of_failures_come_from_the_page_switchers_of_their_own_day() -> None:
    other_day = url(6, dt.date(2025, 9, 2))
    day_of_one = (url(1), url(2), url(3), url(4), url(5), other_day, url(5))
    pages: dict[str, Answer] = {
        url(1): lambda ref: read(ref, switcher=day_of_one),
        **{url(n): failed for n in (2, 3, 4)},
        url(5): lambda ref: read(ref, switcher=(url(1), url(7))),
        url(7): read,
    }
    probe = LayoutProbe(PROBE)
    steps = walk(probe, site(pages))
    # 02-04 fail in a row, so the probe stops; 版面 01's switcher leads to 05, 05's to 07.
    assert steps[: 1 + MAX_CONSECUTIVE_LAYOUT_FAILURES] == [[url(n)] for n in (1, 2, 3, 4)]
    assert steps[1 + MAX_CONSECUTIVE_LAYOUT_FAILURES :] == [[url(5)], [url(7)]]
    assert other_day not in {u for step in steps for u in step}
    followed = [o.ref for o in probe.outcomes[-2:]]
    assert all(r.issue_date == DAY and r.kind is PageKind.EPAPER_LAYOUT for r in followed)
    assert [f.url for f in probe.failures] == [url(2), url(3), url(4)]


def test_page_switchers_reach_at_most_a_day_of_pages() -> None:
    everything = tuple(url(n) for n in range(1, 100))
    probe = LayoutProbe(PROBE)
    steps = walk(probe, site({u: (lambda ref: read(ref, switcher=everything)) for u in everything}))
    asked = [u for step in steps for u in step]
    assert len(asked) == len(set(asked)) == MAX_EPAPER_PAGES
    assert probe.limits == [
        f"the page switchers of {DAY} list more than {MAX_EPAPER_PAGES} 版面; the rest are not crawled"
    ]


@pytest.mark.parametrize("entries", [MAX_ENTRIES_PER_LAYOUT, MAX_ENTRIES_PER_LAYOUT + 1])
def test_a_layout_keeps_at_most_the_capped_entries(entries: int) -> None:
    probe = LayoutProbe(PROBE[:1])
    walk(probe, site({url(1): lambda ref: read(ref, entries=entries)}))
    (page,) = probe.layouts
    assert len(page.entries) == MAX_ENTRIES_PER_LAYOUT
    assert len(probe.limits) == (entries > MAX_ENTRIES_PER_LAYOUT)
