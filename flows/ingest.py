"""ingest_urls: explicitly named portal or e-paper article URLs into the warehouse."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from etl import load
from etl.config import Settings, accept_url, check_article_url, check_count
from etl.models import PageKind, PageRef
from etl.urls import canonical_article_url, ref_for_url
from flows.common import RunSummary, crawl_session, load_and_record
from flows.runcontext import run_logger, step
from flows.tasks import BATCH_SIZE, MAX_RETRIES_PER_RUN, batches, fetch_and_process


def ingest_retry_refs(db_path: Path, limit: int = MAX_RETRIES_PER_RUN) -> tuple[list[PageRef], int]:
    """What an ingest run retries, and how many failures it leaves to later runs: every URL an earlier
    ingest was asked for and did not reach (e-paper articles included: no daily run may come by
    their day again), and at most `limit` failed portal articles, those that failed least recently
    first. Pending URLs are not capped: they were never tried, and the user asked for each."""
    open_rows = load.open_failures(db_path, retryable_only=True)
    pending = [f for f in open_rows if f.stage == load.PENDING_STAGE]
    failed = [f for f in open_rows if f.kind == PageKind.PORTAL_ARTICLE and f.stage != load.PENDING_STAGE]
    return [ref_for_url(f.url) for f in (*pending, *failed[:limit])], max(0, len(failed) - limit)


@flow(name="ingest_urls", log_prints=False, retries=0)
def ingest_urls(
    urls: list[str],
    db: str | None = None,
    delay: float = 2.0,
    refresh: bool = False,
    retry_failed: bool = True,
    lock_wait: float = 60.0,
    batch_size: int = BATCH_SIZE,
    accept_changes: bool = False,
    run_deadline: float | None = None,
) -> RunSummary:
    """Fetch, parse, clean, extract and load the given article URLs (continuation pages …-2.html
    are followed; a continuation URL given directly is read from its first page).

    Every named URL is recorded as pending before the first fetch, so a run that stops early
    leaves the rest to the next ingest, which retries them with the open portal failures. After
    `run_deadline` seconds (default $ETL_RUN_DEADLINE, else 6 h) pages not yet fetched become
    failures for the next run."""
    logger = run_logger()
    # Checked before the warehouse is touched; a bad parameter raises SettingError, a ValueError. A
    # user:password in a URL is used for requests to its origin, never stored, logged or shown.
    checked = [check_article_url("urls", accept_url(u)) for u in urls if u.strip()]
    wanted = list(dict.fromkeys(canonical_article_url(u) for u in checked))
    check_count("batch_size", batch_size)
    settings = Settings.from_args(
        db,
        delay=delay,
        refresh=refresh,
        lock_wait=lock_wait,
        accept_changes=accept_changes,
        run_deadline=run_deadline,
    )
    params = {"urls": wanted, "delay": delay, "refresh": refresh}
    if accept_changes:
        params["accept_changes"] = True
    refs = [ref_for_url(u) for u in wanted]
    if retry_failed:
        retries, left = ingest_retry_refs(Path(settings.db_path))
        refs += [r for r in retries if r.url not in wanted]
        if left:
            logger.warning(
                "%d more open failures are left to later runs (%d a run)", left, MAX_RETRIES_PER_RUN
            )
    hosts = [r.url for r in refs]
    with crawl_session("ingest_urls", settings, params, extra_hosts=hosts) as (crawl, summary):
        load.record_pending(crawl.db_path, crawl.run_id, wanted)
        logger.info("%d article URLs to fetch", len(refs))
        for refs_batch in batches(refs, batch_size):
            load_and_record(crawl, summary, step(fetch_and_process)(crawl, refs_batch))
    return summary
