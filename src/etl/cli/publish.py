"""`etl publish`: write the analyst copy of the warehouse now (runs publish it when they end)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.cli.common import EXIT_BUSY, EXIT_INFRASTRUCTURE, _usage_error, db_option, lock_wait_option, main
from etl.config import (
    ANALYST_DB_ENV,
    SettingError,
    check_analyst_db,
    check_seconds,
    check_warehouse,
    default_analyst_db,
    default_db_path,
)


@main.command()
@db_option
@click.option(
    "--analyst-db",
    type=click.Path(dir_okay=False),
    default=None,
    help=f"Where the copy goes (default: ${ANALYST_DB_ENV}, else <db name>_analyst.duckdb next to --db).",
)
@lock_wait_option
def publish(db: str | None, analyst_db: str | None, lock_wait: float) -> None:
    """Publish the analyst copy of the warehouse: a snapshot analysts open with any DuckDB 1.1 or
    later client, replaced atomically, so readers never hold up a run. A run in progress is waited
    for (it publishes when it ends)."""
    from etl.load import WarehouseBusy, publish, run_lock
    from etl.outcome import InfrastructureError

    try:
        check_seconds("--lock-wait", lock_wait)
        db_path = check_warehouse("--db", Path(db) if db else default_db_path(), writable=False)
        if not db_path.exists():
            raise SettingError(f"bad setting --db={str(db_path)!r}: no warehouse there yet (run etl migrate)")
        target = check_analyst_db(
            "--analyst-db", Path(analyst_db) if analyst_db else default_analyst_db(db_path), db_path
        )
    except SettingError as exc:
        _usage_error(exc)
    try:
        with run_lock(db_path, wait_seconds=lock_wait):
            published = publish(db_path, target, wait_seconds=lock_wait)
    except WarehouseBusy as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except InfrastructureError as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_INFRASTRUCTURE)
    click.echo(f"published {published}")
