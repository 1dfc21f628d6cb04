"""ingest_urls: explicitly named portal or e-paper article URLs into the warehouse, as a Prefect flow.
The run itself is flows/ingest_run.py, which `etl ingest` calls without Prefect when no API is
configured.

The flow restates the run's parameters rather than wrapping `crawl_urls` with `flow(...)(...)`:
`prefect deploy` reads a deployment's parameters from the entrypoint's `def` in the source, without
importing it."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run

from etl.config import RUN_DEFAULTS, today_in_beijing
from flows.common import FLOW_TIMEOUT_SECONDS, RunSummary
from flows.ingest_run import crawl_urls, ingest_retry_refs

__all__ = ["ingest_retry_refs", "ingest_run_name", "ingest_urls"]


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
    return crawl_urls(
        urls=urls,
        db=db,
        delay=delay,
        refresh=refresh,
        retry_failed=retry_failed,
        lock_wait=lock_wait,
        batch_size=batch_size,
        accept_changes=accept_changes,
        run_deadline=run_deadline,
    )
