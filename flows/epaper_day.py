"""The daily e-paper run without Prefect: what `daily_epaper` (flows/epaper.py) runs inside a flow
run, and what `etl run` calls in its own process when no Prefect API is configured. This module
imports nothing of Prefect, so such a run never pays for importing it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl.config import (
    RUN_DEFAULTS,
    RunOptions,
    Settings,
    accept_url,
    check_count,
    check_issue_date,
    check_origin,
    check_task_runner,
    today_in_beijing,
)
from etl.discover import article_refs, epaper_layout_refs
from etl.models import FetchStatus, PageKind
from etl.urls import DEFAULT_EPAPER_BASE, ref_for_url
from flows.common import RunSummary, crawl_articles, crawl_session, flow_outcome, load_and_record
from flows.progress import progress
from flows.runcontext import FlowEntry, run_logger, step
from flows.runners import processing_runner
from flows.tasks import discover_layouts, retry_refs

if TYPE_CHECKING:
    from prefect.client.schemas.objects import State


def crawl_epaper_day(
    date: str | None = None,
    db: str | None = None,
    base_url: str = DEFAULT_EPAPER_BASE,
    delay: float = RUN_DEFAULTS.delay,
    refresh: bool = RUN_DEFAULTS.refresh,
    retry_failed: bool = RUN_DEFAULTS.retry_failed,
    lock_wait: float = RUN_DEFAULTS.lock_wait,
    batch_size: int = RUN_DEFAULTS.batch_size,
    accept_changes: bool = RUN_DEFAULTS.accept_changes,
    run_deadline: float | None = RUN_DEFAULTS.run_deadline,
    workers: int = 1,
    dask_address: str | None = None,
) -> RunSummary | State[Any]:
    """The run `daily_epaper` (flows/epaper.py) describes, with the same parameters: inside a flow
    run when that flow calls it, else in the caller's process, its batch tasks plain calls."""
    logger = run_logger()
    # Every parameter is checked before the warehouse is touched (a deployment run passes them
    # without the CLI); a bad one raises SettingError, a ValueError. A user:password in the base URL
    # is used for requests, never stored or shown.
    day = check_issue_date("date", date) if date else today_in_beijing()
    base_url = check_origin("base_url", accept_url(base_url))
    check_count("batch_size", batch_size)
    check_task_runner(workers, dask_address)
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
    params: dict[str, Any] = {
        "date": day.isoformat(),
        "base_url": base_url,
        "delay": delay,
        "refresh": refresh,
    }
    if accept_changes:
        params["accept_changes"] = True
    if workers != 1 or dask_address is not None:
        params.update(workers=workers, dask_address=dask_address)
    retries = (
        retry_refs(
            Path(settings.db_path),
            [PageKind.EPAPER_LAYOUT, PageKind.EPAPER_ARTICLE],
            wait_seconds=settings.lock_wait,
        )
        if retry_failed
        else []
    )
    retry_layouts = [r for r in retries if r.kind is PageKind.EPAPER_LAYOUT]
    hosts = [base_url, *(r.url for r in retries)]
    scope = day.isoformat()
    with crawl_session("daily_epaper", settings, params, extra_hosts=hosts, scope=scope) as (crawl, summary):
        layouts, layout_batch = step(discover_layouts)(
            crawl, epaper_layout_refs(day, base_url), retry_layouts
        )
        refs = article_refs(layouts, day)
        discovered = {r.url for r in refs}
        refs += [r for r in retries if r.kind is PageKind.EPAPER_ARTICLE and r.url not in discovered]
        # Pages of other days (earlier runs' leftovers, and what their 版面 list) are reported
        # apart, never as this run's failures.
        layout_urls = [f.url for f, _kind in layout_batch.fetches]
        summary.older = {u for u in layout_urls if ref_for_url(u).issue_date != day}
        summary.older |= {r.url for r in refs if r.issue_date != day}
        own_layouts = [lay for lay in layouts if lay.url not in summary.older]
        if not own_layouts:
            day_fetches = [f for f, _kind in layout_batch.fetches if f.url not in summary.older]
            summary.not_served = bool(day_fetches) and all(
                f.status is FetchStatus.NOT_FOUND for f in day_fetches
            )
            summary.nothing_to_load = f"no paper for {day}: " + (
                "the site does not serve its 版面 (404, or a page saying it does not exist)"
                if summary.not_served
                else "none of its 版面 could be read"
            )
        elif not any(r.url not in summary.older for r in refs):
            summary.nothing_to_load = f"no articles on the {len(own_layouts)} 版面 of {day}"
        logger.info("%s: %d 版面, %d articles to fetch", day, len(layouts), len(refs))
        load_and_record(crawl, summary, layout_batch)
        # What the warehouse holds for every article of the run, read once rather than per batch.
        crawl.stored.remember(crawl, [r.url for r in refs], sources=True)
        with (
            progress(len(refs), f"daily_epaper {day}: articles") as bar,
            processing_runner(workers, dask_address) as runner,
        ):
            crawl_articles(crawl, summary, refs, batch_size, runner, bar.update)
    return flow_outcome(summary)


# How `etl run` starts it: this function in a lean run, the Prefect flow for a flow run.
DAILY_EPAPER = FlowEntry(crawl_epaper_day, "flows.epaper:daily_epaper")
