"""The ingest run without Prefect: what `ingest_urls` (flows/ingest.py) runs inside a flow run, and
what `etl ingest` calls in its own process when no Prefect API is configured. This module imports
nothing of Prefect, so such a run never pays for importing it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl import load
from etl.config import (
    RUN_DEFAULTS,
    RunOptions,
    Settings,
    accept_url,
    check_article_url,
    check_count,
)
from etl.models import PageKind, PageRef
from etl.urls import canonical_article_url, ref_for_url
from flows.common import RunSummary, crawl_articles, crawl_session, flow_outcome
from flows.progress import progress
from flows.runcontext import FlowEntry, run_logger
from flows.tasks import MAX_RETRIES_PER_RUN

if TYPE_CHECKING:
    from prefect.client.schemas.objects import State


def ingest_retry_refs(
    db_path: Path, limit: int = MAX_RETRIES_PER_RUN, *, wait_seconds: float = load.DEFAULT_LOCK_WAIT_SECONDS
) -> tuple[list[PageRef], int]:
    """What an ingest run retries, and how many failures it leaves to later runs: every URL an earlier
    ingest was asked for and did not reach (e-paper articles included: no daily run may come by
    their day again), and at most `limit` failed portal articles, those that failed least recently
    first. Pending URLs are not capped: they were never tried, and the user asked for each."""
    open_rows = load.open_failures(db_path, retryable_only=True, wait_seconds=wait_seconds)
    pending = [f for f in open_rows if f.stage == load.PENDING_STAGE]
    failed = [f for f in open_rows if f.kind == PageKind.PORTAL_ARTICLE and f.stage != load.PENDING_STAGE]
    return [ref_for_url(f.url) for f in (*pending, *failed[:limit])], max(0, len(failed) - limit)


def crawl_urls(
    urls: list[str],
    db: str | None = None,
    delay: float = RUN_DEFAULTS.delay,
    refresh: bool = RUN_DEFAULTS.refresh,
    retry_failed: bool = RUN_DEFAULTS.retry_failed,
    lock_wait: float = RUN_DEFAULTS.lock_wait,
    batch_size: int = RUN_DEFAULTS.batch_size,
    accept_changes: bool = RUN_DEFAULTS.accept_changes,
    run_deadline: float | None = RUN_DEFAULTS.run_deadline,
) -> RunSummary | State[Any]:
    """The run `ingest_urls` (flows/ingest.py) describes, with the same parameters: inside a flow run
    when that flow calls it, else in the caller's process, its batch tasks plain calls."""
    logger = run_logger()
    # Checked before the warehouse is touched; a bad parameter raises SettingError, a ValueError. A
    # user:password in a URL is used for requests to its origin, never stored, logged or shown.
    checked = [check_article_url("urls", accept_url(u)) for u in urls if u.strip()]
    wanted = list(dict.fromkeys(canonical_article_url(u) for u in checked))
    check_count("batch_size", batch_size)
    options = RunOptions(
        delay=delay,
        refresh=refresh,
        retry_failed=retry_failed,
        lock_wait=lock_wait,
        batch_size=batch_size,
        accept_changes=accept_changes,
        run_deadline=run_deadline,
    )
    settings = Settings.from_options(db, options)
    params = {"urls": wanted, "delay": delay, "refresh": refresh}
    if accept_changes:
        params["accept_changes"] = True
    refs = [ref_for_url(u) for u in wanted]
    if retry_failed:
        retries, left = ingest_retry_refs(Path(settings.db_path), wait_seconds=settings.lock_wait)
        refs += [r for r in retries if r.url not in wanted]
        if left:
            logger.warning(
                "%d more open failures are left to later runs (%d a run)", left, MAX_RETRIES_PER_RUN
            )
    hosts = [r.url for r in refs]
    scope = f"{len(wanted)} urls"
    with crawl_session("ingest_urls", settings, params, extra_hosts=hosts, scope=scope) as (crawl, summary):
        summary.older = {r.url for r in refs} - set(wanted)
        load.record_pending(crawl.db_path, crawl.run_id, wanted, wait_seconds=crawl.lock_wait)
        logger.info("%d article URLs to fetch", len(refs))
        crawl.stored.remember(crawl, [r.url for r in refs], sources=True)
        with progress(len(refs), "ingest_urls: articles") as bar:
            crawl_articles(crawl, summary, refs, batch_size, None, bar.update)
    return flow_outcome(summary)


# How `etl ingest` starts it: this function in a lean run, the Prefect flow for a flow run.
INGEST_URLS = FlowEntry(crawl_urls, "flows.ingest:ingest_urls")
