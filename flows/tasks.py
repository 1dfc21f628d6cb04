"""Batched Prefect tasks shared by the flows.

One task run per batch of pages, never per page: a task run costs the local Prefect server about
18 ms of CPU, a day has ~150 pages, and the fetch politeness delay dominates anyway. Tasks take the
run's `Crawl` context (fetcher, archive, warehouse path) directly, so caching is off for all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State

from etl import load, parse, pipeline
from etl.discover import (
    MAX_CONTINUATION_PAGES,
    MAX_ENTRIES_PER_LAYOUT,
    MAX_EPAPER_PAGES,
    capped_entries,
    switcher_urls_of_day,
)
from etl.extract import EXTRACTOR_VERSION
from etl.fetch import ArchiveCorrupt, Fetcher, RawArchive, Undecodable, decode_html
from etl.models import (
    Article,
    Failure,
    FetchResult,
    FetchStatus,
    LayoutPage,
    PageKind,
    PageRef,
    ProcessedArticle,
    Validators,
)
from etl.text_safety import terminal_line
from etl.urls import ref_for_url
from flows.runcontext import run_logger

# Articles per task run: large enough that Prefect's per-task cost is noise, small enough that a
# killed run loses little work and each warehouse transaction stays short.
BATCH_SIZE = 20

# A day's 版面 probe gives up after this many pages in a row fail for reasons other than 404.
MAX_CONSECUTIVE_LAYOUT_FAILURES = 3

# Open failures of earlier runs retried per run, least recently failed first (a page retried and
# failing again goes to the back), so a flood of failures is worked through over several runs
# instead of making every run re-request all of them.
MAX_RETRIES_PER_RUN = 100


@dataclass(slots=True)
class Crawl:
    """What every task of one run shares."""

    run_id: str
    db_path: Path
    fetcher: Fetcher
    archive: RawArchive
    refresh: bool = False
    accept_changes: bool = False  # load drastically shrunk versions of stored articles too


@dataclass(slots=True)
class BatchResult:
    articles: list[ProcessedArticle] = field(default_factory=list)
    fetches: list[tuple[FetchResult, PageKind | None]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    succeeded_urls: list[str] = field(default_factory=list)  # pages that fetched and parsed, no article
    limits: list[str] = field(default_factory=list)  # caps that left pages uncrawled, one line each


def batches(items: Sequence[PageRef], size: int = BATCH_SIZE) -> list[list[PageRef]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _with_archived_body(fetch: FetchResult, known: Validators | None, archive: RawArchive) -> FetchResult:
    """A 304 carries no body: re-parse the copy archived when the page was last downloaded.

    A copy that was damaged since it was checked, or that no longer decodes, makes the page a fetch
    failure (never a crashed batch); a damaged entry no longer verifies, so the next run downloads
    the page unconditionally and archives it afresh.
    """
    if fetch.status is not FetchStatus.NOT_MODIFIED or known is None or not known.sha256:
        return fetch
    try:
        decoded = decode_html(archive.get(known.sha256))
    except KeyError:
        return fetch  # gone since it was checked: a failure saying there is nothing to re-parse
    except (ArchiveCorrupt, Undecodable) as exc:
        reason = " ".join(f"not modified, but {exc}; the next run downloads it again".split())
        return replace(fetch, status=FetchStatus.FAILED, error=reason)
    return replace(
        fetch,
        text=decoded.text,
        encoding=decoded.encoding,
        decode_errors=decoded.replaced,
        sha256=known.sha256,
    )


def _validators(crawl: Crawl, urls: Sequence[str]) -> dict[str, Validators]:
    if crawl.refresh:
        return {}
    known = load.validators_for(crawl.db_path, urls)
    # Only ask for a 304 when we can re-read the body from the archive: an entry that is missing or
    # does not verify means an unconditional GET, whose answer replaces the entry.
    return {u: v for u, v in known.items() if v.sha256 and crawl.archive.has(v.sha256)}


def _fetch(crawl: Crawl, urls: Sequence[str]) -> list[FetchResult]:
    known = _validators(crawl, urls)
    results = crawl.fetcher.fetch_many(list(urls), known, refresh=crawl.refresh)
    return [_with_archived_body(r, known.get(r.url), crawl.archive) for r in results]


def _retry_unless_unwritable(task: object, task_run: object, state: State[object]) -> bool:
    """A busy warehouse or a passing error is worth another try; a full disk or a read-only
    warehouse is not, and retrying a batch of fetches would spend its politeness waits again."""
    try:
        state.result()
    except load.WarehouseUnwritable:
        return False
    except Exception:
        return True
    return True


@task(
    name="discover-epaper-pages",
    cache_policy=NO_CACHE,
    retries=1,
    retry_delay_seconds=10,
    retry_condition_fn=_retry_unless_unwritable,
)
def discover_layouts(
    crawl: Crawl, probe_refs: Sequence[PageRef], retry: Sequence[PageRef] = ()
) -> tuple[list[LayoutPage], BatchResult]:
    """Fetch 版面 01, 02, … one by one until the first 404 (or a 200 page saying "not found"), then
    the 版面 pages that failed in earlier runs, and parse each."""
    logger = run_logger()
    found: list[tuple[LayoutPage, dt.date | None]] = []  # with the issue day it was asked for
    out = BatchResult()
    asked_per_day: dict[dt.date | None, int] = {}

    def visit(ref: PageRef) -> FetchResult:
        (fetch,) = _fetch(crawl, [ref.url])
        asked_per_day[ref.issue_date] = asked_per_day.get(ref.issue_date, 0) + 1
        parsed = pipeline.parse_layout_page(ref, fetch)
        if isinstance(parsed, Failure) and _is_soft_404(fetch):
            fetch = replace(
                fetch,
                status=FetchStatus.NOT_FOUND,
                error=f"HTTP {fetch.http_status or 200}: page says it does not exist (soft 404)",
            )
            parsed = pipeline.parse_layout_page(ref, fetch)
        out.fetches.append((fetch, ref.kind))
        if fetch.status is FetchStatus.NOT_FOUND and ref.page_no and ref.page_no > 1:
            return fetch  # the end of a day's pages, not a failure
        if isinstance(parsed, Failure):
            out.failures.append(parsed)
            # URLs, names and reasons come from the crawled site: no control sequences in the logs.
            logger.warning(
                "版面 %s failed: %s: %s", terminal_line(ref.url), parsed.stage, terminal_line(parsed.reason)
            )
            return fetch
        parsed, dropped = capped_entries(parsed)
        if dropped:
            limit = (
                f"版面 {ref.url} lists {len(parsed.entries) + dropped} articles; only the first "
                f"{MAX_ENTRIES_PER_LAYOUT} are crawled"
            )
            logger.warning(terminal_line(limit))
            out.limits.append(limit)
        out.succeeded_urls.append(ref.url)
        found.append((parsed, ref.issue_date))
        logger.info(
            "版面 %s %s: %d entries", parsed.page_no, terminal_line(parsed.page_name), len(parsed.entries)
        )
        return fetch

    def visited() -> set[str]:
        return {fetch.url for fetch, _ in out.fetches}

    consecutive_failures = 0
    for ref in probe_refs:
        fetch = visit(ref)
        if fetch.status is FetchStatus.NOT_FOUND:
            break
        consecutive_failures = 0 if out.succeeded_urls[-1:] == [ref.url] else consecutive_failures + 1
        if consecutive_failures >= MAX_CONSECUTIVE_LAYOUT_FAILURES:
            break
    probed = visited()
    for ref in retry:
        if ref.url not in probed:
            visit(ref)
    # Every 版面 lists the whole day in its page switcher: pages the probe did not reach (it stops
    # after a run of failures) are visited from there, and recorded as failures if they fail too.
    # Only pages of the day the 版面 was asked for are followed, at most MAX_EPAPER_PAGES a day.
    followed = 0
    while followed < len(found):
        layout, day = found[followed]
        followed += 1
        for url in switcher_urls_of_day(layout, day):
            if url in visited():
                continue
            if asked_per_day.get(day, 0) >= MAX_EPAPER_PAGES:
                limit = (
                    f"the page switchers of {day} list more than {MAX_EPAPER_PAGES} 版面; "
                    "the rest are not crawled"
                )
                if limit not in out.limits:
                    logger.warning(limit)
                    out.limits.append(limit)
                break
            visit(PageRef(url, PageKind.EPAPER_LAYOUT, issue_date=day))
    return [layout for layout, _ in found], out


def _is_soft_404(fetch: FetchResult) -> bool:
    """A 200 page that only says the page does not exist: the 404 it stands for."""
    ok = fetch.status in (FetchStatus.OK, FetchStatus.NOT_MODIFIED)
    return ok and fetch.text is not None and parse.is_not_found_page(fetch.text)


@task(
    name="fetch-and-process-articles",
    cache_policy=NO_CACHE,
    retries=1,
    retry_delay_seconds=10,
    retry_condition_fn=_retry_unless_unwritable,
)
def fetch_and_process(crawl: Crawl, refs: Sequence[PageRef]) -> BatchResult:
    """Fetch a batch of article pages (and their continuation pages), then parse, clean, extract."""
    logger = run_logger()
    out = BatchResult()
    by_url = {r.url: r for r in refs}
    firsts: list[tuple[PageRef, FetchResult, Article]] = []
    for fetch in _fetch(crawl, list(by_url)):
        ref = by_url[fetch.url]
        out.fetches.append((fetch, ref.kind))
        parsed = pipeline.parse_article_page(ref, fetch)
        if isinstance(parsed, Failure):
            out.failures.append(parsed)
            continue
        firsts.append((ref, fetch, parsed))
    for ref, fetch, first in firsts:
        more = _continuation_pages(crawl, first)
        out.fetches.extend((m, ref.kind) for m in more)
        if len(first.next_pages) > MAX_CONTINUATION_PAGES:
            limit = (
                f"{ref.url} links {len(first.next_pages)} continuation pages; only the first "
                f"{MAX_CONTINUATION_PAGES} are read"
            )
            logger.warning(terminal_line(limit))
            out.limits.append(limit)
        result = pipeline.complete_article(ref, first, more, fetch.fetched_at)
        if isinstance(result, Failure):
            out.failures.append(result)
        else:
            out.articles.append(result)
    for failure in out.failures:
        logger.warning(
            "%s failed at %s: %s", terminal_line(failure.url), failure.stage, terminal_line(failure.reason)
        )
    return out


def _continuation_pages(crawl: Crawl, first: Article) -> list[FetchResult]:
    """The article's continuation pages, one at a time in page order, at most
    MAX_CONTINUATION_PAGES, up to and including the first that fails: the article fails with it,
    so the pages after it would be requested for nothing."""
    fetched: list[FetchResult] = []
    for url in first.next_pages[:MAX_CONTINUATION_PAGES]:
        (page,) = _fetch(crawl, [url])
        fetched.append(page)
        page_ref = PageRef(url, PageKind.PORTAL_ARTICLE)
        if isinstance(pipeline.parse_article_page(page_ref, page), Failure):
            break
    return fetched


@task(
    name="load-batch",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=_retry_unless_unwritable,
)
def load_batch(crawl: Crawl, batch: BatchResult) -> load.LoadCounts:
    """One warehouse transaction for the batch; retried when the warehouse was briefly busy."""
    counts = load.load_batch(
        crawl.db_path,
        crawl.run_id,
        articles=batch.articles,
        fetches=batch.fetches,
        failures=batch.failures,
        succeeded_urls=batch.succeeded_urls,
        extractor_version=EXTRACTOR_VERSION,
        accept_changes=crawl.accept_changes,
    )
    run_logger().info(
        "loaded %d articles (%d unchanged), %d images, %d indicators; %d failures recorded",
        counts.articles_loaded,
        counts.articles_unchanged,
        counts.images_loaded,
        counts.indicators_loaded,
        counts.failures_recorded,
    )
    return counts


def retry_refs(
    db_path: Path, kinds: Sequence[PageKind], limit: int | None = MAX_RETRIES_PER_RUN
) -> list[PageRef]:
    """Open failures from earlier runs, to be retried with this run's pages: at most `limit`, those
    that failed least recently first. Their hosts were named explicitly by the run that first
    tried them, so they stay allowed."""
    failures = load.open_failures(
        db_path,
        kinds=[str(k) for k in kinds],
        retryable_only=True,
        limit=None if limit is None else limit + 1,
    )
    if limit is not None and len(failures) > limit:
        failures = failures[:limit]
        run_logger().warning(
            "more than %d open failures to retry; this run retries the %d that failed least "
            "recently, later runs the rest",
            limit,
            limit,
        )
    return [ref_for_url(f.url) for f in failures]
