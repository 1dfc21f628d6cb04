"""`etl report`: the warehouse as one self-contained HTML page of charts and tables."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import click

from etl.cli.common import EXIT_BUSY, EXIT_INFRASTRUCTURE, _usage_error, db_option, main
from etl.cli.export import day_of, existing_warehouse, since_option
from etl.config import SettingError


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@main.command()
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    default="report.html",
    show_default=True,
    help="The HTML file to write.",
)
@since_option
@click.option(
    "--metric",
    "metric_key",
    default=None,
    metavar="KEY",
    help="The metric_key whose series is charted (default: the one with most reports).",
)
@db_option
def report(out_path: str, since: dt.datetime | None, metric_key: str | None, db: str | None) -> None:
    """Write one HTML page (opens offline) with charts of indicators, top metrics, a series and
    failures per day, and the latest indicators with their sentences and articles."""
    import duckdb

    from etl.load import WarehouseBusy
    from etl.load.report_data import ReportUnavailable, UnknownMetricKey, report_data
    from etl.report import render_report

    db_path = existing_warehouse(db)
    try:
        data = report_data(db_path, since=day_of(since), metric_key=metric_key)
    except (UnknownMetricKey, ReportUnavailable) as exc:
        _usage_error(SettingError(str(exc)))
    except (WarehouseBusy, duckdb.Error, OSError) as exc:
        click.echo(f"etl: {' '.join(str(exc).split())}", err=True)
        raise SystemExit(EXIT_BUSY if isinstance(exc, WarehouseBusy) else EXIT_INFRASTRUCTURE) from exc
    out = Path(out_path)
    try:
        write_atomically(out, render_report(data))
    except OSError as exc:
        click.echo(f"etl: cannot write the report {out}: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_INFRASTRUCTURE) from exc
    click.echo(f"report written to {out}")
