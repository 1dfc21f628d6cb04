"""`etl reprocess`: archived pages read again with the current code, without the network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from etl.cli.common import (
    _run_flow,
    _usage_error,
    accept_changes_option,
    dask_address_option,
    db_option,
    lock_wait_option,
    main,
    workers_option,
)
from etl.config import (
    SettingError,
    check_issue_date,
    check_seconds,
    check_task_runner,
    check_warehouse,
    default_db_path,
    prepare_prefect_env,
)

if TYPE_CHECKING:
    from flows.reprocess import ReprocessSummary


def _checked(
    since: dt.datetime | None,
    until: dt.datetime | None,
    db: str | None,
    workers: int,
    dask_address: str | None,
) -> None:
    """Every option checked under its own name before Prefect starts or anything is written."""
    start = check_issue_date("--since", since.date()) if since else None
    end = check_issue_date("--until", until.date()) if until else None
    if start and end and start > end:
        raise SettingError(f"bad setting --since={start}: must not be after --until={end}")
    check_task_runner(workers, dask_address, names=("--workers", "--dask-address"))
    db_path = check_warehouse("--db", Path(db) if db else default_db_path())
    if not db_path.exists():
        raise SettingError(f"bad setting --db={str(db_path)!r}: no warehouse there, nothing to reprocess")


@main.command()
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Articles published on or after this day (default: from the first archived).",
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Articles published on or before this day (default: to the last archived).",
)
@db_option
@workers_option
@dask_address_option
@lock_wait_option
@accept_changes_option
def reprocess(
    since: dt.datetime | None,
    until: dt.datetime | None,
    db: str | None,
    workers: int,
    dask_address: str | None,
    lock_wait: float,
    accept_changes: bool,
) -> None:
    """Read the archived articles again (parse, clean, extract) with the current code, without the
    network, and replace the rows of those that changed: how an extractor or parser upgrade reaches
    the articles already loaded. Prints what changed, per metric. The workers of a --dask-address
    cluster must see the raw-page archive at the same path."""
    try:
        _checked(since, until, db, workers, dask_address)
        check_seconds("--lock-wait", lock_wait)
    except SettingError as exc:
        _usage_error(exc)
    prepare_prefect_env()
    from etl.text_safety import terminal_line
    from flows.reprocess import reprocess_archive

    def run() -> ReprocessSummary:
        summary = reprocess_archive(
            since=since.date().isoformat() if since else None,
            until=until.date().isoformat() if until else None,
            db=db,
            workers=workers,
            dask_address=dask_address,
            lock_wait=lock_wait,
            accept_changes=accept_changes,
        )
        for line in summary.change_lines():
            click.echo(terminal_line(line))  # metric names come from the crawled text
        return summary

    _run_flow(run)
