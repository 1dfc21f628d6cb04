"""Batched Prefect tasks shared by the flows.

One task run per batch of pages, never per page: a task run costs the local Prefect server about
18 ms of CPU, a day has ~150 pages, and the fetch politeness delay dominates anyway. Tasks take the
run's `Crawl` context (fetcher, archive, warehouse path) directly, so caching is off for all of them.
They are `BatchTask`s (flows.runcontext): Prefect tasks inside a flow run, plain functions in a lean
run, which never imports Prefect.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from etl import compose, load, parse
from etl.discover import MAX_CONTINUATION_PAGES, LayoutProbe, ends_the_day, is_ad_page
from etl.extract import EXTRACTOR_VERSION
from etl.fetch import Fetcher, RawArchive, fetch_conditionally
from etl.models import (
    Article,
    Failure,
    FailureStage,
    FetchResult,
    LayoutPage,
    PageKind,
    PageRef,
    ProcessedArticle,
    SourceVersions,
    Validators,
)
from etl.text_safety import terminal_line
from etl.urls import ref_for_url
from flows.runcontext import BatchTask, batch_task, run_logger

if TYPE_CHECKING:
    from prefect.client.schemas.objects import State

P = ParamSpec("P")
R = TypeVar("R")

# Open failures of earlier runs retried per run, least recently failed first (a page retried and
# failing again goes to the back), so a flood of failures is worked through over several runs
# instead of making every run re-request all of them.
MAX_RETRIES_PER_RUN = 100


@dataclass(slots=True)
class StoredPages:
    """What the warehouse holds for the URLs of a run: the validators of each page's last good fetch
    (for conditional GETs) and the versions each stored article was read from (for skipping
    unchanged pages). Each read opens the warehouse, tens of milliseconds, so a flow reads them for
    every URL it knows up front in one query (`remember`) instead of once per batch or 版面 probe;
    URLs it did not know are read when asked for. A URL is forgotten once its batch is loaded, so a
    page fetched again later in the run is looked up afresh, as before."""

    validators: dict[str, Validators] = field(default_factory=dict)
    sources: dict[str, SourceVersions] = field(default_factory=dict)
    _read_validators: set[str] = field(default_factory=set)
    _read_sources: set[str] = field(default_factory=set)

    def remember(self, crawl: Crawl, urls: Sequence[str], *, sources: bool = False) -> None:
        """Read the validators (and, with `sources`, the stored articles' versions) of `urls` not
        read yet, in one query each."""
        if crawl.refresh:
            return
        wanted = [u for u in dict.fromkeys(urls) if u not in self._read_validators]
        if wanted:
            self.validators.update(load.validators_for(crawl.db_path, wanted, wait_seconds=crawl.lock_wait))
            self._read_validators.update(wanted)
        if sources:
            wanted = [u for u in dict.fromkeys(urls) if u not in self._read_sources]
            if wanted:
                self.sources.update(load.loaded_sources(crawl.db_path, wanted, wait_seconds=crawl.lock_wait))
                self._read_sources.update(wanted)

    def validators_of(self, crawl: Crawl, urls: Sequence[str]) -> dict[str, Validators]:
        self.remember(crawl, urls)
        return {u: self.validators[u] for u in urls if u in self.validators}

    def sources_of(self, crawl: Crawl, urls: Sequence[str]) -> dict[str, SourceVersions]:
        self.remember(crawl, urls, sources=True)
        return {u: self.sources[u] for u in urls if u in self.sources}

    def forget(self, urls: Collection[str]) -> None:
        """Drop what was read for `urls`: their batch is loaded and the warehouse now says more."""
        for url in urls:
            self.validators.pop(url, None)
            self.sources.pop(url, None)
        self._read_validators.difference_update(urls)
        self._read_sources.difference_update(urls)


@dataclass(slots=True)
class Crawl:
    """What every task of one run shares."""

    run_id: str
    db_path: Path
    fetcher: Fetcher
    archive: RawArchive
    refresh: bool = False
    accept_changes: bool = False  # load drastically shrunk versions of stored articles too
    lock_wait: float = load.DEFAULT_LOCK_WAIT_SECONDS  # seconds to wait for DuckDB's lock on the file
    stored: StoredPages = field(default_factory=StoredPages)


@dataclass(slots=True)
class BatchResult:
    articles: list[ProcessedArticle] = field(default_factory=list)
    fetches: list[tuple[FetchResult, PageKind | None]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    succeeded_urls: list[str] = field(default_factory=list)  # pages that fetched and parsed, no article
    limits: list[str] = field(default_factory=list)  # caps that left pages uncrawled, one line each
    layouts: list[LayoutPage] = field(default_factory=list)  # 版面 pages read, for layout_pages
    ad_pages: set[str] = field(default_factory=set)  # of those, the 广告 pages discovery skips
    # Article pages not read again: body, parser and extractor as when their article was loaded.
    skipped_unchanged: list[str] = field(default_factory=list)


def batches(items: Sequence[PageRef], size: int) -> list[list[PageRef]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _fetch(crawl: Crawl, urls: Sequence[str], *, missing_ok: bool = False) -> list[FetchResult]:
    """Conditional GETs where the warehouse remembers validators (unless the run refreshes)."""
    known = {} if crawl.refresh else crawl.stored.validators_of(crawl, urls)
    return fetch_conditionally(
        crawl.fetcher, urls, known, crawl.archive, refresh=crawl.refresh, missing_ok=missing_ok
    )


def retry_unless_unwritable(task: object, task_run: object, state: State[object]) -> bool:
    """A busy warehouse or a passing error is worth another try; a full disk or a read-only
    warehouse is not, and retrying a batch of fetches would spend its politeness waits again."""
    try:
        state.result()
    except load.WarehouseUnwritable:
        return False
    except Exception:
        return True
    return True


def fetching_task(name: str) -> Callable[[Callable[P, R]], BatchTask[P, R]]:
    """A task that fetches: tried once more after a passing error (a busy warehouse when it reads
    the stored validators)."""
    return batch_task(
        name=name,
        retries=1,
        retry_delay_seconds=10,
        retry_condition_fn=retry_unless_unwritable,
    )


@fetching_task("discover-epaper-pages")
def discover_layouts(
    crawl: Crawl, probe_refs: Sequence[PageRef], retry: Sequence[PageRef] = ()
) -> tuple[list[LayoutPage], BatchResult]:
    """Fetch and parse the day's 版面 as `etl.discover.LayoutProbe` leads: 01, 02, … until the first
    404 (or a 200 page saying "not found"), the 版面 that failed in earlier runs, then the rest of
    each day its page switchers list."""
    logger = run_logger()
    probe = LayoutProbe(probe_refs, retry)
    # Every 版面 the probe may ask for, in one read of the warehouse rather than one per probe step.
    crawl.stored.remember(crawl, [r.url for r in (*probe_refs, *retry)])
    refs, done = probe.step([])
    while not done:
        # The probe's 404 after page 01 is how a day's pages end: information, not a warning.
        expected_404 = probe.probing and all(r.page_no and r.page_no > 1 for r in refs)
        fetched = _fetch(crawl, [r.url for r in refs], missing_ok=expected_404)
        refs, done = probe.step([compose.read_layout_page(r, f) for r, f in zip(refs, fetched, strict=True)])
    # URLs, names and reasons come from the crawled site: no control sequences in the logs.
    for layout in probe.layouts:
        logger.info(
            "版面 %s %s: %d entries", layout.page_no, terminal_line(layout.page_name), len(layout.entries)
        )
    for outcome in probe.outcomes:
        if ends_the_day(outcome):
            logger.info(
                "%s 版面 %s: HTTP 404, the end of the day's pages",
                outcome.ref.issue_date,
                outcome.ref.page_no,
            )
    for failure in probe.failures:
        logger.warning(
            "版面 %s failed: %s: %s", terminal_line(failure.url), failure.stage, terminal_line(failure.reason)
        )
    for limit in probe.limits:
        logger.warning(terminal_line(limit))
    batch = BatchResult(
        fetches=[(o.fetch, o.ref.kind) for o in probe.outcomes],
        failures=probe.failures,
        succeeded_urls=probe.succeeded_urls,
        limits=probe.limits,
        layouts=probe.layouts,
        ad_pages={layout.url for layout in probe.layouts if is_ad_page(layout)},
    )
    return probe.layouts, batch


@dataclass(slots=True)
class FetchedArticles:
    """A batch of article pages fetched: what was fetched and skipped so far, and the pages to read."""

    batch: BatchResult
    to_read: list[tuple[PageRef, FetchResult]] = field(default_factory=list)


@fetching_task("fetch-articles")
def fetch_articles(crawl: Crawl, refs: Sequence[PageRef]) -> FetchedArticles:
    """Fetch a batch of article pages; a page whose body, parser and extractor are those its stored
    article was read with is not read again."""
    out = FetchedArticles(BatchResult())
    by_url = {r.url: r for r in refs}
    stored = {} if crawl.refresh else crawl.stored.sources_of(crawl, list(by_url))
    for fetch in _fetch(crawl, list(by_url)):
        ref = by_url[fetch.url]
        out.batch.fetches.append((fetch, ref.kind))
        if compose.unchanged_since_load(stored.get(fetch.url), compose.current_versions(ref, fetch)):
            out.batch.skipped_unchanged.append(ref.url)
        else:
            out.to_read.append((ref, fetch))
    return out


@batch_task(name="read-articles", retries=0, retry_delay_seconds=None)
def read_articles(pages: list[tuple[PageRef, FetchResult]]) -> compose.ReadPages:
    """Parse, clean and extract fetched article pages: no network, no warehouse, so it runs on any
    task runner (a Dask worker process)."""
    return compose.read_article_pages(pages)


def unread(fetched: FetchedArticles, exc: BaseException) -> compose.ReadPages:
    """A batch the task runner could not read (a worker lost, a result that did not come back):
    each of its pages a failure for the next run to fetch and read again, and the run goes on."""
    reason = f"not read: the task runner failed: {type(exc).__name__}: {' '.join(str(exc).split())}"
    return compose.ReadPages(
        failures=[
            Failure(ref.url, FailureStage.PARSE, reason, fetch.http_status, fetch.attempts, ref.kind)
            for ref, fetch in fetched.to_read
        ]
    )


def finish_articles(crawl: Crawl, fetched: FetchedArticles, read: compose.ReadPages) -> BatchResult:
    """The batch to load: fetch the continuation pages the read pages name (in the flow process,
    whose fetcher keeps the politeness) and complete those articles."""
    logger = run_logger()
    out = fetched.batch
    out.articles.extend(read.articles)
    out.failures.extend(read.failures)
    for ref, fetch, first in read.continued:
        more = _continuation_pages(crawl, first)
        out.fetches.extend((m, ref.kind) for m in more)
        if len(first.next_pages) > MAX_CONTINUATION_PAGES:
            limit = (
                f"{ref.url} links {len(first.next_pages)} continuation pages; only the first "
                f"{MAX_CONTINUATION_PAGES} are read"
            )
            logger.warning(terminal_line(limit))
            out.limits.append(limit)
        result = compose.complete_article(ref, first, more, fetch.fetched_at, fetch.sha256)
        if isinstance(result, Failure):
            out.failures.append(result)
        else:
            out.articles.append(result)
    for failure in out.failures:
        logger.warning(
            "%s failed at %s: %s", terminal_line(failure.url), failure.stage, terminal_line(failure.reason)
        )
    return out


@fetching_task("fetch-and-process-articles")
def fetch_and_process(crawl: Crawl, refs: Sequence[PageRef]) -> BatchResult:
    """Fetch a batch of article pages (and their continuation pages), then parse, clean, extract,
    all in this process: one task run per batch."""
    fetched = fetch_articles.fn(crawl, refs)
    return finish_articles(crawl, fetched, read_articles.fn(fetched.to_read))


def _continuation_pages(crawl: Crawl, first: Article) -> list[FetchResult]:
    """The article's continuation pages, one at a time in page order, at most
    MAX_CONTINUATION_PAGES, up to and including the first that fails: the article fails with it,
    so the pages after it would be requested for nothing."""
    fetched: list[FetchResult] = []
    for url in first.next_pages[:MAX_CONTINUATION_PAGES]:
        (page,) = _fetch(crawl, [url])
        fetched.append(page)
        page_ref = PageRef(url, PageKind.PORTAL_ARTICLE)
        if isinstance(compose.parse_article_page(page_ref, page), Failure):
            break
    return fetched


@batch_task(
    name="load-batch",
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=retry_unless_unwritable,
)
def store_batch(crawl: Crawl, batch: BatchResult) -> load.LoadCounts:
    """One warehouse transaction for the batch; retried when the warehouse was briefly busy."""
    counts = load.load_batch(
        crawl.db_path,
        crawl.run_id,
        articles=batch.articles,
        fetches=batch.fetches,
        failures=batch.failures,
        succeeded_urls=batch.succeeded_urls,
        layouts=batch.layouts,
        ad_pages=batch.ad_pages,
        skipped_unchanged=batch.skipped_unchanged,
        extractor_version=EXTRACTOR_VERSION,
        parser_version=parse.PARSER_VERSION,
        accept_changes=crawl.accept_changes,
        wait_seconds=crawl.lock_wait,
    )
    run_logger().info(
        "loaded %d articles (%d unchanged, %d of them not read again), %d images, %d indicators; "
        "%d failures recorded",
        counts.articles_loaded,
        counts.articles_unchanged,
        counts.pages_skipped_unchanged,
        counts.images_loaded,
        counts.indicators_loaded,
        counts.failures_recorded,
    )
    return counts


def retry_refs(
    db_path: Path,
    kinds: Sequence[PageKind],
    limit: int | None = MAX_RETRIES_PER_RUN,
    *,
    wait_seconds: float = load.DEFAULT_LOCK_WAIT_SECONDS,
) -> list[PageRef]:
    """Open failures from earlier runs, to be retried with this run's pages: at most `limit`, those
    that failed least recently first. Their hosts were named explicitly by the run that first
    tried them, so they stay allowed."""
    failures = load.open_failures(
        db_path,
        kinds=[str(k) for k in kinds],
        retryable_only=True,
        limit=None if limit is None else limit + 1,
        wait_seconds=wait_seconds,
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
