"""ingest_urls: explicitly named portal or e-paper article URLs into the warehouse."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger

from etl.config import Settings
from etl.discover import canonical_article_url, ref_for_url
from etl.models import PageKind
from flows.common import RunSummary, crawl_session, load_and_record
from flows.tasks import BATCH_SIZE, batches, fetch_and_process, retry_refs


@flow(name="ingest_urls", log_prints=False, retries=0)
def ingest_urls(
    urls: list[str],
    db: str | None = None,
    delay: float = 2.0,
    refresh: bool = False,
    retry_failed: bool = True,
    lock_wait: float = 60.0,
    batch_size: int = BATCH_SIZE,
    run_deadline: float | None = None,
) -> RunSummary:
    """Fetch, parse, clean, extract and load the given article URLs (continuation pages …-2.html
    are followed; a continuation URL given directly is read from its first page). After
    `run_deadline` seconds (default $ETL_RUN_DEADLINE, else 6 h) pages not yet fetched become
    failures for the next run."""
    logger = get_run_logger()
    wanted = list(dict.fromkeys(canonical_article_url(u.strip()) for u in urls if u.strip()))
    settings = Settings.from_args(
        db, delay=delay, refresh=refresh, lock_wait=lock_wait, run_deadline=run_deadline
    )
    params = {"urls": wanted, "delay": delay, "refresh": refresh}
    refs = [ref_for_url(u) for u in wanted]
    if retry_failed:
        refs += [
            r for r in retry_refs(Path(settings.db_path), [PageKind.PORTAL_ARTICLE]) if r.url not in wanted
        ]
    hosts = [r.url for r in refs]
    with crawl_session("ingest_urls", settings, params, extra_hosts=hosts) as (crawl, summary):
        logger.info("%d article URLs to fetch", len(refs))
        for refs_batch in batches(refs, batch_size):
            load_and_record(crawl, summary, fetch_and_process(crawl, refs_batch))
    return summary
