"""What every `etl` command shares: the command group, exit codes, options and how a run ends.

The `etl` command line. Other tools depend on these command and option names: keep them stable.

Exit codes: 0 every page loaded; 1 some pages failed (one line per failed URL on stderr, the rest
loaded; also when the run deadline left pages unfetched); 2 bad usage; 3 the warehouse is held by
another run; 4 infrastructure trouble (disk full, a warehouse or raw-page archive that cannot be
written); 130 / 143 the run was stopped by SIGINT / SIGTERM (128 + the signal's number, as a shell
reports a process the signal killed). Every outcome but 0 ends with one line on stderr saying why.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar, cast

import click

from etl.config import (
    SettingError,
    Settings,
    check_seconds,
    check_warehouse,
    default_db_path,
)

if TYPE_CHECKING:
    from prefect import Flow

    from flows.common import RunSummary

P = ParamSpec("P")
R = TypeVar("R")
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_BUSY = 3
EXIT_INFRASTRUCTURE = 4


def _prepare_prefect_env() -> None:
    # Ephemeral mode prints a spurious "database is locked" traceback when analytics are on, and
    # our own modules log through the standard logging module: forward them to Prefect's handlers.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "etl")
    # The fetcher logs from its worker threads, outside any flow-run context; those lines still
    # reach the console, they just are not sent to the API.
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")


def _flow_or_plain_call(flow: Flow[P, R], force_prefect: bool) -> Callable[P, R]:
    """How the command runs a flow: as a Prefect flow run when a Prefect API is configured
    (PREFECT_API_URL, in the environment or the Prefect profile) or `--prefect` asks for one (a
    temporary local server without an API); otherwise its function called directly, with the same
    runs row, summary and exit codes, and without the seconds a temporary server takes to start."""
    from prefect.settings import get_current_settings

    if force_prefect or get_current_settings().api.url:
        return cast("Callable[P, R]", flow)
    from flows.runcontext import PLAIN_LOGGER

    # The flow's progress lines, which Prefect's run logger shows at INFO, reach the console through
    # the handlers Prefect gives the `etl` loggers (PREFECT_LOGGING_EXTRA_LOGGERS).
    logging.getLogger(PLAIN_LOGGER).setLevel(logging.INFO)
    return flow.fn


prefect_option = click.option(
    "--prefect",
    "force_prefect",
    is_flag=True,
    help="Run as a Prefect flow run even when no PREFECT_API_URL is set (Prefect then starts a "
    "temporary local server, which takes seconds). With PREFECT_API_URL set, runs always go there.",
)

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="DuckDB file (default: $ETL_DB, else warehouse/peoples_daily.duckdb).",
)
delay_option = click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Minimum seconds between requests to one host (a robots.txt Crawl-delay wins when longer).",
)
refresh_option = click.option(
    "--refresh", is_flag=True, help="Download every page again, ignoring ETag/Last-Modified."
)
accept_changes_option = click.option(
    "--accept-changes",
    is_flag=True,
    help="Load new versions of stored articles even when they shrank drastically (otherwise the "
    "stored version is kept and the page is listed as a suspicious change).",
)
run_deadline_option = click.option(
    "--run-deadline",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Stop fetching after this long; pages left are failures for the next run "
    "(default: $ETL_RUN_DEADLINE, else 21600).",
)
lock_wait_option = click.option(
    "--lock-wait",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds to wait for another run to release the warehouse.",
)


@click.group()
@click.version_option(package_name="peoples-daily-etl")
def main() -> None:
    """People's Daily indicator ETL: e-paper and portal pages into DuckDB."""


def _report(summary: RunSummary) -> int:
    from etl.text_safety import terminal_line

    c = summary.counters()
    click.echo(
        f"{summary.flow} {summary.status}: {c['articles_loaded']} articles loaded, "
        f"{c['articles_unchanged']} unchanged, {c['images_loaded']} images, "
        f"{c['indicators_loaded']} indicators, {c['pages_fetched']} pages fetched, "
        f"{c['pages_not_modified']} not modified, {c['failures']} failures"
    )
    for url, stage, reason in summary.failures:
        # URLs and reasons come from the crawled sites: no control sequences on the terminal.
        click.echo(terminal_line(f"FAILED {url} [{stage}] {reason}"), err=True)
    for url in summary.generic:
        click.echo(
            terminal_line(f"GENERIC {url} (no template knows this layout; see etl templates)"), err=True
        )
    if summary.message:
        click.echo(terminal_line(f"etl: {summary.message}"), err=True)
    if summary.infrastructure_trouble:
        return EXIT_INFRASTRUCTURE
    return EXIT_FAILURES if summary.failures else 0


def _usage_error(exc: SettingError) -> NoReturn:
    """A bad option, argument or ETL_* setting: one line, exit 2, before anything is written."""
    click.echo(f"etl: {exc}", err=True)
    sys.exit(EXIT_USAGE)


def _check_run_settings(db: str | None, delay: float, lock_wait: float) -> None:
    """What a run checks for itself, checked here first under the option names, so that a bad value
    never reaches Prefect (which would print a traceback) and nothing is written."""
    try:
        check_seconds("--delay", delay)
        check_seconds("--lock-wait", lock_wait)
        check_warehouse("--db", Path(db) if db else default_db_path())
        Settings.from_args(db, delay=delay, lock_wait=lock_wait)  # the ETL_* fetch variables
    except SettingError as exc:
        _usage_error(exc)


def _run_flow(call: object) -> None:
    from etl.load import WarehouseBusy
    from etl.outcome import InfrastructureError, RunInterrupted

    try:
        summary = call()  # type: ignore[operator]
    except WarehouseBusy as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except InfrastructureError as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_INFRASTRUCTURE)
    except RunInterrupted as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(exc.exit_status)
    sys.exit(_report(summary))
