"""`etl migrate`: create or upgrade the warehouse schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.cli.common import EXIT_INFRASTRUCTURE, _usage_error, db_option, main
from etl.config import SettingError, check_warehouse, default_db_path


@main.command()
@db_option
def migrate(db: str | None) -> None:
    """Create or upgrade the warehouse schema (runs also do this on their own)."""
    from etl.load import SchemaMissing, connect, migration_files
    from etl.load import migrate as apply

    try:
        db_path = check_warehouse("--db", Path(db) if db else default_db_path())
    except SettingError as exc:
        _usage_error(exc)
    try:
        migration_files()  # no SQL to apply is a broken install, never an up-to-date schema
    except SchemaMissing as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_INFRASTRUCTURE)
    click.echo(f"warehouse: {db_path.absolute()}")
    with connect(db_path) as con:
        applied = apply(con)
    click.echo(f"applied migrations: {applied}" if applied else "schema is up to date")
