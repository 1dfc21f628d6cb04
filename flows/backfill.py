"""backfill: the e-paper of a range of days, one daily run per day, resumable.

Each day is a `daily_epaper` subflow (named `daily-epaper-<day>`; the URL scheme of the day, old or
new, comes from etl.urls). A day that loaded, or that the site no longer serves (every 版面 a 404 or
a page saying it does not exist), is recorded in the warehouse (`backfill_days`) when its run ends,
so a backfill killed half-way and started again does each finished day once, and a day not served
is reported once instead of being asked for again and again. A day that failed has no record: the
next backfill tries it again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.client.schemas.objects import State
from prefect.states import Failed

from etl import load
from etl.config import (
    RUN_DEFAULTS,
    RunOptions,
    Settings,
    accept_url,
    check_count,
    check_issue_date,
    check_origin,
    check_task_runner,
)
from etl.text_safety import terminal_line
from etl.urls import DEFAULT_EPAPER_BASE
from flows.common import RunSummary, summary_of
from flows.epaper import daily_epaper
from flows.progress import progress
from flows.runners import processing_runner

# Days of one backfill: a range this long is almost certainly a typo (a year of 19xx for 20xx).
MAX_BACKFILL_DAYS = 366 * 30


@dataclass(slots=True)
class BackfillSummary:
    start: dt.date
    end: dt.date
    loaded: list[dt.date] = field(default_factory=list)
    not_served: list[dt.date] = field(default_factory=list)
    failed: list[tuple[dt.date, str]] = field(default_factory=list)  # (day, the run's headline)
    already_done: list[dt.date] = field(default_factory=list)  # finished by an earlier backfill
    runs: list[RunSummary] = field(default_factory=list)  # the daily runs, in day order

    @property
    def failed_any(self) -> bool:
        return bool(self.failed)

    def headline(self) -> str:
        line = (
            f"backfill {self.start}..{self.end}: {len(self.loaded)} days loaded, "
            f"{len(self.not_served)} not served, {len(self.failed)} failed, "
            f"{len(self.already_done)} done before"
        )
        return line


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def backfill_run_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.parameters
    return f"backfill-{params.get('start')}-{params.get('end')}"


@flow(name="backfill", flow_run_name=backfill_run_name, log_prints=False, retries=0)
def backfill(
    start: str,
    end: str,
    db: str | None = None,
    base_url: str = DEFAULT_EPAPER_BASE,
    delay: float = RUN_DEFAULTS.delay,
    refresh: bool = RUN_DEFAULTS.refresh,
    lock_wait: float = RUN_DEFAULTS.lock_wait,
    batch_size: int = RUN_DEFAULTS.batch_size,
    accept_changes: bool = RUN_DEFAULTS.accept_changes,
    run_deadline: float | None = RUN_DEFAULTS.run_deadline,
    redo: bool = False,
    workers: int = 1,
    dask_address: str | None = None,
) -> BackfillSummary | State[Any]:
    """The e-paper of every day from `start` to `end` (YYYY-MM-DD, inclusive), oldest first, one
    `daily_epaper` run per day. Days an earlier backfill finished are skipped unless `redo`. Each
    day's run retries only that day's pages (never other runs' leftovers). `run_deadline` bounds
    each day's run, as it bounds a daily run (default $ETL_RUN_DEADLINE, else 6 h): pages it left
    unfetched fail that day, which the next backfill tries again. With `workers` > 1 (a local Dask
    cluster) or `dask_address` (an existing one) the days' articles are parsed and extracted there,
    one cluster for the whole range, while this process fetches politely and loads. Ends Failed when
    a day failed."""
    logger = get_run_logger()
    first = check_issue_date("start", start)
    last = check_issue_date("end", end)
    if last < first:
        raise ValueError(f"end {last} is before start {first}")
    if (last - first).days >= MAX_BACKFILL_DAYS:
        raise ValueError(
            f"{(last - first).days + 1} days is more than one backfill takes ({MAX_BACKFILL_DAYS})"
        )
    base_url = check_origin("base_url", accept_url(base_url))
    check_count("batch_size", batch_size)
    check_task_runner(workers, dask_address)
    settings = Settings.from_options(
        db,
        RunOptions(
            delay=delay, lock_wait=lock_wait, accept_changes=accept_changes, run_deadline=run_deadline
        ),
    )
    db_path = Path(settings.db_path)
    if redo:
        forgotten = load.forget_days(db_path, first, last)
        logger.info("--redo: %d finished days will be done again", forgotten)
    done = load.finished_days(db_path, first, last)
    summary = BackfillSummary(first, last)
    days = days_between(first, last)
    with (
        progress(len(days), f"backfill {first}..{last}: days") as bar,
        processing_runner(workers, dask_address),  # opened once; every day's run reads on it
    ):
        for day in days:
            if day in done:
                summary.already_done.append(day)
                bar.update(1)
                continue
            state = daily_epaper(
                date=day.isoformat(),
                db=db,
                base_url=base_url,
                delay=delay,
                refresh=refresh,
                retry_failed=False,
                lock_wait=lock_wait,
                batch_size=batch_size,
                accept_changes=accept_changes,
                run_deadline=run_deadline,
                workers=workers,
                dask_address=dask_address,
                return_state=True,
            )
            run = summary_of(state)  # a busy warehouse, a full disk or a signal ends the backfill here
            summary.runs.append(run)
            if run.not_served:
                load.record_day(
                    db_path,
                    day,
                    load.DayOutcome.NOT_SERVED,
                    run.run_id,
                    run.nothing_to_load,
                    resolve_urls=[u for u, _s, _r in run.failures],
                )
                summary.not_served.append(day)
                logger.warning("%s is not served by the site: recorded, not asked for again", day)
            elif run.failed:
                summary.failed.append((day, run.headline()))
                logger.warning(
                    "%s failed; the next backfill tries it again: %s", day, terminal_line(run.headline())
                )
            else:
                load.record_day(db_path, day, load.DayOutcome.LOADED, run.run_id)
                summary.loaded.append(day)
            bar.update(1)
    logger.info(summary.headline())
    if summary.failed_any:
        return Failed(message=summary.headline(), data=summary)
    return summary


def backfill_summary_of(state: State[Any]) -> BackfillSummary:
    """The summary of a finished backfill run (called with `return_state=True`); a backfill that
    raised raises the same exception here."""
    result = state.result(raise_on_failure=False)
    if isinstance(result, BackfillSummary):
        return result
    if isinstance(result, BaseException):
        raise result
    raise RuntimeError(f"backfill ended {state.name} without a summary: {state.message}")
