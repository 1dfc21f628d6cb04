"""daily_epaper: one issue of the 人民日报 e-paper into the warehouse, as a Prefect flow. The run
itself is flows/epaper_day.py, which `etl run` calls without Prefect when no API is configured.

The flow restates the run's parameters rather than wrapping `crawl_epaper_day` with `flow(...)(...)`:
`prefect deploy` reads a deployment's parameters from the entrypoint's `def` in the source, without
importing it."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run

from etl.config import RUN_DEFAULTS, today_in_beijing
from etl.urls import DEFAULT_EPAPER_BASE
from flows.common import FLOW_TIMEOUT_SECONDS, RunSummary
from flows.epaper_day import crawl_epaper_day


def daily_run_name() -> str:
    """A daily run is named after its issue day: daily-epaper-2025-10-28."""
    date = flow_run.parameters.get("date") or today_in_beijing().isoformat()
    return f"daily-epaper-{date}"


@flow(
    name="daily_epaper",
    flow_run_name=daily_run_name,
    log_prints=False,
    timeout_seconds=FLOW_TIMEOUT_SECONDS,
    retries=0,  # deployment runs are retried (flows/deployments.py); commands and tests are not
)
def daily_epaper(
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
    """Crawl the e-paper of `date` (YYYY-MM-DD; default today in Beijing) from `base_url`.

    Every 版面 is probed until a 404; 广告 pages and 本版责编 credit entries are skipped; article
    pages are fetched, parsed, cleaned and extracted in batches, one warehouse transaction per batch.
    Open failures of earlier runs (版面 pages and articles, of any day) are retried with this run's
    pages; those of other days are reported apart and do not change the run's state. The run ends
    Failed (its summary as the state's data) when a page of the day failed or the day has no paper
    (no 版面, or 版面 without articles); Completed otherwise. `accept_changes` loads new versions of
    stored articles that shrank drastically, which are otherwise kept out and listed as failures.
    After `run_deadline` seconds (default $ETL_RUN_DEADLINE, else 6 h) pages not yet fetched become
    failures for the next run. With `workers` > 1 the articles are parsed and extracted on a local
    Dask cluster of that many processes, with `dask_address` on that Dask cluster; fetching (and its
    politeness) and loading stay in the flow's process either way.
    """
    return crawl_epaper_day(
        date=date,
        db=db,
        base_url=base_url,
        delay=delay,
        refresh=refresh,
        retry_failed=retry_failed,
        lock_wait=lock_wait,
        batch_size=batch_size,
        accept_changes=accept_changes,
        run_deadline=run_deadline,
        workers=workers,
        dask_address=dask_address,
    )
