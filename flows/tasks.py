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

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State

from etl import load, pipeline
from etl.discover import ref_for_url
from etl.extract import EXTRACTOR_VERSION
from etl.fetch import Fetcher, RawArchive, decode_html
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
from etl.parse.patterns import date_from_url

# Articles per task run: large enough that Prefect's per-task cost is noise, small enough that a
# killed run loses little work and each warehouse transaction stays short.
BATCH_SIZE = 20

# A day's 版面 probe gives up after this many pages in a row fail for reasons other than 404.
MAX_CONSECUTIVE_LAYOUT_FAILURES = 3


@dataclass(slots=True)
class Crawl:
    """What every task of one run shares."""

    run_id: str
    db_path: Path
    fetcher: Fetcher
    archive: RawArchive
    refresh: bool = False


@dataclass(slots=True)
class BatchResult:
    articles: list[ProcessedArticle] = field(default_factory=list)
    fetches: list[tuple[FetchResult, PageKind | None]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    succeeded_urls: list[str] = field(default_factory=list)  # pages that fetched and parsed, no article


def batches(items: Sequence[PageRef], size: int = BATCH_SIZE) -> list[list[PageRef]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _with_archived_body(fetch: FetchResult, known: Validators | None, archive: RawArchive) -> FetchResult:
    """A 304 carries no body: re-parse the copy archived when the page was last downloaded."""
    if fetch.status is not FetchStatus.NOT_MODIFIED or known is None or not known.sha256:
        return fetch
    if not archive.has(known.sha256):
        return fetch
    text, encoding = decode_html(archive.get(known.sha256))
    return replace(fetch, text=text, encoding=encoding, sha256=known.sha256)


def _validators(crawl: Crawl, urls: Sequence[str]) -> dict[str, Validators]:
    if crawl.refresh:
        return {}
    known = load.validators_for(crawl.db_path, urls)
    # Only ask for a 304 when we can re-read the body from the archive.
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
    """Fetch 版面 01, 02, … one by one until the first 404, then the 版面 pages that failed in
    earlier runs, and parse each."""
    logger = get_run_logger()
    layouts: list[LayoutPage] = []
    out = BatchResult()

    def visit(ref: PageRef) -> FetchResult:
        (fetch,) = _fetch(crawl, [ref.url])
        out.fetches.append((fetch, ref.kind))
        if fetch.status is FetchStatus.NOT_FOUND and ref.page_no and ref.page_no > 1:
            return fetch  # the end of a day's pages, not a failure
        parsed = pipeline.parse_layout_page(ref, fetch)
        if isinstance(parsed, Failure):
            out.failures.append(parsed)
            logger.warning("版面 %s failed: %s: %s", ref.url, parsed.stage, parsed.reason)
        else:
            out.succeeded_urls.append(ref.url)
            layouts.append(parsed)
            logger.info("版面 %s %s: %d entries", parsed.page_no, parsed.page_name, len(parsed.entries))
        return fetch

    consecutive_failures = 0
    for ref in probe_refs:
        fetch = visit(ref)
        if fetch.status is FetchStatus.NOT_FOUND:
            break
        consecutive_failures = 0 if out.succeeded_urls[-1:] == [ref.url] else consecutive_failures + 1
        if consecutive_failures >= MAX_CONSECUTIVE_LAYOUT_FAILURES:
            break
    probed = {fetch.url for fetch, _ in out.fetches}
    for ref in retry:
        if ref.url not in probed:
            visit(ref)
    # Every 版面 lists the whole day in its page switcher: pages the probe did not reach (it stops
    # after a run of failures) are visited from there, and recorded as failures if they fail too.
    while unvisited := [
        url
        for url in dict.fromkeys(u for layout in layouts for u in layout.page_urls)
        if url not in {fetch.url for fetch, _ in out.fetches}
    ]:
        for url in unvisited:
            visit(PageRef(url, PageKind.EPAPER_LAYOUT, issue_date=date_from_url(url)))
    return layouts, out


@task(
    name="fetch-and-process-articles",
    cache_policy=NO_CACHE,
    retries=1,
    retry_delay_seconds=10,
    retry_condition_fn=_retry_unless_unwritable,
)
def fetch_and_process(crawl: Crawl, refs: Sequence[PageRef]) -> BatchResult:
    """Fetch a batch of article pages (and their continuation pages), then parse, clean, extract."""
    logger = get_run_logger()
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
        more = _fetch(crawl, list(first.next_pages)) if first.next_pages else []
        out.fetches.extend((m, ref.kind) for m in more)
        result = pipeline.complete_article(ref, first, more, fetch.fetched_at)
        if isinstance(result, Failure):
            out.failures.append(result)
        else:
            out.articles.append(result)
    for failure in out.failures:
        logger.warning("%s failed at %s: %s", failure.url, failure.stage, failure.reason)
    return out


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
    )
    get_run_logger().info(
        "loaded %d articles (%d unchanged), %d images, %d indicators; %d failures recorded",
        counts.articles_loaded,
        counts.articles_unchanged,
        counts.images_loaded,
        counts.indicators_loaded,
        counts.failures_recorded,
    )
    return counts


def retry_refs(db_path: Path, kinds: Sequence[PageKind]) -> list[PageRef]:
    """Open failures from earlier runs, to be retried with this run's pages. Their hosts were named
    explicitly by the run that first tried them, so they stay allowed."""
    failures = load.open_failures(db_path, kinds=[str(k) for k in kinds], retryable_only=True)
    return [ref_for_url(f.url) for f in failures]


def today_in_beijing() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
