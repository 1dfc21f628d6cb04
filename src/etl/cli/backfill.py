"""`etl backfill`: the e-paper of a range of days, one daily run per day, resumable."""

from __future__ import annotations

import datetime as dt
import sys

import click

from etl.cli.common import (
    EXIT_BUSY,
    EXIT_FAILURES,
    EXIT_INFRASTRUCTURE,
    _check_run_settings,
    _report,
    _usage_error,
    dask_address_option,
    db_option,
    main,
    run_options,
    workers_option,
)
from etl.config import (
    RunOptions,
    SettingError,
    check_issue_date,
    check_origin,
    check_task_runner,
    prepare_prefect_env,
)
from etl.urls import DEFAULT_EPAPER_BASE


@main.command()
@click.option(
    "--start", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First issue day, YYYY-MM-DD."
)
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last issue day, inclusive.")
@click.option("--redo", is_flag=True, help="Crawl again the days an earlier backfill finished.")
@db_option
@click.option(
    "--base-url",
    default=DEFAULT_EPAPER_BASE,
    show_default=True,
    help="Scheme and host of the e-paper, for mirrors and saved copies.",
)
@workers_option
@dask_address_option
@run_options
def backfill(
    start: dt.datetime,
    end: dt.datetime,
    redo: bool,
    db: str | None,
    base_url: str,
    workers: int,
    dask_address: str | None,
    options: RunOptions,
) -> None:
    """Crawl the e-paper of every day from --start to --end, one daily run per day, oldest first.

    Days loaded or no longer served by the site are recorded in the warehouse: a backfill stopped
    half-way and started again goes on where it stopped, and a finished backfill run again does
    nothing (unless --redo). Exit status 0 when every day loaded or is not served, 1 when a day
    failed (it is tried again by the next backfill); --run-deadline bounds each day's run.
    With --workers N or --dask-address the articles are parsed and extracted on a Dask cluster
    (one for the whole backfill) while this process fetches, as politely as ever, and loads.
    """
    from etl.config import accept_url

    try:
        first = check_issue_date("--start", start.date())
        last = check_issue_date("--end", end.date())
        if last < first:
            raise SettingError(f"--end {last} is before --start {first}")
        base_url = check_origin("--base-url", base_url)
        check_task_runner(workers, dask_address, names=("--workers", "--dask-address"))
    except SettingError as exc:
        _usage_error(exc)
    _check_run_settings(db, options)
    prepare_prefect_env()
    from etl.load import WarehouseBusy
    from etl.outcome import InfrastructureError, RunInterrupted
    from etl.text_safety import terminal_line
    from flows.backfill import backfill as backfill_flow
    from flows.backfill import backfill_summary_of

    try:
        summary = backfill_summary_of(
            backfill_flow(
                start=first.isoformat(),
                end=last.isoformat(),
                db=db,
                base_url=accept_url(base_url),  # credentials go to the fetcher, never into parameters
                delay=options.delay,
                refresh=options.refresh,
                lock_wait=options.lock_wait,
                accept_changes=options.accept_changes,
                run_deadline=options.run_deadline,
                redo=redo,
                workers=workers,
                dask_address=dask_address,
                return_state=True,
            )
        )
    except WarehouseBusy as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except InfrastructureError as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_INFRASTRUCTURE)
    except RunInterrupted as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(exc.exit_status)
    worst = 0
    for run in summary.runs:
        if not run.not_served:  # a day not served is one line below, not a FAILED 404
            worst = max(worst, _report(run))
    for day in summary.already_done:
        click.echo(f"{day} done by an earlier backfill (--redo crawls it again)")
    for day in summary.not_served:
        click.echo(f"{day} not served: the site has no 版面 for it; recorded, not asked for again")
    for day, headline in summary.failed:
        click.echo(terminal_line(f"DAY FAILED {day}: {headline}"), err=True)
    click.echo(summary.headline())
    if worst == EXIT_INFRASTRUCTURE:
        sys.exit(EXIT_INFRASTRUCTURE)
    sys.exit(EXIT_FAILURES if summary.failed_any else 0)
