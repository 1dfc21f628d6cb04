"""ingest_urls: explicitly named portal or e-paper article URLs into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run

from etl import load
from etl.config import (
    RUN_DEFAULTS,
    RunOptions,
    Settings,
    accept_url,
    check_article_url,
    check_count,
    today_in_beijing,
)
from etl.models import PageKind, PageRef
from etl.urls import canonical_article_url, ref_for_url
from flows.common import (
    FLOW_TIMEOUT_SECONDS,
    RunSummary,
    crawl_session,
    flow_outcome,
    load_and_record,
)
from flows.progress import progress
from flows.runcontext import run_logger, step
from flows.tasks import MAX_RETRIES_PER_RUN, batches, fetch_and_process


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


def ingest_run_name() -> str:
    """An ingest run is named after what it was asked for: ingest-12-urls-2025-10-28 (Beijing day)."""
    urls = flow_run.parameters.get("urls") or []
    return f"ingest-{len(urls)}-urls-{today_in_beijing().isoformat()}"


@flow(
    name="ingest_urls",
    flow_run_name=ingest_run_name,
    log_prints=False,
    timeout_seconds=FLOW_TIMEOUT_SECONDS,
    retries=0,  # deployment runs are retried (flows/deployments.py); commands and tests are not
)
def ingest_urls(
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
    """Fetch, parse, clean, extract and load the given article URLs (continuation pages …-2.html
    are followed; a continuation URL given directly is read from its first page).

    Every named URL is recorded as pending before the first fetch, so a run that stops early
    leaves the rest to the next ingest, which retries them with the open portal failures. After
    `run_deadline` seconds (default $ETL_RUN_DEADLINE, else 6 h) pages not yet fetched become
    failures for the next run. The run ends Failed (its summary as the state's data) when a named
    URL failed; the retried failures of earlier runs are reported apart and do not change its state."""
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
            for refs_batch in batches(refs, batch_size):
                load_and_record(crawl, summary, step(fetch_and_process)(crawl, refs_batch))
                bar.update(len(refs_batch))
    return flow_outcome(summary)
