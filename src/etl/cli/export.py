"""`etl export`: the warehouse as files for analysts' tools (pandas, polars, Spark, DuckLake)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NoReturn

import click

from etl.cli.common import EXIT_BUSY, EXIT_INFRASTRUCTURE, _usage_error, db_option, main
from etl.config import SettingError, check_warehouse, default_db_path

date_type = click.DateTime(formats=["%Y-%m-%d"])
since_option = click.option(
    "--since", type=date_type, default=None, metavar="YYYY-MM-DD", help="Only rows dated this day or later."
)


def existing_warehouse(db: str | None) -> Path:
    """The warehouse to read: it must exist (reading never creates one)."""
    try:
        path = check_warehouse("--db", Path(db) if db else default_db_path(), writable=False)
        if not path.exists():
            raise SettingError(f"--db {path}: no such warehouse; run `etl run` or `make demo` first")
    except SettingError as exc:
        _usage_error(exc)
    return path


def day_of(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _read_failed(exc: Exception) -> NoReturn:
    from etl.load import WarehouseBusy

    click.echo(f"etl: {' '.join(str(exc).split())}", err=True)
    raise SystemExit(EXIT_BUSY if isinstance(exc, WarehouseBusy) else EXIT_INFRASTRUCTURE)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv"]),
    default="parquet",
    show_default=True,
    help="Parquet: one directory per table or view, partitioned by published date; CSV: one file each.",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Directory to write.")
@since_option
@click.option(
    "--until", type=date_type, default=None, metavar="YYYY-MM-DD", help="Only rows dated this day or earlier."
)
@db_option
def export(
    fmt: str, out_dir: str, since: dt.datetime | None, until: dt.datetime | None, db: str | None
) -> None:
    """Write the tables and main views as Parquet or CSV files for pandas, polars, Spark or DuckLake."""
    import duckdb

    from etl.load import WarehouseBusy
    from etl.load.export import ExportFormat, export_warehouse

    if since and until and since > until:
        _usage_error(SettingError(f"--since {since:%Y-%m-%d} is after --until {until:%Y-%m-%d}"))
    db_path = existing_warehouse(db)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        _usage_error(SettingError(f"--out {out}: is not a directory"))
    try:
        summary = export_warehouse(db_path, out, ExportFormat(fmt), since=day_of(since), until=day_of(until))
    except (WarehouseBusy, duckdb.Error, OSError) as exc:
        _read_failed(exc)
    for result in summary.outputs:
        click.echo(f"{result.rows:>8} rows  {result.path}")
    for name in summary.skipped:
        click.echo(f"skipped {name}: not in this warehouse (run `etl migrate` to upgrade it)", err=True)
