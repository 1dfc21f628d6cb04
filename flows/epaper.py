"""daily_epaper: one issue of the 人民日报 e-paper into the warehouse."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from etl.config import (
    Settings,
    accept_url,
    check_count,
    check_issue_date,
    check_origin,
    today_in_beijing,
)
from etl.discover import article_refs, epaper_layout_refs
from etl.models import PageKind
from etl.urls import DEFAULT_EPAPER_BASE
from flows.common import RunSummary, crawl_session, load_and_record
from flows.runcontext import run_logger, step
from flows.tasks import (
    BATCH_SIZE,
    batches,
    discover_layouts,
    fetch_and_process,
    retry_refs,
)


@flow(name="daily_epaper", log_prints=False, retries=0)
def daily_epaper(
    date: str | None = None,
    db: str | None = None,
    base_url: str = DEFAULT_EPAPER_BASE,
    delay: float = 2.0,
    refresh: bool = False,
    retry_failed: bool = True,
    lock_wait: float = 60.0,
    batch_size: int = BATCH_SIZE,
    accept_changes: bool = False,
    run_deadline: float | None = None,
) -> RunSummary:
    """Crawl the e-paper of `date` (YYYY-MM-DD; default today in Beijing) from `base_url`.

    Every 版面 is probed until a 404; 广告 pages and 本版责编 credit entries are skipped; article
    pages are fetched, parsed, cleaned and extracted in batches, one warehouse transaction per batch.
    Open failures of earlier runs (版面 pages and articles, of any day) are retried with this run's
    pages. `accept_changes` loads new versions of stored articles that shrank drastically, which
    are otherwise kept out and listed as failures. After `run_deadline` seconds (default
    $ETL_RUN_DEADLINE, else 6 h) pages not yet fetched become failures for the next run.
    """
    logger = run_logger()
    # Every parameter is checked before the warehouse is touched (a deployment run passes them
    # without the CLI); a bad one raises SettingError, a ValueError. A user:password in the base URL
    # is used for requests, never stored or shown.
    day = check_issue_date("date", date) if date else today_in_beijing()
    base_url = check_origin("base_url", accept_url(base_url))
    check_count("batch_size", batch_size)
    settings = Settings.from_args(
        db,
        delay=delay,
        refresh=refresh,
        lock_wait=lock_wait,
        accept_changes=accept_changes,
        run_deadline=run_deadline,
    )
    params = {"date": day.isoformat(), "base_url": base_url, "delay": delay, "refresh": refresh}
    if accept_changes:
        params["accept_changes"] = True
    retries = (
        retry_refs(Path(settings.db_path), [PageKind.EPAPER_LAYOUT, PageKind.EPAPER_ARTICLE])
        if retry_failed
        else []
    )
    retry_layouts = [r for r in retries if r.kind is PageKind.EPAPER_LAYOUT]
    hosts = [base_url, *(r.url for r in retries)]
    with crawl_session("daily_epaper", settings, params, extra_hosts=hosts) as (crawl, summary):
        layouts, layout_batch = step(discover_layouts)(
            crawl, epaper_layout_refs(day, base_url), retry_layouts
        )
        refs = article_refs(layouts, day)
        discovered = {r.url for r in refs}
        refs += [r for r in retries if r.kind is PageKind.EPAPER_ARTICLE and r.url not in discovered]
        logger.info("%s: %d 版面, %d articles to fetch", day, len(layouts), len(refs))
        load_and_record(crawl, summary, layout_batch)
        for refs_batch in batches(refs, batch_size):
            load_and_record(crawl, summary, step(fetch_and_process)(crawl, refs_batch))
    return summary
